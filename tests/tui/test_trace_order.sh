#!/bin/bash
# The trace pane puts every reply under
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
        W=120 H=70 tui_wizard --timeout 30000 --report "$report" "$ip"
        expect "Step 2 of 5" "$ip: the wizard opens"
        keys Tab Tab
        expect ";; done: " "$ip: the trace ends" 120
        # The pane zoomed, its lines without the box: the pane as drawn.
        keys z g
        expect ";; zone \. \(the root\)" "$ip: the trace pane starts at the root's heading"
        tui_screen | sed 's/^[│| ]*//; s/ *[│|]$//' >"$TUI_DIR/pane-$ip.txt"
        check order_ok "$TUI_DIR/pane-$ip.txt" \
                "$ip: every reply under its own zone's heading, each heading once"
        keys q
        expect "EXITED" "$ip: q quits"
        # The report carries the trace as ptrwiz trace prints it (main's
        # report as a document): each zone's heading once there too.
        check grep -q "^;; zone \.$" "$report" "$ip: the report carries the trace"
        check test -z "$(grep '^;; zone ' "$report" | sort | uniq -d)" \
                "$ip: the report names each zone once"
done
tui_done
