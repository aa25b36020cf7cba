#!/bin/bash
# Step 1 with a bounce: pasted (bracketed paste), from --bounce FILE and
# from stdin (--bounce -, the terminal is /dev/tty then); picking among the
# addresses found; bytes from the paste and the DNS are shown escaped.
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"
BOUNCE=$PTRWIZ_SOURCE_DIR/tests/tui/bounce-lab.txt

W=120 H=50 tui_wizard
expect "Your text \(editing\)" "step 1 waits for text"
T load-buffer -b bounce "$BOUNCE"
T paste-buffer -p -b bounce -t w
expect "It is about reverse DNS" "a pasted bounce is read as a reverse DNS rejection"
expect "Their server +gmail-smtp-in\.l\.google\.com" "step 1 says which server refused the mail"
expect "SMTP code +550 5\.7\.25" "step 1 shows the SMTP codes"
expect "198\.18\.1\.11 +named in the rejection \(the sender\)" "the sending IP is offered"
expect "Other addresses in the text \(not offered\)" "the other addresses are listed apart"
expect "142\.251\.170\.27 +the receiving server; not the sending IP" \
        "the receiving server's address is shown, as not the sending IP"
expect "10\.0\.0\.12 +the client that handed" "the submitting client is not offered either"
expect "Your text \(editing\)" "the paste keeps its lines: still editing"
keys Enter
expect "Press Enter to check 198\.18\.1\.11\. " "Enter ends the text; the sender is the only offer"
keys Down
expect_not "Press Enter to check 142\.251\.170\.27" "Down never picks the receiver's address"
expect "Press Enter to check 198\.18\.1\.11" "the sender stays picked"
keys Enter
expect "Step 2 of 5: Check the PTR record" "Enter checks the picked address"
expect "NXDOMAIN: the name 11\.1\.18\.198\.in-addr\.arpa\. does not exist" "step 2 checks 198.18.1.11"

keys Enter
expect "Step 3 of 5" "step 3"
printf 'Rejected: 550 \033[31mred\007 client [198.18.1.13]\n' >"$TUI_DIR/evil.txt"
T load-buffer -b evil "$TUI_DIR/evil.txt"
T paste-buffer -p -b evil -t w
expect "Step 1 of 5: Identify the error" "a paste in another step starts over at step 1"
expect "Rejected: 550 \\\\027\[31mred\\\\007 client \[198\.18\.1\.13\]" "control bytes in a paste are shown escaped"
keys Escape
expect "Press Enter to check 198\.18\.1\.13" "the pasted address is found"
keys Enter
expect "Step 2 of 5" "and checked"
expect "Verdict: PASS, the PTR record is in order" "198.18.1.13 has a PTR"
keys q
expect "EXITED 1" "q: the mismatch of 198.18.1.13 exits 1"

# A terminal without bracketed paste: the lines arrive as fast typing, and
# an Enter with more keys right behind it is a line break, not "check".
W=120 H=40 tui_wizard
expect "Your text \(editing\)" "step 1 waits for text again"
keys -l "$(printf 'host mx.example.net said: 550 no PTR for you\r[198.18.1.13] try again')"
expect "\[198\.18\.1\.13\] try again" "an unbracketed paste keeps its second line"
expect "Your text \(editing\)" "... and does not submit the text"
expect "198\.18\.1\.13" "the address in it is found"
keys q
expect "try againq" "q is text while editing"
keys Escape q
expect "EXITED 0" "Esc leaves the text box, then q quits"

printf 'Rejected: 550 \033[31mred\007 [198.18.1.13]\n' >"$TUI_DIR/evil-file.txt"
W=120 H=40 tui_wizard --bounce "$TUI_DIR/evil-file.txt"
expect "Rejected: 550 \\\\027\[31mred\\\\007 \[198\.18\.1\.13\]" "control bytes from --bounce FILE are shown escaped"
keys q

# The receiver's address is the only one: nothing is offered, and Enter
# does not check it.
printf '%s\n' '<someone@gmail.com>: host gmail-smtp-in.l.google.com[198.18.1.13] said:' \
        '    550-5.7.25 The IP address sending this message does not have a PTR record' \
        '    550 5.7.25 setup. - gsmtp (in reply to end of DATA command)' >"$TUI_DIR/receiver-only.txt"
W=120 H=40 tui_wizard --bounce "$TUI_DIR/receiver-only.txt"
expect "It is about reverse DNS" "receiver only: read as reverse DNS"
expect "The sending IP is not in the text" "receiver only: says the sending IP is not in the text"
expect "198\.18\.1\.13 +the receiving server; not the sending IP" "receiver only: its address is not the sender's"
expect_not "Press Enter to check" "receiver only: no address is offered"
keys Enter
expect "Your text \(editing\)" "receiver only: Enter opens the text to type an address"
expect "Step 1 of 5: Identify the error" "receiver only: Enter stays in step 1"
keys Enter
expect "Nothing offered to check" "receiver only: Enter again says why nothing is checked"
keys Escape q

# The whole DSN without the sending IP: the Reporting-MTA is named instead.
printf '%s\n' 'Reporting-MTA: dns; mail.example.net' '' 'Final-Recipient: rfc822; a@gmail.com' \
        'Action: failed' 'Status: 5.7.25' 'Remote-MTA: dns; gmail-smtp-in.l.google.com' \
        'Diagnostic-Code: smtp; 550-5.7.25 The IP address sending this message does not have a' \
        '    550 5.7.25 PTR record setup. - gsmtp' >"$TUI_DIR/no-ip-dsn.txt"
W=120 H=40 tui_wizard --bounce "$TUI_DIR/no-ip-dsn.txt"
expect "names your sending server mail\.example\.net" "no IP: the Reporting-MTA is the candidate"
expect "ptrwiz check mail\.example\.net" "no IP: how to resolve and check it"
keys q

# Not a PTR problem: what it is and what to check instead, no IP offered.
printf '%s\n' '<nobody@gmail.com>: host gmail-smtp-in.l.google.com[198.18.1.13] said:' \
        '    550-5.1.1 The email account that you tried to reach does not exist. - gsmtp' \
        '    550 5.1.1 (in reply to RCPT TO command)' >"$TUI_DIR/nouser.txt"
W=120 H=40 tui_wizard --bounce "$TUI_DIR/nouser.txt"
expect "It is not about reverse DNS: the recipient address does not exist" "non-PTR: says what it is"
expect "What to check instead: check the spelling of the recipient address" "non-PTR: what to check instead"
expect_not "Press Enter to check" "non-PTR: no IP is offered"
keys q

W=120 H=40 tui_wizard --bounce "$BOUNCE"
expect "Your text \(i edits\)" "--bounce FILE: step 1 with the text loaded"
expect "Press Enter to check 198\.18\.1\.11" "--bounce FILE: the sender is picked"
keys i
expect "Your text \(editing\)" "i edits the text"
keys Escape
keys Enter
expect "Step 2 of 5" "--bounce FILE: Enter checks it"
expect "Verdict: FAIL" "--bounce FILE: 198.18.1.11 fails"
keys q
expect "EXITED 1" "q: a failing check exits 1"

tui_start 120 40 BOUNCE_FILE="$BOUNCE" bash -c 'exec "$0" "$@" --bounce - <"$BOUNCE_FILE"' \
        "$PTRWIZ" "${LAB[@]}"
expect "Press Enter to check 198\.18\.1\.11" "--bounce -: the bounce comes from stdin"
keys Enter
expect "Step 2 of 5" "--bounce -: keys come from the terminal"
keys q
expect_restored "--bounce - q"

W=120 H=40 tui_wizard 198.18.1.17
expect "evil\\\\027\[31mred\\\\007\.example\.com\." "a PTR name with control bytes is shown escaped"
keys q
tui_done
