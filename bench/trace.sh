#!/usr/bin/env bash
# The trace benchmark of issue 4: ptrwiz trace (every server of every zone
# cut) against dig +trace and drill -T (one server per cut) for the same
# address, in the lab with every authoritative reply delayed by LAB_DELAY_MS
# (default 20).
#
#   bench/trace.sh [IP...]     default 198.18.1.10 198.18.2.70
#   BENCH_RUNS=N               timed runs of each tool (default 5)
#   PTRWIZ=path/to/ptrwiz      the binary (default build/ptrwiz)
#
# Tools and what "cold" and "warm" mean:
#   ptrwiz cold   ptrwiz trace --no-cache: every NS name looked up from the root
#   ptrwiz warm   its NS address cache filled by one run before (the default)
#   dig cold      dig +trace resolves NS names through a resolver
#                 (/etc/resolv.conf, bind-mounted to the lab's): here a fresh
#                 unbound for every run, so nothing is cached
#   dig warm      the lab unbound after one run, NS names cached
#   drill         drill -T -r (lab hints); NS names through the lab unbound
# queries:   ptrwiz's own counter (resends included); dig: the ';; Received'
#            lines it prints (its NS lookups through the resolver not
#            counted); drill: its sends, as strace counts them
# sent:      send calls of the tool itself (strace, in a second, untimed run;
#            dig and drill include their lookups through the resolver)
# floor:     ptrwiz's own count of the round trips that depended on each
#            other (round_trips in its JSON: the longest chain of replies
#            where each one made the next query go out), times the delay:
#            no schedule can be faster. Its forward lookups through
#            libunbound (the resolver's PTR, SOA, and the PTR name's A/AAAA,
#            from an empty cache in every run, so that a fix shows at once)
#            are not in it: "wall" is the whole command, "trace alone" the
#            trace's own time (trace_elapsed_ms in the JSON); with a silent
#            server, "settled" is when all else was in (settled_ms), the
#            time to the verdict but for that server's row.
#            The diagnosis floor adds the round trips a fresh cache needs
#            for the PTR name's A/AAAA once the PTR is in (its cuts from the
#            root, from dig +trace): the verdict needs them. "wall" is put
#            against it, and so is "verdict so far" (so_far_ms: with a
#            silent server, when the check had its verdict before that
#            server's timeout). The resolver's own PTR lookup, from a fresh
#            cache by design, takes the cold trace's round trips even when
#            ptrwiz's NS cache is warm: with a warm cache the wall is put
#            against that too.
# datagrams: every UDP datagram sent in the lab during the timed run (tool,
#            resolver and delay proxies: one query to a delayed server is 4),
#            the load the run puts on the DNS
# Not a test: it always exits 0 when it could measure.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
runs=${BENCH_RUNS:-5}
cold_resolver=127.53.254.53

now_ns() { date +%s%N; }
udp_out() { awk '$1 == "Udp:" && $2 ~ /^[0-9]+$/ { print $5 }' /proc/net/snmp; }

# dig and drill find the NS names' addresses through /etc/resolv.conf.
with_resolver() { # ADDR CMD...: CMD with /etc/resolv.conf naming ADDR
        local addr=$1
        shift
        printf 'nameserver %s\n' "$addr" >"$LAB_DIR/bench-resolv.$addr"
        # shellcheck disable=SC2016 # expanded by the inner shell
        unshare -m bash -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' \
                "$LAB_DIR/bench-resolv.$addr" "$@"
}

# A fresh unbound like the lab's, on its own address: an empty cache.
cold_unbound_start() {
        local conf=$LAB_DIR/bench-unbound.conf
        ip addr add "$cold_resolver/32" dev lo 2>/dev/null
        mkdir -p "$LAB_DIR/bench-run"
        sed -e "s/interface: .*/interface: $cold_resolver/" \
                -e "s|directory: .*|directory: \"$LAB_DIR/bench-run\"|" \
                -e "s|pidfile: .*|pidfile: \"$LAB_DIR/bench-run/unbound.pid\"|" \
                -e "s|logfile: .*|logfile: \"$LAB_DIR/bench-run/unbound.log\"|" \
                "$LAB_DIR/conf/unbound.conf" >"$conf"
        unbound -d -c "$conf" >"$LAB_DIR/bench-run/out" 2>&1 &
        cold_pid=$!
        RESOLVER_ADDR=$cold_resolver lab_wait_resolver
}

cold_unbound_stop() {
        kill "$cold_pid" 2>/dev/null
        wait "$cold_pid" 2>/dev/null
}

# Runs a tool (with the words of the array "pre" in front, e.g. strace).
tool_run() { # TOOL IP
        local tool=$1 ip=$2
        case $tool in
        ptrwiz-cold) "${pre[@]}" "$ptrwiz" trace --json --no-cache --root-hints "$LAB_ROOT_HINTS" "$ip" ;;
        ptrwiz-warm) "${pre[@]}" "$ptrwiz" trace --json --root-hints "$LAB_ROOT_HINTS" "$ip" ;;
        dig-cold) with_resolver "$cold_resolver" "${pre[@]}" dig +trace -x "$ip" 2>&1 ;;
        dig-warm) with_resolver "$LAB_RESOLVER" "${pre[@]}" dig +trace -x "$ip" 2>&1 ;;
        drill) with_resolver "$LAB_RESOLVER" "${pre[@]}" drill -T -r "$LAB_ROOT_HINTS" -x "$ip" 2>&1 ;;
        esac
}
pre=()

# One timed run: prints "wall_ms queries datagrams".
run_once() { # TOOL IP
        local tool=$1 ip=$2 t0 t1 d0 d1 out q
        [ "$tool" = dig-cold ] && { cold_unbound_start || return 1; }
        d0=$(udp_out)
        t0=$(now_ns)
        out=$(tool_run "$tool" "$ip")
        t1=$(now_ns)
        d1=$(udp_out)
        [ "$tool" = dig-cold ] && cold_unbound_stop
        case $tool in
        ptrwiz-*)
                q=$(jq -r .queries <<<"$out" 2>/dev/null)
                jq -r .round_trips <<<"$out" >"$LAB_DIR/bench-rt.$tool" 2>/dev/null
                jq -r .trace_elapsed_ms <<<"$out" >>"$LAB_DIR/bench-tms.$tool" 2>/dev/null
                jq -r .settled_ms <<<"$out" >>"$LAB_DIR/bench-sms.$tool" 2>/dev/null
                jq -r '.so_far_ms // empty' <<<"$out" >>"$LAB_DIR/bench-sofar.$tool" 2>/dev/null
                jq -r '.ptr[]?' <<<"$out" >"$LAB_DIR/bench-names" 2>/dev/null
                ;;
        dig-*) q=$(grep -c '^;; Received' <<<"$out") ;;
        drill) q=$(sent_by drill "$ip") ;;
        esac
        echo "$(((t1 - t0) / 1000000)) ${q:--} $((d1 - d0))"
}

# Send calls of the tool itself, counted by strace in an untimed run.
sent_by() { # TOOL IP
        local tool=$1 ip=$2 log=$LAB_DIR/bench-strace
        [ "$tool" = dig-cold ] && { cold_unbound_start || return 1; }
        pre=(strace -f -qq -c -o "$log" -e "trace=sendto,sendmsg,sendmmsg")
        tool_run "$tool" "$ip" >/dev/null
        pre=()
        [ "$tool" = dig-cold ] && cold_unbound_stop
        awk '$NF ~ /^send/ { n += $4 } END { print n + 0 }' "$log"
}

# The round trips a fresh resolver needs for the A of each PTR name after
# the PTR (its cuts from the root: dig +trace's replies but the first, the
# root NS set from the resolver); the most of them, as they run together.
forward_round_trips() {
        local name n most=0
        while read -r name; do
                [ -n "$name" ] || continue
                n=$(with_resolver "$LAB_RESOLVER" dig +trace +nodnssec "$name" A 2>&1 | grep -c '^;; Received')
                n=$((n - 1))
                [ "$n" -gt "$most" ] && most=$n
        done <"$LAB_DIR/bench-names"
        echo "$most"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# Every tool on one address; one line each.
bench_ip() { # IP
        local ip=$1 tool i line walls qs dgs med floor rt tms sms sofar fwd cold_rt=0
        declare -A med_of
        printf '\n%s (every reply delayed %s ms, %s runs each)\n' "$ip" "$LAB_DELAY_MS" "$runs"
        printf '%-12s %8s %8s %8s %8s %6s %10s %s\n' tool "median" min max queries sent datagrams \
                "floor (dependent round trips x delay)"
        # Warm-up runs: the lab unbound and ptrwiz's cache learn the NS names.
        run_once dig-warm "$ip" >/dev/null
        run_once ptrwiz-warm "$ip" >/dev/null
        fwd=$(forward_round_trips)
        printf 'diagnosis floor: the trace'"'"'s round trips, then %s for the A/AAAA of the PTR name from a fresh cache\n' "$fwd"
        for tool in ptrwiz-cold ptrwiz-warm dig-cold dig-warm drill; do
                walls=() qs="" dgs=""
                rm -f "$LAB_DIR/bench-tms.$tool" "$LAB_DIR/bench-sms.$tool" "$LAB_DIR/bench-rt.$tool" \
                        "$LAB_DIR/bench-sofar.$tool"
                for ((i = 0; i < runs; i++)); do
                        line=$(run_once "$tool" "$ip") || continue
                        read -r w q d <<<"$line"
                        walls+=("$w")
                        qs=$q dgs=$d
                done
                med=$(printf '%s\n' "${walls[@]}" | median)
                med_of[$tool]=$med
                floor=""
                if [ -s "$LAB_DIR/bench-rt.$tool" ]; then
                        rt=$(cat "$LAB_DIR/bench-rt.$tool")
                        tms=$(median <"$LAB_DIR/bench-tms.$tool")
                        sms=$(median <"$LAB_DIR/bench-sms.$tool")
                        sofar=$([ -s "$LAB_DIR/bench-sofar.$tool" ] && median <"$LAB_DIR/bench-sofar.$tool")
                        [ "$tool" = ptrwiz-cold ] && cold_rt=$rt
                        floor=$(awk -v rt="$rt" -v d="$LAB_DELAY_MS" -v m="$med" -v t="$tms" -v s="$sms" \
                                -v v="${sofar:-0}" -v fw="$fwd" -v crt="${cold_rt:-0}" \
                                'BEGIN { f = rt * d; g = (rt + fw) * d
                                         printf "%d x %d = %d ms: trace alone %d ms %.2fx; diagnosis %d x %d = %d ms: wall %.2fx", rt, d, f, t, t / f, rt + fw, d, g, m / g
                                         if (crt > rt + fw) printf " (the resolver'"'"'s own PTR from a fresh cache: %d x %d = %d ms, wall %.2fx)", crt, d, crt * d, m / (crt * d)
                                         if (s + 500 < t) printf "; settled (all in but silent servers) %d ms %.2fx", s, s / f
                                         if (v > 0) printf "; verdict so far %d ms %.2fx of the diagnosis floor", v, v / g }')
                fi
                printf '%-12s %6s ms %5s ms %5s ms %8s %6s %10s %s\n' "$tool" "$med" \
                        "$(printf '%s\n' "${walls[@]}" | sort -n | head -1)" \
                        "$(printf '%s\n' "${walls[@]}" | sort -n | tail -1)" "$qs" \
                        "$(sent_by "$tool" "$ip")" "$dgs" "$floor"
        done
        awk -v pc="${med_of[ptrwiz-cold]}" -v pw="${med_of[ptrwiz-warm]}" \
                -v dc="${med_of[dig-cold]}" -v dw="${med_of[dig-warm]}" 'BEGIN {
                printf "ratio ptrwiz/dig: cold %.2f (%s/%s ms), warm %.2f (%s/%s ms)\n",
                        pc / dc, pc, dc, pw / dw, pw, dw }'
}

if [ -n "${LAB_DIR:-}" ]; then
        # shellcheck source=/dev/null
        . "$src/tests/lab/lab.sh" # lab_wait_resolver
        export XDG_CACHE_HOME=$LAB_DIR/bench-cache
        for ip in "$@"; do
                bench_ip "$ip"
        done
        exit 0
fi

for tool in dig drill jq unbound strace; do
        command -v $tool >/dev/null || {
                echo "bench/trace.sh: $tool is missing" >&2
                exit 2
        }
done
[ -x "$ptrwiz" ] || {
        echo "bench/trace.sh: $ptrwiz is not built (PTRWIZ=...)" >&2
        exit 2
}
[ $# -gt 0 ] || set -- 198.18.1.10 198.18.2.70
export PTRWIZ=$ptrwiz BENCH_RUNS=$runs
LAB_DELAY_MS=${LAB_DELAY_MS:-20} LAB_QUIET=1 exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
