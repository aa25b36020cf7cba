#!/bin/bash
# A failed PTR lookup the trace contradicts, in the wizard: lab-hostile
# (tests/lab/tools/hostile.c) fails every query with the DNSSEC OK bit (a
# validating resolver's) for 198.19.0.15 and answers the trace's plain ones;
# for 198.19.0.16 it fails only the first lookup's queries, as a loaded
# machine or a lost burst of replies fails one lookup. Step 2 says a fresh
# resolver asked again: for .15 that it failed too and what to test, for .16
# that its answer is the one shown, and .16 passes.
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"
# shellcheck source=../lab/hostile.sh
. "$PTRWIZ_SOURCE_DIR/tests/lab/hostile.sh"

w=$TUI_DIR/hostile
mkdir -p "$w"
cat >"$w/root.zone" <<'ZONE'
. SOA root.hostile. hostmaster.hostile. 1 3600 600 86400 300
. NS root.hostile.
root.hostile. A 127.53.250.10
0.19.198.in-addr.arpa. NS ns1.hostile.
ns1.hostile. A 127.53.250.11
host-15.hostile. A 198.19.0.15
host-16.hostile. A 198.19.0.16
ZONE
cat >"$w/rev.zone" <<'ZONE'
0.19.198.in-addr.arpa. SOA ns1.hostile. hostmaster.hostile. 1 3600 600 86400 300
0.19.198.in-addr.arpa. NS ns1.hostile.
15.0.19.198.in-addr.arpa. PTR host-15.hostile.
16.0.19.198.in-addr.arpa. PTR host-16.hostile.
ZONE
printf '. 3600000 NS root.hostile.\nroot.hostile. 3600000 A 127.53.250.10\n' >"$w/hints"
printf 'zone 127.53.250.10 %s\nzone 127.53.250.11 %s\nrule 127.53.250.11 15.0.19.198.in-addr.arpa. do rcode=SERVFAIL\nrule 127.53.250.16 * rcode=SERVFAIL\n' \
        "$w/root.zone" "$w/rev.zone" >"$w/hostile.conf"
hostile_start "$w/hostile.conf" || exit 1
trap 'hostile_stop; tmux -S "$TUI_SOCK" kill-server 2>/dev/null; rm -rf "$TUI_DIR"' EXIT

tui_start 160 50 "$PTRWIZ" --root-hints "$w/hints" 198.19.0.15
expect "SERVFAIL: the lookup failed" "every DO query fails: step 2 says SERVFAIL"
expect "A fresh resolver asked again and failed too" "every DO query fails: step 2 says a fresh resolver asked again, in vain"
expect_not "Step 4 finds the server at fault" "every DO query fails: step 2 does not send the user to a server the trace found at fault"
keys q
expect "EXITED 1" "every DO query fails: exit 1"

# Through a forwarder that fails everything (127.53.250.16): its fault,
# not the zone's, which answers the trace.
tui_start 160 50 "$PTRWIZ" --root-hints "$w/hints" --resolver 127.53.250.16 198.19.0.15
expect "The resolver ptrwiz was told to use \(--resolver\) failed" \
        "a forwarder that fails: step 2 says the failure is that resolver's"
expect "Who +Whoever runs the resolver ptrwiz was told to use" "a forwarder that fails: its operator acts"
keys q
expect "EXITED 1" "a forwarder that fails: exit 1"

# The first lookup's DO queries, counted on a check without the trace (it
# asks once): the same number fails for .16, then the answer comes.
do_queries() { grep -c '^query 127\.53\.250\.11 udp 15\.0\.19\.198\.in-addr\.arpa\. PTR rule [0-9]* do$' "$w/hostile.conf.log"; }
before=$(do_queries)
"$PTRWIZ" check --quick --root-hints "$w/hints" 198.19.0.15 >/dev/null 2>&1
k=$(($(do_queries) - before))
hostile_stop
printf 'rule 127.53.250.11 16.0.19.198.in-addr.arpa. do first=%d rcode=SERVFAIL\n' "$k" >>"$w/hostile.conf"
hostile_start "$w/hostile.conf" || exit 1

tui_start 160 50 "$PTRWIZ" --root-hints "$w/hints" 198.19.0.16
expect "The first lookup said SERVFAIL though the trace had the zone's answer; a" \
        "the first lookup's $k DO queries fail: step 2 says this answer is a fresh resolver's"
expect "The PTR record exists: 198\.19\.0\.16 is named host-16\.hostile\." \
        "the first lookup failed: step 2 shows the second lookup's PTR"
keys q
expect "EXITED 0" "the first lookup failed, the second answered: exit 0 (pass)"
tui_done
