#!/bin/bash
# The admin over SSH: no verdict before the whole diagnosis is in (servers
# that disagree, 198.18.8.1, behind slow servers), q waits for it and exits
# with its status; each step opens at its top.
. "$(dirname "$0")/lib.sh"
if [ -z "${LAB_ROOT_HINTS:-}" ]; then
        # Every server 400 ms away: the trace takes seconds after the PTR is in.
        export LAB_DELAY_MS=400
fi
tui_in_lab "$@"

# Every screen until the end: never PASS; "not yet" while it runs (the
# first screens, before any answer, are always so).
tui_wizard --timeout 30000 198.18.8.1
seen_not_yet=0 seen_pass=0 deadline=$((SECONDS + 120))
while [ $SECONDS -lt $deadline ]; do
        TUI_LAST=$(tui_screen)
        grep -q -E "Result +not yet" <<<"$TUI_LAST" && seen_not_yet=1
        grep -q -E "Result +PASS" <<<"$TUI_LAST" && seen_pass=1
        grep -q -E "Result +FAIL" <<<"$TUI_LAST" && break
        sleep 0.05
done
check test "$seen_not_yet" = 1 "the summary says the result is not known yet while it runs"
check test "$seen_pass" = 0 "the summary never says PASS for servers that disagree"
expect "Result +FAIL" "the summary says FAIL once the trace is in"
expect "Who +zone operator" "and who acts"
keys q
expect "EXITED 1" "q exits 1 (servers disagree)"
expect "ptrwiz: 198\.18\.8\.1 FAIL" "one line on the normal screen: the IP and the verdict"

# q while the diagnosis runs: 198.18.7.1 has a silent server, which the
# trace waits out (20 s), so the run lasts at least that long.
tui_wizard --timeout 20000 198.18.7.1
expect "Result +not yet" "the summary: the diagnosis is still running"
keys q
expect "Still diagnosing" "q while the trace runs says ptrwiz waits for it"
expect "EXITED 1" "then it exits with the whole diagnosis's status: 1 (a server never answers)" 120
expect "ptrwiz: 198\.18\.7\.1 FAIL" "and leaves the verdict on the screen"

# G at the end of step 2, then Enter: step 3 opens at its top.
W=80 H=24 tui_wizard --timeout 30000 198.18.1.11
expect "Verdict: FAIL" "step 2 of 198.18.1.11 fails" 120
keys G
expect "[0-9]+-[0-9]+ of [0-9]+ " "G scrolls step 2 to its end"
expect "Press Enter: step 3 is skipped" "the hint for Enter says step 3 will be skipped"
keys Enter
expect "Step 3 of 5: Match the A record" "Enter goes to step 3"
expect "Skipped: there is no PTR name to look up" "step 3 opens at its top (the skip is on its first line)"
keys G Enter
expect "Step 4 of 5: Trace the delegation" "G, Enter goes to step 4"
expect "Verdict: PASS, every server" "step 4 opens at its top: the verdict shows"
keys q
expect "EXITED 1" "q exits 1"

# IPv6: step 3 matches the AAAA record.
W=120 H=40 tui_wizard --timeout 30000 3fff:0:0:1::10
expect "3 Match AAAA record" "the step list says AAAA for an IPv6 address" 120
keys Enter
expect "Step 3 of 5: Match the AAAA record" "step 3's title says AAAA"
keys q
expect "EXITED 0" "exit 0"
tui_done
