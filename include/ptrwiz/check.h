/* check: everything ptrwiz checks for one IP address: the PTR lookup, the
 * zone it lives in, forward confirmation (FCrDNS) of every PTR name, host
 * name validity, the generic-name heuristic and negative caching. */
#ifndef PTRWIZ_CHECK_H
#define PTRWIZ_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include "ptrwiz/addr.h"
#include "ptrwiz/finding.h"
#include "ptrwiz/resolver.h"
#include "ptrwiz/revname.h"
#include "ptrwiz/trace.h"

#define CHECK_MAX_PTR                                                                              \
        8 /* PTR names forward-checked per target (unbound's iter-scrub-ns spirit)                 \
           */

/* UNKNOWN: this machine could not ask (UPSTREAM_UNREACHABLE is the only
 * error), so nothing is known about the address; ordered after FAIL so that
 * the worst of several verdicts stays "not known to pass". */
enum verdict { VERDICT_PASS, VERDICT_WARN, VERDICT_FAIL, VERDICT_UNKNOWN, VERDICT__COUNT };

#define CHECK_DEFAULT_DEADLINE_MS 30000

struct check_opts {
        const char *expect_host;   /* in A-labels with trailing dot, or NULL */
        const char *expect_domain; /* in A-labels with trailing dot, or NULL */
        bool quick;                /* no delegation trace */
        /* Trace even a reverse zone every resolver answers locally (private,
         * documentation ranges): ptrwiz trace was asked to. */
        bool trace_local_zones;
        struct trace_opts trace; /* root hints, timeouts, --expect-ns */
        /* The whole check of one address (--deadline), 0: the default. When
         * it passes, the lookups still open end as RES_TIMEOUT and the check
         * is evaluated with what came in. */
        int deadline_ms;
        /* Live front ends see the trace's events as they arrive (NULL: not
         * wanted); TRACE_EV_DONE comes before the check's own done. */
        trace_event_cb trace_event;
        void *trace_event_arg;
        /* --resolver-view: recursive resolvers (ADDR[@PORT]) asked for the
         * PTR as they hold it now, each through a fresh libunbound context
         * forwarding to it; --dnsbl: blocklist zones. Not copied: they
         * must outlive the check. */
        const char *const *views;
        size_t nviews;
        const char *const *dnsbl;
        size_t ndnsbl;
};

struct check_forward {
        char *name;                /* PTR target, presentation format */
        char *ulabel;              /* U-label form when an IDN, else NULL */
        struct resolver_answer *a; /* owned; NULL when not asked (invalid name) */
        struct resolver_answer *aaaa;
        bool matches; /* one address equals the IP */
        bool valid;   /* a valid host name (set by check_evaluate) */
};

#define CHECK_MAX_VIEWS 8
#define CHECK_MAX_DNSBL 8

/* What one recursive resolver holds for the PTR now (--resolver-view). */
struct check_view {
        char *server;                /* as given, ADDR[@PORT] */
        struct resolver_answer *ptr; /* owned; ttl or neg_ttl is what is left */
};

/* One blocklist lookup (--dnsbl): A of the reversed address under the
 * zone, then TXT for the list's reason when the A is there. */
struct check_dnsbl {
        char *zone;                  /* with the final dot */
        char *qname;                 /* the name asked */
        struct resolver_answer *a;   /* owned */
        struct resolver_answer *txt; /* owned; NULL when not asked */
};

struct check_result {
        struct addr ip;
        char ip_text[ADDR_STRLEN];
        struct revname_breakdown names;
        struct resolver_answer *ptr; /* owned */
        char *zone;                  /* zone the PTR lives in (SOA owner), or NULL */
        char *cname_zone;            /* zone holding the RFC 2317 CNAME, or NULL */
        char *zone_soa;              /* SOA of zone, from the zone lookup (check_zone_soa()) */
        size_t nforward;
        struct check_forward forward[CHECK_MAX_PTR];
        size_t nptr_total; /* PTR records seen, may exceed CHECK_MAX_PTR */
        bool fcrdns;
        bool offline; /* no route to the root: failures are local */
        struct findings findings;
        enum verdict verdict;
        /* The party to act for the whole diagnosis: the actor of the first
         * error, else of the first warning; ACTOR_NOBODY when neither. */
        enum finding_actor actor;
        int64_t started_ms, elapsed_ms;
        uint64_t queries;           /* lookups this check started */
        struct trace_result *trace; /* the delegation trace; NULL with --quick */
        int deadline_ms;            /* the check's deadline (RES_TIMEOUT: it passed) */
        size_t nviews;
        struct check_view views[CHECK_MAX_VIEWS];
        size_t ndnsbl;
        struct check_dnsbl dnsbl[CHECK_MAX_DNSBL];
        /* The verdict so far: when every lookup is in and the trace waits
         * only for servers of zones another server answered (a dead one, until
         * its timeout), the check is evaluated with those servers counted as
         * silent (trace_so_far()) and the progress callback is called with no
         * answer. so_far: this partial result is that evaluation (its trace is
         * the copy); so_far_ms and so_far_verdict stay in the final result (0:
         * none was made), whose verdict may still differ. */
        bool so_far;
        int64_t so_far_ms;
        enum verdict so_far_verdict;
        /* The SOA of in-addr.arpa. (ip6.arpa.), asked only when the PTR
         * lookup failed and no trace ran: does anything upstream answer? */
        struct resolver_answer *probe; /* owned; NULL when not asked */
        /* The PTR lookup failed while the trace had the zone's answer from
         * its servers (check_should_ask_again): a fresh resolver context
         * asked once more, and ptr is its answer when it got one (else the
         * first stays). ptr_first_rcode: what the first lookup said. */
        bool ptr_asked_again;
        int ptr_first_rcode;
        bool forwarded; /* the lookups went to a forwarder (--resolver system or ADDR) */
};

struct check;

/* Progress for live front ends: called after each answer arrives, and with
 * ans NULL when the verdict so far is in (partial->so_far); the result is
 * partial until done is called. */
typedef void (*check_progress_cb)(void *arg, const struct check_result *partial,
                                  const struct resolver_answer *ans);
/* The result is handed over to the callee, which frees it with
 * check_result_free. The struct check is gone after this returns. */
typedef void (*check_done_cb)(void *arg, struct check_result *res);

struct check *check_start(struct resolver *r, const struct addr *ip, const struct check_opts *opts,
                          check_progress_cb progress, check_done_cb done, void *arg);
/* Stops a check: no more callbacks; frees what it holds. */
void check_cancel(struct check *c);
/* Ends a check now with what it has (a deadline ran out): every lookup
 * still out counts as timed out, with why (escaped) as its error, a trace
 * still running is left out, and done runs from inside this call with a
 * result evaluated like any other. */
void check_expire(struct check *c, const char *why);
/* The delegation trace of a running check so far, or NULL (none, --quick). */
const struct trace_result *check_trace_partial(const struct check *c);
/* True while the check's trace is still asking servers. */
bool check_tracing(const struct check *c);
size_t check_in_flight(const struct check *c);

/* Evaluates the findings and verdict from the answers; called by the check
 * itself, exported for tests and for front ends that add findings. */
void check_evaluate(struct check_result *res, const struct check_opts *opts);
void check_result_free(struct check_result *res);

/* The resolver's PTR lookup failed (SERVFAIL, not DNSSEC) though the trace
 * got the reverse zone's answer and found no fault on the way: the evidence
 * disagrees, and libunbound keeps a failure for seconds, so a fresh context
 * asks again before a zone is blamed (a loaded machine or a lost burst of
 * replies fails a lookup now and then). Not for a local fault or a
 * deadline. */
bool check_should_ask_again(const struct check_result *res);
/* True when the lookup failed because nothing upstream answers: this
 * machine had no route to the root, or every server of the root (or of the
 * public zones below it: arpa., in-addr.arpa., ip6.arpa.) stayed silent in
 * the trace, or, without a trace, in-addr.arpa.'s SOA failed too. The fault
 * is this machine's (firewall, offline), never a zone operator's; the check
 * then has the one finding UPSTREAM_UNREACHABLE and front ends exit 3. */
bool check_upstream_silent(const struct check_result *res);
/* check_upstream_silent(), or the lookup failed where this host kept the
 * trace from asking the zone's servers (a local firewall: EPERM, EACCES)
 * and no other server of it answered. Also UPSTREAM_UNREACHABLE, exit 3;
 * only check_upstream_silent() says that no other check can succeed. */
bool check_local_fault(const struct check_result *res);
/* The SOA record of the PTR's zone in presentation format: from the PTR's
 * negative answer, else from the zone lookup (so also when the PTR exists:
 * a ticket needs the zone's contact then too); NULL when neither had it. */
const char *check_zone_soa(const struct check_result *res);
/* Who acts on each finding and the guide step it belongs to, from the
 * findings table and the result's context (a forward lookup that failed is
 * the PTR name's DNS provider's, in the forward step; a PTR in an RFC 2317
 * zone is that zone's operator's), and the result's one party to act.
 * check_evaluate() calls it; so does a front end that builds a result. */
void check_assign_actors(struct check_result *res);
/* The long form of who acts, naming the reverse zone of the result. */
void check_actor_text(const struct check_result *res, enum finding_actor a, char *buf, size_t len);

const char *verdict_name(enum verdict v);  /* "pass", ... "unknown" */
const char *verdict_label(enum verdict v); /* "PASS", ... "UNKNOWN" */
enum verdict verdict_from_findings(const struct findings *f);

#endif
