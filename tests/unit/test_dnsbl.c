/* dnsbl: the RFC 5782 query name, what each A answer means, and the
 * findings: a list's error codes are "could not check", never "listed". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ptrwiz/check.h"
#include "ptrwiz/dnsbl.h"

static void test_qname(void **state)
{
        struct addr a;
        struct revname_breakdown b;
        char err[128], *q;
        assert_int_equal(addr_parse("198.18.1.10", &a, err, sizeof(err)), 0);
        revname_breakdown(&a, &b);
        q = dnsbl_qname(&b, "zen.example.org.");
        assert_string_equal(q, "10.1.18.198.zen.example.org.");
        free(q);
        assert_int_equal(addr_parse("3fff::1", &a, err, sizeof(err)), 0);
        revname_breakdown(&a, &b);
        q = dnsbl_qname(&b, "bl.example.");
        assert_string_equal(
            q, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.f.f.f.3.bl.example.");
        free(q);
}

static void test_classify(void **state)
{
        char why[300];
        assert_int_equal(dnsbl_classify("127.0.0.2", why, sizeof(why)), DNSBL_ANSWER_LISTED);
        assert_int_equal(dnsbl_classify("127.0.0.11", why, sizeof(why)), DNSBL_ANSWER_LISTED);
        assert_int_equal(dnsbl_classify("127.255.255.252", why, sizeof(why)), DNSBL_ANSWER_REFUSED);
        assert_non_null(strstr(why, "typing error"));
        assert_int_equal(dnsbl_classify("127.255.255.254", why, sizeof(why)), DNSBL_ANSWER_REFUSED);
        assert_non_null(strstr(why, "public or open resolvers"));
        assert_int_equal(dnsbl_classify("127.255.255.255", why, sizeof(why)), DNSBL_ANSWER_REFUSED);
        assert_non_null(strstr(why, "excessive"));
        assert_int_equal(dnsbl_classify("127.255.255.250", why, sizeof(why)), DNSBL_ANSWER_REFUSED);
        assert_int_equal(dnsbl_classify("127.0.0.1", why, sizeof(why)), DNSBL_ANSWER_REFUSED);
        assert_int_equal(dnsbl_classify("198.51.100.7", why, sizeof(why)), DNSBL_ANSWER_NOT_DNSBL);
        assert_int_equal(dnsbl_classify("not an address", why, sizeof(why)),
                         DNSBL_ANSWER_NOT_DNSBL);
}

static struct resolver_answer *a_answer(enum resolver_status st, const char *d0, const char *d1)
{
        struct resolver_answer *a = calloc(1, sizeof(*a));
        a->status = st;
        a->data = calloc(2, sizeof(char *));
        if (d0)
                a->data[a->ndata++] = strdup(d0);
        if (d1)
                a->data[a->ndata++] = strdup(d1);
        return a;
}

static int evaluate(struct resolver_answer *a, struct resolver_answer *txt, struct findings *f)
{
        struct check_result res = {.ndnsbl = 1};
        strcpy(res.ip_text, "198.18.1.10");
        res.dnsbl[0].zone = "bl.example.";
        res.dnsbl[0].qname = "10.1.18.198.bl.example.";
        res.dnsbl[0].a = a;
        res.dnsbl[0].txt = txt;
        findings_clear(f);
        dnsbl_evaluate(&res, f);
        resolver_answer_free(a);
        resolver_answer_free(txt);
        return f->n ? (int)f->v[0].code : -1;
}

static void test_evaluate(void **state)
{
        struct findings f = {0};
        assert_int_equal(evaluate(a_answer(RES_NXDOMAIN, NULL, NULL), NULL, &f), -1);
        assert_int_equal(evaluate(a_answer(RES_OK, "127.0.0.2", NULL),
                                  a_answer(RES_OK, "\"spam trap\"", NULL), &f),
                         FINDING_DNSBL_LISTED);
        assert_non_null(strstr(f.v[0].message, ": \"spam trap\""));
        /* An error code beside nothing else: could not check. */
        assert_int_equal(evaluate(a_answer(RES_OK, "127.255.255.254", NULL), NULL, &f),
                         FINDING_DNSBL_UNCHECKED);
        /* A real code wins over an error code in the same answer. */
        assert_int_equal(evaluate(a_answer(RES_OK, "127.255.255.255", "127.0.0.3"), NULL, &f),
                         FINDING_DNSBL_LISTED);
        assert_int_equal(evaluate(a_answer(RES_SERVFAIL, NULL, NULL), NULL, &f),
                         FINDING_DNSBL_UNCHECKED);
        assert_int_equal(evaluate(a_answer(RES_TIMEOUT, NULL, NULL), NULL, &f),
                         FINDING_DNSBL_UNCHECKED);
        assert_int_equal(finding_code_severity(FINDING_DNSBL_UNCHECKED), SEV_WARNING);
        findings_clear(&f);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_qname),
            cmocka_unit_test(test_classify),
            cmocka_unit_test(test_evaluate),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
