/* bulk: the scheduler behind ptrwiz check. Every address to check is an
 * entry in one list kept in output order; a host name is an entry that,
 * once its A and AAAA answers are in, is replaced in place by one entry per
 * address. Entries are created lazily from the targets (a /16 is never an
 * array) and at most a window of them exist at once, so memory stays small
 * however long the input. Each finished entry holds its rendered text only. */
#include "cli/bulk.h"

#include <jansson.h>
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "cli/cli.h"
#include "ptrwiz/escape.h"
#include "ptrwiz/loop.h"
#include "ptrwiz/target.h"

#define PROGRESS_INTERVAL_MS 100
/* Entries created but not yet printed, at least: enough for several /24s
 * side by side (results wait as text, a few hundred bytes each). */
#define WINDOW_MIN 2048

enum entry_kind { ENTRY_CHECK, ENTRY_HOST };
enum entry_state { ENTRY_WAITING, ENTRY_RUNNING, ENTRY_DONE };

/* The A and AAAA lookups of a host-name target. */
struct host_lookup {
        struct entry *e;
        struct resolver_answer *ans[2]; /* A, AAAA */
        long qid[2];
        int pending;
};

struct entry {
        struct entry *next;  /* output order */
        struct entry *snext; /* waiting to start, in output order */
        struct run *run;
        enum entry_kind kind;
        enum entry_state state;
        struct addr ip;
        char *target;    /* as typed (escaped), for output */
        char *host_name; /* the host name this address came from (A-labels), or NULL */
        size_t host_index, host_count;
        struct check *check;
        long deadline_timer;
        struct host_lookup *lookup;
        char *out; /* rendered once done; NULL: nothing to print */
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

#define WARM_ZONES 256 /* zones remembered as primed */

struct feed {
        const struct bulk_source *src;
        size_t nsrc, next;
        struct target_list **lists; /* one per source, NULL for a target */
        struct target cur;
        struct target_iter it;
        bool walking, done;
};

struct run {
        const struct bulk_opts *o;
        struct loop *lp;
        struct resolver *r;
        struct feed feed;
        struct entry *head, *tail;       /* created, not printed */
        struct entry *sq_head, *sq_tail; /* waiting to start */
        size_t buffered, running, window;
        struct zone_count *zones; /* zones with checks in flight */
        size_t nzones;
        struct zone_key warm[WARM_ZONES]; /* zones where a check has finished */
        size_t nwarm, warm_next;
        size_t verdicts[3]; /* by enum verdict */
        size_t printed;
        uint64_t trace_queries; /* the traces' own queries; the resolver counts its own */
        uint64_t total;         /* addresses to check; 0 when unknown (host names, lists) */
        bool bad_input, out_of_memory, progress_shown;
        int64_t started_ms, progress_ms;
};

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

static struct zone_count *zone_find(struct run *run, const struct addr *ip)
{
        struct zone_key k = zone_of_addr(ip);
        for (size_t i = 0; i < run->nzones; i++)
                if (zone_key_equal(&run->zones[i].key, &k))
                        return &run->zones[i];
        return NULL;
}

static int zone_in_flight(struct run *run, const struct addr *ip)
{
        const struct zone_count *z = zone_find(run, ip);
        return z ? z->n : 0;
}

/* The table holds at most one row per check in flight: sized once. */
static void zone_add(struct run *run, const struct addr *ip, int delta)
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

static bool zone_is_warm(const struct run *run, const struct addr *ip)
{
        struct zone_key k = zone_of_addr(ip);
        for (size_t i = 0; i < run->nwarm; i++)
                if (zone_key_equal(&run->warm[i], &k))
                        return true;
        return false;
}

static void zone_set_warm(struct run *run, const struct addr *ip)
{
        if (zone_is_warm(run, ip))
                return;
        run->warm[run->warm_next] = zone_of_addr(ip);
        run->warm_next = (run->warm_next + 1) % WARM_ZONES;
        if (run->nwarm < WARM_ZONES)
                run->nwarm++;
}

/* A zone's first check runs alone: it leaves the delegation and the DNSSEC
 * proof for the zone in the resolver's cache, which the others then share.
 * Started together, each would fetch and validate them itself. It counts
 * once done, whatever the outcome, so a dead zone is not checked serially. */
static int zone_limit(const struct run *run, const struct addr *ip)
{
        return zone_is_warm(run, ip) ? run->o->zone_concurrency : 1;
}

/* ------------------------------------------------------------ entries */

static struct entry *entry_new(struct run *run, enum entry_kind kind, const char *target)
{
        struct entry *e = calloc(1, sizeof(*e));
        if (e && !(e->target = strdup(target))) {
                free(e);
                e = NULL;
        }
        if (!e) {
                run->out_of_memory = true;
                return NULL;
        }
        e->run = run;
        e->kind = kind;
        return e;
}

static void host_lookup_free(struct run *run, struct host_lookup *h)
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
        free(e->target);
        free(e->host_name);
        free(e->out);
        free(e);
}

static void entry_append(struct run *run, struct entry *e)
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

static void entry_done(struct entry *e, char *out, enum verdict v)
{
        e->out = out;
        e->state = ENTRY_DONE;
        e->run->verdicts[v]++;
}

/* ------------------------------------------------------------ rendering */

/* Some text as a JSON string literal; caller frees. */
static char *json_quote(const char *s)
{
        json_t *j = json_string(s);
        char *q = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
        json_decref(j);
        return q;
}

static bool ptr_names(const struct check_result *res, const char *name)
{
        const struct resolver_answer *p = res->ptr;
        for (size_t i = 0; p && p->status == RES_OK && i < p->ndata; i++)
                if (strcasecmp(p->data[i], name) == 0)
                        return true;
        return false;
}

static char *render_json(const struct entry *e, const struct check_result *res)
{
        struct report_target t = {.target = e->target, .name_matches = -1};
        if (e->host_name)
                t.name_matches = ptr_names(res, e->host_name);
        char *obj = report_json(res, &t);
        char *line = NULL;
        if (obj && asprintf(&line, "%s\n", obj) < 0)
                line = NULL;
        free(obj);
        return line;
}

static char *render_text(const struct entry *e, const struct check_result *res)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f)
                return NULL;
        if (e->host_name)
                fprintf(f, ";; target %s: address %zu of %zu; the PTR %s to %s\n", e->target,
                        e->host_index, e->host_count,
                        ptr_names(res, e->host_name) ? "points back" : "does NOT point back",
                        e->host_name);
        report_text(f, res, &e->run->o->style);
        fclose(f);
        return buf;
}

/* A host name that gave no address to check. */
static char *render_host_error(const struct entry *e, const char *why)
{
        char *line = NULL;
        if (e->run->o->json) {
                char *target = json_quote(e->target), *msg = json_quote(why);
                if (!target || !msg ||
                    asprintf(&line,
                             "{\"target\":%s,\"ip\":null,\"error\":%s,\"verdict\":\"fail\"}\n",
                             target, msg) < 0)
                        line = NULL;
                free(target);
                free(msg);
        } else if (asprintf(&line, ";; ptrwiz check %s\n;; error: %s\n\n;; verdict: fail\n",
                            e->target, why) < 0) {
                line = NULL;
        }
        return line;
}

/* ------------------------------------------------------------ checks */

/* A result for a check that could not run or finish: a timeout finding
 * instead of the answers. */
static struct check_result *result_unfinished(const struct entry *e, const char *why)
{
        struct check_result *res = calloc(1, sizeof(*res));
        if (!res)
                return NULL;
        res->ip = e->ip;
        addr_format(&e->ip, res->ip_text, sizeof(res->ip_text));
        revname_breakdown(&e->ip, &res->names);
        res->elapsed_ms = e->run->o->deadline_ms;
        findings_add(&res->findings, FINDING_RESOLUTION_TIMEOUT,
                     "Run 'ptrwiz trace' on this address to see which server is slow; raise "
                     "--deadline if the zone is just far away.",
                     "%s", why);
        res->verdict = verdict_from_findings(&res->findings);
        check_assign_actors(res);
        return res;
}

static void entry_checked(void *arg, struct check_result *res)
{
        struct entry *e = arg;
        struct run *run = e->run;
        e->check = NULL;
        loop_timer_cancel(run->lp, e->deadline_timer);
        e->deadline_timer = 0;
        zone_add(run, &e->ip, -1);
        zone_set_warm(run, &e->ip);
        run->running--;
        if (!res) {
                run->out_of_memory = true;
                entry_done(e, NULL, VERDICT_FAIL);
                return;
        }
        if (res->trace)
                run->trace_queries += res->trace->queries;
        if (run->o->on_result) {
                enum verdict v = res->verdict;
                run->o->on_result(run->o->on_arg, res, e->target);
                entry_done(e, NULL, v);
                return;
        }
        char *out = run->o->json ? render_json(e, res) : render_text(e, res);
        if (!out)
                run->out_of_memory = true;
        entry_done(e, out, res->verdict);
        check_result_free(res);
}

static void entry_deadline(void *arg)
{
        struct entry *e = arg;
        char why[200];
        e->deadline_timer = 0;
        check_cancel(e->check);
        e->check = NULL;
        snprintf(why, sizeof(why), "the check of %s did not finish within %d ms (--deadline)",
                 e->target, e->run->o->deadline_ms);
        entry_checked(e, result_unfinished(e, why));
}

static void check_begin(struct entry *e)
{
        struct run *run = e->run;
        zone_add(run, &e->ip, 1);
        run->running++;
        e->check = check_start(run->r, &e->ip, &run->o->check, NULL, entry_checked, e);
        if (!e->check) {
                entry_checked(e, result_unfinished(e, "the lookups could not be started"));
                return;
        }
        e->deadline_timer = loop_timer_add(run->lp, run->o->deadline_ms, entry_deadline, e);
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
        struct run *run = e->run;
        struct entry *first = NULL, *last = NULL;
        for (size_t i = 0; i < n; i++) {
                struct entry *c = entry_new(run, ENTRY_CHECK, e->target);
                if (!c)
                        break;
                c->ip = addrs[i];
                c->host_index = i + 1;
                c->host_count = n;
                c->host_name = strdup(e->host_name);
                if (!c->host_name)
                        run->out_of_memory = true;
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
        struct run *run = e->run;
        struct host_lookup *h = e->lookup;
        struct addr addrs[TARGET_MAX_HOST_ADDRS];
        size_t n;
        size_t seen = host_addresses(h, addrs, &n);
        run->running--;
        if (n == 0) {
                char why[400];
                snprintf(why, sizeof(why), "%s has no address to check (A: %s, AAAA: %s)",
                         e->host_name, answer_status(h->ans[0]), answer_status(h->ans[1]));
                char *out = NULL;
                if (run->o->on_error)
                        run->o->on_error(run->o->on_arg, e->target, why);
                else if (!(out = render_host_error(e, why)))
                        run->out_of_memory = true;
                entry_done(e, out, VERDICT_FAIL);
        } else {
                if (seen > n)
                        cli_error("note: %s has %zu addresses; checking the first %zu", e->target,
                                  seen, n);
                host_expand(e, addrs, n);
                e->state = ENTRY_DONE; /* prints nothing itself */
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
        struct run *run = e->run;
        static const int types[2] = {LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA};
        static const resolver_cb cbs[2] = {host_answer_a, host_answer_aaaa};
        run->running++;
        e->lookup = calloc(1, sizeof(*e->lookup));
        if (!e->lookup) {
                run->out_of_memory = true;
                run->running--;
                entry_done(e, NULL, VERDICT_FAIL);
                return;
        }
        for (int k = 0; k < 2; k++) {
                char err[300];
                e->lookup->qid[k] =
                    resolver_query(run->r, e->host_name, types[k], cbs[k], e, err, sizeof(err));
                if (e->lookup->qid[k] > 0)
                        e->lookup->pending++;
        }
        if (e->lookup->pending == 0)
                host_resolved(e);
}

/* ------------------------------------------------------------ the feed */

static int feed_open(struct run *run)
{
        struct feed *f = &run->feed;
        const struct bulk_opts *o = run->o;
        bool stdin_used = false;
        f->src = o->sources;
        f->nsrc = o->nsources;
        f->lists = calloc(o->nsources, sizeof(*f->lists));
        if (!f->lists) {
                cli_error("out of memory");
                return -1;
        }
        for (size_t i = 0; i < o->nsources; i++) {
                char err[400];
                const struct bulk_source *s = &o->sources[i];
                if (!s->is_list) {
                        struct target t;
                        if (target_parse(s->text, &t, err, sizeof(err)) < 0) {
                                cli_error("%s", err);
                                return -1;
                        }
                        if (run->total != UINT64_MAX)
                                run->total = t.kind == TARGET_HOST ? UINT64_MAX
                                                                   : run->total + target_size(&t);
                        continue;
                }
                if (strcmp(s->text, "-") == 0 && stdin_used) {
                        cli_error("check: the list '-' (stdin) is given twice");
                        return -1;
                }
                stdin_used = stdin_used || strcmp(s->text, "-") == 0;
                run->total = UINT64_MAX;
                if (!(f->lists[i] = target_list_open(s->text, err, sizeof(err)))) {
                        cli_error("%s", err);
                        return -1;
                }
        }
        if (run->total == UINT64_MAX)
                run->total = 0;
        return 0;
}

static void feed_close(struct feed *f)
{
        for (size_t i = 0; f->lists && i < f->nsrc; i++)
                target_list_close(f->lists[i]);
        free(f->lists);
}

/* The next target in input order: 1, or 0 at the end. A bad line of a list
 * is reported and skipped. */
static int feed_next_target(struct run *run, struct target *t)
{
        struct feed *f = &run->feed;
        char err[600];
        while (f->next < f->nsrc) {
                struct target_list *l = f->lists[f->next];
                if (!l) {
                        target_parse(f->src[f->next++].text, t, err, sizeof(err));
                        return 1;
                }
                int rc = target_list_next(l, t, err, sizeof(err));
                if (rc == 1)
                        return 1;
                if (rc < 0) {
                        cli_error("%s", err);
                        run->bad_input = true;
                }
                if (rc == 0 || rc == -2)
                        f->next++;
        }
        return 0;
}

/* Creates the next entry from the targets: 1, or 0 at the end. */
static int feed_pull(struct run *run)
{
        struct feed *f = &run->feed;
        for (;;) {
                struct addr ip;
                if (f->walking && target_iter_next(&f->it, &ip)) {
                        struct entry *e = entry_new(run, ENTRY_CHECK, f->cur.text);
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
                        cli_error("note: %s", f->cur.note);
                if (f->cur.kind != TARGET_HOST) {
                        target_iter_init(&f->it, &f->cur);
                        f->walking = true;
                        continue;
                }
                struct entry *e = entry_new(run, ENTRY_HOST, f->cur.text);
                if (!e || !(e->host_name = strdup(f->cur.name))) {
                        if (e)
                                entry_free(e);
                        run->out_of_memory = true;
                        return 0;
                }
                entry_append(run, e);
                return 1;
        }
}

/* ------------------------------------------------------------ the run */

static void progress_clear(struct run *run)
{
        if (run->progress_shown)
                fputs("\r\033[K", stderr);
        run->progress_shown = false;
}

static void progress_draw(struct run *run)
{
        int64_t now = loop_now_ms();
        if (!run->o->progress || run->total == 1 || now - run->progress_ms < PROGRESS_INTERVAL_MS)
                return;
        run->progress_ms = now;
        size_t done = run->verdicts[0] + run->verdicts[1] + run->verdicts[2];
        char total[40] = "";
        if (run->total)
                snprintf(total, sizeof(total), " of %llu", (unsigned long long)run->total);
        fprintf(stderr, "\r\033[Kptrwiz: %zu%s checked, %zu in flight, %zu fail, %.1f s", done,
                total, run->running, run->verdicts[VERDICT_FAIL], (now - run->started_ms) / 1000.0);
        run->progress_shown = true;
}

/* Prints every finished entry at the head, in order. */
static void flush_ready(struct run *run)
{
        bool wrote = false;
        while (run->head && run->head->state == ENTRY_DONE) {
                struct entry *e = run->head;
                run->head = e->next;
                if (!run->head)
                        run->tail = NULL;
                if (e->out) {
                        if (!wrote)
                                progress_clear(run);
                        if (!run->o->json && run->printed > 0)
                                fputc('\n', stdout);
                        fputs(e->out, stdout);
                        run->printed++;
                        wrote = true;
                }
                entry_free(e);
                run->buffered--;
        }
        if (wrote)
                fflush(stdout);
}

static bool zone_full(struct run *run, const struct entry *e)
{
        return e->kind == ENTRY_CHECK && zone_in_flight(run, &e->ip) >= zone_limit(run, &e->ip);
}

/* The first waiting entry whose zone has room, unlinked from the queue;
 * NULL when every waiting entry's zone is full. Entries of a full zone are
 * passed over, so a block spanning several /24s checks them side by side. */
static struct entry *sq_take(struct run *run)
{
        struct entry *prev = NULL;
        struct zone_key full = {0}; /* the last full zone seen: blocks come in runs */
        for (struct entry *e = run->sq_head; e; prev = e, e = e->snext) {
                if (e->kind == ENTRY_CHECK) {
                        struct zone_key k = zone_of_addr(&e->ip);
                        if (zone_key_equal(&k, &full))
                                continue;
                        if (zone_full(run, e)) {
                                full = k;
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
                return e;
        }
        return NULL;
}

/* Starts waiting entries while the limits allow, creating them from the
 * targets as long as the window has room. */
static void pump(struct run *run)
{
        while (run->running < (size_t)run->o->concurrency && !run->out_of_memory) {
                struct entry *e = sq_take(run);
                if (!e) {
                        if (run->buffered >= run->window || !feed_pull(run))
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

static void summary(struct run *run)
{
        size_t n = run->verdicts[0] + run->verdicts[1] + run->verdicts[2];
        if (n < 2)
                return;
        fprintf(stderr, "ptrwiz: %zu checked: %zu pass, %zu warn, %zu fail; %.2f s, %llu queries\n",
                n, run->verdicts[VERDICT_PASS], run->verdicts[VERDICT_WARN],
                run->verdicts[VERDICT_FAIL], (loop_now_ms() - run->started_ms) / 1000.0,
                (unsigned long long)(resolver_queries(run->r) + run->trace_queries));
}

static void run_loop(struct run *run)
{
        for (;;) {
                pump(run);
                flush_ready(run);
                if (run->out_of_memory) {
                        cli_error("out of memory");
                        return;
                }
                if ((run->feed.done && !run->head) || (run->o->stop && *run->o->stop))
                        return;
                progress_draw(run);
                if (loop_run_once(run->lp, run->o->progress ? PROGRESS_INTERVAL_MS : 1000) < 0) {
                        cli_error("poll failed");
                        run->out_of_memory = true;
                        return;
                }
        }
}

static void run_free(struct run *run)
{
        while (run->head) {
                struct entry *e = run->head;
                run->head = e->next;
                entry_free(e);
        }
        resolver_free(run->r);
        loop_free(run->lp);
        feed_close(&run->feed);
        free(run->zones);
}

/* Each check holds a few sockets at once (its trace's and libunbound's):
 * more checks than the descriptor limit allows would fail on this host,
 * and look like servers that do not answer. */
static struct bulk_opts fit_to_fds(const struct bulk_opts *o)
{
        struct bulk_opts fit = *o;
        fit.concurrency = loop_fd_concurrency(o->concurrency, BULK_FDS_PER_CHECK);
        if (fit.zone_concurrency > fit.concurrency)
                fit.zone_concurrency = fit.concurrency;
        return fit;
}

int bulk_run(const struct bulk_opts *opts)
{
        const struct bulk_opts fit = fit_to_fds(opts);
        const struct bulk_opts *o = &fit;
        struct run run = {.o = o};
        char err[512];
        run.window = (size_t)o->concurrency * 4;
        if (run.window < WINDOW_MIN)
                run.window = WINDOW_MIN;
        if (feed_open(&run) < 0) {
                feed_close(&run.feed);
                return EXIT_USAGE;
        }
        run.zones = calloc((size_t)o->concurrency, sizeof(*run.zones));
        run.lp = loop_new();
        run.r = run.lp && run.zones ? resolver_new(o->resolver, run.lp, err, sizeof(err)) : NULL;
        if (!run.r) {
                cli_error("%s", run.lp && run.zones ? err : "out of memory");
                run_free(&run);
                return EXIT_RESOLVER;
        }
        run.started_ms = loop_now_ms();
        run_loop(&run);
        progress_clear(&run);
        summary(&run);
        int status = run.out_of_memory            ? EXIT_RESOLVER
                     : run.bad_input              ? EXIT_USAGE
                     : run.verdicts[VERDICT_FAIL] ? EXIT_FAIL
                                                  : EXIT_PASS;
        run_free(&run);
        return status;
}
