#!/usr/bin/env bash
# With the lab's root hints (or a lab forwarder), ptrwiz sends to lab
# addresses only: nothing falls back to the real root servers. Every
# address ptrwiz connects or sends to is read from strace; one outside
# 127.0.0.0/8 (the lab) fails the test. The lab has no route out, so a
# stray packet goes nowhere, but the syscall that would send it shows.
set -u
src=${PTRWIZ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${LAB_DIR:-}" ]; then
        exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
fi
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
export XDG_CACHE_HOME=$LAB_DIR/outside-cache
lab=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR")
d=$LAB_DIR/outside
mkdir -p "$d"
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

command -v strace >/dev/null || {
        echo "FAIL strace is not installed (scripts/deps.sh test)"
        exit 1
}

# traced NAME CMD...: runs CMD under strace; its exit status in $rc, its
# stderr in $d/NAME.err, every destination address in $d/NAME.addrs.
traced() {
        local name=$1
        shift
        # LeakSanitizer cannot run under ptrace: the sanitizer suite's other
        # tests check leaks; here only the addresses matter.
        ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 timeout -k 5 120 strace -f -qq -e trace=connect,sendto,sendmsg,sendmmsg -e signal=none \
                -o "$d/$name.strace" "$@" >"$d/$name.out" 2>"$d/$name.err" </dev/null
        rc=$?
        # strace writes sockaddrs as inet_addr("A.B.C.D") and
        # inet_pton(AF_INET6, "X", ...); AF_UNIX and netlink are not the network.
        { grep -o 'inet_addr("[^"]*")' "$d/$name.strace" | sed 's/.*("\(.*\)")/\1/'
          grep -o 'inet_pton(AF_INET6, "[^"]*"' "$d/$name.strace" | sed 's/.*, "\(.*\)"/\1/'
        } | sort -u >"$d/$name.addrs"
}

# Addresses outside the lab: not 127/8, not ::1, not ::ffff:127/104.
outside() {
        grep -v -E '^(127\.|::1$|::ffff:127\.)' "$d/$1.addrs"
}

# expect_inside NAME WHAT: nothing outside the lab, and something inside
# when want_some is set (so a trace that sent nothing cannot pass).
expect_inside() {
        local name=$1 what=$2 out
        out=$(outside "$name" | head -5 | paste -sd' ' -)
        if [ -n "$out" ]; then
                bad "$what: sent outside the lab: $out (rc $rc)"
        elif [ "${want_some:-1}" = 1 ] && ! grep -q '^127\.53\.' "$d/$name.addrs"; then
                bad "$what: no lab address seen either (strace saw nothing?), rc $rc: $(head -c 300 "$d/$name.err")"
        else
                ok "$what: lab addresses only (rc $rc)"
        fi
}

# The usual runs, with the trace.
traced check "$ptrwiz" check --deadline 6000 "${lab[@]}" 198.18.1.10 198.18.1.11 198.18.1.15 198.18.2.70 198.18.4.1
expect_inside check "check of five lab addresses with their traces"
traced trace "$ptrwiz" trace "${lab[@]}" 198.18.1.10
expect_inside trace "trace"
traced bulk "$ptrwiz" check --quick "${lab[@]}" 198.18.2.0/28
expect_inside bulk "check --quick of a /28"

# Hints without an NS for the root: libunbound used its built-in (real)
# root servers. Now an error, and nothing is sent at all.
printf '; no records\n' >"$d/no-ns.hints"
want_some=0 traced no-ns "$ptrwiz" check --root-hints "$d/no-ns.hints" 198.18.1.10
want_some=0 expect_inside no-ns "hints without root NS"
[ $rc -eq 3 ] && ok "hints without root NS: exit 3" || bad "hints without root NS: exit $rc"
# libunbound takes the first NS owner as the hints' zone: another zone's
# NS first, then the root's, also fell back to the real root.
{ printf 'example. 3600 IN NS a.root-servers.net.\n'; cat "$LAB_ROOT_HINTS"; } >"$d/other-first.hints"
traced other-first "$ptrwiz" check --root-hints "$d/other-first.hints" --trust-anchor "$LAB_TRUST_ANCHOR" 198.18.1.10
expect_inside other-first "hints with another zone's NS first"
[ $rc -eq 0 ] && ok "hints with another zone's NS first: the lab root is used (exit 0)" ||
        bad "hints with another zone's NS first: exit $rc"

# A forwarder: check traced from the real roots. Now the trace is skipped
# and check says so; with --root-hints too the trace starts there.
traced fwd "$ptrwiz" check --resolver "$LAB_RESOLVER" 198.18.1.10
expect_inside fwd "check --resolver (no --quick)"
grep -q '^ptrwiz: check: no trace: --resolver 127\.53\.255\.53 answers the lookups' "$d/fwd.err" &&
        ok "check --resolver: says there is no trace" || bad "check --resolver: stderr $(cat "$d/fwd.err")"
[ $rc -eq 0 ] && ok "check --resolver: exit 0" || bad "check --resolver: exit $rc"
traced fwd-hints "$ptrwiz" check --resolver "$LAB_RESOLVER" --root-hints "$LAB_ROOT_HINTS" 198.18.1.10
expect_inside fwd-hints "check --resolver --root-hints"
grep -q 'the delegation trace starts from the root hints' "$d/fwd-hints.err" &&
        ok "check --resolver --root-hints: says where the trace starts" ||
        bad "check --resolver --root-hints: stderr $(cat "$d/fwd-hints.err")"
grep -q '^;; zone 1\.18\.198\.in-addr\.arpa\.' "$d/fwd-hints.out" &&
        ok "check --resolver --root-hints: the trace ran" || bad "no trace in: $(head -c 600 "$d/fwd-hints.out")"

# trace --resolver was accepted and ignored: the trace went to the real root.
want_some=0 traced trace-fwd "$ptrwiz" trace --resolver "$LAB_RESOLVER" 198.18.1.10
want_some=0 expect_inside trace-fwd "trace --resolver"
[ $rc -eq 2 ] && grep -q 'trace: --resolver does not apply' "$d/trace-fwd.err" &&
        ok "trace --resolver without root hints: refused (exit 2)" ||
        bad "trace --resolver: exit $rc, $(cat "$d/trace-fwd.err")"
traced trace-fwd-hints "$ptrwiz" trace --resolver "$LAB_RESOLVER" --root-hints "$LAB_ROOT_HINTS" 198.18.1.10
expect_inside trace-fwd-hints "trace --resolver --root-hints"
grep -q 'trace: --resolver is not used: the trace starts from the root hints' "$d/trace-fwd-hints.err" &&
        ok "trace --resolver --root-hints: says --resolver is not used" ||
        bad "trace --resolver --root-hints: $(cat "$d/trace-fwd-hints.err")"

# The test itself: a run that does reach for the real root is caught.
want_some=0 traced real "$ptrwiz" check --quick --timeout 500 --deadline 2000 198.18.1.10
if [ -n "$(outside real)" ]; then
        ok "the test sees a check from the real root ($(outside real | head -2 | paste -sd' ' -))"
else
        bad "a check from the real root sent nothing outside? $(cat "$d/real.addrs")"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
