#!/bin/bash
# The wizard behind a forwarder (--resolver): the lookups go there, and the
# delegation trace, which needs a root, is skipped with a reason unless
# --root-hints say where it starts. Under strace: lab addresses only.
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

# sent_outside FILE: the addresses an strace log sent or connected to that
# are not the lab's (127/8).
sent_outside() {
        { grep -o 'inet_addr("[^"]*")' "$1" | sed 's/.*("\(.*\)")/\1/'
          grep -o 'inet_pton(AF_INET6, "[^"]*"' "$1" | sed 's/.*, "\(.*\)"/\1/'
        } | sort -u | grep -v -E '^(127\.|::1$|::ffff:127\.)' | paste -sd' ' -
}
# LeakSanitizer cannot run under ptrace (the sanitizer suite's other tests
# check leaks): off for the traced runs.
traced=("ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -e trace=connect,sendto,sendmsg,sendmmsg -e signal=none)

tui_start 160 50 "${traced[@]}" -o "$TUI_DIR/fwd.strace" "$PTRWIZ" --resolver "$LAB_RESOLVER" 198.18.1.10
expect "Verdict: PASS, the PTR record is in order" "--resolver: step 2 passes through the forwarder"
keys Enter
expect "Step 3 of 5" "step 3"
keys Enter
expect "Step 4 of 5: Trace the delegation" "step 4"
expect "The trace could not start: --resolver 127\.53\.255\.53 answers the lookups, and the" \
        "step 4 says why there is no trace"
keys q
expect "EXITED 0" "q quits, exit 0"
out=$(sent_outside "$TUI_DIR/fwd.strace")
check test -z "$out" "--resolver: lab addresses only${out:+ (not: $out)}"
check grep -q '127\.53\.255\.53' "$TUI_DIR/fwd.strace" "--resolver: the forwarder was asked"

tui_start 160 50 "${traced[@]}" -o "$TUI_DIR/both.strace" "$PTRWIZ" --resolver "$LAB_RESOLVER" \
        --root-hints "$LAB_ROOT_HINTS" 198.18.1.10
expect "Verdict: PASS, the PTR record is in order" "--resolver --root-hints: step 2 passes"
keys Enter Enter
expect "Step 4 of 5: Trace the delegation" "step 4"
expect ";; done: 10\.1\.18\.198\.in-addr\.arpa\. PTR mail\.example\.com\." "the trace starts from the root hints"
keys q
expect "EXITED 0" "q quits"
out=$(sent_outside "$TUI_DIR/both.strace")
check test -z "$out" "--resolver --root-hints: lab addresses only${out:+ (not: $out)}"
tui_done
