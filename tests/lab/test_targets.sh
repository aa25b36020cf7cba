#!/usr/bin/env bash
# Many targets at once, in the lab: a host name (every A/AAAA address, and
# whether the PTR points back to it), CIDR blocks, lists on stdin and in a
# file, the bulk /24 and /22 against the lab's bulk-expect.tsv (verdicts,
# codes and input order), the deadline, non-public addresses, and bad input
# (one line on stderr, exit 2).
set -u
src=${PTRWIZ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${LAB_DIR:-}" ]; then
        exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
fi
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
lab=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
# expect WHAT GOT WANT
expect() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi; }

check() { "$ptrwiz" check --quick "${lab[@]}" "$@" 2>/dev/null; }
# The same with stderr kept.
check2() { "$ptrwiz" check --quick "${lab[@]}" "$@"; }
# One "ip verdict codes" line per result: error/warning codes sorted, info
# codes after a '+'.
summarise() {
        jq -r '[.ip, .verdict,
                ([.findings[] | select(.severity != "info") | .code] | sort | join(",")),
                ([.findings[] | select(.severity == "info") | .code] | join(","))] | @tsv'
}

# ---------------------------------------------------------------- a host name
out=$(check2 --json mx.example.com 2>"$tmp/err")
rc=$?
expect "mx.example.com: addresses in order" "$(jq -r .ip <<<"$out" | paste -sd' ')" \
        "198.18.1.10 198.18.1.13 3fff:0:0:1::10"
expect "mx.example.com: every result names the target" "$(jq -r .target <<<"$out" | sort -u)" \
        mx.example.com
expect "mx.example.com: the PTRs point at mail., not back to mx." \
        "$(jq -r .name_matches <<<"$out" | paste -sd' ')" "false false false"
expect "mx.example.com: 198.18.1.13 fails FCRDNS" \
        "$(jq -r 'select(.ip == "198.18.1.13") | [.findings[].code] | join(",")' <<<"$out")" \
        FCRDNS_MISMATCH
expect "mx.example.com: exit 1 (one address fails)" $rc 1
grep -q '^ptrwiz: 3 checked: 2 pass, 0 warn, 1 fail' "$tmp/err" && ok "mx.example.com: summary on stderr" ||
        bad "mx.example.com: summary: $(cat "$tmp/err")"

out=$(check --json MAIL.example.com.)
expect "mail.example.com: name_matches" "$(jq -r '[.ip, .name_matches] | join(" ")' <<<"$out" | paste -sd,)" \
        "198.18.1.10 true,3fff:0:0:1::10 true"
out=$(check mx.example.com)
grep -q '^;; target mx.example.com: address 2 of 3; the PTR does NOT point back to mx.example.com.$' <<<"$out" &&
        ok "mx.example.com: text names the target" || bad "mx.example.com text: $out"
out=$(check --json nothing-here.example.com 2>/dev/null)
rc=$?
expect "a name without addresses fails" "$(jq -r '[.verdict, .error] | join(": ")' <<<"$out")" \
        "fail: nothing-here.example.com. has no address to check (A: NXDOMAIN, AAAA: NXDOMAIN)"
expect "a name without addresses: exit 1" $rc 1

# ---------------------------------------------------------------- a /28
out=$(check2 --json 198.18.2.0/28 2>"$tmp/err")
want=$(for i in $(seq 0 15); do echo 198.18.2.$i; done | paste -sd' ')
expect "198.18.2.0/28: 16 results in order" "$(jq -r .ip <<<"$out" | paste -sd' ')" "$want"
# Each result is the same as the address checked alone.
alone=$(for i in $(seq 0 15); do check --json 198.18.2.$i; done | summarise)
expect "198.18.2.0/28: the same findings as one by one" "$(summarise <<<"$out")" "$alone"
grep -q '^ptrwiz: 16 checked: ' "$tmp/err" && ok "198.18.2.0/28: summary" || bad "/28 summary: $(cat "$tmp/err")"
out=$(check --json --zone-concurrency 1 --concurrency 3 198.18.2.0/28 | summarise)
expect "198.18.2.0/28 one at a time per zone: same results" "$out" "$alone"
check2 --json 198.18.2.5/28 >/dev/null 2>"$tmp/err"
expect "host bits: a note" "$(cat "$tmp/err" | head -1)" \
        "ptrwiz: note: 198.18.2.5/28 has host bits set: checking the block 198.18.2.0/28"

# ---------------------------------------------------------------- lists
printf '# relays\n\n198.18.1.16   # multi\r\n  198.18.2.0/30\nmail.example.com\n\t# end\n198.18.1.10\n' \
        >"$tmp/list"
want="198.18.1.16 198.18.2.0/30 198.18.2.0 198.18.2.0/30 198.18.2.1 198.18.2.0/30 198.18.2.2 198.18.2.0/30 198.18.2.3 mail.example.com 198.18.1.10 mail.example.com 3fff:0:0:1::10 198.18.1.10"
out=$(check --json - <"$tmp/list")
expect "list on stdin: targets and addresses in order" \
        "$(jq -r '.target + " " + .ip' <<<"$out" | sed 's/^\(\S*\) \1$/\1/' | paste -sd' ')" "$want"
out2=$(check --json --file "$tmp/list")
expect "--file: the same as stdin" "$(summarise <<<"$out2")" "$(summarise <<<"$out")"
out=$(check --json 198.18.1.10 --file "$tmp/list" 198.18.2.1 | jq -r .ip | sed -n '1p;$p' | paste -sd' ')
expect "arguments and --file keep their order" "$out" "198.18.1.10 198.18.2.1"
printf '198.18.1.10\n300.1.2.3\n198.18.0.0/8\n198.18.2.1\n' >"$tmp/badlist"
out=$(check2 --json --file "$tmp/badlist" 2>"$tmp/err")
rc=$?
expect "bad lines: the good ones are checked" "$(jq -r .ip <<<"$out" | paste -sd' ')" "198.18.1.10 198.18.2.1"
expect "bad lines: exit 2" $rc 2
expect "bad lines: FILE:LINE errors" "$(grep -c "^ptrwiz: $tmp/badlist:[23]: '" "$tmp/err")" 2

# ---------------------------------------------------------------- the bulk /24 and /22
expected() { # PREFIX: "ip verdict codes info" from bulk-expect.tsv
        awk -F'\t' -v p="$1" 'index($1, p) == 1 {
                n = split($3, c, ","); codes = ""; info = ""
                for (i = 1; i <= n; i++) {
                        if (c[i] == "-") continue
                        if (substr(c[i], 1, 1) == "+") info = info (info ? "," : "") substr(c[i], 2)
                        else codes = codes (codes ? "," : "") c[i]
                }
                print $1 "\t" $2 "\t" codes "\t" info }' "$LAB_BULK_EXPECT"
}
# Info codes expected must be present; others may be too.
compare_bulk() { # WHAT EXPECTED GOT
        local diffs
        diffs=$(paste "$2" "$3" | awk -F'\t' '
                $1 != $5 || $2 != $6 || $3 != $7 { print; next }
                { n = split($4, w, ","); for (i = 1; i <= n; i++)
                        if (index("," $8 ",", "," w[i] ",") == 0) { print; next } }' | head -5)
        if [ "$(wc -l <"$2")" -eq "$(wc -l <"$3")" ] && [ -z "$diffs" ]; then
                ok "$1: $(wc -l <"$3") results in order, verdicts and codes as expected"
        else
                bad "$1: $(wc -l <"$3") results for $(wc -l <"$2"); first differences (want | got):"
                echo "$diffs"
        fi
}
expected 198.18.20. >"$tmp/want24"
start=$(date +%s%N)
check2 --json 198.18.20.0/24 2>"$tmp/err" | summarise >"$tmp/got24"
ms=$((($(date +%s%N) - start) / 1000000))
compare_bulk "198.18.20.0/24 (${ms} ms)" "$tmp/want24" "$tmp/got24"
expected 198.18.2 >"$tmp/want22"
grep -E '^198\.18\.2[0-3]\.' "$tmp/want22" >"$tmp/want22b"
check --json --concurrency 200 198.18.21.77/22 2>/dev/null | summarise >"$tmp/got22"
compare_bulk "198.18.20.0/22 at --concurrency 200" "$tmp/want22b" "$tmp/got22"
out=$(check --json 198.18.20.0/24 --resolver "$LAB_RESOLVER" 2>/dev/null | summarise)
[ -n "${LAB_RESOLVER:-}" ] && expect "198.18.20.0/24 through the lab resolver: same results" \
        "$out" "$(cat "$tmp/got24")"

# The summary counts every query, the traces' included: never fewer than
# one target's own count.
json=$("$ptrwiz" check "${lab[@]}" --json 198.18.1.10 198.18.1.11 2>"$tmp/sum-err")
most=$(jq -s 'map(.queries) | max' <<<"$json")
total=$(sed -n 's/.*, \([0-9]*\) queries$/\1/p' "$tmp/sum-err")
if [ -n "$total" ] && [ -n "$most" ] && [ "$total" -ge "$most" ]; then
        ok "the summary's $total queries include the traces' (one target alone: $most)"
else
        bad "summary: '$total' queries, one target alone: '$most' ($(cat "$tmp/sum-err"))"
fi

# ---------------------------------------------------------------- limits
start=$(date +%s%N)
out=$(check --json --deadline 3000 198.18.4.1 198.18.1.10 2>/dev/null)
ms=$((($(date +%s%N) - start) / 1000000))
expect "--deadline: the silent zone times out, the next passes" \
        "$(jq -r '.verdict + ":" + ([.findings[].code] | join(","))' <<<"$out" | paste -sd' ')" \
        "fail:RESOLUTION_TIMEOUT pass:"
jq -r '.findings[0].message' <<<"$out" | head -1 | grep -q 'did not finish within 3000 ms (--deadline)' &&
        ok "--deadline: the finding says so" || bad "--deadline message: $out"
echo "info: --deadline 3000: both targets in ${ms} ms"
# A target out of time is a result like any other (the engine's own
# evaluation, check_expire()): the lookup that did not answer is a TIMEOUT,
# and as nothing was seen to fail, its fix blames no server (--deadline cut
# a path that may only be slow).
cut=$(jq -r 'select(.ip == "198.18.4.1") | .status + " " + .findings[0].fix' <<<"$out")
if [[ "$cut" == "TIMEOUT "* ]] && ! grep -qi 'must fix' <<<"$cut"; then
        ok "--deadline: a TIMEOUT whose fix blames nobody unseen"
else
        bad "--deadline: status and fix: $cut"
fi

# ---------------------------------------------------------------- not public
for ip in 10.0.0.1 192.168.1.1 100.64.0.1 127.0.0.1 fe80::1 fd00::1 192.0.2.1 2001:db8::1; do
        out=$(check --json "$ip")
        codes=$(jq -r '[.findings[].code] | join(",")' <<<"$out")
        msg=$(jq -r '.findings[0].message' <<<"$out")
        if [ "$codes" = IP_NOT_PUBLIC ] && grep -q 'built-in local zone' <<<"$msg"; then
                ok "$ip: IP_NOT_PUBLIC, built-in local zone explained"
        else
                bad "$ip: codes '$codes', message '$msg'"
        fi
done

# ---------------------------------------------------------------- bad input
bad_input() { # WHAT ARGS...: exit 2, nothing on stdout, one line on stderr
        local what=$1 rc
        shift
        "$ptrwiz" check "$@" >"$tmp/out" 2>"$tmp/err"
        rc=$?
        if [ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]; then
                ok "$what: exit 2, $(cat "$tmp/err")"
        else
                bad "$what: exit $rc, stdout $(wc -c <"$tmp/out") bytes, stderr: $(cat "$tmp/err")"
        fi
}
bad_input "300.1.2.3" "${lab[@]}" 300.1.2.3
bad_input "198.18.0.0/8" "${lab[@]}" 198.18.2.1 198.18.0.0/8
bad_input "3fff::/64" "${lab[@]}" 3fff::/64
bad_input "--concurrency 0" "${lab[@]}" --concurrency 0 198.18.2.1
bad_input "--concurrency 2000" "${lab[@]}" --concurrency 2000 198.18.2.1
bad_input "--zone-concurrency x" "${lab[@]}" --zone-concurrency x 198.18.2.1
bad_input "--deadline 0" "${lab[@]}" --deadline 0 198.18.2.1
bad_input "--timeout abc" "${lab[@]}" --timeout abc 198.18.2.1
bad_input "--file missing" "${lab[@]}" --file "$tmp/missing"
bad_input "'-' twice" "${lab[@]}" - - </dev/null
bad_input "single label" "${lab[@]}" mail
grep -q "limit is /16 (65536 addresses)" <<<"$("$ptrwiz" check 198.18.0.0/8 2>&1)" &&
        ok "the block limit is named" || bad "the block limit is not named"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
