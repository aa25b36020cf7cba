#!/usr/bin/env bash
# Bulk checks against silent servers. When nothing upstream answers (root
# hints that name the lab's blackholes: a firewall that drops DNS), a check
# of a /20 stops early by itself: one error line, nothing on stdout, exit 3,
# in text, JSON and --quick. A dead zone under a live root is not that: its
# addresses are checked and reported as usual. Memory stays bounded (GNU
# time's maximum RSS, a generous bound that only an unbounded buffer
# breaks). A `timeout` is only the hang guard; durations are info lines.
set -u
src=${PTRWIZ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${LAB_DIR:-}" ]; then
        exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
fi
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
export XDG_CACHE_HOME=$LAB_DIR/silent-cache
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

max_rss_kb=131072
[ -n "${ASAN_OPTIONS:-}" ] && max_rss_kb=1048576
gnu_time=/usr/bin/time
[ -x $gnu_time ] || bad "GNU time is missing (bash scripts/deps.sh test installs it)"

# Root hints naming the lab's two blackholes: nothing upstream answers.
cat >"$tmp/silent.hints" <<'HINTS'
.                   3600000 NS a.root-servers.net.
.                   3600000 NS b.root-servers.net.
a.root-servers.net. 3600000 A  127.53.8.1
b.root-servers.net. 3600000 A  127.53.8.2
HINTS
silent=(--root-hints "$tmp/silent.hints" --trust-anchor "$LAB_TRUST_ANCHOR")
lab=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR")

# run NAME ARGS...: ptrwiz check ARGS under the hang guard and GNU time;
# sets rc, rss (KB), ms.
run() {
        local name=$1 start
        shift
        start=$(date +%s%N)
        timeout 150 $gnu_time -f '%M' -o "$tmp/$name.time" "$ptrwiz" check "$@" \
                >"$tmp/$name.out" 2>"$tmp/$name.err"
        rc=$?
        ms=$((($(date +%s%N) - start) / 1000000))
        rss=$(tail -n 1 "$tmp/$name.time" 2>/dev/null)
        case $rss in '' | *[!0-9]*) rss=0 ;; esac
}

# ------------------------------------------------ nothing upstream answers
for mode in "--json" "" "--quick --json"; do
        name=silent${mode// /}
        # shellcheck disable=SC2086 # the mode is words
        run "$name" "${silent[@]}" $mode 198.18.0.0/20
        lines=$(wc -l <"$tmp/$name.err")
        # At most the first result, which says the same, comes before the stop.
        results=$(grep -c 'UPSTREAM_UNREACHABLE' "$tmp/$name.out")
        if [ $rc -eq 3 ] && [ "$lines" -eq 1 ] && [ "$results" -le 1 ] &&
                [ "$(grep -c 'block holder' "$tmp/$name.out")" -eq 0 ] &&
                grep -q 'cannot reach DNS servers' "$tmp/$name.err"; then
                ok "/20 ${mode:-text}, nothing answers: exit 3, one line: $(cat "$tmp/$name.err")"
        else
                bad "/20 ${mode:-text}, nothing answers: exit $rc (124: the hang guard), stdout $(wc -c <"$tmp/$name.out") bytes, $lines lines on stderr: $(head -c 600 "$tmp/$name.err")"
        fi
        [ "$rss" -gt 0 ] && [ "$rss" -le $max_rss_kb ] && ok "/20 ${mode:-text}: max RSS ${rss} KB" ||
                bad "/20 ${mode:-text}: max RSS ${rss} KB (bound $max_rss_kb)"
        echo "info: /20 ${mode:-text} against silence ended after ${ms} ms"
done

# A forwarder that never answers is the same: nothing upstream answers.
run fwd --quick --json --resolver 127.53.8.1 198.18.0.0/22
if [ $rc -eq 3 ] && [ "$(grep -c . "$tmp/fwd.out")" -le 1 ] && [ "$(wc -l <"$tmp/fwd.err")" -eq 1 ] &&
        grep -q 'cannot reach DNS servers' "$tmp/fwd.err"; then
        ok "/22 through a silent --resolver: exit 3, one line"
else
        bad "/22 through a silent --resolver: exit $rc, stdout $(wc -c <"$tmp/fwd.out") bytes, stderr: $(head -c 600 "$tmp/fwd.err")"
fi

# ------------------------------------------------ a dead zone, a live root
# 4.18.198 is delegated to the blackholes: its addresses time out, but the
# root answers, so they are results (exit 1), not "cannot reach DNS".
for mode in "--quick" ""; do
        name=dead${mode// /}
        # shellcheck disable=SC2086
        run "$name" "${lab[@]}" --json --timeout 1500 $mode 198.18.4.0/30 198.18.1.10
        # (with the trace: its servers unreachable; --quick: the lookup failed)
        got=$(jq -r '.ip + ":" + .verdict + ":" + ([.findings[] | select(.code | test("^(RESOLUTION_TIMEOUT|RESOLUTION_SERVFAIL|DELEGATION_UNREACHABLE)$")) | "E"] | unique | join(","))' \
                "$tmp/$name.out" 2>/dev/null | paste -sd' ')
        want="198.18.4.0:fail:E 198.18.4.1:fail:E 198.18.4.2:fail:E 198.18.4.3:fail:E 198.18.1.10:pass:"
        if [ $rc -eq 1 ] && [ "$got" = "$want" ] && ! grep -q 'cannot reach' "$tmp/$name.err"; then
                ok "a dead zone ${mode:-with the trace}: every address a result, exit 1"
        else
                bad "a dead zone ${mode:-with the trace}: exit $rc, got '$got', stderr: $(head -c 400 "$tmp/$name.err")"
        fi
done

# ------------------------------------------------ a slow first target
# A dead address first, then 3072 quick ones: the window fills behind the
# slow one and drains once it is in; every result comes, in input order.
{ echo 198.18.4.1; for i in 1 2 3; do echo 198.18.20.0/22; done; } >"$tmp/slowfirst.list"
# (The default timeout: the others are done long before the dead one.)
run slowfirst "${lab[@]}" --quick --json --file "$tmp/slowfirst.list"
want=$({ echo 198.18.4.1; for i in 1 2 3; do for t in 20 21 22 23; do for l in $(seq 0 255); do
        echo 198.18.$t.$l; done; done; done; } | md5sum)
got=$(jq -r .ip "$tmp/slowfirst.out" | md5sum)
[ $rc -eq 1 ] && [ "$got" = "$want" ] && ok "a slow first target, 3072 behind it: 3073 results in order" ||
        bad "a slow first target: exit $rc (124: the hang guard), $(grep -c . "$tmp/slowfirst.out") results"

# ------------------------------------------------ bounded memory
# 2048 addresses of the dead zone: a window of them in flight, each printed
# and freed in order.
for i in $(seq 8); do echo 198.18.4.0/24; done >"$tmp/dead.list"
run deadlist "${lab[@]}" --quick --json --timeout 300 --file "$tmp/dead.list"
# (Timeouts, or SERVFAIL once libunbound holds the servers for dead.)
n=$(grep -c '"verdict":"fail"' "$tmp/deadlist.out")
[ $rc -eq 1 ] && [ "$n" -eq 2048 ] && ok "2048 dead addresses: 2048 failed results, exit 1" ||
        bad "2048 dead addresses: exit $rc, $n failed results"
[ "$rss" -gt 0 ] && [ "$rss" -le $max_rss_kb ] && ok "2048 dead addresses: max RSS ${rss} KB" ||
        bad "2048 dead addresses: max RSS ${rss} KB (bound $max_rss_kb)"
echo "info: 2048 dead addresses (--quick --timeout 300) in ${ms} ms"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
