#!/bin/bash
# test_lab_delay.sh: with LAB_DELAY_MS every authoritative reply comes late
# by that much, over UDP and TCP, and many queries in flight all come back.
# Uses dig only; does not need ptrwiz.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DELAY=100
if [ -z "${LAB_DIR:-}" ]; then
        LAB_DELAY_MS=$DELAY LAB_WITH_RESOLVER=0 exec bash "$HERE/in-lab.sh" bash "$0" "$@"
fi

PASSED=0 FAILED=0
ok() { PASSED=$((PASSED + 1)); }
bad() {
        FAILED=$((FAILED + 1))
        echo "FAIL: $*"
}

# held_ms PROTO SERVER: the milliseconds from just before a query (SOA ., no
# recursion) is written to SERVER over PROTO (udp or tcp, bash's /dev/PROTO)
# to the first byte of its reply, or "none". The span holds the whole time
# the proxy held the reply, so a loaded machine can only lengthen it, and no
# event loop sits between the clock and the socket (dig's "Query time" under
# load started ms after its send). The read's wait is a hang guard.
held_ms() {
        local q='\x41\x41\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x06\x00\x01' t0 t1
        [ "$1" = tcp ] && q='\x00\x11'$q
        exec 3<>"/dev/$1/$2/53" || {
                echo none
                return
        }
        t0=${EPOCHREALTIME/./}
        # shellcheck disable=SC2059 # the query is the format: its escapes are the bytes
        printf "$q" >&3
        # The reply's first byte that is not NUL (read skips NULs): its ID's.
        if read -r -N 1 -t 10 -u 3; then
                t1=${EPOCHREALTIME/./}
                echo $(((t1 - t0) / 1000))
        else
                echo none
        fi
        exec 3>&-
}
query_ms() {
        dig +norec +time=10 +tries=1 "$@" | awk '/Query time:/ {print $4; found=1} END {if (!found) print "none"}'
}

# The proxy's promise is a lower bound: no reply leaves before the delay.
# How late it may be depends on the machine, so that is only reported.
for proto in udp tcp; do
        for server in 127.53.0.1 127.53.6.2 127.53.20.1; do
                for _ in 1 2 3; do
                        ms=$(held_ms $proto $server)
                        # A refusal is a reply too: it must be delayed like any other.
                        if [ "$ms" != none ] && [ "$ms" -ge $DELAY ]; then
                                ok
                        else
                                bad "$server $proto: reply after ${ms} ms, want at least ${DELAY}"
                        fi
                done
                echo "info: $server $proto: reply after $ms ms (delay ${DELAY})"
        done
done

# The shadow address is the NSD behind the proxy: the same answer, direct.
direct=$(dig +norec +time=10 +tries=1 +short @127.54.6.1 -x 198.18.1.10)
proxied=$(dig +norec +time=10 +tries=1 +short @127.53.6.1 -x 198.18.1.10)
if [ -n "$direct" ] && [ "$direct" = "$proxied" ]; then ok; else bad "shadow NSD: '$direct', proxied '$proxied'"; fi
echo "info: shadow NSD answers in $(query_ms @127.54.6.1 -x 198.18.1.10) ms"

# 16 digs at once, 32 queries each (PTRs, and names the server refuses):
# every one answered (the whole takes about 32 delays, not 512).
for ((i = 0; i < 256; i++)); do
        echo "$i.20.18.198.in-addr.arpa PTR"
        echo "host-$i.example.com A"
done >"$LAB_DIR/many"
split -n l/16 "$LAB_DIR/many" "$LAB_DIR/many.part."
t0=$(date +%s%N)
for part in "$LAB_DIR"/many.part.*; do
        # A resend, as every resolver does: a loaded CI box may drop a datagram.
        dig @127.53.6.1 +norec +time=2 +tries=2 +noall +comments -f "$part" >"$part.out" &
done
wait
elapsed=$((($(date +%s%N) - t0) / 1000000))
cat "$LAB_DIR"/many.part.*.out >"$LAB_DIR/many.out"
n=$(grep -c 'status:' "$LAB_DIR/many.out")
if [ "$n" = 512 ]; then ok; else bad "$n of 512 queries answered"; fi
# Timing is reported, not asserted (benchmarks live in bench/).
echo "info: 512 queries through the proxy in $elapsed ms (${DELAY} ms delay each)"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
