#!/usr/bin/env bash
# The main job on the sample data that ships with xjlink: build, check the
# sample roster, and match it against the sample preschool registry.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh build
[ -f build/build.ninja ] || meson setup build -Dtests=false -Dbench=false >/dev/null
ninja -C build cli/xjlink >/dev/null
echo "== xjlink check: invalid or inconsistent fields in the sample roster" >&2
build/cli/xjlink check examples/data/roster_sample.csv || [ $? -eq 3 ]
echo "== xjlink match: the sample roster against the sample preschool registry" >&2
build/cli/xjlink match --registry examples/data/registry_sample.csv \
    --roster examples/data/roster_sample.csv --out roster_matched.csv
echo "== written: roster_matched.csv" >&2
