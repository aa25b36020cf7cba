#!/usr/bin/env bash
# The delegation cache of `ptrwiz check` (no --quick): addresses checked
# together reuse the zone cuts an earlier trace of the run asked, yet each
# gets the same verdict and finding codes as when checked alone, every cut
# from the root in its trace, and the run sends far fewer queries.
# shellcheck disable=SC2016 # jq programs are single-quoted on purpose
set -u
src=${PTRWIZ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${LAB_DIR:-}" ]; then
        exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
fi
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
lab=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR")
# The NS address cache of ptrwiz trace lives in the lab, never in $HOME.
export XDG_CACHE_HOME=$LAB_DIR/trace-cache
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# One line per address: IP VERDICT CODES (error and warning codes, sorted).
summary() { jq -r '"\(.ip) \(.verdict) \([.findings[] | select(.severity != "info") | .code] | sort | unique | join(","))"'; }
queries() { jq -s 'map(.queries) | add'; }

# compare NAME PERCENT TARGET...: the targets checked in one run and one by
# one; together they must send less than PERCENT of the queries.
compare() {
        local name=$1 pct=$2 bulk singles="" single_q=0 q ip
        shift 2
        bulk=$("$ptrwiz" check --json "${lab[@]}" "$@" 2>/dev/null)
        for ip in $(jq -r .ip <<<"$bulk"); do
                out=$("$ptrwiz" check --json "${lab[@]}" "$ip" 2>/dev/null)
                singles+=$(summary <<<"$out")$'\n'
                q=$(queries <<<"$out")
                single_q=$((single_q + q))
        done
        local got want bulk_q
        got=$(summary <<<"$bulk")
        want=${singles%$'\n'}
        if [ -n "$got" ] && [ "$got" = "$want" ]; then
                ok "$name: same verdicts and codes together as alone ($(wc -l <<<"$got") addresses)"
        else
                bad "$name: together and alone differ"
                diff <(echo "$want") <(echo "$got") | sed 's/^/     /'
        fi
        bulk_q=$(queries <<<"$bulk")
        if [ "$bulk_q" -gt 0 ] && [ $((bulk_q * 100)) -lt $((single_q * pct)) ]; then
                ok "$name: $bulk_q queries together, $single_q alone (< $pct%)"
        else
                bad "$name: $bulk_q queries together, $single_q alone (want < $pct%)"
        fi
        # Every trace still starts at the root; later ones copy the upper cuts.
        local roots shared
        roots=$(jq -r '.trace[0].zone' <<<"$bulk" | sort -u | paste -sd, -)
        shared=$(jq -r 'select(any(.trace[]; .shared)) | .ip' <<<"$bulk" | wc -l)
        [ "$roots" = . ] && ok "$name: every trace starts at the root" ||
                bad "$name: traces start at [$roots]"
        [ "$shared" -gt 0 ] && ok "$name: $shared traces reuse cuts asked before" ||
                bad "$name: no trace reused a cut"
}

compare "198.18.2.0/28" 35 198.18.2.0/28
compare "lame, unreachable, signed" 60 198.18.6.1 198.18.6.2 198.18.7.1 198.18.1.10 198.18.1.11
# Lame, unreachable, RFC 2317 CNAMEs, inconsistent and mismatched servers,
# loops, a glueless cycle and a healthy signed zone, in one run. Each /24
# has its own delegation at the ISP's 18.198, asked once per /24 (as a
# resolver would): the factor is smaller.
compare "trace scenarios" 70 198.18.6.1 198.18.6.2 198.18.7.1 198.18.8.1 198.18.9.1 198.18.11.70 \
        198.18.12.1 198.18.13.1 198.18.14.1 198.18.3.1 198.18.1.10 198.18.1.11

# A shared cut says so, in JSON and text; a lone trace asks every cut itself.
out=$("$ptrwiz" check "${lab[@]}" 198.18.1.10 198.18.1.11 2>/dev/null)
grep -q 'as asked for 10.1.18.198.in-addr.arpa., earlier in this run' <<<"$out" &&
        ok "text marks the cuts asked for another address" ||
        bad "text has no shared marker: $(head -c 1500 <<<"$out")"
n=$("$ptrwiz" trace --json "${lab[@]}" 198.18.1.10 2>/dev/null | jq '[.trace[] | select(.shared)] | length')
[ "$n" = 0 ] && ok "ptrwiz trace shares nothing" || bad "ptrwiz trace: $n shared cuts"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
