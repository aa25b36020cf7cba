#!/bin/bash
# "Where did you create the PTR?": on 198.18.10.1 the PTR was made at
# dnsprovider.example.org, but the reverse zone is delegated to the ISP.
# Without the answer step 4 passes; with it (typed as the provider's domain,
# or its name servers) the diagnosis runs again and ends with
# ZONE_NOT_DELEGATED_TO_EXPECTED_NS and the IP block holder to act. The
# one-key choice offers the sending domain's own name servers.
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

W=120 H=40 tui_wizard 198.18.10.1
expect "Verdict: FAIL, this is why receivers reject the mail" "step 2: no PTR seen for 198.18.10.1"
expect "Where did you create the PTR\?" "step 2 asks where the PTR was created"
expect "d: type the provider's name servers or its domain" "step 2 says which key answers"
keys d
expect "Its name servers \(ns1\.provider\.example" "d opens the prompt"
keys -l "dnsprovider.example.org"
expect "> dnsprovider\.example\.org" "the prompt shows what is typed"
keys Enter
expect "You created it at ns1\.dnsprovider\.example\.org\., ns2\.dnsprovider\.example\.org\." \
        "the provider's domain stands for its name servers" 90
keys Enter Enter
expect "Step 4 of 5: Trace the delegation" "on to step 4"
expect "Verdict: FAIL, the delegation is broken" "step 4 fails with the answer" 90
expect "to ns1\.isp\.example\.net\., ns2\.isp\.example\.net\., not to ns1\.dnsprovider" "step 4 says where the zone is delegated instead"
expect "Who +The IP block holder: only it can delegate the zone" "the IP block holder must act"
expect "Who +IP block holder" "the summary names the IP block holder"
keys q
expect "EXITED 1" "exit 1"

# Name servers typed as such; the one-key choice with the sending domain.
W=120 H=40 tui_wizard --expect-domain example.com 198.18.10.1
expect "Where did you create the PTR\?" "step 2 asks"
expect "f: where example\.com is hosted \(ns1\.example\.com\., ns2\.example\.com\.\)" \
        "f offers the sending domain's name servers"
keys f
expect "You created it at ns1\.example\.com\., ns2\.example\.com\." "f uses them" 90
keys d
keys -l "ns1.dnsprovider.example.org, ns2.dnsprovider.example.org"
keys Enter
expect "You created it at ns1\.dnsprovider\.example\.org\., ns2\.dnsprovider\.example\.org\." \
        "typed name servers are used as they are" 90
keys Enter Enter
expect "not to ns1\.dnsprovider\.example\.org" "step 4: ZONE_NOT_DELEGATED_TO_EXPECTED_NS" 90
keys d
keys -l "not a name!"
keys Enter
expect "is not a host name" "a typo in the prompt is one clear message"
keys Escape q
expect "EXITED 1" "exit 1"

# Agrees with check --expect-ns.
out=$("$PTRWIZ" check --json "${LAB[@]}" --expect-ns ns1.dnsprovider.example.org 198.18.10.1)
check grep -q ZONE_NOT_DELEGATED_TO_EXPECTED_NS <<<"$out" "check --expect-ns finds the same"
tui_done
