# shellcheck shell=bash
# lib.sh: the harness of the wizard's terminal tests. Each tests/tui/
# test_NAME.sh sources it, re-runs itself inside the DNS lab (tests/lab/
# in-lab.sh), starts the real ptrwiz in a private tmux server of a fixed
# size, sends keys and reads the screen with capture-pane. Waits poll the
# screen with a timeout; nothing sleeps a fixed time to let the wizard work.
#
# Env: PTRWIZ (the binary), PTRWIZ_SOURCE_DIR, LAB_TOOL_DIR (from ctest).
# TUI_VERBOSE=1 prints every screen a check looked at.
set -u

: "${PTRWIZ:?PTRWIZ must name the ptrwiz binary}"
: "${PTRWIZ_SOURCE_DIR:?PTRWIZ_SOURCE_DIR must name the source tree}"

# tui_in_lab "$@": runs the calling script again inside the lab, once.
tui_in_lab() {
        if [ -z "${LAB_ROOT_HINTS:-}" ]; then
                command -v tmux >/dev/null || {
                        echo "tmux is not installed"
                        exit 1
                }
                LAB_QUIET=1 exec bash "$PTRWIZ_SOURCE_DIR/tests/lab/in-lab.sh" bash "$0" "$@"
        fi
        TUI_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ptrwiz-tui.XXXXXX") || exit 1
        # A socket of our own: PIDs repeat across the labs' PID namespaces.
        TUI_SOCK=$TUI_DIR/tmux.sock
        trap 'tmux -S "$TUI_SOCK" kill-server 2>/dev/null; rm -rf "$TUI_DIR"' EXIT
        # What a pane runs: the command, then its exit status and the state
        # the terminal was left in, then it stays open to be read.
        # The program's PID goes to $TUI_DIR/pid (it keeps the PID of the
        # shell that writes it), for tests that send it signals.
        cat >"$TUI_DIR/run.sh" <<'RUN'
bash -c 'echo $$ >"$0"; exec "$@"' "$(dirname "$0")/pid" "$@"
rc=$?
printf 'EXITED %s\n' "$rc"
stty -a | tr ' ;' '\n\n' | grep -E -x -- '-?(echo|icanon)' | tr '\n' ' '
printf '\nTTY-CHECKED\n'
exec sleep 3600
RUN
        LAB=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR")
        TUI_ENV=()
        TUI_PASS=0
        TUI_FAIL=0
        TUI_LAST=
}

T() {
        tmux -S "$TUI_SOCK" "$@"
}

# tui_start W H [VAR=VALUE...] PROGRAM [ARGS...]: a new 80x24 (or W x H)
# terminal running PROGRAM with TERM (TUI_TERM, default xterm) and a UTF-8
# locale (TUI_LC, default C.UTF-8).
tui_start() {
        local w=$1 h=$2 cmd
        shift 2
        cmd=$(printf '%q ' bash "$TUI_DIR/run.sh" env -u NO_COLOR TERM="${TUI_TERM:-xterm}" \
                LANG="${TUI_LC:-C.UTF-8}" LC_ALL="${TUI_LC:-C.UTF-8}" "$@")
        T kill-session -t w 2>/dev/null
        if ! T has-session 2>/dev/null; then
                T -u -f /dev/null new-session -d -x "$w" -y "$h" -s keep "sleep 100000" || return 1
        fi
        T new-session -d -x "$w" -y "$h" -s w -c "$TUI_DIR" "$cmd"
}

# tui_wizard [ARGS...]: the wizard against the lab, at 80x24 unless W/H
# are set, with the environment in the array TUI_ENV (VAR=VALUE words; set
# it in its own statement: bash takes no arrays before a command).
tui_wizard() {
        tui_start "${W:-80}" "${H:-24}" "${TUI_ENV[@]}" "$PTRWIZ" "${LAB[@]}" "$@"
}

tui_screen() {
        T capture-pane -p -t w 2>/dev/null
}

keys() {
        T send-keys -t w "$@"
}

# wait_for REGEX [SECONDS]: true once the screen matches (grep -E); false
# at the timeout, or at once when the program has ended without it.
wait_for() {
        local deadline=$((SECONDS + ${2:-60}))
        while :; do
                TUI_LAST=$(tui_screen)
                if grep -q -E -- "$1" <<<"$TUI_LAST"; then
                        [ "${TUI_VERBOSE:-0}" = 1 ] && printf '%s\n' "$TUI_LAST" | sed 's/^/#   /'
                        return 0
                fi
                grep -q TTY-CHECKED <<<"$TUI_LAST" && return 1
                [ $SECONDS -ge $deadline ] && return 1
                sleep 0.1
        done
}

# scroll_to REGEX [KEY]: presses KEY (j) until the screen matches. After
# each key it polls until the screen has moved; a screen that stays still
# for 5 s twice in a row is the end of the text (a hang guard, not a timing).
scroll_to() {
        local key=${2:-j} still=0
        TUI_LAST=$(tui_screen)
        for _ in $(seq 200); do
                grep -q -E -- "$1" <<<"$TUI_LAST" && return 0
                grep -q TTY-CHECKED <<<"$TUI_LAST" && return 1
                keys "$key"
                if wait_change "$TUI_LAST" 5; then
                        still=0
                elif [ $((++still)) -ge 2 ]; then
                        return 1
                fi
        done
        return 1
}

# wait_change SCREEN [SECONDS]: true once the screen (in TUI_LAST) differs
# from SCREEN.
wait_change() {
        local deadline=$((SECONDS + ${2:-5}))
        while [ $SECONDS -lt $deadline ]; do
                sleep 0.05
                TUI_LAST=$(tui_screen)
                [ "$TUI_LAST" != "$1" ] && return 0
        done
        return 1
}

# wait_file FILE: until FILE is not empty (a 60 s hang guard).
wait_file() {
        for _ in $(seq 600); do
                [ -s "$1" ] && return 0
                sleep 0.1
        done
        return 1
}

ok() {
        TUI_PASS=$((TUI_PASS + 1))
        echo "ok - $*"
}

not_ok() {
        TUI_FAIL=$((TUI_FAIL + 1))
        echo "not ok - $*"
        printf '%s\n' "$TUI_LAST" | sed 's/^/#   /'
}

# expect REGEX DESCRIPTION [SECONDS]: the screen shows it (within the time).
expect() {
        if wait_for "$1" "${3:-60}"; then
                ok "$2"
        else
                not_ok "$2 (waited for /$1/)"
        fi
}

# expect_not REGEX DESCRIPTION [SECONDS]: the screen does not show it (or
# no longer does, within the time: keys take a moment to act).
expect_not() {
        local deadline=$((SECONDS + ${3:-20}))
        while :; do
                TUI_LAST=$(tui_screen)
                if ! grep -q -E -- "$1" <<<"$TUI_LAST"; then
                        ok "$2"
                        return
                fi
                if [ $SECONDS -ge $deadline ]; then
                        not_ok "$2 (found /$1/)"
                        return
                fi
                sleep 0.1
        done
}

# check CONDITION-COMMAND... DESCRIPTION: ok when the command succeeds.
check() {
        local desc=${*: -1}
        if "${@:1:$#-1}"; then
                ok "$desc"
        else
                TUI_LAST="(command: ${*:1:$#-1})"
                not_ok "$desc"
        fi
}

# The wizard has left the screen as it found it: the alternate screen is
# off, the cursor shows, echo and canonical input are back (a word typed
# now shows on the screen).
expect_restored() {
        expect "TTY-CHECKED" "$1: the program ended"
        local alt cursor
        alt=$(T display -p -t w '#{alternate_on}')
        check test "$alt" = 0 "$1: the alternate screen is left"
        cursor=$(T display -p -t w '#{cursor_flag}')
        check test "$cursor" = 1 "$1: the cursor shows"
        expect "(^| )echo( |$)" "$1: echo is back" 20
        expect "(^| )icanon( |$)" "$1: line editing is back" 20
        expect_not "ptrwiz: reverse DNS for mail" "$1: the wizard is gone from the screen"
        # wait_for gives up at once once the program has ended (TTY-CHECKED
        # is on the screen), and here it has: the echo of the keys just sent
        # may not be drawn yet, so poll for it first.
        keys -l "typed-after-exit"
        local deadline=$((SECONDS + 20))
        until grep -q "typed-after-exit" <<<"$(tui_screen)" || [ $SECONDS -ge $deadline ]; do
                sleep 0.1
        done
        expect "typed-after-exit" "$1: what is typed shows (the terminal echoes)" 20
}

tui_done() {
        echo "$TUI_PASS passed, $TUI_FAIL failed"
        [ "$TUI_FAIL" = 0 ]
}

# shellcheck source=../lab/fix.sh
. "$PTRWIZ_SOURCE_DIR/tests/lab/fix.sh"
# The fix of 198.18.2.2: PTR fixed.example.com. and its A record.
lab_fix_198_18_2_2() {
        lab_fix_ptr 2 fixed
}
