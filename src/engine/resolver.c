/* resolver: libunbound on the one loop through its pluggable event API
 * (ubevent.c): its sockets and timers are the loop's, its answers come in
 * this thread. libunbound times each server itself (its infra cache: an RTT
 * estimate per server, resends that back off); --timeout caps that per
 * server. A whole lookup (a cold recursion is 20 round trips and more) has
 * no bound of libunbound's own, so each has a timer at the deadline and is
 * cancelled on expiry. */
#include "ptrwiz/resolver.h"

#include <errno.h>
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unbound.h>
#include <unbound-event.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ptrwiz/conffile.h"
#include "ptrwiz/escape.h"
#include "ptrwiz/loop.h"
#include "strv.h"
#include "ubevent.h"

#define UNKNOWN_SERVER_MS   1128 /* unbound.conf's advice for slow links (default 376) */
#define SYSTEM_TRUST_ANCHOR "/usr/share/dns/root.key"

struct rquery {
        struct resolver *r;
        long id;
        int async_id;
        long timer;
        resolver_cb cb;
        void *arg;
        char *qname;
        int qtype;
        int64_t started;
        struct resolver_answer *ready; /* in, waiting for the loop to hand it over */
        struct rquery *prev, *next;
        struct rquery *ready_next;
};

struct resolver {
        struct ub_ctx *ctx;
        struct ub_event_base *base;
        struct loop *lp;
        int deadline_ms; /* one whole lookup */
        bool has_route;
        bool can_trace; /* a root to trace from: see resolver_trace_note */
        long next_id;
        size_t in_flight;
        uint64_t queries;
        struct rquery *head;
        struct rquery *ready_head, *ready_tail; /* answers to hand over, in order */
        long ready_timer;
        bool handing; /* in hand_over(): resolver_free waits for its end */
        bool dying;
        /* What it was made from (strings owned), for resolver_fresh. */
        struct resolver_opts opts;
        struct resolver *fresh; /* owned; NULL until asked for */
};

static void rquery_unlink(struct rquery *q)
{
        struct resolver *r = q->r;
        if (q->prev)
                q->prev->next = q->next;
        else
                r->head = q->next;
        if (q->next)
                q->next->prev = q->prev;
        r->in_flight--;
}

static void rquery_free(struct rquery *q)
{
        resolver_answer_free(q->ready);
        free(q->qname);
        free(q);
}

static int set_option(struct ub_ctx *ctx, const char *opt, const char *val, char *err,
                      size_t errlen)
{
        int rc = ub_ctx_set_option(ctx, opt, val);
        if (rc != 0) {
                snprintf(err, errlen, "resolver option %s %s: %s", opt, val, ub_strerror(rc));
                return -1;
        }
        return 0;
}

/* libunbound's own per-server timing. It waits unknown-server-time-limit
 * for a server it never measured, then srtt + 4 * rttvar, doubled on each
 * timeout up to infra-cache-max-rtt, past which the server counts as down
 * (and a lookup with no server left fails). At 376 ms every first query
 * to a server 300 ms away (overseas hosting) on a busy machine would be
 * sent twice; the cap is --timeout, the longest wait for one server. */
static int setup_timing(struct ub_ctx *ctx, int timeout_ms, char *err, size_t errlen)
{
        char maxrtt[16], minrtt[16], unknown[16];
        snprintf(maxrtt, sizeof(maxrtt), "%d", timeout_ms);
        /* Below the cap: a server whose RTO reaches it is never chosen. */
        int first = timeout_ms / 2 < UNKNOWN_SERVER_MS ? timeout_ms / 2 : UNKNOWN_SERVER_MS;
        if (first < 1)
                first = 1;
        snprintf(minrtt, sizeof(minrtt), "%d", first < 50 ? first : 50);
        snprintf(unknown, sizeof(unknown), "%d", first);
        if (set_option(ctx, "infra-cache-max-rtt:", maxrtt, err, errlen) < 0 ||
            set_option(ctx, "infra-cache-min-rtt:", minrtt, err, errlen) < 0 ||
            set_option(ctx, "unknown-server-time-limit:", unknown, err, errlen) < 0)
                return -1;
        return 0;
}

static bool opts_recursive(const struct resolver_opts *o)
{
        return !o->resolver || strcmp(o->resolver, "recursive") == 0;
}

/* The root hints go to libunbound as a stub zone for the root, from what
 * conffile parsed: libunbound reads no file, and with a root among its
 * hints it never falls back to its built-in (real) root servers. With a
 * forwarder they are only checked: the delegation trace starts there. */
static int setup_root_hints(struct ub_ctx *ctx, const struct resolver_opts *o, char *err,
                            size_t errlen)
{
        struct conffile_hints h;
        if (conffile_root_hints(o->root_hints, &h, err, errlen) < 0)
                return -1;
        int rc = 0;
        for (size_t i = 0; opts_recursive(o) && rc == 0 && i < h.naddrs; i++) {
                rc = ub_ctx_set_stub(ctx, ".", h.addrs[i].addr, 1);
                if (rc != 0)
                        snprintf(err, errlen, "root hints: address %s: %s", h.addrs[i].addr,
                                 ub_strerror(rc));
        }
        conffile_hints_clear(&h);
        return rc != 0 ? -1 : 0;
}

static int setup_upstream(struct ub_ctx *ctx, const struct resolver_opts *o, char *err,
                          size_t errlen)
{
        const char *mode = o->resolver;
        int rc = 0;
        if (o->root_hints && setup_root_hints(ctx, o, err, errlen) < 0)
                return -1;
        if (opts_recursive(o))
                return 0;
        if (strcmp(mode, "system") == 0) {
                rc = ub_ctx_resolvconf(ctx, NULL);
                if (rc != 0) {
                        snprintf(err, errlen, "cannot use /etc/resolv.conf: %s",
                                 rc > 0 ? strerror(rc) : ub_strerror(rc));
                        return -1;
                }
                return 0;
        }
        rc = ub_ctx_set_fwd(ctx, mode);
        if (rc != 0) {
                snprintf(err, errlen, "bad --resolver '%s': %s (want system or ADDR[@PORT])", mode,
                         ub_strerror(rc));
                return -1;
        }
        return 0;
}

/* The anchor's records go to libunbound as strings (ub_ctx_add_ta), read
 * and checked by conffile: libunbound opens no file. */
static int setup_trust_anchor(struct ub_ctx *ctx, const struct resolver_opts *o, char *err,
                              size_t errlen)
{
        const char *ta = o->trust_anchor;
        /* The real root's anchor cannot validate a private root, and a
         * forwarder may strip signatures: only recursion from the real root
         * gets the system anchor by default. */
        if (!ta && opts_recursive(o) && !o->root_hints && access(SYSTEM_TRUST_ANCHOR, R_OK) == 0)
                ta = SYSTEM_TRUST_ANCHOR;
        if (!ta)
                return 0;
        char **rrs = NULL;
        size_t n = 0;
        if (conffile_trust_anchor(ta, &rrs, &n, err, errlen) < 0)
                return -1;
        int rc = 0;
        for (size_t i = 0; rc == 0 && i < n; i++)
                rc = ub_ctx_add_ta(ctx, rrs[i]);
        conffile_rrs_free(rrs, n);
        if (rc != 0) {
                char shown[300];
                escape_buf(ta, strlen(ta), ESCAPE_KEEP_SPACE | ESCAPE_KEEP_UTF8, shown,
                           sizeof(shown));
                snprintf(err, errlen, "trust anchor %s: %s", shown, ub_strerror(rc));
                return -1;
        }
        return 0;
}

/* libunbound loads its configuration in the first lookup, where its errors
 * would be those of one lookup. Any call documented to finalize the
 * context loads it now instead, and its errors come back here. Removing a local zone that
 * does not exist changes nothing. */
static int load_config(struct ub_ctx *ctx, char *err, size_t errlen)
{
        int rc = ub_ctx_zone_remove(ctx, "ptrwiz.invalid.");
        if (rc != 0) {
                snprintf(err, errlen, "cannot set up libunbound: %s", ub_strerror(rc));
                return -1;
        }
        return 0;
}

/* connect() on a UDP socket only picks a route; no packet is sent. */
static bool udp_route_exists(int family, const char *addr)
{
        struct sockaddr_storage ss;
        socklen_t len;
        memset(&ss, 0, sizeof(ss));
        if (family == AF_INET) {
                struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
                sin->sin_family = AF_INET;
                sin->sin_port = htons(53);
                inet_pton(AF_INET, addr, &sin->sin_addr);
                len = sizeof(*sin);
        } else {
                struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
                sin6->sin6_family = AF_INET6;
                sin6->sin6_port = htons(53);
                inet_pton(AF_INET6, addr, &sin6->sin6_addr);
                len = sizeof(*sin6);
        }
        int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return false;
        bool ok = connect(fd, (struct sockaddr *)&ss, len) == 0;
        close(fd);
        return ok;
}

static bool root_route_exists(const struct resolver_opts *o)
{
        if (!opts_recursive(o) || o->root_hints)
                return true; /* forwarders and private roots are the user's call */
        /* a.root-servers.net */
        return udp_route_exists(AF_INET, "198.41.0.4") ||
               udp_route_exists(AF_INET6, "2001:503:ba3e::2:30");
}

static void opts_clear(struct resolver_opts *o)
{
        free((char *)o->root_hints);
        free((char *)o->trust_anchor);
        free((char *)o->resolver);
        memset(o, 0, sizeof(*o));
}

static int opts_copy(struct resolver_opts *to, const struct resolver_opts *from)
{
        *to = *from;
        to->root_hints = from->root_hints ? strdup(from->root_hints) : NULL;
        to->trust_anchor = from->trust_anchor ? strdup(from->trust_anchor) : NULL;
        to->resolver = from->resolver ? strdup(from->resolver) : NULL;
        if ((from->root_hints && !to->root_hints) || (from->trust_anchor && !to->trust_anchor) ||
            (from->resolver && !to->resolver)) {
                opts_clear(to);
                return -1;
        }
        return 0;
}

struct resolver *resolver_new(const struct resolver_opts *o, struct loop *lp, char *err,
                              size_t errlen)
{
        struct resolver *r = calloc(1, sizeof(*r));
        if (!r) {
                snprintf(err, errlen, "out of memory");
                return NULL;
        }
        r->lp = lp;
        r->next_id = 1;
        if (opts_copy(&r->opts, o) < 0) {
                snprintf(err, errlen, "out of memory");
                free(r);
                return NULL;
        }
        r->deadline_ms = o->deadline_ms > 0 ? o->deadline_ms : RESOLVER_DEFAULT_DEADLINE_MS;
        r->has_route = root_route_exists(o);
        r->base = ubevent_base_new(lp);
        r->ctx = r->base ? ub_ctx_create_ub_event(r->base) : NULL;
        if (!r->ctx) {
                snprintf(err, errlen, "cannot create the libunbound context");
                ubevent_base_free(r->base);
                opts_clear(&r->opts);
                free(r);
                return NULL;
        }
        /* libunbound logs to stderr, one line per failure (a full descriptor
         * table gives hundreds), over the wizard's screen too; what matters
         * comes back in the answers and in the trace's own errors. */
        ub_ctx_debugout(r->ctx, NULL);
        if (set_option(r->ctx, "val-log-level:", "2", err, errlen) < 0 ||
            setup_timing(r->ctx, o->timeout_ms > 0 ? o->timeout_ms : RESOLVER_DEFAULT_TIMEOUT_MS,
                         err, errlen) < 0)
                goto fail;
        /* Library mode keeps 16 UDP ports and 2 TCP connections (unbound's
         * config_create_forlib): 16 queries in flight would cap a bulk check.
         * Sockets open per query, and callers bound what they start; up to
         * half the descriptors left (ulimit -n), so that libunbound queues
         * its queries instead of failing them with EMFILE. */
        int fds = loop_fds_free() / 2;
        char range[16];
        snprintf(range, sizeof(range), "%d", fds < 16 ? 16 : fds > 1024 ? 1024 : fds);
        if (set_option(r->ctx, "outgoing-range:", range, err, errlen) < 0 ||
            set_option(r->ctx, "outgoing-num-tcp:", "16", err, errlen) < 0)
                goto fail;
        /* QNAME minimisation hides the full name from the root and TLD
         * servers; a reverse name is no secret, and the probes it sends cost
         * a round trip per zone cut on every lookup of a bulk check. */
        if (set_option(r->ctx, "qname-minimisation:", "no", err, errlen) < 0)
                goto fail;
        /* Lab servers, systemd-resolved and local forwarders live on 127.x. */
        if ((o->root_hints || !opts_recursive(o)) &&
            set_option(r->ctx, "do-not-query-localhost:", "no", err, errlen) < 0)
                goto fail;
        if (setup_upstream(r->ctx, o, err, errlen) < 0 ||
            setup_trust_anchor(r->ctx, o, err, errlen) < 0 || load_config(r->ctx, err, errlen) < 0)
                goto fail;
        r->can_trace = opts_recursive(o) || o->root_hints;
        return r;
fail:
        ub_ctx_delete(r->ctx);
        ubevent_base_free(r->base);
        opts_clear(&r->opts);
        free(r);
        return NULL;
}

void resolver_free(struct resolver *r)
{
        if (!r)
                return;
        if (r->handing) { /* from a callback: hand_over() frees it after */
                r->dying = true;
                return;
        }
        while (r->head) {
                struct rquery *q = r->head;
                if (!q->ready)
                        ub_cancel(r->ctx, q->async_id);
                loop_timer_cancel(r->lp, q->timer);
                rquery_unlink(q);
                rquery_free(q);
        }
        loop_timer_cancel(r->lp, r->ready_timer);
        ub_ctx_delete(r->ctx);
        ubevent_base_free(r->base);
        resolver_free(r->fresh);
        opts_clear(&r->opts);
        free(r);
}

struct resolver *resolver_fresh(struct resolver *r, char *err, size_t errlen)
{
        if (!opts_recursive(&r->opts)) {
                snprintf(err, errlen, "a forwarder answers from its own cache");
                return NULL;
        }
        if (!r->fresh)
                r->fresh = resolver_new(&r->opts, r->lp, err, errlen);
        return r->fresh;
}

static char *rdf_str(const ldns_rdf *rdf)
{
        return rdf ? ldns_rdf2str(rdf) : NULL;
}

static void cname_push(struct resolver_answer *a, char *from, char *to, uint32_t ttl)
{
        char **nf = NULL, **nt = NULL;
        uint32_t *nttl = NULL;
        if (from && to && (nf = realloc(a->cname_from, (a->ncname + 1) * sizeof(*nf))))
                a->cname_from = nf;
        if (nf && (nt = realloc(a->cname_to, (a->ncname + 1) * sizeof(*nt))))
                a->cname_to = nt;
        if (nt && (nttl = realloc(a->cname_ttl, (a->ncname + 1) * sizeof(*nttl))))
                a->cname_ttl = nttl;
        if (!nttl) {
                free(from);
                free(to);
                return;
        }
        a->cname_from[a->ncname] = from;
        a->cname_to[a->ncname] = to;
        a->cname_ttl[a->ncname] = ttl;
        a->ncname++;
}

/* Fills the answer from the reply message: the CNAME chain, the records of
 * the asked type, their TTL, and the SOA of a negative answer. */
static void answer_from_packet(struct resolver_answer *a, const uint8_t *wire, size_t len)
{
        ldns_pkt *pkt = NULL;
        if (!wire || len == 0 || ldns_wire2pkt(&pkt, wire, len) != LDNS_STATUS_OK)
                return;
        a->truncated = ldns_pkt_tc(pkt);
        a->rcode = ldns_pkt_get_rcode(pkt); /* NXDOMAIN is in the message, not the callback's */
        ldns_rr_list *ans = ldns_pkt_answer(pkt);
        bool have_ttl = false;
        for (size_t i = 0; i < ldns_rr_list_rr_count(ans); i++) {
                ldns_rr *rr = ldns_rr_list_rr(ans, i);
                ldns_rr_type t = ldns_rr_get_type(rr);
                if (t == LDNS_RR_TYPE_CNAME && a->qtype != LDNS_RR_TYPE_CNAME) {
                        cname_push(a, rdf_str(ldns_rr_owner(rr)), rdf_str(ldns_rr_rdf(rr, 0)),
                                   ldns_rr_ttl(rr));
                        continue;
                }
                if ((int)t != a->qtype || ldns_rr_rd_count(rr) < 1)
                        continue;
                if (!have_ttl || ldns_rr_ttl(rr) < a->ttl)
                        a->ttl = ldns_rr_ttl(rr);
                have_ttl = true;
                char *text = rdf_str(ldns_rr_rdf(rr, 0));
                /* MX: "PREFERENCE NAME", the name is its second field. */
                char *name = t == LDNS_RR_TYPE_MX && ldns_rr_rd_count(rr) >= 2
                                 ? rdf_str(ldns_rr_rdf(rr, 1))
                                 : NULL;
                if (text && name) {
                        char *both = NULL;
                        if (asprintf(&both, "%s %s", text, name) >= 0) {
                                free(text);
                                text = both;
                        }
                }
                free(name);
                if (text)
                        strv_push(&a->data, &a->ndata, text);
                free(text);
        }
        ldns_rr_list *auth = ldns_pkt_authority(pkt);
        for (size_t i = 0; i < ldns_rr_list_rr_count(auth); i++) {
                ldns_rr *rr = ldns_rr_list_rr(auth, i);
                if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA || ldns_rr_rd_count(rr) < 7)
                        continue;
                a->soa_owner = rdf_str(ldns_rr_owner(rr));
                a->soa_text = ldns_rr2str(rr);
                if (a->soa_text) /* ldns ends records with a newline */
                        a->soa_text[strcspn(a->soa_text, "\n")] = '\0';
                a->soa_ttl = ldns_rr_ttl(rr);
                a->soa_minimum = ldns_rdf2native_int32(ldns_rr_rdf(rr, 6));
                a->neg_ttl = a->soa_ttl < a->soa_minimum ? a->soa_ttl : a->soa_minimum;
                break;
        }
        ldns_pkt_free(pkt);
}

static struct resolver_answer *answer_new(const struct rquery *q)
{
        struct resolver_answer *a = calloc(1, sizeof(*a));
        if (!a)
                return NULL;
        a->qname = strdup(q->qname);
        a->qtype = q->qtype;
        a->dnssec = DNSSEC_UNKNOWN; /* until an answer says */
        a->rtt_ms = loop_now_ms() - q->started;
        return a;
}

/* sec: 0 insecure, 1 bogus, 2 secure (ub_resolve_event). */
static void answer_classify(struct resolver_answer *a, int rcode, const void *packet, int len,
                            int sec, const char *why_bogus)
{
        bool bogus = sec == 1;
        a->rcode = rcode;
        a->dnssec = bogus ? DNSSEC_BOGUS : sec == 2 ? DNSSEC_SECURE : DNSSEC_INSECURE;
        if (why_bogus)
                a->why_bogus = escape_dup(why_bogus, strlen(why_bogus), ESCAPE_KEEP_SPACE);
        /* libunbound gives 0 with a message (whose rcode may be NXDOMAIN)
         * and SERVFAIL and the like without one. */
        if ((rcode == LDNS_RCODE_NOERROR || rcode == LDNS_RCODE_NXDOMAIN) && packet && len > 0)
                answer_from_packet(a, packet, (size_t)len);
        rcode = a->rcode;
        if (rcode == LDNS_RCODE_NOERROR && a->ndata > 0 && !bogus)
                a->status = RES_OK;
        else if (rcode == LDNS_RCODE_NXDOMAIN && !bogus)
                a->status = RES_NXDOMAIN;
        else if (rcode == LDNS_RCODE_NOERROR && !bogus)
                a->status = RES_NODATA;
        else
                a->status = RES_SERVFAIL;
}

static void deliver(struct rquery *q, struct resolver_answer *a)
{
        resolver_cb cb = q->cb;
        void *arg = q->arg;
        rquery_unlink(q);
        rquery_free(q);
        if (a)
                cb(arg, a);
}

/* Answers are handed over from the loop, never from inside libunbound (a
 * callback may start lookups or free the resolver) nor from inside
 * resolver_query (a cached answer comes at once). */
static void hand_over(void *arg)
{
        struct resolver *r = arg;
        r->ready_timer = 0;
        r->handing = true;
        while (r->ready_head && !r->dying) {
                struct rquery *q = r->ready_head;
                r->ready_head = q->ready_next;
                if (!r->ready_head)
                        r->ready_tail = NULL;
                struct resolver_answer *a = q->ready;
                q->ready = NULL;
                deliver(q, a);
        }
        r->handing = false;
        if (r->dying)
                resolver_free(r);
}

static void ready_push(struct rquery *q, struct resolver_answer *a)
{
        struct resolver *r = q->r;
        q->ready = a;
        q->ready_next = NULL;
        if (r->ready_tail)
                r->ready_tail->ready_next = q;
        else
                r->ready_head = q;
        r->ready_tail = q;
        if (!r->ready_timer && !r->handing &&
            (r->ready_timer = loop_timer_add(r->lp, 0, hand_over, r)) < 0)
                r->ready_timer = 0; /* out of memory: the next answer tries again */
}

static void ready_remove(struct rquery *q)
{
        struct resolver *r = q->r;
        struct rquery **pp = &r->ready_head, *prev = NULL;
        while (*pp && *pp != q) {
                prev = *pp;
                pp = &(*pp)->ready_next;
        }
        if (!*pp)
                return;
        *pp = q->ready_next;
        if (r->ready_tail == q)
                r->ready_tail = prev;
        resolver_answer_free(q->ready);
        q->ready = NULL;
}

static void ub_event_done(void *mydata, int rcode, void *packet, int len, int sec, char *why_bogus,
                          int was_ratelimited)
{
        (void)was_ratelimited;
        struct rquery *q = mydata;
        loop_timer_cancel(q->r->lp, q->timer);
        q->timer = 0;
        struct resolver_answer *a = answer_new(q);
        if (!a) {
                deliver(q, NULL); /* out of memory, as query_timeout's */
                return;
        }
        answer_classify(a, rcode, packet, len, sec, why_bogus);
        ready_push(q, a);
}

static void query_timeout(void *arg)
{
        struct rquery *q = arg;
        q->timer = 0;
        ub_cancel(q->r->ctx, q->async_id);
        struct resolver_answer *a = answer_new(q);
        if (a)
                a->status = RES_TIMEOUT;
        deliver(q, a);
}

long resolver_query(struct resolver *r, const char *name, int rrtype, resolver_cb cb, void *arg,
                    char *err, size_t errlen)
{
        struct rquery *q = calloc(1, sizeof(*q));
        if (!q || !(q->qname = strdup(name))) {
                free(q);
                snprintf(err, errlen, "out of memory");
                return -1;
        }
        q->r = r;
        q->id = r->next_id++;
        q->cb = cb;
        q->arg = arg;
        q->qtype = rrtype;
        q->started = loop_now_ms();
        /* Linked first: a cached answer calls back inside ub_resolve_event. */
        q->next = r->head;
        if (r->head)
                r->head->prev = q;
        r->head = q;
        r->in_flight++;
        q->timer = loop_timer_add(r->lp, r->deadline_ms, query_timeout, q);
        int rc = ub_resolve_event(r->ctx, q->qname, q->qtype, LDNS_RR_CLASS_IN, q, ub_event_done,
                                  &q->async_id);
        if (rc != 0) {
                char shown[300];
                escape_buf(name, strlen(name), 0, shown, sizeof(shown));
                snprintf(err, errlen, "cannot look up %s: %s", shown, ub_strerror(rc));
                loop_timer_cancel(r->lp, q->timer);
                rquery_unlink(q);
                rquery_free(q);
                return -1;
        }
        r->queries++;
        return q->id;
}

struct resolver_answer *resolver_cancel_timeout(struct resolver *r, long id)
{
        for (struct rquery *q = r->head; q; q = q->next) {
                if (q->id != id)
                        continue;
                if (q->ready)
                        ready_remove(q);
                else
                        ub_cancel(r->ctx, q->async_id);
                loop_timer_cancel(r->lp, q->timer);
                struct resolver_answer *a = answer_new(q);
                if (a)
                        a->status = RES_TIMEOUT;
                rquery_unlink(q);
                rquery_free(q);
                return a;
        }
        return NULL;
}

void resolver_cancel(struct resolver *r, long id)
{
        resolver_answer_free(resolver_cancel_timeout(r, id));
}

struct loop *resolver_loop(const struct resolver *r)
{
        return r->lp;
}

size_t resolver_in_flight(const struct resolver *r)
{
        return r->in_flight + (r->fresh ? r->fresh->in_flight : 0);
}

bool resolver_can_trace(const struct resolver *r)
{
        return r->can_trace;
}

bool resolver_forwards(const struct resolver *r)
{
        return !opts_recursive(&r->opts);
}

int resolver_trace_note(const struct resolver_opts *o, char *note, size_t len)
{
        if (opts_recursive(o))
                return 0;
        char mode[200], hints[300];
        escape_buf(o->resolver, strlen(o->resolver), 0, mode, sizeof(mode));
        if (!o->root_hints) {
                snprintf(note, len,
                         "--resolver %s answers the lookups, and the delegation trace needs a "
                         "root to start from (add --root-hints FILE, or leave out --resolver)",
                         mode);
                return 1;
        }
        escape_buf(o->root_hints, strlen(o->root_hints), ESCAPE_KEEP_SPACE | ESCAPE_KEEP_UTF8,
                   hints, sizeof(hints));
        snprintf(note, len,
                 "the lookups go to --resolver %s; the delegation trace starts from the root "
                 "hints %s",
                 mode, hints);
        return 1;
}

bool resolver_has_route(const struct resolver *r)
{
        return r->has_route;
}

uint64_t resolver_queries(const struct resolver *r)
{
        return r->queries + (r->fresh ? r->fresh->queries : 0);
}

uint32_t resolver_cname_ttl(const struct resolver_answer *a, size_t i)
{
        return a && a->cname_ttl && i < a->ncname ? a->cname_ttl[i] : 0;
}

void resolver_answer_free(struct resolver_answer *a)
{
        if (!a)
                return;
        free(a->qname);
        free(a->why_bogus);
        free(a->error);
        strv_free(a->data, a->ndata);
        strv_free(a->cname_from, a->ncname);
        strv_free(a->cname_to, a->ncname);
        free(a->cname_ttl);
        free(a->soa_owner);
        free(a->soa_text);
        free(a);
}

const char *resolver_status_name(enum resolver_status st)
{
        static const char *names[] = {"NOERROR",  "NODATA",  "NXDOMAIN",
                                      "SERVFAIL", "TIMEOUT", "ERROR"};
        return (unsigned)st < sizeof(names) / sizeof(names[0]) ? names[st] : "?";
}

const char *resolver_dnssec_name(enum resolver_dnssec d)
{
        switch (d) {
        case DNSSEC_SECURE:
                return "secure";
        case DNSSEC_BOGUS:
                return "bogus";
        case DNSSEC_UNKNOWN:
                return "unknown";
        default:
                return "insecure";
        }
}

const char *resolver_rcode_name(int rcode)
{
        static char buf[16];
        ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, rcode);
        if (lt)
                return lt->name;
        snprintf(buf, sizeof(buf), "RCODE%d", rcode);
        return buf;
}
