#!/bin/bash
# A rejection that is not about reverse DNS (Gmail's DMARC 5.7.26, an
# unknown user) never offers to check an address: step 1 says what the
# problem is and what to check instead, and Enter does not check Gmail's
# own server (142.250.27.26).
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

for f in negative_gmail_dmarc_receiver_only_postfix_dsn negative_gmail_unknown_user_receiver_only_postfix_dsn; do
        W=120 H=40 tui_wizard --bounce "$PTRWIZ_SOURCE_DIR/tests/bounce/$f.txt"
        expect "It is not about reverse DNS" "$f: step 1 says it is not about reverse DNS"
        expect "Nothing to check here: this rejection is about" "$f: it says what the problem is"
        expect "What to check instead" "$f: and what to check instead"
        expect_not "Press Enter to check" "$f: no address is offered"
        expect_not "Enter to check 142\.250\.27\.26" "$f: never the receiver's address"
        keys Enter
        expect "Step 1 of 5: Identify the error" "$f: Enter stays at step 1"
        expect_not "Step 2 of 5" "$f: no check of the receiver"
        keys Escape q
        expect "EXITED 0" "$f: exit 0"
done
tui_done
