/* check_evaluate and report_json on hand-built answers: the finding codes,
 * the verdict, and that hostile bytes never reach the output raw. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include <ldns/ldns.h>

#include "ptrwiz/check.h"
#include "engine/check_int.h"
#include "ptrwiz/report.h"
#include "ptrwiz/resview.h"

static struct resolver_answer *answer(const char *qname, int qtype, enum resolver_status st,
                                      const char *d0, const char *d1)
{
        struct resolver_answer *a = calloc(1, sizeof(*a));
        a->qname = strdup(qname);
        a->qtype = qtype;
        a->status = st;
        a->ttl = 3600;
        const char *d[2] = {d0, d1};
        a->data = calloc(2, sizeof(char *));
        for (int i = 0; i < 2; i++)
                if (d[i])
                        a->data[a->ndata++] = strdup(d[i]);
        return a;
}

static struct check_result *result_for(const char *ip)
{
        struct check_result *res = calloc(1, sizeof(*res));
        char err[128];
        assert_int_equal(addr_parse(ip, &res->ip, err, sizeof(err)), 0);
        addr_format(&res->ip, res->ip_text, sizeof(res->ip_text));
        revname_breakdown(&res->ip, &res->names);
        return res;
}

static void add_forward(struct check_result *res, const char *name, const char *a)
{
        struct check_forward *f = &res->forward[res->nforward++];
        f->name = strdup(name);
        f->a = answer(name, LDNS_RR_TYPE_A, a ? RES_OK : RES_NXDOMAIN, a, NULL);
        f->aaaa = answer(name, LDNS_RR_TYPE_AAAA, RES_NODATA, NULL, NULL);
}

static const struct check_opts no_opts;

static void assert_codes(const struct check_result *res, const char *const *want, size_t n)
{
        size_t errors_warnings = 0;
        for (size_t i = 0; i < res->findings.n; i++)
                if (res->findings.v[i].severity != SEV_INFO)
                        errors_warnings++;
        for (size_t i = 0; i < n; i++)
                assert_true(findings_has(&res->findings, finding_code_from_name(want[i])));
        assert_int_equal(errors_warnings, n);
}

static void test_pass(void **state)
{
        struct check_result *res = result_for("198.18.1.10");
        res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, RES_OK, "mail.example.com.", NULL);
        add_forward(res, "mail.example.com.", "198.18.1.10");
        check_evaluate(res, &no_opts);
        assert_int_equal(res->verdict, VERDICT_PASS);
        assert_true(res->fcrdns);
        assert_int_equal(res->findings.n, 0);
        check_result_free(res);
}

static void test_missing_with_negative_cache(void **state)
{
        struct check_result *res = result_for("198.18.1.11");
        res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, RES_NXDOMAIN, NULL, NULL);
        res->ptr->soa_owner = strdup("1.18.198.in-addr.arpa.");
        res->ptr->soa_ttl = 3600;
        res->ptr->soa_minimum = 900;
        res->ptr->neg_ttl = 900;
        check_evaluate(res, &no_opts);
        const char *want[] = {"PTR_MISSING"};
        assert_codes(res, want, 1);
        assert_true(findings_has(&res->findings, FINDING_NEGATIVE_CACHE));
        assert_int_equal(res->verdict, VERDICT_FAIL);
        char *json = report_json(res, NULL);
        assert_non_null(strstr(json, "\"negative_ttl\":900"));
        free(json);
        check_result_free(res);
}

static void test_mismatch_and_multiple(void **state)
{
        struct check_result *res = result_for("198.18.1.13");
        res->ptr =
            answer(res->names.owner, LDNS_RR_TYPE_PTR, RES_OK, "a.example.com.", "b.example.com.");
        add_forward(res, "a.example.com.", "198.18.1.99");
        add_forward(res, "b.example.com.", NULL);
        check_evaluate(res, &no_opts);
        const char *want[] = {"PTR_MULTIPLE", "FCRDNS_MISMATCH", "FCRDNS_NO_ADDRESS"};
        assert_codes(res, want, 3);
        assert_false(res->fcrdns);
        check_result_free(res);
}

static void test_one_confirmed_name_is_enough(void **state)
{
        struct check_result *res = result_for("198.18.1.16");
        res->ptr =
            answer(res->names.owner, LDNS_RR_TYPE_PTR, RES_OK, "a.example.com.", "b.example.com.");
        add_forward(res, "a.example.com.", "198.18.1.16");
        add_forward(res, "b.example.com.", "198.18.1.99");
        check_evaluate(res, &no_opts);
        const char *want[] = {"PTR_MULTIPLE"};
        assert_codes(res, want, 1);
        assert_int_equal(res->verdict, VERDICT_WARN);
        check_result_free(res);
}

static void test_hostile_name_escaped_in_json(void **state)
{
        struct check_result *res = result_for("198.18.1.17");
        /* ldns gives presentation format: the ESC byte is already \027. */
        res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, RES_OK,
                          "evil\\027[31mred\\007.example.com.", NULL);
        add_forward(res, "evil\\027[31mred\\007.example.com.", NULL);
        check_evaluate(res, &no_opts);
        const char *want[] = {"PTR_INVALID_HOSTNAME"};
        assert_codes(res, want, 1);
        char *json = report_json(res, NULL);
        assert_null(strchr(json, '\033'));
        assert_null(strchr(json, '\007'));
        json_error_t jerr;
        json_t *obj = json_loads(json, 0, &jerr);
        assert_non_null(obj);
        assert_string_equal(json_string_value(json_object_get(obj, "verdict")), "fail");
        json_decref(obj);
        free(json);
        check_result_free(res);
}

static void test_not_public(void **state)
{
        struct check_result *res = result_for("192.168.1.25");
        res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, RES_NXDOMAIN, NULL, NULL);
        check_evaluate(res, &no_opts);
        const char *want[] = {"IP_NOT_PUBLIC"};
        assert_codes(res, want, 1);
        assert_non_null(strstr(res->findings.v[0].message, "built-in local zone"));
        check_result_free(res);
}

static void test_servfail_timeout_bogus(void **state)
{
        struct {
                enum resolver_status st;
                enum resolver_dnssec sec;
                const char *code;
        } cases[] = {
            {RES_SERVFAIL, DNSSEC_INSECURE, "RESOLUTION_SERVFAIL"},
            {RES_TIMEOUT, DNSSEC_INSECURE, "RESOLUTION_TIMEOUT"},
            {RES_SERVFAIL, DNSSEC_BOGUS, "DNSSEC_BOGUS"},
        };
        for (size_t i = 0; i < 3; i++) {
                struct check_result *res = result_for("198.18.3.1");
                res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, cases[i].st, NULL, NULL);
                res->ptr->dnssec = cases[i].sec;
                check_evaluate(res, &no_opts);
                const char *want[] = {cases[i].code};
                assert_codes(res, want, 1);
                check_result_free(res);
        }
}

/* A trace whose last cut is zone, every server of it silent (local: this
 * host kept ptrwiz from asking them). */
static struct trace_result *silent_trace(const char *qname, const char *zone, bool infra,
                                         bool local)
{
        struct trace_result *tr = calloc(1, sizeof(*tr));
        tr->qname = strdup(qname);
        tr->final_outcome = TRACE_TIMEOUT;
        tr->nzones = 1;
        tr->zones = calloc(1, sizeof(*tr->zones));
        struct trace_zone *z = &tr->zones[0];
        z->zone = strdup(zone);
        z->qname = strdup(qname);
        z->parent = infra && strcmp(zone, ".") == 0 ? NULL : strdup(".");
        z->infra = infra;
        z->followed = -1;
        z->nservers = 2;
        z->servers = calloc(2, sizeof(*z->servers));
        for (int i = 0; i < 2; i++) {
                z->servers[i].ns_name = strdup("ns.example.");
                z->servers[i].outcome = i ? TRACE_UNREACHABLE : TRACE_TIMEOUT;
                z->servers[i].local = local;
        }
        if (local)
                tr->local_error = strdup("UDP: blocked on this host, a firewall?");
        return tr;
}

/* Whose fault a failed lookup is: nothing upstream answers, or this host
 * blocked the zone's servers, is this machine's (one finding, never a
 * zone's); a dead zone is RESOLUTION_TIMEOUT whatever libunbound said. */
static void test_upstream_silent(void **state)
{
        struct {
                const char *zone; /* the trace's silent cut, NULL: no trace */
                bool infra, local;
                enum resolver_status ptr, probe;
                bool silent, local_fault;
                const char *code; /* the one error */
        } cases[] = {
            {".", true, false, RES_TIMEOUT, RES_OK, true, true, "UPSTREAM_UNREACHABLE"},
            {"in-addr.arpa.", true, false, RES_SERVFAIL, RES_OK, true, true,
             "UPSTREAM_UNREACHABLE"},
            {"4.18.198.in-addr.arpa.", false, true, RES_SERVFAIL, RES_OK, false, true,
             "UPSTREAM_UNREACHABLE"}, /* a local firewall */
            {"4.18.198.in-addr.arpa.", false, false, RES_SERVFAIL, RES_OK, false, false,
             "RESOLUTION_TIMEOUT"}, /* one dead zone, servers marked down */
            {"4.18.198.in-addr.arpa.", false, false, RES_TIMEOUT, RES_OK, false, false,
             "RESOLUTION_TIMEOUT"},
            {".", true, false, RES_NXDOMAIN, RES_OK, false, false, "PTR_MISSING"},
            {NULL, false, false, RES_TIMEOUT, RES_TIMEOUT, true, true, "UPSTREAM_UNREACHABLE"},
            {NULL, false, false, RES_TIMEOUT, RES_OK, false, false, "RESOLUTION_TIMEOUT"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct check_result *res = result_for("198.18.4.1");
                res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, cases[i].ptr, NULL, NULL);
                if (cases[i].zone)
                        res->trace = silent_trace(res->names.owner, cases[i].zone, cases[i].infra,
                                                  cases[i].local);
                else
                        res->probe =
                            answer("in-addr.arpa.", LDNS_RR_TYPE_SOA, cases[i].probe, NULL, NULL);
                check_evaluate(res, &no_opts);
                assert_int_equal(check_upstream_silent(res), cases[i].silent);
                assert_int_equal(check_local_fault(res), cases[i].local_fault);
                const char *want[] = {cases[i].code};
                assert_codes(res, want, 1);
                if (cases[i].local_fault)
                        assert_non_null(strstr(res->findings.v[0].message, "this machine"));
                /* Nothing known about the address: unknown, not a failure of it. */
                assert_int_equal(res->verdict,
                                 cases[i].local_fault ? VERDICT_UNKNOWN : VERDICT_FAIL);
                check_result_free(res);
        }
}

/* libunbound cut an RRset over 64 KB to nothing (TC=1): not "no PTR". */
static void test_ptr_too_large(void **state)
{
        struct check_result *res = result_for("198.19.0.22");
        res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, RES_NODATA, NULL, NULL);
        res->ptr->truncated = true;
        check_evaluate(res, &no_opts);
        const char *want[] = {"PTR_TOO_LARGE"};
        assert_codes(res, want, 1);
        res->ptr->truncated = false;
        check_evaluate(res, &no_opts);
        const char *nodata[] = {"PTR_NODATA"};
        assert_codes(res, nodata, 1);
        check_result_free(res);
}

/* A trace that asked one zone with one server, which gave outcome o. */
static struct trace_result *trace_one(const char *zone, const char *ns, enum trace_outcome o)
{
        struct trace_result *tr = calloc(1, sizeof(*tr));
        tr->qname = strdup("3.1.18.198.in-addr.arpa.");
        tr->zones = calloc(1, sizeof(*tr->zones));
        tr->nzones = 1;
        struct trace_zone *z = &tr->zones[0];
        z->zone = strdup(zone);
        z->qname = strdup(tr->qname);
        z->servers = calloc(1, sizeof(*z->servers));
        z->nservers = 1;
        z->followed = trace_outcome_good(o) ? 0 : -1;
        z->servers[0].ns_name = strdup(ns);
        strcpy(z->servers[0].addr_text, "127.53.6.1");
        z->servers[0].outcome = o;
        z->servers[0].tries = 1;
        z->servers[0].rtt_ms = 301;
        tr->final_outcome = o;
        tr->elapsed_ms = 3900;
        tr->complete = true;
        return tr;
}

/* A SERVFAIL is asked again only when the trace contradicts it: the zone's
 * answer came and no fault was found on the way; never for a DNSSEC
 * failure, a timeout, a local fault or without a trace. */
static void test_should_ask_again(void **state)
{
        (void)state;
        struct {
                enum resolver_status st;
                enum resolver_dnssec sec;
                enum trace_outcome trace; /* TRACE_PENDING: no trace */
                bool fault;               /* the trace found a lame server */
                bool want;
        } cases[] = {
            {RES_SERVFAIL, DNSSEC_INSECURE, TRACE_ANSWER, false, true},
            {RES_SERVFAIL, DNSSEC_INSECURE, TRACE_NXDOMAIN, false, true},
            {RES_SERVFAIL, DNSSEC_INSECURE, TRACE_ANSWER, true, false},
            {RES_SERVFAIL, DNSSEC_BOGUS, TRACE_ANSWER, false, false},
            {RES_SERVFAIL, DNSSEC_INSECURE, TRACE_LAME, false, false},
            {RES_SERVFAIL, DNSSEC_INSECURE, TRACE_PENDING, false, false},
            {RES_TIMEOUT, DNSSEC_INSECURE, TRACE_ANSWER, false, false},
            {RES_OK, DNSSEC_INSECURE, TRACE_ANSWER, false, false},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct check_result *res = result_for("198.18.1.3");
                res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, cases[i].st, NULL, NULL);
                res->ptr->dnssec = cases[i].sec;
                if (cases[i].trace != TRACE_PENDING)
                        res->trace =
                            trace_one("1.18.198.in-addr.arpa.", "ns1.example.net.", cases[i].trace);
                if (cases[i].fault)
                        findings_add(&res->trace->findings, FINDING_DELEGATION_LAME, "", "lame");
                assert_int_equal(check_should_ask_again(res), cases[i].want);
                res->offline = true; /* no route to the root: never */
                assert_false(check_should_ask_again(res));
                check_result_free(res);
        }
}

/* When a named resolver forgets an old NXDOMAIN, in words: a cache filled
 * within the second still has the whole hour. */
static void test_resview_words(void **state)
{
        (void)state;
        struct check_result *now = result_for("198.18.2.2");
        now->ptr = answer(now->names.owner, LDNS_RR_TYPE_PTR, RES_OK, "fixed.example.com.", NULL);
        struct check_view v = {.server = "127.53.255.54"};
        v.ptr = answer(now->names.owner, LDNS_RR_TYPE_PTR, RES_NXDOMAIN, NULL, NULL);
        v.ptr->soa_owner = strdup("2.18.198.in-addr.arpa.");
        const struct {
                uint32_t ttl;
                const char *words;
        } cases[] = {{40, "in 40 seconds"},          {3540, "in 59 minutes"},
                     {3599, "in 60 minutes ("},      {3600, "in 60 minutes ("},
                     {3601, "in 1 hour 1 minute ("}, {7199, "in 2 hours ("},
                     {3661, "in 1 hour 2 minutes"},  {7500, "in 2 hours 5 minutes"}};
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct resview_line line;
                v.ptr->neg_ttl = cases[i].ttl;
                resview_describe(&v, now, &line);
                assert_true(line.stale);
                if (!strstr(line.text, cases[i].words))
                        fail_msg("%u s: '%s' has no '%s'", cases[i].ttl, line.text, cases[i].words);
        }
        resolver_answer_free(v.ptr);
        check_result_free(now);
}

/* The trace's answer standing in for the resolver's PTR (the verdict so
 * far): the data, and the RFC 2317 CNAME chain from the rows followed. */
static void test_ptr_from_trace(void **state)
{
        (void)state;
        struct trace_result *tr =
            trace_one("1.18.198.in-addr.arpa.", "ns1.rdns.example.net.", TRACE_ANSWER);
        tr->qtype = LDNS_RR_TYPE_PTR;
        tr->final = calloc(1, sizeof(char *));
        tr->final[0] = strdup("mail.example.com.");
        tr->nfinal = 1;
        tr->final_name = strdup(tr->qname);
        struct resolver_answer *a = check_ptr_from_trace(tr);
        assert_non_null(a);
        assert_int_equal(a->status, RES_OK);
        assert_int_equal(a->dnssec, DNSSEC_UNKNOWN);
        assert_int_equal(a->ndata, 1);
        assert_string_equal(a->data[0], "mail.example.com.");
        assert_int_equal(a->ncname, 0);
        resolver_answer_free(a);

        /* The /24's server answered with a CNAME into the classless zone. */
        tr->zones[0].servers[0].cname = strdup("3.0/26.1.18.198.in-addr.arpa.");
        free(tr->final_name);
        tr->final_name = strdup("3.0/26.1.18.198.in-addr.arpa.");
        a = check_ptr_from_trace(tr);
        assert_non_null(a);
        assert_int_equal(a->ncname, 1);
        assert_string_equal(a->cname_from[0], "3.1.18.198.in-addr.arpa.");
        assert_string_equal(a->cname_to[0], "3.0/26.1.18.198.in-addr.arpa.");
        resolver_answer_free(a);

        /* A chain the rows do not show, or no PTR answer: nothing stands in. */
        free(tr->final_name);
        tr->final_name = strdup("elsewhere.example.");
        assert_null(check_ptr_from_trace(tr));
        tr->final_outcome = TRACE_NXDOMAIN;
        assert_null(check_ptr_from_trace(tr));
        trace_result_free(tr);
}

/* Our deadline cut the lookup (RES_TIMEOUT): the trace decides who, if
 * anybody, is blamed. */
static void test_deadline_blames_only_what_failed(void **state)
{
        /* The trace got the answer: a slow path, nobody blamed. */
        struct check_result *res = result_for("198.18.1.3");
        res->deadline_ms = 4000;
        res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, RES_TIMEOUT, NULL, NULL);
        res->ptr->dnssec = DNSSEC_UNKNOWN;
        res->trace = trace_one("1.18.198.in-addr.arpa.", "ns1.rdns.example.net.", TRACE_ANSWER);
        check_evaluate(res, &no_opts);
        const char *cut[] = {"CHECK_DEADLINE"};
        assert_codes(res, cut, 1);
        assert_non_null(strstr(res->findings.v[0].message, "ns1.rdns.example.net. (127.53.6.1: "
                                                           "1 try, 301 ms)"));
        assert_null(strstr(res->findings.v[0].fix, "must fix"));
        check_result_free(res);

        /* The trace saw the zone's server stay silent: that one is blamed,
         * once (the lookup's timeout is its evidence, not a second finding). */
        res = result_for("198.18.1.3");
        res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, RES_TIMEOUT, NULL, NULL);
        res->trace = trace_one("1.18.198.in-addr.arpa.", "ns1.rdns.example.net.", TRACE_TIMEOUT);
        findings_add(&res->trace->findings, FINDING_DELEGATION_UNREACHABLE, "fix", "silent");
        check_evaluate(res, &no_opts);
        const char *dead[] = {"DELEGATION_UNREACHABLE"};
        assert_codes(res, dead, 1);
        check_result_free(res);

        /* A forward lookup cut by the deadline blames no DNS provider. */
        res = result_for("198.18.1.10");
        res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, RES_OK, "mail.example.com.", NULL);
        add_forward(res, "mail.example.com.", NULL);
        res->forward[0].a->status = RES_TIMEOUT;
        check_evaluate(res, &no_opts);
        assert_codes(res, cut, 1);
        assert_int_equal(res->findings.v[0].actor, ACTOR_RETRY);
        assert_int_equal(res->findings.v[0].step, GUIDE_FORWARD);
        check_result_free(res);
}

static void test_expect_domain(void **state)
{
        struct check_result *res = result_for("198.18.1.10");
        res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, RES_OK, "mail.example.com.", NULL);
        add_forward(res, "mail.example.com.", "198.18.1.10");
        struct check_opts opts = {.expect_domain = "example.org."};
        check_evaluate(res, &opts);
        const char *want[] = {"HOSTNAME_DOMAIN_MISMATCH"};
        assert_codes(res, want, 1);
        assert_int_equal(res->verdict, VERDICT_WARN);
        opts.expect_domain = "EXAMPLE.com";
        check_evaluate(res, &opts);
        assert_int_equal(res->verdict, VERDICT_PASS);
        check_result_free(res);
}

static void test_code_table(void **state)
{
        for (int i = 0; i < FINDING__COUNT; i++) {
                const char *name = finding_code_name(i);
                assert_int_equal(finding_code_from_name(name), i);
                assert_true(strlen(finding_code_summary(i)) > 0);
        }
        assert_int_equal(finding_code_from_name("NOPE"), -1);
        assert_int_equal(finding_code_severity(FINDING_NEGATIVE_CACHE), SEV_INFO);
        assert_int_equal(finding_code_severity(FINDING_PTR_GENERIC), SEV_WARNING);
        assert_int_equal(finding_code_severity(FINDING_PTR_MISSING), SEV_ERROR);
        for (int a = 0; a < ACTOR__COUNT; a++) {
                char text[500];
                assert_int_equal(finding_actor_from_name(finding_actor_name(a)), a);
                finding_actor_text(a, "1.18.198.in-addr.arpa.", text, sizeof(text));
                assert_true(strlen(text) > 0 && strlen(finding_actor_brief(a)) > 0);
        }
        assert_int_equal(finding_code_actor(FINDING_FCRDNS_MISMATCH), ACTOR_DNS_PROVIDER);
        assert_int_equal(finding_code_step(FINDING_FCRDNS_MISMATCH), GUIDE_FORWARD);
        assert_int_equal(finding_code_step(FINDING_DELEGATION_LOOP), GUIDE_TRACE);
        assert_string_equal(guide_step_name(GUIDE_TRACE), "trace");
}

/* Who acts and where: the table's, the context's, and the result's one
 * party (the first error's, else the first warning's). */
static void test_actors(void **state)
{
        struct check_result *res = result_for("198.18.1.13");
        res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, RES_OK, "mismatch.example.com.",
                          "mail-1.dyn.example.net.");
        add_forward(res, "mismatch.example.com.", "198.18.1.99");
        add_forward(res, "mail-1.dyn.example.net.", "198.18.1.99");
        check_evaluate(res, &no_opts);
        assert_int_equal(res->actor, ACTOR_DNS_PROVIDER); /* the error's, not the warning's */
        for (size_t i = 0; i < res->findings.n; i++)
                if (res->findings.v[i].code == FINDING_FCRDNS_MISMATCH)
                        assert_int_equal(res->findings.v[i].step, GUIDE_FORWARD);
        char *json = report_json(res, NULL);
        assert_non_null(strstr(json, "\"actor\":\"dns_provider\",\"who\":\"DNS provider\""));
        free(json);
        check_result_free(res);

        /* A forward lookup that failed: the name's DNS provider, step 3. */
        res = result_for("198.18.1.13");
        res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, RES_OK, "mail.example.com.", NULL);
        add_forward(res, "mail.example.com.", NULL);
        res->forward[0].a->status = RES_SERVFAIL;
        check_evaluate(res, &no_opts);
        assert_true(findings_has(&res->findings, FINDING_RESOLUTION_SERVFAIL));
        assert_int_equal(res->findings.v[0].actor, ACTOR_DNS_PROVIDER);
        assert_int_equal(res->findings.v[0].step, GUIDE_FORWARD);
        check_result_free(res);

        /* The reverse lookup failed and no trace ran (--quick): a broken zone
         * and a firewall here read the same, so nobody yet, step 2; with a
         * trace that saw its servers answer badly, the block holder. */
        res = result_for("198.18.3.1");
        res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, RES_SERVFAIL, NULL, NULL);
        check_evaluate(res, &no_opts);
        assert_int_equal(res->actor, ACTOR_RETRY);
        assert_int_equal(res->findings.v[0].step, GUIDE_PTR);
        assert_non_null(strstr(res->findings.v[0].message, "firewall"));
        res->trace = trace_one("3.18.198.in-addr.arpa.", "ns1.example.com.", TRACE_REFUSED);
        check_evaluate(res, &no_opts);
        assert_int_equal(res->actor, ACTOR_BLOCK_HOLDER);
        check_result_free(res);

        /* Nothing to fix: nobody. */
        res = result_for("198.18.1.10");
        res->ptr = answer(res->names.owner, LDNS_RR_TYPE_PTR, RES_OK, "mail.example.com.", NULL);
        add_forward(res, "mail.example.com.", "198.18.1.10");
        check_evaluate(res, &no_opts);
        assert_int_equal(res->actor, ACTOR_NOBODY);
        check_result_free(res);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_pass),
            cmocka_unit_test(test_missing_with_negative_cache),
            cmocka_unit_test(test_mismatch_and_multiple),
            cmocka_unit_test(test_one_confirmed_name_is_enough),
            cmocka_unit_test(test_hostile_name_escaped_in_json),
            cmocka_unit_test(test_not_public),
            cmocka_unit_test(test_servfail_timeout_bogus),
            cmocka_unit_test(test_upstream_silent),
            cmocka_unit_test(test_ptr_too_large),
            cmocka_unit_test(test_expect_domain),
            cmocka_unit_test(test_deadline_blames_only_what_failed),
            cmocka_unit_test(test_ptr_from_trace),
            cmocka_unit_test(test_should_ask_again),
            cmocka_unit_test(test_resview_words),
            cmocka_unit_test(test_code_table),
            cmocka_unit_test(test_actors),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
