/* trace_msg: replies crafted with ldns, classified as the trace sees them:
 * referral, upward and sideways referrals, lame, answers, negative
 * answers, CNAMEs, truncation, and bytes that are not ours or not DNS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <ldns/ldns.h>

#include "engine/trace_int.h"

#define ID    0x1234
#define QNAME "10.1.18.198.in-addr.arpa."

struct msg {
        uint16_t id;
        bool qr, aa, tc;
        int rcode;
        const char *qname; /* NULL: no question section */
        int qtype;
        const char *const *answer, *const *authority, *const *additional;
};

static void push(ldns_pkt *p, ldns_pkt_section sec, const char *const *rrs)
{
        for (size_t i = 0; rrs && rrs[i]; i++) {
                ldns_rr *rr = NULL;
                assert_int_equal(ldns_rr_new_frm_str(&rr, rrs[i], 3600, NULL, NULL),
                                 LDNS_STATUS_OK);
                ldns_pkt_push_rr(p, sec, rr);
        }
}

static uint8_t *build(const struct msg *m, size_t *len)
{
        ldns_pkt *p = ldns_pkt_new();
        ldns_pkt_set_id(p, m->id);
        ldns_pkt_set_qr(p, m->qr);
        ldns_pkt_set_aa(p, m->aa);
        ldns_pkt_set_tc(p, m->tc);
        ldns_pkt_set_rcode(p, (uint8_t)m->rcode);
        if (m->qname) {
                ldns_rr *q = ldns_rr_new();
                ldns_rr_set_owner(q, ldns_dname_new_frm_str(m->qname));
                ldns_rr_set_type(q, (ldns_rr_type)m->qtype);
                ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
                ldns_rr_set_question(q, true);
                ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, q);
        }
        push(p, LDNS_SECTION_ANSWER, m->answer);
        push(p, LDNS_SECTION_AUTHORITY, m->authority);
        push(p, LDNS_SECTION_ADDITIONAL, m->additional);
        uint8_t *wire = NULL;
        assert_int_equal(ldns_pkt2wire(&wire, p, len), LDNS_STATUS_OK);
        ldns_pkt_free(p);
        return wire;
}

/* A reply to QNAME PTR from a server of zone. */
static void classify(const struct msg *m, const char *zone, struct trace_reply *r)
{
        size_t len;
        uint8_t *wire = build(m, &len);
        trace_msg_classify(wire, len, QNAME, LDNS_RR_TYPE_PTR, ID, zone, r);
        free(wire);
}

static struct msg reply(bool aa, int rcode)
{
        return (struct msg){.id = ID,
                            .qr = true,
                            .aa = aa,
                            .rcode = rcode,
                            .qname = QNAME,
                            .qtype = LDNS_RR_TYPE_PTR};
}

static void test_referral(void **state)
{
        static const char *const auth[] = {"1.18.198.in-addr.arpa. NS ns1.1.18.198.in-addr.arpa.",
                                           "1.18.198.in-addr.arpa. NS ns2.rdns.example.net.", NULL};
        /* Glue inside the referring zone is used, glue outside it is not. */
        static const char *const add[] = {"ns1.1.18.198.in-addr.arpa. A 192.0.2.1",
                                          "ns2.rdns.example.net. A 192.0.2.2", NULL};
        struct msg m = reply(false, LDNS_RCODE_NOERROR);
        m.authority = auth;
        m.additional = add;
        struct trace_reply r;
        classify(&m, "18.198.in-addr.arpa.", &r);
        assert_int_equal(r.status, MSG_OK);
        assert_int_equal(r.outcome, TRACE_REFERRAL);
        assert_string_equal(r.referral, "1.18.198.in-addr.arpa.");
        assert_int_equal(r.nns, 2);
        assert_int_equal(r.nglue, 1);
        assert_string_equal(r.glue[0].name, "ns1.1.18.198.in-addr.arpa.");
        assert_int_equal(r.loop, LOOP_NONE);
        assert_non_null(strstr(r.text, "IN\tNS\tns2.rdns.example.net."));
        trace_reply_clear(&r);
}

static void test_upward_referral(void **state)
{
        static const char *const auth[] = {". NS a.root-servers.net.", NULL};
        struct msg m = reply(false, LDNS_RCODE_NOERROR);
        m.authority = auth;
        struct trace_reply r;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.outcome, TRACE_LAME);
        assert_int_equal(r.loop, LOOP_UPWARD);
        assert_non_null(strstr(r.why, "upward referral"));
        trace_reply_clear(&r);
}

static void test_sideways_referral(void **state)
{
        static const char *const auth[] = {"1.18.198.in-addr.arpa. NS ns1.loop.example.net.", NULL};
        struct msg m = reply(false, LDNS_RCODE_NOERROR);
        m.authority = auth;
        struct trace_reply r;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.outcome, TRACE_LAME);
        assert_int_equal(r.loop, LOOP_SIDEWAYS);
        assert_string_equal(r.ns[0], "ns1.loop.example.net.");
        trace_reply_clear(&r);
}

static void test_referral_elsewhere(void **state)
{
        static const char *const auth[] = {"2.18.198.in-addr.arpa. NS ns.example.net.", NULL};
        struct msg m = reply(false, LDNS_RCODE_NOERROR);
        m.authority = auth;
        struct trace_reply r;
        classify(&m, "18.198.in-addr.arpa.", &r);
        assert_int_equal(r.outcome, TRACE_LAME);
        assert_non_null(strstr(r.why, "does not contain"));
        trace_reply_clear(&r);
}

static void test_answer(void **state)
{
        static const char *const ans[] = {QNAME " PTR mail.example.com.", NULL};
        struct msg m = reply(true, LDNS_RCODE_NOERROR);
        m.answer = ans;
        struct trace_reply r;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.outcome, TRACE_ANSWER);
        assert_true(r.aa);
        assert_int_equal(r.nanswer, 1);
        assert_string_equal(r.answer[0], "mail.example.com.");
        assert_null(r.cname);
        assert_null(r.why);
        trace_reply_clear(&r);
}

static void test_lame_non_aa_answer(void **state)
{
        static const char *const ans[] = {QNAME " PTR mail.example.com.", NULL};
        struct msg m = reply(false, LDNS_RCODE_NOERROR);
        m.answer = ans;
        struct trace_reply r;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.outcome, TRACE_LAME);
        assert_non_null(strstr(r.why, "AA=0"));
        trace_reply_clear(&r);
}

static void test_nxdomain(void **state)
{
        static const char *const auth[] = {
            "1.18.198.in-addr.arpa. SOA ns1.rdns.example.net. h.example.net. 2024061501 "
            "7200 3600 1209600 3600",
            NULL};
        struct msg m = reply(true, LDNS_RCODE_NXDOMAIN);
        m.authority = auth;
        struct trace_reply r;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.outcome, TRACE_NXDOMAIN);
        assert_string_equal(r.soa_owner, "1.18.198.in-addr.arpa.");
        assert_true(r.has_serial);
        assert_int_equal(r.serial, 2024061501);
        trace_reply_clear(&r);

        m.aa = false; /* a cache's NXDOMAIN says nothing about the zone */
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.outcome, TRACE_LAME);
        trace_reply_clear(&r);
}

static void test_nodata(void **state)
{
        static const char *const auth[] = {
            "1.18.198.in-addr.arpa. SOA ns1.rdns.example.net. h.example.net. 7 1 1 1 1", NULL};
        struct msg m = reply(true, LDNS_RCODE_NOERROR);
        m.authority = auth;
        struct trace_reply r;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.outcome, TRACE_NODATA);
        assert_int_equal(r.serial, 7);
        trace_reply_clear(&r);
}

static void test_cname_to_follow(void **state)
{
        static const char *const ans[] = {QNAME " CNAME 10.0/26.1.18.198.in-addr.arpa.", NULL};
        struct msg m = reply(true, LDNS_RCODE_NOERROR);
        m.answer = ans;
        struct trace_reply r;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.outcome, TRACE_ANSWER);
        assert_int_equal(r.nanswer, 0);
        assert_string_equal(r.cname, "10.0/26.1.18.198.in-addr.arpa.");
        assert_false(r.cname_loop);
        trace_reply_clear(&r);
}

/* The classless zone's delegation beside the CNAME is taken, with its
 * in-bailiwick glue; NS records of zones that do not hold the target, or
 * that are not under the asked zone, are not. */
static void test_cname_with_delegation(void **state)
{
        static const char *const ans[] = {QNAME " CNAME 10.0/26.1.18.198.in-addr.arpa.", NULL};
        static const char *const auth[] = {
            "64/26.1.18.198.in-addr.arpa. NS ns9.example.com.",
            "0/26.1.18.198.in-addr.arpa. NS ns1.0/26.1.18.198.in-addr.arpa.",
            "0/26.1.18.198.in-addr.arpa. NS ns2.example.com.", NULL};
        static const char *const add[] = {"ns1.0/26.1.18.198.in-addr.arpa. A 192.0.2.1",
                                          "ns2.example.com. A 192.0.2.2", NULL};
        struct msg m = reply(true, LDNS_RCODE_NOERROR);
        m.answer = ans;
        m.authority = auth;
        m.additional = add;
        struct trace_reply r;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.outcome, TRACE_ANSWER);
        assert_string_equal(r.cname, "10.0/26.1.18.198.in-addr.arpa.");
        assert_string_equal(r.referral, "0/26.1.18.198.in-addr.arpa.");
        assert_int_equal(r.nns, 2);
        assert_int_equal(r.nglue, 1);
        assert_string_equal(r.glue[0].name, "ns1.0/26.1.18.198.in-addr.arpa.");
        trace_reply_clear(&r);

        /* The asked zone's own NS beside the CNAME: no delegation. */
        static const char *const up[] = {"1.18.198.in-addr.arpa. NS ns1.example.net.", NULL};
        m.authority = up;
        m.additional = NULL;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_null(r.referral);
        assert_int_equal(r.nns, 0);
        trace_reply_clear(&r);
}

static void test_cname_with_data(void **state)
{
        static const char *const ans[] = {QNAME " CNAME 10.x.1.18.198.in-addr.arpa.",
                                          "10.x.1.18.198.in-addr.arpa. PTR host.example.com.",
                                          NULL};
        struct msg m = reply(true, LDNS_RCODE_NOERROR);
        m.answer = ans;
        struct trace_reply r;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.outcome, TRACE_ANSWER);
        assert_int_equal(r.nanswer, 1);
        assert_string_equal(r.answer[0], "host.example.com.");
        assert_string_equal(r.owner, "10.x.1.18.198.in-addr.arpa.");
        assert_null(r.cname);
        trace_reply_clear(&r);
}

static void test_cname_loop_in_message(void **state)
{
        static const char *const ans[] = {QNAME " CNAME a.1.18.198.in-addr.arpa.",
                                          "a.1.18.198.in-addr.arpa. CNAME " QNAME, NULL};
        struct msg m = reply(true, LDNS_RCODE_NOERROR);
        m.answer = ans;
        struct trace_reply r;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_true(r.cname_loop);
        assert_non_null(strstr(r.why, "loops"));
        trace_reply_clear(&r);
}

static void test_rcodes(void **state)
{
        struct msg m = reply(false, LDNS_RCODE_REFUSED);
        m.qname = NULL; /* errors may leave the question out */
        struct trace_reply r;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.status, MSG_OK);
        assert_int_equal(r.outcome, TRACE_REFUSED);
        trace_reply_clear(&r);

        m = reply(false, LDNS_RCODE_SERVFAIL);
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.outcome, TRACE_SERVFAIL);
        trace_reply_clear(&r);

        m = reply(false, LDNS_RCODE_FORMERR);
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.outcome, TRACE_FORMERR);
        trace_reply_clear(&r);
}

static void test_truncated(void **state)
{
        struct msg m = reply(true, LDNS_RCODE_NOERROR);
        m.tc = true;
        struct trace_reply r;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.status, MSG_TRUNCATED);
        trace_reply_clear(&r);
}

static void test_not_ours(void **state)
{
        struct trace_reply r;
        struct msg m = reply(true, LDNS_RCODE_NOERROR);
        m.id = ID + 1;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.status, MSG_MISMATCH);
        assert_int_equal(r.ignored, IGNORED_ID);
        trace_reply_clear(&r);

        m = reply(true, LDNS_RCODE_NOERROR);
        m.qname = "11.1.18.198.in-addr.arpa.";
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.status, MSG_MISMATCH);
        assert_int_equal(r.ignored, IGNORED_QUESTION);
        trace_reply_clear(&r);

        m = reply(true, LDNS_RCODE_NOERROR);
        m.qtype = LDNS_RR_TYPE_A;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.status, MSG_MISMATCH);
        trace_reply_clear(&r);

        m = reply(true, LDNS_RCODE_NOERROR);
        m.qr = false; /* a query, not a reply */
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.status, MSG_MISMATCH);
        assert_int_equal(r.ignored, IGNORED_NOT_REPLY);
        trace_reply_clear(&r);

        /* No question in a NOERROR reply: not an answer to our question. */
        m = reply(true, LDNS_RCODE_NOERROR);
        m.qname = NULL;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.status, MSG_MISMATCH);
        trace_reply_clear(&r);

        /* Question matching is case-insensitive (0x20 style randomisation). */
        m = reply(true, LDNS_RCODE_NOERROR);
        m.qname = "10.1.18.198.IN-ADDR.ARPA.";
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.status, MSG_OK);
        trace_reply_clear(&r);
}

static void test_malformed(void **state)
{
        struct trace_reply r;
        /* Our id, then garbage: our server sent nonsense. */
        const uint8_t ours[] = {0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x05, 0xff, 0xff, 0x3f};
        trace_msg_classify(ours, sizeof(ours), QNAME, LDNS_RR_TYPE_PTR, ID, ".", &r);
        assert_int_equal(r.status, MSG_MALFORMED);
        assert_non_null(strstr(r.why, "malformed"));
        trace_reply_clear(&r);

        /* Another id: someone else's bytes, ignored. */
        const uint8_t theirs[] = {0x99, 0x99, 0x81, 0x80, 0xff};
        trace_msg_classify(theirs, sizeof(theirs), QNAME, LDNS_RR_TYPE_PTR, ID, ".", &r);
        assert_int_equal(r.status, MSG_MISMATCH);
        trace_reply_clear(&r);

        trace_msg_classify(ours, 1, QNAME, LDNS_RR_TYPE_PTR, ID, ".", &r);
        assert_int_equal(r.status, MSG_MISMATCH);
        trace_reply_clear(&r);

        /* A header that promises records it does not have. */
        size_t len;
        struct msg m = reply(true, LDNS_RCODE_NOERROR);
        uint8_t *wire = build(&m, &len);
        wire[7] = 3; /* ancount */
        trace_msg_classify(wire, len, QNAME, LDNS_RR_TYPE_PTR, ID, ".", &r);
        assert_int_equal(r.status, MSG_MALFORMED);
        trace_reply_clear(&r);
        free(wire);
}

static void test_soa_query(void **state)
{
        static const char *const ans[] = {
            "1.18.198.in-addr.arpa. SOA ns1.rdns.example.net. h.example.net. 42 1 1 1 1", NULL};
        struct msg m = {.id = ID,
                        .qr = true,
                        .aa = true,
                        .qname = "1.18.198.in-addr.arpa.",
                        .qtype = LDNS_RR_TYPE_SOA,
                        .answer = ans};
        size_t len;
        uint8_t *wire = build(&m, &len);
        struct trace_reply r;
        trace_msg_classify(wire, len, "1.18.198.in-addr.arpa.", LDNS_RR_TYPE_SOA, ID,
                           "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.outcome, TRACE_ANSWER);
        assert_true(r.has_serial);
        assert_int_equal(r.serial, 42);
        trace_reply_clear(&r);
        free(wire);
}

static void test_query_built(void **state)
{
        uint8_t *wire = NULL;
        size_t len = 0;
        assert_int_equal(trace_msg_query(QNAME, LDNS_RR_TYPE_PTR, 0xbeef, true, &wire, &len), 0);
        ldns_pkt *p = NULL;
        assert_int_equal(ldns_wire2pkt(&p, wire, len), LDNS_STATUS_OK);
        assert_int_equal(ldns_pkt_id(p), 0xbeef);
        assert_false(ldns_pkt_rd(p));
        assert_false(ldns_pkt_qr(p));
        assert_int_equal(ldns_pkt_edns_udp_size(p), TRACE_EDNS_BUFSIZE);
        assert_int_equal(ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_question(p), 0)),
                         LDNS_RR_TYPE_PTR);
        ldns_pkt_free(p);
        free(wire);

        assert_int_equal(trace_msg_query(QNAME, LDNS_RR_TYPE_PTR, 1, false, &wire, &len), 0);
        assert_int_equal(ldns_wire2pkt(&p, wire, len), LDNS_STATUS_OK);
        assert_false(ldns_pkt_edns(p));
        ldns_pkt_free(p);
        free(wire);
}

static void test_names(void **state)
{
        assert_true(trace_name_equal("Example.COM.", "example.com."));
        assert_true(trace_name_under("a.example.com.", "example.com."));
        assert_true(trace_name_under("example.com.", "example.com."));
        assert_false(trace_name_strictly_under("example.com.", "example.com."));
        assert_true(trace_name_strictly_under("example.com.", "."));
        assert_false(trace_name_under("example.net.", "example.com."));
        assert_true(trace_zone_is_infra("IN-ADDR.ARPA."));
        assert_false(trace_zone_is_infra("18.198.in-addr.arpa."));
        char *c = trace_name_canon("NS1.Example.COM");
        assert_string_equal(c, "ns1.example.com.");
        free(c);
        assert_int_equal(trace_name_labels("a.b.c."), 3);
}

static void test_text_clean(void **state)
{
        char *s = trace_text_clean("a\tb \033[31m\n");
        assert_string_equal(s, "a\tb \\027[31m\n");
        free(s);
        /* ldns' own escapes stay single: the text reads as every other view. */
        s = trace_text_clean("x.\tPTR\tevil\\027[31mred\\007.a\\\\b\\..");
        assert_string_equal(s, "x.\tPTR\tevil\\027[31mred\\007.a\\\\b\\..");
        free(s);
}

/* The dig-style text of a reply with control bytes in a PTR name: each byte
 * escaped once, as \DDD, never \\DDD. */
static void test_answer_text_escaped_once(void **state)
{
        static const char *const ans[] = {
            QNAME " PTR evil\\027[31mred\\007\\155\\000\\014.example.com.", NULL};
        struct msg m = reply(true, LDNS_RCODE_NOERROR);
        m.answer = ans;
        struct trace_reply r;
        classify(&m, "1.18.198.in-addr.arpa.", &r);
        assert_int_equal(r.outcome, TRACE_ANSWER);
        assert_non_null(strstr(r.text, "PTR\tevil\\027[31mred\\007\\155\\000\\014.example.com."));
        assert_null(strstr(r.text, "\\\\"));
        assert_string_equal(r.answer[0], "evil\\027[31mred\\007\\155\\000\\014.example.com.");
        trace_reply_clear(&r);
}

static void test_strv(void **state)
{
        char *a[] = {"ns1.example.net.", "NS2.example.net."};
        char *b[] = {"ns2.example.net.", "ns1.example.net."};
        char *c[] = {"ns1.example.net.", "ns3.example.net."};
        assert_true(strv_same_names(a, 2, b, 2));
        assert_false(strv_same_names(a, 2, c, 2));
        char *j = strv_join(a, 2, ", ");
        assert_string_equal(j, "ns1.example.net., NS2.example.net.");
        free(j);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_referral),
            cmocka_unit_test(test_upward_referral),
            cmocka_unit_test(test_sideways_referral),
            cmocka_unit_test(test_referral_elsewhere),
            cmocka_unit_test(test_answer),
            cmocka_unit_test(test_lame_non_aa_answer),
            cmocka_unit_test(test_nxdomain),
            cmocka_unit_test(test_nodata),
            cmocka_unit_test(test_cname_to_follow),
            cmocka_unit_test(test_cname_with_delegation),
            cmocka_unit_test(test_cname_with_data),
            cmocka_unit_test(test_cname_loop_in_message),
            cmocka_unit_test(test_rcodes),
            cmocka_unit_test(test_truncated),
            cmocka_unit_test(test_not_ours),
            cmocka_unit_test(test_malformed),
            cmocka_unit_test(test_soa_query),
            cmocka_unit_test(test_query_built),
            cmocka_unit_test(test_names),
            cmocka_unit_test(test_text_clean),
            cmocka_unit_test(test_answer_text_escaped_once),
            cmocka_unit_test(test_strv),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
