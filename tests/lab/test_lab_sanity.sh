#!/bin/bash
# test_lab_sanity.sh: the lab's DNS data is what README.md and scenarios.tsv
# say it is. Uses dig only (and the lab unbound for DNSSEC and full
# resolution); does not need ptrwiz. Runs itself inside in-lab.sh.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -z "${LAB_DIR:-}" ]; then
        exec bash "$HERE/in-lab.sh" bash "$HERE/test_lab_sanity.sh" "$@"
fi
[ -n "${LAB_RESOLVER:-}" ] || {
        echo "test_lab_sanity: needs the lab resolver (LAB_WITH_RESOLVER=0 is set)" >&2
        exit 1
}

PASSED=0 FAILED=0
R=$LAB_RESOLVER

ok() {
        PASSED=$((PASSED + 1))
}

bad() {
        FAILED=$((FAILED + 1))
        echo "FAIL: $*"
}

# q SERVER ARGS...: one dig, no recursion unless SERVER is the resolver.
q() {
        local server=$1
        shift
        if [ "$server" = "$R" ]; then
                dig @"$server" +time=3 +tries=1 "$@" 2>&1
        else
                dig @"$server" +norec +time=1 +tries=1 "$@" 2>&1
        fi
}

# expect WHAT OUTPUT REGEX...: every extended regex must match OUTPUT.
expect() {
        local what=$1 out=$2 re
        shift 2
        for re in "$@"; do
                if ! grep -Eq -- "$re" <<<"$out"; then
                        bad "$what: no /$re/"
                        echo "$out" | sed 's/^/    | /' | head -30
                        return
                fi
        done
        ok
}

# check WHAT SERVER QUERY... -- REGEX...: one query whose reply must match
# every regex; the reply stays in OUT for reject.
check() {
        local what=$1 args=()
        shift
        while [ "$1" != -- ]; do
                args+=("$1")
                shift
        done
        shift
        OUT=$(q "${args[@]}")
        expect "$what" "$OUT" "$@"
}

# reject WHAT OUTPUT REGEX: the regex must not match.
reject() {
        if grep -Eq -- "$3" <<<"$2"; then
                bad "$1: unexpected /$3/"
        else
                ok
        fi
}

AA='flags: qr aa'
NOAA='flags: qr;'
AD='flags: qr rd ra ad;'

test_root_chain() {
        check "root SOA" 127.53.0.1 . SOA -- "$AA" 'status: NOERROR' 'a\.root-servers\.net\. nstld\.root-servers\.net\. 2024061500'
        check "b.root NS" 127.53.0.2 . NS -- "$AA" 'NS[[:space:]]+b\.root-servers\.net\.'
        check "root refers arpa" 127.53.0.1 +dnssec arpa SOA -- "$NOAA" 'arpa\..*NS[[:space:]]+a\.ns\.arpa\.' \
                'arpa\..*DS[[:space:]]+[0-9]+ 13 2' 'a\.ns\.arpa\..*A[[:space:]]+127\.53\.1\.1'
        check "arpa refers in-addr.arpa" 127.53.1.1 in-addr.arpa SOA -- "$NOAA" 'NS[[:space:]]+a\.in-addr-servers\.arpa\.' \
                '127\.53\.2\.1'
        check "in-addr.arpa refers 198 glueless" 127.53.2.1 198.in-addr.arpa SOA -- "$NOAA" 'ADDITIONAL: 1$' \
                'NS[[:space:]]+ns1\.rir\.example\.org\.' 'NS[[:space:]]+ns2\.rir\.example\.org\.'
        check "RIR refers 18.198 to the ISP" 127.53.4.2 18.198.in-addr.arpa SOA -- "$NOAA" 'NS[[:space:]]+ns1\.isp\.example\.net\.'
        check "ISP refers 1.18.198 with DS" 127.53.5.1 +dnssec 1.18.198.in-addr.arpa SOA -- "$NOAA" 'NS[[:space:]]+ns1\.rdns\.example\.net\.' \
                'DS[[:space:]]+[0-9]+ 13 2'
        OUT=$(q 127.53.5.1 +dnssec 2.18.198.in-addr.arpa SOA)
        reject "2.18.198 is an insecure delegation" "$OUT" 'IN[[:space:]]+DS[[:space:]]'
        check "resolver validates the root" "$R" +dnssec . SOA -- "$AD"
}

test_forward() {
        check "mail A" "$R" mail.example.com A -- 'A[[:space:]]+198\.18\.1\.10$'
        check "mail AAAA" "$R" mail.example.com AAAA -- 'AAAA[[:space:]]+3fff:0:0:1::10$'
        check "mx.example.com A" "$R" mx.example.com A -- 'ANSWER: 2,' 'A[[:space:]]+198\.18\.1\.10$' \
                'A[[:space:]]+198\.18\.1\.13$'
        check "mx.example.com AAAA" "$R" mx.example.com AAAA -- 'AAAA[[:space:]]+3fff:0:0:1::10$'
        check "net refers example.net" 127.53.10.1 ns1.isp.example.net A -- "$NOAA" 'ns1\.example\.net\..*127\.53\.21\.1'
}

test_foundation() {
        check "1.10 secure PTR" "$R" +dnssec -x 198.18.1.10 -- "$AD" 'PTR[[:space:]]+mail\.example\.com\.$'
        check "1.11 NXDOMAIN, negative TTL 1h" 127.53.6.1 -x 198.18.1.11 -- "$AA" 'status: NXDOMAIN' \
                '3600[[:space:]]+IN[[:space:]]+SOA[[:space:]].* 3600$'
        check "1.11 NXDOMAIN validated" "$R" +dnssec -x 198.18.1.11 -- "$AD" 'status: NXDOMAIN'
        check "1.12 NODATA" 127.53.6.2 -x 198.18.1.12 -- "$AA" 'status: NOERROR' 'ANSWER: 0,'
        check "1.12 has TXT" 127.53.6.2 12.1.18.198.in-addr.arpa TXT -- 'TXT[[:space:]]+"reserved'
        check "1.13 PTR" "$R" -x 198.18.1.13 -- 'PTR[[:space:]]+mismatch\.example\.com\.$'
        check "mismatch A" "$R" mismatch.example.com A -- 'A[[:space:]]+198\.18\.1\.99$'
        check "1.14 PTR" "$R" -x 198.18.1.14 -- 'PTR[[:space:]]+noaddr\.example\.com\.$'
        check "noaddr NXDOMAIN" "$R" noaddr.example.com A -- 'status: NXDOMAIN'
        check "1.15 generic" "$R" -x 198.18.1.15 -- 'PTR[[:space:]]+198-18-1-15\.dyn\.example\.net\.$'
        check "generic A" "$R" 198-18-1-15.dyn.example.net A -- 'A[[:space:]]+198\.18\.1\.15$'
        check "1.16 two PTR" "$R" -x 198.18.1.16 -- 'ANSWER: 2,' 'PTR[[:space:]]+multi1\.example\.com\.$' \
                'PTR[[:space:]]+multi2\.example\.com\.$'
        check "multi2 A" "$R" multi2.example.com A -- 'A[[:space:]]+198\.18\.1\.16$'
        check "1.17 hostile bytes" "$R" -x 198.18.1.17 -- 'PTR[[:space:]]+evil\\027\[31mred\\007\.example\.com\.$'
        check "1.18 IDN" "$R" -x 198.18.1.18 -- 'PTR[[:space:]]+xn--bcher-kva\.example\.com\.$'
        check "IDN A" "$R" xn--bcher-kva.example.com A -- 'A[[:space:]]+198\.18\.1\.18$'
        check "1.19 no final dot" "$R" +dnssec -x 198.18.1.19 -- "$AD" \
                'PTR[[:space:]]+mail\.example\.com\.1\.18\.198\.in-addr\.arpa\.$'
}

test_classless() {
        check "2.70 CNAME in the /24" 127.53.6.1 -x 198.18.2.70 -- "$AA" \
                'CNAME[[:space:]]+70\.64/26\.2\.18\.198\.in-addr\.arpa\.$'
        check "/26 delegated to the customer" 127.53.6.1 64/26.2.18.198.in-addr.arpa SOA -- "$NOAA" 'NS[[:space:]]+ns1\.example\.com\.$'
        check "customer serves the /26" 127.53.20.1 70.64/26.2.18.198.in-addr.arpa PTR -- "$AA" 'PTR[[:space:]]+classless\.example\.com\.$'
        check "2.70 resolves" "$R" -x 198.18.2.70 -- 'PTR[[:space:]]+classless\.example\.com\.$'
        reject "2.70 is insecure" "$OUT" "$AD"
        check "classless A" "$R" classless.example.com A -- 'A[[:space:]]+198\.18\.2\.70$'
        check "2.1 pass" "$R" -x 198.18.2.1 -- 'PTR[[:space:]]+gw\.example\.com\.$'
        check "2.2 missing" "$R" -x 198.18.2.2 -- 'status: NXDOMAIN'
        check "2.8 two PTR" "$R" -x 198.18.2.8 -- 'ANSWER: 2,'
}

test_failures() {
        check "3.x servers refuse" 127.53.20.1 -x 198.18.3.1 -- 'status: REFUSED'
        check "3.1 SERVFAIL" "$R" -x 198.18.3.1 -- 'status: SERVFAIL'
        check "blackhole UDP times out" 127.53.8.1 -x 198.18.4.1 -- 'timed out'
        reject "blackhole UDP is silent" "$OUT" 'status:'
        check "blackhole TCP times out" 127.53.8.2 +tcp -x 198.18.4.1 -- 'timed out|end of file'
        reject "blackhole TCP is silent" "$OUT" 'status:'
        check "5.1 bogus" "$R" -x 198.18.5.1 -- 'status: SERVFAIL'
        check "5.1 data there with +cd" "$R" +cd -x 198.18.5.1 -- 'PTR[[:space:]]+bogus\.example\.com\.$'
}

test_ipv6() {
        check "ip6.arpa refers f.f.f.3" 127.53.3.1 f.f.f.3.ip6.arpa SOA -- "$NOAA" 'NS[[:space:]]+ns1\.rir\.example\.org\.'
        check "RIR refers the /32" 127.53.4.1 0.0.0.0.f.f.f.3.ip6.arpa SOA -- "$NOAA" 'NS[[:space:]]+ns1\.isp\.example\.net\.'
        check "ISP refers the /64" 127.53.5.2 1.0.0.0.0.0.0.0.0.0.0.0.f.f.f.3.ip6.arpa SOA -- "$NOAA" 'NS[[:space:]]+ns1\.rdns\.example\.net\.'
        check "::10 PTR" "$R" -x 3fff:0:0:1::10 -- 'PTR[[:space:]]+mail\.example\.com\.$'
        check "::11 missing" "$R" -x 3fff:0:0:1::11 -- 'status: NXDOMAIN'
}

test_trace_scenarios() {
        check "6.x oldhost lame" 127.53.9.1 -x 198.18.6.1 -- 'status: REFUSED'
        check "6.x rdns1 good" 127.53.6.1 -x 198.18.6.1 -- "$AA" 'PTR[[:space:]]+mail6\.example\.com\.$'
        check "7.x rdns1 good" 127.53.6.1 -x 198.18.7.1 -- "$AA" 'PTR[[:space:]]+mail7\.example\.com\.$'
        check "7.x has the blackhole" 127.53.5.1 -x 198.18.7.1 -- 'NS[[:space:]]+ns1\.blackhole\.example\.net\.$'
        check "8.x ns1 current" 127.53.6.1 -x 198.18.8.1 -- "$AA" 'PTR[[:space:]]+mail8\.example\.com\.$'
        check "8.x ns2 stale" 127.53.6.2 -x 198.18.8.1 -- "$AA" 'PTR[[:space:]]+old-mail8\.example\.com\.$'
        check "8.x ns2 old serial" 127.53.6.2 8.18.198.in-addr.arpa SOA -- ' 2024030108 '
        check "8.x ns1 new serial" 127.53.6.1 8.18.198.in-addr.arpa SOA -- ' 2024061508 '
        check "9.x parent NS" 127.53.5.2 -x 198.18.9.1 -- 'NS[[:space:]]+ns2\.rdns\.example\.net\.$'
        check "9.x child NS" 127.53.6.3 9.18.198.in-addr.arpa NS -- "$AA" 'NS[[:space:]]+ns3\.rdns\.example\.net\.$'
        reject "9.x child NS has no ns2" "$OUT" 'NS[[:space:]]+ns2\.rdns'
        check "10.x ISP: NXDOMAIN" 127.53.5.1 -x 198.18.10.1 -- "$AA" 'status: NXDOMAIN'
        check "10.x provider has the PTR" 127.53.12.2 -x 198.18.10.1 -- "$AA" 'PTR[[:space:]]+mail10\.example\.com\.$'
        check "10.1 resolves NXDOMAIN" "$R" -x 198.18.10.1 -- 'status: NXDOMAIN'
        check "11.x /26 CNAME back" 127.53.20.2 70.64/26.11.18.198.in-addr.arpa PTR -- "$AA" 'CNAME[[:space:]]+70\.11\.18\.198\.in-addr\.arpa\.$'
        check "11.70 CNAME loop fails" "$R" -x 198.18.11.70 -- 'status: SERVFAIL'
        check "12.x upward referral" 127.53.13.1 -x 198.18.12.1 -- "$NOAA" \
                '^18\.198\.in-addr\.arpa\..*NS[[:space:]]+ns1\.isp\.example\.net\.$'
        check "12.1 fails" "$R" -x 198.18.12.1 -- 'status: SERVFAIL'
        check "14.x referral to itself" 127.53.13.2 -x 198.18.14.1 -- "$NOAA" \
                '^14\.18\.198\.in-addr\.arpa\..*NS[[:space:]]+ns1\.selfref\.example\.net\.$'
        check "13.x cyc1 -> cyc2" 127.53.21.1 ns.cyc1.example.net A -- "$NOAA" 'NS[[:space:]]+ns\.cyc2\.example\.org\.$' 'ADDITIONAL: 1$'
        check "13.x cyc2 -> cyc1" 127.53.22.1 ns.cyc2.example.org A -- "$NOAA" 'NS[[:space:]]+ns\.cyc1\.example\.net\.$'
        check "13.1 fails" "$R" -x 198.18.13.1 -- 'status: SERVFAIL'
}

# dig_batch SERVER FILE: answers to every query in FILE, in 16 parallel
# digs so LAB_DELAY_MS does not add up over a thousand queries.
dig_batch() {
        local part
        split -n l/16 "$2" "$2.part."
        for part in "$2".part.*; do
                dig @"$1" +norec +noall +answer -f "$part" >"$part.out" &
        done
        wait
        cat "$2".part.*.out
}

# Every address of the /22 answers as bulk-expect.tsv says, from the
# authoritative servers (one dig per server for all 1024 names).
test_bulk() {
        local batch=$LAB_DIR/bulk-ptr.batch fbatch=$LAB_DIR/bulk-fwd.batch n errors
        grep -v '^#' "$LAB_BULK_EXPECT" | cut -f1 |
                awk -F. '{print $4"."$3"."$2"."$1".in-addr.arpa PTR"}' >"$batch"
        dig_batch 127.53.6.1 "$batch" | awk '{print "P", $1, $5}' \
                >"$LAB_DIR/bulk-answers"
        awk '$3 ~ /example\.com\.$/ {print $3, "A"}' "$LAB_DIR/bulk-answers" >"$fbatch.com"
        awk '$3 ~ /example\.net\.$/ {print $3, "A"}' "$LAB_DIR/bulk-answers" >"$fbatch.net"
        for n in com.127.53.20.1 net.127.53.21.1; do
                dig_batch "${n#*.}" "$fbatch.${n%%.*}" |
                        awk '{print "A", $1, $5}'
        done >>"$LAB_DIR/bulk-answers"
        errors=$(awk -F'\t' '
                FILENAME == ARGV[1] { split($0, f, " ")
                        if (f[1] == "P") ptr[f[2]] = ptr[f[2]] f[3] " "
                        else if (!(f[2] in addr)) addr[f[2]] = f[3]
                        next }
                /^#/ { next }
                { ip = $1; codes = $3; split(ip, o, ".")
                  n = (o[3] - 20) * 256 + o[4]
                  host = "host-" n ".example.com."
                  want = host " "
                  if (codes ~ /^PTR_MISSING/) want = ""
                  else if (codes == "PTR_GENERIC") want = "198-18-" o[3] "-" o[4] ".dyn.example.net. "
                  else if (codes == "PTR_MULTIPLE") want = host " alt-" n ".example.com. "
                  else if (codes == "FCRDNS_NO_ADDRESS") want = "gone-" n ".example.com. "
                  name = o[4] "." o[3] ".18.198.in-addr.arpa."
                  if (ptr[name] != want) print ip ": PTR \"" ptr[name] "\" want \"" want "\""
                  split(want, t, " "); a = addr[t[1]]
                  if (codes == "FCRDNS_MISMATCH") { if (a == "" || a == ip) print ip ": A " a }
                  else if (codes == "FCRDNS_NO_ADDRESS") { if (a != "") print ip ": A " a }
                  else if (want != "" && a != ip) print ip ": A " a }
        ' "$LAB_DIR/bulk-answers" "$LAB_BULK_EXPECT")
        if [ -n "$errors" ]; then
                bad "bulk data differs from bulk-expect.tsv:"
                head -20 <<<"$errors"
        else
                ok
        fi
        n=$(grep -vc '^#' "$LAB_BULK_EXPECT")
        if [ "$n" = 1024 ]; then ok; else bad "bulk-expect.tsv has $n rows, want 1024"; fi
}

test_root_chain
test_forward
test_foundation
test_classless
test_failures
test_ipv6
test_trace_scenarios
test_bulk

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
