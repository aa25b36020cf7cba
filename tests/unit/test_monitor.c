/* monitor, compare and resview on hand-built results: Nagios states,
 * perfdata and '|' in the text, Prometheus label escaping, the comparison
 * step 5 and --watch print, and the resolver view in words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <ldns/ldns.h>

#include "ptrwiz/compare.h"
#include "ptrwiz/monitor.h"
#include "ptrwiz/resview.h"

static struct resolver_answer *ptr_answer(enum resolver_status st, const char *name)
{
        struct resolver_answer *a = calloc(1, sizeof(*a));
        a->qtype = LDNS_RR_TYPE_PTR;
        a->status = st;
        a->ttl = 3600;
        a->data = calloc(1, sizeof(char *));
        if (name)
                a->data[a->ndata++] = strdup(name);
        return a;
}

static struct check_result *result(const char *ip, enum resolver_status st, const char *name)
{
        struct check_result *res = calloc(1, sizeof(*res));
        char err[128];
        assert_int_equal(addr_parse(ip, &res->ip, err, sizeof(err)), 0);
        addr_format(&res->ip, res->ip_text, sizeof(res->ip_text));
        revname_breakdown(&res->ip, &res->names);
        res->ptr = ptr_answer(st, name);
        res->elapsed_ms = 120;
        res->queries = 14;
        return res;
}

static char *written(struct monitor *m)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        monitor_write(m, f, 1700000000);
        fclose(f);
        return buf;
}

static void test_nagios(void **state)
{
        struct monitor *m = monitor_new(MONITOR_NAGIOS);
        struct check_result *ok = result("198.18.1.10", RES_OK, "mail.example.com.");
        monitor_add(m, ok, NULL);
        char *out = written(m);
        assert_string_equal(out, "PTRWIZ OK - 198.18.1.10: PTR mail.example.com., "
                                 "forward-confirmed | time=0.120s;;;0 queries=14;;;0\n");
        free(out);
        assert_int_equal(monitor_status(m), MONITOR_OK);
        struct check_result *bad = result("198.18.1.11", RES_NXDOMAIN, NULL);
        findings_add(&bad->findings, FINDING_PTR_MISSING, "fix", "a|b");
        bad->verdict = VERDICT_FAIL;
        monitor_add(m, bad, "list|entry");
        out = written(m);
        /* The first '|' starts the perfdata: none in the text before it. */
        assert_non_null(
            strstr(out, "CRITICAL - list\\124entry (198.18.1.11): a\\124b (PTR_MISSING)\n"));
        assert_int_equal(strncmp(out, "PTRWIZ CRITICAL - 2 addresses: 1 critical,", 42), 0);
        free(out);
        assert_int_equal(monitor_status(m), MONITOR_CRITICAL);
        /* A failure of this host is UNKNOWN, and a real CRITICAL still wins. */
        struct monitor *u = monitor_new(MONITOR_NAGIOS);
        bad->offline = true;
        monitor_add(u, bad, NULL);
        assert_int_equal(monitor_status(u), MONITOR_UNKNOWN);
        bad->offline = false;
        monitor_add(u, bad, NULL);
        assert_int_equal(monitor_status(u), MONITOR_CRITICAL);
        monitor_free(u);
        monitor_free(m);
        check_result_free(ok);
        check_result_free(bad);
}

static void test_prometheus_labels(void **state)
{
        struct monitor *m = monitor_new(MONITOR_PROMETHEUS);
        struct check_result *res = result("198.18.1.10", RES_OK, "mail.example.com.");
        monitor_add(m, res, "a\"b\\c\nd");
        char *out = written(m);
        assert_non_null(
            strstr(out, "ptrwiz_check_status{target=\"a\\\"b\\\\c\\nd\",ip=\"198.18.1.10\"} 0\n"));
        assert_non_null(strstr(out, "# TYPE ptrwiz_check_status gauge\n"));
        assert_non_null(strstr(out, "ptrwiz_last_run_timestamp_seconds 1700000000\n"));
        free(out);
        monitor_free(m);
        check_result_free(res);
}

static void test_compare(void **state)
{
        struct check_result *old = result("198.18.2.2", RES_NXDOMAIN, NULL);
        findings_add(&old->findings, FINDING_PTR_MISSING, "", "missing");
        findings_add(&old->findings, FINDING_NEGATIVE_CACHE, "", "cached");
        old->verdict = VERDICT_FAIL;
        struct check_result *now = result("198.18.2.2", RES_OK, "fixed.example.com.");
        now->fcrdns = true;
        struct compare_changes c = {0};
        assert_int_equal(compare_results(old, now, &c), 4);
        assert_string_equal(c.v[0].text, "PTR: NXDOMAIN -> fixed.example.com.");
        assert_string_equal(c.v[1].text, "The name leads back to the IP: no -> yes");
        assert_string_equal(c.v[2].text, "Check verdict: fail -> pass");
        assert_int_equal(c.v[2].direction, 1);
        assert_int_equal(c.v[3].kind, CHANGE_FINDING_GONE);
        assert_int_equal(c.v[3].code, FINDING_PTR_MISSING); /* info codes are no change */
        assert_int_equal(compare_results(now, now, &c), 0);
        compare_changes_clear(&c);
        check_result_free(old);
        check_result_free(now);
}

static void test_resview(void **state)
{
        struct check_result *now = result("198.18.2.2", RES_OK, "fixed.example.com.");
        struct resolver_answer *held = ptr_answer(RES_NXDOMAIN, NULL);
        held->soa_owner = strdup("2.18.198.in-addr.arpa.");
        held->neg_ttl = 1380;
        struct check_view v = {.server = "192.0.2.53", .ptr = held};
        struct resview_line l;
        resview_describe(&v, now, &l);
        assert_int_equal(l.state, RESVIEW_NEGATIVE);
        assert_true(l.stale);
        assert_int_equal(l.seconds_left, 1380);
        assert_string_equal(l.text, "the resolver at 192.0.2.53 will forget the old NXDOMAIN in "
                                    "23 minutes (1380 s); ptrwiz sees fixed.example.com. now");
        free(held->soa_owner);
        held->soa_owner = NULL; /* no SOA: how long is not said */
        resview_describe(&v, now, &l);
        assert_int_equal(l.seconds_left, -1);
        held->status = RES_TIMEOUT;
        resview_describe(&v, now, &l);
        assert_int_equal(l.state, RESVIEW_FAILED);
        resolver_answer_free(held);
        check_result_free(now);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_nagios),
            cmocka_unit_test(test_prometheus_labels),
            cmocka_unit_test(test_compare),
            cmocka_unit_test(test_resview),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
