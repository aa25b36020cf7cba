#!/bin/bash
# The breakdown pane: the reversed labels and the record's name in its zone
# for IPv4, the nibbles of IPv6 (3fff:0:0:1::10), and the RFC 2317 CNAME
# hop of a classless delegation (198.18.2.70).
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

W=120 H=40 tui_wizard 198.18.1.10
expect "Verdict: PASS, the PTR record is in order" "198.18.1.10 passes"
keys Tab z
expect "Reversed +10\.1\.18\.198" "the octets reversed"
expect "Then add +in-addr\.arpa\." "the suffix (no + label, which LANG=C uses as a mark)"
expect "Owner name +10\.1\.18\.198\.in-addr\.arpa\." "the owner name"
expect "/24 +1\.18\.198\.in-addr\.arpa\. +name \"10\" +<- the PTR's zone" "the zone at the /24 cut and the record's name in it"
# The trace runs with the check (one diagnosis): the cuts it saw are marked.
expect "✓ /16 +18\.198\.in-addr\.arpa\." "the trace, run with the check, marks the /16 as a real cut"
expect "the name \"10\" inside the zone 1\.18\.198\.in-addr\.arpa\.;" "the record name explained"
keys z Enter Enter
expect "Verdict: PASS, every server" "step 4 shows the trace that ran with the check"
keys q

W=120 H=40 tui_wizard 3fff:0:0:1::10
expect "Verdict: PASS, the PTR record is in order" "the IPv6 address passes"
keys Tab z
expect "Written out +3fff:0000:0000:0001:0000:0000:0000:0010" "the address written out"
expect "Nibbles +0\.1\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.1\.0\.0\.0" "the nibbles, last first"
expect "Each hex digit \(nibble\) of the address is one label" "nibbles explained"
expect "✓ /64 +1\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.f\.f\.f\.3\.ip6\.arpa\. +<- the PTR's zone" "the /64 zone"
expect "name \"0\.1\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\.0\"" "the record's name in the /64 zone"
keys q

W=120 H=40 tui_wizard 198.18.2.70
expect "Verdict: PASS, the PTR record is in order" "the classless address passes"
# A warning the trace adds on a loaded machine (a server slow to answer)
# can push the record below the fold: scroll to it, the layout is not the test.
# TTLs as 3[0-9]{3}: the resolver's cache counts a TTL down while a slow machine works.
scroll_to "70\.2\.18\.198\.in-addr\.arpa\. 3[0-9]{3} IN CNAME"
expect "70\.2\.18\.198\.in-addr\.arpa\. 3[0-9]{3} IN CNAME 70\.64/26\.2\.18\.198\.in-addr\.arpa\." "step 2 shows the CNAME"
keys Tab z
expect "The CNAME hop \(RFC 2317\)" "the breakdown explains the CNAME hop"
expect "70\.2\.18\.198\.in-addr\.arpa\. CNAME 70\.64/26\.2\.18\.198\.in-addr\.arpa\." "the hop"
expect "✓ /24 +2\.18\.198\.in-addr\.arpa\. +name \"70\" +<- holds the CNAME" "the /24 holds the CNAME"
expect "PTR in +64/26\.2\.18\.198\.in-addr\.arpa\., where the record's name is \"70\"" "the PTR's zone and name"
# What the classless label means, and the path from the name asked to the answer.
expect "The label \"64/26\" names the block" "the classless label is explained"
expect "198\.18\.2\.64 to 198\.18\.2\.127 \(64 of them\), delegated to the customer" "the block's addresses"
expect "The name a receiver asks, 70\.2\.18\.198\.in-addr\.arpa\., still lives in the /24's zone" "the name asked is in the /24 zone"
expect "CNAME leads to 70\.64/26\.2\.18\.198\.in-addr\.arpa\., in the customer's zone" "the CNAME leads to the answered record"
keys q
tui_done
