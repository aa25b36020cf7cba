# shellcheck shell=bash
# The lab's DNS tree: who serves what, and every zone's contents.
# Sourced by lab.sh; writes into $DIR/zones and declares servers with
# nsd_server / blackhole_server (defined in lab.sh). See README.md for the
# address plan and what each scenario must make true.

# Server addresses (public side; NSD moves to 127.54.x.y under LAB_DELAY_MS).
ROOT_A=127.53.0.1 ROOT_B=127.53.0.2
ARPA_A=127.53.1.1
INADDR_A=127.53.2.1
IP6_A=127.53.3.1
RIR_1=127.53.4.1 RIR_2=127.53.4.2
ISP_1=127.53.5.1 ISP_2=127.53.5.2
RDNS_1=127.53.6.1 RDNS_2=127.53.6.2 RDNS_3=127.53.6.3
BLACKHOLE_1=127.53.8.1 BLACKHOLE_2=127.53.8.2
OLDHOST_1=127.53.9.1
GTLD_A=127.53.10.1 GTLD_B=127.53.10.2
ORGTLD_A=127.53.11.1 ORGTLD_B=127.53.11.2
PROVIDER_1=127.53.12.1 PROVIDER_2=127.53.12.2
LOOP_1=127.53.13.1 SELFREF_1=127.53.13.2
COM_1=127.53.20.1 COM_2=127.53.20.2
NET_1=127.53.21.1 NET_2=127.53.21.2
ORG_1=127.53.22.1 ORG_2=127.53.22.2
# shellcheck disable=SC2034 # used by lab.sh
RESOLVER_ADDR=127.53.255.53
# The lab's receiving Postfix (LAB_WITH_POSTFIX=1): one smtpd per address,
# reject_unknown_reverse_client_hostname on MX_PTR and
# reject_unknown_client_hostname on MX_FCRDNS.
# shellcheck disable=SC2034 # used by lab.sh
MX_PTR=127.53.25.1 MX_FCRDNS=127.53.25.2
# shellcheck disable=SC2034 # used by lab.sh (LAB_VIEW_RESOLVERS=1)
VIEW_RESOLVER_ADDRS="127.53.255.54 127.53.255.55"

# Reverse zone names used more than once.
V6_ISP=0.0.0.0.f.f.f.3.ip6.arpa        # 3fff:0::/32, the ISP's allocation
V6_LAN=1.0.0.0.0.0.0.0.0.0.0.0.f.f.f.3.ip6.arpa # 3fff:0:0:1::/64
V6_HOST_10=0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0 # ::10 inside the /64
V6_HOST_25=5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0 # ::25 inside the /64

# new_zone FILE ORIGIN TTL MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM
# starts $DIR/zones/FILE.zone with $ORIGIN, $TTL and the SOA; Z names it
# for the add calls that follow.
new_zone() {
        Z=$DIR/zones/$1.zone
        # shellcheck disable=SC2016 # $ORIGIN and $TTL are zone file syntax
        printf '$ORIGIN %s\n$TTL %s\n@ %s IN SOA %s %s %s %s %s %s %s\n' \
                "$2" "$3" "$3" "$4" "$5" "$6" "$7" "$8" "$9" "${10}" >"$Z"
}

# add: appends records (a here-document) to the current zone.
add() {
        cat >>"$Z"
}

# new_rev24 FILE SERIAL [NS...]: a /24 run by the ISP's reverse-DNS servers
# (apex NS ns1+ns2.rdns.example.net unless given), SOA values as ISPs use
# them: SOA TTL and negative TTL of one hour. FILE is the zone name, maybe
# with a suffix for a second copy (8.18.198.in-addr.arpa.stale).
new_rev24() {
        local file=$1 serial=$2 ns
        shift 2
        [ $# -gt 0 ] || set -- ns1.rdns.example.net. ns2.rdns.example.net.
        new_zone "$file" "${file%%arpa*}arpa." 3600 ns1.rdns.example.net. \
                hostmaster.example.net. "$serial" 7200 3600 1209600 3600
        for ns in "$@"; do
                echo "@ NS $ns"
        done | add
}

# ---------------------------------------------------------------- the top
zones_root() {
        new_zone root . 86400 a.root-servers.net. nstld.root-servers.net. 2024061500 \
                1800 900 604800 86400
        add <<EOF
@ 518400 NS a.root-servers.net.
@ 518400 NS b.root-servers.net.
a.root-servers.net. 518400 A $ROOT_A
b.root-servers.net. 518400 A $ROOT_B
arpa. 172800 NS a.ns.arpa.
a.ns.arpa. 172800 A $ARPA_A
com. 172800 NS a.gtld-servers.net.
com. 172800 NS b.gtld-servers.net.
net. 172800 NS a.gtld-servers.net.
net. 172800 NS b.gtld-servers.net.
a.gtld-servers.net. 172800 A $GTLD_A
b.gtld-servers.net. 172800 A $GTLD_B
org. 172800 NS a0.org-servers.org.
org. 172800 NS b0.org-servers.org.
a0.org-servers.org. 172800 A $ORGTLD_A
b0.org-servers.org. 172800 A $ORGTLD_B
EOF
        new_zone root-servers.net root-servers.net. 3600000 a.root-servers.net. \
                nstld.root-servers.net. 2024061500 14400 7200 1209600 3600000
        add <<EOF
@ NS a.root-servers.net.
@ NS b.root-servers.net.
a A $ROOT_A
b A $ROOT_B
EOF
        nsd_server root "$ROOT_A $ROOT_B" ".=root.zone.signed root-servers.net=root-servers.net.zone"

        new_zone arpa arpa. 86400 a.ns.arpa. nstld.root-servers.net. 2024061500 \
                1800 900 604800 86400
        add <<EOF
@ NS a.ns.arpa.
a.ns A $ARPA_A
in-addr NS a.in-addr-servers.arpa.
a.in-addr-servers A $INADDR_A
ip6 NS a.ip6-servers.arpa.
a.ip6-servers A $IP6_A
EOF
        nsd_server arpa "$ARPA_A" "arpa=arpa.zone.signed"

        new_zone in-addr.arpa in-addr.arpa. 86400 a.in-addr-servers.arpa. \
                hostmaster.in-addr-servers.arpa. 2024061401 3600 1800 604800 3600
        add <<EOF
@ NS a.in-addr-servers.arpa.
198 NS ns1.rir.example.org.
198 NS ns2.rir.example.org.
EOF
        nsd_server in-addr "$INADDR_A" "in-addr.arpa=in-addr.arpa.zone.signed"

        new_zone ip6.arpa ip6.arpa. 86400 a.ip6-servers.arpa. hostmaster.ip6-servers.arpa. \
                2024061402 3600 1800 604800 3600
        add <<EOF
@ NS a.ip6-servers.arpa.
f.f.f.3 NS ns1.rir.example.org.
f.f.f.3 NS ns2.rir.example.org.
EOF
        nsd_server ip6 "$IP6_A" "ip6.arpa=ip6.arpa.zone"
}

# ------------------------------------------------------ TLDs, forward zones
zones_tlds() {
        new_zone com com. 900 a.gtld-servers.net. nstld.gtld-servers.net. 1718400000 \
                1800 900 604800 86400
        add <<EOF
@ 172800 NS a.gtld-servers.net.
@ 172800 NS b.gtld-servers.net.
example 172800 NS ns1.example.com.
example 172800 NS ns2.example.com.
ns1.example 172800 A $COM_1
ns2.example 172800 A $COM_2
EOF
        new_zone net net. 900 a.gtld-servers.net. nstld.gtld-servers.net. 1718400001 \
                1800 900 604800 86400
        add <<EOF
@ 172800 NS a.gtld-servers.net.
@ 172800 NS b.gtld-servers.net.
a.gtld-servers A $GTLD_A
b.gtld-servers A $GTLD_B
root-servers 172800 NS a.root-servers.net.
root-servers 172800 NS b.root-servers.net.
a.root-servers 172800 A $ROOT_A
b.root-servers 172800 A $ROOT_B
example 172800 NS ns1.example.net.
example 172800 NS ns2.example.net.
ns1.example 172800 A $NET_1
ns2.example 172800 A $NET_2
EOF
        nsd_server gtld "$GTLD_A $GTLD_B" "com=com.zone net=net.zone"

        new_zone org org. 3600 a0.org-servers.org. noc.org-servers.org. 2024061550 \
                1800 900 604800 3600
        add <<EOF
@ 86400 NS a0.org-servers.org.
@ 86400 NS b0.org-servers.org.
a0.org-servers A $ORGTLD_A
b0.org-servers A $ORGTLD_B
example 86400 NS ns1.example.org.
example 86400 NS ns2.example.org.
ns1.example 86400 A $ORG_1
ns2.example 86400 A $ORG_2
EOF
        nsd_server orgtld "$ORGTLD_A $ORGTLD_B" "org=org.zone"

        # The customer: its mail server, and the host names the PTRs point at.
        new_zone example.com example.com. 3600 ns1.example.com. hostmaster.example.com. \
                2024061001 10800 3600 604800 300
        add <<EOF
@ NS ns1.example.com.
@ NS ns2.example.com.
@ MX 10 mail.example.com.
ns1 A $COM_1
ns2 A $COM_2
mail A 198.18.1.10
mail AAAA 3fff:0:0:1::10
mx A 198.18.1.10
mx A 198.18.1.13
mx AAAA 3fff:0:0:1::10
mismatch A 198.18.1.99
multi1 A 198.18.1.16
multi2 A 198.18.1.16
evil\027[31mred\007 A 198.18.1.17
xn--bcher-kva A 198.18.1.18
gw A 198.18.2.1
web A 198.18.2.40
ns A 198.18.2.6
smtp1 A 198.18.2.8
smtp2 A 198.18.2.8
classless A 198.18.2.70
bogus A 198.18.5.1
mail6 A 198.18.6.1
mail7 A 198.18.7.1
mail8 A 198.18.8.1
old-mail8 A 198.18.8.1
mail9 A 198.18.9.1
mail10 A 198.18.10.1
mail12 A 198.18.12.1
mail13 A 198.18.13.1
mail14 A 198.18.14.1
; mail delivery tests: the receivers' MX and the senders of 25.18.198
ptr MX 10 mx-ptr.example.com.
fcrdns MX 10 mx-fcrdns.example.com.
mx-ptr A $MX_PTR
mx-fcrdns A $MX_FCRDNS
mail25 A 198.18.25.10
mail25 AAAA 3fff:0:0:1::25
fixed25 A 198.18.25.13
; a receiver outside the lab's addresses: the route to it is the default one
far MX 10 mx.far.example.com.
mx.far A 198.51.100.25
mx.far AAAA 2001:db8:25::25
EOF
        # The ISP: its name servers and generic names.
        new_zone example.net example.net. 3600 ns1.example.net. noc.example.net. 2024050101 \
                14400 3600 1209600 3600
        add <<EOF
@ NS ns1.example.net.
@ NS ns2.example.net.
ns1 A $NET_1
ns2 A $NET_2
ns1.isp A $ISP_1
ns2.isp A $ISP_2
ns1.rdns A $RDNS_1
ns2.rdns A $RDNS_2
ns3.rdns A $RDNS_3
ns1.blackhole A $BLACKHOLE_1
ns2.blackhole A $BLACKHOLE_2
ns1.loop A $LOOP_1
ns1.selfref A $SELFREF_1
198-18-1-15.dyn A 198.18.1.15
198-18-2-3.dyn A 198.18.2.3
; glueless delegation into a cycle (198.18.13.1)
cyc1 NS ns.cyc2.example.org.
EOF
        nsd_server example-net "$NET_1 $NET_2" "example.net=example.net.zone"

        # A third party: the RIR's and the DNS provider's servers live here.
        new_zone example.org example.org. 3600 ns1.example.org. hostmaster.example.org. \
                2024040101 7200 1800 1209600 1800
        add <<EOF
@ NS ns1.example.org.
@ NS ns2.example.org.
ns1 A $ORG_1
ns2 A $ORG_2
ns1.rir A $RIR_1
ns2.rir A $RIR_2
dnsprovider NS ns1.dnsprovider.example.org.
dnsprovider NS ns2.dnsprovider.example.org.
ns1.dnsprovider A $PROVIDER_1
ns2.dnsprovider A $PROVIDER_2
oldhost NS ns1.oldhost.example.org.
ns1.oldhost A $OLDHOST_1
; glueless delegation into a cycle (198.18.13.1)
cyc2 NS ns.cyc1.example.net.
dnsbl NS ns1.example.org.
dnsbl NS ns2.example.org.
EOF
        # A blocklist as DNSBLs publish them (RFC 5782): the reversed address,
        # A for listed, TXT for why; and the error codes lists answer with.
        new_zone dnsbl.example.org dnsbl.example.org. 300 ns1.example.org. \
                hostmaster.example.org. 2024070101 3600 600 86400 300
        add <<EOF
@ NS ns1.example.org.
@ NS ns2.example.org.
2.0.0.127 A 127.0.0.2
2.0.0.127 TXT "RFC 5782 test entry"
10.1.18.198 A 127.0.0.2
10.1.18.198 TXT "Listed by the lab DNSBL: spam trap hits; see https://dnsbl.example.org/q?198.18.1.10"
13.1.18.198 A 127.0.0.4
13.1.18.198 TXT "evil\027[31mreason\007 here"
15.1.18.198 A 127.0.0.1
16.1.18.198 A 127.255.255.254
16.1.18.198 TXT "Query via public/open resolver refused"
18.1.18.198 A 127.255.255.255
EOF
        nsd_server example-org "$ORG_1 $ORG_2" "example.org=example.org.zone dnsbl.example.org=dnsbl.example.org.zone"

        new_zone oldhost.example.org oldhost.example.org. 3600 ns1.oldhost.example.org. \
                admin.oldhost.example.org. 2019110501 3600 900 604800 3600
        add <<EOF
@ NS ns1.oldhost.example.org.
ns1 A $OLDHOST_1
EOF
        nsd_server oldhost "$OLDHOST_1" "oldhost.example.org=oldhost.example.org.zone"
}

# ------------------------------------------------- the RIR and the ISP
zones_rir_isp() {
        new_zone 198.in-addr.arpa 198.in-addr.arpa. 86400 ns1.rir.example.org. \
                dns-ops.rir.example.org. 2024061407 7200 3600 604800 10800
        add <<EOF
@ NS ns1.rir.example.org.
@ NS ns2.rir.example.org.
18 NS ns1.isp.example.net.
18 NS ns2.isp.example.net.
EOF
        new_zone f.f.f.3.ip6.arpa f.f.f.3.ip6.arpa. 86400 ns1.rir.example.org. \
                dns-ops.rir.example.org. 2024061408 7200 3600 604800 10800
        add <<EOF
@ NS ns1.rir.example.org.
@ NS ns2.rir.example.org.
0.0.0.0 NS ns1.isp.example.net.
0.0.0.0 NS ns2.isp.example.net.
EOF
        nsd_server rir "$RIR_1 $RIR_2" \
                "198.in-addr.arpa=198.in-addr.arpa.zone.signed f.f.f.3.ip6.arpa=f.f.f.3.ip6.arpa.zone"

        new_zone 18.198.in-addr.arpa 18.198.in-addr.arpa. 86400 ns1.isp.example.net. \
                noc.example.net. 2024061203 14400 3600 1209600 3600
        add <<EOF
@ NS ns1.isp.example.net.
@ NS ns2.isp.example.net.
; the ISP delegates its /24s to its reverse-DNS servers
1 NS ns1.rdns.example.net.
1 NS ns2.rdns.example.net.
2 NS ns1.rdns.example.net.
2 NS ns2.rdns.example.net.
; all servers refuse (the customer's, not set up for this zone)
3 NS ns1.example.com.
3 NS ns2.example.com.
; all servers never answer
4 NS ns1.blackhole.example.net.
4 NS ns2.blackhole.example.net.
; signed, but the DS below matches no key in the zone
5 NS ns1.rdns.example.net.
5 NS ns2.rdns.example.net.
; one lame server (REFUSED)
6 NS ns1.rdns.example.net.
6 NS ns1.oldhost.example.org.
; one server never answers
7 NS ns1.rdns.example.net.
7 NS ns1.blackhole.example.net.
; the two servers disagree
8 NS ns1.rdns.example.net.
8 NS ns2.rdns.example.net.
; parent says ns1+ns2, the zone itself says ns1+ns3
9 NS ns1.rdns.example.net.
9 NS ns2.rdns.example.net.
; kept at the ISP, though the customer set it up at a DNS provider
10 NS ns1.isp.example.net.
10 NS ns2.isp.example.net.
11 NS ns1.rdns.example.net.
11 NS ns2.rdns.example.net.
; servers whose referrals loop (upward; to the same zone)
12 NS ns1.loop.example.net.
14 NS ns1.selfref.example.net.
; glueless cycle: cyc1.example.net <-> cyc2.example.org
13 NS ns.cyc1.example.net.
EOF
        local n
        for n in 20 21 22 23 25; do
                printf '%s NS ns1.rdns.example.net.\n%s NS ns2.rdns.example.net.\n' $n $n | add
        done

        new_zone "$V6_ISP" "$V6_ISP." 86400 ns1.isp.example.net. noc.example.net. \
                2024061204 14400 3600 1209600 3600
        add <<EOF
@ NS ns1.isp.example.net.
@ NS ns2.isp.example.net.
1.0.0.0.0.0.0.0 NS ns1.rdns.example.net.
1.0.0.0.0.0.0.0 NS ns2.rdns.example.net.
EOF
        # The ISP's copy of 10.18.198: it never heard of the customer's PTR.
        new_zone 10.18.198.in-addr.arpa.isp 10.18.198.in-addr.arpa. 3600 ns1.isp.example.net. \
                noc.example.net. 2023020101 14400 3600 1209600 3600
        add <<EOF
@ NS ns1.isp.example.net.
@ NS ns2.isp.example.net.
EOF
        nsd_server isp "$ISP_1 $ISP_2" "18.198.in-addr.arpa=18.198.in-addr.arpa.zone.signed \
$V6_ISP=$V6_ISP.zone 10.18.198.in-addr.arpa=10.18.198.in-addr.arpa.isp.zone"
}

# ------------------------------------------------------------ scenarios
zones_scenarios() {
        new_rev24 1.18.198.in-addr.arpa 2024061501
        add <<EOF
10 PTR mail.example.com.
12 TXT "reserved for the new relay"
13 PTR mismatch.example.com.
14 PTR noaddr.example.com.
15 PTR 198-18-1-15.dyn.example.net.
16 PTR multi1.example.com.
16 PTR multi2.example.com.
17 PTR evil\027[31mred\007.example.com.
18 PTR xn--bcher-kva.example.com.
; The classic zone-file mistake: no final dot, so the origin is appended
; and the PTR reads mail.example.com.1.18.198.in-addr.arpa.
19 PTR mail.example.com
EOF
        # RFC 2317: the /26 64-127 belongs to the customer, who runs it on
        # the example.com servers; 0-15 holds a mix for CIDR checks.
        new_rev24 2.18.198.in-addr.arpa 2024061502
        add <<EOF
1 PTR gw.example.com.
3 PTR 198-18-2-3.dyn.example.net.
4 PTR web.example.com.
5 PTR gone.example.com.
6 PTR ns.example.com.
7 TXT "spare"
8 PTR smtp1.example.com.
8 PTR smtp2.example.com.
64/26 NS ns1.example.com.
64/26 NS ns2.example.com.
EOF
        local i
        for ((i = 64; i < 128; i++)); do
                printf '%d CNAME %d.64/26.2.18.198.in-addr.arpa.\n' $i $i
        done | add
        new_zone 64-26.2.18.198.in-addr.arpa 64/26.2.18.198.in-addr.arpa. 3600 ns1.example.com. \
                hostmaster.example.com. 2024061101 10800 3600 604800 3600
        add <<EOF
@ NS ns1.example.com.
@ NS ns2.example.com.
70 PTR classless.example.com.
EOF

        new_rev24 5.18.198.in-addr.arpa 2024061505
        echo '1 PTR bogus.example.com.' | add
        new_rev24 6.18.198.in-addr.arpa 2024061506 ns1.rdns.example.net. ns1.oldhost.example.org.
        echo '1 PTR mail6.example.com.' | add
        new_rev24 7.18.198.in-addr.arpa 2024061507 ns1.rdns.example.net. ns1.blackhole.example.net.
        echo '1 PTR mail7.example.com.' | add
        # Two copies: ns2 missed the last update (the "intermittent" case).
        new_rev24 8.18.198.in-addr.arpa 2024061508
        echo '1 PTR mail8.example.com.' | add
        new_rev24 8.18.198.in-addr.arpa.stale 2024030108
        echo '1 PTR old-mail8.example.com.' | add
        new_rev24 9.18.198.in-addr.arpa 2024061509 ns1.rdns.example.net. ns3.rdns.example.net.
        echo '1 PTR mail9.example.com.' | add
        new_rev24 11.18.198.in-addr.arpa 2024061511
        add <<EOF
70 CNAME 70.64/26.11.18.198.in-addr.arpa.
64/26 NS ns1.example.com.
64/26 NS ns2.example.com.
EOF
        new_zone 64-26.11.18.198.in-addr.arpa 64/26.11.18.198.in-addr.arpa. 3600 \
                ns1.example.com. hostmaster.example.com. 2024061102 10800 3600 604800 3600
        add <<EOF
@ NS ns1.example.com.
@ NS ns2.example.com.
; points back at the parent's CNAME: a loop
70 CNAME 70.11.18.198.in-addr.arpa.
EOF

        # The customer created the PTR at a DNS provider; the ISP never
        # delegated the zone there.
        new_zone 10.18.198.in-addr.arpa.provider 10.18.198.in-addr.arpa. 3600 \
                ns1.dnsprovider.example.org. support.dnsprovider.example.org. 2024061510 \
                3600 600 604800 3600
        add <<EOF
@ NS ns1.dnsprovider.example.org.
@ NS ns2.dnsprovider.example.org.
1 PTR mail10.example.com.
EOF
        new_zone dnsprovider.example.org dnsprovider.example.org. 3600 \
                ns1.dnsprovider.example.org. support.dnsprovider.example.org. 2024061500 \
                3600 600 604800 3600
        add <<EOF
@ NS ns1.dnsprovider.example.org.
@ NS ns2.dnsprovider.example.org.
ns1 A $PROVIDER_1
ns2 A $PROVIDER_2
EOF
        nsd_server provider "$PROVIDER_1 $PROVIDER_2" "dnsprovider.example.org=dnsprovider.example.org.zone \
10.18.198.in-addr.arpa=10.18.198.in-addr.arpa.provider.zone"

        # 12.18.198's server holds a stale copy of the RIR's zone: an upward
        # referral back to the ISP, which refers down to it again.
        new_zone 198.in-addr.arpa.loop 198.in-addr.arpa. 86400 ns1.loop.example.net. \
                noc.example.net. 2022010101 14400 3600 1209600 3600
        add <<EOF
@ NS ns1.loop.example.net.
18 NS ns1.isp.example.net.
18 NS ns2.isp.example.net.
EOF
        nsd_server loop "$LOOP_1" "198.in-addr.arpa=198.in-addr.arpa.loop.zone"
        # 14.18.198's server holds a stale copy of the ISP's zone that
        # delegates 14.18.198 to itself: a referral to the same zone.
        new_zone 18.198.in-addr.arpa.selfref 18.198.in-addr.arpa. 86400 \
                ns1.selfref.example.net. noc.example.net. 2022010102 14400 3600 1209600 3600
        add <<EOF
@ NS ns1.selfref.example.net.
14 NS ns1.selfref.example.net.
EOF
        nsd_server selfref "$SELFREF_1" "18.198.in-addr.arpa=18.198.in-addr.arpa.selfref.zone"

        new_zone "$V6_LAN" "$V6_LAN." 3600 ns1.rdns.example.net. hostmaster.example.net. \
                2024061520 7200 3600 1209600 3600
        add <<EOF
$V6_HOST_10 PTR mail.example.com.
$V6_HOST_25 PTR mail25.example.com.
EOF
        zones_mail

        zones_bulk
        zones_customer_servers

        local common="1.18.198.in-addr.arpa=1.18.198.in-addr.arpa.zone.signed \
2.18.198.in-addr.arpa=2.18.198.in-addr.arpa.zone \
5.18.198.in-addr.arpa=5.18.198.in-addr.arpa.zone.signed \
6.18.198.in-addr.arpa=6.18.198.in-addr.arpa.zone \
7.18.198.in-addr.arpa=7.18.198.in-addr.arpa.zone \
9.18.198.in-addr.arpa=9.18.198.in-addr.arpa.zone \
11.18.198.in-addr.arpa=11.18.198.in-addr.arpa.zone \
$V6_LAN=$V6_LAN.zone"
        for n in 20 21 22 23 25; do
                common+=" $n.18.198.in-addr.arpa=$n.18.198.in-addr.arpa.zone"
        done
        # ns1 and ns3 are one NSD; ns2 is another so it can hold the stale 8.x.
        nsd_server rdns1 "$RDNS_1 $RDNS_3" "$common 8.18.198.in-addr.arpa=8.18.198.in-addr.arpa.zone"
        nsd_server rdns2 "$RDNS_2" "$common 8.18.198.in-addr.arpa=8.18.198.in-addr.arpa.stale.zone"
        blackhole_server blackhole "$BLACKHOLE_1 $BLACKHOLE_2"
}

# Senders for the delivery tests (tests/lab/test_smtp.sh). A short
# negative TTL (SOA TTL and minimum MAIL_NEG_TTL) so that a fixed PTR
# reaches the receiver's resolver within a test's patience.
MAIL_NEG_TTL=${MAIL_NEG_TTL:-20}
zones_mail() {
        new_zone 25.18.198.in-addr.arpa 25.18.198.in-addr.arpa. "$MAIL_NEG_TTL" \
                ns1.rdns.example.net. hostmaster.example.net. 2024062501 7200 3600 1209600 \
                "$MAIL_NEG_TTL"
        add <<EOF
@ 3600 NS ns1.rdns.example.net.
@ 3600 NS ns2.rdns.example.net.
; passes both Postfix checks
10 3600 PTR mail25.example.com.
; 11: no PTR (rejected by both); 13: no PTR until a test adds fixed25
; a PTR whose name has no address: passes the reverse check only
12 3600 PTR nofwd25.example.com.
EOF
}

# The scenario addresses, put on lo so that a delivery test can send from
# them (in-lab.sh adds them).
lab_sender_addresses() {
        echo 198.18.1.10 198.18.1.11 198.18.1.13 198.18.1.15 198.18.25.10 198.18.25.11 \
                198.18.25.12 198.18.25.13 3fff:0:0:1::10 3fff:0:0:1::11 3fff:0:0:1::25 | tr ' ' '\n'
}

zones_customer_servers() {
        nsd_server example-com "$COM_1 $COM_2" "example.com=example.com.zone \
64/26.2.18.198.in-addr.arpa=64-26.2.18.198.in-addr.arpa.zone \
64/26.11.18.198.in-addr.arpa=64-26.11.18.198.in-addr.arpa.zone"
}

# Many targets: 198.18.20.0/22 with a realistic mix. Every address's
# expected verdict and codes go to $DIR/bulk-expect.tsv (the columns of
# scenarios.tsv without options and description).
zones_bulk() {
        local third last n kind ip com=$DIR/zones/example.com.zone net=$DIR/zones/example.net.zone
        local expect=$DIR/bulk-expect.tsv
        printf '# ip\texpected_verdict\texpected_codes\n' >"$expect"
        for third in 20 21 22 23; do
                new_rev24 $third.18.198.in-addr.arpa 20240616$third
                for ((last = 0; last < 256; last++)); do
                        ip=198.18.$third.$last
                        n=$(((third - 20) * 256 + last))
                        kind=$(((last * 7 + third) % 20))
                        if ((kind < 14)); then
                                echo "$last PTR host-$n.example.com." >>"$Z"
                                echo "host-$n A $ip" >>"$com"
                                printf '%s\tpass\t-\n' $ip >>"$expect"
                        elif ((kind < 16)); then
                                printf '%s\tfail\tPTR_MISSING,+NEGATIVE_CACHE\n' $ip >>"$expect"
                        elif ((kind == 16)); then
                                echo "$last PTR host-$n.example.com." >>"$Z"
                                echo "host-$n A 198.19.$third.$last" >>"$com"
                                printf '%s\tfail\tFCRDNS_MISMATCH\n' $ip >>"$expect"
                        elif ((kind == 17)); then
                                echo "$last PTR 198-18-$third-$last.dyn.example.net." >>"$Z"
                                echo "198-18-$third-$last.dyn A $ip" >>"$net"
                                printf '%s\twarn\tPTR_GENERIC\n' $ip >>"$expect"
                        elif ((kind == 18)); then
                                echo "$last PTR host-$n.example.com." >>"$Z"
                                echo "$last PTR alt-$n.example.com." >>"$Z"
                                echo "host-$n A $ip" >>"$com"
                                echo "alt-$n A $ip" >>"$com"
                                printf '%s\twarn\tPTR_MULTIPLE\n' $ip >>"$expect"
                        else
                                echo "$last PTR gone-$n.example.com." >>"$Z"
                                printf '%s\tfail\tFCRDNS_NO_ADDRESS\n' $ip >>"$expect"
                        fi
                done
        done
}

# Signs the chain of trust bottom-up: each child's DS goes into its parent
# before the parent is signed. 5.18.198 gets the DS of a key it does not use.
zones_sign() {
        sign_zone 1.18.198.in-addr.arpa
        sign_zone 5.18.198.in-addr.arpa
        ds_of_unused_key 5.18.198.in-addr.arpa >>"$DIR/zones/18.198.in-addr.arpa.zone"
        cat "$DIR/keys/1.18.198.in-addr.arpa.ds" >>"$DIR/zones/18.198.in-addr.arpa.zone"
        sign_zone 18.198.in-addr.arpa
        cat "$DIR/keys/18.198.in-addr.arpa.ds" >>"$DIR/zones/198.in-addr.arpa.zone"
        sign_zone 198.in-addr.arpa
        cat "$DIR/keys/198.in-addr.arpa.ds" >>"$DIR/zones/in-addr.arpa.zone"
        sign_zone in-addr.arpa
        cat "$DIR/keys/in-addr.arpa.ds" >>"$DIR/zones/arpa.zone"
        sign_zone arpa
        cat "$DIR/keys/arpa.ds" >>"$DIR/zones/root.zone"
        sign_zone root .
        cp "$DIR/keys/root.ds" "$DIR/root.ds"
}

zones_generate() {
        zones_root
        zones_tlds
        zones_rir_isp
        zones_scenarios
        zones_sign
}
