#!/bin/bash
# The helpdesk: for a missing PTR the wizard shows a message ready to send
# to the operator of the reverse zone, naming the exact record and the
# zone's SOA contact as an address; c copies it (OSC 52, read back from
# tmux's clipboard buffer, and a file). From a pasted bounce the message
# quotes the rejection and names the bounce's sending server.
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

W=120 H=40 tui_wizard --expect-host mail.example.com 198.18.1.11
T set -s set-clipboard on
expect "Verdict: FAIL, this is why receivers reject the mail" "step 2 fails for 198.18.1.11"
scroll_to "Target: +mail"
expect "A message for the operator of the reverse zone 1\.18\.198\.in-addr\.arpa\." \
        "step 2 shows a message for the reverse zone's operator"
expect "To: hostmaster@example\.net" "the SOA RNAME hostmaster.example.net. becomes hostmaster@example.net"
expect "11\.1\.18\.198\.in-addr\.arpa\. IN PTR mail\.example\.com\." "the message names the exact record"
expect "Target: +mail\.example\.com\." "and the target on its own line"
expect "c copy msg" "the status line offers c"
keys c
expect "Message copied to the clipboard \(OSC 52\) and written to" "c copies the message"
clip=$(T show-buffer 2>/dev/null)
check grep -q "^    11\.1\.18\.198\.in-addr\.arpa\. IN PTR mail\.example\.com\.$" <<<"$clip" \
        "the clipboard (OSC 52) holds the record, whole, on one line"
check grep -q "^To: hostmaster@example\.net$" <<<"$clip" "the clipboard holds the SOA contact"
check grep -q "IN PTR mail\.example\.com\." "$TUI_DIR/ptrwiz-ticket-198.18.1.11.txt" \
        "the message is written to ptrwiz-ticket-198.18.1.11.txt too"
keys q
expect "EXITED 1" "exit 1"

# At 80x24 the record's names are never cut: each one is whole on a line.
W=80 H=24 tui_wizard --expect-host mail.example.com 198.18.1.11
expect "Verdict: FAIL" "80x24: step 2 fails"
keys z
scroll_to "^. +11\.1\.18\.198\.in-addr\.arpa\. IN PTR"
expect "11\.1\.18\.198\.in-addr\.arpa\. IN PTR mail\.example\.com\." "80x24: the record is whole on one line"
keys q
expect "EXITED 1" "exit 1"

# From the bounce: the rejection quoted, the bounce's sending server as the target.
W=120 H=40 tui_wizard --bounce "$PTRWIZ_SOURCE_DIR/tests/tui/bounce-lab.txt"
expect "It is about reverse DNS" "step 1 reads the bounce"
keys Enter
expect "Verdict: FAIL" "step 2 fails" 90
scroll_to "IN PTR mail\.example\.net\."
expect "A message for the operator of the reverse zone 1\.18\.198\.in-addr\.arpa\." "step 2 has the message"
scroll_to "> 550.5\.7\.25"
expect "> 550.5\.7\.25 \[198\.18\.1\.11\] The IP address" "the message quotes the rejection"
expect "IN PTR mail\.example\.net\." "the target is the sending server the bounce names"
keys q
expect "EXITED 1" "exit 1"

# A PTR in order: nobody to write to.
W=120 H=40 tui_wizard 198.18.1.10
expect "Verdict: PASS, the PTR record is in order" "198.18.1.10 passes"
expect_not "A message for" "no message when nobody has to act"
keys c
expect "No message to send: nobody else has to act" "c says there is nothing to send"
keys q
expect "EXITED 0" "exit 0"

# check --ticket prints the same message.
out=$("$PTRWIZ" check "${LAB[@]}" --ticket --expect-host mail.example.com 198.18.1.11)
check grep -q "^    11\.1\.18\.198\.in-addr\.arpa\. IN PTR mail\.example\.com\.$" <<<"$out" \
        "check --ticket prints the record"
check grep -q "^To: hostmaster@example\.net$" <<<"$out" "check --ticket names the SOA contact"
# A PTR that exists but must change (a generic name): no negative answer
# carries the SOA, the zone lookup does.
out=$("$PTRWIZ" check "${LAB[@]}" --ticket 198.18.1.15)
check grep -q "^Subject: Please change the reverse DNS (PTR) record of 198\.18\.1\.15$" <<<"$out" \
        "check --ticket for a generic PTR asks to change it"
check grep -q "^To: hostmaster@example\.net$" <<<"$out" \
        "check --ticket names the SOA contact when the PTR exists too"
tui_done
