#!/bin/bash
# in-lab.sh CMD ARGS...: runs CMD inside the ptrwiz DNS lab.
#
# Creates a private network namespace (and PID namespace, so nothing can
# outlive the lab), generates the lab into a fresh temp dir, starts every
# server, waits until each answers, runs CMD with LAB_DIR, LAB_ROOT_HINTS,
# LAB_TRUST_ANCHOR, LAB_RESOLVER, LAB_RESOLV_CONF and LAB_BULK_EXPECT set,
# then stops everything and removes the temp dir. Exits with CMD's status.
#
#   LAB_IN_NS=1        already inside a private network namespace: don't unshare
#   LAB_DELAY_MS=N     delay every authoritative reply by N ms
#   LAB_WITH_RESOLVER=0  don't start the lab unbound
#   LAB_WITH_POSTFIX=1 start the lab's receiving Postfix (needs root)
#   LAB_DEFAULT_ROUTE=1  default routes over lo (IPv4 from 198.18.25.10, IPv6
#                      from 3fff:0:0:1::11), so source-address selection
#                      toward a far receiver is real; packets to such
#                      addresses then vanish instead of failing at once
#   LAB_TOOL_DIR=DIR   built lab-blackhole/lab-delayproxy/lab-hostile (else built here with cc)
#   LAB_KEEP=1         keep the temp dir (its path is printed)
#   LAB_QUIET=1        no "lab ready in N ms" line on stderr
set -u

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

[ $# -ge 1 ] || {
        echo "usage: in-lab.sh CMD [ARGS...]" >&2
        exit 2
}

# run_child CMD...: runs CMD in the background and waits for it, so a TERM
# reaches our trap at once (a foreground child would delay it). Bash would
# start a background child with INT and QUIT ignored and stdin from
# /dev/null; the subshell undoes both, so Ctrl-C and a lab shell work.
run_child() {
        (
                trap - INT QUIT
                exec "$@"
        ) <&0 &
        CHILD=$!
        while kill -0 $CHILD 2>/dev/null; do
                wait $CHILD
        done
        wait $CHILD
}

if [ "${LAB_IN_NS:-0}" != 1 ]; then
        # As root a plain new network namespace will do; otherwise map
        # ourselves to root in a user namespace. The PID namespace ends every
        # server with us, even on SIGKILL. unshare blocks TERM while it
        # waits, so a TERM is passed on by killing unshare, whose
        # --kill-child then sends TERM to the lab, which cleans up.
        if [ "$(id -u)" = 0 ]; then
                userns=()
        else
                userns=(-r)
                # Unprivileged user namespaces can be off (a chroot, Debian's
                # kernel.unprivileged_userns_clone=0, AppArmor): say so once.
                if ! unshare -r -n true 2>/dev/null; then
                        echo "in-lab.sh: cannot create a user namespace as $(id -un) here (inside a chroot, or unprivileged user namespaces are off); run this as root (sudo)" >&2
                        exit 3
                fi
        fi
        trap ':' INT
        trap 'kill -KILL $CHILD 2>/dev/null; exit 143' TERM HUP
        LAB_IN_NS=1 run_child unshare "${userns[@]}" -n --pid --mount-proc --fork --kill-child=TERM \
                bash "$LAB_SRC/in-lab.sh" "$@"
        exit
fi

# Safety: the lab must never reach a real network.
if ip -o link show | grep -qv ': lo:'; then
        echo "in-lab.sh: this namespace has interfaces besides lo; refusing (LAB_IN_NS=1 needs a private namespace)" >&2
        exit 1
fi

# shellcheck source=lab.sh
. "$LAB_SRC/lab.sh"

LAB_T0=$(date +%s%N)
DIR=$(mktemp -d "${TMPDIR:-/tmp}/ptrwiz-lab.XXXXXX") || exit 1

lab_cleanup() {
        trap - EXIT
        trap "" INT TERM HUP # a second signal must not cut the cleanup short
        lab_stop "$DIR"
        if [ "${LAB_KEEP:-0}" = 1 ]; then
                echo "in-lab.sh: kept $DIR" >&2
        else
                rm -rf "$DIR"
        fi
}
trap lab_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

lab_build_tools() {
        local src
        LAB_TOOL_DIR=$DIR/tools
        mkdir -p "$LAB_TOOL_DIR"
        local libs
        for src in "$LAB_SRC"/tools/*.c; do
                libs=()
                grep -q '^#include <ldns/' "$src" && libs=(-lldns)
                cc -std=c11 -O2 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -o \
                        "$LAB_TOOL_DIR/lab-$(basename "$src" .c)" "$src" "${libs[@]}" || return 1
        done
}

ip link set lo up || exit 1
[ -n "${LAB_TOOL_DIR:-}" ] || lab_build_tools || lab_die "building the lab tools failed"
export LAB_TOOL_DIR
lab_gen "$DIR"
lab_addresses | sed 's|.*|address add &/32 dev lo|' | ip -force -batch - 2>/dev/null
# The scenario addresses, so that a delivery test can send from them.
lab_sender_addresses | sed '/:/!s|.*|address add &/32 dev lo|; /:/s|.*|address add &/128 dev lo nodad|' |
        ip -force -batch - 2>/dev/null
if [ "${LAB_DEFAULT_ROUTE:-0}" = 1 ]; then
        ip route add default dev lo src 198.18.25.10 || lab_die "no IPv4 default route"
        ip -6 route add default dev lo src 3fff:0:0:1::11 || lab_die "no IPv6 default route"
fi
lab_start "$DIR"
lab_wait "$DIR" || lab_die "the lab did not come up; logs in $DIR/logs (LAB_KEEP=1 keeps them)"
eval "$(lab_env "$DIR")"
[ "${LAB_WITH_RESOLVER:-1}" != 0 ] || unset LAB_RESOLVER
LAB_READY_MS=$((($(date +%s%N) - LAB_T0) / 1000000))
export LAB_READY_MS
[ "${LAB_QUIET:-0}" = 1 ] || echo "in-lab.sh: lab ready in ${LAB_READY_MS} ms ($DIR)" >&2

unset LAB_IN_NS

# Ctrl-C in a lab shell reaches only the shell's own job; in a script it
# reaches CMD too, which ends, and so does the lab.
trap ':' INT
trap 'kill -TERM $CHILD 2>/dev/null; exit 143' TERM HUP
run_child "$@"
