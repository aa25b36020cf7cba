#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/fuzz_*.c) with clang, AddressSanitizer
# and UndefinedBehaviorSanitizer, replays every seed corpus, then fuzzes each
# target for SECONDS (default 10, what CI runs; give more for a real hunt).
#
#   scripts/fuzz.sh [SECONDS] [NAME...]     e.g. scripts/fuzz.sh 600 target bounce
#
# New inputs go to fuzz-out/corpus/NAME (not committed; copy the good ones to
# fuzz/corpus/NAME), crashes to fuzz-out/crash/NAME-*, with the command that
# replays one printed. Exit 1 when a target crashed, leaked or broke a
# property. BUILD_DIR (default build-fuzz) is the clang build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-10}
shift || true
build=${BUILD_DIR:-$root/build-fuzz}
out=$root/fuzz-out

command -v clang >/dev/null || {
        echo "fuzz.sh: clang is missing (scripts/deps.sh test)" >&2
        exit 2
}
CC=clang cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPTRWIZ_FUZZ=ON \
        -DPTRWIZ_SANITIZE=ON -DUNIT_TESTING=OFF >/dev/null
cmake --build "$build" --target fuzzers -j"$(nproc)" >/dev/null

export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
        for src in "$root"/fuzz/fuzz_*.c; do
                n=$(basename "$src" .c)
                names+=("${n#fuzz_}")
        done
fi

# Seeds beside fuzz/corpus/NAME that are in the repo anyway.
extra_seeds() {
        case $1 in
        bounce) echo "$root/tests/bounce" ;;
        esac
}

failed=()
for name in "${names[@]}"; do
        bin=$build/fuzz/fuzz_$name
        seeds=$root/fuzz/corpus/$name
        [ -x "$bin" ] && [ -d "$seeds" ] || {
                echo "fuzz.sh: no target or corpus for '$name'" >&2
                exit 2
        }
        mkdir -p "$out/corpus/$name" "$out/crash"
        # shellcheck disable=SC2207
        dirs=("$seeds" $(extra_seeds "$name"))
        log=$out/$name.log
        printf '%-12s replay %3d seeds, ' "$name" "$(find "${dirs[@]}" -type f | wc -l)"
        if ! "$bin" -runs=0 "${dirs[@]}" >"$log" 2>&1; then
                echo "FAILED (see $log)"
                failed+=("$name")
                continue
        fi
        printf 'fuzz %ss: ' "$secs"
        if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
                -artifact_prefix="$out/crash/$name-" -print_final_stats=1 \
                "$out/corpus/$name" "${dirs[@]}" >"$log" 2>&1; then
                grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | awk '{printf "%s runs, ", $2}'
                grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print "coverage " $2 " edges"}'
        else
                echo "FAILED"
                grep -E '^(==[0-9]+==ERROR|SUMMARY|.*property failed|.*runtime error)' "$log" | head -5
                crash=$(grep -o "$out/crash/$name-[^ ]*" "$log" | head -1)
                [ -n "$crash" ] && echo "  replay: $bin $crash"
                failed+=("$name")
        fi
done
if [ ${#failed[@]} -gt 0 ]; then
        echo "fuzz.sh: failed: ${failed[*]}" >&2
        exit 1
fi
echo "fuzz.sh: ${#names[@]} targets clean"
