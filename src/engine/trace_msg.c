/* trace_msg: the trace's DNS messages, built and parsed by ldns only (no
 * hand-parsed wire), and the classification of a reply: referral, answer,
 * NODATA, NXDOMAIN, lame, loop, or not ours at all. */
#include "trace_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ldns/ldns.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ptrwiz/conffile.h"
#include "ptrwiz/escape.h"

#define SYSTEM_ROOT_HINTS "/usr/share/dns/root.hints"

/* The root servers as of 2024 (b.root-servers.net renumbered in 2023). */
static const char *const builtin_roots[][3] = {
    {"a.root-servers.net.", "198.41.0.4", "2001:503:ba3e::2:30"},
    {"b.root-servers.net.", "170.247.170.2", "2801:1b8:10::b"},
    {"c.root-servers.net.", "192.33.4.12", "2001:500:2::c"},
    {"d.root-servers.net.", "199.7.91.13", "2001:500:2d::d"},
    {"e.root-servers.net.", "192.203.230.10", "2001:500:a8::e"},
    {"f.root-servers.net.", "192.5.5.241", "2001:500:2f::f"},
    {"g.root-servers.net.", "192.112.36.4", "2001:500:12::d0d"},
    {"h.root-servers.net.", "198.97.190.53", "2001:500:1::53"},
    {"i.root-servers.net.", "192.36.148.17", "2001:7fe::53"},
    {"j.root-servers.net.", "192.58.128.30", "2001:503:c27::2:30"},
    {"k.root-servers.net.", "193.0.14.129", "2001:7fd::1"},
    {"l.root-servers.net.", "199.7.83.42", "2001:500:9f::42"},
    {"m.root-servers.net.", "202.12.27.33", "2001:dc3::35"},
};

/* ---------------------------------------------------------- string lists */

char *trace_dup(const char *s)
{
        return s ? strdup(s) : NULL;
}

bool strv_has_name(char *const *v, size_t n, const char *name)
{
        for (size_t i = 0; i < n; i++)
                if (trace_name_equal(v[i], name))
                        return true;
        return false;
}

bool strv_same_names(char *const *a, size_t na, char *const *b, size_t nb)
{
        for (size_t i = 0; i < na; i++)
                if (!strv_has_name(b, nb, a[i]))
                        return false;
        for (size_t i = 0; i < nb; i++)
                if (!strv_has_name(a, na, b[i]))
                        return false;
        return true;
}

/* ----------------------------------------------------------------- names */

static ldns_rdf *dname(const char *s)
{
        return s ? ldns_dname_new_frm_str(s) : NULL;
}

bool trace_name_equal(const char *a, const char *b)
{
        ldns_rdf *x = dname(a), *y = dname(b);
        bool eq = x && y && ldns_dname_compare(x, y) == 0;
        ldns_rdf_deep_free(x);
        ldns_rdf_deep_free(y);
        return eq;
}

bool trace_name_strictly_under(const char *name, const char *zone)
{
        ldns_rdf *x = dname(name), *z = dname(zone);
        bool under = x && z && ldns_dname_is_subdomain(x, z);
        ldns_rdf_deep_free(x);
        ldns_rdf_deep_free(z);
        return under;
}

bool trace_name_under(const char *name, const char *zone)
{
        return trace_name_equal(name, zone) || trace_name_strictly_under(name, zone);
}

int trace_name_labels(const char *name)
{
        ldns_rdf *x = dname(name);
        int n = x ? ldns_dname_label_count(x) : -1;
        ldns_rdf_deep_free(x);
        return n;
}

static char *rdf_str(const ldns_rdf *r)
{
        return r ? ldns_rdf2str(r) : NULL;
}

char *trace_name_canon(const char *name)
{
        ldns_rdf *x = dname(name);
        if (!x)
                return NULL;
        ldns_dname2canonical(x);
        char *s = rdf_str(x);
        ldns_rdf_deep_free(x);
        return s;
}

bool trace_zone_is_infra(const char *zone)
{
        static const char *const infra[] = {".", "arpa.", "in-addr.arpa.", "ip6.arpa."};
        for (size_t i = 0; i < sizeof(infra) / sizeof(infra[0]); i++)
                if (trace_name_equal(zone, infra[i]))
                        return true;
        return false;
}

const char *trace_type_name(int qtype)
{
        const ldns_rr_descriptor *d = ldns_rr_descript((uint16_t)qtype);
        return d && d->_name ? d->_name : "TYPE?";
}

/* ------------------------------------------------------------ text output */

char *trace_text_clean(const char *s)
{
        size_t cap = strlen(s) * 4 + 1, used = 0;
        char *out = malloc(cap);
        if (!out)
                return NULL;
        while (*s) {
                /* A backslash is already an escape of ldns: escaping it again
                 * would show \\027 where every other view shows \027. */
                size_t field = strcspn(s, "\t\n\\");
                used += escape_buf(s, field, ESCAPE_KEEP_SPACE, out + used, cap - used);
                s += field;
                if (*s)
                        out[used++] = *s++;
                out[used] = '\0';
        }
        out[used] = '\0';
        return out;
}

static void text_append(char **text, const ldns_rr_list *rrs)
{
        for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
                char *line = ldns_rr2str(ldns_rr_list_rr(rrs, i));
                char *clean = line ? trace_text_clean(line) : NULL;
                free(line);
                if (!clean)
                        continue;
                size_t old = *text ? strlen(*text) : 0;
                char *nt = realloc(*text, old + strlen(clean) + 1);
                if (nt) {
                        memcpy(nt + old, clean, strlen(clean) + 1);
                        *text = nt;
                }
                free(clean);
        }
}

/* -------------------------------------------------------------- building */

int trace_msg_query(const char *qname, int qtype, uint16_t id, bool edns, uint8_t **wire,
                    size_t *len)
{
        ldns_rdf *name = dname(qname);
        if (!name)
                return -1;
        ldns_pkt *p = ldns_pkt_query_new(name, (ldns_rr_type)qtype, LDNS_RR_CLASS_IN, 0);
        if (!p) {
                ldns_rdf_deep_free(name);
                return -1;
        }
        ldns_pkt_set_id(p, id);
        ldns_pkt_set_rd(p, false);
        if (edns)
                ldns_pkt_set_edns_udp_size(p, TRACE_EDNS_BUFSIZE);
        ldns_status st = ldns_pkt2wire(wire, p, len);
        ldns_pkt_free(p);
        if (st != LDNS_STATUS_OK)
                return -1;
        /* ldns hands over its whole 64 KiB buffer: a query kept for its
         * resends (and every one waiting in line) would hold that much. */
        uint8_t *fit = realloc(*wire, *len);
        if (fit)
                *wire = fit;
        return 0;
}

/* ----------------------------------------------------------- classifying */

static void set_why(struct trace_reply *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_why(struct trace_reply *r, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        free(r->why);
        if (vasprintf(&r->why, fmt, ap) < 0)
                r->why = NULL;
        va_end(ap);
}

/* The question must be ours; an error reply may leave it out (RFC 1035 4.1.1). */
static bool question_matches(const ldns_pkt *p, const char *qname, int qtype)
{
        const ldns_rr_list *q = ldns_pkt_question(p);
        size_t n = ldns_rr_list_rr_count(q);
        if (n == 0)
                return ldns_pkt_get_rcode(p) != LDNS_RCODE_NOERROR &&
                       ldns_pkt_get_rcode(p) != LDNS_RCODE_NXDOMAIN;
        if (n != 1)
                return false;
        const ldns_rr *rr = ldns_rr_list_rr(q, 0);
        ldns_rdf *want = dname(qname);
        bool ok = want && ldns_dname_compare(ldns_rr_owner(rr), want) == 0 &&
                  (int)ldns_rr_get_type(rr) == qtype && ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN;
        ldns_rdf_deep_free(want);
        return ok;
}

static bool owner_is(const ldns_rr *rr, const ldns_rdf *name)
{
        return ldns_dname_compare(ldns_rr_owner(rr), name) == 0;
}

static void take_serial(struct trace_reply *r, const ldns_rr *soa)
{
        free(r->soa_owner);
        r->soa_owner = rdf_str(ldns_rr_owner(soa));
        if (ldns_rr_rd_count(soa) >= 3) {
                r->serial = ldns_rdf2native_int32(ldns_rr_rdf(soa, 2));
                r->has_serial = true;
        }
}

/* Data of the asked type at the end of the CNAME chain that starts at
 * qname; leaves the chain's end in *end (owned by the caller) and returns
 * the number of CNAMEs followed. */
static size_t follow_chain(struct trace_reply *r, const ldns_rr_list *ans, const char *qname,
                           int qtype, ldns_rdf **end)
{
        ldns_rdf *cur = dname(qname);
        *end = cur;
        if (!cur)
                return 0;
        ldns_rdf *seen[TRACE_MAX_CNAME + 1];
        size_t nseen = 0;
        for (;;) {
                bool cname_found = false;
                for (size_t i = 0; i < ldns_rr_list_rr_count(ans); i++) {
                        const ldns_rr *rr = ldns_rr_list_rr(ans, i);
                        if (!owner_is(rr, cur) || ldns_rr_rd_count(rr) < 1)
                                continue;
                        if ((int)ldns_rr_get_type(rr) == qtype) {
                                if (!r->nanswer || ldns_rr_ttl(rr) < r->ttl)
                                        r->ttl = ldns_rr_ttl(rr);
                                char *s = rdf_str(ldns_rr_rdf(rr, 0));
                                if (s)
                                        strv_push(&r->answer, &r->nanswer, s);
                                free(s);
                                if (qtype == LDNS_RR_TYPE_SOA)
                                        take_serial(r, rr);
                        } else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME && !cname_found) {
                                cname_found = true;
                                seen[nseen++] = cur;
                                cur = ldns_rdf_clone(ldns_rr_rdf(rr, 0));
                        }
                }
                if (r->nanswer || !cname_found)
                        break;
                for (size_t i = 0; i < nseen; i++)
                        if (ldns_dname_compare(seen[i], cur) == 0)
                                r->cname_loop = true;
                if (r->cname_loop || nseen == TRACE_MAX_CNAME)
                        break;
        }
        for (size_t i = 0; i < nseen; i++)
                ldns_rdf_deep_free(seen[i]);
        *end = cur;
        return nseen;
}

static void take_glue(struct trace_reply *r, const ldns_pkt *p, const char *zone)
{
        const ldns_rr_list *add = ldns_pkt_additional(p);
        for (size_t i = 0; i < ldns_rr_list_rr_count(add); i++) {
                const ldns_rr *rr = ldns_rr_list_rr(add, i);
                ldns_rr_type t = ldns_rr_get_type(rr);
                if ((t != LDNS_RR_TYPE_A && t != LDNS_RR_TYPE_AAAA) || ldns_rr_rd_count(rr) < 1)
                        continue;
                char *name = rdf_str(ldns_rr_owner(rr));
                char *a = rdf_str(ldns_rr_rdf(rr, 0));
                struct addr addr;
                char err[64];
                /* Only in-bailiwick glue: a server may vouch for names in its zone. */
                if (name && a && strv_has_name(r->ns, r->nns, name) &&
                    trace_name_strictly_under(name, zone) &&
                    addr_parse(a, &addr, err, sizeof(err)) == 0) {
                        struct glue *ng = realloc(r->glue, (r->nglue + 1) * sizeof(*ng));
                        if (ng) {
                                r->glue = ng;
                                ng[r->nglue].name = name;
                                ng[r->nglue++].addr = addr;
                                name = NULL;
                        }
                }
                free(name);
                free(a);
        }
}

/* NOERROR or NXDOMAIN without data for the name: a referral, a negative
 * answer, or a server that does not serve the zone. */
static void classify_no_data(struct trace_reply *r, const ldns_pkt *p, const char *qname,
                             const char *zone)
{
        const ldns_rr_list *auth = ldns_pkt_authority(p);
        const ldns_rr *ns1 = NULL, *soa = NULL;
        for (size_t i = 0; i < ldns_rr_list_rr_count(auth); i++) {
                const ldns_rr *rr = ldns_rr_list_rr(auth, i);
                if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NS && !ns1)
                        ns1 = rr;
                if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA && !soa)
                        soa = rr;
        }
        if (soa)
                take_serial(r, soa);
        if (r->rcode == LDNS_RCODE_NXDOMAIN) {
                r->outcome = r->aa ? TRACE_NXDOMAIN : TRACE_LAME;
                if (!r->aa)
                        set_why(r, "non-authoritative NXDOMAIN (AA=0)");
                return;
        }
        if (ns1 && !(r->aa && soa)) {
                r->referral = rdf_str(ldns_rr_owner(ns1));
                for (size_t i = 0; i < ldns_rr_list_rr_count(auth); i++) {
                        const ldns_rr *rr = ldns_rr_list_rr(auth, i);
                        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NS &&
                            owner_is(rr, ldns_rr_owner(ns1)) && ldns_rr_rd_count(rr) > 0) {
                                if (!r->nns || ldns_rr_ttl(rr) < r->ttl)
                                        r->ttl = ldns_rr_ttl(rr); /* how long to keep the cut */
                                char *s = rdf_str(ldns_rr_rdf(rr, 0));
                                if (s && !strv_has_name(r->ns, r->nns, s))
                                        strv_push(&r->ns, &r->nns, s);
                                free(s);
                        }
                }
                if (!trace_name_under(qname, r->referral)) {
                        r->outcome = TRACE_LAME;
                        set_why(r, "referral to %s, which does not contain %s", r->referral, qname);
                } else if (trace_name_strictly_under(r->referral, zone)) {
                        r->outcome = TRACE_REFERRAL;
                        take_glue(r, p, zone);
                } else if (r->aa && trace_name_equal(r->referral, zone)) {
                        r->outcome = TRACE_NODATA; /* apex NS beside an empty answer */
                } else {
                        r->outcome = TRACE_LAME;
                        r->loop = trace_name_equal(r->referral, zone) ? LOOP_SIDEWAYS : LOOP_UPWARD;
                        set_why(r, "%s referral to %s instead of an answer for %s",
                                r->loop == LOOP_SIDEWAYS ? "a" : "an upward", r->referral, zone);
                }
                return;
        }
        r->outcome = r->aa ? TRACE_NODATA : TRACE_LAME;
        if (!r->aa)
                set_why(r, "non-authoritative empty answer (AA=0) without a referral");
}

/* An answer that ends in a CNAME to a name in a zone delegated from this
 * one (RFC 2317's classless zones) may carry that delegation in its
 * authority section, as NSD and BIND send it: take it as a referral for the
 * target, so the walk need not ask this zone again. Same bailiwick rule as a
 * referral: the child is strictly under the asked zone. */
static void take_cname_delegation(struct trace_reply *r, const ldns_pkt *p, const char *zone)
{
        const ldns_rr_list *auth = ldns_pkt_authority(p);
        for (size_t i = 0; i < ldns_rr_list_rr_count(auth) && !r->referral; i++) {
                const ldns_rr *rr = ldns_rr_list_rr(auth, i);
                char *owner =
                    ldns_rr_get_type(rr) == LDNS_RR_TYPE_NS ? rdf_str(ldns_rr_owner(rr)) : NULL;
                if (owner && trace_name_under(r->cname, owner) &&
                    trace_name_strictly_under(owner, zone))
                        r->referral = owner;
                else
                        free(owner);
        }
        if (!r->referral)
                return;
        ldns_rdf *child = dname(r->referral);
        for (size_t i = 0; child && i < ldns_rr_list_rr_count(auth); i++) {
                const ldns_rr *rr = ldns_rr_list_rr(auth, i);
                if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NS || !owner_is(rr, child) ||
                    ldns_rr_rd_count(rr) < 1)
                        continue;
                char *s = rdf_str(ldns_rr_rdf(rr, 0));
                if (s && !strv_has_name(r->ns, r->nns, s))
                        strv_push(&r->ns, &r->nns, s);
                free(s);
        }
        ldns_rdf_deep_free(child);
        if (r->nns)
                take_glue(r, p, zone);
        else {
                free(r->referral);
                r->referral = NULL;
        }
}

static void classify_data(struct trace_reply *r, const ldns_pkt *p, const char *qname, int qtype,
                          const char *zone)
{
        ldns_rdf *end = NULL;
        bool moved = follow_chain(r, ldns_pkt_answer(p), qname, qtype, &end) > 0;
        if (r->nanswer || moved) {
                r->owner = rdf_str(end);
                if (!r->nanswer && r->rcode == LDNS_RCODE_NOERROR)
                        r->cname = rdf_str(end);
                if (!r->aa) {
                        r->outcome = TRACE_LAME;
                        set_why(r, "non-authoritative answer (AA=0): a cache or a resolver, "
                                   "not a server of the zone");
                } else if (r->rcode == LDNS_RCODE_NXDOMAIN) {
                        r->outcome = TRACE_NXDOMAIN;
                } else {
                        r->outcome = TRACE_ANSWER;
                        if (r->cname && !r->cname_loop)
                                take_cname_delegation(r, p, zone);
                }
                if (r->cname_loop)
                        set_why(r, "the CNAME chain in the answer loops");
        } else {
                classify_no_data(r, p, qname, zone);
        }
        ldns_rdf_deep_free(end);
}

static void classify_rcode(struct trace_reply *r, const ldns_pkt *p, const char *qname, int qtype,
                           const char *zone)
{
        switch (r->rcode) {
        case LDNS_RCODE_NOERROR:
        case LDNS_RCODE_NXDOMAIN:
                classify_data(r, p, qname, qtype, zone);
                break;
        case LDNS_RCODE_REFUSED:
                r->outcome = TRACE_REFUSED;
                set_why(r, "does not serve %s (REFUSED)", zone);
                break;
        case LDNS_RCODE_FORMERR:
                r->outcome = TRACE_FORMERR;
                set_why(r, "rejects the query (FORMERR)");
                break;
        case LDNS_RCODE_SERVFAIL:
                r->outcome = TRACE_SERVFAIL;
                set_why(r,
                        "cannot answer for %s, its copy of the zone may have failed to load "
                        "(SERVFAIL)",
                        zone);
                break;
        default: {
                char *name = ldns_pkt_rcode2str((ldns_pkt_rcode)r->rcode);
                r->outcome = TRACE_SERVFAIL;
                set_why(r, "rcode %s", name ? name : "?");
                free(name);
        }
        }
}

void trace_msg_classify(const uint8_t *wire, size_t len, const char *qname, int qtype, uint16_t id,
                        const char *zone, struct trace_reply *out)
{
        memset(out, 0, sizeof(*out));
        out->rcode = -1;
        out->outcome = TRACE_MALFORMED;
        /* The id is checked on the raw bytes first: garbage with another id
         * is someone else's and ignored; with our id it is our server's. */
        if (len < 2 || ((uint16_t)(wire[0] << 8 | wire[1])) != id) {
                out->status = MSG_MISMATCH;
                out->ignored = IGNORED_ID;
                return;
        }
        ldns_pkt *p = NULL;
        ldns_status st = ldns_wire2pkt(&p, wire, len);
        if (st != LDNS_STATUS_OK) {
                out->status = MSG_MALFORMED;
                set_why(out, "malformed reply (%zu bytes): %s", len, ldns_get_errorstr_by_id(st));
                return;
        }
        bool reply = ldns_pkt_qr(p) && ldns_pkt_get_opcode(p) == LDNS_PACKET_QUERY;
        if (!reply || !question_matches(p, qname, qtype)) {
                out->status = MSG_MISMATCH;
                out->ignored = reply ? IGNORED_QUESTION : IGNORED_NOT_REPLY;
                ldns_pkt_free(p);
                return;
        }
        out->rcode = ldns_pkt_get_rcode(p);
        out->aa = ldns_pkt_aa(p);
        if (ldns_pkt_tc(p)) {
                out->status = MSG_TRUNCATED;
                ldns_pkt_free(p);
                return;
        }
        out->status = MSG_OK;
        text_append(&out->text, ldns_pkt_answer(p));
        text_append(&out->text, ldns_pkt_authority(p));
        classify_rcode(out, p, qname, qtype, zone);
        ldns_pkt_free(p);
}

void trace_reply_clear(struct trace_reply *r)
{
        free(r->referral);
        strv_free(r->ns, r->nns);
        for (size_t i = 0; i < r->nglue; i++)
                free(r->glue[i].name);
        free(r->glue);
        strv_free(r->answer, r->nanswer);
        free(r->owner);
        free(r->cname);
        free(r->soa_owner);
        free(r->text);
        free(r->why);
        memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------ root hints */

static int hints_add(char ***ns, size_t *nns, struct glue **glue, size_t *nglue, const char *name,
                     const char *addr)
{
        char *canon = trace_name_canon(name);
        if (!canon)
                return -1;
        if (!strv_has_name(*ns, *nns, canon) && strv_push(ns, nns, canon) < 0) {
                free(canon);
                return -1;
        }
        struct addr a;
        char err[64];
        if (!addr || addr_parse(addr, &a, err, sizeof(err)) < 0) {
                free(canon);
                return 0;
        }
        struct glue *ng = realloc(*glue, (*nglue + 1) * sizeof(*ng));
        if (!ng) {
                free(canon);
                return -1;
        }
        *glue = ng;
        ng[*nglue].name = canon;
        ng[(*nglue)++].addr = a;
        return 0;
}

static int hints_copy(const struct conffile_hints *h, char ***ns, size_t *nns, struct glue **glue,
                      size_t *nglue)
{
        int rc = 0;
        for (size_t i = 0; rc == 0 && i < h->nns; i++)
                rc = hints_add(ns, nns, glue, nglue, h->ns[i], NULL);
        for (size_t i = 0; rc == 0 && i < h->naddrs; i++)
                rc = hints_add(ns, nns, glue, nglue, h->addrs[i].name, h->addrs[i].addr);
        return rc;
}

int trace_msg_root_hints(const char *path, const struct conffile_hints *read, char ***ns,
                         size_t *nns, struct glue **glue, size_t *nglue, char *err, size_t errlen)
{
        if (path && read) {
                if (hints_copy(read, ns, nns, glue, nglue) < 0) {
                        snprintf(err, errlen, "out of memory");
                        return -1;
                }
                return 0;
        }
        const char *file = path;
        if (!file && access(SYSTEM_ROOT_HINTS, R_OK) == 0)
                file = SYSTEM_ROOT_HINTS;
        if (!file) {
                for (size_t i = 0; i < sizeof(builtin_roots) / sizeof(builtin_roots[0]); i++)
                        for (int k = 1; k < 3; k++)
                                if (hints_add(ns, nns, glue, nglue, builtin_roots[i][0],
                                              builtin_roots[i][k]) < 0) {
                                        snprintf(err, errlen, "out of memory");
                                        return -1;
                                }
                return 0;
        }
        struct conffile_hints h;
        if (conffile_root_hints(file, &h, err, errlen) < 0)
                return -1;
        int rc = hints_copy(&h, ns, nns, glue, nglue);
        conffile_hints_clear(&h);
        if (rc < 0)
                snprintf(err, errlen, "out of memory");
        return rc;
}
