/* dnsbl: the blocklist lookups' meaning (see dnsbl.h). */
#include "ptrwiz/dnsbl.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrwiz/check.h"

char *dnsbl_qname(const struct revname_breakdown *names, const char *zone)
{
        static const char *const arpa[] = {".in-addr.arpa.", ".ip6.arpa."};
        const char *owner = names->owner;
        size_t len = strlen(owner);
        for (size_t i = 0; i < 2; i++) {
                size_t n = strlen(arpa[i]);
                if (len > n && strcmp(owner + len - n, arpa[i]) == 0) {
                        char *q = NULL;
                        if (asprintf(&q, "%.*s.%s", (int)(len - n), owner, zone) < 0)
                                return NULL;
                        return q;
                }
        }
        return NULL;
}

enum dnsbl_answer dnsbl_classify(const char *a, char *why, size_t len)
{
        struct in_addr in;
        if (inet_pton(AF_INET, a, &in) != 1 || (ntohl(in.s_addr) >> 24) != 127) {
                snprintf(why, len,
                         "the answer %s is not a blocklist code (lists answer in 127.0.0.0/8): "
                         "a resolver that rewrites answers is in the way",
                         a);
                return DNSBL_ANSWER_NOT_DNSBL;
        }
        uint32_t v = ntohl(in.s_addr);
        static const struct {
                uint32_t code;
                const char *what;
        } errors[] = {
            {0x7ffffffc, "a typing error in the list's zone name (Spamhaus 127.255.255.252)"},
            {0x7ffffffe, "the list refuses queries through public or open resolvers (Spamhaus "
                         "127.255.255.254): ask through a resolver of your own"},
            {0x7fffffff, "an excessive number of queries (Spamhaus 127.255.255.255)"},
        };
        for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
                if (v == errors[i].code) {
                        snprintf(why, len, "%s", errors[i].what);
                        return DNSBL_ANSWER_REFUSED;
                }
        if ((v >> 8) == 0x7fffff) {
                snprintf(why, len, "%s is an error code (127.255.255.0/24), not a listing", a);
                return DNSBL_ANSWER_REFUSED;
        }
        if (v == 0x7f000001) {
                snprintf(why, len,
                         "127.0.0.1 is no listing (RFC 5782); lists such as URIBL answer it "
                         "when they refuse the query");
                return DNSBL_ANSWER_REFUSED;
        }
        snprintf(why, len, "listed (%s)", a);
        return DNSBL_ANSWER_LISTED;
}

/* The list's first TXT string without its quotes (ldns escaped its bytes). */
static void reason_text(const struct check_dnsbl *b, char *buf, size_t len)
{
        const struct resolver_answer *t = b->txt;
        buf[0] = '\0';
        if (!t || t->status != RES_OK || t->ndata == 0)
                return;
        const char *s = t->data[0];
        size_t n = strlen(s);
        if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
                snprintf(buf, len, "%.*s", (int)(n - 2), s + 1);
        else
                snprintf(buf, len, "%s", s);
}

static void evaluate_one(const struct check_result *res, const struct check_dnsbl *b,
                         struct findings *f)
{
        const struct resolver_answer *a = b->a;
        if (!a) {
                findings_add(f, FINDING_DNSBL_UNCHECKED, "", "%s was not asked", b->zone);
                return;
        }
        if (a->status == RES_NXDOMAIN || a->status == RES_NODATA)
                return; /* not listed */
        if (a->status != RES_OK) {
                findings_add(f, FINDING_DNSBL_UNCHECKED,
                             "Try again later; if it keeps failing, ask the list's operator "
                             "whether it still serves this zone.",
                             "could not check %s in %s: the lookup of %s gave %s", res->ip_text,
                             b->zone, b->qname, resolver_status_name(a->status));
                return;
        }
        char why[300], first_refusal[300] = "";
        const char *listed = NULL;
        for (size_t i = 0; i < a->ndata; i++) {
                enum dnsbl_answer k = dnsbl_classify(a->data[i], why, sizeof(why));
                if (k == DNSBL_ANSWER_LISTED && !listed)
                        listed = a->data[i];
                else if (k != DNSBL_ANSWER_LISTED && !first_refusal[0])
                        snprintf(first_refusal, sizeof(first_refusal), "%s", why);
        }
        if (!listed) {
                findings_add(f, FINDING_DNSBL_UNCHECKED,
                             "This says nothing about the address: query the list as its usage "
                             "terms require (your own resolver, or the list's query service).",
                             "could not check %s in %s: %s", res->ip_text, b->zone, first_refusal);
                return;
        }
        char reason[400];
        reason_text(b, reason, sizeof(reason));
        findings_add(f, FINDING_DNSBL_LISTED,
                     "Find out why on the list's web site (its reason text often links to "
                     "it), fix the cause (an infected host, an open relay, a dynamic range), "
                     "then ask the list to remove the address.",
                     "%s is listed in %s (%s)%s%s%s", res->ip_text, b->zone, listed,
                     reason[0] ? ": \"" : "", reason, reason[0] ? "\"" : "");
}

void dnsbl_evaluate(const struct check_result *res, struct findings *f)
{
        for (size_t i = 0; i < res->ndnsbl; i++)
                evaluate_one(res, &res->dnsbl[i], f);
}
