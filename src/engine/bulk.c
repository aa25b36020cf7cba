/* bulk: the scheduler of many targets. Every address to check is an entry
 * in one list kept in input order; a host name is an entry that, once its A
 * and AAAA answers are in, is replaced in place by one entry per address.
 * Entries are created lazily from the targets (a /16 is never an array) and
 * at most a window of them exist at once. An entry is handed to the front
 * end and freed as soon as it and all before it are done; a finished entry
 * waiting for those before it holds its condensed result only.
 *
 * Scheduling is two limits: checks in flight overall, and per reverse zone
 * (zone_limit), where a zone's first check runs alone until its PTR answer
 * is in, which leaves the delegation in the resolver's cache. Then the zone
 * goes at its servers' pace: its cap starts at zone_concurrency and grows by
 * one for every answer that came in time (doubling every round trip, as
 * TCP's slow start does; massdns's auto-concurrency is the same idea), and
 * halves on a timeout.
 * Both are policies of their own functions. */
#include "ptrwiz/bulk.h"

#include <ldns/ldns.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "ptrwiz/loop.h"
#include "ptrwiz/target.h"

/* Entries created but not handed over, at least: enough for several /24s
 * side by side. */
#define WINDOW_MIN 2048
/* ... and at most this much condensed text waiting for the targets before
 * it (a slow first target with thousands done behind it). */
#define WINDOW_BYTES (4u << 20)

enum entry_kind { ENTRY_CHECK, ENTRY_HOST };
enum entry_state { ENTRY_WAITING, ENTRY_RUNNING, ENTRY_DONE };

/* The A and AAAA lookups of a host-name target. */
struct host_lookup {
        struct resolver_answer *ans[2]; /* A, AAAA */
        long qid[2];
        int pending;
};

struct entry {
        struct entry *next;  /* input order */
        struct entry *snext; /* waiting to start, in input order */
        struct bulk *run;
        enum entry_kind kind;
        enum entry_state state;
        struct addr ip;
        struct bulk_item item; /* strings owned */
        struct check *check;
        const struct check_result *so_far; /* the check's verdict so far, while it runs */
        long deadline_timer;
        struct host_lookup *lookup;
        /* Done: what is handed over (either may be NULL). */
        struct check_result *res;
        char *text;
        enum verdict verdict;
        bool silent;          /* no upstream answer seen in it: wait for the probe */
        bool upstream_silent; /* its result says this machine reaches no DNS server */
        bool hidden;          /* a host entry replaced by its addresses: nothing to hand over */
};

/* A reverse /24 or /48: what decides the servers a check asks. */
struct zone_key {
        int family;
        uint8_t bytes[6];
};

struct zone_count {
        struct zone_key key;
        int n;
};

/* A zone whose first PTR answer is in, and how many checks it may have in
 * flight now. */
struct zone_warm {
        struct zone_key key;
        int cap;
};

#define WARM_ZONES 256 /* zones remembered as primed */

struct feed {
        struct target_list **lists; /* one per source, NULL for a target */
        size_t next;
        struct target cur;
        struct target_iter it;
        bool walking, done;
};

/* Whether anything upstream (the root, the TLDs, a forwarder) answers: a
 * failed lookup alone cannot say whether its zone or this machine's way
 * out is at fault, so the first one starts a probe of the root. */
enum upstream { UPSTREAM_UNKNOWN, UPSTREAM_PROBING, UPSTREAM_OK, UPSTREAM_SILENT };

struct bulk {
        struct bulk_opts o;
        struct loop *lp;
        struct resolver *r;
        bulk_event_cb cb;
        void *cb_arg;
        struct feed feed;
        struct entry *head, *tail;       /* created, not handed over */
        struct entry *sq_head, *sq_tail; /* waiting to start */
        size_t buffered, running, window;
        size_t held;              /* bytes of text waiting to be handed over */
        struct zone_count *zones; /* zones with checks in flight */
        size_t nzones;
        struct zone_warm warm[WARM_ZONES]; /* primed zones */
        size_t nwarm, warm_next;
        long kick_timer; /* the pump's, > 0 while due */
        enum upstream upstream;
        long probe_id;
        size_t handed; /* results handed over */
        struct bulk_stats st;
        enum bulk_state state;
        char error[300];
        int64_t started_ms;
};

static void run_kick(struct bulk *run);
static void run_stop(struct bulk *run, enum bulk_state state, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void emit(struct bulk *run, enum bulk_event_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A note or a bad line, handed over at once (not in input order). */
static void emit(struct bulk *run, enum bulk_event_kind kind, const char *fmt, ...)
{
        char msg[700];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        struct bulk_event ev = {.kind = kind, .message = msg};
        if (run->cb)
                run->cb(run->cb_arg, &ev);
}

/* ------------------------------------------------------------ zones */

static struct zone_key zone_of_addr(const struct addr *ip)
{
        struct zone_key k;
        memset(&k, 0, sizeof(k));
        k.family = ip->family;
        memcpy(k.bytes, ip->bytes, ip->family == AF_INET ? 3 : 6);
        return k;
}

static bool zone_key_equal(const struct zone_key *a, const struct zone_key *b)
{
        return a->family == b->family && memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0;
}

static struct zone_count *zone_find(struct bulk *run, const struct addr *ip)
{
        struct zone_key k = zone_of_addr(ip);
        for (size_t i = 0; i < run->nzones; i++)
                if (zone_key_equal(&run->zones[i].key, &k))
                        return &run->zones[i];
        return NULL;
}

static int zone_in_flight(struct bulk *run, const struct addr *ip)
{
        const struct zone_count *z = zone_find(run, ip);
        return z ? z->n : 0;
}

/* The table holds at most one row per check in flight: sized once. */
static void zone_add(struct bulk *run, const struct addr *ip, int delta)
{
        struct zone_count *z = zone_find(run, ip);
        if (!z) {
                z = &run->zones[run->nzones++];
                z->key = zone_of_addr(ip);
                z->n = 0;
        }
        z->n += delta;
        if (z->n == 0)
                *z = run->zones[--run->nzones];
}

static struct zone_warm *zone_warm_find(struct bulk *run, const struct addr *ip)
{
        struct zone_key k = zone_of_addr(ip);
        for (size_t i = 0; i < run->nwarm; i++)
                if (zone_key_equal(&run->warm[i].key, &k))
                        return &run->warm[i];
        return NULL;
}

static void zone_set_warm(struct bulk *run, const struct addr *ip)
{
        if (zone_warm_find(run, ip))
                return;
        run->warm[run->warm_next] = (struct zone_warm){zone_of_addr(ip), run->o.zone_concurrency};
        run->warm_next = (run->warm_next + 1) % WARM_ZONES;
        if (run->nwarm < WARM_ZONES)
                run->nwarm++;
}

/* A check of the zone ended: with a timeout its servers (or the way to
 * them) are overwhelmed, so back off; else they keep up, so ask more. */
static void zone_adjust(struct bulk *run, const struct addr *ip, bool timed_out)
{
        struct zone_warm *w = zone_warm_find(run, ip);
        if (!w || run->o.zone_fixed)
                return;
        int floor = run->o.zone_concurrency / 4 > 0 ? run->o.zone_concurrency / 4 : 1;
        if (timed_out)
                w->cap = w->cap / 2 > floor ? w->cap / 2 : floor;
        else if (w->cap < run->o.concurrency)
                w->cap++;
}

/* A zone's first check runs alone until its PTR answer is in: that leaves
 * the delegation and the DNSSEC proof for the zone in the resolver's cache,
 * which the others then share. Started together, each would fetch and
 * validate them itself. It counts whatever the answer, so a dead zone is
 * not checked serially. */
static int zone_limit(struct bulk *run, const struct addr *ip)
{
        const struct zone_warm *w = zone_warm_find(run, ip);
        return w ? w->cap : 1;
}

/* ------------------------------------------------------------ entries */

static struct entry *entry_new(struct bulk *run, enum entry_kind kind, const char *target,
                               const char *host_name)
{
        struct entry *e = calloc(1, sizeof(*e));
        if (e) {
                e->item.target = strdup(target);
                e->item.host_name = host_name ? strdup(host_name) : NULL;
                e->item.name_matches = -1;
        }
        if (e && (!e->item.target || (host_name && !e->item.host_name))) {
                free((char *)e->item.target);
                free(e);
                e = NULL;
        }
        if (!e) {
                run_stop(run, BULK_OUT_OF_MEMORY, "out of memory");
                return NULL;
        }
        e->run = run;
        e->kind = kind;
        return e;
}

static void host_lookup_free(struct bulk *run, struct host_lookup *h)
{
        if (!h)
                return;
        for (int i = 0; i < 2; i++) {
                if (h->qid[i] > 0)
                        resolver_cancel(run->r, h->qid[i]);
                resolver_answer_free(h->ans[i]);
        }
        free(h);
}

static void entry_free(struct entry *e)
{
        if (e->check)
                check_cancel(e->check);
        if (e->deadline_timer > 0)
                loop_timer_cancel(e->run->lp, e->deadline_timer);
        host_lookup_free(e->run, e->lookup);
        free((char *)e->item.target);
        free((char *)e->item.host_name);
        free((char *)e->item.error);
        check_result_free(e->res);
        free(e->text);
        free(e);
}

static void entry_append(struct bulk *run, struct entry *e)
{
        if (run->tail)
                run->tail->next = e;
        else
                run->head = e;
        run->tail = e;
        if (run->sq_tail)
                run->sq_tail->snext = e;
        else
                run->sq_head = e;
        run->sq_tail = e;
        run->buffered++;
}

static bool ptr_names(const struct check_result *res, const char *name)
{
        const struct resolver_answer *p = res->ptr;
        for (size_t i = 0; p && p->status == RES_OK && i < p->ndata; i++)
                if (strcasecmp(p->data[i], name) == 0)
                        return true;
        return false;
}

/* Keeps what the entry hands over: the result, or the front end's
 * condensed form of it. Takes res. */
static void entry_done(struct entry *e, struct check_result *res, enum verdict v)
{
        struct bulk *run = e->run;
        if (res && e->item.host_name)
                e->item.name_matches = ptr_names(res, e->item.host_name);
        if (res && check_local_fault(res))
                run->st.local_faults++;
        e->upstream_silent = res && check_upstream_silent(res);
        if (run->o.render) {
                e->text = run->o.render(run->o.render_arg, &e->item, res);
                if (!e->text)
                        run_stop(run, BULK_OUT_OF_MEMORY, "out of memory");
                else
                        run->held += strlen(e->text);
                check_result_free(res);
        } else {
                e->res = res;
        }
        e->verdict = v;
        e->state = ENTRY_DONE;
        run->st.verdicts[v]++;
        run_kick(run);
}

/* ------------------------------------------------------------ upstream */

/* Whether the result shows an answer from upstream: 1 for a reply of any
 * server to its trace or an answer to its PTR lookup, 0 for none, -1 when
 * it cannot say (a built-in local zone answers without asking anyone). */
static int result_heard_upstream(const struct check_result *res)
{
        if (addr_has_builtin_reverse_zone(&res->ip))
                return -1;
        const struct resolver_answer *p = res->ptr;
        if (p && (p->status == RES_OK || p->status == RES_NODATA || p->status == RES_NXDOMAIN ||
                  p->dnssec == DNSSEC_BOGUS))
                return 1;
        const struct trace_result *t = res->trace;
        for (size_t z = 0; t && z < t->nzones; z++)
                for (size_t s = 0; s < t->zones[z].nservers; s++)
                        if (t->zones[z].servers[s].rcode >= 0)
                                return 1;
        return 0;
}

static void flush_ready(struct bulk *run);

static void probe_answer(void *arg, struct resolver_answer *ans)
{
        struct bulk *run = arg;
        run->probe_id = 0;
        /* The root's NS set comes from the cache once anything answered.
         * No reply in time, or libunbound giving up on every server
         * (SERVFAIL without a failed validation), means none does. */
        bool silent = ans->status == RES_TIMEOUT || ans->status == RES_ERROR ||
                      (ans->status == RES_SERVFAIL && ans->dnssec != DNSSEC_BOGUS);
        if (silent) {
                run->upstream = UPSTREAM_SILENT;
                /* The results that already say so are handed over first:
                 * a single check shows its UPSTREAM_UNREACHABLE finding. */
                flush_ready(run);
                char done[80] = "nothing was checked";
                if (run->handed)
                        snprintf(done, sizeof(done), "stopped after %zu results", run->handed);
                run_stop(run, BULK_UPSTREAM_SILENT,
                         "this machine cannot reach DNS servers (firewall? offline?): no server "
                         "answered, not even for the root's name servers (%s after %lld ms); %s",
                         resolver_status_name(ans->status), (long long)ans->rtt_ms, done);
        } else {
                run->upstream = UPSTREAM_OK;
                run_kick(run);
        }
        resolver_answer_free(ans);
}

/* Notes what a finished check showed of upstream; the first check that
 * heard nothing starts the probe. */
static void upstream_note(struct bulk *run, struct entry *e, const struct check_result *res)
{
        if (run->upstream == UPSTREAM_OK)
                return;
        int heard = result_heard_upstream(res);
        if (heard < 0)
                return;
        if (heard) {
                run->upstream = UPSTREAM_OK;
                if (run->probe_id > 0)
                        resolver_cancel(run->r, run->probe_id);
                run->probe_id = 0;
                return;
        }
        e->silent = true;
        if (run->upstream != UPSTREAM_UNKNOWN)
                return;
        char err[300];
        run->probe_id =
            resolver_query(run->r, ".", LDNS_RR_TYPE_NS, probe_answer, run, err, sizeof(err));
        run->upstream = run->probe_id > 0 ? UPSTREAM_PROBING : UPSTREAM_OK;
}

/* ------------------------------------------------------------ checks */

static void entry_checked(void *arg, struct check_result *res)
{
        struct entry *e = arg;
        struct bulk *run = e->run;
        e->check = NULL;
        e->so_far = NULL;
        loop_timer_cancel(run->lp, e->deadline_timer);
        e->deadline_timer = 0;
        zone_add(run, &e->ip, -1);
        zone_set_warm(run, &e->ip);
        run->running--;
        if (!res) {
                run_stop(run, BULK_OUT_OF_MEMORY, "out of memory");
                return;
        }
        if (res->trace)
                run->st.queries += res->trace->queries;
        upstream_note(run, e, res);
        entry_done(e, res, res->verdict);
}

static void entry_deadline(void *arg)
{
        struct entry *e = arg;
        char why[200];
        e->deadline_timer = 0;
        snprintf(why, sizeof(why), "the check did not finish within %d ms (--deadline)",
                 e->run->o.deadline_ms);
        /* entry_checked runs from here, with the result evaluated as any. */
        check_expire(e->check, why);
}

/* The PTR answer is in: the zone's delegation is in the resolver's cache.
 * Every answer in time lets the zone have one more check in flight. */
static void entry_progress(void *arg, const struct check_result *partial,
                           const struct resolver_answer *ans)
{
        struct entry *e = arg;
        if (!ans) { /* the verdict so far: the front end looks at it from the loop */
                e->so_far = partial->so_far ? partial : NULL;
                run_kick(e->run);
                return;
        }
        if (ans == partial->ptr && !zone_warm_find(e->run, &e->ip))
                zone_set_warm(e->run, &e->ip);
        else
                zone_adjust(e->run, &e->ip, ans->status == RES_TIMEOUT);
        run_kick(e->run);
}

static void check_begin(struct entry *e)
{
        struct bulk *run = e->run;
        zone_add(run, &e->ip, 1);
        run->running++;
        e->check = check_start(run->r, &e->ip, &run->o.check, entry_progress, entry_checked, e);
        if (!e->check) {
                run->running--;
                zone_add(run, &e->ip, -1);
                run_stop(run, BULK_OUT_OF_MEMORY, "out of memory: a check could not be started");
                return;
        }
        /* The check ends itself at the deadline with what it measured
         * (check_opts.deadline_ms); this is only the backstop. */
        e->deadline_timer = loop_timer_add(run->lp, run->o.deadline_ms + 5000, entry_deadline, e);
}

/* ------------------------------------------------------------ host names */

static int addr_order(const void *pa, const void *pb)
{
        const struct addr *a = pa, *b = pb;
        if (a->family != b->family)
                return a->family == AF_INET ? -1 : 1;
        return memcmp(a->bytes, b->bytes, sizeof(a->bytes));
}

/* The distinct addresses of the A and AAAA answers, sorted (servers rotate
 * their order); at most TARGET_MAX_HOST_ADDRS. Returns how many there were. */
static size_t host_addresses(const struct host_lookup *h, struct addr *out, size_t *n)
{
        size_t seen = 0;
        *n = 0;
        for (int k = 0; k < 2; k++) {
                const struct resolver_answer *a = h->ans[k];
                for (size_t i = 0; a && a->status == RES_OK && i < a->ndata; i++) {
                        struct addr x;
                        char err[8];
                        if (addr_parse(a->data[i], &x, err, sizeof(err)) < 0)
                                continue;
                        bool dup = false;
                        for (size_t j = 0; j < *n && !dup; j++)
                                dup = addr_equal(&out[j], &x);
                        if (dup)
                                continue;
                        seen++;
                        if (*n < TARGET_MAX_HOST_ADDRS)
                                out[(*n)++] = x;
                }
        }
        qsort(out, *n, sizeof(*out), addr_order);
        return seen;
}

static const char *answer_status(const struct resolver_answer *a)
{
        return a ? resolver_status_name(a->status) : "not asked";
}

/* Replaces the host entry, in place, by one check entry per address. */
static void host_expand(struct entry *e, const struct addr *addrs, size_t n)
{
        struct bulk *run = e->run;
        struct entry *first = NULL, *last = NULL;
        for (size_t i = 0; i < n; i++) {
                struct entry *c = entry_new(run, ENTRY_CHECK, e->item.target, e->item.host_name);
                if (!c)
                        break;
                c->ip = addrs[i];
                c->item.host_index = i + 1;
                c->item.host_count = n;
                if (last)
                        last->next = last->snext = c;
                else
                        first = c;
                last = c;
                run->buffered++;
        }
        if (!first)
                return;
        last->next = e->next;
        e->next = first;
        if (run->tail == e)
                run->tail = last;
        /* They come before anything still waiting: start them first. */
        last->snext = run->sq_head;
        run->sq_head = first;
        if (!run->sq_tail)
                run->sq_tail = last;
}

static void host_resolved(struct entry *e)
{
        struct bulk *run = e->run;
        struct host_lookup *h = e->lookup;
        struct addr addrs[TARGET_MAX_HOST_ADDRS];
        size_t n;
        size_t seen = host_addresses(h, addrs, &n);
        run->running--;
        if (n == 0) {
                char why[400];
                snprintf(why, sizeof(why), "%s has no address to check (A: %s, AAAA: %s)",
                         e->item.host_name, answer_status(h->ans[0]), answer_status(h->ans[1]));
                if (!(e->item.error = strdup(why)))
                        run_stop(run, BULK_OUT_OF_MEMORY, "out of memory");
                else
                        entry_done(e, NULL, VERDICT_FAIL);
        } else {
                if (seen > n)
                        emit(run, BULK_EV_NOTE, "%s has %zu addresses; checking the first %zu",
                             e->item.target, seen, n);
                host_expand(e, addrs, n);
                e->hidden = true;
                e->state = ENTRY_DONE;
                run_kick(run);
        }
        host_lookup_free(run, h);
        e->lookup = NULL;
}

static void host_answer(struct entry *e, int k, struct resolver_answer *ans)
{
        e->lookup->ans[k] = ans;
        e->lookup->qid[k] = 0;
        if (--e->lookup->pending == 0)
                host_resolved(e);
}

static void host_answer_a(void *arg, struct resolver_answer *ans)
{
        host_answer(arg, 0, ans);
}

static void host_answer_aaaa(void *arg, struct resolver_answer *ans)
{
        host_answer(arg, 1, ans);
}

static void host_begin(struct entry *e)
{
        struct bulk *run = e->run;
        static const int types[2] = {LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA};
        static const resolver_cb cbs[2] = {host_answer_a, host_answer_aaaa};
        run->running++;
        e->lookup = calloc(1, sizeof(*e->lookup));
        if (!e->lookup) {
                run->running--;
                run_stop(run, BULK_OUT_OF_MEMORY, "out of memory");
                return;
        }
        for (int k = 0; k < 2; k++) {
                char err[300];
                e->lookup->qid[k] = resolver_query(run->r, e->item.host_name, types[k], cbs[k], e,
                                                   err, sizeof(err));
                if (e->lookup->qid[k] > 0)
                        e->lookup->pending++;
        }
        if (e->lookup->pending == 0)
                host_resolved(e);
}

/* ------------------------------------------------------------ the feed */

static int feed_open(struct bulk *run, char *err, size_t errlen)
{
        struct feed *f = &run->feed;
        const struct bulk_opts *o = &run->o;
        bool stdin_used = false, unknown = false;
        f->lists = calloc(o->nsources ? o->nsources : 1, sizeof(*f->lists));
        if (!f->lists) {
                snprintf(err, errlen, "out of memory");
                return -1;
        }
        for (size_t i = 0; i < o->nsources; i++) {
                const struct bulk_source *s = &o->sources[i];
                if (!s->is_list) {
                        struct target t;
                        if (target_parse(s->text, &t, err, errlen) < 0)
                                return -1;
                        unknown = unknown || t.kind == TARGET_HOST;
                        run->st.total += target_size(&t);
                        continue;
                }
                if (strcmp(s->text, "-") == 0 && stdin_used) {
                        snprintf(err, errlen, "check: the list '-' (stdin) is given twice");
                        return -1;
                }
                stdin_used = stdin_used || strcmp(s->text, "-") == 0;
                unknown = true;
                if (!(f->lists[i] = target_list_open(s->text, err, errlen)))
                        return -1;
        }
        if (unknown)
                run->st.total = 0;
        return 0;
}

static void feed_close(struct bulk *run)
{
        for (size_t i = 0; run->feed.lists && i < run->o.nsources; i++)
                target_list_close(run->feed.lists[i]);
        free(run->feed.lists);
        run->feed.lists = NULL;
}

/* The next target in input order: 1, or 0 at the end. A bad line of a list
 * is handed over and skipped. */
static int feed_next_target(struct bulk *run, struct target *t)
{
        struct feed *f = &run->feed;
        char err[600];
        while (f->next < run->o.nsources) {
                struct target_list *l = f->lists[f->next];
                if (!l) {
                        target_parse(run->o.sources[f->next++].text, t, err, sizeof(err));
                        return 1;
                }
                int rc = target_list_next(l, t, err, sizeof(err));
                if (rc == 1)
                        return 1;
                if (rc < 0) {
                        emit(run, BULK_EV_BAD_LINE, "%s", err);
                        run->st.bad_line = true;
                }
                if (rc == 0 || rc == -2)
                        f->next++;
        }
        return 0;
}

/* Creates the next entry from the targets: 1, or 0 at the end. */
static int feed_pull(struct bulk *run)
{
        struct feed *f = &run->feed;
        for (;;) {
                struct addr ip;
                if (f->walking && target_iter_next(&f->it, &ip)) {
                        struct entry *e = entry_new(run, ENTRY_CHECK, f->cur.text, NULL);
                        if (!e)
                                return 0;
                        e->ip = ip;
                        entry_append(run, e);
                        return 1;
                }
                f->walking = false;
                if (f->done || !feed_next_target(run, &f->cur)) {
                        f->done = true;
                        return 0;
                }
                if (f->cur.note[0])
                        emit(run, BULK_EV_NOTE, "%s", f->cur.note);
                if (f->cur.kind != TARGET_HOST) {
                        target_iter_init(&f->it, &f->cur);
                        f->walking = true;
                        continue;
                }
                struct entry *e = entry_new(run, ENTRY_HOST, f->cur.text, f->cur.name);
                if (!e)
                        return 0;
                entry_append(run, e);
                return 1;
        }
}

/* ------------------------------------------------------------ the run */

/* Hands over every finished entry at the head, in order. One that heard
 * nothing upstream waits until the probe says whether anything does. */
static void flush_ready(struct bulk *run)
{
        while (run->head && run->head->state == ENTRY_DONE && run->state == BULK_RUNNING) {
                struct entry *e = run->head;
                if (e->silent && run->upstream != UPSTREAM_OK &&
                    !(run->upstream == UPSTREAM_SILENT && e->upstream_silent))
                        break;
                run->head = e->next;
                if (!run->head)
                        run->tail = NULL;
                if (!e->hidden && run->cb) {
                        struct bulk_event ev = {.kind = BULK_EV_RESULT,
                                                .item = &e->item,
                                                .result = e->res,
                                                .text = e->text,
                                                .verdict = e->verdict};
                        run->cb(run->cb_arg, &ev);
                        e->res = ev.result; /* NULL when the callback took it */
                        run->handed++;
                }
                run->held -= e->text ? strlen(e->text) : 0;
                entry_free(e);
                run->buffered--;
        }
}

static bool zone_full(struct bulk *run, const struct entry *e)
{
        return e->kind == ENTRY_CHECK && zone_in_flight(run, &e->ip) >= zone_limit(run, &e->ip);
}

/* Where a pump's scan of the waiting queue has got to: every entry before
 * it is in a full zone, and stays so until something finishes, which never
 * happens inside one pump. */
struct sq_scan {
        struct entry *prev;   /* the last entry passed over, NULL: from the head */
        struct zone_key full; /* the last full zone seen: blocks come in runs */
};

/* The next waiting entry whose zone has room, unlinked from the queue;
 * NULL when every waiting entry's zone is full. Entries of a full zone are
 * passed over, so a block spanning several /24s checks them side by side. */
static struct entry *sq_take(struct bulk *run, struct sq_scan *sc)
{
        struct entry *prev = sc->prev;
        for (struct entry *e = prev ? prev->snext : run->sq_head; e; prev = e, e = e->snext) {
                if (e->kind == ENTRY_CHECK) {
                        struct zone_key k = zone_of_addr(&e->ip);
                        if (zone_key_equal(&k, &sc->full))
                                continue;
                        if (zone_full(run, e)) {
                                sc->full = k;
                                continue;
                        }
                }
                if (prev)
                        prev->snext = e->snext;
                else
                        run->sq_head = e->snext;
                if (run->sq_tail == e)
                        run->sq_tail = prev;
                e->snext = NULL;
                sc->prev = prev;
                return e;
        }
        sc->prev = prev;
        return NULL;
}

/* Starts waiting entries while the limits allow, creating them from the
 * targets as long as the window has room. While the probe runs nothing new
 * starts: if nothing answers, it would only wait for its timeout too. */
static void pump(struct bulk *run)
{
        struct sq_scan sc = {0};
        while (run->running < (size_t)run->o.concurrency && run->state == BULK_RUNNING &&
               run->upstream != UPSTREAM_PROBING) {
                struct entry *e = sq_take(run, &sc);
                if (!e) {
                        if (run->buffered >= run->window || run->held >= WINDOW_BYTES ||
                            !feed_pull(run))
                                break;
                        continue;
                }
                e->state = ENTRY_RUNNING;
                if (e->kind == ENTRY_HOST)
                        host_begin(e);
                else
                        check_begin(e);
        }
}

static void run_step(void *arg)
{
        struct bulk *run = arg;
        run->kick_timer = 0;
        /* Handing over makes room in the window for the pump, whose
         * entries may be done at once (a host name that could not ask). */
        flush_ready(run);
        pump(run);
        flush_ready(run);
        if (run->state == BULK_RUNNING && run->feed.done && !run->head)
                run->state = BULK_DONE;
}

/* Callbacks only change state; the pump and the hand-over run from the
 * loop, so that no front-end callback runs inside a check's. */
static void run_kick(struct bulk *run)
{
        if (run->kick_timer > 0 || run->state != BULK_RUNNING)
                return;
        run->kick_timer = loop_timer_add(run->lp, 0, run_step, run);
        if (run->kick_timer < 0) {
                run->kick_timer = 0;
                run_stop(run, BULK_OUT_OF_MEMORY, "out of memory");
        }
}

/* Ends the run: nothing more starts or is handed over; bulk_free cancels
 * what is in flight. */
static void run_stop(struct bulk *run, enum bulk_state state, const char *fmt, ...)
{
        if (run->state != BULK_RUNNING)
                return;
        run->state = state;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(run->error, sizeof(run->error), fmt, ap);
        va_end(ap);
}

/* Each check holds a few sockets at once (its trace's and libunbound's):
 * more checks than the descriptor limit allows would fail on this host,
 * and look like servers that do not answer. */
static void fit_to_fds(struct bulk_opts *o)
{
        o->concurrency = loop_fd_concurrency(o->concurrency, BULK_FDS_PER_CHECK);
        if (o->zone_concurrency > o->concurrency)
                o->zone_concurrency = o->concurrency;
}

struct bulk *bulk_new(const struct bulk_opts *opts, char *err, size_t errlen)
{
        struct bulk *run = calloc(1, sizeof(*run));
        if (!run) {
                snprintf(err, errlen, "out of memory");
                return NULL;
        }
        run->o = *opts;
        if (run->o.concurrency < 1)
                run->o.concurrency = BULK_DEFAULT_CONCURRENCY;
        if (run->o.zone_concurrency < 1)
                run->o.zone_concurrency = BULK_DEFAULT_ZONE_CONCURRENCY;
        if (run->o.deadline_ms < 1)
                run->o.deadline_ms = BULK_DEFAULT_DEADLINE_MS;
        fit_to_fds(&run->o);
        run->window = (size_t)run->o.concurrency * 4;
        if (run->window < WINDOW_MIN)
                run->window = WINDOW_MIN;
        run->zones = calloc((size_t)run->o.concurrency, sizeof(*run->zones));
        if (!run->zones) {
                snprintf(err, errlen, "out of memory");
                bulk_free(run);
                return NULL;
        }
        if (feed_open(run, err, errlen) < 0) {
                bulk_free(run);
                return NULL;
        }
        return run;
}

int bulk_start(struct bulk *run, struct resolver *r, bulk_event_cb cb, void *arg)
{
        run->r = r;
        run->lp = resolver_loop(r);
        run->cb = cb;
        run->cb_arg = arg;
        run->started_ms = loop_now_ms();
        run->st.queries = 0;
        run_kick(run);
        return run->state == BULK_RUNNING ? 0 : -1;
}

enum bulk_state bulk_state(const struct bulk *run, char *err, size_t errlen)
{
        if (err && errlen)
                snprintf(err, errlen, "%s", run->error);
        return run->state;
}

void bulk_stats(const struct bulk *run, struct bulk_stats *out)
{
        *out = run->st;
        out->running = run->running;
        out->queries += run->r ? resolver_queries(run->r) : 0;
        out->elapsed_ms = run->started_ms ? loop_now_ms() - run->started_ms : 0;
}

const struct check_result *bulk_so_far(const struct bulk *run)
{
        return run->head && run->head->check ? run->head->so_far : NULL;
}

void bulk_free(struct bulk *run)
{
        if (!run)
                return;
        while (run->head) {
                struct entry *e = run->head;
                run->head = e->next;
                entry_free(e);
        }
        if (run->probe_id > 0)
                resolver_cancel(run->r, run->probe_id);
        if (run->kick_timer > 0)
                loop_timer_cancel(run->lp, run->kick_timer);
        feed_close(run);
        free(run->zones);
        free(run);
}
