#!/bin/bash
# Step 5's delivery test against the lab's real Postfix (LAB_WITH_POSTFIX=1):
# nothing is sent until s is pressed and an address typed; from 198.18.25.11
# (no PTR; one of the lab machine's own addresses) Postfix rejects with its
# 450 and step 5 says the receiver still rejects for reverse DNS, with the
# transcript in the pane; from 198.18.25.10 it is accepted.
if [ -z "${LAB_ROOT_HINTS:-}" ]; then
        if [ "$(id -u)" != 0 ]; then
                echo "skip: the lab's Postfix needs root"
                exit 0
        fi
        export LAB_WITH_POSTFIX=1
fi
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

W=120 H=60 tui_wizard 198.18.25.11
expect "NXDOMAIN: the name 11\.25\.18\.198\.in-addr\.arpa\. does not exist" "198.18.25.11 has no PTR"
keys Enter Enter Enter
expect "Step 5 of 5: Test again" "on to step 5"
expect "Send a test to an address of yours" "step 5 offers the delivery test"
expect "Press s to send a test" "... opt-in, with its key"
grep -q ";; -> \|ESMTP" <<<"$TUI_LAST" && not_ok "nothing is sent before s" || ok "nothing is sent before s"
keys s
expect "Send to +_" "s asks for the address"
keys -l "postmaster@ptr.example.com"
expect "Send to +postmaster@ptr\.example\.com_" "the address is typed"
keys Enter
expect "the receiver still rejects for reverse DNS \(Postfix 450 4\.7\.1 at RCPT TO\)" \
        "step 5: rejected for reverse DNS" 90
expect "From +198\.18\.25\.11" "sent from the diagnosed IP"
keys G # the end of the transcript
expect "450 4\.7\.1 Client host rejected: cannot find your reverse hostname, \[198\.18\.25\.11\]" \
        "the transcript shows Postfix's reply"
expect ";; -> RCPT TO:<postmaster@ptr\.example\.com>" "the transcript shows what was sent"
keys q
expect "EXITED 1" "a failing IP exits 1"

W=120 H=60 tui_wizard 198.18.25.10
expect "PTR +mail25\.example\.com\." "198.18.25.10 has its PTR"
keys Enter Enter Enter
expect "Step 5 of 5: Test again" "on to step 5"
keys s
expect "Send to +_" "s asks for the address"
keys -l "postmaster@fcrdns.example.com"
keys Enter
expect "accepted: the reverse DNS check passes now \(250 at RCPT TO\)" "step 5: accepted" 90
keys G
expect "250 2\.1\.5 Ok" "the transcript shows the acceptance"
keys q
expect "EXITED 0" "a passing IP exits 0"
tui_done
