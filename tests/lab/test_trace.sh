#!/usr/bin/env bash
# The delegation trace in the lab: every row of scenarios-trace.tsv (and a
# few healthy ones) through `ptrwiz trace --json` and `ptrwiz check --json`
# (with its trace), the codes, the deadlines, the dig-like text, exit codes,
# the cache,
# and the network paths a zone file cannot make (TC=1 then TCP, replies
# with a wrong id, malformed bytes, FORMERR to EDNS) with lab-hostile on
# 127.53.250.1-4 (test_faults.sh has the rest of its tricks).
# shellcheck disable=SC2016 # jq programs are single-quoted on purpose
set -u
src=${PTRWIZ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${LAB_DIR:-}" ]; then
        exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
fi
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
hints=(--root-hints "$LAB_ROOT_HINTS")
# The NS address cache of ptrwiz trace lives in the lab, never in $HOME.
export XDG_CACHE_HOME=$LAB_DIR/trace-cache
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }


. "$src/tests/lab/codes.sh" # codes_of, info_of, csv, codes_match

TRACE_DEADLINE=5000 CHECK_DEADLINE=8000

# One scenario through ptrwiz trace, which reads the one diagnosis (the
# check run with its trace): the row's verdict and codes, as check gives
# them, and the trace's own codes among them.
run_trace_scenario() { # IP OPTIONS VERDICT CODES WHAT
        local ip=$1 opts=$2 verdict=$3 want=$4 what=$5 out rc t0 wall got info got_verdict want_rc
        t0=$(now_ms)
        # shellcheck disable=SC2086
        out=$("$ptrwiz" trace --json --timeout 1000 --deadline $TRACE_DEADLINE "${hints[@]}" \
                --trust-anchor "$LAB_TRUST_ANCHOR" $opts "$ip" 2>&1)
        rc=$?
        wall=$(($(now_ms) - t0))
        got=$(codes_of <<<"$out" 2>/dev/null) || got="(no JSON: ${out:0:300})"
        info=$(info_of <<<"$out" 2>/dev/null)
        got_verdict=$(jq -r .verdict <<<"$out" 2>/dev/null)
        want_rc=0
        [ "$verdict" = fail ] && want_rc=1
        if [ "$got_verdict" != "$verdict" ] || ! codes_match "$want" "$got" "$info" || [ $rc -ne $want_rc ]; then
                bad "trace $ip $what: want $verdict [$want] rc $want_rc, got $got_verdict [$got] +[$info] rc $rc"
                jq -c '.findings' <<<"$out" 2>/dev/null | head -c 1500
                echo
        else
                ok "trace $ip $what: $got_verdict [$got] in $wall ms"
        fi
}

# The same through check, which runs the trace beside its own lookups: the
# row's verdict and codes, and the trace in the JSON. No --timeout of ours:
# it is libunbound's too, and with 1000 ms it may time out on a blackhole
# before it tries the other server.
run_check_scenario() { # IP OPTIONS VERDICT CODES WHAT
        local ip=$1 opts=$2 verdict=$3 want=$4 what=$5 out t0 wall got info ncuts got_verdict
        t0=$(now_ms)
        # shellcheck disable=SC2086
        out=$("$ptrwiz" check --json --deadline $CHECK_DEADLINE "${hints[@]}" \
                --trust-anchor "$LAB_TRUST_ANCHOR" $opts "$ip" 2>/dev/null)
        wall=$(($(now_ms) - t0))
        got=$(codes_of <<<"$out" 2>/dev/null)
        info=$(info_of <<<"$out" 2>/dev/null)
        got_verdict=$(jq -r .verdict <<<"$out" 2>/dev/null)
        ncuts=$(jq '.trace | length' <<<"$out" 2>/dev/null)
        if [ "$got_verdict" != "$verdict" ] || ! codes_match "$want" "$got" "$info"; then
                bad "check $ip $what: want $verdict [$want], got $got_verdict [$got] +[$info]"
        elif [ "${ncuts:-0}" -lt 4 ]; then
                bad "check $ip $what: no trace in the JSON (${ncuts:-none} cuts)"
        else
                ok "check $ip $what: $got_verdict [$got] with $ncuts zone cuts in $wall ms"
        fi
}

# The lab's delegation scenarios (scenarios-trace.tsv), and others whose
# delegation the trace must find nothing wrong with.
scenarios() {
        grep -v -e '^#' -e '^ip'$'\t' "$src/tests/lab/scenarios-trace.tsv"
        cat <<'EOF'
198.18.1.10	-	pass	-	a healthy /24, every server agrees
198.18.2.70	-	pass	+PTR_CNAME_CLASSLESS	RFC 2317 classless delegation, followed into 64/26
3fff:0:0:1::10	-	pass	-	IPv6 nibble zones
198.18.5.1	-	fail	DNSSEC_BOGUS	DNSSEC-bogus zone, healthy delegation
198.18.10.1	-	fail	PTR_MISSING,+NEGATIVE_CACHE	no --expect-ns: nothing wrong with the delegation
EOF
}

while IFS=$'\t' read -r ip opts verdict want what; do
        [ -n "$ip" ] || continue
        [ "$opts" = - ] && opts=
        run_trace_scenario "$ip" "$opts" "$verdict" "$want" "$what"
        run_check_scenario "$ip" "$opts" "$verdict" "$want" "$what"
done < <(scenarios)

# ------------------------------------------------------------- details

trace_json() { "$ptrwiz" trace --json --timeout 1000 "${hints[@]}" "$@" 2>/dev/null; }

expect_jq() { # WHAT FILTER JSON: FILTER must print true
        if [ "$(jq -r "$2" <<<"$3" 2>/dev/null)" = true ]; then ok "$1"; else bad "$1"; fi
}

out=$(trace_json 198.18.1.10)
expect_jq "1.10: six zone cuts from the root, the answer followed" \
        '[.trace[].zone] == [".","arpa.","in-addr.arpa.","198.in-addr.arpa.","18.198.in-addr.arpa.","1.18.198.in-addr.arpa."] and .final.data == ["mail.example.com."]' "$out"
expect_jq "1.10: every server of the last cut asked, with serial and RTT" \
        '[.trace[-1].servers[] | select(.result == "answer" and .aa and .serial == 2024061501 and .rtt_ms >= 0)] | length == 2' "$out"

out=$(trace_json 198.18.2.70)
expect_jq "2.70: the CNAME leads into 64/26.2.18.198.in-addr.arpa." \
        '.trace[-1].zone == "64/26.2.18.198.in-addr.arpa." and .trace[-1].via_cname and .final.data == ["classless.example.com."]' "$out"
# The /24 servers' CNAME reply carries the /26's delegation (NSD puts it in
# the authority section): the trace takes it and does not ask the /24 again.
expect_jq "2.70: the /24 is asked once, the /26 entered from its CNAME reply" \
        '([.trace[] | select(.zone == "2.18.198.in-addr.arpa.")] | length == 1) and .trace[-2].zone == "2.18.198.in-addr.arpa." and .trace[-1].parent == "2.18.198.in-addr.arpa."' "$out"

out=$(trace_json 198.18.7.1)
expect_jq "7.1: the live server answers, the dead one times out" \
        '[.trace[-1].servers[].result] | sort == ["answer","timeout"]' "$out"
expect_jq "7.1: the finding names the dead server and the parent who must act" \
        '.findings[0].message | test("ns1.blackhole.example.net.")' "$out"
# The answer and the live server's rows were in before the dead one's
# timeout: settled_ms says when (the time to the verdict but for that row).
expect_jq "7.1: settled before the dead server's timeout ended the trace" \
        '.settled_ms > 0 and .settled_ms < .trace_elapsed_ms' "$out"
# The verdict so far: the check evaluated with the silent server counted as
# silent, before its timeout; the final verdict agrees.
expect_jq "7.1: the verdict so far (fail) came before the dead server's timeout" \
        '.so_far_verdict == "fail" and .verdict == "fail" and .so_far_ms > 0 and .so_far_ms < .trace_elapsed_ms' "$out"
txt=$("$ptrwiz" trace --timeout 1000 "${hints[@]}" 198.18.7.1 2>&1)
grep -q "^;; the verdict was known after [0-9]* ms, counting the servers that had not answered by then as silent; the rest was waiting for their timeouts$" <<<"$txt" &&
        ok "7.1 text: says when the verdict was known, and what the rest waited for" || bad "7.1 text: no so-far line"
txt=$("$ptrwiz" trace --timeout 1000 "${hints[@]}" 198.18.1.10 2>&1)
grep -q "the rest was waiting" <<<"$txt" && bad "1.10 text: a settled line without a silent server" ||
        ok "1.10 text: no silent server, no settled line"
expect_jq "1.10: no verdict so far without a silent server" \
        '.so_far_ms == null and .so_far_verdict == null' "$(trace_json 198.18.1.10)"
# The resolver may pick the silent server first and wait for it (up to
# 1000 ms here, unknown-server-time-limit); the trace's answer stands in for
# its PTR then, so the verdict so far never waits for it. Eight runs: the
# resolver's pick is random.
late=0
for _ in 1 2 3 4 5 6 7 8; do
        out=$("$ptrwiz" check --json "${hints[@]}" 198.18.7.1 2>/dev/null)
        [ "$(jq -r '.so_far_verdict == "fail" and .so_far_ms < .elapsed_ms / 2' <<<"$out")" = true ] ||
                late=$((late + 1))
done
[ "$late" = 0 ] && ok "7.1 check: the verdict so far never waits for the resolver's pick of the silent server" ||
        bad "7.1 check: the verdict so far came late (or not at all) in $late of 8 runs"
# On a terminal, check and trace say the verdict so far on stderr at once;
# piped, nothing. The dead server, and on a loaded machine maybe another
# that answers a moment later, have not answered yet.
so_far_re='^ptrwiz: verdict so far, after [0-9]+ ms: fail \(DELEGATION_UNREACHABLE; who: zone operator\); (1 server has|[2-9] servers have) not answered yet, the final verdict waits up to [0-9.]+ s for (it|them)'
for cmd in check trace; do
        txt=$(script -qec "$ptrwiz $cmd --timeout 1000 --root-hints $LAB_ROOT_HINTS 198.18.7.1 >/dev/null" /dev/null | tr -d '\r')
        grep -qE "$so_far_re" <<<"$txt" && ok "7.1 $cmd on a terminal: the verdict so far on stderr" ||
                bad "7.1 $cmd on a terminal: no verdict so far: $txt"
        txt=$("$ptrwiz" $cmd --timeout 1000 "${hints[@]}" 198.18.7.1 2>&1 >/dev/null)
        grep -q "so far" <<<"$txt" && bad "7.1 $cmd piped: a verdict so far on stderr" ||
                ok "7.1 $cmd piped: no verdict-so-far line"
done

out=$(trace_json 198.18.8.1)
expect_jq "8.1: both serials and both PTRs are named" \
        '.findings[0].message | test("2024061508") and test("2024030108") and test("old-mail8")' "$out"

# The check starts the forward lookups on the trace's PTR names, which may
# be the other server's: only the resolver's PTR names are checked. (Without
# that, 2 in 8 runs checked both names; 16 runs miss it 1 time in 100.)
kept=0
for _ in $(seq 16); do
        out=$("$ptrwiz" check --json --timeout 1000 "${hints[@]}" 198.18.8.1 2>/dev/null)
        [ "$(jq -r '(.forward | keys) == (.ptr | sort)' <<<"$out")" = true ] && kept=$((kept + 1))
done
if [ $kept = 16 ]; then ok "8.1: forward lookups of the resolver's PTR names only"; else bad "8.1: forward names not the PTR's in $((16 - kept)) of 16"; fi

out=$(trace_json --expect-ns ns1.dnsprovider.example.org 198.18.10.1)
expect_jq "10.1: says where it IS delegated, and that the provider has the record" \
        '.findings[0].message | test("ns1.isp.example.net.") and test("does answer PTR mail10.example.com.")' "$out"
expect_jq "10.1: the fix names the IP block holder" \
        '.findings[0].fix | test("ISP or hosting provider")' "$out"

# Round trips that depend on each other (counted by the trace, not timed):
# 4.18.198's NS names are glueless, and their AAAA goes out beside their A
# once the walk is in example.net., so it adds no round trip of its own (13
# when it waited for the A answer).
out=$(trace_json --no-cache 198.18.4.1)
expect_jq "4.1 cold: 12 dependent round trips (the glueless AAAA beside the A)" '.round_trips == 12' "$out"
out=$(trace_json --no-cache 198.18.2.70)
expect_jq "2.70 cold: 17 dependent round trips (the classless CNAME not asked again)" '.round_trips == 17' "$out"

# A deadline shorter than the timeout ends the trace, with a finding.
t0=$(now_ms)
out=$("$ptrwiz" trace --json --timeout 2000 --deadline 300 "${hints[@]}" 198.18.4.1 2>/dev/null)
wall=$(($(now_ms) - t0))
expect_jq "4.1 with --deadline 300: TRACE_LIMIT, incomplete, no false UNREACHABLE" \
        '([.findings[].code | select(test("^(DELEGATION_|TRACE_)"))] == ["TRACE_LIMIT"]) and (.complete == false)' "$out"
# The findings say the deadline ended it (without it the 2000 ms timeouts
# would give UNREACHABLE); how long that took is the machine's, not a verdict.
echo "info: 4.1 with --deadline 300 ended in $wall ms"
# Cut while 7.1's dead server is still waited for (its wait is 1750 ms at
# least): the limit names it, and that the zone's other server answered.
out=$("$ptrwiz" trace --json --deadline 1000 "${hints[@]}" 198.18.7.1 2>/dev/null)
expect_jq "7.1 with --deadline 1000: TRACE_LIMIT names the server given up, whose zone's other server answered" \
        '[.findings[] | select(.code == "TRACE_LIMIT") | .message | test("given up: ns1\\.blackhole\\.example\\.net\\. \\(127\\.53\\.8\\.1\\) of 7\\.18\\.198\\.in-addr\\.arpa\\. after [0-9]+ ms \\(another server of the zone answered\\)")] == [true]' "$out"

# ------------------------------------------------------------- text

txt=$("$ptrwiz" trace --timeout 1000 "${hints[@]}" 198.18.6.1 2>&1)
if grep -qE '^;; Received [0-9]+ bytes from 127\.53\.6\.1#53\(ns1\.rdns\.example\.net\) in [0-9]+ ms$' <<<"$txt" &&
        grep -qP '^6\.18\.198\.in-addr\.arpa\.\t\d+\tIN\tNS\tns1\.oldhost\.example\.org\.$' <<<"$txt" &&
        grep -q '^;; zone 6.18.198.in-addr.arpa.' <<<"$txt" &&
        grep -q 'refused: does not serve 6.18.198.in-addr.arpa. (REFUSED)' <<<"$txt" && grep -q '^error   DELEGATION_LAME' <<<"$txt"; then
        ok "text: dig-style records and Received lines, the server table, the finding"
else
        bad "text output of 6.1 is not as expected"
        echo "$txt" | head -40
fi
# The lab's PTR with an escape sequence in it never reaches the terminal raw,
# and reads the same in every part of the text (each byte escaped once: a
# second escape would show evil\\027) and in the JSON's strings.
out=$("$ptrwiz" trace --timeout 1000 "${hints[@]}" 198.18.1.17 2>&1)
if grep -q $'[\033\007]' <<<"$out"; then
        bad "trace text: raw control bytes in the output"
elif grep -qF 'evil\\' <<<"$out"; then
        bad "trace text: the PTR is escaped twice: $(grep -F 'evil\\' <<<"$out" | head -1)"
elif [ "$(grep -cF 'evil\027[31mred\007' <<<"$out")" -ge 3 ]; then
        ok "trace text: hostile PTR bytes escaped once (records, table, final)"
else
        bad "trace text: the escaped PTR is missing"
        echo "$out" | grep -F evil
fi
out=$("$ptrwiz" trace --json --timeout 1000 "${hints[@]}" 198.18.1.17 2>&1)
expect_jq "trace --json: hostile PTR bytes escaped once" \
        '.final.data == ["evil\\027[31mred\\007.example.com."] and ([.. | strings | select(test("evil\\\\\\\\"))] | length == 0)' "$out"

# ------------------------------------------------------------- usage

expect_rc() { # WANT WHAT CMD...
        local want=$1 what=$2 rc
        shift 2
        "$@" >/dev/null 2>&1
        rc=$?
        if [ $rc -eq "$want" ]; then ok "$what: exit $rc"; else bad "$what: exit $rc, want $want"; fi
}
expect_rc 0 "trace --help" "$ptrwiz" trace --help
expect_rc 2 "trace without an address" "$ptrwiz" trace "${hints[@]}"
expect_rc 2 "trace of a host name" "$ptrwiz" trace "${hints[@]}" mail.example.com
expect_rc 2 "trace --expect-ns with a bad name" "$ptrwiz" trace "${hints[@]}" --expect-ns 'a b' 198.18.1.10
expect_rc 2 "trace --deadline 0" "$ptrwiz" trace "${hints[@]}" --deadline 0 198.18.1.10
expect_rc 2 "check --expect-ns with a bad name" "$ptrwiz" check "${hints[@]}" --expect-ns 'a b' 198.18.1.10
expect_rc 3 "trace with missing root hints" "$ptrwiz" trace --root-hints /nonexistent 198.18.1.10
# A root where nothing listens: no answer, nobody to blame, so no verdict.
printf '. 3600000 NS nowhere.root.\nnowhere.root. 3600000 A 127.53.250.9\n' >"$LAB_DIR/nowhere.hints"
expect_rc 3 "trace with an unreachable root" "$ptrwiz" trace --root-hints "$LAB_DIR/nowhere.hints" 198.18.1.10
out=$("$ptrwiz" trace --json --root-hints "$LAB_DIR/nowhere.hints" 198.18.1.10 2>/dev/null)
expect_jq "an unreachable root: verdict unknown, the server and the final result unreachable" \
        '.verdict == "unknown" and .trace[0].servers[0].result == "unreachable" and .final.result == "unreachable"' "$out"
out=$("$ptrwiz" trace --root-hints "$LAB_DIR/nowhere.hints" 198.18.1.10 2>/dev/null)
if grep -q '^;; final: unreachable' <<<"$out" && ! grep -q 'final: timeout' <<<"$out"; then
        ok "an unreachable root: the text says 'final: unreachable'"
else
        bad "an unreachable root: $(grep 'final:' <<<"$out")"
fi
# Options may follow the target, as for check.
out=$("$ptrwiz" trace 198.18.1.10 --json --timeout 1000 "${hints[@]}" 2>&1)
expect_jq "trace IP --json: options after the target are taken" '.final.data == ["mail.example.com."]' "$out"
expect_rc 2 "trace with two addresses" "$ptrwiz" trace 198.18.1.10 198.18.1.11 "${hints[@]}"

# ------------------------------------------------------------- the cache

export XDG_CACHE_HOME=$LAB_DIR/trace-cache-fresh
q1=$(trace_json 198.18.9.1 | jq .queries)
q2=$(trace_json 198.18.9.1 | jq .queries)
q3=$(trace_json --no-cache 198.18.9.1 | jq .queries)
if ls "$XDG_CACHE_HOME"/ptrwiz/ns-cache-* >/dev/null 2>&1 && [ "$q2" -lt "$q1" ] && [ "$q3" -eq "$q1" ]; then
        ok "cache: $q1 queries cold, $q2 with cached NS addresses, $q3 with --no-cache"
else
        bad "cache: $q1 cold, $q2 warm, $q3 --no-cache; $(ls -l "$XDG_CACHE_HOME/ptrwiz" 2>&1)"
fi
out=$(trace_json 198.18.13.1)
expect_jq "cache: the glueless cycle is still found with a warm cache" \
        '[.findings[].code | select(test("^(DELEGATION_|TRACE_)"))] == ["DELEGATION_LOOP"]' "$out"

# --------------------------------------------------- the fake server

# A tiny world of lab-hostile (tools/hostile.c): two roots that answer every
# PTR themselves, each name its own way, and a child zone.
#   1.2.0.192: a reply with a wrong id, then TC=1; the answer over TCP
#   2.2.0.192: bytes that are not DNS, with the right id
#   3.2.0.192: a reply from another address (.2) first, then the real one
#   4.2.0.192: REFUSED
#   5.2.0.192: FORMERR to a query with EDNS, the answer without
#   6.2.0.192: NXDOMAIN from .1 at once; from the second root (.3), later, a
#              referral to a child zone on .4, which has the PTR
# Anything else: NXDOMAIN (.1) or REFUSED (.3, .4), after a pause on .3.
fake_dir=$LAB_DIR/fake
mkdir -p "$fake_dir"
printf '. 3600000 NS fake.root.\nfake.root. 3600000 A 127.53.250.1\n' >"$fake_dir/hints"
printf '. 3600000 NS fake2.root.\nfake2.root. 3600000 A 127.53.250.3\n' >>"$fake_dir/hints"
cat >"$fake_dir/root1.zone" <<'ZONE'
. SOA fake.root. hostmaster.fake.root. 1 3600 600 86400 300
. NS fake.root.
fake.root. A 127.53.250.1
1.2.0.192.in-addr.arpa. PTR tcp.example.
3.2.0.192.in-addr.arpa. PTR real.example.
5.2.0.192.in-addr.arpa. PTR noedns.example.
ZONE
echo '3.2.0.192.in-addr.arpa. PTR spoofed.example.' >"$fake_dir/other.zone"
cat >"$fake_dir/root2.zone" <<'ZONE'
. SOA fake2.root. hostmaster.fake.root. 1 3600 600 86400 300
. NS fake2.root.
fake2.root. A 127.53.250.3
6.2.0.192.in-addr.arpa. NS child.fake2.root.
child.fake2.root. A 127.53.250.4
ZONE
cat >"$fake_dir/child.zone" <<'ZONE'
6.2.0.192.in-addr.arpa. SOA child.fake2.root. hostmaster.fake.root. 1 3600 600 86400 300
6.2.0.192.in-addr.arpa. NS child.fake2.root.
6.2.0.192.in-addr.arpa. PTR found.example.
ZONE
cat >"$fake_dir/hostile.conf" <<CONF
zone 127.53.250.1 $fake_dir/root1.zone
zone 127.53.250.2 $fake_dir/other.zone
zone 127.53.250.3 $fake_dir/root2.zone
zone 127.53.250.4 $fake_dir/child.zone
rule 127.53.250.1 1.2.0.192.in-addr.arpa. wrong-id tc
rule 127.53.250.1 2.2.0.192.in-addr.arpa. garbage
rule 127.53.250.1 3.2.0.192.in-addr.arpa. from=127.53.250.2 answer
rule 127.53.250.1 4.2.0.192.in-addr.arpa. rcode=REFUSED
rule 127.53.250.1 5.2.0.192.in-addr.arpa. formerr-edns
rule 127.53.250.3 6.2.0.192.in-addr.arpa. delay=50 answer
rule 127.53.250.3 * delay=50 rcode=REFUSED
CONF
# shellcheck source=hostile.sh
. "$src/tests/lab/hostile.sh"
hostile_start "$fake_dir/hostile.conf" || bad "lab-hostile did not start"

fake() { "$ptrwiz" trace --json --no-cache --timeout 600 --root-hints "$fake_dir/hints" "$@" 2>/dev/null; }
out=$(fake 192.0.2.6)
expect_jq "fake 2.6: a root server denies, the other delegates: the delegation is followed" \
        '.final.data == ["found.example."] and (.trace | length) == 2 and .trace[1].zone == "6.2.0.192.in-addr.arpa."' "$out"
out=$(fake 192.0.2.1)
expect_jq "fake 2.1: a wrong id is ignored and counted, TC=1 is retried over TCP" \
        '.trace[0].servers[0] as $s | $s.result == "answer" and $s.tcp and $s.answer == ["tcp.example."] and .ignored_replies >= 1 and ($s.ignored | test("^ignored [0-9]+ repl(y|ies) with a wrong id$"))' "$out"
out=$(fake 192.0.2.2)
expect_jq "fake 2.2: bytes that are not DNS are 'malformed'" \
        '.trace[0].servers[0].result == "malformed"' "$out"
out=$(fake 192.0.2.3)
expect_jq "fake 2.3: a reply from another address is not taken" \
        '.trace[0].servers[0].answer == ["real.example."]' "$out"
out=$(fake 192.0.2.4)
expect_jq "fake 2.4: REFUSED" '.trace[0].servers[0].result == "refused"' "$out"
out=$(fake 192.0.2.5)
expect_jq "fake 2.5: FORMERR to EDNS, asked again without it" \
        '.trace[0].servers[0].answer == ["noedns.example."]' "$out"
hostile_stop

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
