#!/bin/bash
# The hard cases of issue 11 in the wizard: step 2, the summary box, the
# breakdown and the exported report name the right record, zone and party
# for a PTR missing behind an RFC 2317 CNAME (198.18.2.71); a lookup the
# trace explains has one finding, in step 4, and step 2 points there
# (198.18.11.70); servers that give different PTRs are shown in step 2 and
# the summary, not only in step 4 (198.18.8.1).
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

# start IP: the wizard on IP at 120x40, writing $TUI_DIR/report-IP.md on quit.
start() {
        report=$TUI_DIR/report-$1.md
        W=120 H=${TALL:-40} tui_wizard --report "$report" "$1"
        expect "Result +FAIL" "$1: the run ends with FAIL"
}

# quit IP: q, exit status 1 (a fail), and the report in $md (no Markdown escapes).
quit() {
        keys q
        expect "EXITED 1" "$1: the wizard exits 1"
        wait_file "$report"
        md=$(sed 's/\\//g' "$report")
}

start 198.18.2.71
expect "Who +classless zone" "2.71: the summary's who is the classless zone's operator, not the IP block holder"
expect "71\.64/26\.2\.18\.198\.in-addr\.arpa\. IN PTR" "2.71: step 2's fix adds the CNAME's target"
expect_not "71\.2\.18\.198\.in-addr\.arpa\. does not exist" "2.71: step 2 never says the CNAME's name does not exist"
expect "Whoever runs the classless reverse zone 64/26\.2\.18\.198\.in-addr\.arpa\." "2.71: step 2's who names the /26"
quit 198.18.2.71
step2=$(sed -n '/^## Step 2 /,/^## Step 3 /p' <<<"$md")
# (3[0-9]{3}: the resolver's cache counts a TTL down while a slow machine works)
check grep -qE "71\.2\.18\.198\.in-addr\.arpa\. 3[0-9]{3} IN CNAME 71\.64/26\.2\.18\.198\.in-addr\.arpa\." <<<"$step2" \
        "2.71 report: step 2 shows the CNAME with its own TTL (3600, not 0)"
check grep -qF "NXDOMAIN: 71.64/26.2.18.198.in-addr.arpa., where the CNAME points, does not exist." <<<"$md" \
        "2.71 report: step 2 says which name is missing"
check grep -qF "The PTR 71.64/26.2.18.198.in-addr.arpa. is missing there" <<<"$md" \
        "2.71 report: the breakdown says where the PTR is missing"
if grep -q "usually the ISP or hosting provider that holds the IP block" <<<"$md"; then
        TUI_LAST=$(grep "usually the ISP" <<<"$md")
        not_ok "2.71 report: nobody sends the customer to the ISP"
else
        ok "2.71 report: nobody sends the customer to the ISP"
fi

start 198.18.11.70
expect "No usable answer, because of the delegation \(CNAME_LOOP" "11.70: step 2 points at the loop in step 4"
expect_not "ISP or hosting provider\) must fix the delegation" "11.70: step 2 has no second, contradicting fix"
quit 198.18.11.70
# The report's summary table: | Severity | Code | Step | Problem | Fix | Who |
problems=$(grep -E '^\| (error|warning) \|' <<<"$md" | awk -F'|' '{ print $5 }' | sed 's/^ //; s/ $//' | sort -u)
check test "$(wc -l <<<"$problems")" = 1 "11.70 report: one problem (the CNAME loop), not a SERVFAIL beside it"
check grep -q "^the CNAME chain loops" <<<"$problems" "11.70 report: the problem is the CNAME loop"

# (tall: the question where the PTR was made comes before the answers)
TALL=60 start 198.18.8.1
expect "PTR +servers differ" "8.1: the summary's PTR line says the servers differ"
expect "✗ 2 Check PTR" "8.1: step 2 fails: the PTR depends on the server asked"
expect "The answer depends on the server asked" "8.1: step 2 says why, at the top"
expect "But the servers disagree: .*PTR mail8\.example\.com\..*" "8.1: step 2 names both answers"
quit 198.18.8.1
check grep -q "^- \[problem\] But the servers disagree: .*PTR mail8.example.com..*PTR old-mail8.example.com." <<<"$md" \
        "8.1 report: step 2 says the servers disagree"
tui_done
