/* trace_share: the delegation cache of a run. When a trace has asked every
 * server of a cut and all that answered referred its name to the same
 * child, the cut is kept (a copy of its rows) with that referral; a later
 * trace of a name under the child starts there, with copies of the cuts
 * above, as a resolver starts at the closest delegation it knows. The
 * per-zone findings come from the rows, so each target still gets those of
 * every cut. Cuts whose rows carry a finding that is not derived from the
 * rows (a glueless cycle, a CNAME loop of a lookup, a limit) are not kept. */
#include "trace_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHARE_MAX_NODES 4096
#define SHARE_MAX_TTL   86400 /* unbound's cache-max-ttl */

struct trace_deleg {
        struct share_node *nodes;
        size_t nnodes;
        char **keys; /* root hints and port, one per distinct set */
        size_t nkeys;
        struct trace **traces; /* running, whose cuts others may wait for */
        size_t ntraces;
};

struct trace_deleg *trace_deleg_new(void)
{
        return calloc(1, sizeof(struct trace_deleg));
}

static void node_free(struct share_node *n)
{
        trace_zone_clear(&n->z);
        free(n->child);
        strv_free(n->ns, n->nns);
        for (size_t i = 0; i < n->nglue; i++)
                free(n->glue[i].name);
        free(n->glue);
        free(n);
}

void trace_deleg_free(struct trace_deleg *d)
{
        if (!d)
                return;
        while (d->nodes) {
                struct share_node *n = d->nodes;
                d->nodes = n->next;
                node_free(n);
        }
        strv_free(d->keys, d->nkeys);
        free(d->traces);
        free(d);
}

/* ------------------------------------------------------------- copies */

static int server_copy(struct trace_server *d, const struct trace_server *s)
{
        *d = *s;
        d->ns_name = trace_dup(s->ns_name);
        d->referral = trace_dup(s->referral);
        d->cname = trace_dup(s->cname);
        d->error = trace_dup(s->error);
        d->reply_text = trace_dup(s->reply_text);
        d->ignored = trace_dup(s->ignored);
        int rc = strv_copy(&d->referral_ns, &d->nreferral_ns, s->referral_ns, s->nreferral_ns);
        rc |= strv_copy(&d->answer, &d->nanswer, s->answer, s->nanswer);
        rc |= strv_copy(&d->apex_ns, &d->napex_ns, s->apex_ns, s->napex_ns);
        if (rc < 0 || !d->ns_name || (s->referral && !d->referral) || (s->cname && !d->cname) ||
            (s->error && !d->error) || (s->reply_text && !d->reply_text) ||
            (s->ignored && !d->ignored))
                return -1;
        return 0;
}

int trace_zone_copy(struct trace_zone *dst, const struct trace_zone *src)
{
        *dst = *src;
        dst->zone = trace_dup(src->zone);
        dst->qname = trace_dup(src->qname);
        dst->parent = trace_dup(src->parent);
        dst->servers = calloc(src->nservers ? src->nservers : 1, sizeof(*dst->servers));
        dst->nservers = 0;
        bool ok =
            dst->zone && dst->qname && (!src->parent || dst->parent) && dst->servers &&
            strv_copy(&dst->parent_ns, &dst->nparent_ns, src->parent_ns, src->nparent_ns) == 0;
        for (size_t i = 0; ok && i < src->nservers; i++) {
                ok = server_copy(&dst->servers[i], &src->servers[i]) == 0;
                dst->nservers = i + 1; /* a half copy is freed with the rest */
        }
        if (!ok) {
                trace_zone_clear(dst);
                memset(dst, 0, sizeof(*dst));
                return -1;
        }
        return 0;
}

/* ---------------------------------------------------------------- keys */

/* The root hints and port as one string: the same for the same roots. */
static char *hints_key(const struct trace *t)
{
        char *ns = strv_join(t->root_ns, t->nroot_ns, ",");
        size_t len = 32 + (ns ? strlen(ns) : 0) + t->nroot_glue * (ADDR_STRLEN + 1);
        char *key = ns ? malloc(len) : NULL;
        if (key) {
                size_t used = (size_t)snprintf(key, len, "%d;%s;", t->opts.port, ns);
                for (size_t i = 0; i < t->nroot_glue && used < len; i++) {
                        char a[ADDR_STRLEN];
                        addr_format(&t->root_glue[i].addr, a, sizeof(a));
                        used += (size_t)snprintf(key + used, len - used, "%s,", a);
                }
        }
        free(ns);
        return key;
}

static int share_key(struct trace *t)
{
        struct trace_deleg *d = t->opts.deleg;
        char *key = hints_key(t);
        if (!key)
                return -1;
        for (size_t i = 0; i < d->nkeys; i++) {
                if (strcmp(d->keys[i], key) == 0) {
                        t->share_key = i;
                        free(key);
                        return 0;
                }
        }
        int rc = strv_push(&d->keys, &d->nkeys, key);
        t->share_key = d->nkeys - 1;
        free(key);
        return rc;
}

int trace_share_join(struct trace *t)
{
        struct trace_deleg *d = t->opts.deleg;
        if (share_key(t) < 0)
                return -1;
        struct trace **v = realloc(d->traces, (d->ntraces + 1) * sizeof(*v));
        if (!v)
                return -1;
        d->traces = v;
        v[d->ntraces++] = t;
        return 0;
}

static bool cut_over(const struct cut *c);

static void wake_waiters(struct trace *t, bool all)
{
        struct trace_deleg *d = t->opts.deleg;
        for (size_t i = 0; d && i < d->ntraces; i++) {
                struct trace *o = d->traces[i];
                if (o->wait_cut && o->wait_cut->t == t && (all || cut_over(o->wait_cut))) {
                        o->wait_cut = NULL;
                        trace_kick(o);
                }
        }
}

void trace_share_leave(struct trace *t)
{
        struct trace_deleg *d = t->opts.deleg;
        for (size_t i = 0; i < d->ntraces; i++) {
                if (d->traces[i] == t) {
                        d->traces[i] = d->traces[--d->ntraces];
                        break;
                }
        }
        wake_waiters(t, true);
        t->wait_cut = NULL;
}

void trace_share_wake(struct trace *t)
{
        wake_waiters(t, false);
}

/* ---------------------------------------------------------------- finding */

static bool node_usable(const struct share_node *n, const struct trace *t, int qtype, int64_t now)
{
        return n->key == t->share_key && n->qtype == qtype && n->expires_ms > now;
}

/* The fresh node with the deepest child that holds qname, or NULL. */
static const struct share_node *deepest(const struct trace *t, const char *qname, int qtype)
{
        const struct trace_deleg *d = t->opts.deleg;
        const struct share_node *best = NULL;
        int best_labels = -1;
        int64_t now = loop_now_ms();
        for (const struct share_node *n = d ? d->nodes : NULL; n; n = n->next) {
                if (!node_usable(n, t, qtype, now) || !trace_name_under(qname, n->child))
                        continue;
                int labels = trace_name_labels(n->child);
                if (labels > best_labels) {
                        best = n;
                        best_labels = labels;
                }
        }
        return best;
}

size_t trace_share_path(struct trace *t, const char *qname, int qtype,
                        const struct share_node **out, size_t max)
{
        const struct share_node *best = deepest(t, qname, qtype);
        size_t depth = 0;
        for (const struct share_node *n = best; n; n = n->up)
                depth++;
        if (depth == 0 || depth > max)
                return 0;
        size_t i = depth;
        for (const struct share_node *n = best; n; n = n->up)
                out[--i] = n;
        return depth;
}

/* ---------------------------------------------------------------- waiting */

/* Every server of the cut has answered or failed, and no lookup is left. */
static bool cut_over(const struct cut *c)
{
        if (c->inflight || c->nwants)
                return false;
        for (size_t i = 0; i < c->z.nservers; i++)
                if (c->z.servers[i].outcome == TRACE_PENDING)
                        return false;
        return true;
}

/* The ancestor of name with one label more than zone (name itself at most). */
static const char *one_below(const char *name, const char *zone)
{
        int skip = trace_name_labels(name) - trace_name_labels(zone) - 1;
        const char *p = name;
        while (skip-- > 0 && *p) {
                while (*p && *p != '.')
                        p += p[0] == '\\' && p[1] ? 2 : 1;
                if (*p)
                        p++;
        }
        return p;
}

/* Would a cut of zone asked for other refer name to the same child? Only
 * if the two share the label below zone; else waiting gains nothing. */
static bool same_branch(const char *name, const char *other, const char *zone)
{
        if (!trace_name_strictly_under(name, zone))
                return trace_name_equal(name, other);
        return trace_name_under(other, one_below(name, zone));
}

/* Another trace's cut of zone that is still being asked for a name on the
 * same branch as qname, and that the cache would keep. */
static struct cut *cut_being_asked(const struct trace *t, const char *zone, const char *qname,
                                   int qtype)
{
        const struct trace_deleg *d = t->opts.deleg;
        for (size_t i = 0; i < d->ntraces; i++) {
                const struct trace *o = d->traces[i];
                if (o == t || o->share_key != t->share_key || !o->main || o->main->qtype != qtype ||
                    o->aborted || o->cancelled || o->limits)
                        continue;
                for (size_t k = 0; k < o->nchain; k++) {
                        struct cut *c = o->chain[k];
                        if (!c->node && !c->z.shared && !c->z.via_cname && !c->z.revisit &&
                            trace_name_equal(c->z.zone, zone) && !cut_over(c) &&
                            same_branch(qname, c->z.qname, zone))
                                return c;
                }
        }
        return NULL;
}

bool trace_share_wait(struct trace *t, const char *qname, int qtype)
{
        if (t->aborted)
                return false;
        const struct share_node *n = deepest(t, qname, qtype);
        t->wait_cut = cut_being_asked(t, n ? n->child : ".", qname, qtype);
        return t->wait_cut != NULL;
}

/* ---------------------------------------------------------------- keeping */

/* The row's failure comes with a finding of the trace's own, not one that
 * the rows give again for another target. */
static bool row_has_own_finding(const struct trace_server *s)
{
        return s->outcome == TRACE_NOT_ASKED ||
               (s->error &&
                (strstr(s->error, TRACE_WHY_CYCLE) || strstr(s->error, TRACE_WHY_LIMIT) ||
                 strstr(s->error, TRACE_WHY_DEADLINE) || strstr(s->error, TRACE_WHY_CNAME_LOOP)));
}

/* Every server of c is over and every one that answered referred the name
 * to child, the cut the walk went to next (before any CNAME). */
static bool cut_keepable(const struct cut *c, const struct cut *child)
{
        const struct trace_zone *z = &c->z;
        if (c->child != child || z->via_cname || z->revisit || child->z.via_cname || !cut_over(c) ||
            !trace_zone_followed(z) || trace_zone_followed(z)->outcome != TRACE_REFERRAL)
                return false;
        for (size_t i = 0; i < z->nservers; i++) {
                const struct trace_server *s = &z->servers[i];
                if (row_has_own_finding(s))
                        return false;
                if (trace_outcome_good(s->outcome) &&
                    (s->outcome != TRACE_REFERRAL || !trace_name_equal(s->referral, child->z.zone)))
                        return false;
        }
        return true;
}

/* The child's NS names: the followed referral's first, as the walk has them. */
static int node_take_ns(struct share_node *n, const struct trace_zone *z)
{
        const struct trace_server *f = trace_zone_followed(z);
        if (!f || strv_copy(&n->ns, &n->nns, f->referral_ns, f->nreferral_ns) < 0)
                return -1;
        n->nfollowed_ns = n->nns;
        for (size_t i = 0; i < z->nservers; i++) {
                const struct trace_server *s = &z->servers[i];
                for (size_t k = 0; s->outcome == TRACE_REFERRAL && k < s->nreferral_ns; k++)
                        if (!strv_has_name(n->ns, n->nns, s->referral_ns[k]) &&
                            strv_push(&n->ns, &n->nns, s->referral_ns[k]) < 0)
                                return -1;
        }
        return 0;
}

static int node_take_glue(struct share_node *n, const struct cut *child)
{
        n->glue = calloc(child->z.nservers + 1, sizeof(*n->glue));
        if (!n->glue)
                return -1;
        for (size_t i = 0; i < child->z.nservers; i++) {
                const struct trace_server *s = &child->z.servers[i];
                if (!s->glue || !s->addr.family)
                        continue;
                n->glue[n->nglue].addr = s->addr;
                if (!(n->glue[n->nglue++].name = strdup(s->ns_name)))
                        return -1;
        }
        return 0;
}

static const struct share_node *node_find(const struct trace_deleg *d, const struct trace *t,
                                          const struct cut *c, const struct cut *child, int qtype)
{
        int64_t now = loop_now_ms();
        for (const struct share_node *n = d->nodes; n; n = n->next)
                if (node_usable(n, t, qtype, now) && trace_name_equal(n->z.zone, c->z.zone) &&
                    trace_name_equal(n->child, child->z.zone))
                        return n;
        return NULL;
}

static const struct share_node *node_put(struct trace *t, const struct cut *c,
                                         const struct cut *child, const struct share_node *up)
{
        struct trace_deleg *d = t->opts.deleg;
        int qtype = t->main->qtype;
        const struct share_node *old = node_find(d, t, c, child, qtype);
        if (old || d->nnodes >= SHARE_MAX_NODES)
                return old;
        struct share_node *n = calloc(1, sizeof(*n));
        if (!n)
                return NULL;
        uint32_t ttl = c->ref_ttl < SHARE_MAX_TTL ? c->ref_ttl : SHARE_MAX_TTL;
        n->up = up;
        n->key = t->share_key;
        n->qtype = qtype;
        n->expires_ms = loop_now_ms() + (int64_t)ttl * 1000;
        if (up && up->expires_ms < n->expires_ms)
                n->expires_ms = up->expires_ms;
        n->child = strdup(child->z.zone);
        if (!n->child || trace_zone_copy(&n->z, &c->z) < 0 || node_take_ns(n, &c->z) < 0 ||
            node_take_glue(n, child) < 0) {
                node_free(n);
                return NULL;
        }
        n->z.shared = false;
        n->next = d->nodes;
        d->nodes = n;
        d->nnodes++;
        return n;
}

void trace_share_publish(struct trace *t)
{
        if (!t->opts.deleg || t->limits || t->cancelled || !t->main)
                return;
        for (size_t i = 0; i + 1 < t->nchain; i++) {
                struct cut *c = t->chain[i];
                if (c->node)
                        continue;
                const struct share_node *up = i ? t->chain[i - 1]->node : NULL;
                if ((i && !up) || !cut_keepable(c, t->chain[i + 1]))
                        return;
                c->node = node_put(t, c, t->chain[i + 1], up);
                if (!c->node)
                        return;
        }
}
