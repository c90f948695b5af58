#!/usr/bin/env bash
# Runs every fuzz target of tests/fuzz for a bounded time (seconds each,
# default 20) in build-fuzz/: clang, libFuzzer, ASan + UBSan, and tiny block
# sizes so that the registry loader and the CSV reader cross block edges
# every few rows.  The seed corpus and the regressions are the starting
# point (copied: what the run finds stays in build-fuzz/fuzz-corpus/).  A
# failing input is left in build-fuzz/fuzz-artifacts/ and fails the run;
# add it to tests/fuzz/regressions/<target>/ once fixed.
#   tools/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh fuzz
secs=${1:-20}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(grep -o "'fuzz_[a-z_]*'" tests/fuzz/meson.build | tr -d "'")
fi
if [ ! -f build-fuzz/build.ninja ]; then
    CC=clang meson setup build-fuzz -Dfuzz=enabled -Db_sanitize=address,undefined \
        -Db_lundef=false -Dcsv_block_bytes=64 -Dregistry_block_bytes=256 \
        -Dpython=disabled -Djava=disabled -Dbench=false -Dexamples=false >/dev/null
fi
ninja -C build-fuzz "${targets[@]/#/tests/fuzz/}"
mkdir -p build-fuzz/fuzz-artifacts
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
failed=()
printf '%-20s %12s %8s %s\n' target executions seconds result > build-fuzz/fuzz-table.txt
for t in "${targets[@]}"; do
    corpus=build-fuzz/fuzz-corpus/$t
    mkdir -p "$corpus"
    cp -n tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
    [ -d tests/fuzz/regressions/"$t" ] && cp -n tests/fuzz/regressions/"$t"/* "$corpus"/
    log=build-fuzz/fuzz-$t.log
    start=$(date +%s)
    # XJL_FUZZ_SEED (CI sets it) makes a run repeatable: the same inputs in
    # the same order, so that a result can be reproduced where it was seen.
    if build-fuzz/tests/fuzz/"$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 ${XJL_FUZZ_SEED:+-seed="$XJL_FUZZ_SEED"} \
        -artifact_prefix=build-fuzz/fuzz-artifacts/"$t"- "$corpus" >"$log" 2>&1; then
        result=clean
    else
        result="FAILED (see $log)"
        failed+=("$t")
        status=1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    printf '%-20s %12s %8s %s\n' "$t" "${runs:-?}" "$(( $(date +%s) - start ))" "$result" \
        >> build-fuzz/fuzz-table.txt
done
cat build-fuzz/fuzz-table.txt
# A failure's report goes to the output too: where CI ran it, the log and
# the input that failed are not kept, and the run is not repeatable
# elsewhere (the corpus is read in the directory's order).
for t in "${failed[@]}"; do
    echo "== $t failed: the last lines of build-fuzz/fuzz-$t.log"
    grep -v '^#[0-9]' build-fuzz/fuzz-"$t".log | tail -n 40
    for a in build-fuzz/fuzz-artifacts/"$t"-*; do
        [ -e "$a" ] || continue
        echo "== $t: the input that failed, $a, $(stat -c %s "$a") bytes (the first 512 in hex)"
        od -A d -t x1 -N 512 "$a"
    done
done
exit $status
