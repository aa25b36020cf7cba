/* trace: the life of a trace and of its queries. Queries wait in one line
 * and are sent from the loop by a pump, never from inside the code that
 * made them; each ends by reply, error or timeout and hands its result to
 * the walks (trace_walk.c). The trace ends when no query is left: no hang.
 * Callbacks from the loop enter and leave the trace, so that a user's
 * trace_cancel inside an event is done when the callback returns. */
#include "trace_int.h"

#include <ldns/ldns.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "ptrwiz/hostname.h"

/* ---------------------------------------------------------------- basics */

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

const struct trace_server *trace_zone_followed(const struct trace_zone *z)
{
        return z->followed >= 0 && (size_t)z->followed < z->nservers ? &z->servers[z->followed]
                                                                     : NULL;
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
        t->backoff_ms = 0; /* sockets are there again */
}

void trace_local_error(struct trace *t, const char *why)
{
        if (!t->res->local_error)
                t->res->local_error = trace_dup(why);
}

void trace_query_ignored(struct tquery *q, enum msg_ignored why)
{
        q->t->res->ignored++;
        q->ignored[why]++;
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

bool trace_cut_public(const struct cut *c)
{
        return c->main || c == c->t->probe;
}

void trace_emit(struct trace *t, enum trace_event_kind kind, const struct cut *c, size_t row,
                int qtype)
{
        if (!t->event || t->cancelled || (c && !trace_cut_public(c)))
                return;
        sync_view(t);
        struct trace_event ev = {.kind = kind, .qtype = qtype};
        ev.zone = c ? &c->z : NULL;
        ev.server = c && row < c->z.nservers ? &c->z.servers[row] : NULL;
        t->event(t->arg, &ev);
}

void trace_limit(struct trace *t, enum limit_kind kind, const char *fmt, ...)
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
        int64_t wait = t->paused_until - loop_now_ms();
        if (!t->pump && t->queued)
                t->pump = loop_timer_add(t->lp, wait > 0 ? wait : 0, pump_cb, t);
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
void trace_query_free(struct tquery *q)
{
        trace_net_stop(q);
        query_unlink(q);
        free(q->qname);
        free(q->zone);
        free(q->wire);
        free(q->buf);
        free(q);
}

struct tquery *trace_query_new(struct trace *t, enum query_purpose purpose, struct cut *c,
                               size_t row, const char *qname, int qtype, const char *zone,
                               const struct addr *addr)
{
        if (t->aborted)
                return NULL;
        if (t->created >= (uint64_t)t->opts.max_queries) {
                trace_limit(t, LIMIT_QUERIES,
                            "the trace reached its limit of %d queries; some servers were not "
                            "asked",
                            t->opts.max_queries);
                return NULL;
        }
        struct tquery *q = calloc(1, sizeof(*q));
        if (!q)
                return NULL;
        q->t = t;
        q->hop = t->hop + 1;
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
        while (!t->cancelled && t->inflight < TRACE_MAX_SOCKETS &&
               loop_now_ms() >= t->paused_until && (q = first_queued(t))) {
                t->queued--;
                t->inflight++;
                q->state = QS_UDP;
                if (q->cut)
                        trace_emit(t, TRACE_EV_SENT, q->cut, q->row, q->qtype);
                if (q->want_tcp)
                        trace_net_tcp(q);
                else
                        trace_net_send(q); /* may end the query at once */
        }
        trace_leave(t);
}

/* -------------------------------------------------------- finished queries */

/* "ignored 2 replies with a wrong id, 1 with a wrong question"; false when
 * every reply was taken. */
static bool ignored_note(const struct tquery *q, char *buf, size_t len)
{
        static const char *const whys[IGNORED_KINDS] = {
            [IGNORED_ID] = "a wrong id",
            [IGNORED_QUESTION] = "a wrong question",
            [IGNORED_NOT_REPLY] = "no QR bit or another opcode",
            [IGNORED_SOURCE] = "another source address",
        };
        size_t used = 0;
        buf[0] = '\0';
        for (int k = 0; k < IGNORED_KINDS && used < len; k++) {
                unsigned n = q->ignored[k];
                if (n)
                        used += (size_t)snprintf(buf + used, len - used, "%s%u %s with %s",
                                                 used ? ", " : "ignored ", n,
                                                 n == 1 ? "reply" : "replies", whys[k]);
        }
        return used > 0;
}

static void query_complete(struct tquery *q, const struct qresult *qr_in)
{
        /* A server whose replies were all ignored must not look merely silent. */
        char note[200], why[400];
        struct qresult qr_copy = *qr_in;
        const struct qresult *qr = &qr_copy;
        if (ignored_note(q, note, sizeof(note))) {
                qr_copy.ignored = note;
                if (!trace_outcome_good(qr_in->outcome) && qr_in->why) {
                        snprintf(why, sizeof(why), "%s; %s", qr_in->why, note);
                        qr_copy.why = why;
                }
        }
        /* What this reply makes us ask comes one round trip after it. */
        struct trace *t = q->t;
        int outer_hop = t->hop;
        t->hop = q->hop;
        if (qr->reply && q->hop > t->res->round_trips)
                t->res->round_trips = q->hop;
        enum query_purpose purpose = q->purpose;
        struct cut *c = q->cut;
        size_t row = q->row;
        struct lookup *l = q->lookup;
        int qtype = q->qtype;
        trace_query_free(q);
        switch (purpose) {
        case QP_NAME:
                trace_row_name_done(c, row, qr, qtype);
                break;
        case QP_SOA:
        case QP_NS:
                trace_row_apex_done(c, row, qr, qtype);
                break;
        case QP_AAAA:
                trace_lookup_aaaa_done(l, qr);
                break;
        }
        t->hop = outer_hop;
}

static int64_t query_rtt(const struct tquery *q)
{
        return q->sent_ms ? loop_now_ms() - q->sent_ms : 0;
}

void trace_query_fail(struct tquery *q, enum trace_outcome o, bool local, const char *why)
{
        struct qresult qr = {
            .outcome = o, .local = local, .why = why, .rtt = query_rtt(q), .tries = q->tries};
        qr.tcp = q->state >= QS_TCP_CONNECT && q->state <= QS_TCP_READ;
        query_complete(q, &qr);
}

void trace_query_backoff(struct tquery *q, const char *what, int err)
{
        struct trace *t = q->t;
        char why[200];
        snprintf(why, sizeof(why), "%s: %s", what, strerror(err));
        trace_local_error(t, why);
        if (++q->backoffs > TRACE_MAX_BACKOFFS) {
                snprintf(why, sizeof(why), "not asked: %s: %s, on this host (not the server)", what,
                         strerror(err));
                trace_query_fail(q, TRACE_NOT_ASKED, true, why);
                return;
        }
        trace_net_stop(q);
        q->state = QS_QUEUED;
        t->inflight--;
        t->queued++;
        t->backoff_ms = t->backoff_ms ? 2 * t->backoff_ms : TRACE_BACKOFF_MS;
        if (t->backoff_ms > TRACE_BACKOFF_MAX_MS)
                t->backoff_ms = TRACE_BACKOFF_MAX_MS;
        t->paused_until = loop_now_ms() + t->backoff_ms;
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
                trace_query_ignored(q, r.ignored);
                trace_reply_clear(&r);
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
        if (udp && q->tries == 1)
                trace_net_rtt_sample(q->t, &q->addr, query_rtt(q));
        struct qresult qr = {.tcp = !udp, .bytes = len, .rtt = query_rtt(q), .tries = q->tries};
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

/* Whom the deadline cut: ": ns1.x. (127.53.8.1) of zone Z after 420 ms
 * (another server of Z answered), ..." for the first two servers asked for
 * the name, so that the user knows which one to wait for; "" when none. */
static void cut_servers_text(const struct trace *t, char *buf, size_t len)
{
        size_t used = 0, shown = 0, more = 0;
        buf[0] = '\0';
        for (const struct tquery *q = t->qhead; q; q = q->next) {
                if (q->purpose != QP_NAME || q->state == QS_QUEUED || !q->cut ||
                    q->row >= q->cut->z.nservers)
                        continue;
                if (shown == 2) {
                        more++;
                        continue;
                }
                const struct trace_zone *z = &q->cut->z;
                bool other = false;
                for (size_t i = 0; i < z->nservers && !other; i++)
                        other = trace_outcome_good(z->servers[i].outcome);
                int n = snprintf(buf + used, len - used, "%s%s (%s) of %s after %lld ms%s",
                                 shown ? ", " : ": ", z->servers[q->row].ns_name,
                                 z->servers[q->row].addr_text, z->zone, (long long)query_rtt(q),
                                 other ? " (another server of the zone answered)" : "");
                if (n < 0 || (size_t)n >= len - used)
                        break;
                used += (size_t)n;
                shown++;
        }
        if (more && used < len)
                snprintf(buf + used, len - used, ", and %zu more", more);
}

static void deadline_cb(void *arg)
{
        struct trace *t = arg;
        t->deadline = 0;
        trace_enter(t);
        t->aborted = true;
        t->wait_cut = NULL; /* ends without asking */
        char cut[300];
        cut_servers_text(t, cut, sizeof(cut));
        trace_limit(t, LIMIT_DEADLINE,
                    "the trace's deadline of %d ms passed; the servers still being asked "
                    "were given up%s",
                    t->opts.deadline_ms, cut);
        struct tquery *q;
        while ((q = t->qhead)) {
                struct qresult qr = {.why = "no reply before " TRACE_WHY_DEADLINE,
                                     .rtt = query_rtt(q),
                                     .tries = q->tries};
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
        trace_walk_start(t->main);
        trace_leave(t);
}

void trace_kick(struct trace *t)
{
        if (!t->kick)
                t->kick = loop_timer_add(t->lp, 0, kick_cb, t);
        if (t->kick < 0)
                t->kick = 0; /* out of memory: the deadline ends the trace */
}

static void trace_destroy(struct trace *t, bool result_taken)
{
        if (t->opts.deleg)
                trace_share_leave(t);
        if (t->kick)
                loop_timer_cancel(t->lp, t->kick);
        if (t->pump)
                loop_timer_cancel(t->lp, t->pump);
        if (t->deadline)
                loop_timer_cancel(t->lp, t->deadline);
        free(t->rtts);
        while (t->qhead)
                trace_query_free(t->qhead);
        while (t->cuts) {
                struct cut *c = t->cuts;
                t->cuts = c->next_all;
                trace_cut_free(c, result_taken && (c->main || c == t->probe));
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
                free(l->aaaa_name);
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
                res->final_name = trace_dup(w->qname);
        }
        res->elapsed_ms = loop_now_ms() - t->started;
        if (!t->settled)
                res->settled_ms = res->elapsed_ms;
        res->complete = !t->limits;
        sync_view(t);
        trace_find_zones(res, t->expect, t->nexpect);
        trace_emit(t, TRACE_EV_DONE, NULL, 0, 0);
        res->probe = NULL;
        if (t->probe) {
                res->probe = malloc(sizeof(*res->probe));
                if (res->probe)
                        *res->probe = t->probe->z;
                else
                        trace_zone_clear(&t->probe->z);
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

static bool cut_answered(const struct cut *c)
{
        for (size_t i = 0; i < c->z.nservers; i++)
                if (trace_outcome_good(c->z.servers[i].outcome))
                        return true;
        return false;
}

/* Everything the findings depend on is in but for rows of zones that
 * another server already answered: those only wait for their timeouts. */
static bool trace_settled(const struct trace *t)
{
        if (!t->main || !t->main->finished || t->wait_cut || t->queued || !t->qhead)
                return false;
        for (const struct walk *w = t->walks; w; w = w->next_all)
                if (!w->finished)
                        return false;
        for (const struct lookup *l = t->lookups; l; l = l->next_all)
                if (!l->done)
                        return false;
        for (const struct tquery *q = t->qhead; q; q = q->next)
                if (!q->cut || !cut_answered(q->cut))
                        return false;
        return true;
}

static void note_settled(struct trace *t)
{
        if (t->settled || t->cancelled || !trace_settled(t))
                return;
        t->settled = true;
        t->res->settled_ms = loop_now_ms() - t->started;
        trace_emit(t, TRACE_EV_SETTLED, NULL, 0, 0);
}

void trace_leave(struct trace *t)
{
        if (--t->busy > 0)
                return;
        note_settled(t);
        trace_share_publish(t); /* as soon as a cut is over, for traces starting now */
        trace_share_wake(t);
        if (t->cancelled)
                trace_destroy(t, false);
        else if (t->kick || t->inflight || t->queued || t->wait_cut)
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
            trace_msg_root_hints(opts->root_hints, opts->hints, &t->root_ns, &t->nroot_ns,
                                 &t->root_glue, &t->nroot_glue, err, errlen) < 0)
                goto fail;
        if (t->opts.deleg && trace_share_join(t) < 0)
                t->opts.deleg = NULL; /* out of memory: ask every cut */
        t->main = trace_walk_new(t, res->qname, qtype, NULL, 0);
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
                trace_zone_clear(&res->zones[i]);
        free(res->zones);
        if (res->probe)
                trace_zone_clear(res->probe);
        free(res->probe);
        strv_free(res->final, res->nfinal);
        free(res->final_name);
        free(res->final_zone);
        free(res->local_error);
        findings_clear(&res->findings);
        free(res);
}
