#!/bin/bash
# Faults of this machine in the wizard: with root servers that never answer
# (outgoing DNS blocked, as far as ptrwiz can tell) step 2 and the report
# say this machine cannot reach DNS servers, nobody else is to act, and the
# wizard exits 3 as check does; with a local firewall (nft) blocking one
# server of the zone, step 2 says in one line that the fault is this
# machine's, and that server is not blamed.
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

hints=$TUI_DIR/silent.hints
printf '. 3600000 NS a.root-servers.net.\na.root-servers.net. 3600000 A 127.53.8.1\n' >"$hints"
report=$TUI_DIR/silent.md
tui_start 160 50 "$PTRWIZ" --root-hints "$hints" --timeout 1500 --report "$report" 198.18.1.10
expect "Problem: this machine cannot reach DNS servers \(firewall\? offline\?\)" \
        "silent roots: step 2 says this machine cannot reach DNS servers"
expect "You: this machine's network or DNS setup kept ptrwiz from asking" "silent roots: this machine acts"
expect_not "IP block holder must" "silent roots: the IP block holder is not blamed"
expect "Result UNKNOWN" "silent roots: the summary's verdict is UNKNOWN, not FAIL"
keys q
expect "EXITED 3" "silent roots: q quits, exit 3 (as check)"
check grep -q "this machine cannot reach DNS servers" "$report" "silent roots: the report says so"
check bash -c '! grep -qi "block holder must" "$1"' _ "$report" "silent roots: the report blames no block holder"
check grep -q "^- \*\*Verdict:\*\* UNKNOWN" "$report" "silent roots: the report's verdict is UNKNOWN"

if command -v nft >/dev/null && nft add table inet ptrwiz_tui &&
        nft add chain inet ptrwiz_tui out '{ type filter hook output priority 0; }' &&
        nft add rule inet ptrwiz_tui out ip daddr 127.53.6.1 drop; then
        tui_start 160 50 "$PTRWIZ" "${LAB[@]}" 198.18.1.10
        expect "Verdict: PASS, the PTR record is in order" "one server blocked here: step 2 passes"
        expect "On this machine: UDP: blocked on this host, a firewall\? \(Operation not permitted\)\. The" \
                "one server blocked here: step 2 says the fault is this machine's"
        keys q
        expect "EXITED 0" "one server blocked here: exit 0"
        nft delete table inet ptrwiz_tui
else
        TUI_LAST="(nft: $(command -v nft || echo missing))"
        not_ok "nft cannot add an output rule in the lab (bash scripts/deps.sh test installs nftables)"
fi
tui_done
