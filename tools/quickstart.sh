#!/usr/bin/env bash
# The main job on the sample data that ships with xjlink: build, check the
# sample roster, match it against the sample preschool registry, and use the
# Python binding from the build tree.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh python
if [ -f build/build.ninja ]; then
    meson configure build -Dpython=enabled
else
    meson setup build -Dtests=false -Dbench=false -Dpython=enabled >/dev/null
fi
# Everything, the binding too: a build dir with an unbuilt binding holds an
# empty xjlink/ folder, which Python would import as an empty namespace package.
ninja -C build >/dev/null
echo "== xjlink check: invalid or inconsistent fields in the sample roster" >&2
build/cli/xjlink check examples/data/roster_sample.csv || [ $? -eq 3 ]
echo "== xjlink match: the sample roster against the sample preschool registry" >&2
build/cli/xjlink match --registry examples/data/registry_sample.csv \
    --roster examples/data/roster_sample.csv --out roster_matched.csv
echo "== written: roster_matched.csv" >&2
echo "== Python: the binding in the build tree" >&2
PYTHONPATH=build/bindings/python /usr/bin/python3 -c \
    'import xjlink; print("xjlink", xjlink.__version__, "imports:", xjlink.Index.__name__)'
echo "   (PYTHONPATH=build/bindings/python /usr/bin/python3; or pip install . — see README)" >&2
