#!/usr/bin/env bash
# Runs `ptrwiz check --quick --json` on every foundation scenario of the lab
# (tests/lab/scenarios.tsv) and compares verdict and finding codes; also the
# text output's escaping and the bad-input errors.
set -u
src=${PTRWIZ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${LAB_DIR:-}" ]; then
        exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
fi
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
lab=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR")
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# Error and warning codes, sorted, comma-joined; info codes listed apart.
codes_of() { jq -r '[.findings[] | select(.severity != "info") | .code] | sort | join(",")'; }
info_of() { jq -r '[.findings[] | select(.severity == "info") | .code] | join(",")'; }

while IFS=$'\t' read -r ip opts verdict codes desc; do
        case "$ip" in '' | \#* | ip) continue ;; esac
        [ "$opts" = - ] && opts=
        # shellcheck disable=SC2086
        out=$("$ptrwiz" check --quick --json "${lab[@]}" $opts "$ip" 2>&1)
        rc=$?
        want_codes=$(tr ',' '\n' <<<"$codes" | grep -v '^+' | grep -v '^-$' | grep -v '^$' | sort | paste -sd, -)
        want_info=$(tr ',' '\n' <<<"$codes" | sed -n 's/^+//p')
        got_verdict=$(jq -r .verdict <<<"$out" 2>/dev/null)
        got_codes=$(codes_of <<<"$out" 2>/dev/null)
        got_info=$(info_of <<<"$out" 2>/dev/null)
        want_rc=0
        [ "$verdict" = fail ] && want_rc=1
        what="$ip ${opts:+($opts) }$desc"
        if [ "$got_verdict" != "$verdict" ] || [ "$got_codes" != "$want_codes" ] || [ $rc -ne $want_rc ]; then
                bad "$what: want $verdict [$want_codes] rc $want_rc, got $got_verdict [$got_codes] rc $rc"
                echo "     $out" | head -c 2000
                echo
                continue
        fi
        missing=
        for i in $want_info; do
                [[ ",$got_info," == *",$i,"* ]] || missing="$missing $i"
        done
        if [ -n "$missing" ]; then
                bad "$what: info finding(s) missing:$missing (got [$got_info])"
                continue
        fi
        ok "$what: $verdict [$got_codes${got_info:+ +$got_info}]"
done <"$src/tests/lab/scenarios.tsv"

# The DNSSEC states the lab is built for.
sec=$("$ptrwiz" check --quick --json "${lab[@]}" 198.18.1.10 | jq -r .dnssec)
[ "$sec" = secure ] && ok "198.18.1.10 validates secure" || bad "198.18.1.10 dnssec=$sec, want secure"
sec=$("$ptrwiz" check --quick --json "${lab[@]}" 198.18.2.70 | jq -r .dnssec)
[ "$sec" = insecure ] && ok "198.18.2.70 is insecure" || bad "198.18.2.70 dnssec=$sec, want insecure"

# Hostile bytes never reach the terminal raw, in text or JSON.
for fmt in "" --json; do
        out=$("$ptrwiz" check --quick $fmt "${lab[@]}" 198.18.1.17 2>&1)
        # JSON doubles the backslash; look at the decoded string there.
        [ -n "$fmt" ] && out=$(jq -r '.ptr[0]' <<<"$out")
        if printf '%s' "$out" | LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]'; then
                bad "198.18.1.17 ${fmt:-text}: raw control bytes in the output"
        elif ! grep -q 'evil\\027\[31mred\\007' <<<"$out"; then
                bad "198.18.1.17 ${fmt:-text}: escaped name not shown"
        else
                ok "198.18.1.17 ${fmt:-text}: hostile PTR shown escaped"
        fi
done

# The IDN is shown as its U-label in the text report.
out=$("$ptrwiz" check --quick "${lab[@]}" 198.18.1.18)
grep -q 'bücher' <<<"$out" && ok "IDN shown as U-label" || bad "IDN U-label missing: $out"
u=$("$ptrwiz" check --quick --json "${lab[@]}" 198.18.1.18 | jq -r '.idn["xn--bcher-kva.example.com."]')
[ "$u" = "bücher.example.com." ] && ok "IDN U-label in JSON" || bad "IDN U-label in JSON: '$u'"

# Classless: the text names both zones.
out=$("$ptrwiz" check --quick --json "${lab[@]}" 198.18.2.70)
z=$(jq -r '.zone + " " + .cname_zone' <<<"$out")
[ "$z" = "64/26.2.18.198.in-addr.arpa. 2.18.198.in-addr.arpa." ] && ok "classless zones: $z" ||
        bad "classless zones: got '$z'"

# The other resolver modes: a forwarder (the lab's unbound) and the system's
# resolv.conf (bind-mounted to the lab's in a mount namespace).
v=$("$ptrwiz" check --quick --json --resolver "$LAB_RESOLVER@53" 198.18.1.13 | jq -r '.verdict + " " + ([.findings[].code] | join(","))')
[ "$v" = "fail FCRDNS_MISMATCH" ] && ok "--resolver ADDR@PORT: $v" || bad "--resolver ADDR@PORT: $v"
v=$(unshare -m bash -c 'mount --bind "$1" /etc/resolv.conf && "$2" check --quick --json --resolver system 198.18.1.11' _ "$LAB_RESOLV_CONF" "$ptrwiz" |
        jq -r '.verdict + " " + ([.findings[] | select(.severity != "info") | .code] | join(","))')
[ "$v" = "fail PTR_MISSING" ] && ok "--resolver system: $v" || bad "--resolver system: $v"

# The missing final dot, with the delegation trace too (check --json): the
# one finding says what the record should read and who runs the zone.
out=$("$ptrwiz" check --json "${lab[@]}" 198.18.1.19 2>&1)
codes=$(codes_of <<<"$out" 2>/dev/null)
fix=$(jq -r '.findings[] | select(.code == "PTR_MISSING_FINAL_DOT") | .fix' <<<"$out" 2>/dev/null)
if [ "$codes" != PTR_MISSING_FINAL_DOT ]; then
        bad "198.18.1.19 check --json: want [PTR_MISSING_FINAL_DOT], got [$codes]"
elif [[ "$fix" != *"19.1.18.198.in-addr.arpa. IN PTR mail.example.com. (with the trailing dot"* ]] ||
        [[ "$fix" != *"whoever runs the reverse zone 1.18.198.in-addr.arpa."* ]]; then
        bad "198.18.1.19 check --json: fix does not give the record and the zone: $fix"
else
        ok "198.18.1.19 check --json: PTR_MISSING_FINAL_DOT, the record and the zone's operator"
fi

# Bad input: one line on stderr, exit 2.
expect_usage() {
        local err rc
        err=$("$ptrwiz" "$@" 2>&1 >/dev/null)
        rc=$?
        if [ $rc -eq 2 ] && [ "$(wc -l <<<"$err")" -eq 1 ] && [ -n "$err" ]; then
                ok "bad input '$*': $err"
        else
                bad "bad input '$*': rc $rc, stderr: $err"
        fi
}
expect_usage check 300.1.2.3
expect_usage check --timeout abc 192.0.2.1
expect_usage check --timeout -5 192.0.2.1
expect_usage check
expect_usage check --bogus-option 192.0.2.1
expect_usage check $'\033[31mred'
expect_usage check --expect-host 'bad..name' 198.18.1.10
expect_usage check --resolver 999.1.1.1 198.18.1.10
expect_usage check --resolver 127.0.0.1@99999 198.18.1.10

# A resolver that cannot be set up: exit 3.
"$ptrwiz" check --root-hints /nonexistent/hints 198.18.1.10 >/dev/null 2>&1
rc=$?
[ $rc -eq 3 ] && ok "missing root hints: exit 3" || bad "missing root hints: exit $rc"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
