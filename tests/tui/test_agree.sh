#!/bin/bash
# One diagnosis everywhere: for lab scenarios, `ptrwiz check --json` and the
# wizard (its summary and the Markdown report it writes on quit) give the
# same verdict, the same problems and the same party to act, and the
# wizard's exit status is the check's; `ptrwiz report` writes the same
# report without a screen (tests/lab/test_agree_views.sh compares it, check
# and trace for every lab scenario). The wizard runs the check and the trace as one diagnosis, so the
# trace's findings (a delegation loop, lame servers) are not beside a
# contradicting "add a PTR".
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"
lab=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR")

# The problems and warnings of a report, one message a line, sorted.
report_problems() {
        # Markdown escapes (a backslash before punctuation) are not the text's.
        # The summary table's Problem column: split at unescaped bars first.
        python3 -c '
import re, sys
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if not re.match(r"^\| (error|warning) \|", line):
        continue
    cells = re.split(r"(?<!\\)\|", line.strip())
    print(re.sub(r"\\(.)", r"\1", cells[4].strip()))' "$1" | sort -u
}

command -v python3 >/dev/null || not_ok "python3 is missing (bash scripts/deps.sh test installs it)"
for ip in 198.18.14.1 198.18.1.10 198.18.1.11 198.18.1.13 198.18.1.19 198.18.8.1 198.18.2.70 198.18.6.1 198.18.9.1 198.18.1.15; do
        json=$("$PTRWIZ" check --json "${lab[@]}" "$ip" 2>/dev/null)
        verdict=$(jq -r .verdict <<<"$json")
        want=$(jq -r '.findings[] | select(.severity != "info") | .message' <<<"$json" | sed 's/\\//g' | sort -u)
        report=$TUI_DIR/report-$ip.md
        rm -f "$report"
        W=120 H=40 tui_wizard --report "$report" "$ip"
        upper=$(tr a-z A-Z <<<"$verdict")
        who=$(jq -r .who <<<"$json")
        expect "Result +$upper" "$ip: the summary says $upper, as check --json does"
        expect "Who +$who" "$ip: the summary names $who to act, as check --json does"
        keys q
        case $verdict in fail) rc=1 ;; *) rc=0 ;; esac
        expect "EXITED $rc" "$ip: the wizard exits $rc, as check does"
        wait_file "$report"
        got=$(report_problems "$report")
        check test "$got" = "$want" "$ip: the report lists the same problems as check --json"
        if [ "$got" != "$want" ]; then
                diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
        fi
        check grep -qi "Verdict:\*\* $verdict" "$report" "$ip: the report's verdict is $verdict"
        check grep -q "Who must act:\*\* $who\$" "$report" "$ip: the report names $who to act"
        # The report without a screen is the same export of the same session.
        "$PTRWIZ" report "${lab[@]}" "$ip" >"$report.headless" 2>/dev/null </dev/null
        check test "$(report_problems "$report.headless")" = "$got" \
                "$ip: ptrwiz report lists the same problems as the wizard's export"
done

# The loop explains the negative answer: step 2 has no finding of its own,
# but it does not pass either (it points to step 4).
report=$TUI_DIR/report-198.18.14.1.md
check grep -q 'Verdict: FAIL, no PTR answer comes back because of the delegation' "$report" \
        "198.18.14.1: step 2 fails and points to the delegation, not 'PASS, the PTR record is in order'"

# The loop explains the negative answer: no "add a PTR" anywhere.
W=120 H=40 tui_wizard 198.18.14.1
expect "Result +FAIL" "198.18.14.1 fails"
expect_not "IN PTR" "step 2 does not ask to add a PTR the loop hides"
keys Enter Enter
expect "Step 4 of 5" "on to step 4"
expect "loop" "step 4 shows the delegation loop"
keys q
tui_done
