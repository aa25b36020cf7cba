/* trace: the delegation of a name followed from the root with ptrwiz's own
 * non-recursive queries, asking every server of every zone cut at every
 * address at once (dig +trace asks one). Each reply is reported as it
 * arrives so a front end can draw the trace live. Sockets are non-blocking
 * and watched by the shared loop; no thread, no blocking call. */
#ifndef PTRWIZ_TRACE_H
#define PTRWIZ_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ptrwiz/addr.h"
#include "ptrwiz/finding.h"
#include "ptrwiz/loop.h"

struct trace_opts {
        const char *root_hints;     /* NULL: /usr/share/dns/root.hints, else built-in roots */
        int timeout_ms;             /* per server query (default 2000) */
        int deadline_ms;            /* the whole trace (default 20000) */
        const char *const *expect_ns; /* --expect-ns names, A-labels */
        int nexpect_ns;
        int max_queries;            /* default 200 (BIND max-query-count) */
        int max_depth;              /* zone cuts plus CNAME hops, default 16 */
};

/* What one server gave for the query. */
enum trace_outcome {
        TRACE_PENDING,
        TRACE_REFERRAL,   /* a delegation to a child zone */
        TRACE_ANSWER,     /* authoritative data (PTR, or a CNAME to follow) */
        TRACE_NODATA,
        TRACE_NXDOMAIN,
        TRACE_LAME,       /* answered but not authoritatively and not a useful referral */
        TRACE_REFUSED,
        TRACE_SERVFAIL,
        TRACE_FORMERR,
        TRACE_TIMEOUT,
        TRACE_UNREACHABLE, /* ICMP/connection refused, network unreachable */
        TRACE_MALFORMED,   /* a reply ldns cannot parse, or with the wrong question/id */
};

struct trace_server {
        char *ns_name;              /* as listed by the parent, presentation format */
        struct addr addr;
        char addr_text[ADDR_STRLEN];
        bool glue;                  /* address came as glue (else resolved) */
        enum trace_outcome outcome;
        int rcode;
        bool aa, tc, tcp;           /* tcp: the answer came over TCP after TC=1 */
        bool has_serial;
        uint32_t serial;            /* SOA serial the server gave for the zone */
        char **apex_ns;             /* NS set the server gave at the zone apex, if asked */
        size_t napex_ns;
        char **answer;              /* rdata of PTR/CNAME answers, presentation format */
        size_t nanswer;
        int64_t rtt_ms;
        size_t reply_bytes;
        char *error;                /* one line, escaped; NULL when fine */
        char *reply_text;           /* the reply's records in presentation format (dig style) */
};

struct trace_zone {
        char *zone;                 /* "1.18.198.in-addr.arpa." */
        char *parent;               /* the zone that delegated it, NULL for the root */
        char **parent_ns;           /* NS set in the parent's referral */
        size_t nparent_ns;
        struct trace_server *servers;
        size_t nservers;
        bool via_cname;             /* entered by following an RFC 2317 CNAME */
};

struct trace_result {
        char *qname;
        struct trace_zone *zones;
        size_t nzones;
        char **final;               /* final PTR names (empty when none) */
        size_t nfinal;
        int final_rcode;
        struct findings findings;   /* DELEGATION_*, ZONE_NOT_DELEGATED_TO_EXPECTED_NS, CNAME_LOOP, ... */
        uint64_t queries;
        int64_t elapsed_ms;
        bool complete;              /* false when cancelled or cut by a limit */
};

enum trace_event_kind {
        TRACE_EV_ZONE,   /* a new zone cut is being asked */
        TRACE_EV_SENT,   /* a query went out */
        TRACE_EV_REPLY,  /* a server's reply (or timeout/error) is in */
        TRACE_EV_DONE,
};

struct trace_event {
        enum trace_event_kind kind;
        const struct trace_zone *zone;
        const struct trace_server *server; /* SENT/REPLY */
};

struct trace;

/* Events point into the trace's partial result; valid during the call only. */
typedef void (*trace_event_cb)(void *arg, const struct trace_event *ev);
/* The result is handed over; free it with trace_result_free. */
typedef void (*trace_done_cb)(void *arg, struct trace_result *res);

struct trace *trace_start(struct loop *lp, const char *qname, int qtype,
                          const struct trace_opts *opts, trace_event_cb event, trace_done_cb done,
                          void *arg, char *err, size_t errlen);
void trace_cancel(struct trace *t);
const struct trace_result *trace_partial(const struct trace *t);
size_t trace_in_flight(const struct trace *t);
void trace_result_free(struct trace_result *res);

const char *trace_outcome_name(enum trace_outcome o);

#endif
