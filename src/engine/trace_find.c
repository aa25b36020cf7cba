/* trace_find: findings from a finished trace, zone by zone. Each says which
 * server is wrong and who must act: the operator of that server, whoever
 * runs the zone, or whoever runs the parent zone that delegated it (the
 * ISP, hosting provider or RIR holding the IP block). The root and the
 * arpa. zones are other people's business and only shown. */
#include "trace_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MSG_MAX 2000

static bool is_reverse(const char *name)
{
        return name &&
               (trace_name_under(name, "in-addr.arpa.") || trace_name_under(name, "ip6.arpa."));
}

void trace_find_parent_party(const char *parent, char *buf, size_t len)
{
        if (!parent || trace_name_equal(parent, ".") || trace_name_equal(parent, "arpa."))
                snprintf(buf, len, "IANA (which runs %s)", parent ? parent : "the root zone");
        else if (trace_name_equal(parent, "in-addr.arpa.") || trace_name_equal(parent, "ip6.arpa."))
                snprintf(buf, len,
                         "the RIR that allocated the address block (its reverse-DNS "
                         "delegation, e.g. in its portal)");
        else if (is_reverse(parent))
                snprintf(buf, len,
                         "whoever runs the parent zone %s (usually the ISP, hosting provider "
                         "or RIR that holds the IP block)",
                         parent);
        else
                snprintf(buf, len, "whoever runs the parent zone %s", parent);
}

static void zone_party(const struct trace_zone *z, char *buf, size_t len)
{
        if (is_reverse(z->zone))
                snprintf(buf, len,
                         "whoever runs %s (the IP block holder, or the DNS provider it "
                         "delegated the zone to)",
                         z->zone);
        else
                snprintf(buf, len, "whoever runs %s (its DNS provider)", z->zone);
}

/* Appends to a message buffer, never past its end. */
static void msg_add(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void msg_add(char *buf, size_t len, const char *fmt, ...)
{
        size_t used = strlen(buf);
        if (used + 1 >= len)
                return;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf + used, len - used, fmt, ap);
        va_end(ap);
}

static bool seen_name_before(const struct trace_zone *z, size_t i)
{
        for (size_t k = 0; k < i; k++)
                if (trace_name_equal(z->servers[k].ns_name, z->servers[i].ns_name))
                        return true;
        return false;
}

/* A referral to the asked zone itself with the same servers, or above it. */
static bool row_loops(const struct trace_zone *z, const struct trace_server *s)
{
        if (s->outcome != TRACE_LAME || !s->referral ||
            trace_name_strictly_under(s->referral, z->zone))
                return false;
        if (!trace_name_equal(s->referral, z->zone))
                return trace_name_strictly_under(z->zone, s->referral); /* upward */
        return strv_has_name(s->referral_ns, s->nreferral_ns, s->ns_name) ||
               strv_same_names(s->referral_ns, s->nreferral_ns, z->parent_ns, z->nparent_ns);
}

static bool row_lame(const struct trace_zone *z, const struct trace_server *s)
{
        if (row_loops(z, s))
                return false;
        switch (s->outcome) {
        case TRACE_LAME:
        case TRACE_REFUSED:
        case TRACE_SERVFAIL:
        case TRACE_FORMERR:
        case TRACE_MALFORMED:
                return true;
        default:
                /* Answers for the name, but not for the zone's SOA. */
                return trace_outcome_good(s->outcome) &&
                       (s->soa_outcome == TRACE_LAME || s->soa_outcome == TRACE_REFUSED);
        }
}

/* Rows whose failure another finding explains: a cycle, a limit, the deadline. */
static bool row_explained(const struct trace_server *s)
{
        return s->error &&
               (strstr(s->error, TRACE_WHY_CYCLE) || strstr(s->error, TRACE_WHY_LIMIT) ||
                strstr(s->error, TRACE_WHY_DEADLINE));
}

static bool row_unreachable(const struct trace_zone *z, const struct trace_server *s)
{
        return (s->outcome == TRACE_TIMEOUT || s->outcome == TRACE_UNREACHABLE ||
                s->outcome == TRACE_NO_ADDRESS) &&
               !s->local && !row_explained(s);
}

/* "ns (addr): why; ns (addr2): why" for the rows of one NS name. */
static void describe_rows(const struct trace_zone *z, size_t first,
                          bool (*pick)(const struct trace_zone *, const struct trace_server *),
                          char *buf, size_t len, size_t *count)
{
        const char *name = z->servers[first].ns_name;
        for (size_t i = first; i < z->nservers; i++) {
                const struct trace_server *s = &z->servers[i];
                if (!trace_name_equal(s->ns_name, name) || !pick(z, s))
                        continue;
                const char *why = s->error ? s->error
                                  : s->soa_outcome == TRACE_REFUSED
                                      ? "answers for the name but refuses the zone's SOA"
                                      : "not authoritative for the zone's SOA";
                msg_add(buf, len, "%s%s (%s%s): %s", *count ? "; " : "", name, s->addr_text,
                        s->cached ? ", address from ptrwiz's cache" : "", why);
                (*count)++;
        }
}

/* True when at least one server of the zone gave a usable reply. */
static bool zone_has_good_server(const struct trace_zone *z)
{
        for (size_t i = 0; i < z->nservers; i++) {
                enum trace_outcome o = z->servers[i].outcome;
                if (o == TRACE_REFERRAL || o == TRACE_ANSWER || o == TRACE_NODATA ||
                    o == TRACE_NXDOMAIN)
                        return true;
        }
        return false;
}

static void find_per_server(struct trace_result *res, const struct trace_zone *z,
                            enum finding_code code,
                            bool (*pick)(const struct trace_zone *, const struct trace_server *))
{
        char parent[300], msg[MSG_MAX], fix[MSG_MAX];
        trace_find_parent_party(z->parent, parent, sizeof(parent));
        /* With one good server the fault is intermittent; with none, total. */
        bool some_good = zone_has_good_server(z);
        for (size_t i = 0; i < z->nservers; i++) {
                if (seen_name_before(z, i))
                        continue;
                msg[0] = '\0';
                size_t n = 0;
                describe_rows(z, i, pick, msg, sizeof(msg), &n);
                if (n == 0)
                        continue;
                const char *ns = z->servers[i].ns_name;
                if (code == FINDING_DELEGATION_UNREACHABLE)
                        snprintf(fix, sizeof(fix),
                                 "The operator of %s must get it answering for %s (server down, "
                                 "firewall, wrong address), or %s must remove it from the "
                                 "delegation. %s",
                                 ns, z->zone, parent,
                                 some_good ? "Until then resolvers that pick it wait and retry: "
                                             "lookups are slow or fail now and then."
                                           : "No server of the zone answers, so no resolver can "
                                             "find the PTR: receivers defer or reject the mail.");
                else
                        snprintf(fix, sizeof(fix),
                                 "The operator of %s must serve the zone %s (as primary or "
                                 "secondary), or %s must remove the server from the delegation "
                                 "(and the zone's own NS records). %s",
                                 ns, z->zone, parent,
                                 some_good ? "Until then resolvers that pick it get no answer: "
                                             "the PTR works only sometimes."
                                           : "No server of the zone serves it, so no resolver "
                                             "can find the PTR: receivers defer or reject the "
                                             "mail.");
                findings_add(&res->findings, code, fix, "zone %s: %s", z->zone, msg);
        }
}

static void find_loops(struct trace_result *res, const struct trace_zone *z)
{
        char parent[300], fix[MSG_MAX];
        trace_find_parent_party(z->parent, parent, sizeof(parent));
        for (size_t i = 0; i < z->nservers; i++) {
                const struct trace_server *s = &z->servers[i];
                if (!row_loops(z, s))
                        continue;
                char *ns = strv_join(s->referral_ns, s->nreferral_ns, ", ");
                bool up = !trace_name_equal(s->referral, z->zone);
                snprintf(fix, sizeof(fix),
                         "The operator of %s must load the zone %s itself (it serves only %s), "
                         "or %s must delegate the zone to servers that serve it.",
                         s->ns_name, z->zone, up ? "a zone above it" : "an old copy of its parent",
                         parent);
                findings_add(&res->findings, FINDING_DELEGATION_LOOP, fix,
                             "%s (%s), listed for %s, answers %s with %s referral to %s (NS %s): "
                             "following it would loop",
                             s->ns_name, s->addr_text, z->zone, z->qname, up ? "an upward" : "a",
                             up ? s->referral : "the same zone", ns ? ns : "?");
                free(ns);
        }
}

/* -------------------------------------------------------- inconsistency */

static int cmp_str(const void *a, const void *b)
{
        return strcasecmp(*(char *const *)a, *(char *const *)b);
}

static void sorted_join(char *const *v, size_t n, char *buf, size_t len)
{
        char **copy = malloc((n ? n : 1) * sizeof(*copy));
        buf[0] = '\0';
        if (!copy)
                return;
        memcpy(copy, v, n * sizeof(*copy));
        qsort(copy, n, sizeof(*copy), cmp_str);
        for (size_t i = 0; i < n; i++)
                msg_add(buf, len, "%s%s", i ? " " : "", copy[i]);
        free(copy);
}

/* What a server said, in a form equal for equal answers. */
static void describe_answer(const struct trace_zone *z, const struct trace_server *s, int qtype,
                            char *buf, size_t len)
{
        char list[MSG_MAX / 2];
        switch (s->outcome) {
        case TRACE_REFERRAL:
                sorted_join(s->referral_ns, s->nreferral_ns, list, sizeof(list));
                snprintf(buf, len, "referral to %s (NS %s)", s->referral, list);
                break;
        case TRACE_ANSWER:
                if (s->cname) {
                        snprintf(buf, len, "CNAME %s", s->cname);
                } else {
                        sorted_join(s->answer, s->nanswer, list, sizeof(list));
                        snprintf(buf, len, "%s %s", trace_type_name(qtype), list);
                }
                break;
        default:
                snprintf(buf, len, "%s", s->outcome == TRACE_NXDOMAIN ? "NXDOMAIN" : "NODATA");
        }
}

static bool good_row(const struct trace_server *s)
{
        return trace_outcome_good(s->outcome) && (s->aa || s->outcome == TRACE_REFERRAL);
}

/* Distinct answers among referrals, or among answers: a server that also
 * serves the child and answers directly agrees with one that refers. */
static size_t count_distinct(const struct trace_zone *z, int qtype, bool referrals)
{
        char a[MSG_MAX / 2], b[MSG_MAX / 2];
        size_t n = 0;
        for (size_t i = 0; i < z->nservers; i++) {
                const struct trace_server *s = &z->servers[i];
                if (!good_row(s) || (s->outcome == TRACE_REFERRAL) != referrals)
                        continue;
                describe_answer(z, s, qtype, a, sizeof(a));
                bool dup = false;
                for (size_t k = 0; k < i && !dup; k++) {
                        const struct trace_server *o = &z->servers[k];
                        if (!good_row(o) || (o->outcome == TRACE_REFERRAL) != referrals)
                                continue;
                        describe_answer(z, o, qtype, b, sizeof(b));
                        dup = strcmp(a, b) == 0;
                }
                n += !dup;
        }
        return n;
}

static const struct trace_zone *zone_named(const struct trace_result *res, const char *zone)
{
        for (size_t i = 0; res && zone && i < res->nzones; i++)
                if (trace_name_equal(res->zones[i].zone, zone) && res->zones[i].nparent_ns)
                        return &res->zones[i];
        return NULL;
}

bool trace_same_servers(const struct trace_result *res, const char *a, const char *b)
{
        const struct trace_zone *za = zone_named(res, a), *zb = zone_named(res, b);
        return za && zb &&
               strv_same_names(za->parent_ns, za->nparent_ns, zb->parent_ns, zb->nparent_ns);
}

const struct trace_zone *trace_disagreement(const struct trace_result *res)
{
        for (size_t i = res ? res->nzones : 0; i-- > 0;)
                if (count_distinct(&res->zones[i], res->qtype, false) > 1)
                        return &res->zones[i];
        return NULL;
}

bool trace_server_said(const struct trace_result *res, const struct trace_zone *z, size_t i,
                       char *buf, size_t len)
{
        const struct trace_server *s = &z->servers[i];
        if (!good_row(s) || s->outcome == TRACE_REFERRAL)
                return false;
        describe_answer(z, s, res->qtype, buf, len);
        return true;
}

/* Some servers say the name does not exist while others delegate it to
 * where it does (a server that also serves the child and denies what the
 * child denies too agrees with them). */
static bool refers_and_denies(const struct trace_result *res, const struct trace_zone *z)
{
        if (res->final_outcome != TRACE_ANSWER)
                return false;
        bool refers = false, denies = false;
        for (size_t i = 0; i < z->nservers; i++) {
                const struct trace_server *s = &z->servers[i];
                if (!good_row(s))
                        continue;
                refers = refers || s->outcome == TRACE_REFERRAL;
                denies = denies || s->outcome == TRACE_NXDOMAIN || s->outcome == TRACE_NODATA;
        }
        return refers && denies;
}

static bool serials_differ(const struct trace_zone *z, uint32_t *newest)
{
        bool any = false, differ = false;
        for (size_t i = 0; i < z->nservers; i++) {
                const struct trace_server *s = &z->servers[i];
                if (!s->has_serial)
                        continue;
                if (any && s->serial != *newest)
                        differ = true;
                /* Serial number arithmetic (RFC 1982): newer is "greater". */
                if (!any || (int32_t)(s->serial - *newest) > 0)
                        *newest = s->serial;
                any = true;
        }
        return differ;
}

static void find_inconsistent(struct trace_result *res, const struct trace_zone *z)
{
        uint32_t newest = 0;
        bool serials = serials_differ(z, &newest);
        bool answers = count_distinct(z, res->qtype, false) > 1 ||
                       count_distinct(z, res->qtype, true) > 1 || refers_and_denies(res, z);
        if (!serials && !answers)
                return;
        char msg[MSG_MAX] = "", stale[MSG_MAX / 2] = "", fix[MSG_MAX], who[400], desc[MSG_MAX / 2];
        for (size_t i = 0; i < z->nservers; i++) {
                const struct trace_server *s = &z->servers[i];
                if (!good_row(s) && !s->has_serial)
                        continue;
                if (good_row(s))
                        describe_answer(z, s, res->qtype, desc, sizeof(desc));
                else
                        snprintf(desc, sizeof(desc), "%s", trace_outcome_name(s->outcome));
                msg_add(msg, sizeof(msg), "; %s (%s): %s", s->ns_name, s->addr_text, desc);
                if (s->has_serial)
                        msg_add(msg, sizeof(msg), ", serial %u", s->serial);
                if (s->has_serial && s->serial != newest)
                        msg_add(stale, sizeof(stale), "%s%s", stale[0] ? ", " : "", s->ns_name);
        }
        zone_party(z, who, sizeof(who));
        who[0] = (char)toupper((unsigned char)who[0]);
        snprintf(fix, sizeof(fix),
                 "Receivers get one answer or the other depending on the server their resolver "
                 "picks: the 'intermittent' failure. %s must make every server serve the same, "
                 "current zone%s%s%s.",
                 who, stale[0] ? ": " : "", stale,
                 stale[0] ? " has an older serial, so zone transfers to it fail (NOTIFY/AXFR "
                            "blocked, or it is missing from the primary's transfer list)"
                          : "");
        findings_add(&res->findings, FINDING_DELEGATION_INCONSISTENT, fix,
                     "the servers of %s disagree about %s%s", z->zone, z->qname, msg);
}

/* ---------------------------------------------------------- NS mismatch */

static void apex_union(const struct trace_zone *z, char ***v, size_t *n)
{
        for (size_t i = 0; i < z->nservers; i++) {
                const struct trace_server *s = &z->servers[i];
                for (size_t k = 0; s->has_apex_ns && k < s->napex_ns; k++)
                        if (!strv_has_name(*v, *n, s->apex_ns[k]))
                                strv_push(v, n, s->apex_ns[k]);
        }
}

static void only_in(char *const *a, size_t na, char *const *b, size_t nb, char *buf, size_t len)
{
        buf[0] = '\0';
        for (size_t i = 0; i < na; i++)
                if (!strv_has_name(b, nb, a[i]))
                        msg_add(buf, len, "%s%s", buf[0] ? ", " : "", a[i]);
}

static void find_ns_mismatch(struct trace_result *res, const struct trace_zone *z)
{
        char **child = NULL;
        size_t nchild = 0;
        apex_union(z, &child, &nchild);
        if (!z->parent || !nchild || strv_same_names(z->parent_ns, z->nparent_ns, child, nchild)) {
                strv_free(child, nchild);
                return;
        }
        char parent[300], who[400], fix[MSG_MAX], only_p[600], only_c[600];
        trace_find_parent_party(z->parent, parent, sizeof(parent));
        zone_party(z, who, sizeof(who));
        only_in(z->parent_ns, z->nparent_ns, child, nchild, only_p, sizeof(only_p));
        only_in(child, nchild, z->parent_ns, z->nparent_ns, only_c, sizeof(only_c));
        char *pset = strv_join(z->parent_ns, z->nparent_ns, ", ");
        char *cset = strv_join(child, nchild, ", ");
        snprintf(fix, sizeof(fix),
                 "Make the two lists the same: %s sets the zone's own NS records, and %s sets "
                 "the delegation. Resolvers use either list, so a server on only one of them "
                 "is asked by some resolvers only.",
                 who, parent);
        findings_add(&res->findings, FINDING_DELEGATION_NS_MISMATCH, fix,
                     "the parent %s delegates %s to %s, but the zone itself lists %s (only at "
                     "the parent: %s; only in the zone: %s)",
                     z->parent, z->zone, pset ? pset : "?", cset ? cset : "?",
                     only_p[0] ? only_p : "none", only_c[0] ? only_c : "none");
        free(pset);
        free(cset);
        strv_free(child, nchild);
}

/* ----------------------------------------------------- expected servers */

/* An --expect-ns name the probe found not to exist: every row of it is
 * NO_ADDRESS because its lookup got NXDOMAIN (a typo, most likely). */
static bool expected_missing(const struct trace_result *res, const char *name)
{
        const struct trace_zone *p = res->probe;
        bool any = false;
        for (size_t i = 0; p && i < p->nservers; i++) {
                const struct trace_server *s = &p->servers[i];
                if (!trace_name_equal(s->ns_name, name))
                        continue;
                if (s->outcome != TRACE_NO_ADDRESS || !s->error ||
                    strcmp(s->error, TRACE_WHY_NXDOMAIN) != 0)
                        return false;
                any = true;
        }
        return any;
}

/* What the --expect-ns servers said when asked directly. */
static void describe_probe(const struct trace_result *res, char *buf, size_t len)
{
        buf[0] = '\0';
        const struct trace_zone *p = res->probe;
        for (size_t i = 0; p && i < p->nservers; i++) {
                const struct trace_server *s = &p->servers[i];
                char list[600];
                if (expected_missing(res, s->ns_name))
                        continue; /* EXPECT_NS_UNKNOWN says it */
                if (s->outcome == TRACE_ANSWER && s->nanswer) {
                        sorted_join(s->answer, s->nanswer, list, sizeof(list));
                        msg_add(buf, len,
                                "; asked directly, %s (%s) does answer %s %s, but no resolver "
                                "will ask it",
                                s->ns_name, s->addr_text, trace_type_name(res->qtype), list);
                } else {
                        msg_add(buf, len, "; asked directly, %s (%s) gives %s%s%s", s->ns_name,
                                s->addr_text, trace_outcome_name(s->outcome), s->error ? ": " : "",
                                s->error ? s->error : "");
                }
        }
}

static void find_expected_missing(struct trace_result *res, const char *name, const char *zone,
                                  const char *have)
{
        char fix[MSG_MAX];
        snprintf(fix, sizeof(fix),
                 "Check the spelling of %s: it is no name server, so no zone can be delegated "
                 "to it. Give --expect-ns the server where you created the PTR, as your DNS "
                 "provider names it (the NS records it told you to use); %s is served by %s "
                 "now.",
                 name, zone, have);
        findings_add(&res->findings, FINDING_EXPECT_NS_UNKNOWN, fix,
                     "--expect-ns %s: the name does not exist (NXDOMAIN), so where the PTR was "
                     "created could not be checked",
                     name);
}

static void find_expected(struct trace_result *res, char *const *expect_in, size_t nexpect_in)
{
        if (!nexpect_in || !res->nzones)
                return;
        const struct trace_zone *z = &res->zones[res->nzones - 1];
        const char *zone = res->final_zone ? res->final_zone : z->zone;
        char **set = NULL, **expect = NULL;
        size_t nset = 0, nexpect = 0;
        for (size_t i = 0; i < z->nparent_ns; i++)
                strv_push(&set, &nset, z->parent_ns[i]);
        for (size_t i = 0; i < z->nservers; i++)
                if (!strv_has_name(set, nset, z->servers[i].ns_name))
                        strv_push(&set, &nset, z->servers[i].ns_name);
        apex_union(z, &set, &nset);
        char *have = strv_join(set, nset, ", ");
        /* A name that does not exist is a typo to point out, never a server
         * to delegate the zone to. */
        for (size_t i = 0; i < nexpect_in; i++) {
                if (expected_missing(res, expect_in[i]))
                        find_expected_missing(res, expect_in[i], zone, have ? have : "?");
                else
                        strv_push(&expect, &nexpect, expect_in[i]);
        }
        bool found = false;
        for (size_t i = 0; i < nexpect && !found; i++)
                found = strv_has_name(set, nset, expect[i]);
        if (!found && nexpect) {
                char *want = strv_join(expect, nexpect, ", ");
                char probe[MSG_MAX / 2], fix[MSG_MAX];
                describe_probe(res, probe, sizeof(probe));
                snprintf(fix, sizeof(fix),
                         "Records created at %s have no effect while %s is delegated "
                         "elsewhere. Whoever controls the IP block (usually the ISP or "
                         "hosting provider, who got it from the RIR) must delegate %s to %s, "
                         "or create the PTR record itself in the zone on %s (its servers).",
                         want ? want : "?", zone, zone, want ? want : "?", have ? have : "?");
                findings_add(&res->findings, FINDING_ZONE_NOT_DELEGATED_TO_EXPECTED_NS, fix,
                             "%s (the zone holding %s) is delegated to %s, not to %s%s", zone,
                             res->qname, have ? have : "?", want ? want : "?", probe);
                free(want);
        }
        free(have);
        strv_free(expect, nexpect);
        strv_free(set, nset);
}

void trace_find_zones(struct trace_result *res, char *const *expect, size_t nexpect)
{
        for (size_t i = 0; i < res->nzones; i++) {
                const struct trace_zone *z = &res->zones[i];
                find_loops(res, z);
                if (z->infra)
                        continue;
                find_inconsistent(res, z);
                if (z->revisit)
                        continue; /* its servers were judged the first time */
                find_per_server(res, z, FINDING_DELEGATION_UNREACHABLE, row_unreachable);
                find_per_server(res, z, FINDING_DELEGATION_LAME, row_lame);
                find_ns_mismatch(res, z);
        }
        find_expected(res, expect, nexpect);
}
