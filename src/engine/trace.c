/* trace: walks from the root down the delegation, one cut at a time. A
 * walk asks every server of a cut at once and moves on at the first good
 * reply; the rest fill the table. Glueless NS names are resolved by walks
 * of their own (lookups, cached per trace), never by a system resolver, so
 * the lab and the real world behave the same. Every query ends by reply,
 * error or timeout, and the trace ends when none is left: no hang. */
#include "trace_int.h"

#include <ldns/ldns.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "ptrwiz/hostname.h"

/* Which TRACE_LIMIT findings were given (each once). */
enum limit_kind {
        LIMIT_QUERIES = 1,
        LIMIT_DEPTH = 2,
        LIMIT_NS = 4,
        LIMIT_LOOKUPS = 8,
        LIMIT_DEADLINE = 16,
};

struct want {
        char *name;
        struct lookup *l;
};

struct cut {
        struct trace_zone z; /* the public part; handed to the result at the end */
        struct trace *t;
        struct walk *w; /* the walk asking it; NULL for the --expect-ns probe */
        struct cut *next_all;
        struct cut *child; /* where the walk went from here */
        size_t cap;        /* of z.servers */
        char **names;      /* NS names asked: the referral's, plus later ones */
        size_t nnames;
        struct want *wants; /* NS names still waiting for an address */
        size_t nwants;
        int nlookups;
        size_t inflight; /* its queries queued or in flight */
        bool advanced, main, filling;
};

struct walk {
        struct trace *t;
        struct walk *next_all;
        char *qname;
        int qtype;
        struct lookup *lookup; /* NULL: the main walk */
        struct cut *cut;       /* the cut being asked */
        char **seen;           /* names followed so far, for CNAME loops */
        size_t nseen;
        int depth, nest;
        bool finished, via_cname;
};

struct lookup {
        struct trace *t;
        struct lookup *next_all;
        char *name;
        struct walk *w; /* resolving the A record; NULL once over */
        struct addr addrs[TRACE_MAX_ADDRS_PER_NS];
        size_t naddrs;
        int pending;  /* the walk and its AAAA query */
        uint32_t ttl; /* the smallest TTL of its addresses */
        bool done, cached;
        char *error;
        struct cut **waiters;
        size_t nwaiters;
        unsigned mark;
};

struct trace {
        struct loop *lp;
        struct trace_opts opts;
        char **expect; /* --expect-ns, canonical */
        size_t nexpect;
        trace_event_cb event;
        trace_done_cb done;
        void *arg;
        struct trace_result *res;
        struct cut *cuts;   /* every cut, newest first */
        struct cut **chain; /* the main walk's cuts, in order */
        size_t nchain;
        struct cut *probe;
        struct walk *walks, *main;
        struct lookup *lookups;
        int nlookups, nx_lookups;
        struct tquery *qhead, *qtail;
        size_t inflight, queued;
        uint64_t created;
        char **root_ns;
        size_t nroot_ns;
        struct glue *root_glue;
        size_t nroot_glue;
        long kick, pump, deadline;
        int busy;
        unsigned gen, limits;
        bool cancelled, aborted;
        int64_t started;
};

/* What a finished query gave, copied out before the query is freed. */
struct qresult {
        enum trace_outcome outcome;
        bool local, tcp;
        const char *why;
        struct trace_reply *reply; /* NULL on timeout or error */
        size_t bytes;
        int64_t rtt;
};

static void cut_check_blocked(struct cut *c);
static void cut_fill(struct cut *c, char *const *ns, size_t nns, const struct glue *glue,
                     size_t nglue);
static void walk_fail(struct walk *w, enum trace_outcome o, const char *why);
static void lookup_end(struct lookup *l);

/* ---------------------------------------------------------------- basics */

static char *dup_or_null(const char *s)
{
        return s ? strdup(s) : NULL;
}

const char *trace_outcome_name(enum trace_outcome o)
{
        static const char *const names[] = {
            [TRACE_PENDING] = "pending",         [TRACE_REFERRAL] = "referral",
            [TRACE_ANSWER] = "answer",           [TRACE_NODATA] = "nodata",
            [TRACE_NXDOMAIN] = "nxdomain",       [TRACE_LAME] = "lame",
            [TRACE_REFUSED] = "refused",         [TRACE_SERVFAIL] = "servfail",
            [TRACE_FORMERR] = "formerr",         [TRACE_TIMEOUT] = "timeout",
            [TRACE_UNREACHABLE] = "unreachable", [TRACE_MALFORMED] = "malformed",
            [TRACE_NO_ADDRESS] = "no-address",   [TRACE_NOT_ASKED] = "not-asked",
        };
        return (unsigned)o < sizeof(names) / sizeof(names[0]) ? names[o] : "?";
}

bool trace_outcome_good(enum trace_outcome o)
{
        return o == TRACE_REFERRAL || o == TRACE_ANSWER || o == TRACE_NODATA || o == TRACE_NXDOMAIN;
}

int trace_timeout_ms(const struct trace *t)
{
        return t->opts.timeout_ms;
}

int trace_port(const struct trace *t)
{
        return t->opts.port;
}

struct loop *trace_loop(const struct trace *t)
{
        return t->lp;
}

void trace_count_sent(struct trace *t)
{
        t->res->queries++;
}

void trace_count_ignored(struct trace *t)
{
        t->res->ignored++;
}

size_t trace_in_flight(const struct trace *t)
{
        return t->inflight + t->queued;
}

static uint16_t random_id(void)
{
        uint16_t id;
        if (getrandom(&id, sizeof(id), 0) != sizeof(id))
                id = (uint16_t)rand();
        return id;
}

/* The result's zone list is a view of the main walk's cuts. */
static void sync_view(struct trace *t)
{
        struct trace_result *res = t->res;
        struct trace_zone *nz = realloc(res->zones, (t->nchain ? t->nchain : 1) * sizeof(*nz));
        if (!nz)
                return;
        res->zones = nz;
        for (size_t i = 0; i < t->nchain; i++)
                nz[i] = t->chain[i]->z;
        res->nzones = t->nchain;
        res->probe = t->probe ? &t->probe->z : NULL;
}

static bool cut_public(const struct cut *c)
{
        return c->main || c == c->t->probe;
}

static void emit(struct trace *t, enum trace_event_kind kind, const struct cut *c, size_t row,
                 int qtype)
{
        if (!t->event || t->cancelled || (c && !cut_public(c)))
                return;
        sync_view(t);
        struct trace_event ev = {.kind = kind, .qtype = qtype};
        ev.zone = c ? &c->z : NULL;
        ev.server = c && row < c->z.nservers ? &c->z.servers[row] : NULL;
        t->event(t->arg, &ev);
}

static void limit_finding(struct trace *t, enum limit_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void limit_finding(struct trace *t, enum limit_kind kind, const char *fmt, ...)
{
        if (t->limits & kind)
                return;
        t->limits |= kind;
        char msg[400];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        findings_add(&t->res->findings, FINDING_TRACE_LIMIT,
                     "ptrwiz stopped early so that a broken delegation cannot make it hang or "
                     "flood servers. If servers are only slow, run again with a larger --timeout "
                     "or --deadline; otherwise the limit points at the fault (very long chains "
                     "of delegations or CNAMEs are themselves a problem for resolvers).",
                     "%s", msg);
}

/* --------------------------------------------------------------- queries */

static void pump_cb(void *arg);

static void schedule_pump(struct trace *t)
{
        if (!t->pump && t->queued)
                t->pump = loop_timer_add(t->lp, 0, pump_cb, t);
}

static void query_unlink(struct tquery *q)
{
        struct trace *t = q->t;
        if (q->prev)
                q->prev->next = q->next;
        else
                t->qhead = q->next;
        if (q->next)
                q->next->prev = q->prev;
        else
                t->qtail = q->prev;
        if (q->state == QS_QUEUED)
                t->queued--;
        else
                t->inflight--;
        if (q->cut)
                q->cut->inflight--;
}

/* Removes a query without recording anything. */
static void query_free(struct tquery *q)
{
        trace_net_stop(q);
        query_unlink(q);
        free(q->qname);
        free(q->zone);
        free(q->wire);
        free(q->buf);
        free(q);
}

static struct tquery *query_new(struct trace *t, enum query_purpose purpose, struct cut *c,
                                size_t row, const char *qname, int qtype, const char *zone,
                                const struct addr *addr)
{
        if (t->aborted)
                return NULL;
        if (t->created >= (uint64_t)t->opts.max_queries) {
                limit_finding(t, LIMIT_QUERIES,
                              "the trace reached its limit of %d queries; some servers were not "
                              "asked",
                              t->opts.max_queries);
                return NULL;
        }
        struct tquery *q = calloc(1, sizeof(*q));
        if (!q)
                return NULL;
        q->t = t;
        q->purpose = purpose;
        q->cut = c;
        q->row = row;
        q->qname = strdup(qname);
        q->qtype = qtype;
        q->zone = strdup(zone);
        q->addr = *addr;
        q->id = random_id();
        q->edns = true;
        q->fd = -1;
        q->state = QS_QUEUED;
        if (!q->qname || !q->zone ||
            trace_msg_query(qname, qtype, q->id, true, &q->wire, &q->wlen) < 0) {
                free(q->qname);
                free(q->zone);
                free(q->wire);
                free(q);
                return NULL;
        }
        q->prev = t->qtail;
        if (t->qtail)
                t->qtail->next = q;
        else
                t->qhead = q;
        t->qtail = q;
        t->queued++;
        t->created++;
        if (c)
                c->inflight++;
        schedule_pump(t);
        return q;
}

static struct tquery *first_queued(struct trace *t)
{
        for (struct tquery *q = t->qhead; q; q = q->next)
                if (q->state == QS_QUEUED)
                        return q;
        return NULL;
}

/* Sends queued queries from the loop, never from inside the code that
 * queued them: a send that fails at once then cannot re-enter a walk
 * half-way through a change. */
static void pump_cb(void *arg)
{
        struct trace *t = arg;
        trace_enter(t);
        t->pump = 0;
        struct tquery *q;
        while (!t->cancelled && t->inflight < TRACE_MAX_SOCKETS && (q = first_queued(t))) {
                t->queued--;
                t->inflight++;
                q->state = QS_UDP;
                if (q->cut)
                        emit(t, TRACE_EV_SENT, q->cut, q->row, q->qtype);
                trace_net_send(q); /* may end the query at once */
        }
        trace_leave(t);
}

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
        return cut_public(c) && !c->z.infra && !c->z.revisit;
}

static void row_start(struct cut *c, size_t i)
{
        struct trace *t = c->t;
        const char *qname = c->z.qname;
        int qtype = c->w ? c->w->qtype : LDNS_RR_TYPE_PTR;
        struct addr a = c->z.servers[i].addr;
        if (!query_new(t, QP_NAME, c, i, qname, qtype, c->z.zone, &a)) {
                struct trace_server *s = &c->z.servers[i];
                s->outcome = TRACE_NOT_ASKED;
                free(s->error);
                s->error = strdup(t->aborted ? "not asked: " TRACE_WHY_DEADLINE " passed"
                                             : "not asked: " TRACE_WHY_LIMIT " (queries)");
                return;
        }
        if (cut_wants_apex(c)) {
                query_new(t, QP_SOA, c, i, c->z.zone, LDNS_RR_TYPE_SOA, c->z.zone, &a);
                query_new(t, QP_NS, c, i, c->z.zone, LDNS_RR_TYPE_NS, c->z.zone, &a);
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
        s->error = dup_or_null(why);
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
                emit(c->t, TRACE_EV_REPLY, c, i, 0);
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
                l->error = strdup("the name does not exist (NXDOMAIN)");
        } else if (!r && why && !l->error) {
                l->error = strdup(why);
        }
        if (r && (r->outcome == TRACE_ANSWER || r->outcome == TRACE_NODATA) && c) {
                const char *owner = r->owner ? r->owner : c->z.qname;
                struct tquery *q = query_new(t, QP_AAAA, NULL, 0, owner, LDNS_RR_TYPE_AAAA,
                                             c->z.zone, &c->z.servers[row].addr);
                if (q) {
                        q->lookup = l;
                        l->pending++;
                }
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
        findings_add(&t->res->findings, FINDING_DELEGATION_LOOP,
                     "Each of these zones is delegated only to a name server inside the other "
                     "one, without glue, so no resolver can find any of their addresses. The "
                     "operator of one of the zones must add a name server whose address can be "
                     "found (with glue at its parent), or its parent's operator must add glue.",
                     TRACE_WHY_CYCLE ": %s, and so on", path);
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

static struct walk *walk_new(struct trace *t, const char *qname, int qtype, struct lookup *l,
                             int nest);
static void walk_start(struct walk *w);

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
                        limit_finding(t, LIMIT_LOOKUPS, "%s was not resolved: %s", name, limit);
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
                l->w = walk_new(t, name, LDNS_RR_TYPE_A, l, nest);
                if (l->w)
                        walk_start(l->w);
                else
                        lookup_walk_done(l, NULL, NULL, 0, "out of memory");
        }
}

static void cut_add_ns(struct cut *c, const char *name, const struct glue *glue, size_t nglue)
{
        if (strv_has_name(c->names, c->nnames, name))
                return;
        if (c->nnames >= TRACE_MAX_NS) {
                limit_finding(c->t, LIMIT_NS,
                              "%s has more than %d NS names; only the first %d were asked",
                              c->z.zone, TRACE_MAX_NS, TRACE_MAX_NS);
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
        c->z.parent = dup_or_null(parent);
        c->z.followed = -1;
        c->z.infra = trace_zone_is_infra(zone);
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
}

static void zone_clear(struct trace_zone *z)
{
        free(z->zone);
        free(z->qname);
        free(z->parent);
        strv_free(z->parent_ns, z->nparent_ns);
        for (size_t i = 0; i < z->nservers; i++)
                server_clear(&z->servers[i]);
        free(z->servers);
}

static void cut_free(struct cut *c, bool keep_zone)
{
        if (!keep_zone)
                zone_clear(&c->z);
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

/* The walk enters a cut: a new one from a referral or a known one again. */
static void walk_enter(struct walk *w, const char *zone, const char *parent, char *const *ns,
                       size_t nns, const struct glue *glue, size_t nglue)
{
        struct trace *t = w->t;
        bool main = !w->lookup;
        struct cut *c = cut_new(t, w, zone, parent, ns, nns);
        if (!c) {
                walk_fail(w, TRACE_NOT_ASKED, "out of memory");
                return;
        }
        if (w->cut)
                w->cut->child = c;
        w->cut = c;
        c->z.via_cname = w->via_cname;
        if (main) {
                c->z.revisit = chain_has_zone(t, zone);
                struct cut **nc = realloc(t->chain, (t->nchain + 1) * sizeof(*nc));
                if (!nc) {
                        walk_fail(w, TRACE_NOT_ASKED, "out of memory");
                        return;
                }
                t->chain = nc;
                nc[t->nchain++] = c;
                c->main = true;
                emit(t, TRACE_EV_ZONE, c, 0, 0);
        }
        cut_fill(c, ns, nns, glue, nglue);
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

static void walk_start(struct walk *w)
{
        walk_enter_known(w, w->lookup ? closest_cut(w->t, w->qname) : NULL);
}

static struct walk *walk_new(struct trace *t, const char *qname, int qtype, struct lookup *l,
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

static void walk_follow_cname(struct walk *w, const char *target)
{
        struct trace *t = w->t;
        if (strv_has_name(w->seen, w->nseen, target)) {
                cname_loop_finding(w, target);
                walk_fail(w, TRACE_SERVFAIL, "CNAME loop");
                return;
        }
        if (++w->depth > t->opts.max_depth) {
                limit_finding(t, LIMIT_DEPTH, "%s: more than %d zone cuts and CNAMEs", w->qname,
                              t->opts.max_depth);
                walk_fail(w, TRACE_NOT_ASKED, "too deep");
                return;
        }
        strv_push(&w->seen, &w->nseen, target);
        free(w->qname);
        w->qname = strdup(target);
        w->via_cname = true;
        walk_enter_known(w, closest_cut(t, target));
}

static void walk_descend(struct walk *w, struct cut *c, const struct trace_reply *r)
{
        struct trace *t = w->t;
        if (++w->depth > t->opts.max_depth) {
                limit_finding(t, LIMIT_DEPTH, "%s: more than %d zone cuts and CNAMEs", w->qname,
                              t->opts.max_depth);
                walk_fail(w, TRACE_NOT_ASKED, "too deep");
                return;
        }
        walk_enter(w, r->referral, c->z.zone, r->ns, r->nns, r->glue, r->nglue);
}

/* Once a walk moved on, a lookup's other queries at that cut are noise. */
static void cut_drop_queries(struct cut *c)
{
        struct tquery *q = c->t->qhead;
        while (q) {
                struct tquery *next = q->next;
                if (q->cut == c)
                        query_free(q);
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
                /* A later referral to the same child may name other servers. */
                if (r->outcome == TRACE_REFERRAL && c->child && c->child->main &&
                    trace_name_equal(r->referral, c->child->z.zone))
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
                walk_fail(w, TRACE_SERVFAIL, "CNAME loop");
        } else if (r->outcome == TRACE_ANSWER && !r->nanswer && r->cname) {
                walk_follow_cname(w, r->cname);
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

static enum trace_outcome cut_failure(const struct cut *c)
{
        if (cut_all_no_address(c))
                return TRACE_NO_ADDRESS;
        for (size_t i = 0; i < c->z.nservers; i++) {
                enum trace_outcome o = c->z.servers[i].outcome;
                if (o != TRACE_TIMEOUT && o != TRACE_UNREACHABLE && o != TRACE_NO_ADDRESS &&
                    o != TRACE_NOT_ASKED)
                        return TRACE_SERVFAIL;
        }
        return TRACE_TIMEOUT;
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
                if (cut_all_no_address(c) && c->z.servers[0].error)
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
        emit(t, TRACE_EV_ZONE, c, 0, 0);
        cut_fill(c, t->expect, t->nexpect, NULL, 0);
}

/* -------------------------------------------------------- finished queries */

static void row_name_done(struct cut *c, size_t i, const struct qresult *qr, int qtype)
{
        struct trace_server *s = &c->z.servers[i];
        const struct trace_reply *r = qr->reply;
        s->outcome = qr->outcome;
        s->local = qr->local;
        s->tcp = qr->tcp;
        s->rtt_ms = qr->rtt;
        s->reply_bytes = qr->bytes;
        free(s->error);
        s->error = dup_or_null(qr->why);
        if (r) {
                s->rcode = r->rcode;
                s->aa = r->aa;
                s->referral = dup_or_null(r->referral);
                for (size_t k = 0; k < r->nns; k++)
                        strv_push(&s->referral_ns, &s->nreferral_ns, r->ns[k]);
                for (size_t k = 0; k < r->nanswer; k++)
                        strv_push(&s->answer, &s->nanswer, r->answer[k]);
                s->cname = dup_or_null(r->cname);
                s->reply_text = dup_or_null(r->text);
        }
        emit(c->t, TRACE_EV_REPLY, c, i, qtype);
        if (r)
                walk_on_reply(c, i, r);
        cut_check_blocked(c);
}

static void row_apex_done(struct cut *c, size_t i, const struct qresult *qr, int qtype)
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
        emit(c->t, TRACE_EV_REPLY, c, i, qtype);
        /* Resolvers that trust the zone's own NS set ask those servers too. */
        if (answered && qtype == LDNS_RR_TYPE_NS && c->main)
                cut_fill(c, r->answer, r->nanswer, NULL, 0);
}

static void query_complete(struct tquery *q, const struct qresult *qr)
{
        enum query_purpose purpose = q->purpose;
        struct cut *c = q->cut;
        size_t row = q->row;
        struct lookup *l = q->lookup;
        int qtype = q->qtype;
        query_free(q);
        switch (purpose) {
        case QP_NAME:
                row_name_done(c, row, qr, qtype);
                break;
        case QP_SOA:
        case QP_NS:
                row_apex_done(c, row, qr, qtype);
                break;
        case QP_AAAA:
                if (qr->reply && qr->reply->outcome == TRACE_ANSWER)
                        lookup_add_answers(l, qr->reply);
                lookup_end(l);
                break;
        }
}

static int64_t query_rtt(const struct tquery *q)
{
        return q->sent_ms ? loop_now_ms() - q->sent_ms : 0;
}

void trace_query_fail(struct tquery *q, enum trace_outcome o, bool local, const char *why)
{
        struct qresult qr = {.outcome = o, .local = local, .why = why, .rtt = query_rtt(q)};
        qr.tcp = q->state >= QS_TCP_CONNECT && q->state <= QS_TCP_READ;
        query_complete(q, &qr);
}

/* FORMERR to an EDNS query: an old server; ask once more without EDNS. */
static bool retry_without_edns(struct tquery *q)
{
        uint8_t *wire = NULL;
        size_t len = 0;
        uint16_t id = random_id();
        if (trace_msg_query(q->qname, q->qtype, id, false, &wire, &len) < 0)
                return false;
        trace_net_stop(q);
        free(q->wire);
        q->wire = wire;
        q->wlen = len;
        q->id = id;
        q->edns = false;
        trace_net_send(q);
        return true;
}

bool trace_query_got(struct tquery *q, const uint8_t *wire, size_t len)
{
        bool udp = q->state == QS_UDP;
        struct trace_reply r;
        trace_msg_classify(wire, len, q->qname, q->qtype, q->id, q->zone, &r);
        if (r.status == MSG_MISMATCH && udp) {
                trace_reply_clear(&r);
                trace_count_ignored(q->t);
                return false; /* not ours: keep waiting for the real one */
        }
        if (r.status == MSG_TRUNCATED && udp) {
                trace_reply_clear(&r);
                trace_net_tcp(q);
                return true;
        }
        if (r.status == MSG_OK && r.outcome == TRACE_FORMERR && q->edns && udp &&
            retry_without_edns(q)) {
                trace_reply_clear(&r);
                return true;
        }
        struct qresult qr = {.tcp = !udp, .bytes = len, .rtt = query_rtt(q)};
        if (r.status == MSG_OK) {
                qr.outcome = r.outcome;
                qr.why = r.why;
                qr.reply = &r;
        } else {
                qr.outcome = TRACE_MALFORMED;
                qr.why = r.why                       ? r.why
                         : r.status == MSG_TRUNCATED ? "truncated (TC=1) even over TCP"
                                                     : "a TCP reply that does not match the query";
        }
        query_complete(q, &qr);
        trace_reply_clear(&r);
        return true;
}

/* ------------------------------------------------------------- the trace */

static void deadline_cb(void *arg)
{
        struct trace *t = arg;
        t->deadline = 0;
        trace_enter(t);
        t->aborted = true;
        limit_finding(t, LIMIT_DEADLINE,
                      "the trace's deadline of %d ms passed; the servers still being asked "
                      "were given up",
                      t->opts.deadline_ms);
        struct tquery *q;
        while ((q = t->qhead)) {
                struct qresult qr = {.why = "no reply before " TRACE_WHY_DEADLINE,
                                     .rtt = query_rtt(q)};
                qr.outcome = q->state == QS_QUEUED ? TRACE_NOT_ASKED : TRACE_TIMEOUT;
                query_complete(q, &qr);
        }
        trace_leave(t);
}

static void kick_cb(void *arg)
{
        struct trace *t = arg;
        t->kick = 0;
        trace_enter(t);
        walk_start(t->main);
        trace_leave(t);
}

static void trace_destroy(struct trace *t, bool result_taken)
{
        if (t->kick)
                loop_timer_cancel(t->lp, t->kick);
        if (t->pump)
                loop_timer_cancel(t->lp, t->pump);
        if (t->deadline)
                loop_timer_cancel(t->lp, t->deadline);
        while (t->qhead)
                query_free(t->qhead);
        while (t->cuts) {
                struct cut *c = t->cuts;
                t->cuts = c->next_all;
                cut_free(c, result_taken && (c->main || c == t->probe));
        }
        while (t->walks) {
                struct walk *w = t->walks;
                t->walks = w->next_all;
                free(w->qname);
                strv_free(w->seen, w->nseen);
                free(w);
        }
        while (t->lookups) {
                struct lookup *l = t->lookups;
                t->lookups = l->next_all;
                free(l->name);
                free(l->error);
                free(l->waiters);
                free(l);
        }
        if (!result_taken && t->res) {
                /* The zones are views of the cuts freed above. */
                free(t->res->zones);
                t->res->zones = NULL;
                t->res->nzones = 0;
                t->res->probe = NULL;
                trace_result_free(t->res);
        }
        strv_free(t->expect, t->nexpect);
        strv_free(t->root_ns, t->nroot_ns);
        for (size_t i = 0; i < t->nroot_glue; i++)
                free(t->root_glue[i].name);
        free(t->root_glue);
        free(t->chain);
        free(t);
}

static void trace_finish(struct trace *t)
{
        struct trace_result *res = t->res;
        struct walk *w = t->main;
        if (!w->finished) {
                w->finished = true;
                res->final_outcome = t->aborted ? TRACE_TIMEOUT : TRACE_SERVFAIL;
                res->final_name = dup_or_null(w->qname);
        }
        res->elapsed_ms = loop_now_ms() - t->started;
        res->complete = !t->limits;
        sync_view(t);
        trace_find_zones(res, t->expect, t->nexpect);
        emit(t, TRACE_EV_DONE, NULL, 0, 0);
        res->probe = NULL;
        if (t->probe) {
                res->probe = malloc(sizeof(*res->probe));
                if (res->probe)
                        *res->probe = t->probe->z;
                else
                        zone_clear(&t->probe->z);
        }
        trace_done_cb done = t->done;
        void *arg = t->arg;
        trace_destroy(t, true);
        done(arg, res);
}

void trace_enter(struct trace *t)
{
        t->busy++;
}

void trace_leave(struct trace *t)
{
        if (--t->busy > 0)
                return;
        if (t->cancelled)
                trace_destroy(t, false);
        else if (t->kick || t->inflight || t->queued)
                schedule_pump(t);
        else
                trace_finish(t);
}

static int set_expect(struct trace *t, const struct trace_opts *o, char *err, size_t errlen)
{
        for (int i = 0; i < o->nexpect_ns; i++) {
                char name[300], why[300];
                if (hostname_to_alabels(o->expect_ns[i], name, sizeof(name), why, sizeof(why)) <
                    0) {
                        snprintf(err, errlen, "--expect-ns: %s", why);
                        return -1;
                }
                if (strv_push(&t->expect, &t->nexpect, name) < 0) {
                        snprintf(err, errlen, "out of memory");
                        return -1;
                }
        }
        return 0;
}

static void set_defaults(struct trace_opts *o)
{
        if (o->timeout_ms <= 0)
                o->timeout_ms = TRACE_DEFAULT_TIMEOUT_MS;
        if (o->deadline_ms <= 0)
                o->deadline_ms = TRACE_DEFAULT_DEADLINE_MS;
        if (o->max_queries <= 0)
                o->max_queries = TRACE_DEFAULT_MAX_QUERIES;
        if (o->max_depth <= 0)
                o->max_depth = TRACE_DEFAULT_MAX_DEPTH;
        if (o->port <= 0)
                o->port = 53;
        o->root_hints = NULL; /* read once, below */
        o->expect_ns = NULL;
        o->nexpect_ns = 0;
}

struct trace *trace_start(struct loop *lp, const char *qname, int qtype,
                          const struct trace_opts *opts, trace_event_cb event, trace_done_cb done,
                          void *arg, char *err, size_t errlen)
{
        struct trace *t = calloc(1, sizeof(*t));
        struct trace_result *res = calloc(1, sizeof(*res));
        if (!t || !res) {
                free(t);
                free(res);
                snprintf(err, errlen, "out of memory");
                return NULL;
        }
        t->lp = lp;
        t->res = res;
        t->event = event;
        t->done = done;
        t->arg = arg;
        t->opts = *opts;
        set_defaults(&t->opts);
        res->qtype = qtype;
        res->final_outcome = TRACE_PENDING;
        res->qname = trace_name_canon(qname);
        if (!res->qname) {
                snprintf(err, errlen, "not a domain name");
                goto fail;
        }
        if (set_expect(t, opts, err, errlen) < 0 ||
            trace_msg_root_hints(opts->root_hints, &t->root_ns, &t->nroot_ns, &t->root_glue,
                                 &t->nroot_glue, err, errlen) < 0)
                goto fail;
        t->main = walk_new(t, res->qname, qtype, NULL, 0);
        t->started = loop_now_ms();
        t->kick = loop_timer_add(lp, 0, kick_cb, t);
        t->deadline = loop_timer_add(lp, t->opts.deadline_ms, deadline_cb, t);
        if (!t->main || t->kick < 0 || t->deadline < 0) {
                snprintf(err, errlen, "out of memory");
                goto fail;
        }
        return t;
fail:
        trace_destroy(t, false);
        return NULL;
}

void trace_cancel(struct trace *t)
{
        if (!t)
                return;
        if (t->busy)
                t->cancelled = true; /* freed when the callback running now returns */
        else
                trace_destroy(t, false);
}

const struct trace_result *trace_partial(struct trace *t)
{
        sync_view(t);
        return t->res;
}

void trace_result_free(struct trace_result *res)
{
        if (!res)
                return;
        free(res->qname);
        for (size_t i = 0; i < res->nzones; i++)
                zone_clear(&res->zones[i]);
        free(res->zones);
        if (res->probe)
                zone_clear(res->probe);
        free(res->probe);
        strv_free(res->final, res->nfinal);
        free(res->final_name);
        free(res->final_zone);
        findings_clear(&res->findings);
        free(res);
}
