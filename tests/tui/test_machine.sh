#!/bin/bash
# Step 1's "this machine" (m, --this-machine): on the mail server, instead
# of a bounce, the addresses it would send from (LAB_DEFAULT_ROUTE=1: the
# kernel picks them from real routes; the lab's sender-side Postfix allows
# IPv6 and greets as "mailhost"), each checked, with the HELO name judged;
# the failing IPv6 source is picked first and Enter walks the wizard for it.
export LAB_DEFAULT_ROUTE=1
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

machine=(--postfix-config "$LAB_SENDER_POSTFIX" --toward 198.51.100.25 --toward 2001:db8:25::25)
W=120 H=40 tui_wizard "${machine[@]}"
expect "then m checks the addresses this machine sends from instead" "step 1 offers this machine"
keys Escape m
expect "The addresses this machine sends from" "m lists this machine's source addresses"
expect "198\.18\.25\.10 +IPv4 source \(route\): PASS" "the IPv4 source passes"
expect "3fff:0:0:1::11 +IPv6 source \(route\): FAIL" "the IPv6 source fails (no PTR)"
expect "SENDER_IPV6_NO_PTR: this machine would send over IPv6 from 3fff:0:0:1::11" \
        "the finding: IPv6 is used and has no PTR"
expect "SENDER_HELO_NOT_FQDN: the HELO name mailhost" "the HELO name is judged"
expect "Press Enter to check 3fff:0:0:1::11" "the failing source the MTA uses is picked first"
keys Enter
expect "Step 2 of 5: Check the PTR record" "Enter walks the wizard for it"
expect "reverse DNS for mail +3fff:0:0:1::11" "for the IPv6 source"
expect "Verdict: FAIL" "its PTR fails"
keys q
expect "EXITED 1" "exit 1"

# --this-machine starts there; with an IP it is a usage error.
W=120 H=40 tui_wizard "${machine[@]}" --this-machine
expect "3fff:0:0:1::11 +IPv6 source \(route\): FAIL" "--this-machine starts with the list"
keys q
expect "EXITED 0" "q before any check: exit 0"
out=$("$PTRWIZ" "${LAB[@]}" --this-machine 198.18.1.10 2>&1)
rc=$?
check test "$rc" = 2 "--this-machine with an IP: exit 2 (got $rc)"
check grep -q "^ptrwiz: --this-machine finds the addresses itself" <<<"$out" "and one line says why"
tui_done
