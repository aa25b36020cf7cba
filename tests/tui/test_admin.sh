#!/bin/bash
# The admin over SSH: no verdict before the whole diagnosis is in (servers
# that disagree, 198.18.8.1, behind slow servers), q waits for it and exits
# with its status; each step opens at its top.
. "$(dirname "$0")/lib.sh"
if [ -z "${LAB_ROOT_HINTS:-}" ]; then
        # Every server 200 ms away: the trace takes seconds after the PTR is in.
        export LAB_DELAY_MS=200
fi
tui_in_lab "$@"

tui_wizard --timeout 30000 198.18.8.1
expect "PTR +(old-)?mail8" "the summary shows the PTR as soon as it is in" 90
if wait_for "Result +PASS" 1; then
        not_ok "the summary says PASS while the trace still runs"
else
        ok "no PASS in the summary before the trace is in"
fi
expect "Result +not yet" "the summary says the result is not known yet"
keys q
expect "Still diagnosing" "q while the trace runs says ptrwiz waits for it"
expect "EXITED 1" "then it exits with the whole diagnosis's status: 1 (servers disagree)" 120
expect "ptrwiz: 198\.18\.8\.1 FAIL" "one line on the normal screen: the IP and the verdict"

# G at the end of step 2, then Enter: step 3 opens at its top.
W=80 H=24 tui_wizard --timeout 30000 198.18.1.11
expect "Verdict: FAIL" "step 2 of 198.18.1.11 fails" 120
keys G
expect "[0-9]+-[0-9]+ of [0-9]+ " "G scrolls step 2 to its end"
keys Enter
expect "Step 3 of 5: Match the A record" "Enter goes to step 3"
expect "Skipped: there is no PTR name to look up" "step 3 opens at its top (the skip is on its first line)"
keys Enter
expect "Step 4 of 5: Trace the delegation" "Enter goes to step 4"
expect "Verdict: PASS, every server" "step 4 opens at its top: the verdict shows"
keys q
expect "EXITED 1" "q exits 1"
tui_done
