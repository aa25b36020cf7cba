#!/bin/bash
# Step 5 with --resolver-view: two lab resolvers (LAB_VIEW_RESOLVERS=1) have
# 198.18.2.2's NXDOMAIN cached before the fix; after it, ptrwiz passes, and
# step 5 says each resolver will forget the old NXDOMAIN in so many minutes.
[ -n "${LAB_ROOT_HINTS:-}" ] || export LAB_VIEW_RESOLVERS=1
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

for v in ${LAB_VIEW_RESOLVERS//,/ }; do
        dig @"$v" +time=2 +tries=2 -x 198.18.2.2 | grep -q 'status: NXDOMAIN'
        check test $? = 0 "the resolver at $v has the NXDOMAIN cached"
done
W=120 H=50 tui_wizard --watch 1 --resolver-view "$LAB_VIEW_RESOLVERS" 198.18.2.2
expect "NXDOMAIN: the name 2\.2\.18\.198\.in-addr\.arpa\. does not exist" "198.18.2.2 has no PTR"
keys Enter Enter Enter
expect "Step 5 of 5: Test again" "on to step 5"
expect "What the resolvers you named hold now" "step 5 shows the resolvers' view"
expect "the resolver at 127\.53\.255\.54 holds NXDOMAIN, as ptrwiz sees it, for [0-9]+ s more" \
        "the first resolver holds what ptrwiz sees"
expect "the resolver at 127\.53\.255\.55 holds NXDOMAIN, as ptrwiz sees it" "... and the second"
keys w
expect "Runs +[2-9] for 198\.18\.2\.2" "the watch re-tests" 90
lab_fix_198_18_2_2
expect "It passes now: watch stopped" "the watch stops once it passes" 90
# The negative TTL is an hour: "in 59 minutes", or "in 60 minutes" when
# the resolver cached it within the second.
expect "the resolver at 127\.53\.255\.54 will forget the old NXDOMAIN in [0-9]+ minutes \([0-9]+ s\)" \
        "after the fix: when the first resolver forgets the old NXDOMAIN"
expect "the resolver at 127\.53\.255\.55 will forget the old NXDOMAIN in [0-9]+ minutes" "... and the second"
keys q
expect "EXITED 0" "the fixed IP exits 0"
tui_done
