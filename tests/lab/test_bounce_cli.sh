#!/usr/bin/env bash
# ptrwiz bounce on the real binary: the report and --json for corpus samples,
# the exit codes (0 reverse DNS, 1 something else, 2 bad usage) and the
# one-line error for an unreadable file. Pure text analysis: no DNS, so this
# needs no lab namespace.
set -u
src=${PTRWIZ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
corpus=$src/tests/bounce
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi; }
# The sample without its "# source/expect" header block.
body() { awk 'f { print; next } /^$/ { f = 1 }' "$corpus/$1"; }

body gmail_550_5.7.1_postfix_dsn.txt >"$tmp/gmail.eml"
body gmail_550_5.1.1_unknown_user_postfix_log.txt >"$tmp/nouser.log"

# ------------------------------------------------------------ the report
out=$("$ptrwiz" bounce "$tmp/gmail.eml")
expect "reverse DNS: exit 0" "$?" 0
grep -q '^Receiving system: Gmail' <<<"$out" && ok "report names Gmail" || bad "report: $out"
grep -q '^Sending IP: *198.51.100.23' <<<"$out" && ok "report names the IP" || bad "report IP"
grep -q '^Next step: *run: ptrwiz check 198.51.100.23' <<<"$out" && ok "next step" ||
        bad "next step: $out"

# ------------------------------------------------------------ --json and stdin
json=$("$ptrwiz" bounce --json - <"$tmp/gmail.eml")
expect "--json from stdin: exit 0" "$?" 0
expect "one line of JSON" "$(wc -l <<<"$json")" 1
expect "json class" "$(jq -r .class <<<"$json")" ptr_missing
expect "json provider" "$(jq -r .provider <<<"$json")" gmail
expect "json smtp_code" "$(jq -r .smtp_code <<<"$json")" 550
expect "json enhanced_code" "$(jq -r .enhanced_code <<<"$json")" 5.7.1
expect "json ip" "$(jq -r .ip <<<"$json")" 198.51.100.23
expect "json ips has the receiver" "$(jq -r '.ips | index("108.177.112.27") != null' <<<"$json")" true

json=$("$ptrwiz" bounce --json "$tmp/nouser.log")
expect "not reverse DNS: exit 1" "$?" 1
expect "json problem" "$(jq -r .problem <<<"$json")" unknown_user
expect "json reverse_dns" "$(jq -r .reverse_dns <<<"$json")" false

# ------------------------------------------------------------ every sample
for f in "$corpus"/*.txt; do
        name=$(basename "$f")
        want=$(grep -ao 'reverse_dns=[a-z]*' "$f" | head -1 | cut -d= -f2)
        body "$name" >"$tmp/sample"
        "$ptrwiz" bounce --json "$tmp/sample" >"$tmp/out"
        rc=$?
        got=$(jq -r .reverse_dns "$tmp/out" 2>/dev/null)
        wantrc=1
        [ "$want" = true ] && wantrc=0
        if [ "$got" = "$want" ] && [ "$rc" = "$wantrc" ]; then
                ok "$name"
        else
                bad "$name: reverse_dns $got exit $rc, want $want exit $wantrc"
        fi
done

# ------------------------------------------------------------ hostile input
head -c 20000000 /dev/zero | tr '\0' 'x' >"$tmp/big"
out=$("$ptrwiz" bounce "$tmp/big")
expect "20 MB: exit 1" "$?" 1
grep -q 'only the first 1048576 bytes of 20000000' <<<"$out" && ok "20 MB: says what was read" ||
        bad "20 MB note: $out"
# Endless input: reading stops at the cap and says so. timeout is only the
# hang guard (124 means it never ended), not a verdict on speed.
timeout 60 bash -c 'yes | "$0" bounce' "$ptrwiz" >"$tmp/o" 2>&1
rc=$?
[ "$rc" != 124 ] && ok "yes | ptrwiz bounce ends" || bad "yes | ptrwiz bounce never ended"
expect "yes |: exit 1 (not recognised)" "$rc" 1
grep -q 'reading stopped after 1048576 bytes' "$tmp/o" && ok "yes |: says reading stopped" ||
        bad "yes | note: $(tail -3 "$tmp/o")"
timeout 60 "$ptrwiz" bounce /dev/zero >"$tmp/o" 2>&1
rc=$?
[ "$rc" != 124 ] && ok "bounce /dev/zero ends" || bad "bounce /dev/zero never ended"
grep -q 'reading stopped after 1048576 bytes' "$tmp/o" && ok "/dev/zero: says reading stopped" ||
        bad "/dev/zero note: $(tail -3 "$tmp/o")"
timeout 60 "$ptrwiz" bounce --json /dev/zero >"$tmp/o" 2>&1
expect "/dev/zero --json: truncated" "$(jq -r .truncated "$tmp/o")" true

# The receiver's address is never "ip" in --json; the sending host is a candidate.
printf '%s\n' 'Reporting-MTA: dns; mail.example.net' '' 'Remote-MTA: dns; mx.example.org' \
        'Diagnostic-Code: smtp; 550 5.7.25 host mx.example.org[192.0.2.80] said: no PTR record' \
        >"$tmp/rcv"
json=$("$ptrwiz" bounce --json "$tmp/rcv")
expect "receiver only: json ip is null" "$(jq -r .ip <<<"$json")" null
expect "receiver only: candidate name" "$(jq -r '.candidates[0].name' <<<"$json")" mail.example.net
expect "receiver only: candidate how" "$(jq -r '.candidates[0].how' <<<"$json")" reporting_mta_name
expect "receiver only: receiver listed" "$(jq -r '.receivers[0].ip' <<<"$json")" 192.0.2.80
grep -q 'run: ptrwiz check mail.example.net' <<<"$(jq -r .next_step <<<"$json")" &&
        ok "receiver only: next step checks the name" || bad "receiver only next step: $json"

printf '\033]52;c;aGVsbG8=\007550 5.7.1 \033[31m[192.0.2.9] no PTR record\n' >"$tmp/esc"
out=$("$ptrwiz" bounce "$tmp/esc")
if printf '%s' "$out" | grep -q $'\033'; then bad "escape bytes reached the terminal"; else
        ok "escape bytes are escaped"; fi

# ------------------------------------------------------------ bad usage
"$ptrwiz" bounce "$tmp/does-not-exist" >"$tmp/o" 2>"$tmp/e"
expect "missing file: exit 2" "$?" 2
expect "missing file: one line" "$(wc -l <"$tmp/e")" 1
grep -q "does-not-exist" "$tmp/e" && ok "missing file: named" || bad "error: $(cat "$tmp/e")"
"$ptrwiz" bounce "$tmp" >/dev/null 2>"$tmp/e"
expect "a directory: exit 2" "$?" 2
"$ptrwiz" bounce --frobnicate >/dev/null 2>&1
expect "unknown option: exit 2" "$?" 2
"$ptrwiz" bounce a b >/dev/null 2>&1
expect "two inputs: exit 2" "$?" 2
"$ptrwiz" bounce --help | grep -q '^usage: ptrwiz bounce' && ok "--help" || bad "--help"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
