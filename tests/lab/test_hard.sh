#!/usr/bin/env bash
# The hard diagnosis cases of issue 11, through check (text and JSON) and
# trace: the right record, zone and party for a PTR missing behind an RFC
# 2317 CNAME; one finding per fault when the trace explains a failed
# lookup; an --expect-ns name that does not exist; fix texts that hold;
# servers that give different PTRs.
# shellcheck disable=SC2016 # jq programs are single-quoted on purpose
set -u
src=${PTRWIZ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${LAB_DIR:-}" ]; then
        exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
fi
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
lab=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR")
export XDG_CACHE_HOME=$LAB_DIR/trace-cache
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

expect_jq() { # WHAT FILTER JSON: FILTER must print true
        if [ "$(jq -r "$2" <<<"$3" 2>/dev/null)" = true ]; then
                ok "$1"
        else
                bad "$1"
                jq -c '[.findings[] | {code, message, fix}]' <<<"$3" 2>/dev/null | head -c 3000
                echo
                jq -c '{cname_chain, zone, cname_zone, status}' <<<"$3" 2>/dev/null | head -c 600
                echo
        fi
}

expect_text() { # WHAT REGEX TEXT: an extended regex the text must match
        if grep -qE -- "$2" <<<"$3"; then ok "$1"; else
                bad "$1"
                echo "$3" | grep -vE '^;;  ' | head -60
        fi
}

expect_no_text() { # WHAT REGEX TEXT
        if grep -qE -- "$2" <<<"$3"; then
                bad "$1"
                grep -E -- "$2" <<<"$3" | head -5
        else ok "$1"; fi
}

# ---------------------------------------------- RFC 2317, PTR missing in the /26
# 71.2.18.198 CNAME 71.64/26.2.18.198, and the /26 (on ns1/ns2.example.com)
# has no 71: the record to add is the CNAME's target, in the /26, by its
# operator; the CNAME exists and has its own TTL.
for quick in --quick ""; do
        what="2.71${quick:+ $quick}"
        # shellcheck disable=SC2086
        out=$("$ptrwiz" check --json $quick "${lab[@]}" 198.18.2.71 2>/dev/null)
        expect_jq "$what: PTR_MISSING for the CNAME's target in 64/26, and PTR_CNAME_CLASSLESS" \
                '([.findings[] | select(.severity != "info") | .code] == ["PTR_MISSING"]) and
                 ([.findings[].code] | index("PTR_CNAME_CLASSLESS") != null)' "$out"
        expect_jq "$what: the message says the /24 name is a CNAME, not that it does not exist" \
                '.findings[] | select(.code == "PTR_MISSING") | .message |
                 test("^71\\.2\\.18\\.198\\.in-addr\\.arpa\\. is a CNAME to 71\\.64/26\\.2\\.18\\.198\\.in-addr\\.arpa\\., which does not exist")' "$out"
        expect_jq "$what: the fix adds 71.64/26... IN PTR, in the /26, run by ns1.example.com, not the ISP" \
                '.findings[] | select(.code == "PTR_MISSING") | .fix |
                 test("add: 71\\.64/26\\.2\\.18\\.198\\.in-addr\\.arpa\\. IN PTR") and
                 test("reverse zone 64/26\\.2\\.18\\.198\\.in-addr\\.arpa\\. \\(primary server ns1\\.example\\.com\\.\\)") and
                 (test("add: 71\\.2\\.18") | not) and (test("usually the ISP") | not)' "$out"
        # The CNAME's TTL from its record; libunbound's cache counts it down
        # while the lookup goes on, so a loaded machine that takes a second or
        # more sees a little less than 3600.
        expect_jq "$what: the CNAME's own TTL (3600), both zones named" \
                '([.cname_chain[] | {from, to}] == [{"from":"71.2.18.198.in-addr.arpa.","to":"71.64/26.2.18.198.in-addr.arpa."}]) and
                 .cname_chain[0].ttl <= 3600 and .cname_chain[0].ttl > 3500 and
                 .zone == "64/26.2.18.198.in-addr.arpa." and .cname_zone == "2.18.198.in-addr.arpa."' "$out"
done
out=$("$ptrwiz" check "${lab[@]}" 198.18.2.71 2>/dev/null)
expect_text "2.71 text: the CNAME line carries its TTL, not 0" \
        $'^71\\.2\\.18\\.198\\.in-addr\\.arpa\\.\t3600\tIN\tCNAME\t71\\.64/26\\.2\\.18\\.198\\.in-addr\\.arpa\\.$' "$out"
expect_no_text "2.71 text: no 'does not exist' for the /24 name" \
        '71\.2\.18\.198\.in-addr\.arpa\. does not exist' "$out"
out=$("$ptrwiz" trace "${lab[@]}" 198.18.2.71 2>/dev/null)
expect_text "2.71 trace: the PTR is added to 71.64/26... in the /26, served by ns1/ns2.example.com" \
        '^;; 71\.2\.18\.198\.in-addr\.arpa\. leads by CNAME to 71\.64/26\.2\.18\.198\.in-addr\.arpa\., which has no PTR: it is added there, in 64/26\.2\.18\.198\.in-addr\.arpa\. \(served by ns1\.example\.com\., ns2\.example\.com\.\)' "$out"

# ---------------------------------------------- one problem, one fix
# A failed lookup the trace explains (a CNAME or referral loop, lame or dead
# servers) is evidence in the trace's finding, not a RESOLUTION_* finding
# with a contradicting fix; a negative answer reached through a loop is no
# "add a PTR".
while read -r ip code evidence; do
        out=$("$ptrwiz" check --json "${lab[@]}" "$ip" 2>/dev/null)
        expect_jq "$ip: only $code, with the lookup's failure as its evidence" \
                "([.findings[] | select(.severity != \"info\") | .code] | unique == [\"$code\"]) and
                 ([.findings[] | select(.code == \"$code\") | .message | test(\"the resolver's lookup of .* $evidence\")] | any)" "$out"
done <<'ROWS'
198.18.11.70 CNAME_LOOP failed too \\(SERVFAIL\\)
198.18.12.1 DELEGATION_LOOP failed too \\(SERVFAIL\\)
198.18.13.1 DELEGATION_LOOP failed too \\(SERVFAIL\\)
198.18.14.1 DELEGATION_LOOP answered NODATA, reached through the loop
198.18.3.1 DELEGATION_LAME failed too \\(SERVFAIL\\)
198.18.4.1 DELEGATION_UNREACHABLE (failed too \\(SERVFAIL\\)|got no answer within)
ROWS
# Without the trace nothing explains it: the lookup's own finding stays.
out=$("$ptrwiz" check --quick --json "${lab[@]}" 198.18.3.1 2>/dev/null)
expect_jq "3.1 --quick: RESOLUTION_SERVFAIL (no trace to explain it)" \
        '[.findings[].code] == ["RESOLUTION_SERVFAIL"]' "$out"
# --expect-ns and the missing PTR are one fault: the PTR_MISSING fix says so.
out=$("$ptrwiz" check --json "${lab[@]}" --expect-ns ns1.dnsprovider.example.org 198.18.10.1 2>/dev/null)
expect_jq "10.1 --expect-ns: PTR_MISSING's fix points at the delegation, not a second record" \
        '.findings[] | select(.code == "PTR_MISSING") | .fix | test("^The same fault as ZONE_NOT_DELEGATED_TO_EXPECTED_NS")' "$out"

# ---------------------------------------------- --expect-ns with a name that does not exist
# A typo: say the name does not exist, never "delegate the zone to it".
typo=ns1.dnsprovder.example.org
for ip in 198.18.10.1 198.18.1.10; do
        out=$("$ptrwiz" check --json "${lab[@]}" --expect-ns $typo "$ip" 2>/dev/null)
        expect_jq "$ip --expect-ns $typo: EXPECT_NS_UNKNOWN names the name, no ZONE_NOT_DELEGATED_TO_EXPECTED_NS" \
                '([.findings[].code] | index("EXPECT_NS_UNKNOWN") != null and index("ZONE_NOT_DELEGATED_TO_EXPECTED_NS") == null) and
                 (.findings[] | select(.code == "EXPECT_NS_UNKNOWN") | .message | test("ns1\\.dnsprovder\\.example\\.org\\.: the name does not exist"))' "$out"
        expect_jq "$ip --expect-ns $typo: no fix anywhere says to delegate to it" \
                '[.findings[].fix | test("delegate [^ ]+ to ns1\\.dnsprovder")] | any | not' "$out"
done
out=$("$ptrwiz" check --json "${lab[@]}" --expect-ns $typo 198.18.1.10 2>/dev/null)
expect_jq "1.10 --expect-ns $typo: the PTR works, so warn (the typo is no DNS fault)" '.verdict == "warn"' "$out"
out=$("$ptrwiz" trace --json "${lab[@]}" --expect-ns $typo --expect-ns ns1.dnsprovider.example.org 198.18.10.1 2>/dev/null)
expect_jq "10.1 trace, a typo and the real provider: the typo is named, the delegation judged on the real one" \
        '([.findings[] | select(.severity != "info") | .code] | sort == ["EXPECT_NS_UNKNOWN","PTR_MISSING","ZONE_NOT_DELEGATED_TO_EXPECTED_NS"]) and
         (.findings[] | select(.code == "ZONE_NOT_DELEGATED_TO_EXPECTED_NS") | (.fix | test("dnsprovder") | not) and (.message | test("does answer PTR mail10")))' "$out"

# ---------------------------------------------- fix texts that hold
# FCrDNS mismatch where the name already has an A: "add an A record" would
# give it two addresses; the fix says change it, or use a new name, and why.
for row in "198.18.1.13 mismatch.example.com. 198.18.1.99" "198.18.2.4 web.example.com. 198.18.2.40"; do
        read -r ip name old <<<"$row"
        out=$("$ptrwiz" check --quick --json "${lab[@]}" "$ip" 2>/dev/null)
        expect_jq "$ip: FCRDNS_MISMATCH's fix says change the A record or use a new name, and why, never add a second" \
                ".findings[] | select(.code == \"FCRDNS_MISMATCH\") | .fix |
                 test(\"already has the A record ${old//./\\\\.}\") and test(\"two addresses\") and
                 test(\"change that record to ${ip//./\\\\.}\") and test(\"new name for this server\") and
                 (test(\"add ${name//./\\\\.} IN A\") | not)" "$out"
done
# A generic PTR that resolves back: WARN, and message and fix say the PTR works.
out=$("$ptrwiz" check --quick --json "${lab[@]}" 198.18.1.15 2>/dev/null)
expect_jq "1.15: PTR_GENERIC is a warning whose message and fix agree that the PTR works" \
        '.verdict == "warn" and (.findings[] | select(.code == "PTR_GENERIC") |
         (.message | test("the PTR itself works")) and (.fix | test("^The PTR works where")) and
         (.fix | test("treat default names like none") | not))' "$out"

# ---------------------------------------------- servers that disagree
# 198.18.8.1: ns1.rdns says mail8, ns2.rdns (stale) old-mail8. Not only the
# finding: the PTR part of check's text, its JSON and trace say so.
out=$("$ptrwiz" check "${lab[@]}" 198.18.8.1 2>/dev/null)
expect_text "8.1 check text: the PTR lookup says the servers disagree, with both PTRs" \
        '^;; servers disagree: the servers of 8\.18\.198\.in-addr\.arpa\. give different answers for 1\.8\.18\.198\.in-addr\.arpa\.: .*PTR mail8\.example\.com\..*PTR old-mail8\.example\.com\.' "$out"
out=$("$ptrwiz" check --json "${lab[@]}" 198.18.8.1 2>/dev/null)
expect_jq "8.1 check --json: servers_disagree names both servers, answers and serials" \
        '.servers_disagree.zone == "8.18.198.in-addr.arpa." and
         ([.servers_disagree.answers[] | .server + " " + .answer + " " + (.serial | tostring)] | sort ==
          ["ns1.rdns.example.net. PTR mail8.example.com. 2024061508", "ns2.rdns.example.net. PTR old-mail8.example.com. 2024030108"])' "$out"
out=$("$ptrwiz" trace "${lab[@]}" 198.18.8.1 2>/dev/null)
expect_text "8.1 trace text: after the final answer, the servers disagree" \
        '^;; servers disagree: .*old-mail8' "$out"
out=$("$ptrwiz" trace --json "${lab[@]}" 198.18.8.1 2>/dev/null)
expect_jq "8.1 trace --json: servers_disagree" '.servers_disagree.answers | length == 2' "$out"
# Where the servers agree there is no such note (the classless /24 is asked
# twice, the ISP holds a copy of 10.18.198: none of that is a disagreement).
for ip in 198.18.1.10 198.18.2.70 198.18.2.71 198.18.9.1 198.18.10.1 198.18.6.1 3fff:0:0:1::10; do
        out=$("$ptrwiz" check --json "${lab[@]}" "$ip" 2>/dev/null)
        expect_jq "$ip: servers_disagree is null" '.servers_disagree == null' "$out"
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
