# shellcheck shell=bash
# hostile.sh: lab-hostile (tools/hostile.c) for a lab test; sourced.
#
#   hostile_start CONFIG   adds the addresses CONFIG names to lo, starts
#                          lab-hostile CONFIG (log in CONFIG.log) in the
#                          background and waits for "ready"; sets
#                          HOSTILE_PID. Returns 1 when it does not start.
#   hostile_stop           ends it.
# Its addresses are in 127.53.250.0/24, which the lab leaves free for this.

hostile_start() {
        local conf=$1 a
        for a in $(grep -oE '127\.53\.250\.[0-9]+' "$conf" | sort -u); do
                ip addr add "$a/32" dev lo 2>/dev/null
        done
        "$LAB_TOOL_DIR/lab-hostile" "$conf" >"$conf.log" 2>&1 &
        HOSTILE_PID=$!
        # A hang guard, not a timing: it is ready in milliseconds.
        for _ in $(seq 600); do
                grep -qs '^ready$' "$conf.log" && return 0
                kill -0 "$HOSTILE_PID" 2>/dev/null || break
                sleep 0.05
        done
        echo "lab-hostile did not start:" >&2
        cat "$conf.log" >&2
        return 1
}

hostile_stop() {
        [ -n "${HOSTILE_PID:-}" ] || return 0
        kill "$HOSTILE_PID" 2>/dev/null
        wait "$HOSTILE_PID" 2>/dev/null
        HOSTILE_PID=
}
