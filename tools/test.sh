#!/usr/bin/env bash
# Every test: C (cmocka), the command-line program, accuracy, Python and Java
# bindings, and installing the Python package.  Builds in build-test/ with warnings as errors.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh test
if [ ! -f build-test/build.ninja ]; then
    meson setup build-test -Dwerror=true -Dpython=enabled -Djava=enabled >/dev/null
fi
ninja -C build-test
meson test -C build-test --print-errorlogs --num-processes 2
# pip install . into a fresh venv, meson install: both imported from outside the tree
bash tools/test_install.sh build-test
python3 tools/test_summary.py build-test/meson-logs/testlog.json
