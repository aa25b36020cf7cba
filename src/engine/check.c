/* check: the PTR lookup, its zone, and forward confirmation for one IP.
 * Lookups run concurrently through the resolver; findings are derived
 * afterwards in check_evaluate() from the answers alone. */
#include "ptrwiz/check.h"

#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_int.h"
#include "ptrwiz/dnsbl.h"

#define CHECK_MAX_LOOKUPS                                                                          \
        (2 + 1 + 1 + 1 + 2 * CHECK_MAX_PTR + CHECK_MAX_VIEWS + 2 * CHECK_MAX_DNSBL)

/* Where an answer goes once it arrives. */
struct slot {
        struct check *c;
        enum {
                SLOT_PTR,
                SLOT_ZONE,
                SLOT_CNAME_ZONE,
                SLOT_A,
                SLOT_AAAA,
                SLOT_VIEW,
                SLOT_DNSBL_A,
                SLOT_DNSBL_TXT,
                SLOT_PROBE,
                SLOT_PTR_AGAIN
        } kind;
        size_t index;       /* forward, view or dnsbl entry */
        struct resolver *r; /* the resolver asked */
        long id;            /* resolver query id, 0 once answered */
};

struct check {
        struct resolver *r;
        struct check_opts opts; /* strings owned */
        struct check_result *res;
        check_progress_cb progress;
        check_done_cb done;
        void *arg;
        size_t pending;
        struct trace *trace; /* running alongside the lookups, NULL once done */
        bool traced;         /* a trace was started */
        bool settled;        /* the trace waits only for silent servers */
        bool ptr_stand_in;   /* res->ptr is the trace's, until the resolver's comes */
        trace_event_cb trace_event;
        void *trace_event_arg;
        struct slot slots[CHECK_MAX_LOOKUPS];
        size_t nslots;
        struct resolver *views[CHECK_MAX_VIEWS]; /* one forwarding context each */
        long finish_timer;
        long deadline; /* timer */
};

static void check_finish(struct check *c);
static void check_settle(struct check *c);

static void slot_done(void *arg, struct resolver_answer *ans);

static void finish_later(void *arg)
{
        struct check *c = arg;
        c->finish_timer = 0;
        check_settle(c);
}

static int check_ask_via(struct check *c, struct resolver *r, const char *name, int type, int kind,
                         size_t index)
{
        if (c->nslots == CHECK_MAX_LOOKUPS)
                return -1;
        struct slot *s = &c->slots[c->nslots];
        s->c = c;
        s->kind = kind;
        s->index = index;
        s->r = r;
        char err[256];
        s->id = resolver_query(r, name, type, slot_done, s, err, sizeof(err));
        if (s->id < 0)
                return -1;
        c->nslots++;
        c->pending++;
        c->res->queries++;
        return 0;
}

static int check_ask(struct check *c, const char *name, int type, int kind, size_t index)
{
        return check_ask_via(c, c->r, name, type, kind, index);
}

/* The zone holding an RFC 2317 CNAME is the zone of the owner's parent name. */
static void ask_cname_zone(struct check *c)
{
        const char *owner = c->res->names.owner;
        const char *parent = strchr(owner, '.');
        if (parent)
                check_ask(c, parent + 1, LDNS_RR_TYPE_SOA, SLOT_CNAME_ZONE, 0);
}

/* The zone the PTR lives in. A negative answer names it (the SOA in its
 * authority section, after any CNAME, as an SOA lookup of the owner would);
 * a positive one does not, so the SOA is asked then, beside the forward
 * lookups that take at least as long, and after a bogus one (the zone's SOA
 * may validate). Another failed lookup has no zone to find: its SOA lookup
 * would fail or wait the same way. */
static void ask_zone(struct check *c)
{
        struct check_result *res = c->res;
        const struct resolver_answer *p = res->ptr;
        bool negative = p->status == RES_NXDOMAIN || p->status == RES_NODATA;
        if (negative && p->soa_owner) {
                res->zone = strdup(p->soa_owner);
                res->zone_soa = p->soa_text ? strdup(p->soa_text) : NULL;
        } else if (negative || p->status == RES_OK || p->dnssec == DNSSEC_BOGUS) {
                check_ask(c, res->names.owner, LDNS_RR_TYPE_SOA, SLOT_ZONE, 0);
        }
}

/* Asks A and AAAA of a PTR name, once. */
static void forward_add(struct check *c, const char *name)
{
        struct check_result *res = c->res;
        for (size_t k = 0; k < res->nforward; k++)
                if (res->forward[k].name && !strcasecmp(res->forward[k].name, name))
                        return;
        if (res->nforward >= CHECK_MAX_PTR)
                return;
        size_t k = res->nforward++;
        res->forward[k].name = strdup(name);
        if (!res->forward[k].name)
                return;
        check_ask(c, name, LDNS_RR_TYPE_A, SLOT_A, k);
        check_ask(c, name, LDNS_RR_TYPE_AAAA, SLOT_AAAA, k);
}

static void ask_forward(struct check *c)
{
        const struct resolver_answer *ptr = c->res->ptr;
        c->res->nptr_total = ptr->ndata;
        for (size_t i = 0; i < ptr->ndata; i++)
                forward_add(c, ptr->data[i]);
}

static void forward_clear(struct check_forward *f)
{
        free(f->name);
        free(f->ulabel);
        resolver_answer_free(f->a);
        resolver_answer_free(f->aaaa);
}

/* The forward lookups of the PTR names the trace found started before the
 * resolver's PTR answer; the resolver's answer decides which are checked. */
static void forward_keep_resolved(struct check_result *res)
{
        const struct resolver_answer *ptr = res->ptr;
        size_t n = 0;
        for (size_t k = 0; k < res->nforward; k++) {
                struct check_forward *f = &res->forward[k];
                bool keep = false;
                for (size_t i = 0; ptr && ptr->status == RES_OK && i < ptr->ndata && !keep; i++)
                        keep = f->name && !strcasecmp(f->name, ptr->data[i]);
                if (!keep) {
                        forward_clear(f);
                        continue;
                }
                res->forward[n++] = *f;
        }
        for (size_t k = n; k < res->nforward; k++)
                memset(&res->forward[k], 0, sizeof(res->forward[k]));
        res->nforward = n;
}

/* Without a trace, a failed lookup says nothing about where it failed: one
 * more lookup of a zone every resolver reaches (in-addr.arpa., ip6.arpa.)
 * tells a dead reverse zone from a machine that reaches no DNS server. */
static void ask_probe(struct check *c)
{
        const struct resolver_answer *p = c->res->ptr;
        if (c->traced || c->res->offline || (p->status != RES_SERVFAIL && p->status != RES_TIMEOUT))
                return;
        check_ask(c, c->res->ip.family == AF_INET6 ? "ip6.arpa." : "in-addr.arpa.",
                  LDNS_RR_TYPE_SOA, SLOT_PROBE, 0);
}

static char *zone_of(const struct resolver_answer *a)
{
        if (a->status == RES_OK) /* the name asked (or its CNAME target) is the apex */
                return strdup(a->ncname ? a->cname_to[a->ncname - 1] : a->qname);
        return a->soa_owner ? strdup(a->soa_owner) : NULL;
}

/* Lookups the verdict so far need not wait for: the trace has the reverse
 * zone's answer (the resolver may be waiting on the silent server). */
static bool so_far_optional(const struct slot *s)
{
        return s->kind == SLOT_PTR || s->kind == SLOT_ZONE || s->kind == SLOT_CNAME_ZONE;
}

static bool so_far_ready(const struct check *c)
{
        if (!c->trace || !c->settled)
                return false;
        for (size_t i = 0; i < c->nslots; i++)
                if (c->slots[i].id > 0 && !so_far_optional(&c->slots[i]))
                        return false;
        return true;
}

/* The trace waits only for servers of zones another server answered, and
 * every lookup but the reverse zone's is in: the verdict so far, with those
 * servers counted as silent, before their timeouts; again with each answer
 * that comes in until the trace is done. The final evaluation replaces it. */
static void check_so_far(struct check *c)
{
        struct check_result *res = c->res;
        if (!so_far_ready(c))
                return;
        struct resolver_answer *stand_in = NULL;
        if (!res->ptr && !(stand_in = check_ptr_from_trace(trace_partial(c->trace))))
                return; /* no PTR from the trace either: wait for the resolver's */
        if (!res->so_far) {
                struct trace_result *tr = trace_so_far(c->trace);
                if (!tr) { /* nothing to wait for, or out of memory */
                        resolver_answer_free(stand_in);
                        return;
                }
                res->trace = tr;
                res->so_far = true;
        }
        if (stand_in) {
                res->ptr = stand_in;
                c->ptr_stand_in = true;
        }
        res->elapsed_ms = loop_now_ms() - res->started_ms;
        forward_keep_resolved(res);
        check_evaluate(res, &c->opts);
        if (!res->so_far_ms) {
                res->so_far_ms = res->elapsed_ms > 0 ? res->elapsed_ms : 1;
                res->so_far_verdict = res->verdict;
        }
        if (c->progress)
                c->progress(c->arg, res, NULL);
}

/* The copy the verdict so far was made from goes before the final result's. */
static void drop_so_far(struct check *c)
{
        struct check_result *res = c->res;
        if (c->ptr_stand_in) {
                resolver_answer_free(res->ptr);
                res->ptr = NULL;
                c->ptr_stand_in = false;
        }
        if (!res->so_far)
                return;
        trace_result_free(res->trace);
        res->trace = NULL;
        res->so_far = false;
}

/* What a PTR answer leads to: the forward lookups of its names (or, when it
 * failed, the probe), the zone, and an RFC 2317 CNAME's zone. */
static void ptr_follow_up(struct check *c)
{
        const struct resolver_answer *ans = c->res->ptr;
        if (ans->status == RES_OK)
                ask_forward(c);
        else
                ask_probe(c);
        ask_zone(c);
        /* Also for a CNAME to a missing name: the reader needs both zones. */
        if (ans->ncname)
                ask_cname_zone(c);
}

static void slot_done(void *arg, struct resolver_answer *ans)
{
        struct slot *s = arg;
        struct check *c = s->c;
        struct check_result *res = c->res;
        c->pending--;
        s->id = 0;
        switch (s->kind) {
        case SLOT_PTR:
                if (c->ptr_stand_in) { /* the trace's answer, for the verdict so far */
                        resolver_answer_free(res->ptr);
                        c->ptr_stand_in = false;
                }
                res->ptr = ans;
                ptr_follow_up(c);
                break;
        case SLOT_PTR_AGAIN:
                if (ans->status == RES_SERVFAIL || ans->status == RES_TIMEOUT ||
                    ans->status == RES_ERROR) {
                        /* The first failure stands; a second lookup cut by the
                         * deadline (or a local error) said nothing. */
                        if (ans->status != RES_SERVFAIL)
                                res->ptr_asked_again = false;
                        resolver_answer_free(ans);
                        ans = NULL;
                        break;
                }
                resolver_answer_free(res->ptr);
                res->ptr = ans;
                ptr_follow_up(c);
                break;
        case SLOT_PROBE:
                res->probe = ans;
                break;
        case SLOT_ZONE:
                res->zone = zone_of(ans);
                /* a name below the apex: NODATA, the zone's SOA in authority */
                if (ans->soa_text)
                        res->zone_soa = strdup(ans->soa_text);
                break;
        case SLOT_CNAME_ZONE:
                res->cname_zone = zone_of(ans);
                break;
        case SLOT_A:
                res->forward[s->index].a = ans;
                break;
        case SLOT_AAAA:
                res->forward[s->index].aaaa = ans;
                break;
        case SLOT_VIEW:
                res->views[s->index].ptr = ans;
                break;
        case SLOT_DNSBL_A:
                res->dnsbl[s->index].a = ans;
                /* Listed: the list's reason is in the TXT record. */
                if (ans->status == RES_OK)
                        check_ask(c, res->dnsbl[s->index].qname, LDNS_RR_TYPE_TXT, SLOT_DNSBL_TXT,
                                  s->index);
                break;
        case SLOT_DNSBL_TXT:
                res->dnsbl[s->index].txt = ans;
                break;
        }
        if (c->progress && ans)
                c->progress(c->arg, res, ans);
        if (s->kind == SLOT_ZONE || s->kind == SLOT_CNAME_ZONE)
                resolver_answer_free(ans);
        check_so_far(c);
        if (c->pending > 0)
                return;
        /* Inside a view or fresh context's callback: the front end may free
         * the resolvers once the check is done, so finish from the loop. */
        if (s->kind == SLOT_VIEW || s->kind == SLOT_PTR_AGAIN)
                c->finish_timer = loop_timer_add(resolver_loop(c->r), 0, finish_later, c);
        else
                check_settle(c);
}

static void trace_done(void *arg, struct trace_result *tr)
{
        struct check *c = arg;
        c->trace = NULL;
        drop_so_far(c);
        c->res->trace = tr;
        c->res->queries += tr->queries;
        if (--c->pending == 0)
                check_settle(c);
}

static void trace_event(void *arg, const struct trace_event *ev)
{
        struct check *c = arg;
        if (ev->kind == TRACE_EV_ANSWER) {
                /* The trace, asking every server at once, often has the PTR
                 * names before the resolver: the forward lookups need not
                 * wait for it. */
                for (size_t i = 0; ev->qtype == LDNS_RR_TYPE_PTR && i < ev->nfinal; i++)
                        forward_add(c, ev->final[i]);
                return;
        }
        if (c->trace_event)
                c->trace_event(c->trace_event_arg, ev);
        if (ev->kind == TRACE_EV_SETTLED) {
                c->settled = true;
                check_so_far(c);
        }
}

/* The trace runs beside the libunbound lookups and counts as one of them. */
static int start_trace(struct check *c, const struct check_opts *opts)
{
        bool local = addr_has_builtin_reverse_zone(&c->res->ip) && !opts->trace_local_zones;
        if (opts->quick || local || !resolver_can_trace(c->r))
                return 0;
        char err[256];
        c->trace_event = opts->trace_event;
        c->trace_event_arg = opts->trace_event_arg;
        c->trace = trace_start(resolver_loop(c->r), c->res->names.owner, LDNS_RR_TYPE_PTR,
                               &opts->trace, trace_event, trace_done, c, err, sizeof(err));
        if (!c->trace)
                return -1;
        c->traced = true;
        c->pending++;
        return 0;
}

/* The deadline: the lookups still open end as timeouts (with how long
 * they ran), and the check is evaluated with what it has. The trace's own
 * deadline comes earlier (cli_check_opts), so it is normally in. */
static void check_deadline(void *arg)
{
        struct check *c = arg;
        c->deadline = 0;
        if (c->finish_timer > 0)
                return; /* every answer is in: the check finishes from the loop */
        if (c->trace) {
                trace_cancel(c->trace);
                c->trace = NULL;
                drop_so_far(c);
                c->pending--;
        }
        size_t n = c->nslots;
        for (size_t i = 0; i < n && c->pending > 0; i++) {
                struct slot *s = &c->slots[i];
                if (s->id <= 0)
                        continue;
                struct resolver_answer *a = resolver_cancel_timeout(s->r, s->id);
                if (a) {
                        bool last = c->pending == 1;
                        slot_done(s, a); /* a timeout asks nothing more */
                        if (last)
                                return; /* c is gone, or finishes from the loop */
                } else {
                        s->id = 0;
                        c->pending--;
                }
        }
        if (c->pending == 0)
                check_finish(c);
}

/* Each named resolver through a libunbound context of its own that
 * forwards to it, fresh for this check: what comes back is what that
 * resolver holds, with the TTL it has left. */
static int start_views(struct check *c, const struct check_opts *opts)
{
        struct check_result *res = c->res;
        for (size_t i = 0; i < opts->nviews && i < CHECK_MAX_VIEWS; i++) {
                struct check_view *v = &res->views[res->nviews++];
                v->server = strdup(opts->views[i]);
                if (!v->server)
                        return -1;
                struct resolver_opts ro = {.resolver = opts->views[i],
                                           .timeout_ms = opts->trace.timeout_ms};
                char err[256];
                c->views[i] = resolver_new(&ro, resolver_loop(c->r), err, sizeof(err));
                if (!c->views[i]) {
                        v->ptr = calloc(1, sizeof(*v->ptr));
                        if (!v->ptr || !(v->ptr->error = strdup(err)))
                                return -1;
                        v->ptr->status = RES_ERROR;
                        continue;
                }
                if (check_ask_via(c, c->views[i], res->names.owner, LDNS_RR_TYPE_PTR, SLOT_VIEW,
                                  i) < 0)
                        return -1;
        }
        return 0;
}

static int start_dnsbl(struct check *c, const struct check_opts *opts)
{
        struct check_result *res = c->res;
        for (size_t i = 0; i < opts->ndnsbl && i < CHECK_MAX_DNSBL; i++) {
                struct check_dnsbl *b = &res->dnsbl[res->ndnsbl++];
                b->zone = strdup(opts->dnsbl[i]);
                b->qname = b->zone ? dnsbl_qname(&res->names, b->zone) : NULL;
                if (!b->qname || check_ask(c, b->qname, LDNS_RR_TYPE_A, SLOT_DNSBL_A, i) < 0)
                        return -1;
        }
        return 0;
}

static char *dup_or_null(const char *s)
{
        return s ? strdup(s) : NULL;
}

struct check *check_start(struct resolver *r, const struct addr *ip, const struct check_opts *opts,
                          check_progress_cb progress, check_done_cb done, void *arg)
{
        struct check *c = calloc(1, sizeof(*c));
        struct check_result *res = calloc(1, sizeof(*res));
        if (!c || !res) {
                free(c);
                free(res);
                return NULL;
        }
        c->r = r;
        c->res = res;
        c->progress = progress;
        c->done = done;
        c->arg = arg;
        c->opts.quick = opts->quick;
        c->opts.expect_host = dup_or_null(opts->expect_host);
        c->opts.expect_domain = dup_or_null(opts->expect_domain);
        res->ip = *ip;
        addr_format(ip, res->ip_text, sizeof(res->ip_text));
        revname_breakdown(ip, &res->names);
        res->started_ms = loop_now_ms();
        res->offline = !resolver_has_route(r);
        res->forwarded = resolver_forwards(r);
        res->deadline_ms = opts->deadline_ms > 0 ? opts->deadline_ms : CHECK_DEFAULT_DEADLINE_MS;
        c->deadline = loop_timer_add(resolver_loop(r), res->deadline_ms, check_deadline, c);
        if (c->deadline < 0) {
                c->deadline = 0;
                check_cancel(c);
                return NULL;
        }
        if (check_ask(c, res->names.owner, LDNS_RR_TYPE_PTR, SLOT_PTR, 0) < 0 ||
            start_trace(c, opts) < 0 || start_views(c, opts) < 0 || start_dnsbl(c, opts) < 0) {
                check_cancel(c);
                return NULL;
        }
        return c;
}

const struct trace_result *check_trace_partial(const struct check *c)
{
        if (!c)
                return NULL;
        return c->trace ? trace_partial(c->trace) : c->res->trace;
}

bool check_tracing(const struct check *c)
{
        return c && c->trace;
}

size_t check_in_flight(const struct check *c)
{
        if (!c)
                return 0;
        return c->pending - (c->trace ? 1 : 0) + (c->trace ? trace_in_flight(c->trace) : 0);
}

static void views_free(struct check *c)
{
        for (size_t i = 0; i < CHECK_MAX_VIEWS; i++) {
                resolver_free(c->views[i]);
                c->views[i] = NULL;
        }
}

static void check_opts_free(struct check_opts *o)
{
        free((char *)o->expect_host);
        free((char *)o->expect_domain);
}

void check_cancel(struct check *c)
{
        if (!c)
                return;
        for (size_t i = 0; i < c->nslots; i++)
                if (c->slots[i].id > 0)
                        resolver_cancel(c->slots[i].r, c->slots[i].id);
        trace_cancel(c->trace);
        if (c->deadline)
                loop_timer_cancel(resolver_loop(c->r), c->deadline);
        if (c->finish_timer > 0)
                loop_timer_cancel(resolver_loop(c->r), c->finish_timer);
        views_free(c);
        check_result_free(c->res);
        check_opts_free(&c->opts);
        free(c);
}

/* What a lookup that ran out of time gave: nothing, and why. */
static struct resolver_answer *answer_expired(const char *qname, int qtype, int64_t rtt_ms,
                                              const char *why)
{
        struct resolver_answer *a = calloc(1, sizeof(*a));
        if (!a)
                return NULL;
        a->qname = qname ? strdup(qname) : NULL;
        a->error = strdup(why);
        a->qtype = qtype;
        a->status = RES_TIMEOUT;
        a->rtt_ms = rtt_ms;
        return a;
}

void check_expire(struct check *c, const char *why)
{
        struct check_result *res = c->res;
        drop_so_far(c); /* before res->ptr is set below */
        int64_t rtt = loop_now_ms() - res->started_ms;
        for (size_t i = 0; i < c->nslots; i++) {
                struct slot *s = &c->slots[i];
                if (s->id <= 0)
                        continue;
                resolver_cancel(s->r, s->id);
                s->id = 0;
                struct check_forward *f = &res->forward[s->index];
                const char *owner = res->names.owner;
                switch (s->kind) {
                case SLOT_PTR:
                        res->ptr = answer_expired(owner, LDNS_RR_TYPE_PTR, rtt, why);
                        break;
                case SLOT_A:
                        f->a = answer_expired(f->name, LDNS_RR_TYPE_A, rtt, why);
                        break;
                case SLOT_AAAA:
                        f->aaaa = answer_expired(f->name, LDNS_RR_TYPE_AAAA, rtt, why);
                        break;
                case SLOT_VIEW:
                        res->views[s->index].ptr =
                            answer_expired(owner, LDNS_RR_TYPE_PTR, rtt, why);
                        break;
                case SLOT_DNSBL_A:
                        res->dnsbl[s->index].a =
                            answer_expired(res->dnsbl[s->index].qname, LDNS_RR_TYPE_A, rtt, why);
                        break;
                case SLOT_DNSBL_TXT:
                        res->dnsbl[s->index].txt =
                            answer_expired(res->dnsbl[s->index].qname, LDNS_RR_TYPE_TXT, rtt, why);
                        break;
                case SLOT_PTR_AGAIN: /* the first failure stands; the second said nothing */
                        res->ptr_asked_again = false;
                        break;
                default: /* the zones: none is a finding of its own */
                        break;
                }
        }
        if (c->finish_timer > 0)
                loop_timer_cancel(resolver_loop(c->r), c->finish_timer);
        c->finish_timer = 0;
        trace_cancel(c->trace);
        c->trace = NULL;
        c->pending = 0;
        check_finish(c);
}

/* Once, when the PTR lookup's failure disagrees with the trace: the same
 * question to a fresh context (check_should_ask_again). True when it is out. */
static bool ask_again(struct check *c)
{
        struct check_result *res = c->res;
        if (res->ptr_asked_again || !check_should_ask_again(res))
                return false;
        char err[256];
        struct resolver *fresh = resolver_fresh(c->r, err, sizeof(err));
        if (!fresh ||
            check_ask_via(c, fresh, res->names.owner, LDNS_RR_TYPE_PTR, SLOT_PTR_AGAIN, 0) < 0)
                return false; /* a forwarder, or out of memory: the first answer stands */
        res->ptr_asked_again = true;
        res->ptr_first_rcode = res->ptr->rcode;
        return true;
}

/* Every lookup is in: the check ends, unless the PTR is asked again. */
static void check_settle(struct check *c)
{
        if (!ask_again(c))
                check_finish(c);
}

static void check_finish(struct check *c)
{
        struct check_result *res = c->res;
        if (c->deadline)
                loop_timer_cancel(resolver_loop(c->r), c->deadline);
        res->elapsed_ms = loop_now_ms() - res->started_ms;
        views_free(c);
        if (c->traced)
                forward_keep_resolved(res);
        check_evaluate(res, &c->opts);
        check_done_cb done = c->done;
        void *arg = c->arg;
        check_opts_free(&c->opts);
        free(c);
        done(arg, res);
}

void check_result_free(struct check_result *res)
{
        if (!res)
                return;
        resolver_answer_free(res->ptr);
        resolver_answer_free(res->probe);
        free(res->zone);
        free(res->cname_zone);
        free(res->zone_soa);
        for (size_t i = 0; i < res->nforward; i++) {
                forward_clear(&res->forward[i]);
        }
        findings_clear(&res->findings);
        trace_result_free(res->trace);
        for (size_t i = 0; i < res->nviews; i++) {
                free(res->views[i].server);
                resolver_answer_free(res->views[i].ptr);
        }
        for (size_t i = 0; i < res->ndnsbl; i++) {
                free(res->dnsbl[i].zone);
                free(res->dnsbl[i].qname);
                resolver_answer_free(res->dnsbl[i].a);
                resolver_answer_free(res->dnsbl[i].txt);
        }
        free(res);
}

const char *verdict_name(enum verdict v)
{
        switch (v) {
        case VERDICT_FAIL:
                return "fail";
        case VERDICT_WARN:
                return "warn";
        case VERDICT_UNKNOWN:
                return "unknown";
        default:
                return "pass";
        }
}

const char *verdict_label(enum verdict v)
{
        static const char *const labels[VERDICT__COUNT] = {"PASS", "WARN", "FAIL", "UNKNOWN"};
        return (unsigned)v < VERDICT__COUNT ? labels[v] : "PASS";
}

/* True when FINDING_UPSTREAM_UNREACHABLE is the only error: this machine's
 * fault, and the address's state unknown. */
static bool only_local_error(const struct findings *f)
{
        bool local = false;
        for (size_t i = 0; i < f->n; i++) {
                if (f->v[i].severity != SEV_ERROR)
                        continue;
                if (f->v[i].code != FINDING_UPSTREAM_UNREACHABLE)
                        return false;
                local = true;
        }
        return local;
}

const char *check_zone_soa(const struct check_result *res)
{
        if (res->ptr && res->ptr->soa_text)
                return res->ptr->soa_text;
        return res->zone_soa;
}

enum verdict verdict_from_findings(const struct findings *f)
{
        if (only_local_error(f))
                return VERDICT_UNKNOWN;
        switch (findings_worst(f)) {
        case SEV_ERROR:
                return VERDICT_FAIL;
        case SEV_WARNING:
                return VERDICT_WARN;
        default:
                return VERDICT_PASS;
        }
}
