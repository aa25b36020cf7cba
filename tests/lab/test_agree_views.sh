#!/usr/bin/env bash
# One diagnosis in every view: for every scenario of the lab
# (scenarios.tsv and scenarios-trace.tsv), `ptrwiz check --json` (with its
# trace), `ptrwiz trace --json` and the wizard's Markdown report
# (`ptrwiz report`, the same session and export as the wizard's 'e', without
# a screen) give the same findings, verdict and party to act. The scenario
# files' own expectations are test_check_scenarios.sh's and test_trace.sh's;
# here only the views are compared with each other.
# shellcheck disable=SC2016 # jq programs are single-quoted on purpose
set -u
src=${PTRWIZ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${LAB_DIR:-}" ]; then
        exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
fi
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
lab=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR")
export XDG_CACHE_HOME=$LAB_DIR/agree-cache
dir=$LAB_DIR/agree
mkdir -p "$dir"
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# What a JSON view says: every finding's code, severity and actor in order,
# the verdict and the party to act.
json_view() {
        jq -r '([.findings[] | "\(.code) \(.severity) \(.actor)"] | join(", ")) + " | " + .verdict + " | " + .actor + " (" + .who + ")"' "$1" 2>/dev/null
}
# The problems and warnings of a view, one message a line, sorted; the
# report's Markdown escapes (a backslash before punctuation) are not the
# text's. Numbers (milliseconds waited, which of two servers a resolver
# asked) differ from run to run and are left out.
json_problems() {
        jq -r '.findings[] | select(.severity != "info") | .message' "$1" | sed 's/\\//g' |
                sed -E 's/[0-9]+/N/g' | sort
}
# The report's summary table: | Severity | Code | Step | Problem | Fix | Who |
# (an escaped \| inside a cell is not a column).
report_rows() {
        sed -n '/^## Summary/,/^## Step 1/p' "$1" | grep '^| *\(error\|warning\) |' |
                sed 's/\\|/\x01/g'
}
report_problems() {
        report_rows "$1" | awk -F'|' '{ print $5 }' | sed 's/^ //; s/ $//' | tr '\001' '|' |
                sed 's/\\//g' | sed -E 's/[0-9]+/N/g' | sort
}
json_codes() { jq -r '[.findings[] | select(.severity != "info") | .code] | sort | join(",")' "$1"; }
report_codes() {
        report_rows "$1" | awk -F'|' '{ gsub(/ /, "", $3); print $3 }' | sed 's/\\//g' |
                sort | paste -sd, -
}
report_field() { sed 's/\\//g' "$1" | sed -n "s/^- \*\*$2:\*\* //p" | head -1; }

scenarios() {
        cat "$src/tests/lab/scenarios.tsv" "$src/tests/lab/scenarios-trace.tsv" |
                grep -v -e '^#' -e '^ip'$'\t' -e '^$'
}

n=0
while IFS=$'\t' read -r ip opts _verdict _codes desc; do
        [ "$opts" = - ] && opts=
        n=$((n + 1))
        what="$ip ${opts:+($opts) }$desc"
        base=$dir/$n
        # The three views of one scenario at once: they wait on the same
        # slow servers.
        # shellcheck disable=SC2086
        "$ptrwiz" check --json "${lab[@]}" $opts "$ip" >"$base.check" 2>"$base.check.err" &
        check_pid=$!
        # shellcheck disable=SC2086
        "$ptrwiz" trace --json "${lab[@]}" $opts "$ip" >"$base.trace" 2>"$base.trace.err" &
        trace_pid=$!
        # shellcheck disable=SC2086
        "$ptrwiz" report "${lab[@]}" $opts "$ip" >"$base.md" 2>"$base.md.err" </dev/null &
        report_pid=$!
        wait $check_pid
        check_rc=$?
        wait $trace_pid
        trace_rc=$?
        wait $report_pid
        report_rc=$?

        cv=$(json_view "$base.check") tv=$(json_view "$base.trace")
        if [ -z "$cv" ]; then
                bad "$what: check --json gave no JSON: $(head -c 300 "$base.check.err")"
                continue
        fi
        if [ "$cv" = "$tv" ] && [ $check_rc -eq $trace_rc ]; then
                ok "$what: check and trace: $cv (exit $check_rc)"
        else
                bad "$what: check and trace differ"
                echo "#   check (exit $check_rc): $cv"
                echo "#   trace (exit $trace_rc): $tv"
        fi

        verdict=$(jq -r .verdict "$base.check" | tr a-z A-Z)
        who=$(jq -r .who "$base.check")
        got_verdict=$(report_field "$base.md" Verdict)
        got_who=$(report_field "$base.md" "Who must act")
        want=$(json_problems "$base.check")
        got=$(report_problems "$base.md")
        want_codes=$(json_codes "$base.check")
        got_codes=$(report_codes "$base.md")
        if [ "$got_verdict" = "$verdict" ] && [ "$got_who" = "$who" ] && [ "$got" = "$want" ] &&
                [ "$got_codes" = "$want_codes" ] && [ $report_rc -eq $check_rc ]; then
                ok "$what: the report: $verdict, $who, [$got_codes], the same problems (exit $report_rc)"
        else
                bad "$what: the report differs from check --json"
                echo "#   verdict $got_verdict (check $verdict), who $got_who (check $who), exit $report_rc (check $check_rc)"
                echo "#   codes [$got_codes] (check [$want_codes])"
                diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
                [ -s "$base.md.err" ] && head -c 300 "$base.md.err" | sed 's/^/#   stderr: /'
        fi
done < <(scenarios)
[ $n -ge 30 ] && ok "$n scenarios compared" || bad "only $n scenarios read"

# ptrwiz report's own usage: one IP, --report FILE instead of stdout.
"$ptrwiz" report "${lab[@]}" >/dev/null 2>"$dir/usage.err" </dev/null
rc=$?
[ $rc -eq 2 ] && [ "$(grep -c '' "$dir/usage.err")" -eq 1 ] && ok "report without an IP: exit 2, one line" ||
        bad "report without an IP: exit $rc, $(head -c 300 "$dir/usage.err")"
"$ptrwiz" report --help >/dev/null 2>&1 && ok "report --help: exit 0" || bad "report --help: exit $?"
"$ptrwiz" report "${lab[@]}" --report "$dir/file.md" 198.18.1.13 >"$dir/file.out" 2>/dev/null </dev/null
rc=$?
if [ $rc -eq 1 ] && [ ! -s "$dir/file.out" ] && grep -q '^- \*\*Who must act:\*\* DNS provider$' "$dir/file.md"; then
        ok "report --report FILE: the report in FILE, nothing on stdout, exit 1"
else
        bad "report --report FILE: exit $rc, $(head -c 200 "$dir/file.md" 2>&1)"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
