#!/bin/bash
# "Which receivers check what": beside step 3's verdict (IPv6 adds
# Microsoft), and the long form with its sources in the help of step 3.
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

W=120 H=40 tui_wizard 198.18.1.13
expect "Verdict: PASS, the PTR record is in order" "198.18.1.13 has a PTR (its A does not match)"
keys Enter
expect "Step 3 of 5" "Enter goes to step 3"
expect "Which receivers check what" "step 3 names which receivers check what"
expect "Any PTR +Postfix reject_unknown_reverse_client_hostname$|Any PTR +Postfix reject_unknown_reverse_client_hostname +│" "any PTR: Postfix's reverse check (no Microsoft for IPv4)"
expect "FCrDNS +Gmail; Postfix reject_unknown_client_hostname; Exim verify = reverse_host_lookup" "FCrDNS: Gmail, Postfix, Exim"
expect "Name +generic-name filters" "the generic-name filters"
keys '?'
expect "WHICH RECEIVERS CHECK WHAT" "the help of step 3 has the table"
expect "https://support\.google\.com/a/answer/81126" "with Gmail's source"
keys NPage
expect "https://www\.postfix\.org/postconf\.5\.html#reject_unknown_client_hostname|https://github\.com/stevejenkins" "the sources are in the help"
keys Escape q

W=120 H=40 tui_wizard 3fff:0:0:1::10
expect "Verdict: PASS, the PTR record is in order" "the IPv6 address passes step 2"
keys Enter
expect "Step 3 of 5: Match the AAAA record" "IPv6: step 3 matches the AAAA record"
expect "· 3 Match AAAA record|✓ 3 Match AAAA record" "IPv6: the step list says AAAA"
expect "Any PTR +Postfix reject_unknown_reverse_client_hostname; Microsoft, over IPv6" "over IPv6 Microsoft asks for any PTR"
keys q
tui_done
