#!/bin/bash
# All five steps for an IP whose reverse DNS is in order (198.18.1.10 in the
# lab), then the report and q.
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

# Wide enough that every step fits without scrolling; 80x24 has its own test.
W=160 H=50 tui_wizard 198.18.1.10
expect "Step 2 of 5: Check the PTR record" "ptrwiz IP starts at step 2"
expect "Verdict: PASS, the PTR record is in order" "step 2 passes"
# TTLs as 3[0-9]{3}: the resolver's cache counts a TTL down while a slow machine works.
expect "10\.1\.18\.198\.in-addr\.arpa\. 3[0-9]{3} IN PTR mail\.example\.com\." "step 2 shows the PTR record"
expect "Owner name +10\.1\.18\.198\.in-addr\.arpa\." "the breakdown pane shows the owner name"
expect "✓ 1 Identify error" "the step list marks step 1 done"
expect "✓ 2 Check PTR" "the step list marks step 2 passed"

keys Enter
expect "Step 3 of 5: Match the A record" "Enter goes to step 3"
expect "mail\.example\.com\. 3[0-9]{3} IN A 198\.18\.1\.10 +<- the IP" "step 3 shows the matching A record"
expect "mail\.example\.com\. leads back to 198\.18\.1\.10" "step 3 says the name leads back"
expect "Verdict: PASS, the name leads back" "step 3 passes"

keys Enter
expect "Step 4 of 5: Trace the delegation" "Enter goes to step 4"
expect "Verdict: PASS, every server of every zone" "step 4 passes"
expect ";; done: 10\.1\.18\.198\.in-addr\.arpa\. PTR mail\.example\.com\." "the trace pane ends with the answer"
expect "Final answer +10\.1\.18\.198\.in-addr\.arpa\. PTR mail\.example\.com\." "step 4 names the final answer"

keys Enter
expect "Step 5 of 5: Test again" "Enter goes to step 5"
expect "PASS: as far as reverse DNS goes" "step 5 passes"
expect "Runs +2 for 198\.18\.1\.10" "step 5 ran everything again"
expect "✓ 5 Test again" "the step list marks step 5 passed"

keys p
expect "Step 4 of 5" "p goes back a step"
keys BSpace
expect "Step 3 of 5" "Backspace goes back a step"

keys BTab Up
expect "▶[^ ]+ 2 Check PTR" "Shift-Tab goes to the step list, Up moves its cursor"
keys Enter
expect "Step 2 of 5: Check the PTR record" "Enter in the step list jumps to that step"
keys Tab

keys e
expect "Report written to /.*/ptrwiz-report-198\.18\.1\.10-" "e writes a report, with its full path"
report=$(ls "$TUI_DIR"/ptrwiz-report-198.18.1.10-*.md 2>/dev/null | head -1)
check test -s "$report" "the report file exists"
check grep -q "^# ptrwiz report: reverse DNS of 198.18.1.10" "$report" "the report has its title"
check grep -q "^- \*\*Verdict:\*\* PASS" "$report" "the report has the verdict"
check grep -q "^;; final: .*10\.1\.18\.198\.in-addr\.arpa\." "$report" "the report has the trace as ptrwiz trace prints it"
check grep -q "^10\.1\.18\.198\.in-addr\.arpa\. [0-9]* IN PTR mail\.example\.com\.$" "$report" "the trace has the PTR record"
rm -f "$report"

keys q
expect_restored "q"
expect "EXITED 0" "a passing IP exits 0"
tui_done
