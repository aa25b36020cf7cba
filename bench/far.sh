#!/usr/bin/env bash
# Far servers (issue 11): how long a cold `ptrwiz check` takes when every
# authoritative server of the lab is LAB_DELAY_MS away (default 300: a mail
# server in overseas hosting and its reverse zone), with default options.
# Each run is a fresh process, so libunbound's cache and the trace's start
# cold; the trace's NS cache is off (XDG_CACHE_HOME in the lab dir).
#
#   bench/far.sh [IP...]     default 198.18.1.10 (signed chain) 198.18.2.70 (RFC 2317)
#   BENCH_RUNS=N             timed runs of each (default 3)
#   LAB_DELAY_MS=MS          the delay (default 300)
#   PTRWIZ=path/to/ptrwiz    the binary (default build/ptrwiz)
#
# Prints per run the wall ms and the JSON's elapsed_ms, verdict and queries
# of `check --quick` (libunbound alone), `check` (lookups and trace beside
# them) and `trace --no-cache` (the trace alone); then the median wall.
# Not a test: it always exits 0 when it could measure.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
runs=${BENCH_RUNS:-3}
if [ -z "${LAB_DIR:-}" ]; then
        export LAB_DELAY_MS=${LAB_DELAY_MS:-300}
        PTRWIZ=$ptrwiz LAB_TOOL_DIR=${LAB_TOOL_DIR:-$src/build/tests/labtools} \
                exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
fi
[ $# -eq 0 ] && set -- 198.18.1.10 198.18.2.70
lab=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR")
export XDG_CACHE_HOME=$LAB_DIR/bench-cache
now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "-") }'; }

echo "delay ${LAB_DELAY_MS:-0} ms per reply, $runs cold runs each, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf '%-14s %-6s %8s %10s %-5s %s\n' ip mode wall_ms elapsed_ms verd queries
for ip in "$@"; do
        for mode in quick check trace; do
                : >"$LAB_DIR/walls"
                for ((i = 1; i <= runs; i++)); do
                        case $mode in
                        quick) cmd=(check --json --quick) ;;
                        check) cmd=(check --json) ;;
                        trace) cmd=(trace --json --no-cache) ;;
                        esac
                        t0=$(now_ms)
                        json=$("$ptrwiz" "${cmd[@]}" "${lab[@]}" "$ip" 2>/dev/null)
                        wall=$(($(now_ms) - t0))
                        echo "$wall" >>"$LAB_DIR/walls"
                        read -r ems verdict queries < <(jq -r '[.elapsed_ms, .verdict, .queries] | @tsv' <<<"$json")
                        printf '%-14s %-6s %8s %10s %-5s %s\n' "$ip" $mode "$wall" "$ems" "$verdict" "$queries"
                done
                echo "$ip $mode: median wall $(median <"$LAB_DIR/walls") ms"
        done
done
