#!/bin/bash
# The wizard with every lab server 300 ms away (LAB_DELAY_MS=300: overseas
# hosting), default options: 198.18.1.10 passes every step, DNSSEC is
# signed and valid, and no timeout or "not signed" shows on the way. The
# check takes seconds at this distance; the waits below are generous.
export LAB_DELAY_MS=${LAB_DELAY_MS:-300}
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

W=160 H=50 tui_wizard 198.18.1.10
expect "Step 2 of 5: Check the PTR record" "ptrwiz IP starts at step 2"
expect "Verdict: PASS, the PTR record is in order" "step 2 passes with far servers" 120
expect "DNSSEC +signed and valid" "step 2: the signed zone validates"
expect_not "No answer within|not signed|RESOLUTION_TIMEOUT|CHECK_DEADLINE" "no timeout and no 'not signed' on step 2"

keys Enter
expect "Verdict: PASS, the name leads back" "step 3 passes" 60

keys Enter
expect "Step 4 of 5: Trace the delegation" "Enter goes to step 4"
expect "Verdict: PASS, every server of every zone" "step 4 passes: no server blamed" 120
expect_not "no reply \(timeout\)|DELEGATION_UNREACHABLE|TRACE_LIMIT" "the trace saw no silent server"

keys Enter
expect "Step 5 of 5: Test again" "Enter goes to step 5"
expect "PASS: as far as reverse DNS goes" "step 5 passes after a fresh run" 120

keys q
expect_restored "q"
expect "EXITED 0" "a passing IP exits 0"
tui_done
