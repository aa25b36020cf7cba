#!/bin/bash
# The terminal side: 80x24 and resizing, too small, help, panes, NO_COLOR,
# a non-UTF-8 locale, TERM=vt100/screen, unknown terminals, the terminal
# restored after Ctrl-C, Ctrl-\, SIGTERM, SIGQUIT, SIGUSR1 and SIGSEGV, and
# bad setup files refused before the screen changes.
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

# colour SGR codes other than the defaults (39/49) in the captured screen
colours() {
        T capture-pane -e -p -t w | grep -o $'\e\[[0-9;]*m' | grep -E '\[([0-9;]*;)?(3[0-7]|4[0-7])(;|m)'
}

tui_wizard 198.18.1.13
expect "Step 2 of 5: Check the PTR record" "80x24: the step pane"
expect "─ Steps ─" "80x24: the step list"
expect "─ Summary ─" "80x24: the summary"
expect "─ Breakdown of the name \(Tab: trace\) ─" "80x24: the breakdown pane"
expect "Verdict: PASS, the PTR record is in order" "80x24: the verdict is on the first screen"
expect "Enter next .*\? help q quit" "80x24: the status line shows the keys"
check test -n "$(colours)" "colours by default"

keys Tab j
expect "─ 2-6 of [0-9]+ ─┘" "Tab moves to the breakdown pane: j scrolls it"
keys Tab
expect "─ Trace \(Tab: breakdown\) ─" "Tab again shows the trace pane"
keys Tab Tab j
expect "─ 2-14 of [0-9]+ ─┘" "Tab comes back round to the step pane: j scrolls it"
keys k
keys z
expect "In zone +1\.18\.198\.in-addr\.arpa\., where the record's name is \"13\"" "z zooms the step pane"
keys z

T resize-window -t w -x 120 -y 40
expect "In zone +1\.18\.198\.in-addr\.arpa\., where the record's name is \"13\"" "120x40: lines no longer wrap"
T resize-window -t w -x 60 -y 15
expect "This terminal is 60x15; ptrwiz needs at least 70x20" "60x15: says how big it must be"
T resize-window -t w -x 40 -y 10
expect "least 70x20\. Make the window bigger, or" "40x10: the size message wraps to the width"
expect "press q to quit\." "40x10: the whole message is there"
T resize-window -t w -x 70 -y 20
expect "│Result FAIL" "70x20 (the smallest): the summary keeps the verdict"
expect "│Who    DNS provider" "70x20: and who acts (the IP is in the title bar)"
T resize-window -t w -x 120 -y 40
expect "│PTR    mismatch\. +│" "120x40: a PTR name too long for the summary breaks after a dot"
expect "│       example\.com\. +│" "120x40: and goes on below, whole"
T resize-window -t w -x 80 -y 24
expect "Step 2 of 5: Check the PTR record" "back to 80x24"
expect_not "needs at least" "the size warning is gone"

keys '?'
expect "Help: step 2, keys, glossary \(Esc closes\)" "? opens the help"
expect "STEP 2: CHECK THE PTR RECORD" "the help shows the step's text"
keys G
expect "CHECK_DEADLINE \(error" "G goes to the end of the help (the findings)"
keys Escape
expect_not "Help: step 2" "Esc closes the help"
keys F1
expect "Help: step 2" "F1 opens the help too"
keys F1
expect_not "Help: step 2" "F1 closes it"

keys C-c
expect_restored "Ctrl-C"
expect "EXITED 130" "Ctrl-C exits 130"

TUI_ENV=(NO_COLOR=1)
tui_wizard 198.18.1.13
expect "Verdict: PASS" "NO_COLOR: the wizard runs"
check test -z "$(colours)" "NO_COLOR: no colours"
keys q
expect_restored "NO_COLOR q"
TUI_ENV=()

TUI_LC=C tui_wizard 198.18.1.13
expect "\+- Steps -+" "LANG=C: ASCII lines"
expect "\* 2 Check PTR" "LANG=C: ASCII marks (pass is *, not the + of box corners)"
expect_not "[─│✓✗┌]" "LANG=C: no UTF-8 line drawing"
check test -z "$(grep -E '\+ [0-9] ' <<<"$TUI_LAST")" "LANG=C: no + as a mark"
keys q
expect_restored "LANG=C q"

TUI_TERM=vt100 tui_wizard 198.18.1.13
expect "Verdict: PASS" "TERM=vt100: the wizard runs"
check test -z "$(colours)" "TERM=vt100: monochrome"
keys q
expect_restored "TERM=vt100 q"

TUI_TERM=screen tui_wizard 198.18.1.13
expect "Verdict: PASS" "TERM=screen: the wizard runs"
keys q
expect "EXITED 1" "TERM=screen: q quits"

TUI_TERM=nosuchterm tui_wizard 198.18.1.13
expect "ptrwiz: cannot use the terminal type 'nosuchterm' \(TERM\)" "unknown TERM: a one-line error"
expect "EXITED 2" "unknown TERM: exit 2"
TUI_TERM=dumb tui_wizard 198.18.1.13
expect "ptrwiz: the wizard needs a terminal that can move the cursor" "TERM=dumb: a one-line error"

tui_wizard 198.18.4.1
expect "Asking the DNS from the root" "a query that never ends is running"
wizpid=$(cat "$TUI_DIR/pid")
check test -n "$wizpid" "the wizard's process is found"
kill -TERM "$wizpid"
expect_restored "SIGTERM"
expect "EXITED 143" "SIGTERM exits 143"

# Ctrl-\ (SIGQUIT) as SIGTERM: the terminal is put back, exit 128+3.
tui_wizard 198.18.4.1
expect "Asking the DNS from the root" "a query that never ends is running again"
keys 'C-\'
expect_restored "Ctrl-\\ (SIGQUIT from the terminal)"
expect "EXITED 131" "Ctrl-\\ exits 131"
tui_wizard 198.18.1.13
expect "Verdict: PASS" "the wizard runs"
kill -QUIT "$(cat "$TUI_DIR/pid")"
expect_restored "kill -QUIT"
expect "EXITED 131" "SIGQUIT exits 131"
# Other signals that end a process by default put the terminal back too.
tui_wizard 198.18.1.13
expect "Verdict: PASS" "the wizard runs"
kill -USR1 "$(cat "$TUI_DIR/pid")"
expect_restored "SIGUSR1"
expect "EXITED 138" "SIGUSR1 is re-raised (128+10)"

# A bad --root-hints file is one line before the screen changes, never a
# blank screen that hangs with every key and signal ignored.
mkdir -p "$TUI_DIR/hints-dir"
tui_start 80 24 "$PTRWIZ" --root-hints "$TUI_DIR/hints-dir" 198.18.1.10
expect "ptrwiz: root hints .*/hints-dir: a directory, not a file" "hints that are a directory: one line"
expect "EXITED 3" "hints that are a directory: exit 3"
check test "$(T display -p -t w '#{alternate_on}')" = 0 "hints that are a directory: the screen never changed"
printf 'garbage\n' >"$TUI_DIR/garbage.hints"
tui_start 80 24 "$PTRWIZ" --root-hints "$TUI_DIR/garbage.hints" 198.18.1.10
expect "ptrwiz: root hints .*/garbage.hints line 1: " "garbage hints: one line naming the file"
expect "EXITED 3" "garbage hints: exit 3"

# A crash (here a SIGSEGV from outside) still puts the terminal back.
tui_wizard 198.18.1.13
expect "Verdict: PASS" "the wizard runs"
kill -SEGV "$(cat "$TUI_DIR/pid")"
expect_restored "SIGSEGV"
expect "EXITED 139" "the crash is reported as one (SIGSEGV re-raised)"
tui_done
