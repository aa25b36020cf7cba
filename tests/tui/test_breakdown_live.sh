#!/bin/bash
# The breakdown is true at every moment: with every lab server 300 ms away,
# the places the trace has not reached yet say "not known yet" while it
# runs, and each is a cut or not a cut once the trace's zones are in.
export LAB_DELAY_MS=${LAB_DELAY_MS:-300}
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

W=120 H=40 tui_wizard --timeout 30000 198.18.1.10
expect "Breakdown of the name" "step 2 opens with the breakdown below"
keys Tab z
expect "not known yet: the trace will tell" "while the trace runs, unreached places are not known yet"
live=$(tui_screen)
check test -z "$(grep -E '✓ +in-addr\.arpa\..*not known' <<<"$live")" "no place is both ticked and unknown"
expect "✓ /8 +198\.in-addr\.arpa\. +name \"10\.1\.18\" +a zone cut" "the trace's referral ticks 198 as a real cut" 120
expect "✓ +arpa\. +name \"10\.1\.18\.198\.in-addr\" +a zone cut" "arpa. is a real cut"
expect "✓ /16 +18\.198\.in-addr\.arpa\. .*a zone cut" "18.198 is a real cut"
expect "✓ /24 +1\.18\.198\.in-addr\.arpa\. +name \"10\" +<- the PTR's zone" "the PTR's zone"
expect_not "not known" "once the trace is in, nothing is left unknown" 120
keys q

# IPv6: the /48 is where a zone often starts, but here the /64 holds it.
W=120 H=40 tui_wizard --timeout 30000 3fff:0:0:1::10
keys Tab z
expect "not known yet: the trace will tell" "IPv6: unknown places while the trace runs"
expect "/48 +0\.0\.0\.0\.0\.0\.0\.0\.f\.f\.f\.3\.ip6\.arpa\. +no cut \(often one here; not for this address\)" "the /48 is said to be no cut here" 120
expect "✓ /64 .*<- the PTR's zone" "the /64 is the PTR's zone"
expect_not "the usual zone" "the /48 is not called the usual zone"
keys q
tui_done
