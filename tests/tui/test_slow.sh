#!/bin/bash
# Never blocks: a lab server that never answers (198.18.4.1) keeps queries
# in flight while keys still work; Esc cancels the check and the trace; q
# waits for the diagnosis, q again quits at once with queries in flight.
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

W=120 H=40 tui_wizard --timeout 3000 198.18.4.1
expect "Asking the DNS from the root\.\.\. [0-9]+ s \(Esc cancels\)" "the check waits for the silent server"
expect "[0-9]+ in flight, [0-9]+ asked" "the title counts the queries in flight"
keys '?'
expect "Help: step 2" "keys still work while the query runs: ? opens the help"
keys Escape
expect "Asking the DNS from the root" "Esc closes the help, the query still runs"
keys Escape
expect "Cancelled\. Press r to ask again\." "Esc cancels the check"
expect "– 2 Check PTR" "the step list marks the step cancelled"
expect_not "in flight" "nothing is in flight after Esc"

keys r
expect "Asking the DNS from the root" "r asks again"
# --timeout caps each server: libunbound gives up on the silent ones
# (SERVFAIL), or the check's deadline passes first.
expect "No answer within [0-9]+ ms\.|SERVFAIL: the lookup failed" "the check ends: the silent servers are given up" 90
expect "Verdict: FAIL" "a silent reverse zone fails step 2"

keys Enter Enter
expect "Step 4 of 5: Trace the delegation" "on to step 4"
expect "Verdict: FAIL, the delegation is broken" "step 4 reads the trace that ran with the check" 90
expect ";; zone 4\.18\.198\.in-addr\.arpa\. from ns1\.blackhole\.example\.net\. \(127\.53\.8\.1\): no reply \(timeout\)" \
        "the trace pane names the silent server" 30
keys r
expect "Tracing: [0-9]+ queries in flight \(Esc cancels\)" "r runs it again: the trace waits for the silent servers"
keys Tab
expect "Trace .* live, [0-9]+ in flight" "the trace pane streams while servers are silent"
expect_not "answer in, waiting" "no answer while every server of the zone is silent"
keys Escape
expect "Cancelled\. Press r to trace again\." "Esc cancels the trace"
keys r
expect "Verdict: FAIL, the delegation is broken" "the broken delegation fails step 4" 90
expect " Who +Whoever runs the named servers" "step 4 says who has to act"

keys q
expect_restored "q after the trace"

# One silent server beside one that answers (198.18.7.1): the answer is in
# long before the silent one's timeout, and the trace pane says so.
tui_wizard --timeout 5000 198.18.7.1
keys Enter Enter Tab
expect "live, [0-9]+ in flight: answer in, waiting for silent servers" \
        "the answer is in while a silent server is still waited for" 30
# The verdict so far counts the silent server as silent, long before its
# timeout (5 s here); the final one replaces it.
expect "Result +FAIL so far" "the summary has the verdict so far"
so_far_screen=$TUI_LAST
check grep -q -E "Match +yes \(FCrDNS\)" <<<"$so_far_screen" "and, on the same screen, its forward match"
expect "Who +zone operator" "and who acts"
expect "Result +FAIL +│" "the final verdict replaces it after the timeout" 30
expect_not "so far" "nothing says so far once the diagnosis is in"
keys q q
expect_restored "q with the silent server still waited for"

tui_wizard 198.18.4.1
expect "Asking the DNS from the root" "a new check waits"
keys q
expect "Still diagnosing" "q while the diagnosis runs says it waits for it"
expect "ptrwiz: reverse DNS for mail" "the wizard is still there after one q"
keys q
expect_restored "q again with queries in flight"
expect "EXITED 4" "quitting before the diagnosis ended exits 4 (not finished), never 0"
expect "ptrwiz: 198\.18\.4\.1 not finished" "the line left on the screen says it did not finish"
tui_done
