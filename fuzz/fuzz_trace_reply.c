/* The trace's reply parser: trace_msg_classify, the function trace.c calls
 * on every datagram and TCP message a server sends, on any bytes. The
 * question asked is taken from the reply itself when it has one, so most
 * inputs get past the id and question checks into the classification; the
 * first byte picks the zone that was asked. */
#include <ldns/ldns.h>

#include "engine/trace_int.h"
#include "fuzz.h"

static const char *const zones[] = {".",
                                    "arpa.",
                                    "in-addr.arpa.",
                                    "198.in-addr.arpa.",
                                    "18.198.in-addr.arpa.",
                                    "2.18.198.in-addr.arpa.",
                                    "example.com.",
                                    "ip6.arpa."};

/* The reply's own question, or a PTR one for garbage. */
static char *question_of(const uint8_t *wire, size_t len, int *qtype)
{
        ldns_pkt *p = NULL;
        char *name = NULL;
        *qtype = LDNS_RR_TYPE_PTR;
        if (ldns_wire2pkt(&p, wire, len) == LDNS_STATUS_OK &&
            ldns_rr_list_rr_count(ldns_pkt_question(p)) > 0) {
                const ldns_rr *q = ldns_rr_list_rr(ldns_pkt_question(p), 0);
                name = ldns_rdf2str(ldns_rr_owner(q));
                *qtype = ldns_rr_get_type(q);
        }
        ldns_pkt_free(p);
        return name ? name : strdup("25.2.18.198.in-addr.arpa.");
}

static void clean_strv(char **v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                FUZZ_ASSERT(fuzz_is_clean(v[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        if (size < 1)
                return 0;
        const char *zone = zones[data[0] % (sizeof(zones) / sizeof(zones[0]))];
        const uint8_t *wire = data + 1;
        size_t len = size - 1;
        int qtype;
        char *qname = question_of(wire, len, &qtype);
        uint16_t id = len >= 2 ? (uint16_t)(wire[0] << 8 | wire[1]) : 0;
        struct trace_reply r;
        trace_msg_classify(wire, len, qname, qtype, id, zone, &r);
        FUZZ_ASSERT(!r.why || fuzz_is_clean(r.why));
        clean_strv(r.ns, r.nns);
        clean_strv(r.answer, r.nanswer);
        trace_reply_clear(&r);
        /* The query builder on the same name. */
        uint8_t *q = NULL;
        size_t qlen = 0;
        if (trace_msg_query(qname, qtype, id, data[0] & 1, &q, &qlen) == 0)
                FUZZ_ASSERT(q && qlen >= 12);
        free(q);
        free(qname);
        return 0;
}
