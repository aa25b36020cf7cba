#!/usr/bin/env bash
# shellcheck disable=SC2016,SC2001 # eval and bash -c get single-quoted code on purpose
# Monitoring outputs, the caches that matter, blocklists (issue 16), on the
# lab: --format nagios (status lines, perfdata, exit codes) and prometheus
# (read by a strict parser of the text format), --dnsbl against the lab's
# DNSBL zone (listed, error codes never "listed"), --watch seeing a fix and
# stopping with --until-pass, Ctrl-C ending a watch with the last status,
# and --resolver-view showing two lab resolvers' cached NXDOMAIN after the
# fix with the seconds they have left.
set -u
src=${PTRWIZ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${LAB_DIR:-}" ]; then
        LAB_VIEW_RESOLVERS=1 exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
fi
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
lab=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR")
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { # check WHAT COMMAND...: ok when the command succeeds
        local what=$1
        shift
        if "$@"; then ok "$what"; else bad "$what"; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -n "${LAB_VIEW_RESOLVERS:-}" ] || { echo "FAIL: no LAB_VIEW_RESOLVERS"; exit 1; }

# ---------------------------------------------------------------- nagios
# One status line "PTRWIZ STATE - text | perfdata", perfdata as
# label=value[UOM];warn;crit;min;max. Prints the state; checks the syntax.
nagios_line() {
        local line=$1 perf
        [[ $line =~ ^PTRWIZ\ (OK|WARNING|CRITICAL|UNKNOWN)\ -\ [^|]+(\ \|\ (.*))?$ ]] || return 1
        echo "${BASH_REMATCH[1]}"
        perf=${BASH_REMATCH[3]}
        for p in $perf; do
                [[ $p =~ ^[a-z_]+=[0-9.]+(s|%|B|c)?\;[0-9.]*\;[0-9.]*\;[0-9.]*(\;[0-9.]*)?$ ]] || return 1
        done
}
nagios_case() { # nagios_case WANT_RC WANT_STATE TARGET...
        local want_rc=$1 want=$2 out rc state
        shift 2
        out=$("$ptrwiz" check --quick "${lab[@]}" --format nagios "$@" 2>/dev/null)
        rc=$?
        state=$(nagios_line "$(head -1 <<<"$out")")
        if [ $rc = "$want_rc" ] && [ "$state" = "$want" ]; then
                ok "nagios $*: $want, exit $rc: $(head -1 <<<"$out")"
        else
                bad "nagios $*: want $want exit $want_rc, got '$state' exit $rc: $out"
        fi
}
nagios_case 0 OK 198.18.1.10
nagios_case 1 WARNING 198.18.1.15
nagios_case 2 CRITICAL 198.18.1.11
nagios_case 3 UNKNOWN --bogus-option 198.18.1.10
nagios_case 3 UNKNOWN --root-hints /nonexistent 198.18.1.10
out=$("$ptrwiz" check --quick "${lab[@]}" --format nagios 198.18.1.10 198.18.1.11 198.18.1.15 2>/dev/null)
check "nagios, 3 targets: a summary line, then one line per target, worst first" \
        test "$(sed 's/ - .*//' <<<"$out" | paste -sd' ')" = "PTRWIZ CRITICAL CRITICAL WARNING OK"
perf=$(head -1 <<<"$out" | sed 's/.* | //')
check "nagios perfdata: time in seconds and the query count ($perf)" \
        grep -Eq '^time=[0-9]+\.[0-9]{3}s;;;0 queries=[1-9][0-9]*;;;0 ok=1;;;0 warning=1;;;0 critical=1;;;0 unknown=0;;;0$' <<<"$perf"
check "nagios target lines carry the codes" grep -q '^CRITICAL - 198.18.1.11: .*(PTR_MISSING)$' <<<"$out"
out=$("$ptrwiz" check --quick "${lab[@]}" --format nagios --dnsbl dnsbl.example.org 198.18.1.13 2>/dev/null)
check "nagios text is one line, escaped, without '|' ahead of the perfdata" \
        test "$(wc -l <<<"$out")" = 1 -a "$(tr -cd '|' <<<"$out")" = "|"
check "nagios text has no raw control bytes" bash -c '! LC_ALL=C grep -q "[[:cntrl:]]" <<<"$1"' _ "$out"

# ------------------------------------------------------------ prometheus
prom=$("$ptrwiz" check --quick "${lab[@]}" --format prometheus 198.18.1.10 198.18.1.11 198.18.1.15 \
        2>/dev/null)
rc=$?
check "prometheus: exit 1 (a target fails)" test $rc = 1
if parsed=$(perl "$src/tests/lab/prom-parse.pl" <<<"$prom"); then
        ok "prometheus output parses ($(wc -l <<<"$parsed") samples)"
else
        bad "prometheus output does not parse: $parsed"
        echo "$prom" | head -40
fi
for want in 'ptrwiz_check_status{target="198.18.1.10",ip="198.18.1.10"} 0' \
        'ptrwiz_check_status{target="198.18.1.11",ip="198.18.1.11"} 2' \
        'ptrwiz_check_status{target="198.18.1.15",ip="198.18.1.15"} 1' \
        'ptrwiz_finding{target="198.18.1.11",ip="198.18.1.11",code="PTR_MISSING",severity="error"} 1' \
        'ptrwiz_finding{target="198.18.1.15",ip="198.18.1.15",code="PTR_GENERIC",severity="warning"} 1' \
        'ptrwiz_check_success{target="198.18.1.10",ip="198.18.1.10"} 1'; do
        check "prometheus has $want" grep -qxF "$want" <<<"$parsed"
done
for fam in ptrwiz_check_status ptrwiz_finding ptrwiz_check_duration_seconds ptrwiz_check_queries; do
        check "prometheus: HELP and TYPE gauge for $fam" \
                grep -qx "# TYPE $fam gauge" <<<"$prom"
done
out=$("$ptrwiz" check --quick "${lab[@]}" --format prometheus --dnsbl dnsbl.example.org 198.18.1.13 \
        2>/dev/null | perl "$src/tests/lab/prom-parse.pl")
check "prometheus: a blocklist listing is a finding" grep -qxF \
        'ptrwiz_finding{target="198.18.1.13",ip="198.18.1.13",code="DNSBL_LISTED",severity="error"} 1' <<<"$out"
# Label values escaped per the format: a target with a quote and a backslash.
printf '198.18.1.10\n' >"$tmp/list"
out=$("$ptrwiz" check --quick "${lab[@]}" --format prometheus 'no"such\host.example.com' 2>/dev/null)
check "prometheus: a label value with \" and \\ is escaped and parses" \
        perl "$src/tests/lab/prom-parse.pl" <<<"$out"

printf '198.18.1.10\nnot-an-ip!\n' >"$tmp/badlist"
out=$("$ptrwiz" check --quick "${lab[@]}" --format prometheus --file "$tmp/badlist" 2>/dev/null)
rc=$?
check "prometheus: a bad line in a list is exit 2, the good lines' metrics stay" \
        eval 'test $rc = 2 && grep -q "^ptrwiz_check_status{target=\"198.18.1.10\"" <<<"$out"'
out=$("$ptrwiz" check --quick "${lab[@]}" --format nagios --file "$tmp/badlist" 2>/dev/null)
rc=$?
check "nagios: a bad line in a list is UNKNOWN, exit 3" \
        eval 'test $rc = 3 && grep -q "^PTRWIZ UNKNOWN - " <<<"$out"'

# ----------------------------------------------------------------- dnsbl
dnsbl() { "$ptrwiz" check --quick --json "${lab[@]}" --dnsbl dnsbl.example.org "$@" 2>/dev/null; }
codes() { jq -r '[.findings[].code | select(startswith("DNSBL"))] | join(",")'; }
out=$(dnsbl 198.18.1.10)
check "dnsbl: 198.18.1.10 is DNSBL_LISTED" test "$(codes <<<"$out")" = DNSBL_LISTED
check "dnsbl: with the list's reason text" \
        grep -q 'Listed by the lab DNSBL: spam trap hits' <<<"$(jq -r '.findings[].message' <<<"$out")"
check "dnsbl: the verdict is fail" test "$(jq -r .verdict <<<"$out")" = fail
for ip in 198.18.1.16 198.18.1.18 198.18.1.15; do
        out=$(dnsbl "$ip")
        check "dnsbl: $ip ($(jq -r '.dnsbl[0].a[0]' <<<"$out")) is 'could not check', not listed" \
                test "$(codes <<<"$out")" = DNSBL_UNCHECKED
done
out=$(dnsbl 198.18.1.16)
check "dnsbl: the refusal names the public-resolver code" \
        grep -q '127.255.255.254' <<<"$(jq -r '.findings[].message' <<<"$out")"
check "dnsbl: 198.18.1.11 is not listed (NXDOMAIN)" test "$(dnsbl 198.18.1.11 | codes)" = ""
check "dnsbl: without --dnsbl no list is asked" \
        test "$("$ptrwiz" check --quick --json "${lab[@]}" 198.18.1.10 | jq -r 'has("dnsbl")')" = false
noraw() { ! LC_ALL=C grep -q $'\033\|\007' <<<"$1"; }
out=$("$ptrwiz" check --quick "${lab[@]}" --dnsbl dnsbl.example.org 198.18.1.13 2>&1)
check "dnsbl text: the hostile reason is shown escaped" \
        eval 'noraw "$out" && grep -qF "evil\027[31mreason\007 here" <<<"$out"'
out=$("$ptrwiz" check --quick --json "${lab[@]}" --dnsbl dnsbl.example.org 198.18.1.13 2>&1)
check "dnsbl json: the hostile reason is shown escaped" \
        eval 'noraw "$out" && jq -r ".findings[].message" <<<"$out" | grep -qF "evil\027[31mreason"'

check "dnsbl: a bad zone name is exit 2" \
        bash -c '"$1" check --quick --dnsbl "bad..zone" 198.18.1.10 2>/dev/null; test $? = 2' _ "$ptrwiz"

# ------------------------------------ warm the resolvers, watch, the fix
IFS=, read -r view1 view2 <<<"$LAB_VIEW_RESOLVERS"
for v in "$view1" "$view2"; do
        st=$(dig @"$v" +time=2 +tries=2 -x 198.18.2.9 | sed -n 's/.*status: \([A-Z]*\).*/\1/p')
        check "the resolver at $v has 198.18.2.9's NXDOMAIN cached before the fix" test "$st" = NXDOMAIN
done
"$ptrwiz" check --quick "${lab[@]}" --watch 1 --until-pass 198.18.2.9 >"$tmp/watch" 2>"$tmp/watch.err" &
watch_pid=$!
wait_for() { # wait_for TENTHS COMMAND...: polls until the command succeeds
        local i n=$1
        shift
        for ((i = 0; i < n; i++)); do
                "$@" && return 0
                sleep 0.1
        done
        return 1
}
running() { kill -0 "$1" 2>/dev/null; }
wait_for 600 test -s "$tmp/watch"
check "watch: the first run is printed with an ISO timestamp" \
        grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z 198.18.2.9: fail: PTR_MISSING' "$tmp/watch"
sleep 2.5 # a few unchanged runs: they must print nothing
check "watch: unchanged runs print nothing" test "$(wc -l <"$tmp/watch")" = 1
# The fix, as a provider makes it: the PTR, and the A record of its name.
. "$src/tests/lab/fix.sh"
lab_fix_ptr 9 watched
if ! wait_for 900 eval '! running $watch_pid'; then
        kill $watch_pid
        bad "watch --until-pass did not stop within 90 s of the fix"
fi
wait $watch_pid
rc=$?
sed 's/^/     | /' "$tmp/watch"
check "watch --until-pass: exit 0 once it passes" test $rc = 0
check "watch: the fix shows as a change of the PTR" \
        grep -Eq 'Z 198.18.2.9: PTR: NXDOMAIN -> watched.example.com.$' "$tmp/watch"
check "watch: and of the verdict" grep -Eq 'Z 198.18.2.9: Check verdict: fail -> pass$' "$tmp/watch"
check "watch: and the finding gone" grep -Eq 'Z 198.18.2.9: Gone: no PTR record' "$tmp/watch"
check "watch: it says it stopped" grep -Eq 'Z passes: watch stopped after [0-9]+ runs$' "$tmp/watch"

out=$(timeout 120 "$ptrwiz" check --quick "${lab[@]}" --watch 1 --until-pass --json 198.18.1.10 2>/dev/null)
rc=$?
check "watch --json --until-pass on a passing address: one JSON line, exit 0" \
        eval 'test $rc = 0 && test "$(jq -r "[.first, .verdict, .ip] | join(\" \")" <<<"$out")" = "true pass 198.18.1.10"'

# -------------------------------------------------- the resolvers' view
out=$("$ptrwiz" check --quick --json "${lab[@]}" --resolver-view "$LAB_VIEW_RESOLVERS" 198.18.2.9 2>/dev/null)
check "resolver view: ptrwiz itself sees the fix" test "$(jq -r '.ptr[0]' <<<"$out")" = watched.example.com.
for k in 0 1; do
        v=$(jq -c ".resolver_view[$k]" <<<"$out")
        check "resolver view $k: $(jq -r .resolver <<<"$v") still holds the old NXDOMAIN" \
                test "$(jq -r '.status + " " + (.stale|tostring)' <<<"$v")" = "NXDOMAIN true"
        left=$(jq -r .ttl_left <<<"$v")
        check "resolver view $k: for $left s more (0 < left < 3600: the negative TTL, counting down)" \
                test "$left" -gt 0 -a "$left" -lt 3600
        check "resolver view $k: in words: $(jq -r .text <<<"$v")" \
                grep -q "will forget the old NXDOMAIN in [0-9]* minutes" <<<"$(jq -r .text <<<"$v")"
done
text=$("$ptrwiz" check --quick "${lab[@]}" --resolver-view "$LAB_VIEW_RESOLVERS" 198.18.2.9 2>/dev/null)
check "resolver view in the text report, both resolvers" \
        test "$(grep -c '^;; the resolver at 127.53.255.5[45] will forget the old NXDOMAIN' <<<"$text")" = 2
out=$("$ptrwiz" check --quick --json "${lab[@]}" --resolver-view "$view1" 198.18.1.10 2>/dev/null)
check "resolver view of a PTR: the record and its TTL, not stale" \
        test "$(jq -r '.resolver_view[0] | .status + " " + .ptr[0] + " " + (.stale|tostring) + " " + (.ttl_left > 0 | tostring)' <<<"$out")" = "NOERROR mail.example.com. false true"
out=$("$ptrwiz" check --quick --json "${lab[@]}" --timeout 1000 --resolver-view 127.53.8.1 198.18.1.10 2>/dev/null)
# --timeout caps libunbound's wait per server: it gives the silent one up
# (SERVFAIL), or the check's deadline cuts the lookup first (TIMEOUT).
check "resolver view of a dead resolver: could not be asked, no TTL" \
        grep -Eqx "(SERVFAIL|TIMEOUT) null" <<<"$(jq -r '.resolver_view[0] | .status + " " + (.ttl_left|tostring)' <<<"$out")"
check "resolver view: a bad address is exit 2" \
        bash -c '"$1" check --quick --resolver-view 127.53.255.54,nonsense 198.18.1.10 2>/dev/null; test $? = 2' _ "$ptrwiz"

# ------------------------------------------------ Ctrl-C ends a watch
"$ptrwiz" check --quick "${lab[@]}" --watch 1 198.18.1.11 >"$tmp/watch2" 2>&1 &
watch_pid=$!
wait_for 600 test -s "$tmp/watch2"
kill -INT $watch_pid
wait_for 600 eval '! running $watch_pid' || kill -KILL $watch_pid
wait $watch_pid
rc=$?
check "watch: SIGINT ends it with the last run's status (fail: 1), got $rc" test $rc = 1
check "watch: it says it was interrupted" grep -q 'Z interrupted after [0-9]* run' "$tmp/watch2"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
