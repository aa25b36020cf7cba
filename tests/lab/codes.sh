# shellcheck shell=bash
# The scenario files' code notation (tests/lab/README.md), for the lab
# tests that compare a result with a row: sourced, not run.

# Error and warning codes, sorted, unique, comma-joined; info codes apart.
codes_of() { jq -r '[.findings[] | select(.severity != "info") | .code] | unique | join(",")'; }
info_of() { jq -r '[.findings[] | select(.severity == "info") | .code] | unique | join(",")'; }
csv() { tr ',' '\n' | grep -v '^$' | grep -v '^-$' | sort -u | paste -sd, -; }

# Compares got codes with a scenario's expected_codes: plain codes must be
# there, ?codes may be, +codes (info) must be among the info codes.
codes_match() { # WANT GOT GOT_INFO
        local want=$1 got=$2 info=$3 c must may
        must=$(tr ',' '\n' <<<"$want" | grep -v '^[?+-]' | csv)
        may=$(tr ',' '\n' <<<"$want" | sed -n 's/^?//p' | csv)
        for c in ${got//,/ }; do
                [[ ",$must,$may," == *",$c,"* ]] || return 1
        done
        for c in ${must//,/ }; do
                [[ ",$got," == *",$c,"* ]] || return 1
        done
        for c in $(tr ',' '\n' <<<"$want" | sed -n 's/^+//p'); do
                [[ ",$info," == *",$c,"* ]] || return 1
        done
}
