#!/bin/bash
# The lab tour: --lab NAME opens a named lab scenario with a word on what is
# broken in it (198.18.10.1, delegated elsewhere, with its --expect-ns);
# --lab list names them; it refuses root hints outside this machine, and
# scripts/lab-demo.sh tour walks the scenarios one after another.
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

list=$("$PTRWIZ" --lab list)
check grep -q "^elsewhere	198\.18\.10\.1	" <<<"$list" "--lab list names the scenarios with their addresses"
hints=$TUI_DIR/outside.hints
printf '.\t3600000\tNS\ta.root-servers.net.\na.root-servers.net.\t3600000\tA\t198.41.0.4\n' >"$hints"
"$PTRWIZ" --root-hints "$hints" --lab pass 2>"$TUI_DIR/err" </dev/null
check test $? = 2 "--lab refuses root hints outside this machine"
check grep -q "outside this machine" "$TUI_DIR/err" "... and says why"

W=120 H=40 tui_wizard --lab elsewhere
expect "Lab scenario \"elsewhere\" \(198\.18\.10\.1\)" "step 2 names the scenario"
expect "The PTR was created at a DNS provider, but the reverse zone is delegated to the ISP" "and says what is broken"
expect "Verdict: FAIL" "the scenario fails"
keys Enter Enter
expect "not to ns1\.dnsprovider\.example\.org\." "step 4 finds the delegation elsewhere (its --expect-ns)" 90
keys q
expect "EXITED 1" "the wizard exits 1 for the failing scenario"

# The tour: each scenario in turn, q goes on to the next.
TUI_ENV=(PTRWIZ="$PTRWIZ")
W=120 H=40 tui_start 120 40 "${TUI_ENV[@]}" bash "$PTRWIZ_SOURCE_DIR/scripts/lab-demo.sh" tour
expect "Scenario 1 of [0-9]+: pass\." "the tour announces the first scenario"
keys Enter
expect "Lab scenario \"pass\" \(198\.18\.1\.10\)" "the first scenario opens"
expect "Verdict: PASS, the PTR record is in order" "... and passes"
keys q
expect "Scenario 2 of [0-9]+: no-ptr\." "q goes on to the next scenario"
keys Enter
expect "Lab scenario \"no-ptr\" \(198\.18\.1\.11\)" "the second scenario opens"
expect "Verdict: FAIL" "... and fails"
keys q C-c
tui_done
