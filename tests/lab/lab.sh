#!/bin/bash
# lab.sh: builds and runs the ptrwiz DNS test lab (see README.md).
#
#   lab.sh gen DIR     write zones, keys, configs, root hints, trust anchor
#   lab.sh start DIR   start every server of DIR (pids in DIR/pids)
#   lab.sh wait DIR    wait until every server answers
#   lab.sh stop DIR    stop what start started
#   lab.sh env DIR     print the LAB_* variables for a shell
#
# start/wait/stop need the lab's network namespace: use in-lab.sh, which
# does all of it. The functions are also meant to be sourced (in-lab.sh does
# that, so the servers stay its children).
#
# Environment: LAB_DELAY_MS=N puts a delaying proxy in front of every
# authoritative server; LAB_WITH_RESOLVER=0 skips the lab unbound;
# LAB_VIEW_RESOLVERS=1 starts two more unbounds (127.53.255.54 and .55);
# LAB_TOOL_DIR holds lab-blackhole and lab-delayproxy.

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=zones.sh
. "$LAB_SRC/zones.sh"

lab_die() {
        echo "lab: $*" >&2
        exit 1
}

# NSD listens on the shadow address when a delay proxy takes the public one.
lab_listen_addr() {
        if [ "${LAB_DELAY_MS:-0}" -gt 0 ]; then
                echo "127.54.${1#127.53.}"
        else
                echo "$1"
        fi
}

# nsd_server ID "ADDR..." "ZONE=FILE ..." (called by zones.sh): writes the
# NSD config and records the server for start and wait.
nsd_server() {
        local id=$1 addrs=$2 zones=$3 a spec conf=$DIR/conf/nsd-$1.conf
        {
                echo "server:"
                for a in $addrs; do
                        echo "    ip-address: $(lab_listen_addr "$a")"
                done
                cat <<EOF
    port: 53
    username: ""
    chroot: ""
    database: ""
    zonesdir: "$DIR/zones"
    zonelistfile: "$DIR/run/nsd-$id.zonelist"
    xfrdfile: "$DIR/run/nsd-$id.xfrd"
    xfrdir: "$DIR/run"
    pidfile: "$DIR/run/nsd-$id.pid"
    logfile: "$DIR/logs/nsd-$id.log"
    server-count: 1
    do-ip6: no
    verbosity: 1
    hide-version: yes
    identity: "$id"
    tcp-count: 64
    # Every lab query comes from 127.0.0.1: response rate limiting would
    # drop bulk checks' replies and make the lab's timings noisy.
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
EOF
                for spec in $zones; do
                        printf 'zone:\n    name: "%s"\n    zonefile: "%s"\n' "${spec%%=*}" "${spec#*=}"
                done
        } >"$conf"
        a=${zones%%=*}
        printf 'nsd\t%s\t%s\t%s\n' "$id" "$addrs" "$a" >>"$DIR/servers.tsv"
}

blackhole_server() {
        printf 'blackhole\t%s\t%s\t-\n' "$1" "$2" >>"$DIR/servers.tsv"
}

# sign_zone FILE_BASE [ORIGIN]: one key (KSK flags, algorithm 13) signs all;
# leaves keys/FILE_BASE.ds for the parent.
sign_zone() {
        local base=$1 origin=${2:-$1.} key
        key=$(cd "$DIR/keys" && ldns-keygen -a ECDSAP256SHA256 -k "$origin") || lab_die "keygen $origin"
        ldns-signzone -i "$LAB_SIGN_FROM" -e "$LAB_SIGN_UNTIL" -f "$DIR/zones/$base.zone.signed" \
                "$DIR/zones/$base.zone" "$DIR/keys/$key" || lab_die "signing $origin"
        ldns-key2ds -n -2 "$DIR/keys/$key.key" >"$DIR/keys/$base.ds"
}

ds_of_unused_key() {
        local key
        key=$(cd "$DIR/keys" && ldns-keygen -a ECDSAP256SHA256 -k "$1.") || lab_die "keygen $1"
        ldns-key2ds -n -2 "$DIR/keys/$key.key"
}

lab_write_hints() {
        cat >"$DIR/root.hints" <<EOF
.                    3600000  NS  a.root-servers.net.
.                    3600000  NS  b.root-servers.net.
a.root-servers.net.  3600000  A   $ROOT_A
b.root-servers.net.  3600000  A   $ROOT_B
EOF
        echo "nameserver $RESOLVER_ADDR" >"$DIR/resolv.conf"
}

lab_write_unbound_conf() {
        cat >"$DIR/conf/unbound.conf" <<EOF
server:
    interface: $RESOLVER_ADDR
    port: 53
    do-ip6: no
    do-daemonize: no
    username: ""
    chroot: ""
    directory: "$DIR/run"
    pidfile: "$DIR/run/unbound.pid"
    use-syslog: no
    logfile: "$DIR/logs/unbound.log"
    verbosity: 1
    val-log-level: 2
    num-threads: 1
    access-control: 127.0.0.0/8 allow
    do-not-query-localhost: no
    root-hints: "$DIR/root.hints"
    trust-anchor-file: "$DIR/root.ds"
remote-control:
    control-enable: no
EOF
}

# LAB_VIEW_RESOLVERS=1: two more unbounds, like the public resolvers a
# receiver may use, each with a cache of its own (for --resolver-view).
lab_view_resolvers() {
        [ "${LAB_VIEW_RESOLVERS:-0}" = 1 ] && echo "$VIEW_RESOLVER_ADDRS"
}

lab_write_view_confs() {
        local a
        for a in $(lab_view_resolvers); do
                sed -e "s/interface: $RESOLVER_ADDR/interface: $a/" -e "s/unbound\./unbound-$a./g" \
                        "$DIR/conf/unbound.conf" >"$DIR/conf/unbound-$a.conf"
        done
}

lab_gen() {
        DIR=$1
        [ -n "$DIR" ] || lab_die "usage: lab.sh gen DIR"
        mkdir -p "$DIR"/{zones,keys,conf,run,logs} || exit 1
        : >"$DIR/servers.tsv"
        LAB_SIGN_FROM=$(date -u -d '-1 day' +%Y%m%d%H%M%S)
        LAB_SIGN_UNTIL=$(date -u -d '+30 days' +%Y%m%d%H%M%S)
        zones_generate
        lab_write_hints
        lab_write_unbound_conf
        lab_sender_gen
        if [ "${LAB_WITH_POSTFIX:-0}" = 1 ]; then
                lab_postfix_gen || lab_die "writing the Postfix configuration failed"
        fi
        lab_write_view_confs
}

# Starts one process in the background, its pid in DIR/pids.
lab_spawn() {
        local log=$1
        shift
        "$@" >"$log" 2>&1 &
        echo $! >>"$DIR/pids"
}

lab_tool() {
        local t=${LAB_TOOL_DIR:?LAB_TOOL_DIR not set}/lab-$1
        [ -x "$t" ] || lab_die "$t missing (build the tests, or unset LAB_TOOL_DIR)"
        echo "$t"
}

lab_start() {
        DIR=$1
        local kind id addrs zone a
        : >"$DIR/pids"
        while IFS=$'\t' read -r kind id addrs zone; do
                case $kind in
                nsd)
                        lab_spawn "$DIR/logs/nsd-$id.out" nsd -d -c "$DIR/conf/nsd-$id.conf"
                        if [ "${LAB_DELAY_MS:-0}" -gt 0 ]; then
                                for a in $addrs; do
                                        lab_spawn "$DIR/logs/delayproxy-$a.out" \
                                                "$(lab_tool delayproxy)" "$a" \
                                                "$(lab_listen_addr "$a")" "$LAB_DELAY_MS"
                                done
                        fi
                        ;;
                blackhole)
                        # shellcheck disable=SC2086
                        lab_spawn "$DIR/logs/blackhole-$id.out" "$(lab_tool blackhole)" $addrs
                        ;;
                esac
        done <"$DIR/servers.tsv"
        if [ "${LAB_WITH_RESOLVER:-1}" != 0 ]; then
                lab_spawn "$DIR/logs/unbound.out" unbound -d -c "$DIR/conf/unbound.conf"
        fi
        [ "${LAB_WITH_POSTFIX:-0}" != 1 ] || lab_postfix_start
        for a in $(lab_view_resolvers); do
                lab_spawn "$DIR/logs/unbound-$a.out" unbound -d -c "$DIR/conf/unbound-$a.conf"
        done
}

# Polls one address until it answers for zone with AA, or gives up.
lab_wait_nsd() {
        local addr=$1 zone=$2 i
        for ((i = 0; i < 100; i++)); do
                if dig @"$addr" +norec +time=1 +tries=1 SOA "$zone" 2>/dev/null |
                        grep -q 'flags: qr aa'; then
                        return 0
                fi
                sleep 0.05
        done
        echo "lab: $addr does not answer for $zone" >&2
        return 1
}

lab_wait_file() {
        local file=$1 i
        for ((i = 0; i < 100; i++)); do
                grep -qs ready "$file" && return 0
                sleep 0.05
        done
        echo "lab: no 'ready' in $file" >&2
        return 1
}

lab_wait_resolver() {
        local i addr=${1:-$RESOLVER_ADDR}
        for ((i = 0; i < 100; i++)); do
                dig @"$addr" +time=1 +tries=1 id.server CH TXT 2>/dev/null |
                        grep -q 'status: NOERROR' && return 0
                sleep 0.05
        done
        echo "lab: the lab resolver at $addr does not answer" >&2
        return 1
}

# Waits until every address has a bound UDP socket: a query sent earlier
# would meet a closed port, and dig then pauses a second before retrying.
lab_wait_bound() {
        local want i a bound missing
        want=$(lab_addresses | grep -v '^127\.54\.')
        for ((i = 0; i < 100; i++)); do
                bound=$(ss -Hlnu 'sport = :53' | awk '{print $4}')
                missing=0
                for a in $want; do
                        grep -qxF "$a:53" <<<"$bound" || missing=1
                done
                [ $missing = 0 ] && return 0
                sleep 0.02
        done
        return 0 # the dig polls below name the server that is missing
}

lab_wait() {
        DIR=$1
        local kind id addrs zone a fail=0 pids=()
        lab_wait_bound
        while IFS=$'\t' read -r kind id addrs zone; do
                for a in $addrs; do
                        case $kind in
                        nsd) lab_wait_nsd "$a" "$zone" & ;;
                        blackhole) lab_wait_file "$DIR/logs/blackhole-$id.out" & ;;
                        esac
                        pids+=($!)
                done
        done <"$DIR/servers.tsv"
        if [ "${LAB_WITH_RESOLVER:-1}" != 0 ]; then
                lab_wait_resolver &
                pids+=($!)
        fi
        if [ "${LAB_WITH_POSTFIX:-0}" = 1 ]; then
                lab_postfix_wait &
                pids+=($!)
        fi
        for a in $(lab_view_resolvers); do
                lab_wait_resolver "$a" &
                pids+=($!)
        done
        for a in "${pids[@]}"; do
                wait "$a" || fail=1
        done
        return $fail
}

lab_stop() {
        DIR=$1
        local p i alive
        [ -s "$DIR/pids" ] || return 0
        # Postfix's master is a grandchild of what lab_spawn started.
        p=$(cat "$DIR/postfix/queue/pid/master.pid" 2>/dev/null) && kill -TERM $p 2>/dev/null
        while read -r p; do
                kill -TERM "$p" 2>/dev/null
        done <"$DIR/pids"
        for ((i = 0; i < 60; i++)); do
                alive=0
                while read -r p; do
                        kill -0 "$p" 2>/dev/null && alive=1
                done <"$DIR/pids"
                [ $alive = 0 ] && break
                sleep 0.05
        done
        while read -r p; do
                kill -KILL "$p" 2>/dev/null
        done <"$DIR/pids"
        : >"$DIR/pids"
}

# The public addresses, one a line, and the shadow ones under a delay.
lab_addresses() {
        local kind id addrs zone a
        while IFS=$'\t' read -r kind id addrs zone; do
                for a in $addrs; do
                        echo "$a"
                        [ "$kind" = nsd ] && [ "${LAB_DELAY_MS:-0}" -gt 0 ] && lab_listen_addr "$a"
                done
        done <"$DIR/servers.tsv"
        [ "${LAB_WITH_RESOLVER:-1}" = 0 ] || echo "$RESOLVER_ADDR"
        [ "${LAB_WITH_POSTFIX:-0}" != 1 ] || printf '%s\n' "$MX_PTR" "$MX_FCRDNS"
        lab_view_resolvers | tr ' ' '\n'
}

# ---------------------------------------------------------------- Postfix
# LAB_WITH_POSTFIX=1: a real receiving Postfix from Debian, run from its own
# config directory $DIR/postfix (no chroot, no system service, no syslog),
# in a mount namespace of its own whose /etc/resolv.conf names the lab
# unbound, so its reverse and forward lookups are the lab's. Both of
# Postfix's checks are real: reject_unknown_reverse_client_hostname on
# $MX_PTR:25 (no PTR: 450), reject_unknown_client_hostname on
# $MX_FCRDNS:25 (no PTR or no matching A: 550). Mail it accepts is
# discarded. It offers STARTTLS with a self-signed certificate.
lab_postfix_gen() {
        local pf=$DIR/postfix
        mkdir -p "$pf/queue" || return 1
        # smtpd runs as the postfix user and must reach its queue below $DIR.
        chmod 711 "$DIR"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
                -subj /CN=mx.lab.example.com -keyout "$pf/key.pem" -out "$pf/cert.pem" \
                >/dev/null 2>&1 || return 1
        cat >"$pf/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = $DIR/logs/postfix.log
maillog_file_prefixes = $DIR/logs
myhostname = mx.lab.example.com
mydomain = lab.example.com
mydestination =
relay_domains = ptr.example.com fcrdns.example.com
mynetworks = 127.0.0.1/32
inet_interfaces = $MX_PTR, $MX_FCRDNS
inet_protocols = ipv4
smtpd_banner = \$myhostname ESMTP Postfix (ptrwiz lab)
smtpd_relay_restrictions = reject_unauth_destination
default_transport = discard:ptrwiz lab
relay_transport = discard:ptrwiz lab
alias_maps =
local_recipient_maps =
biff = no
smtpd_tls_security_level = may
smtpd_tls_cert_file = $pf/cert.pem
smtpd_tls_key_file = $pf/key.pem
smtpd_tls_session_cache_database =
EOF
        cat >"$pf/master.cf" <<EOF
$MX_PTR:smtp inet n - n - - smtpd
  -o smtpd_client_restrictions=reject_unknown_reverse_client_hostname
$MX_FCRDNS:smtp inet n - n - - smtpd
  -o smtpd_client_restrictions=reject_unknown_client_hostname
  -o unknown_client_reject_code=550
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
tlsmgr unix - - n 1000? 1 tlsmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
discard unix - - n - - discard
error unix - - n - - error
retry unix - - n - - error
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
showq unix n - n - - showq
postlog unix-dgram n - n - 1 postlogd
EOF
        echo "nameserver $RESOLVER_ADDR" >"$pf/resolv.conf"
        printf '127.0.0.1 localhost\n' >"$pf/hosts"
}

# A sending machine's Postfix configuration for the machine checks
# (ptrwiz sender --postfix-config $LAB_SENDER_POSTFIX): it prefers IPv6 and
# greets with a name that is not fully qualified. Only read, never run.
lab_sender_gen() {
        mkdir -p "$DIR/sender-postfix" || return 1
        cat >"$DIR/sender-postfix/main.cf" <<EOF
compatibility_level = 3.6
myhostname = mailhost
inet_protocols = all
smtp_address_preference = ipv6
EOF
}

lab_postfix_start() {
        local pf=$DIR/postfix
        # Postfix reads /etc/resolv.conf and /etc/hosts; only its own mount
        # namespace sees the lab's copies. start-fg keeps master in the
        # foreground, so lab_stop's TERM reaches it.
        lab_spawn "$DIR/logs/postfix.out" unshare -m sh -c \
                'mount --bind "$1/resolv.conf" /etc/resolv.conf &&
                 mount --bind "$1/hosts" /etc/hosts &&
                 exec postfix -c "$1" start-fg' sh "$pf"
}

# Polls until both smtpd listeners greet.
lab_postfix_wait() {
        local i a ok
        for ((i = 0; i < 400; i++)); do
                ok=1
                for a in $MX_PTR $MX_FCRDNS; do
                        ss -Hltn "src = $a:25" | grep -q . || ok=0
                done
                [ $ok = 1 ] && return 0
                sleep 0.05
        done
        echo "lab: Postfix does not listen on $MX_PTR:25 and $MX_FCRDNS:25; see $DIR/logs/postfix.*" >&2
        return 1
}

lab_env() {
        DIR=$1
        cat <<EOF
export LAB_DIR=$DIR
export LAB_ROOT_HINTS=$DIR/root.hints
export LAB_TRUST_ANCHOR=$DIR/root.ds
export LAB_RESOLVER=$RESOLVER_ADDR
export LAB_RESOLV_CONF=$DIR/resolv.conf
export LAB_BULK_EXPECT=$DIR/bulk-expect.tsv
export LAB_SENDER_POSTFIX=$DIR/sender-postfix
export LAB_MX_PTR=$MX_PTR
export LAB_MX_FCRDNS=$MX_FCRDNS
EOF
        [ -z "$(lab_view_resolvers)" ] ||
                echo "export LAB_VIEW_RESOLVERS=$(lab_view_resolvers | tr ' ' ',')"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
        cmd=$1
        shift
        case $cmd in
        gen) lab_gen "$@" ;;
        start) lab_start "$@" ;;
        wait) lab_wait "$@" ;;
        stop) lab_stop "$@" ;;
        env) lab_env "$@" ;;
        *) lab_die "usage: lab.sh gen|start|wait|stop|env DIR" ;;
        esac
fi
