/* resolver: libunbound behind a small async API driven by the poll loop.
 * Full recursion from the root (or private root hints) with DNSSEC
 * validation by default; system resolv.conf or a forwarder on request. */
#ifndef PTRWIZ_RESOLVER_H
#define PTRWIZ_RESOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ptrwiz/loop.h"

struct resolver;

struct resolver_opts {
        const char *root_hints;   /* --root-hints FILE, or NULL for the built-in root */
        const char *trust_anchor; /* --trust-anchor FILE; NULL: system anchor if present */
        const char *resolver;     /* NULL or "recursive", "system", or "ADDR[@PORT]" */
        /* The longest wait for one server's reply (libunbound's per-server
         * cap, infra-cache-max-rtt); 0: RESOLVER_DEFAULT_TIMEOUT_MS. */
        int timeout_ms;
        /* One whole lookup, recursion from the root included; 0: the default. */
        int deadline_ms;
};

#define RESOLVER_DEFAULT_TIMEOUT_MS  2000
#define RESOLVER_DEFAULT_DEADLINE_MS 30000

enum resolver_status {
        RES_OK,       /* NOERROR with data of the asked type */
        RES_NODATA,   /* NOERROR, name exists, no data of the type */
        RES_NXDOMAIN, /* the name does not exist */
        RES_SERVFAIL, /* SERVFAIL (or another failing rcode) */
        RES_TIMEOUT,  /* no answer within the deadline (ours: libunbound says SERVFAIL) */
        RES_ERROR,    /* a local error; see error */
};

/* UNKNOWN: no answer came to validate (a timeout, a local error). */
enum resolver_dnssec { DNSSEC_INSECURE, DNSSEC_SECURE, DNSSEC_BOGUS, DNSSEC_UNKNOWN };

/* One answer. Owned by the caller of the callback after it is handed over;
 * freed with resolver_answer_free. Strings are presentation format as ldns
 * prints them (non-printable bytes already \DDD-escaped). */
struct resolver_answer {
        char *qname;
        int qtype;
        enum resolver_status status;
        int rcode;
        enum resolver_dnssec dnssec;
        char *why_bogus; /* escaped, or NULL */
        char *error;     /* for RES_ERROR */
        uint32_t ttl;    /* TTL of the answer RRset (0 when none) */
        size_t ndata;
        char **data; /* rdata of the asked type: names for PTR/CNAME, addresses for A/AAAA */
        size_t ncname;
        char **cname_from; /* CNAME chain: cname_from[i] -> cname_to[i] */
        char **cname_to;
        uint32_t *cname_ttl; /* each CNAME's own TTL (not the PTR's) */
        char *soa_owner;     /* SOA from the authority section of a negative answer */
        uint32_t soa_ttl, soa_minimum, neg_ttl; /* neg_ttl = min(SOA TTL, SOA MINIMUM) */
        char *soa_text;                         /* the SOA record in presentation format */
        int64_t rtt_ms;
        /* TC=1 in libunbound's reply: the answer did not fit the 64 KB
         * message it hands over, so whole RRsets of it are missing. */
        bool truncated;
};

typedef void (*resolver_cb)(void *arg, struct resolver_answer *ans);

/* Reads and checks the root hints and trust anchor (conffile) and loads
 * the whole libunbound configuration here, not in the first lookup.
 * Returns NULL and a one-line reason in err on failure (exit status 3). */
struct resolver *resolver_new(const struct resolver_opts *opts, struct loop *lp, char *err,
                              size_t errlen);
void resolver_free(struct resolver *r); /* cancels what is in flight, no callbacks */

/* Starts a lookup; cb runs later from the loop (never from inside this call).
 * Returns a query id > 0, or -1 with a reason in err. */
long resolver_query(struct resolver *r, const char *name, int rrtype, resolver_cb cb, void *arg,
                    char *err, size_t errlen);
/* Cancels one lookup; its callback will not run. */
void resolver_cancel(struct resolver *r, long id);
/* Cancels one lookup and returns what a timeout gives now (RES_TIMEOUT,
 * rtt_ms so far), owned by the caller; NULL when id is not in flight. For
 * a deadline above the resolver's (the check's). */
struct resolver_answer *resolver_cancel_timeout(struct resolver *r, long id);
size_t resolver_in_flight(const struct resolver *r); /* resolver_fresh's too */
/* The loop the resolver runs in (the delegation trace shares it). */
struct loop *resolver_loop(const struct resolver *r);
/* False when recursing from the real root and this machine has no route to
 * it (checked with connect() on UDP sockets, which sends nothing): failures
 * then mean "offline", not a broken zone. */
bool resolver_has_route(const struct resolver *r);
/* The delegation trace asks every zone's servers itself, from a root: the
 * real one when recursing from it, or --root-hints. A forwarder
 * (--resolver system or ADDR) gives it none: with one and no root hints
 * there is no trace. False in that case. */
bool resolver_can_trace(const struct resolver *r);
/* True when the lookups go to a forwarder (--resolver system or ADDR). */
bool resolver_forwards(const struct resolver *r);
/* When the lookups and the trace do not start from the same root (the
 * trace skipped, or a forwarder for the lookups and root hints for the
 * trace): 1 and a one-line note for the user; else 0. */
int resolver_trace_note(const struct resolver_opts *o, char *note, size_t len);
/* A second context made like r, owned by r (freed with it), made on the
 * first call: its caches start empty. libunbound keeps a SERVFAIL for 5 s
 * and a server it saw time out as down for a while, so asking r again says
 * nothing new; this one asks the servers again. NULL with a reason in err
 * for a forwarder (--resolver), which would answer from its own cache. */
struct resolver *resolver_fresh(struct resolver *r, char *err, size_t errlen);
/* Queries sent since resolver_new (lookups handed to libunbound), those of
 * resolver_fresh's context included. */
uint64_t resolver_queries(const struct resolver *r);

void resolver_answer_free(struct resolver_answer *ans);
/* The TTL of the i-th CNAME of the chain (0 when unknown). */
uint32_t resolver_cname_ttl(const struct resolver_answer *a, size_t i);
const char *resolver_status_name(enum resolver_status st);
const char *resolver_dnssec_name(enum resolver_dnssec d);
/* "NOERROR", "SERVFAIL", ... or "RCODE17". */
const char *resolver_rcode_name(int rcode);

#endif
