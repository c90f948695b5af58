#!/usr/bin/env bash
# Installs xjlink as its users do and imports it from outside the source tree:
#  1. `pip install .` of a clean copy of the tree (the files a clone has) into
#     a fresh virtual environment of /usr/bin/python3 with its system
#     packages (meson-python builds the wheel; no package index is needed);
#  2. `meson install` into a staging folder: the package must land in a
#     folder that /usr/bin/python3 searches under the prefix, its extension
#     must find libxjlink.so in the libdir (its RPATH).
# Usage: tools/test_install.sh [BUILD_DIR]   (BUILD_DIR: a configured build,
# default build-test, for step 2)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
build=${1:-build-test}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== pip install . from a clean copy into a fresh venv" >&2
mkdir "$work/src"
git ls-files -z --cached --others --exclude-standard | \
    (cd "$src" && xargs -0 tar -cf - --no-recursion) | tar -xf - -C "$work/src"
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
"$work/venv/bin/pip" install --quiet --no-build-isolation --no-index "$work/src" \
    >"$work/pip.log" 2>&1 || { cat "$work/pip.log" >&2; exit 1; }
cd "$work"
"$work/venv/bin/python" - "$src/examples/data" <<'PY'
import pathlib, sys
import xjlink
data = pathlib.Path(sys.argv[1])
where = pathlib.Path(xjlink.__file__).resolve()
assert "site-packages" in where.parts, f"xjlink imported from {where}, not the venv"
assert xjlink.__version__, "no version"
with xjlink.Index.from_csv(data / "registry_sample.csv") as ix:
    r = ix.match({"姓名": "黄 诗涵", "性别": "女", "出生日期": "2018/8/7",
                  "身份证件类型": "居民身份证", "身份证件号": "350203201808078988"})
assert r.status == "matched", r.status
print(f"xjlink {xjlink.__version__} from {where.parent}: {r.status} {r.match_id}")
PY
cd "$src"

echo "== meson install: the package where /usr/bin/python3 looks" >&2
prefix=$(meson introspect "$build" --buildoptions | /usr/bin/python3 -c \
    'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
meson install -C "$build" --destdir "$work/stage" --quiet >/dev/null
init=$(cd "$work/stage" && find . -path '*/xjlink/__init__.py' | head -1)
[ -n "$init" ] || { echo "meson install put no xjlink/__init__.py" >&2; exit 1; }
site=$(dirname "$(dirname "${init#.}")")
/usr/bin/python3 -c 'import sys; p = sys.argv[1]; assert p in sys.path, \
    f"{p} is not on the sys.path of /usr/bin/python3: {sys.path}"' "$site"
# The extension links libxjlink.so through an RPATH to the installed libdir;
# staged under a destdir, the library is found there instead.
libdir=$(meson introspect "$build" --buildoptions | /usr/bin/python3 -c \
    'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "libdir"))')
case $libdir in /*) ;; *) libdir=$prefix/$libdir ;; esac
ext=$(find "$work/stage$site/xjlink" -name '_core*.so' | head -1)
readelf -d "$ext" | grep -q "R.*PATH.*\[$libdir\]" || \
    { echo "$ext has no RPATH $libdir:" >&2; readelf -d "$ext" | grep PATH >&2; exit 1; }
cd "$work" && LD_LIBRARY_PATH="$work/stage$libdir" PYTHONPATH="$work/stage$site" /usr/bin/python3 -c \
    'import xjlink; print("meson install:", xjlink.__file__); xjlink.Index'
echo "== installs: ok (prefix $prefix)" >&2
