/* trace_walk: the walks down the delegation, one zone cut at a time. A walk
 * asks every server of a cut at once and moves on at the first good reply;
 * the rest fill the table. Glueless NS names are resolved by walks of their
 * own (lookups, cached per trace), never by a system resolver, so the lab
 * and the real world behave the same. A cut whose servers all failed ends
 * its walk; one that only waits for addresses that wait on the walk itself
 * is a glueless cycle. */
#include "trace_int.h"

#include "ptrwiz/suffix.h"

#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void cut_check_blocked(struct cut *c);
static void cut_fill(struct cut *c, char *const *ns, size_t nns, const struct glue *glue,
                     size_t nglue);
static void walk_fail(struct walk *w, enum trace_outcome o, const char *why);
static void lookup_end(struct lookup *l);

/* ------------------------------------------------------------------ rows */

static size_t cut_rows_for(const struct cut *c, const char *name)
{
        size_t n = 0;
        for (size_t i = 0; i < c->z.nservers; i++)
                if (c->z.servers[i].addr.family && trace_name_equal(c->z.servers[i].ns_name, name))
                        n++;
        return n;
}

static bool cut_wants_apex(const struct cut *c)
{
        return trace_cut_public(c) && !c->z.infra && !c->z.revisit;
}

static void lookup_ask_aaaa(struct lookup *l, const char *name, const char *zone,
                            const struct addr *a);

/* A lookup's walk has reached the zone of its name's registered domain (or
 * below), where the A answer almost always is: ask AAAA beside it rather
 * than one round trip after it. */
static bool lookup_aaaa_now(const struct cut *c)
{
        const struct walk *w = c->w;
        if (!w || !w->lookup || w->qtype != LDNS_RR_TYPE_A || w->lookup->aaaa_done)
                return false;
        char *n = trace_name_canon(w->qname);
        if (!n)
                return false;
        size_t len = strlen(n);
        if (len > 1)
                n[len - 1] = '\0'; /* suffix_host_len wants no final dot */
        size_t host = suffix_host_len(n);
        bool at = trace_name_under(c->z.zone, host ? n + host + 1 : n);
        free(n);
        return at;
}

static void row_start(struct cut *c, size_t i)
{
        struct trace *t = c->t;
        const char *qname = c->z.qname;
        int qtype = c->w ? c->w->qtype : LDNS_RR_TYPE_PTR;
        struct addr a = c->z.servers[i].addr;
        if (!trace_query_new(t, QP_NAME, c, i, qname, qtype, c->z.zone, &a)) {
                struct trace_server *s = &c->z.servers[i];
                s->outcome = TRACE_NOT_ASKED;
                free(s->error);
                s->error = strdup(t->aborted ? "not asked: " TRACE_WHY_DEADLINE " passed"
                                             : "not asked: " TRACE_WHY_LIMIT " (queries)");
                return;
        }
        if (lookup_aaaa_now(c))
                lookup_ask_aaaa(c->w->lookup, qname, c->z.zone, &a);
        if (cut_wants_apex(c)) {
                trace_query_new(t, QP_SOA, c, i, c->z.zone, LDNS_RR_TYPE_SOA, c->z.zone, &a);
                trace_query_new(t, QP_NS, c, i, c->z.zone, LDNS_RR_TYPE_NS, c->z.zone, &a);
        }
}

/* Where a row's address came from. */
enum row_from { FROM_GLUE, FROM_LOOKUP, FROM_CACHE };

/* Adds a server row; with an address its queries go out. */
static void cut_add_row(struct cut *c, const char *name, const struct addr *addr,
                        enum row_from from, enum trace_outcome outcome, const char *why)
{
        if (addr) {
                for (size_t i = 0; i < c->z.nservers; i++)
                        if (addr_equal(&c->z.servers[i].addr, addr) &&
                            trace_name_equal(c->z.servers[i].ns_name, name))
                                return;
                if (cut_rows_for(c, name) >= TRACE_MAX_ADDRS_PER_NS)
                        return;
        }
        if (c->z.nservers == c->cap) {
                size_t cap = c->cap ? c->cap * 2 : 4;
                struct trace_server *ns = realloc(c->z.servers, cap * sizeof(*ns));
                if (!ns)
                        return;
                c->z.servers = ns;
                c->cap = cap;
        }
        struct trace_server *s = &c->z.servers[c->z.nservers];
        memset(s, 0, sizeof(*s));
        s->ns_name = strdup(name);
        if (!s->ns_name)
                return;
        s->rcode = -1;
        s->glue = from == FROM_GLUE;
        s->cached = from == FROM_CACHE;
        s->soa_outcome = TRACE_PENDING;
        s->outcome = addr ? TRACE_PENDING : outcome;
        s->error = trace_dup(why);
        if (addr) {
                s->addr = *addr;
                addr_format(addr, s->addr_text, sizeof(s->addr_text));
        } else {
                snprintf(s->addr_text, sizeof(s->addr_text), "-");
        }
        size_t i = c->z.nservers++;
        if (addr)
                row_start(c, i);
        else
                trace_emit(c->t, TRACE_EV_REPLY, c, i, 0);
}

/* ------------------------------------------------------------- lookups */

static struct lookup *lookup_find(struct trace *t, const char *name)
{
        for (struct lookup *l = t->lookups; l; l = l->next_all)
                if (trace_name_equal(l->name, name))
                        return l;
        return NULL;
}

static void lookup_add_addr(struct lookup *l, const struct addr *a)
{
        for (size_t i = 0; i < l->naddrs; i++)
                if (addr_equal(&l->addrs[i], a))
                        return;
        if (l->naddrs == TRACE_MAX_ADDRS_PER_NS)
                return;
        l->addrs[l->naddrs++] = *a;
        for (size_t i = 0; i < l->nwaiters; i++)
                cut_add_row(l->waiters[i], l->name, a, l->cached ? FROM_CACHE : FROM_LOOKUP,
                            TRACE_PENDING, NULL);
}

static void lookup_add_answers(struct lookup *l, const struct trace_reply *r)
{
        if (r->nanswer && r->ttl < l->ttl)
                l->ttl = r->ttl;
        for (size_t i = 0; i < r->nanswer; i++) {
                struct addr a;
                char err[64];
                if (addr_parse(r->answer[i], &a, err, sizeof(err)) == 0)
                        lookup_add_addr(l, &a);
        }
}

static void lookup_ask_aaaa(struct lookup *l, const char *name, const char *zone,
                            const struct addr *a)
{
        if (l->aaaa_name && !trace_name_equal(l->aaaa_name, name)) {
                free(l->aaaa_name); /* a CNAME: the target's AAAA is the one */
                l->aaaa_name = NULL;
                l->aaaa_done = false;
        }
        if (!l->aaaa_name && !(l->aaaa_name = strdup(name)))
                return;
        struct tquery *q =
            trace_query_new(l->t, QP_AAAA, NULL, 0, name, LDNS_RR_TYPE_AAAA, zone, a);
        if (q) {
                q->lookup = l;
                l->pending++;
        }
}

/* An AAAA query of l for name to a, still out. */
static bool lookup_aaaa_out(const struct lookup *l, const char *name, const struct addr *a)
{
        for (const struct tquery *q = l->t->qhead; q; q = q->next)
                if (q->purpose == QP_AAAA && q->lookup == l && addr_equal(&q->addr, a) &&
                    trace_name_equal(q->qname, name))
                        return true;
        return false;
}

/* The first AAAA answer (or denial) of the zone's servers is the answer:
 * the others, e.g. one to a dead server, are not waited for. */
void trace_lookup_aaaa_done(struct lookup *l, const struct qresult *qr)
{
        const struct trace_reply *r = qr->reply;
        bool final = r && (r->outcome == TRACE_ANSWER || r->outcome == TRACE_NODATA ||
                           r->outcome == TRACE_NXDOMAIN);
        if (final && !l->aaaa_done) {
                if (r->outcome == TRACE_ANSWER)
                        lookup_add_answers(l, r);
                if (!r->cname) {
                        l->aaaa_done = true;
                        struct tquery *q = l->t->qhead;
                        while (q) {
                                struct tquery *next = q->next;
                                if (q->purpose == QP_AAAA && q->lookup == l) {
                                        trace_query_free(q);
                                        l->pending--;
                                }
                                q = next;
                        }
                }
        }
        lookup_end(l);
}

static void cut_want_done(struct cut *c, struct lookup *l)
{
        for (size_t i = 0; i < c->nwants; i++) {
                if (c->wants[i].l != l)
                        continue;
                if (cut_rows_for(c, c->wants[i].name) == 0)
                        cut_add_row(c, c->wants[i].name, NULL, FROM_LOOKUP, TRACE_NO_ADDRESS,
                                    l->error ? l->error : "no address found");
                free(c->wants[i].name);
                c->wants[i] = c->wants[--c->nwants];
                break;
        }
        cut_check_blocked(c);
}

static void lookup_end(struct lookup *l)
{
        if (--l->pending > 0)
                return;
        l->done = true;
        if (!l->naddrs && !l->error)
                l->error = strdup("no A or AAAA record");
        if (l->naddrs && !l->cached)
                trace_cache_put(l->t->opts.cache, l->name, l->addrs, l->naddrs, l->ttl);
        /* A waiter's check may add waiters to others, never to a done lookup. */
        for (size_t i = 0; i < l->nwaiters; i++)
                cut_want_done(l->waiters[i], l);
}

/* The walk behind a lookup is over: take its A records and ask the
 * server that gave them for AAAA as well. */
static void lookup_walk_done(struct lookup *l, const struct trace_reply *r, const struct cut *c,
                             size_t row, const char *why)
{
        struct trace *t = l->t;
        l->w = NULL;
        if (r && r->outcome == TRACE_ANSWER)
                lookup_add_answers(l, r);
        if (r && r->outcome == TRACE_NXDOMAIN) {
                t->nx_lookups++;
                free(l->error);
                l->error = strdup(TRACE_WHY_NXDOMAIN);
        } else if (!r && why && !l->error) {
                l->error = strdup(why);
        }
        if (r && (r->outcome == TRACE_ANSWER || r->outcome == TRACE_NODATA) && c) {
                const char *owner = r->owner ? r->owner : c->z.qname;
                const struct addr *a = &c->z.servers[row].addr;
                bool asked = l->aaaa_name && trace_name_equal(l->aaaa_name, owner) &&
                             (l->aaaa_done || lookup_aaaa_out(l, owner, a));
                if (!asked)
                        lookup_ask_aaaa(l, owner, c->z.zone, a);
        }
        lookup_end(l);
}

/* ----------------------------------------------------- glueless cycles */

static void path_add(char *path, size_t len, const char *zone, const char *name)
{
        size_t used = strlen(path);
        snprintf(path + used, len - used, "%s%s is served only by %s", used ? ", whose zone " : "",
                 zone, name);
}

static bool cut_waits_on(struct cut *c, const struct walk *w, char *path, size_t len);

/* Does finding l's address wait, through glueless names, on walk w? */
static bool lookup_waits_on(struct lookup *l, const struct walk *w, char *path, size_t len)
{
        if (l->done || l->mark == l->t->gen)
                return false;
        l->mark = l->t->gen;
        if (!l->w)
                return false; /* only its AAAA is out; that ends by itself */
        if (l->w == w)
                return true;
        return cut_waits_on(l->w->cut, w, path, len);
}

static bool cut_pending(const struct cut *c)
{
        for (size_t i = 0; i < c->z.nservers; i++)
                if (c->z.servers[i].outcome == TRACE_PENDING)
                        return true;
        return false;
}

static bool cut_waits_on(struct cut *c, const struct walk *w, char *path, size_t len)
{
        if (!c || c->advanced || cut_pending(c))
                return false;
        for (size_t i = 0; i < c->nwants; i++) {
                size_t mark = strlen(path);
                path_add(path, len, c->z.zone, c->wants[i].name);
                if (lookup_waits_on(c->wants[i].l, w, path, len))
                        return true;
                path[mark] = '\0';
        }
        return false;
}

static void cycle_finding(struct trace *t, const char *path)
{
        /* Name the zone of the traced name that the cycle strands, so the
         * reader can tie the cycle to their IP. */
        const struct cut *last = t->nchain ? t->chain[t->nchain - 1] : NULL;
        findings_add(&t->res->findings, FINDING_DELEGATION_LOOP,
                     "Each of these zones is delegated only to a name server inside the other "
                     "one, without glue, so no resolver can find any of their addresses. The "
                     "operator of one of the zones must add a name server whose address can be "
                     "found (with glue at its parent), or its parent's operator must add glue.",
                     "%s%s%s%s cannot be resolved: " TRACE_WHY_CYCLE ": %s, and so on",
                     t->res->qname, last ? " (zone " : "", last ? last->z.zone : "",
                     last ? ")" : "", path);
}

/* ----------------------------------------------------------------- cuts */

static const char *lookup_limit(const struct trace *t, const struct cut *c, int nest)
{
        if (t->nlookups >= TRACE_MAX_LOOKUPS)
                return "the trace's limit of glueless NS names";
        if (c->nlookups >= TRACE_MAX_CUT_LOOKUPS)
                return "the limit of glueless NS names per zone";
        if (nest > TRACE_MAX_NEST)
                return "the limit of lookups inside lookups";
        if (t->nx_lookups >= TRACE_MAX_NX_LOOKUPS)
                return "the limit of NS names that do not exist";
        return NULL;
}

/* A lookup that is over before it began: the addresses were cached. */
static struct lookup *lookup_from_cache(struct trace *t, const char *name)
{
        struct addr addrs[TRACE_MAX_ADDRS_PER_NS];
        size_t n = trace_cache_get(t->opts.cache, name, addrs, TRACE_MAX_ADDRS_PER_NS);
        struct lookup *l = n ? calloc(1, sizeof(*l)) : NULL;
        if (!l || !(l->name = strdup(name))) {
                free(l);
                return NULL;
        }
        l->t = t;
        l->done = l->cached = true;
        memcpy(l->addrs, addrs, n * sizeof(*addrs));
        l->naddrs = n;
        l->next_all = t->lookups;
        t->lookups = l;
        return l;
}

static void cut_want(struct cut *c, const char *name)
{
        struct trace *t = c->t;
        struct lookup *l = lookup_find(t, name);
        int nest = c->w ? c->w->nest + 1 : 1;
        bool fresh = false;
        if (!l)
                l = lookup_from_cache(t, name);
        if (!l) {
                const char *limit = lookup_limit(t, c, nest);
                if (limit) {
                        trace_limit(t, LIMIT_LOOKUPS, "%s was not resolved: %s", name, limit);
                        cut_add_row(c, name, NULL, FROM_LOOKUP, TRACE_NO_ADDRESS,
                                    "not resolved: " TRACE_WHY_LIMIT);
                        return;
                }
                l = calloc(1, sizeof(*l));
                if (!l || !(l->name = strdup(name))) {
                        free(l);
                        return;
                }
                l->t = t;
                l->ttl = UINT32_MAX;
                l->next_all = t->lookups;
                t->lookups = l;
                t->nlookups++;
                c->nlookups++;
                fresh = true;
        }
        for (size_t i = 0; i < l->naddrs; i++)
                cut_add_row(c, name, &l->addrs[i], l->cached ? FROM_CACHE : FROM_LOOKUP,
                            TRACE_PENDING, NULL);
        if (l->done) {
                if (!l->naddrs)
                        cut_add_row(c, name, NULL, FROM_LOOKUP, TRACE_NO_ADDRESS, l->error);
                return;
        }
        struct want *nw = realloc(c->wants, (c->nwants + 1) * sizeof(*nw));
        struct cut **nc = realloc(l->waiters, (l->nwaiters + 1) * sizeof(*nc));
        if (nw)
                c->wants = nw;
        if (nc)
                l->waiters = nc;
        if (!nw || !nc || !(nw[c->nwants].name = strdup(name)))
                return;
        nw[c->nwants++].l = l;
        nc[l->nwaiters++] = c;
        if (fresh) {
                l->pending = 1;
                l->w = trace_walk_new(t, name, LDNS_RR_TYPE_A, l, nest);
                if (l->w)
                        trace_walk_start(l->w);
                else
                        lookup_walk_done(l, NULL, NULL, 0, "out of memory");
        }
}

static void cut_add_ns(struct cut *c, const char *name, const struct glue *glue, size_t nglue)
{
        if (strv_has_name(c->names, c->nnames, name))
                return;
        if (c->nnames >= TRACE_MAX_NS) {
                trace_limit(c->t, LIMIT_NS,
                            "%s has more than %d NS names; only the first %d were asked", c->z.zone,
                            TRACE_MAX_NS, TRACE_MAX_NS);
                return;
        }
        if (strv_push(&c->names, &c->nnames, name) < 0)
                return;
        bool glued = false;
        for (size_t i = 0; i < nglue; i++) {
                if (trace_name_equal(glue[i].name, name)) {
                        cut_add_row(c, name, &glue[i].addr, FROM_GLUE, TRACE_PENDING, NULL);
                        glued = true;
                }
        }
        if (!glued)
                cut_want(c, name);
}

static void cut_fill(struct cut *c, char *const *ns, size_t nns, const struct glue *glue,
                     size_t nglue)
{
        c->filling = true;
        for (size_t i = 0; i < nns; i++)
                cut_add_ns(c, ns[i], glue, nglue);
        c->filling = false;
        cut_check_blocked(c);
}

/* Allocates a cut for zone; the caller links it to its walk, then fills it. */
static struct cut *cut_new(struct trace *t, struct walk *w, const char *zone, const char *parent,
                           char *const *ns, size_t nns)
{
        struct cut *c = calloc(1, sizeof(*c));
        if (!c)
                return NULL;
        c->t = t;
        c->w = w;
        c->z.zone = strdup(zone);
        c->z.qname = strdup(w ? w->qname : t->res->qname);
        c->z.parent = trace_dup(parent);
        c->z.followed = -1;
        c->z.infra = trace_zone_is_infra(zone);
        c->ref_ttl = UINT32_MAX;
        for (size_t i = 0; i < nns && i < TRACE_MAX_NS; i++)
                strv_push(&c->z.parent_ns, &c->z.nparent_ns, ns[i]);
        c->next_all = t->cuts;
        t->cuts = c;
        return c;
}

static void server_clear(struct trace_server *s)
{
        free(s->ns_name);
        free(s->referral);
        strv_free(s->referral_ns, s->nreferral_ns);
        strv_free(s->answer, s->nanswer);
        free(s->cname);
        strv_free(s->apex_ns, s->napex_ns);
        free(s->error);
        free(s->reply_text);
        free(s->ignored);
}

void trace_zone_clear(struct trace_zone *z)
{
        free(z->zone);
        free(z->qname);
        free(z->parent);
        strv_free(z->parent_ns, z->nparent_ns);
        for (size_t i = 0; i < z->nservers; i++)
                server_clear(&z->servers[i]);
        free(z->servers);
}

void trace_cut_free(struct cut *c, bool keep_zone)
{
        if (!keep_zone)
                trace_zone_clear(&c->z);
        strv_free(c->names, c->nnames);
        for (size_t i = 0; i < c->nwants; i++)
                free(c->wants[i].name);
        free(c->wants);
        free(c);
}

/* Glue of a known cut, to start another walk there. */
static size_t cut_glue(const struct cut *c, struct glue **out)
{
        size_t n = 0;
        *out = calloc(c->z.nservers + 1, sizeof(**out));
        for (size_t i = 0; *out && i < c->z.nservers; i++) {
                if (!c->z.servers[i].glue || !c->z.servers[i].addr.family)
                        continue;
                (*out)[n].name = c->z.servers[i].ns_name;
                (*out)[n++].addr = c->z.servers[i].addr;
        }
        return n;
}

/* The deepest cut asked so far that encloses name, NULL for none. */
static struct cut *closest_cut(struct trace *t, const char *name)
{
        struct cut *best = NULL;
        int best_labels = -1;
        for (struct cut *c = t->cuts; c; c = c->next_all) {
                if (c == t->probe || !trace_name_under(name, c->z.zone))
                        continue;
                int labels = trace_name_labels(c->z.zone);
                if (labels > best_labels) {
                        best = c;
                        best_labels = labels;
                }
        }
        return best;
}

static bool chain_has_zone(const struct trace *t, const char *zone)
{
        for (size_t i = 0; i < t->nchain; i++)
                if (trace_name_equal(t->chain[i]->z.zone, zone))
                        return true;
        return false;
}

static int chain_push(struct trace *t, struct cut *c)
{
        struct cut **nc = realloc(t->chain, (t->nchain + 1) * sizeof(*nc));
        if (!nc)
                return -1;
        t->chain = nc;
        nc[t->nchain++] = c;
        c->main = true;
        trace_emit(t, TRACE_EV_ZONE, c, 0, 0);
        return 0;
}

/* The walk goes to a new cut for zone, delegated by parent to ns; NULL
 * when the walk failed. The caller fills it. */
static struct cut *walk_link(struct walk *w, const char *zone, const char *parent, char *const *ns,
                             size_t nns)
{
        struct trace *t = w->t;
        struct cut *c = cut_new(t, w, zone, parent, ns, nns);
        if (!c) {
                walk_fail(w, TRACE_NOT_ASKED, "out of memory");
                return NULL;
        }
        if (w->cut)
                w->cut->child = c;
        w->cut = c;
        c->z.via_cname = w->via_cname;
        if (!w->lookup) {
                c->z.revisit = chain_has_zone(t, zone);
                if (chain_push(t, c) < 0) {
                        walk_fail(w, TRACE_NOT_ASKED, "out of memory");
                        return NULL;
                }
        }
        return c;
}

/* The walk enters a cut: a new one from a referral or a known one again. */
static void walk_enter(struct walk *w, const char *zone, const char *parent, char *const *ns,
                       size_t nns, const struct glue *glue, size_t nglue)
{
        struct cut *c = walk_link(w, zone, parent, ns, nns);
        if (c)
                cut_fill(c, ns, nns, glue, nglue);
}

/* A cut an earlier trace of the run asked, copied into the main walk's
 * chain as if asked: over, with its NS names for later walks from it. */
static struct cut *cut_shared(struct walk *w, const struct share_node *n)
{
        struct trace *t = w->t;
        struct cut *c = calloc(1, sizeof(*c));
        if (!c || trace_zone_copy(&c->z, &n->z) < 0) {
                free(c);
                return NULL;
        }
        c->t = t;
        c->z.shared = true;
        c->node = n;
        c->advanced = true;
        c->next_all = t->cuts;
        t->cuts = c;
        for (size_t i = 0; i < c->z.nservers; i++)
                if (!strv_has_name(c->names, c->nnames, c->z.servers[i].ns_name))
                        strv_push(&c->names, &c->nnames, c->z.servers[i].ns_name);
        if (w->cut)
                w->cut->child = c;
        w->cut = c;
        return chain_push(t, c) < 0 ? NULL : c;
}

/* Starts the main walk below the deepest cut the run's delegation cache
 * holds for its name; false when it holds none. */
static bool walk_start_shared(struct walk *w)
{
        struct trace *t = w->t;
        const struct share_node *path[TRACE_DEFAULT_MAX_DEPTH];
        size_t max = (size_t)t->opts.max_depth < TRACE_DEFAULT_MAX_DEPTH ? (size_t)t->opts.max_depth
                                                                         : TRACE_DEFAULT_MAX_DEPTH;
        size_t n = trace_share_path(t, w->qname, w->qtype, path, max);
        if (n == 0)
                return false;
        for (size_t i = 0; i < n; i++) {
                if (!cut_shared(w, path[i])) {
                        walk_fail(w, TRACE_NOT_ASKED, "out of memory");
                        return true;
                }
        }
        const struct share_node *last = path[n - 1];
        w->depth = (int)n;
        struct cut *c = walk_link(w, last->child, last->z.zone, last->ns, last->nfollowed_ns);
        if (c)
                cut_fill(c, last->ns, last->nns, last->glue, last->nglue);
        return true;
}

static void walk_enter_known(struct walk *w, struct cut *k)
{
        if (!k) {
                walk_enter(w, ".", NULL, w->t->root_ns, w->t->nroot_ns, w->t->root_glue,
                           w->t->nroot_glue);
                return;
        }
        struct glue *glue = NULL;
        size_t nglue = cut_glue(k, &glue);
        walk_enter(w, k->z.zone, k->z.parent, k->names, k->nnames, glue, nglue);
        free(glue);
}

void trace_walk_start(struct walk *w)
{
        if (!w->lookup && w->t->opts.deleg &&
            (trace_share_wait(w->t, w->qname, w->qtype) || walk_start_shared(w)))
                return;
        walk_enter_known(w, w->lookup ? closest_cut(w->t, w->qname) : NULL);
}

struct walk *trace_walk_new(struct trace *t, const char *qname, int qtype, struct lookup *l,
                            int nest)
{
        struct walk *w = calloc(1, sizeof(*w));
        if (!w || !(w->qname = strdup(qname))) {
                free(w);
                return NULL;
        }
        w->t = t;
        w->qtype = qtype;
        w->lookup = l;
        w->nest = nest;
        strv_push(&w->seen, &w->nseen, qname);
        w->next_all = t->walks;
        t->walks = w;
        return w;
}

/* ---------------------------------------------------------------- walks */

static void probe_start(struct trace *t);

static void walk_fail(struct walk *w, enum trace_outcome o, const char *why)
{
        if (w->finished)
                return;
        w->finished = true;
        if (w->lookup) {
                lookup_walk_done(w->lookup, NULL, NULL, 0, why);
                return;
        }
        struct trace_result *res = w->t->res;
        res->final_outcome = o;
        free(res->final_name);
        res->final_name = strdup(w->qname);
        if (w->cut) {
                free(res->final_zone);
                res->final_zone = strdup(w->cut->z.zone);
        }
        probe_start(w->t);
}

static void walk_finish(struct walk *w, struct cut *c, size_t row, const struct trace_reply *r)
{
        w->finished = true;
        if (w->lookup) {
                lookup_walk_done(w->lookup, r, c, row, NULL);
                return;
        }
        struct trace_result *res = w->t->res;
        res->final_outcome = r->outcome;
        for (size_t i = 0; i < r->nanswer; i++)
                strv_push(&res->final, &res->nfinal, r->answer[i]);
        free(res->final_name);
        res->final_name = strdup(r->owner ? r->owner : w->qname);
        free(res->final_zone);
        res->final_zone =
            strdup(r->soa_owner && trace_name_under(res->final_name, r->soa_owner) ? r->soa_owner
                                                                                   : c->z.zone);
        if (r->outcome == TRACE_ANSWER && w->t->event && !w->t->cancelled) {
                struct trace_event ev = {.kind = TRACE_EV_ANSWER,
                                         .qtype = w->qtype,
                                         .final = res->final,
                                         .nfinal = res->nfinal};
                w->t->event(w->t->arg, &ev);
        }
        probe_start(w->t);
}

static void cname_loop_finding(struct walk *w, const char *target)
{
        char *chain = strv_join(w->seen, w->nseen, " -> ");
        findings_add(&w->t->res->findings, FINDING_CNAME_LOOP,
                     "The CNAME chain comes back to a name it already passed, so the PTR can "
                     "never be found. Whoever runs the zone of the last CNAME (for RFC 2317, "
                     "the customer's classless zone, or the IP block holder's /24) must point "
                     "it at the name that holds the PTR, or replace it with the PTR itself.",
                     "the CNAME chain loops: %s -> %s (zone %s)", chain ? chain : "?", target,
                     w->cut ? w->cut->z.zone : "?");
        free(chain);
}

static bool walk_deeper(struct walk *w)
{
        struct trace *t = w->t;
        if (++w->depth <= t->opts.max_depth)
                return true;
        trace_limit(t, LIMIT_DEPTH, "%s: more than %d zone cuts and CNAMEs", w->qname,
                    t->opts.max_depth);
        walk_fail(w, TRACE_NOT_ASKED, "too deep");
        return false;
}

/* The CNAME's target: from the delegation that came with it (classless
 * zones), else from the closest cut known. */
static void walk_follow_cname(struct walk *w, const struct cut *c, const struct trace_reply *r)
{
        const char *target = r->cname;
        struct trace *t = w->t;
        if (strv_has_name(w->seen, w->nseen, target)) {
                cname_loop_finding(w, target);
                walk_fail(w, TRACE_SERVFAIL, TRACE_WHY_CNAME_LOOP);
                return;
        }
        if (!walk_deeper(w))
                return;
        strv_push(&w->seen, &w->nseen, target);
        free(w->qname);
        w->qname = strdup(target);
        w->via_cname = true;
        if (r->referral && trace_name_under(target, r->referral)) {
                if (walk_deeper(w))
                        walk_enter(w, r->referral, c->z.zone, r->ns, r->nns, r->glue, r->nglue);
                return;
        }
        walk_enter_known(w, closest_cut(t, target));
}

static void walk_descend(struct walk *w, struct cut *c, const struct trace_reply *r)
{
        if (walk_deeper(w))
                walk_enter(w, r->referral, c->z.zone, r->ns, r->nns, r->glue, r->nglue);
}

/* Once a walk moved on, a lookup's other queries at that cut are noise. */
static void cut_drop_queries(struct cut *c)
{
        struct tquery *q = c->t->qhead;
        while (q) {
                struct tquery *next = q->next;
                if (q->cut == c)
                        trace_query_free(q);
                q = next;
        }
}

/* The main walk ended at c on a "does not exist" from one server. */
static bool walk_denied_at(const struct walk *w, const struct cut *c)
{
        const struct trace_result *res = w->t->res;
        return !w->lookup && w->finished && w->cut == c && !c->child &&
               (res->final_outcome == TRACE_NXDOMAIN || res->final_outcome == TRACE_NODATA);
}

/* Another server of the same cut delegates the name the first one denied:
 * follow the delegation, where the record may exist (resolvers asking that
 * server find it). The disagreement itself is a finding. */
static void walk_resume(struct walk *w, struct cut *c, size_t row, const struct trace_reply *r)
{
        struct trace_result *res = w->t->res;
        strv_free(res->final, res->nfinal);
        res->final = NULL;
        res->nfinal = 0;
        res->final_outcome = TRACE_PENDING;
        w->finished = false;
        c->z.followed = (int)row;
        walk_descend(w, c, r);
}

static void walk_on_reply(struct cut *c, size_t row, const struct trace_reply *r)
{
        struct walk *w = c->w;
        if (!w || !trace_outcome_good(r->outcome))
                return;
        if (c->advanced || w->finished || w->cut != c) {
                /* A later referral to the same child (or a CNAME with it) may
                 * name other servers. */
                if ((r->outcome == TRACE_REFERRAL || r->cname) && r->referral && c->child &&
                    c->child->main && trace_name_equal(r->referral, c->child->z.zone))
                        cut_fill(c->child, r->ns, r->nns, r->glue, r->nglue);
                else if (r->outcome == TRACE_REFERRAL && walk_denied_at(w, c))
                        walk_resume(w, c, row, r);
                return;
        }
        c->advanced = true;
        c->z.followed = (int)row;
        if (w->lookup)
                cut_drop_queries(c);
        if (r->outcome == TRACE_REFERRAL) {
                walk_descend(w, c, r);
        } else if (r->cname_loop) {
                cname_loop_finding(w, r->owner ? r->owner : "?");
                walk_fail(w, TRACE_SERVFAIL, TRACE_WHY_CNAME_LOOP);
        } else if (r->outcome == TRACE_ANSWER && !r->nanswer && r->cname) {
                walk_follow_cname(w, c, r);
        } else {
                walk_finish(w, c, row, r);
        }
}

static bool cut_all_no_address(const struct cut *c)
{
        for (size_t i = 0; i < c->z.nservers; i++)
                if (c->z.servers[i].outcome != TRACE_NO_ADDRESS)
                        return false;
        return c->z.nservers > 0;
}

/* Why no server of the cut answered: a server that replied badly makes it
 * SERVFAIL; else one that stayed silent a timeout; else (every server
 * refused the connection or could not be reached) unreachable. */
static enum trace_outcome cut_failure(const struct cut *c)
{
        if (cut_all_no_address(c))
                return TRACE_NO_ADDRESS;
        bool timeout = false;
        for (size_t i = 0; i < c->z.nservers; i++) {
                enum trace_outcome o = c->z.servers[i].outcome;
                if (o == TRACE_TIMEOUT || o == TRACE_NOT_ASKED)
                        timeout = true;
                else if (o != TRACE_UNREACHABLE && o != TRACE_NO_ADDRESS)
                        return TRACE_SERVFAIL;
        }
        return timeout ? TRACE_TIMEOUT : TRACE_UNREACHABLE;
}

/* A cut whose servers all failed ends its walk; one that only waits for
 * addresses that wait on the walk itself is a glueless cycle. */
static void cut_check_blocked(struct cut *c)
{
        struct walk *w = c->w;
        if (c->filling || c->advanced || !w || w->finished || w->cut != c || cut_pending(c))
                return;
        char why[300];
        if (c->nwants == 0) {
                /* Passing the reason on keeps a cycle or limit the cause of record. */
                if (c->t->aborted) /* our deadline, not the servers: blame none */
                        snprintf(why, sizeof(why), "no server of %s answered before %s", c->z.zone,
                                 TRACE_WHY_DEADLINE);
                else if (cut_all_no_address(c) && c->z.servers[0].error)
                        snprintf(why, sizeof(why), "no server of %s has an address: %s", c->z.zone,
                                 c->z.servers[0].error);
                else
                        snprintf(why, sizeof(why), "no server of %s gave a usable answer",
                                 c->z.zone);
                walk_fail(w, cut_failure(c), why);
                return;
        }
        char path[1000] = "";
        c->t->gen++;
        if (cut_waits_on(c, w, path, sizeof(path))) {
                cycle_finding(c->t, path);
                snprintf(why, sizeof(why), TRACE_WHY_CYCLE " through %s", c->z.zone);
                walk_fail(w, TRACE_NO_ADDRESS, why);
        }
}

/* --------------------------------------------------------- the --expect-ns probe */

/* When the zone is not delegated to the servers the user expected, those
 * servers are asked too: do they hold the record nobody will ask them for? */
static void probe_start(struct trace *t)
{
        struct cut *last = t->nchain ? t->chain[t->nchain - 1] : NULL;
        if (!t->nexpect || t->probe || t->aborted || !last)
                return;
        for (size_t i = 0; i < t->nexpect; i++)
                if (strv_has_name(last->names, last->nnames, t->expect[i]))
                        return;
        const char *zone = t->res->final_zone ? t->res->final_zone : last->z.zone;
        struct cut *c = cut_new(t, NULL, zone, NULL, t->expect, t->nexpect);
        if (!c)
                return;
        t->probe = c;
        trace_emit(t, TRACE_EV_ZONE, c, 0, 0);
        cut_fill(c, t->expect, t->nexpect, NULL, 0);
}

void trace_row_name_done(struct cut *c, size_t i, const struct qresult *qr, int qtype)
{
        struct trace_server *s = &c->z.servers[i];
        const struct trace_reply *r = qr->reply;
        s->outcome = qr->outcome;
        s->local = qr->local;
        s->tcp = qr->tcp;
        s->rtt_ms = qr->rtt;
        s->tries = qr->tries;
        s->reply_bytes = qr->bytes;
        free(s->error);
        s->error = trace_dup(qr->why);
        free(s->ignored);
        s->ignored = trace_dup(qr->ignored);
        if (r && r->outcome == TRACE_REFERRAL && r->ttl < c->ref_ttl)
                c->ref_ttl = r->ttl;
        if (r) {
                s->rcode = r->rcode;
                s->aa = r->aa;
                s->referral = trace_dup(r->referral);
                for (size_t k = 0; k < r->nns; k++)
                        strv_push(&s->referral_ns, &s->nreferral_ns, r->ns[k]);
                for (size_t k = 0; k < r->nanswer; k++)
                        strv_push(&s->answer, &s->nanswer, r->answer[k]);
                s->cname = trace_dup(r->cname);
                s->reply_text = trace_dup(r->text);
        }
        trace_emit(c->t, TRACE_EV_REPLY, c, i, qtype);
        if (r)
                walk_on_reply(c, i, r);
        cut_check_blocked(c);
}

void trace_row_apex_done(struct cut *c, size_t i, const struct qresult *qr, int qtype)
{
        struct trace_server *s = &c->z.servers[i];
        const struct trace_reply *r = qr->reply;
        bool answered = r && r->outcome == TRACE_ANSWER;
        if (qtype == LDNS_RR_TYPE_SOA) {
                s->soa_outcome = qr->outcome;
                if (answered && r->has_serial) {
                        s->has_serial = true;
                        s->serial = r->serial;
                }
        } else if (answered && !s->has_apex_ns) {
                s->has_apex_ns = true;
                for (size_t k = 0; k < r->nanswer; k++)
                        strv_push(&s->apex_ns, &s->napex_ns, r->answer[k]);
        }
        trace_emit(c->t, TRACE_EV_REPLY, c, i, qtype);
        /* Resolvers that trust the zone's own NS set ask those servers too. */
        if (answered && qtype == LDNS_RR_TYPE_NS && c->main)
                cut_fill(c, r->answer, r->nanswer, NULL, 0);
}
