#!/usr/bin/env bash
# The bulk benchmark of issue 7: checking the reverse DNS of a /24 with a
# realistic mix (tests/lab, 198.18.20.0/24) with ptrwiz and with the tools an
# admin would otherwise use, every reply delayed by LAB_DELAY_MS (default 10).
#
#   bench/bulk.sh            the table: wall time, CPU, queries, peak RSS, ratios
#   PTRWIZ=path/to/ptrwiz    the binary (default build/ptrwiz)
#   PTRWIZ_BASELINE=path     an older binary, run beside it for the ratios
#                            (ptrwiz-base-*: same options)
#
# Every run gets a fresh lab, so no tool profits from a cache another one
# warmed. ptrwiz resolves itself from the lab root (--root-hints) and through
# the lab's recursive resolver (--resolver), the way dig and adnshost do.
#   queries:   send calls (sendto, sendmsg, sendmmsg) of the tool itself,
#              counted by strace in a second run
#   datagrams: UDP datagrams sent by anything in the lab during the timed
#              run: the load the tool puts on the DNS (each authoritative
#              query is 4 datagrams through the delay proxy, a query to the
#              resolver 2)
# Not a test: it always exits 0 when it could measure.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
delay=${LAB_DELAY_MS:-10}

# ---------------------------------------------------------------- in the lab
# The IPv4 addresses of a block, one a line.
addresses() {
        local net=${1%/*} len=${1#*/} a b c d base i
        IFS=. read -r a b c d <<<"$net"
        base=$(((a << 24 | b << 16 | c << 8 | d) & ~((1 << (32 - len)) - 1) & 0xffffffff))
        for ((i = 0; i < 1 << (32 - len); i++)); do
                local x=$((base + i))
                echo "$((x >> 24 & 255)).$((x >> 16 & 255)).$((x >> 8 & 255)).$((x & 255))"
        done
}

commands() { # NAME RANGE ADDRFILE: prints the command line (one shell word a line)
        local name=$1 range=$2 file=$3
        case $name in
        ptrwiz-root) printf '%s\n' "$ptrwiz" check --quick --json --root-hints "$LAB_ROOT_HINTS" \
                --trust-anchor "$LAB_TRUST_ANCHOR" "$range" ;;
        ptrwiz-root-z64) printf '%s\n' "$ptrwiz" check --quick --json --zone-concurrency 64 \
                --root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR" "$range" ;;
        ptrwiz-resolver) printf '%s\n' "$ptrwiz" check --quick --json --resolver "$LAB_RESOLVER" \
                "$range" ;;
        ptrwiz-base-root) printf '%s\n' "$PTRWIZ_BASELINE" check --quick --json --root-hints \
                "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR" "$range" ;;
        ptrwiz-base-resolver) printf '%s\n' "$PTRWIZ_BASELINE" check --quick --json --resolver \
                "$LAB_RESOLVER" "$range" ;;
        dig) printf '%s\n' bash -c "while read -r ip; do \
dig -x \$ip @$LAB_RESOLVER +short +tries=1 +time=5; done <$file" ;;
        adnshost) printf '%s\n' bash -c "sed 's/^/-i/' $file | \
adnshost -a -f --config 'nameserver $LAB_RESOLVER'" ;;
        dnsrecon) printf '%s\n' dnsrecon -t rvl -r "$range" -n "$LAB_RESOLVER" --threads 16 ;;
        esac
}

udp_out() { awk '$1 == "Udp:" && $2 ~ /^[0-9]+$/ { print $5 }' /proc/net/snmp; }

measure() { # NAME RANGE: one TSV line: name range addresses wall_s queries datagrams rss_kb results cpu_s
        local name=$1 range=$2 tmp cmd d0 d1 wall rss user sys queries results
        tmp=$(mktemp -d)
        addresses "$range" >"$tmp/addrs"
        mapfile -t cmd < <(commands "$name" "$range" "$tmp/addrs")
        d0=$(udp_out)
        /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "${cmd[@]}" >"$tmp/out" 2>"$tmp/err"
        d1=$(udp_out)
        read -r wall rss user sys < <(tail -n 1 "$tmp/time") # after "Command exited with ..."
        results=$(grep -c . "$tmp/out")
        strace -f -qq -c -o "$tmp/strace" -e trace=sendto,sendmsg,sendmmsg "${cmd[@]}" \
                >/dev/null 2>&1
        queries=$(awk '$NF ~ /^send/ { n += $4 } END { print n + 0 }' "$tmp/strace")
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$range" "$(wc -l <"$tmp/addrs")" \
                "$wall" "$queries" $((d1 - d0)) "$rss" "$results" \
                "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
        rm -rf "$tmp"
}

if [ -n "${LAB_DIR:-}" ]; then
        measure "$@"
        exit 0
fi

# ---------------------------------------------------------------- outside
for tool in strace adnshost dig; do
        command -v $tool >/dev/null || {
                echo "bench/bulk.sh: $tool is missing (scripts/deps.sh bench)" >&2
                exit 2
        }
done
[ -x "$ptrwiz" ] || {
        echo "bench/bulk.sh: no ptrwiz at $ptrwiz (build first, or set PTRWIZ)" >&2
        exit 2
}
runs=(
        "ptrwiz-root 198.18.20.0/24"
        "ptrwiz-root-z64 198.18.20.0/24"
        "ptrwiz-resolver 198.18.20.0/24"
        "dig 198.18.20.0/24"
        "adnshost 198.18.20.0/24"
)
command -v dnsrecon >/dev/null && runs+=("dnsrecon 198.18.20.0/24")
runs+=(
        "ptrwiz-root 198.18.20.0/26"
        "ptrwiz-root 198.18.20.0/22"
        "ptrwiz-root 198.18.0.0/16"
        "ptrwiz-resolver 198.18.20.0/26"
        "ptrwiz-resolver 198.18.20.0/22"
)
if [ -n "${PTRWIZ_BASELINE:-}" ]; then
        for r in 198.18.20.0/26 198.18.20.0/24 198.18.20.0/22 198.18.0.0/16; do
                runs+=("ptrwiz-base-root $r")
        done
        runs+=("ptrwiz-base-resolver 198.18.20.0/24")
fi
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for r in "${runs[@]}"; do
        # shellcheck disable=SC2086
        LAB_QUIET=1 LAB_DELAY_MS=$delay bash "$src/tests/lab/in-lab.sh" bash "$0" $r >>"$results" ||
                echo "bench/bulk.sh: the run '$r' failed" >&2
done

echo "ptrwiz bulk benchmark: tests/lab, every authoritative reply delayed ${delay} ms, fresh lab per run"
echo "$(uname -srm), $(nproc) CPUs, $("$ptrwiz" --version)"
echo
awk -F'\t' '
BEGIN { printf "%-20s %-15s %6s %8s %7s %8s %10s %8s %8s %8s %9s\n", "tool", "range", "addrs", "wall s",
        "CPU s", "queries", "datagrams", "RSS MB", "results", "ms/addr", "CPU ms/addr" }
{ printf "%-20s %-15s %6d %8.2f %7.2f %8d %10d %8.1f %8d %8.3f %9.3f\n", $1, $2, $3, $4, $9, $5, $6,
        $7 / 1024, $8, $4 * 1000 / $3, $9 * 1000 / $3 }' "$results"
echo
awk -F'\t' '
$2 == "198.18.20.0/24" { wall[$1] = $4 }
$1 ~ /^ptrwiz-(root|resolver)/ && $7 > rss[$1] { rss[$1] = $7 } # every size, the /16 too
END {
        n = split("ptrwiz-root ptrwiz-root-z64 ptrwiz-resolver", ours, " ")
        for (i = 1; i <= n; i++) {
                p = ours[i]
                if (!(p in wall) || wall[p] <= 0) continue
                for (t in wall) if (t !~ /^ptrwiz/)
                        printf "%-16s is %5.1fx as fast as %s on the /24\n", p, wall[t] / wall[p], t
        }
        print ""
        p = wall["ptrwiz-root"]
        if (p > 0 && ("dig" in wall))
                printf "target >= 10x the dig loop:     %s\n", (wall["dig"] / p >= 10) ? "met" : "MISSED"
        if (p > 0 && ("adnshost" in wall))
                printf "target no slower than adnshost: %s (default limits), %s (--zone-concurrency 64)\n",
                        (p <= wall["adnshost"]) ? "met" : "MISSED",
                        (wall["ptrwiz-root-z64"] <= wall["adnshost"]) ? "met" : "MISSED"
        if (p > 0 && ("adnshost" in wall))
                printf "target /24 --quick <= 0.7x adnshost: %s (%.2fx)\n",
                        (p <= 0.7 * wall["adnshost"]) ? "met" : "MISSED", p / wall["adnshost"]
        q = wall["ptrwiz-resolver"]
        if (q > 0 && ("adnshost" in wall))
                printf "target --resolver <= adnshost:      %s (%.2fx)\n",
                        (q <= wall["adnshost"]) ? "met" : "MISSED", q / wall["adnshost"]
        max = 0
        for (t in rss) if (t ~ /^ptrwiz/ && rss[t] > max) max = rss[t]
        printf "target peak RSS < 30 MB:        %s (%.1f MB at most, any size)\n", (max < 30 * 1024) ? "met" : "MISSED", max / 1024
}' "$results"
awk -F'\t' '$1 == "ptrwiz-root" { per[$3] = $4 * 1000 / $3 }
END { if ((256 in per) && (1024 in per))
        printf "target at most linear growth:   %s (/26 %.2f, /24 %.2f, /22 %.2f ms per address)\n",
                (per[1024] <= per[256] * 1.1) ? "met" : "MISSED", per[64], per[256], per[1024] }' "$results"
echo
echo "dig -x asks the PTR only (no forward confirmation); adnshost's PTR type checks the name's"
echo "addresses itself; dnsrecon asks the PTR only; ptrwiz also asks the zone's SOA and A and AAAA."
awk -F'\t' '$1 == "ptrwiz-root" { w[$2] = $4; c[$2] = $9 / $3 }
$1 == "ptrwiz-base-root" { bw[$2] = $4; bc[$2] = $9 / $3 }
END {
        for (r in w) if (r in bw)
                printf "against the baseline, %-15s wall %.2fx faster, CPU per address %.2fx less\n",
                        r, bw[r] / w[r], (c[r] > 0) ? bc[r] / c[r] : 0
}' "$results"
