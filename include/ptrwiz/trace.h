/* trace: the delegation of a name followed from the root with ptrwiz's own
 * non-recursive queries, asking every server of every zone cut at every
 * address at once (dig +trace asks one). Each reply is reported as it
 * arrives so a front end can draw the trace live. Sockets are non-blocking
 * and watched by the shared loop; no thread, no blocking call.
 *
 * The walk moves to the next cut on the first good referral; the other
 * servers' replies keep arriving for the table, so a dead server costs its
 * timeout only at the end, never on the path to the answer. */
#ifndef PTRWIZ_TRACE_H
#define PTRWIZ_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ptrwiz/addr.h"
#include "ptrwiz/conffile.h"
#include "ptrwiz/finding.h"
#include "ptrwiz/loop.h"

#define TRACE_DEFAULT_TIMEOUT_MS  2000
#define TRACE_DEFAULT_DEADLINE_MS 15000
#define TRACE_DEFAULT_MAX_QUERIES                                                                  \
        400                        /* BIND's max-query-count 200, doubled: we ask every server     \
                                    */
#define TRACE_DEFAULT_MAX_DEPTH 24 /* zone cuts plus CNAME hops of one walk */

/* Addresses of name servers' names that the traces' own lookups found,
 * kept for their TTL (at most a day) as a resolver keeps them. One cache
 * serves all traces of a run; ptrwiz trace keeps it on disk between runs. */
struct trace_cache;

struct trace_cache *trace_cache_new(void);
void trace_cache_free(struct trace_cache *c);
/* Adds the entries of path that are still fresh; a missing file is empty.
 * Returns -1 with a one-line reason when the file cannot be read. */
int trace_cache_load(struct trace_cache *c, const char *path, char *err, size_t errlen);
/* Writes the fresh entries (mode 0600, replaced atomically). */
int trace_cache_save(const struct trace_cache *c, const char *path, char *err, size_t errlen);

/* Zone cuts that traces of one run asked completely, as a resolver keeps
 * delegations: once a trace asked every server of a cut and followed its
 * referral to a child, later traces of names under that child start there,
 * with copies of the cuts above (marked shared) instead of asking them
 * again. Only a referral all servers agree on is kept, for its NS TTL (at
 * most a day), and never across root hints or ports. In memory only. */
struct trace_deleg;

struct trace_deleg *trace_deleg_new(void);
void trace_deleg_free(struct trace_deleg *d);

struct trace_opts {
        const char *root_hints;       /* NULL: /usr/share/dns/root.hints, else built-in roots */
        int timeout_ms;               /* the longest wait for one server's reply to one query
                                       * (resends at its measured RTT inside), 0: default */
        int deadline_ms;              /* the whole trace, 0: default */
        const char *const *expect_ns; /* --expect-ns names (A-labels or Unicode) */
        int nexpect_ns;
        int max_queries;           /* 0: default */
        int max_depth;             /* 0: default */
        int port;                  /* 0: 53 (tests use another) */
        struct trace_cache *cache; /* NULL: look every NS name up */
        struct trace_deleg *deleg; /* NULL: ask every cut from the root */
        /* root_hints already read (conffile_root_hints), so that the traces
         * of a bulk run do not each read and parse the file; NULL: read it. */
        const struct conffile_hints *hints;
};

/* What one server gave for the query. */
enum trace_outcome {
        TRACE_PENDING,
        TRACE_REFERRAL, /* a delegation to a child zone */
        TRACE_ANSWER,   /* authoritative data (PTR, or a CNAME to follow) */
        TRACE_NODATA,   /* authoritative: the name exists, no data of the type */
        TRACE_NXDOMAIN, /* authoritative: the name does not exist */
        TRACE_LAME,     /* answered, but not authoritatively and not a useful referral */
        TRACE_REFUSED,
        TRACE_SERVFAIL,    /* SERVFAIL or another failing rcode */
        TRACE_FORMERR,     /* FORMERR even without EDNS */
        TRACE_TIMEOUT,     /* no reply within the timeout */
        TRACE_UNREACHABLE, /* ICMP unreachable, connection refused, no route */
        TRACE_MALFORMED,   /* a reply ldns cannot parse (or garbage over TCP) */
        TRACE_NO_ADDRESS,  /* the NS name has no address we could find */
        TRACE_NOT_ASKED,   /* a limit, the deadline or this host stopped the query */
};

/* One server (an NS name at one of its addresses) of one zone cut. All
 * strings are presentation format (ldns) or otherwise escaped. */
struct trace_server {
        char *ns_name;
        struct addr addr; /* family 0 with TRACE_NO_ADDRESS */
        char addr_text[ADDR_STRLEN];
        bool glue;                  /* address came as glue or root hints (else looked up) */
        bool cached;                /* address came from the trace_cache */
        enum trace_outcome outcome; /* of the query for the traced name */
        int rcode;                  /* -1 before a reply */
        bool aa, tcp;               /* tcp: the answer came over TCP after TC=1 */
        bool local;                 /* the failure is on this host (no route, no IPv6) */
        char *referral;             /* child zone of a referral, else NULL */
        char **referral_ns;         /* the referral's NS names */
        size_t nreferral_ns;
        char **answer; /* rdata of the asked type (PTR names), presentation */
        size_t nanswer;
        char *cname;                    /* CNAME target when the answer is one, else NULL */
        enum trace_outcome soa_outcome; /* the SOA query at the zone apex (PENDING: not asked) */
        bool has_serial;
        uint32_t serial;
        bool has_apex_ns; /* apex_ns holds an authoritative NS answer */
        char **apex_ns;
        size_t napex_ns;
        int64_t rtt_ms; /* from the first try to the reply, or how long it waited */
        int tries;      /* datagrams sent for the traced name (1 + resends) */
        size_t reply_bytes;
        char *error;      /* one line, escaped; NULL when fine */
        char *ignored;    /* "ignored 2 replies with a wrong id", NULL when none */
        char *reply_text; /* the reply's answer and authority records (dig style) */
};

/* One zone cut as the trace asked it. A zone can appear twice when an RFC
 * 2317 CNAME leads back into it (qname differs). */
struct trace_zone {
        char *zone;       /* "1.18.198.in-addr.arpa." */
        char *qname;      /* the name asked at this cut */
        char *parent;     /* the zone that delegated it, NULL for the root */
        char **parent_ns; /* NS set in the referral followed (root: the hints) */
        size_t nparent_ns;
        struct trace_server *servers;
        size_t nservers;
        int followed;   /* index of the server whose reply the trace followed, -1 */
        bool via_cname; /* entered by following a CNAME */
        bool revisit;   /* asked before for another name: no SOA/NS queries */
        bool infra;     /* the root, arpa., in-addr.arpa., ip6.arpa.: not checked */
        bool shared;    /* copied from an earlier trace of the run, which asked it for qname */
};

struct trace_result {
        char *qname;
        int qtype;
        struct trace_zone *zones; /* the chain of cuts, in order */
        size_t nzones;
        struct trace_zone *probe;         /* --expect-ns servers asked directly, or NULL */
        enum trace_outcome final_outcome; /* ANSWER, NODATA, NXDOMAIN, or why it failed */
        char **final;                     /* final rdata (PTR names), empty when none */
        size_t nfinal;
        char *final_name;         /* owner of the final data (after CNAMEs) */
        char *final_zone;         /* zone that holds it (SOA owner or the cut) */
        struct findings findings; /* DELEGATION_*, ZONE_NOT_DELEGATED_TO_EXPECTED_NS, ... */
        uint64_t queries;         /* every datagram and TCP query sent, resends included */
        int round_trips;          /* the longest chain of replies that depended on each other */
        uint64_t ignored;         /* replies not taken: wrong id, question or source */
        char *local_error;        /* the first fault of this host (no sockets, firewall), or NULL */
        int64_t elapsed_ms;
        /* When the answer and every zone's first reply were in, so that only
         * servers whose zone another server had answered were still waited
         * for (a dead one, until its timeout): the time to the verdict but
         * for those rows. elapsed_ms when nothing was left to wait for. */
        int64_t settled_ms;
        /* Only in a copy from trace_so_far(): the servers still waited for
         * (counted there as silent) and the longest of their waits left. */
        size_t waiting;
        int64_t waiting_left_ms;
        bool complete; /* false when cancelled or cut by a limit */
};

enum trace_event_kind {
        TRACE_EV_ZONE,  /* a new zone cut is being asked */
        TRACE_EV_SENT,  /* a query went out */
        TRACE_EV_REPLY, /* a server's reply (or timeout/error) is in */
        TRACE_EV_DONE,
        /* The traced name's data is in (final, nfinal); other servers may
         * still be asked. */
        TRACE_EV_ANSWER,
        /* Only servers of zones another server answered are still waited for. */
        TRACE_EV_SETTLED,
};

struct trace_event {
        enum trace_event_kind kind;
        const struct trace_zone *zone;
        const struct trace_server *server; /* SENT/REPLY */
        int qtype;                         /* SENT/REPLY: the traced type, SOA or NS */
        char *const *final;                /* ANSWER: the data (PTR names) */
        size_t nfinal;
};

struct trace;

/* Events point into the trace's partial result; valid during the call only.
 * The callback may call trace_cancel. */
typedef void (*trace_event_cb)(void *arg, const struct trace_event *ev);
/* The result is handed over; free it with trace_result_free. */
typedef void (*trace_done_cb)(void *arg, struct trace_result *res);

/* Starts a trace; callbacks run later from the loop, never from inside this
 * call. Returns NULL with a one-line reason in err (bad root hints, bad
 * --expect-ns, out of memory). */
struct trace *trace_start(struct loop *lp, const char *qname, int qtype,
                          const struct trace_opts *opts, trace_event_cb event, trace_done_cb done,
                          void *arg, char *err, size_t errlen);
/* Stops a trace: no more callbacks; frees what it holds. */
void trace_cancel(struct trace *t);
/* The result so far (zones and servers as they fill in). */
const struct trace_result *trace_partial(struct trace *t);
size_t trace_in_flight(const struct trace *t);
/* Once the trace has settled (TRACE_EV_SETTLED): a copy of the result so
 * far in which every server still waited for counts as silent ("no reply
 * yet after N ms"), with the findings that gives, for a verdict before their
 * timeouts. Caller-owned, freed with trace_result_free(); NULL when the
 * trace has not settled, no server's reply to the traced name is waited for
 * (only the zones' SOA and NS queries are out), or out of memory. */
struct trace_result *trace_so_far(struct trace *t);
void trace_result_free(struct trace_result *res);

const char *trace_outcome_name(enum trace_outcome o);
/* "PTR", "A", ... */
const char *trace_type_name(int qtype);
/* True for outcomes where the server answered for the zone as it should. */
bool trace_outcome_good(enum trace_outcome o);
/* The server of z whose reply the trace followed, or NULL (none). */
const struct trace_server *trace_zone_followed(const struct trace_zone *z);

/* True when the trace found zones a and b delegated to the same NS names
 * (an RFC 2317 zone run on the /24's own servers). */
bool trace_same_servers(const struct trace_result *res, const char *a, const char *b);
/* Servers that disagree about the traced name (lab 198.18.8.1): the last
 * zone whose authoritative servers gave different answers for it (other
 * PTR names, or PTR beside NXDOMAIN/NODATA), or NULL when they agree. */
const struct trace_zone *trace_disagreement(const struct trace_result *res);
/* One server's row of that zone: false when it gave no authoritative
 * answer; else true and "PTR a. b." / "NXDOMAIN" / "NODATA" in buf. */
bool trace_server_said(const struct trace_result *res, const struct trace_zone *z, size_t i,
                       char *buf, size_t len);

#endif
