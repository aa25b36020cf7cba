#!/bin/bash
# `/` searches the help and the trace: the trace pane follows its end, so
# the root's referral is off screen until / finds it; in the help, / finds
# Postfix's FCrDNS check among the receivers; n goes to the next match.
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

W=120 H=40 tui_wizard 198.18.1.10
expect "Verdict: PASS, the PTR record is in order" "198.18.1.10 passes"
keys Tab Tab # the breakdown, then the trace
expect ";; done: 10\.1\.18\.198\.in-addr\.arpa\. PTR mail\.example\.com\." "the trace pane shows its end"
expect_not ";; zone \. from [ab]\.root-servers\.net\." "the root's replies are scrolled off"
keys /
expect "/ \(type, Enter finds, Esc stops\)" "/ asks for the text"
keys "zone . from a.root"
expect "/zone \. from a\.root" "the query is typed on the status line"
keys Enter
expect ";; zone \. from a\.root-servers\.net\. \(127\.53\.0\.1\)" "Enter scrolls the trace to the match"
expect "/zone \. from a\.root: found" "and says so"
# The match is marked (the selection's colours, reverse video without
# colour), as less and vim do; the rest of its line is not.
marked=$(T capture-pane -e -p -t w | grep -F 'zone . from a.root' | head -1)
sel=$'\e\\[([0-9;]*;)?(7|4[0-7])m'
check grep -qE "${sel}zone \\. from a\\.root" <<<"$marked" "the match is marked"
check bash -c '! grep -qE "$2;; " <<<"$1"' _ "$marked" "$sel" "the text before it is not"
keys / "no such text here" Enter
expect "/no such text here: not found" "a miss is said"
keys '?'
expect "Help: step 2" "? opens the help"
keys / "reject_unknown_client_hostname" Enter
expect "Postfix, reject_unknown_client_hostname: the PTR name must resolve" "/ in the help finds Postfix's FCrDNS check"
keys n
expect "reject_unknown_client_hostname: found" "n finds the next"
keys Escape q
expect_restored "q"
tui_done
