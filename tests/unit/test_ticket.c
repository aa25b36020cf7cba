/* ticket and provider: the SOA contact as a mail address, the provider
 * table, and the ticket for a missing PTR naming the exact record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <ldns/ldns.h>

#include "ptrwiz/check.h"
#include "ptrwiz/provider.h"
#include "ptrwiz/ticket.h"

static void rname_to_mail(void **state)
{
        static const struct {
                const char *rname, *mail;
        } ok[] = {
            {"hostmaster.example.net.", "hostmaster@example.net"},
            {"hostmaster.example.net", "hostmaster@example.net"},
            {"john\\.doe.example.net.", "john.doe@example.net"},
            {"a\\.b\\.c.mail.example.org.", "a.b.c@mail.example.org"},
            {"noc.isp.", "noc@isp"},
            {"bad\\032name.example.com.", "bad\\032name@example.com"},
        };
        char out[300];
        for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
                assert_int_equal(ticket_rname_to_mail(ok[i].rname, out, sizeof(out)), 0);
                assert_string_equal(out, ok[i].mail);
        }
        assert_int_equal(ticket_rname_to_mail("hostmaster", out, sizeof(out)), -1);
        assert_int_equal(ticket_rname_to_mail(".", out, sizeof(out)), -1);
        assert_int_equal(ticket_rname_to_mail("x.", out, sizeof(out)), -1);
        assert_int_equal(ticket_rname_to_mail("hostmaster.example.net.", out, 8), -1);
}

static void soa_rname(void **state)
{
        char out[300];
        assert_int_equal(ticket_soa_rname("1.18.198.in-addr.arpa.\t3600\tIN\tSOA\tns1.isp.example."
                                          "net. noc.isp.example.net. 2024 14400 3600 1209600 3600",
                                          out, sizeof(out)),
                         0);
        assert_string_equal(out, "noc.isp.example.net.");
        assert_int_equal(ticket_soa_rname("x. 3600 IN SOA", out, sizeof(out)), -1);
}

static void providers(void **state)
{
        static const struct {
                const char *name, *id;
        } cases[] = {
            {"ec2-203-0-113-25.compute-1.amazonaws.com.", "aws"},
            {"203.113.0.203.bc.googleusercontent.com.", "gcp"},
            {"contosoapp1.northus.cloudapp.azure.com", "azure"},
            {"ns1.digitalocean.com.", "digitalocean"},
            {"static.25.113.0.203.clients.your-server.de.", "hetzner"},
            {"ns1.your-server.de", "hetzner"},
            {"dns.ovh.net.", "ovh"},
            {"li123-45.members.linode.com.", "linode"},
            {"203-0-113-25.ip.linodeusercontent.com.", "linode"},
            {"203.0.113.25.vultrusercontent.com.", "vultr"},
            {"NS1.VULTR.COM.", "vultr"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                const char *n[] = {cases[i].name};
                const struct provider *p = provider_find(n, 1);
                assert_non_null(p);
                assert_string_equal(p->id, cases[i].id);
        }
        /* only at a label boundary, and unknown names are unknown */
        const char *no[] = {"evilamazonaws.com.", "ns1.isp.example.net.", "amazonaws.com.evil.", "",
                            "."};
        assert_null(provider_find(no, sizeof(no) / sizeof(no[0])));
        /* every row has its text and a source */
        size_t n;
        const struct provider *t = provider_table(&n);
        assert_true(n >= 8);
        for (size_t i = 0; i < n; i++) {
                assert_true(strlen(t[i].where) > 20);
                assert_memory_equal(t[i].source, "https://", 8);
        }
}

static struct check_result *missing_ptr(void)
{
        struct check_result *res = calloc(1, sizeof(*res));
        char err[128];
        assert_int_equal(addr_parse("198.18.1.11", &res->ip, err, sizeof(err)), 0);
        addr_format(&res->ip, res->ip_text, sizeof(res->ip_text));
        revname_breakdown(&res->ip, &res->names);
        res->zone = strdup("1.18.198.in-addr.arpa.");
        res->ptr = calloc(1, sizeof(*res->ptr));
        res->ptr->qname = strdup(res->names.owner);
        res->ptr->qtype = LDNS_RR_TYPE_PTR;
        res->ptr->status = RES_NXDOMAIN;
        res->ptr->soa_owner = strdup("1.18.198.in-addr.arpa.");
        res->ptr->soa_text = strdup("1.18.198.in-addr.arpa.\t3600\tIN\tSOA\tns1.rdns.example.net."
                                    "\thost\\.master.example.net.\t1 14400 3600 1209600 3600");
        findings_add(&res->findings, FINDING_PTR_MISSING, "Ask the ISP", "%s does not exist",
                     res->names.owner);
        return res;
}

static void ticket_missing_ptr(void **state)
{
        struct check_result *res = missing_ptr();
        struct ticket_opts o = {.host = "mail.example.com.",
                                .rejection = "550-5.7.25 [198.18.1.11] The IP address sending "
                                             "this message does not have a PTR record setup"};
        struct ticket *t = ticket_build(res, &o);
        assert_non_null(t);
        assert_string_equal(t->to, "host.master@example.net");
        assert_non_null(strstr(t->text, "To: host.master@example.net\n"));
        assert_non_null(strstr(t->text, "Subject: Please create the reverse DNS (PTR) record for "
                                        "198.18.1.11\n"));
        /* the exact record, on a line of its own */
        assert_non_null(strstr(t->text, "\n    11.1.18.198.in-addr.arpa. IN PTR "
                                        "mail.example.com.\n"));
        assert_non_null(strstr(t->text, "Target:     mail.example.com.\n"));
        assert_non_null(strstr(t->text, "> 550-5.7.25 [198.18.1.11]"));
        assert_null(t->provider);
        /* prose lines fit in 72 columns; record lines are never broken */
        for (const char *p = t->text; *p;) {
                size_t n = strcspn(p, "\n");
                if (strncmp(p, "    ", 4) != 0 && memchr(p, ' ', n))
                        assert_true(n <= TICKET_WIDTH || !memchr(p, ' ', n));
                p += n + (p[n] == '\n');
        }
        ticket_free(t);
        /* a pass has nobody to write to */
        findings_clear(&res->findings);
        assert_null(ticket_build(res, &o));
        check_result_free(res);
}

static void ticket_provider(void **state)
{
        struct check_result *res = missing_ptr();
        free(res->ptr->soa_text);
        res->ptr->soa_text =
            strdup("x. 3600 IN SOA ns1.your-server.de. dns.hetzner.com. 1 2 3 4 5");
        struct ticket *t = ticket_build(res, NULL);
        assert_non_null(t);
        assert_non_null(t->provider);
        assert_string_equal(t->provider->id, "hetzner");
        assert_string_equal(t->to, "dns@hetzner.com");
        assert_non_null(strstr(t->text, "Customers of Hetzner"));
        assert_non_null(strstr(t->text, "mail.your-domain.example."));
        ticket_free(t);
        check_result_free(res);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(rname_to_mail),   cmocka_unit_test(soa_rname),
            cmocka_unit_test(providers),       cmocka_unit_test(ticket_missing_ptr),
            cmocka_unit_test(ticket_provider),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
