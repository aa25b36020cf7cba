#!/bin/bash
# The trace streams: with every lab server answering after a delay, the
# trace (which runs with the check from step 2 on: one diagnosis) shows
# replies while others are still in flight, then the end; step 4 reads it.
export LAB_DELAY_MS=${LAB_DELAY_MS:-250}
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

W=120 H=40 tui_wizard --timeout 30000 198.18.1.10
expect "Breakdown of the name \(Tab: trace\)" "step 2 opens with the breakdown below"
keys Tab Tab # the breakdown, then the trace
expect "─ Trace [^ ]+ live, [1-9][0-9]* in flight" "the trace pane is live with queries in flight"
expect ";; zone \. from [a-b]\.root-servers\.net\. \(127\.53\.0\.[12]\): referral" "a root server's reply is in while the trace runs"
live=$(tui_screen)
check grep -q "live, [1-9]" <<<"$live" "the first replies show before the trace ends"
check test -z "$(grep ';; done:' <<<"$live")" "... and the end is not there yet"
expect ";; done: 10\.1\.18\.198\.in-addr\.arpa\. PTR mail\.example\.com\." "the trace ends with the answer" 120
expect "Verdict: PASS, the PTR record is in order" "step 2 passes (slowly)" 90
keys Enter
expect "Verdict: PASS, the name leads back" "step 3 passes" 90
keys Enter
expect "Verdict: PASS, every server of every zone" "step 4 passes" 90
keys q
expect_restored "q"
tui_done
