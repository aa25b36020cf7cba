#!/bin/bash
# The trace pane (and the report that carries it) puts every reply under
# its own zone's heading, each heading once, however the replies of the
# servers interleave: with every lab server 100 ms away a zone's apex
# SOA/NS replies come in after the trace has gone on to the child zone.
# A zone asked again for a CNAME's target (RFC 2317) says so.
export LAB_DELAY_MS=${LAB_DELAY_MS:-100}
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

order_ok() { # REPORT: every ";; zone Z from S" and ";; S Z: ..." line is under Z's heading
        awk '
        /^;; zone .* \(from |^;; zone \. \(the root\)|^;; zone .*, asked directly/ {
                z = $3; sub(/,$/, "", z)
                if (seen[z]++) { print "heading repeated: " $0; bad = 1 }
                cur = z; next }
        /^;; zone [^ ]+ again, for / { cur = $3; next }
        /^;; zone .* from / { if ($3 != cur) { print "under " cur ": " $0; bad = 1 } next }
        /^;; [^ ]+ [^ ]+: (SOA|NS)/ { z = $3; sub(/:$/, "", z); if (z != cur) { print "under " cur ": " $0; bad = 1 } }
        END { exit bad }' "$1"
}

for ip in 198.18.1.10 198.18.2.70 198.18.6.1; do
        report=$TUI_DIR/report-$ip.md
        W=120 H=40 tui_wizard --timeout 30000 --report "$report" "$ip"
        expect "Step 2 of 5" "$ip: the wizard opens"
        keys Tab Tab
        expect ";; done: " "$ip: the trace ends" 120
        keys q
        expect "EXITED" "$ip: q quits"
        check grep -q "^;; zone \. (the root)" "$report" "$ip: the report carries the trace"
        check order_ok "$report" "$ip: every reply under its own zone's heading, each heading once"
done
tui_done
