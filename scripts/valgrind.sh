#!/usr/bin/env bash
# ptrwiz under valgrind memcheck in the test lab: a check of one address, a
# check of a host name and a block, a list on stdin, the monitoring formats
# with --dnsbl and --resolver-view, a watch, and a trace. Each must
# end with no error and "definitely lost: 0 bytes".
#
#   scripts/valgrind.sh          PTRWIZ=path (default build/ptrwiz, not a sanitizer build)
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${LAB_DIR:-}" ]; then
        exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
fi
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
lab=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# vg WHAT ARGS...: runs ptrwiz ARGS under memcheck; stdin is passed on.
vg() {
        local what=$1 rc lost errors
        shift
        valgrind --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
                --error-exitcode=99 --log-file="$tmp/vg.log" "$ptrwiz" "$@" >/dev/null 2>"$tmp/err"
        rc=$?
        # "All heap blocks were freed" when nothing at all is left.
        lost=$(grep -o 'definitely lost: [0-9,]* bytes in [0-9,]* blocks' "$tmp/vg.log" | head -1)
        grep -q 'All heap blocks were freed' "$tmp/vg.log" && lost="definitely lost: 0 bytes in 0 blocks"
        errors=$(grep -o 'ERROR SUMMARY: [0-9,]* errors' "$tmp/vg.log" | head -1)
        if [ $rc -ne 99 ] && [ "$errors" = "ERROR SUMMARY: 0 errors" ] &&
                [ "$lost" = "definitely lost: 0 bytes in 0 blocks" ]; then
                pass=$((pass + 1))
                echo "ok   $what: $lost, $errors (exit $rc)"
        else
                fail=$((fail + 1))
                echo "FAIL $what: exit $rc, ${lost:-no leak summary}, $errors"
                grep -v '^==[0-9]*== *$' "$tmp/vg.log" | head -60
        fi
}

vg "check 198.18.1.10" check --quick "${lab[@]}" 198.18.1.10
vg "check with the trace 198.18.2.70" check "${lab[@]}" 198.18.2.70
vg "check mx.example.com 198.18.2.0/28 --json" check --quick --json "${lab[@]}" mx.example.com 198.18.2.0/28
printf '198.18.1.16\n300.1.2.3\n# c\nmail.example.com\n' >"$tmp/list"
vg "check - (a list with a bad line)" check --quick "${lab[@]}" - <"$tmp/list"
vg "check --deadline 300 (a silent zone, cancelled)" check --quick --deadline 300 "${lab[@]}" 198.18.4.1
vg "check --format prometheus --dnsbl --resolver-view" check --quick --format prometheus "${lab[@]}" \
        --dnsbl dnsbl.example.org --resolver-view "$LAB_RESOLVER" 198.18.1.10 198.18.1.16
vg "check --format nagios" check --quick --format nagios "${lab[@]}" 198.18.1.10 198.18.1.11
vg "check --watch 1 --until-pass" check --quick --watch 1 --until-pass "${lab[@]}" 198.18.1.10
vg "trace 198.18.1.10" trace "${lab[@]}" 198.18.1.10
vg "trace 198.18.13.1 (a glueless cycle)" trace "${lab[@]}" 198.18.13.1

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
