#!/bin/bash
# Step 5 against a DNS that changes: 198.18.2.2 has no PTR; with the watch
# on, the lab gets the fix (a PTR and its A record, zones reloaded), and the
# wizard sees it pass, stops watching, says what changed and how long caches
# may still give the old answer.
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

W=120 H=45 tui_wizard --watch 1 198.18.2.2
expect "NXDOMAIN: the name 2\.2\.18\.198\.in-addr\.arpa\. does not exist" "198.18.2.2 has no PTR"
keys Enter Enter Enter
expect "Step 5 of 5: Test again" "on to step 5"
expect "FAIL: receivers will still reject or junk mail from 198\.18\.2\.2" "step 5 fails before the fix"
expect "Watch +off: press w to re-test every 1 s until it passes" "the watch is offered"
keys w
expect "Watch +on, (next test in [0-9]+ s|testing now)" "w starts the watch"
expect "Runs +[4-9] for 198\.18\.2\.2" "the watch re-tests" 90

# The fix, as a provider would make it: the PTR, and the A record of its name.
lab_fix_198_18_2_2

expect "It passes now: watch stopped" "the watch stops once it passes" 90
expect "PASS: as far as reverse DNS goes, receivers should accept mail from 198\.18\.2\.2" "step 5 passes after the fix"
expect "PTR: NXDOMAIN -> fixed\.example\.com\." "step 5 says what changed"
expect "Gone: no PTR record: the reverse name does not exist" "the old finding is gone"
expect "No-PTR answer +up to 3600 s \(1 hour\), at the latest until [0-9:]{8}" "how long caches may keep the NXDOMAIN"
expect "pass +PTR fixed\.example\.com\., its A/AAAA matches" "the history has the passing run"
expect "fail +PTR lookup: NXDOMAIN" "... and the failing ones"
expect "Watch +off" "the watch is off"
expect "✓ 5 Test again" "the step list marks step 5 passed"
keys q
expect "EXITED 0" "the fixed IP exits 0"
tui_done
