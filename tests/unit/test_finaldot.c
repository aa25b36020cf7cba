/* Unit tests for finaldot (a zone-file name without its final dot) and for
 * how check_evaluate reports it: one finding, no "generic", no "add an A". */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <ldns/ldns.h>

#include "ptrwiz/check.h"
#include "ptrwiz/finaldot.h"
#include "ptrwiz/suffix.h"

struct dcase {
        const char *name, *zone;
        const char *intended; /* NULL: not found; "" found but no full name */
        const char *origin;
};

static void run_cases(const struct dcase *cases, size_t n)
{
        int bad = 0;

        for (size_t i = 0; i < n; i++) {
                const struct dcase *c = &cases[i];
                struct finaldot_verdict v;
                bool found = finaldot_check(c->name, c->zone, &v);
                bool ok = found == (c->intended != NULL) && found == v.found;
                if (ok && found)
                        ok = strcmp(v.intended, c->intended) == 0 &&
                             strcmp(v.origin, c->origin) == 0;
                if (ok && !found)
                        ok = v.intended[0] == '\0' && v.origin[0] == '\0';
                if (!ok) {
                        print_error("%s (zone %s): found=%d intended \"%s\" origin \"%s\"\n",
                                    c->name, c->zone ? c->zone : "-", found, v.intended, v.origin);
                        bad++;
                }
        }
        if (bad > 0)
                fail_msg("%d of %zu cases wrong", bad, n);
}

#define RUN(cases) run_cases(cases, sizeof cases / sizeof cases[0])

static void test_reverse_zone_appended(void **state)
{
        static const struct dcase cases[] = {
            /* the zone the PTR was found in */
            {"mail.example.com.2.18.198.in-addr.arpa.", "2.18.198.in-addr.arpa.",
             "mail.example.com.", "2.18.198.in-addr.arpa."},
            {"MAIL.Example.COM.2.18.198.IN-ADDR.ARPA.", "2.18.198.in-addr.arpa",
             "mail.example.com.", "2.18.198.in-addr.arpa."},
            /* zone not known: the reverse labels are recognised */
            {"mail.example.com.2.18.198.in-addr.arpa.", NULL, "mail.example.com.",
             "2.18.198.in-addr.arpa."},
            {"mail.example.com.2.18.198.in-addr.arpa", NULL, "mail.example.com.",
             "2.18.198.in-addr.arpa."},
            {"mx1.example.co.uk.18.198.in-addr.arpa.", NULL, "mx1.example.co.uk.",
             "18.198.in-addr.arpa."},
            /* a zone that is not a suffix of the name is ignored */
            {"mail.example.com.2.18.198.in-addr.arpa.", "1.18.198.in-addr.arpa.",
             "mail.example.com.", "2.18.198.in-addr.arpa."},
            /* RFC 2317 zones */
            {"mail.example.com.64/26.2.18.198.in-addr.arpa.", "64/26.2.18.198.in-addr.arpa.",
             "mail.example.com.", "64/26.2.18.198.in-addr.arpa."},
            {"mail.example.com.64-127.2.18.198.in-addr.arpa.", NULL, "mail.example.com.",
             "64-127.2.18.198.in-addr.arpa."},
            /* IPv6 */
            {"mail.example.com.1.0.0.0.0.0.0.0.0.0.0.0.f.f.f.3.ip6.arpa.",
             "1.0.0.0.0.0.0.0.0.0.0.0.f.f.f.3.ip6.arpa.", "mail.example.com.",
             "1.0.0.0.0.0.0.0.0.0.0.0.f.f.f.3.ip6.arpa."},
            {"mail.example.net.0.0.0.0.f.f.f.3.ip6.arpa.", NULL, "mail.example.net.",
             "0.0.0.0.f.f.f.3.ip6.arpa."},
            /* only a relative name was written: no full name to offer */
            {"mail.2.18.198.in-addr.arpa.", NULL, "", "2.18.198.in-addr.arpa."},
            {"mail-server.1.18.198.in-addr.arpa.", "1.18.198.in-addr.arpa.", "",
             "1.18.198.in-addr.arpa."},
            {"mx1.lan.2.18.198.in-addr.arpa.", NULL, "", "2.18.198.in-addr.arpa."},
        };
        RUN(cases);
}

static void test_forward_zone_repeated(void **state)
{
        static const struct dcase cases[] = {
            {"mail.example.com.example.com.", NULL, "mail.example.com.", "example.com."},
            {"mail.example.com.example.com.", "example.com.", "mail.example.com.", "example.com."},
            {"example.com.example.com.", NULL, "example.com.", "example.com."},
            {"mx.mail.example.co.uk.mail.example.co.uk.", NULL, "mx.mail.example.co.uk.",
             "mail.example.co.uk."},
            {"a.b.example.org.b.example.org", NULL, "a.b.example.org.", "b.example.org."},
            {"smtp.xn--bcher-kva.example.xn--bcher-kva.example", NULL,
             "smtp.xn--bcher-kva.example.", "xn--bcher-kva.example."},
        };
        RUN(cases);
}

static void test_not_missing_dot(void **state)
{
        static const struct dcase cases[] = {
            {"mail.example.com.", NULL, NULL, NULL},
            {"mail.example.com.", "example.com.", NULL, NULL}, /* under its zone: as meant */
            {"www.example.com", "example.com", NULL, NULL},
            {"mail.de.example.com.", "example.com.", NULL, NULL},
            /* a public suffix repeated is nobody's domain */
            {"a.co.uk.co.uk.", NULL, NULL, NULL},
            {"x.com.com.", NULL, NULL, NULL},
            {"mail.example.example.", NULL, NULL, NULL}, /* one label repeated */
            {"ns.ns.example.com.", NULL, NULL, NULL},
            /* reverse names themselves, and names that merely look alike */
            {"15.2.18.198.in-addr.arpa.", NULL, NULL, NULL},
            {"70.64/26.2.18.198.in-addr.arpa.", NULL, NULL, NULL},
            {"1.0.0.0.0.0.0.0.0.0.0.0.f.f.f.3.ip6.arpa.", NULL, NULL, NULL},
            {"in-addr.arpa.", NULL, NULL, NULL},
            {"arpa.", NULL, NULL, NULL},
            {"mail.in-addr.example.com.", NULL, NULL, NULL},
            {"mail.arpa.example.com.", NULL, NULL, NULL},
            {"198-18-1-15.dyn.example.net.", NULL, NULL, NULL},
            /* not names at all */
            {"", NULL, NULL, NULL},
            {".", NULL, NULL, NULL},
            {"a..b.example.com", NULL, NULL, NULL},
            {"evil\\027[31m.example.com.example.com.", NULL, NULL, NULL},
        };
        RUN(cases);
        struct finaldot_verdict v;
        assert_false(finaldot_check(NULL, NULL, &v));
        char longname[600];
        memset(longname, 'a', sizeof longname - 1);
        longname[sizeof longname - 1] = '\0';
        assert_false(finaldot_check(longname, NULL, &v));
}

static void test_suffix(void **state)
{
        assert_int_equal(suffix_host_len("server.home.co.uk"), 6);
        assert_int_equal(suffix_host_len("home.example.com"), 4);
        assert_int_equal(suffix_host_len("example.com"), 0);
        assert_int_equal(suffix_host_len("com"), 0);
        assert_int_equal(suffix_host_len(""), 0);
        assert_int_equal(suffix_host_len("static-17.isp.example"), 9); /* unknown TLD */
        /* the private section does not count: amazonaws.com was registered */
        assert_int_equal(suffix_host_len("ec2-1-2-3-4.compute-1.amazonaws.com"), 21);
        assert_true(suffix_is_tld("com"));
        assert_true(suffix_is_tld("uk"));
        assert_true(suffix_is_tld("xn--p1ai"));
        assert_false(suffix_is_tld("example"));
        assert_false(suffix_is_tld("localdomain"));
        assert_false(suffix_is_tld("co.uk"));
        assert_false(suffix_is_tld(""));
        assert_true(suffix_is_public("co.uk"));
        assert_true(suffix_is_public("com"));
        assert_false(suffix_is_public("example.com"));
        assert_false(suffix_is_public(""));
}

/* check_evaluate on a hand-built answer, as tests/unit/test_check_eval.c does. */
static struct resolver_answer *answer(const char *qname, int qtype, enum resolver_status st,
                                      const char *d0)
{
        struct resolver_answer *a = calloc(1, sizeof(*a));
        a->qname = strdup(qname);
        a->qtype = qtype;
        a->status = st;
        a->ttl = 3600;
        a->data = calloc(1, sizeof(char *));
        if (d0)
                a->data[a->ndata++] = strdup(d0);
        return a;
}

static struct check_result *result_with_ptr(const char *ip, const char *ptr, const char *zone)
{
        struct check_result *res = calloc(1, sizeof(*res));
        char err[128];
        assert_int_equal(addr_parse(ip, &res->ip, err, sizeof(err)), 0);
        addr_format(&res->ip, res->ip_text, sizeof(res->ip_text));
        revname_breakdown(&res->ip, &res->names);
        res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, RES_OK, ptr);
        res->zone = zone ? strdup(zone) : NULL;
        struct check_forward *f = &res->forward[res->nforward++];
        f->name = strdup(ptr);
        f->a = answer(ptr, LDNS_RR_TYPE_A, RES_NXDOMAIN, NULL);
        f->aaaa = answer(ptr, LDNS_RR_TYPE_AAAA, RES_NXDOMAIN, NULL);
        return res;
}

static const struct check_opts no_opts;

static void assert_only_final_dot(const struct check_result *res)
{
        size_t n = 0;
        for (size_t i = 0; i < res->findings.n; i++) {
                if (res->findings.v[i].severity == SEV_INFO)
                        continue;
                n++;
                assert_int_equal(res->findings.v[i].code, FINDING_PTR_MISSING_FINAL_DOT);
        }
        assert_int_equal(n, 1);
        assert_int_equal(res->verdict, VERDICT_FAIL);
}

static const struct finding *final_dot(const struct check_result *res)
{
        for (size_t i = 0; i < res->findings.n; i++)
                if (res->findings.v[i].code == FINDING_PTR_MISSING_FINAL_DOT)
                        return &res->findings.v[i];
        fail_msg("no PTR_MISSING_FINAL_DOT");
        return NULL;
}

static void test_check_reverse(void **state)
{
        struct check_result *res = result_with_ptr(
            "198.18.2.15", "mail.example.com.2.18.198.in-addr.arpa.", "2.18.198.in-addr.arpa.");
        check_evaluate(res, &no_opts);
        assert_only_final_dot(res);
        const struct finding *f = final_dot(res);
        assert_int_equal(finding_code_severity(f->code), SEV_ERROR);
        assert_non_null(strstr(f->message, "ends with the zone 2.18.198.in-addr.arpa."));
        assert_non_null(strstr(f->message, "\"mail.example.com\" without the final dot"));
        assert_non_null(strstr(f->fix,
                               "so it reads: 15.2.18.198.in-addr.arpa. IN PTR mail.example.com. "
                               "(with the trailing dot"));
        assert_non_null(strstr(f->fix, "whoever runs the reverse zone 2.18.198.in-addr.arpa."));
        /* not the generic-name advice, not "add an A record at your DNS provider" */
        assert_null(strstr(f->fix, "DNS provider"));
        assert_null(strstr(f->fix, "IN A "));
        assert_null(strchr(f->message, '\n'));
        check_result_free(res);
}

static void test_check_reverse_zone_unknown(void **state)
{
        struct check_result *res =
            result_with_ptr("198.18.2.16", "mail.2.18.198.in-addr.arpa.", NULL);
        check_evaluate(res, &no_opts);
        assert_only_final_dot(res);
        const struct finding *f = final_dot(res);
        assert_non_null(strstr(f->fix, "IN PTR mail.your-domain."));
        check_result_free(res);
}

static void test_check_forward_repeated(void **state)
{
        struct check_result *res = result_with_ptr("198.18.2.17", "mail.example.com.example.com.",
                                                   "2.18.198.in-addr.arpa.");
        check_evaluate(res, &no_opts);
        assert_only_final_dot(res);
        const struct finding *f = final_dot(res);
        assert_non_null(strstr(f->message, "repeats example.com."));
        assert_non_null(strstr(f->fix, "17.2.18.198.in-addr.arpa. IN PTR mail.example.com."));
        check_result_free(res);
}

/* RFC 2317: the record lives at the CNAME's target, in the customer's zone. */
static void test_check_classless(void **state)
{
        struct check_result *res =
            result_with_ptr("198.18.2.70", "mail.example.com.64/26.2.18.198.in-addr.arpa.",
                            "64/26.2.18.198.in-addr.arpa.");
        res->ptr->ncname = 1;
        res->ptr->cname_from = calloc(1, sizeof(char *));
        res->ptr->cname_to = calloc(1, sizeof(char *));
        res->ptr->cname_from[0] = strdup(res->names.owner);
        res->ptr->cname_to[0] = strdup("70.64/26.2.18.198.in-addr.arpa.");
        check_evaluate(res, &no_opts);
        const struct finding *f = final_dot(res);
        assert_non_null(strstr(f->fix, "70.64/26.2.18.198.in-addr.arpa. IN PTR mail.example.com."));
        check_result_free(res);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_reverse_zone_appended),
            cmocka_unit_test(test_forward_zone_repeated),
            cmocka_unit_test(test_not_missing_dot),
            cmocka_unit_test(test_suffix),
            cmocka_unit_test(test_check_reverse),
            cmocka_unit_test(test_check_reverse_zone_unknown),
            cmocka_unit_test(test_check_forward_repeated),
            cmocka_unit_test(test_check_classless),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
