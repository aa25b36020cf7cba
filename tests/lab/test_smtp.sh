#!/usr/bin/env bash
# ptrwiz smtp-test against the lab's real receiving Postfix
# (LAB_WITH_POSTFIX=1, see README.md): a sender without a PTR is rejected
# with Postfix's own 450/550 and classified as reverse DNS, a passing one is
# accepted (also with --data), a PTR without a matching A passes one Postfix
# check and not the other, a fixed zone is still rejected while the
# receiver's resolver answers from its negative cache and accepted once the
# negative TTL ptrwiz predicted has run out; exit codes and bad usage.
set -u
src=${PTRWIZ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${LAB_DIR:-}" ]; then
        if [ "$(id -u)" != 0 ]; then
                echo "skip: the lab's Postfix needs root (it switches to the postfix user)"
                exit 0
        fi
        command -v postfix >/dev/null || {
                echo "FAIL postfix is not installed (scripts/deps.sh installs it)"
                exit 1
        }
        LAB_WITH_POSTFIX=1 exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
fi
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
lab=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi; }

# smtp SOURCE TO [ARGS...]: the JSON result in $tmp/out.json, the exit status in rc.
smtp() {
        local source=$1 to=$2
        shift 2
        "$ptrwiz" smtp-test "${lab[@]}" --json --source "$source" --helo mail25.example.com \
                --from ptrwiz@example.com --to "$to" "$@" >"$tmp/out.json" 2>"$tmp/err"
        rc=$?
}
field() { jq -r "$1" "$tmp/out.json"; }

# ------------------------------------------------------------ rejected: no PTR
smtp 198.18.25.11 postmaster@ptr.example.com
expect "no PTR, reverse check: exit 1" "$rc" 1
expect "no PTR: verdict" "$(field .verdict)" rejected_reverse_dns
expect "no PTR: Postfix's own reply" "$(field .reply)" \
        "450 4.7.1 Client host rejected: cannot find your reverse hostname, [198.18.25.11]"
expect "no PTR: class" "$(field .class)" ptr_missing
expect "no PTR: at RCPT TO" "$(field .stage)" "RCPT TO"
expect "no PTR: from the source asked for" "$(field .source_ip)" 198.18.25.11
expect "no PTR: the MX was used" "$(field .server_ip)" "$LAB_MX_PTR"
expect "STARTTLS was used" "$(field .tls)" true
grep -q "still rejects for reverse DNS (Postfix 450 4.7.1" <<<"$(field .summary)" &&
        ok "summary says reverse DNS" || bad "summary: $(field .summary)"

smtp 198.18.25.11 postmaster@fcrdns.example.com
expect "no PTR, full check: 550 5.7.25" "$(field '"\(.code) \(.enhanced_code) \(.verdict)"')" \
        "550 5.7.25 rejected_reverse_dns"

# A PTR whose name has no address: only reject_unknown_client_hostname minds.
smtp 198.18.25.12 postmaster@ptr.example.com
expect "PTR without A, reverse check: accepted" "$rc $(field .verdict)" "0 accepted"
smtp 198.18.25.12 postmaster@fcrdns.example.com
expect "PTR without A, full check: rejected for reverse DNS" "$rc $(field .verdict)" \
        "1 rejected_reverse_dns"

# ------------------------------------------------------------ accepted
smtp 198.18.25.10 postmaster@ptr.example.com
expect "passing PTR: exit 0" "$rc" 0
expect "passing PTR: accepted at RCPT TO" "$(field '"\(.verdict) \(.stage)"')" "accepted RCPT TO"
smtp 198.18.25.10 postmaster@fcrdns.example.com --data
expect "passing PTR, --data: accepted at the end of DATA" \
        "$rc $(field '"\(.verdict) \(.stage)"')" "0 accepted end of DATA"
grep -q "queued as" <<<"$(field .reply)" && ok "the message was queued" || bad "reply: $(field .reply)"

# ------------------------------------------------------------ the transcript
out=$("$ptrwiz" smtp-test "${lab[@]}" --source 198.18.25.11 --helo mail25.example.com \
        --to postmaster@ptr.example.com)
rc=$?
expect "text: exit 1" "$rc" 1
grep -q '^;; ptr.example.com MX 10 mx-ptr.example.com.$' <<<"$out" && ok "text: the MX" ||
        bad "text: no MX line"
grep -q '^;; -> RCPT TO:<postmaster@ptr.example.com>$' <<<"$out" && ok "text: our command" ||
        bad "text: no RCPT line"
grep -q '^450 4.7.1 Client host rejected: cannot find your reverse hostname, \[198.18.25.11\]$' \
        <<<"$out" && ok "text: the reply verbatim" || bad "text: no verbatim reply"
grep -q '^;; VERDICT: rejected (reverse DNS)$' <<<"$out" && ok "text: verdict" ||
        bad "text: no verdict"
grep -q '^;; NEXT: ptrwiz check 198.18.25.11' <<<"$out" && ok "text: next step" ||
        bad "text: no next step"
# Only comments and the server's replies: every other line starts with a code.
expect "text: dig-style lines" "$(grep -cvE '^(;|[2-5][0-9][0-9][ -]|$)' <<<"$out")" 0

# ------------------------------------------------------------ could not connect, bad usage
"$ptrwiz" smtp-test "${lab[@]}" --server 127.53.25.9 --to a@b.example >/dev/null 2>&1
expect "nothing listening: exit 3" "$?" 3
"$ptrwiz" smtp-test "${lab[@]}" --to postmaster@nxdomain.example.com >/dev/null 2>&1
expect "no such domain: exit 3" "$?" 3
"$ptrwiz" smtp-test "${lab[@]}" --source 198.18.99.1 --to postmaster@ptr.example.com \
        >"$tmp/o" 2>&1
expect "source not on this machine: exit 3" "$?" 3
grep -q "not an address of this machine" "$tmp/o" && ok "the source is named" ||
        bad "source error: $(cat "$tmp/o")"
# A receiver whose STARTTLS is broken (lab-badtls: 220 to STARTTLS, then
# bytes that are not TLS): as an MTA with opportunistic TLS, the test
# connects again in the clear and gets its answer; not "could not connect".
"$LAB_TOOL_DIR/lab-badtls" 127.53.25.30 >"$tmp/badtls.log" 2>&1 &
badtls=$!
for _ in $(seq 600); do grep -qs '^ready$' "$tmp/badtls.log" && break; sleep 0.05; done # hang guard
"$ptrwiz" smtp-test "${lab[@]}" --json --server 127.53.25.30 --helo mail25.example.com \
        --from ptrwiz@example.com --to postmaster@badtls.example >"$tmp/out.json" 2>"$tmp/err"
rc=$?
kill $badtls 2>/dev/null
expect "broken STARTTLS: accepted in the clear, exit 0" "$rc $(field .verdict) $(field .tls)" \
        "0 accepted false"
grep -q "connecting again without STARTTLS" "$tmp/out.json" &&
        ok "broken STARTTLS: the transcript says it tried again without it" ||
        bad "broken STARTTLS: $(head -c 600 "$tmp/out.json")"
grep -q "the handshake failed" <<<"$(field .tls_info)" && ok "broken STARTTLS: tls_info says so" ||
        bad "broken STARTTLS: tls_info $(field .tls_info)"

# -6 toward a receiver with only IPv4 addresses: nothing to connect to,
# said as such; -4 reaches it as without.
"$ptrwiz" smtp-test "${lab[@]}" -6 --to postmaster@ptr.example.com >"$tmp/o" 2>&1
expect "-6, the MX has only A records: exit 3" "$?" 3
grep -q "the receiver has no address of the family asked for (IPv6)" "$tmp/o" &&
        ok "-6: says no IPv6 address" || bad "-6: $(grep -v '^;; ' "$tmp/o" | head -3)"
smtp 198.18.25.11 postmaster@ptr.example.com -4
expect "-4 with an IPv4 source: rejected as without" "$rc $(field .server_ip)" "1 $LAB_MX_PTR"
for args in "" "--to nobody" "--to a@b --server host:99999" "--to a@b --source 1.2.3" \
        "--to a@b --smtp-timeout 0" "--to a@b extra" "--to a@b -4 --source 3fff:0:0:1::11"; do
        # shellcheck disable=SC2086 # the words are the test
        "$ptrwiz" smtp-test $args >/dev/null 2>"$tmp/e"
        rc=$?
        expect "bad usage '$args': exit 2, one line" "$rc $(wc -l <"$tmp/e")" "2 1"
done
"$ptrwiz" smtp-test --to $'evil\033[31m@x' 2>"$tmp/e" >/dev/null
grep -q $'\033' "$tmp/e" && bad "the error is not escaped" || ok "the error is escaped"

# ------------------------------------------------------------ the negative cache
# ptrwiz predicts how long the receiver's resolver may keep the missing
# PTR; the receiver (its own unbound) must go on rejecting while its cache
# says NXDOMAIN, then accept.
pred=$("$ptrwiz" check --quick --json "${lab[@]}" 198.18.25.13)
neg=$(jq -r .negative_ttl <<<"$pred")
expect "ptrwiz predicts the negative TTL" "$neg" 20
expect "prediction: NEGATIVE_CACHE" "$(jq -r '[.findings[].code] | index("NEGATIVE_CACHE") != null' <<<"$pred")" true
smtp 198.18.25.13 postmaster@ptr.example.com
expect "before the fix: rejected" "$(field .verdict)" rejected_reverse_dns
cached() { dig @"$LAB_RESOLVER" +tries=1 +time=5 -x 198.18.25.13 | grep -q 'status: NXDOMAIN'; }
cached && ok "the receiver's resolver has cached NXDOMAIN" || bad "no NXDOMAIN in the receiver's cache"
# The fix: the PTR goes into the zone, both servers reload it.
zone=$LAB_DIR/zones/25.18.198.in-addr.arpa.zone
sed -i 's/2024062501/2024062502/' "$zone"
echo '13 3600 PTR fixed25.example.com.' >>"$zone"
for id in rdns1 rdns2; do kill -HUP "$(cat "$LAB_DIR/run/nsd-$id.pid")"; done
t_fix=$(date +%s)
served=0
for _ in $(seq 600); do # hang guard, not a timing
        if dig @127.53.6.1 +norec +short -x 198.18.25.13 | grep -q fixed25 &&
                dig @127.53.6.2 +norec +short -x 198.18.25.13 | grep -q fixed25; then
                served=1
                break
        fi
        sleep 0.1
done
expect "both servers serve the fix" "$served" 1
after=$("$ptrwiz" check --quick --json "${lab[@]}" 198.18.25.13 | jq -r .verdict)
expect "ptrwiz sees the fix at once (no cache of its own)" "$after" pass
# While the receiver's resolver answers NXDOMAIN both before and after a
# test, that test was answered from the cache: it must be rejected.
seen_cached=0
for _ in $(seq 120); do
        cached || break
        smtp 198.18.25.13 postmaster@ptr.example.com
        v=$(field .verdict)
        if cached; then
                seen_cached=1
                expect "fixed, still in the receiver's negative cache: rejected" "$v" \
                        rejected_reverse_dns
                break
        fi
done
[ $seen_cached = 1 ] || echo "info: the cached answer ran out before a test could see it"
accepted=0
for _ in $(seq 120); do # hang guard: the negative TTL is 20 s
        smtp 198.18.25.13 postmaster@ptr.example.com
        if [ "$(field .verdict)" = accepted ]; then
                accepted=1
                break
        fi
        sleep 1
done
expect "accepted once the negative TTL ran out" "$accepted" 1
echo "info: accepted $(($(date +%s) - t_fix)) s after the fix; ptrwiz predicted up to $neg s"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
