#!/usr/bin/env bash
# Bulk checks against silent servers (issue 12): how long until ptrwiz stops
# and how much memory it holds, in the lab.
#
#   bench/silent.sh             the table: wall time, max RSS (GNU time), results
#   PTRWIZ=path/to/ptrwiz       the binary (default build/ptrwiz)
#   PTRWIZ_BASE=path            a second binary to compare (e.g. an older build)
#   MASSIF=1                    also the peak heap under valgrind massif (slow)
#
# Cases:
#   silent-root   root hints naming the lab's blackholes (nothing upstream
#                 answers, as behind a firewall that drops DNS): a /20 and a
#                 /18, with and without --quick
#   dead-zone     a list of 198.18.4.0/24 (delegated to the blackholes, the
#                 root answers) repeated: 4096 addresses --quick --timeout
#                 300, 1024 with the trace and --timeout 1000
# Every case runs under a 300 s guard ("guard" in the exit column: it did
# not end by itself). Not a test: it always exits 0 when it could measure.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${LAB_DIR:-}" ]; then
        export PTRWIZ=${PTRWIZ:-$src/build/ptrwiz}
        exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/silent.hints" <<'HINTS'
.                   3600000 NS a.root-servers.net.
.                   3600000 NS b.root-servers.net.
a.root-servers.net. 3600000 A  127.53.8.1
b.root-servers.net. 3600000 A  127.53.8.2
HINTS
for i in $(seq 16); do echo 198.18.4.0/24; done >"$tmp/dead4096"
for i in $(seq 4); do echo 198.18.4.0/24; done >"$tmp/dead1024"
silent="--root-hints $tmp/silent.hints --trust-anchor $LAB_TRUST_ANCHOR"
lab="--root-hints $LAB_ROOT_HINTS --trust-anchor $LAB_TRUST_ANCHOR"

cases() { # NAME ADDRESSES ARGS
        echo "silent-root-/20 4096 $silent --json 198.18.0.0/20"
        echo "silent-root-/20-quick 4096 $silent --quick --json 198.18.0.0/20"
        echo "silent-root-/18-quick-t300 16384 $silent --quick --json --timeout 300 198.18.0.0/18"
        echo "dead-zone-quick-t300 4096 $lab --quick --json --timeout 300 --file $tmp/dead4096"
        echo "dead-zone-trace-t1000 1024 $lab --json --timeout 1000 --file $tmp/dead1024"
}

measure() { # BIN NAME N ARGS...
        local bin=$1 name=$2 n=$3 start rc wall rss results peak=-
        shift 3
        start=$(date +%s%N)
        # time outside the guard, so that a run the guard ends is measured too
        /usr/bin/time -f '%M' -o "$tmp/time" timeout 300 "$bin" check "$@" >"$tmp/out" 2>"$tmp/err"
        rc=$?
        wall=$(awk -v ns=$(($(date +%s%N) - start)) 'BEGIN { printf "%.2f", ns / 1e9 }')
        rss=$(tail -n 1 "$tmp/time")
        [ $rc -eq 124 ] && rc=guard
        results=$(grep -c '"verdict"' "$tmp/out")
        if [ -n "${MASSIF:-}" ]; then
                timeout 900 valgrind --tool=massif --massif-out-file="$tmp/massif" "$bin" check "$@" \
                        >/dev/null 2>&1
                peak=$(awk -F= '/^mem_heap_B=/ { if ($2 > m) m = $2 } END { printf "%d", m / 1024 }' \
                        "$tmp/massif")
        fi
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(basename "$bin")" "$name" "$n" "$wall" "$rc" \
                "$rss" "$peak" "$results"
}

printf 'binary\tcase\taddresses\twall_s\texit\tmax_rss_kb\tpeak_heap_kb\tresults\n'
while read -r name n args; do
        for bin in $PTRWIZ ${PTRWIZ_BASE:-}; do
                # shellcheck disable=SC2086 # args are words
                measure "$bin" "$name" "$n" $args
        done
done < <(cases)
exit 0
