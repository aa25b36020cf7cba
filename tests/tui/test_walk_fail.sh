#!/bin/bash
# All five steps for failing IPs: no PTR at all (198.18.1.11, typed into
# step 1), and a PTR whose name points elsewhere (198.18.1.13).
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

W=160 H=50 tui_wizard
expect "Step 1 of 5: Identify the error" "without an IP the wizard starts at step 1"
expect "Your text \(editing\)" "step 1 starts in the text box"
keys "198.18.1.11"
expect "An IP address: ptrwiz checks its reverse DNS" "step 1 reads a typed address"
keys Enter
expect "Step 2 of 5: Check the PTR record" "Enter on a typed address goes to step 2"
expect "NXDOMAIN: the name 11\.1\.18\.198\.in-addr\.arpa\. does not exist" "step 2 says NXDOMAIN"
expect "Verdict: FAIL, this is why receivers reject the mail" "step 2 fails"
expect " Fix +Ask whoever runs the reverse zone 1\.18\.198\.in-addr\.arpa\." "step 2 shows the fix"
expect " Who +The holder of the IP block" "step 2 says who has to act"
expect "Negative TTL +3600 s" "step 2 shows the negative TTL"
expect "✗ 2 Check PTR" "the step list marks step 2 failed"
expect "Result FAIL" "the summary says FAIL"

keys Enter
expect "Step 3 of 5: Match the A record" "Enter goes to step 3"
expect "Skipped: there is no PTR name to look up" "step 3 is skipped without a PTR"
expect "– 3 Match A record" "the step list marks step 3 skipped"

keys Enter
expect "Step 4 of 5: Trace the delegation" "Enter goes to step 4"
expect "Final answer +no such name \(NXDOMAIN\)" "step 4 ends in NXDOMAIN"
expect "Zone 1\.18\.198\.in-addr\.arpa\." "step 4 lists the zone of the /24"
expect ";; done: no such name \(NXDOMAIN\)" "the trace pane ends in NXDOMAIN"

keys Enter
expect "Step 5 of 5: Test again" "Enter goes to step 5"
expect "FAIL: receivers will still reject or junk mail from 198\.18\.1\.11" "step 5 still fails"
expect "No-PTR answer +up to 3600 s \(1 hour\)" "step 5 says how long caches keep the NXDOMAIN"
expect "What is left to do" "step 5 lists what is left to do"
expect "Nothing changed" "step 5 compares with the run before"

keys q
expect_restored "q"
expect "EXITED 1" "a failing IP exits 1"

W=160 H=50 tui_wizard 198.18.1.13
expect "Verdict: PASS, the PTR record is in order" "198.18.1.13 has a PTR"
keys Enter
# TTLs as 3[0-9]{3}: the resolver's cache counts a TTL down while a slow machine works.
expect "mismatch\.example\.com\. 3[0-9]{3} IN A 198\.18\.1\.99" "step 3 shows the name's other address"
expect "mismatch\.example\.com\. does not lead back to 198\.18\.1\.13" "step 3 says it does not lead back"
expect " Fix +mismatch\.example\.com\. already has the A record 198\.18\.1\.99" "step 3 shows the fix (change the A record, not a second one)"
expect " Who +Whoever runs DNS for the PTR name's domain" "step 3 says who has to act"
expect "✗ 3 Match A record" "the step list marks step 3 failed"
keys q
expect "EXITED 1" "the mismatch exits 1"
tui_done
