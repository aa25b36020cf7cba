#!/usr/bin/python3
"""Writes the seed replies of fuzz/corpus/trace_reply/ (needs python3-dnspython;
only to regenerate them). The first byte of a seed picks the zone the trace
asked (see fuzz_trace_reply.c), the rest is the reply as a server sends it."""
import os
import dns.flags
import dns.message
import dns.rcode
import dns.rrset

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "trace_reply")
PTR = "25.2.18.198.in-addr.arpa."


def reply(qname, qtype, zone, rcode=dns.rcode.NOERROR, aa=True, answer=(), authority=(),
          additional=(), tc=False):
    q = dns.message.make_query(qname, qtype, use_edns=0)
    q.flags &= ~dns.flags.RD
    r = dns.message.make_response(q)
    if aa:
        r.flags |= dns.flags.AA
    if tc:
        r.flags |= dns.flags.TC
    r.set_rcode(rcode)
    for section, rrs in ((r.answer, answer), (r.authority, authority), (r.additional, additional)):
        for text in rrs:
            name, ttl, rdtype, *data = text.split(None, 3)
            section.append(dns.rrset.from_text(name, int(ttl), "IN", rdtype, *data))
    return bytes([zone]) + r.to_wire()


SOA = "2.18.198.in-addr.arpa. 3600 SOA ns1.rdns.example.net. hostmaster.example.net. 1 7200 3600 1209600 3600"
seeds = {
    "referral_root": reply(PTR, "PTR", 0, aa=False,
                           authority=["in-addr.arpa. 172800 NS a.in-addr-servers.arpa."],
                           additional=["a.in-addr-servers.arpa. 172800 A 127.53.2.1"]),
    "referral_isp": reply(PTR, "PTR", 4, aa=False,
                          authority=["2.18.198.in-addr.arpa. 86400 NS ns1.rdns.example.net.",
                                     "2.18.198.in-addr.arpa. 86400 NS ns2.rdns.example.net."]),
    "answer_ptr": reply(PTR, "PTR", 5, answer=[PTR + " 3600 PTR mail.example.com."]),
    "answer_two_ptr": reply(PTR, "PTR", 5, answer=[PTR + " 3600 PTR a.example.com.",
                                                   PTR + " 3600 PTR b.example.com."]),
    "nxdomain": reply(PTR, "PTR", 5, rcode=dns.rcode.NXDOMAIN, authority=[SOA]),
    "nodata": reply(PTR, "PTR", 5, authority=[SOA]),
    "soa": reply("2.18.198.in-addr.arpa.", "SOA", 5, answer=[SOA]),
    "cname_2317": reply("70.2.18.198.in-addr.arpa.", "PTR", 5,
                        answer=["70.2.18.198.in-addr.arpa. 3600 CNAME 70.64/26.2.18.198.in-addr.arpa."],
                        authority=["64/26.2.18.198.in-addr.arpa. 3600 NS ns1.example.com."]),
    "cname_loop": reply(PTR, "PTR", 5, answer=[PTR + " 3600 CNAME x.2.18.198.in-addr.arpa.",
                                               "x.2.18.198.in-addr.arpa. 3600 CNAME " + PTR]),
    "truncated": reply(PTR, "PTR", 5, tc=True),
    "refused": reply(PTR, "PTR", 5, rcode=dns.rcode.REFUSED, aa=False),
    "servfail": reply(PTR, "PTR", 5, rcode=dns.rcode.SERVFAIL, aa=False),
    "lame": reply(PTR, "PTR", 5, aa=False),
    "loop_upward": reply(PTR, "PTR", 5, aa=False,
                         authority=["18.198.in-addr.arpa. 86400 NS ns1.loop.example.net."]),
    "ptr_hostile": reply(PTR, "PTR", 5, answer=[PTR + " 3600 PTR evil\\027[31mred\\007.example.com."]),
    "a_answer": reply("ns1.rdns.example.net.", "A", 6, answer=["ns1.rdns.example.net. 3600 A 127.53.6.1"]),
    "garbage": bytes([1]) + b"\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00\xc0\x0c",
}
os.makedirs(OUT, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
