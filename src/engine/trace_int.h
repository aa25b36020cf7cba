/* trace internals shared by trace.c (the walks), trace_net.c (sockets),
 * trace_msg.c (ldns messages) and trace_find.c (findings). Not installed. */
#ifndef PTRWIZ_TRACE_INT_H
#define PTRWIZ_TRACE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptrwiz/trace.h"
#include "strv.h"

#define TRACE_EDNS_BUFSIZE     1232
#define TRACE_MAX_NS           20  /* NS names asked per cut (unbound's iter-scrub-ns) */
#define TRACE_MAX_ADDRS_PER_NS 4   /* addresses asked per NS name */
#define TRACE_MAX_CNAME        11  /* CNAMEs followed in one message (iter-scrub-cname) */
#define TRACE_MAX_LOOKUPS      64  /* glueless NS names resolved per trace (MAX_TARGET_COUNT) */
#define TRACE_MAX_CUT_LOOKUPS  16  /* glueless NS names resolved per cut (MAX_DP_TARGET_COUNT) */
#define TRACE_MAX_NX_LOOKUPS   5   /* glueless names that may not exist (MAX_TARGET_NX) */
#define TRACE_MAX_NEST         7   /* lookups inside lookups (BIND's max-recursion-depth) */
#define TRACE_MAX_SOCKETS      128 /* queries in flight at once; the rest wait in line */
#define TRACE_BACKOFF_MS       20  /* first pause after this host ran out of sockets */
#define TRACE_BACKOFF_MAX_MS   1000
#define TRACE_MAX_BACKOFFS     8 /* times one query is put back in line */
/* Per-server timing, as unbound's infra cache does it (util/rtt.c): the
 * resend interval is srtt + 4 * rttvar of what that server (or, before its
 * first reply, any server of this trace) took, doubled on every resend. */
#define TRACE_UNKNOWN_RTO_MS 376 /* never measured: unbound's unknown-server-time-limit */
/* unbound's infra-cache-min-rtt is 50 ms, for a daemon with a core of its
 * own; on a busy machine even a loopback reply comes later than that. */
#define TRACE_MIN_RTO_MS    250
#define TRACE_MIN_WAIT_MS   1000 /* the floor of one query's wait; --timeout is the cap */
#define TRACE_MAX_TRIES     3    /* datagrams per query: the first and two resends */
#define TRACE_MAX_RTT_HOSTS 256  /* servers whose timing one trace keeps */

/* Parts of a server's error that another finding already explains. */
#define TRACE_WHY_CYCLE      "glueless NS cycle"
#define TRACE_WHY_LIMIT      "a trace limit"
#define TRACE_WHY_DEADLINE   "the trace's deadline"
#define TRACE_WHY_CNAME_LOOP "CNAME loop"
#define TRACE_WHY_NXDOMAIN   "the name does not exist (NXDOMAIN)"

/* ------------------------------------------------------------ trace_msg.c */

enum msg_status {
        MSG_OK,        /* a reply to our query; see outcome */
        MSG_MISMATCH,  /* not ours: wrong id, question, or not a response */
        MSG_MALFORMED, /* ours (the id matches) but ldns cannot parse it */
        MSG_TRUNCATED, /* TC=1: ask again over TCP */
};

/* Why a reply was not taken as the answer to our query. */
enum msg_ignored {
        IGNORED_ID,        /* another id */
        IGNORED_QUESTION,  /* another question */
        IGNORED_NOT_REPLY, /* QR=0 or another opcode */
        IGNORED_SOURCE,    /* from another address or port */
        IGNORED_KINDS,
};

enum msg_loop { LOOP_NONE, LOOP_SIDEWAYS, LOOP_UPWARD };

struct glue {
        char *name;
        struct addr addr;
};

/* A classified reply; strings owned, freed by trace_reply_clear. */
struct trace_reply {
        enum msg_status status;
        enum msg_ignored ignored; /* with MSG_MISMATCH */
        enum trace_outcome outcome;
        int rcode;
        bool aa;
        enum msg_loop loop; /* a referral to the asked zone itself or above it */
        char *referral;     /* child zone (also for loop referrals) */
        char **ns;          /* the referral's NS names */
        size_t nns;
        struct glue *glue; /* A/AAAA of those names from the additional section */
        size_t nglue;
        char **answer; /* rdata of the asked type at the end of the CNAME chain */
        size_t nanswer;
        uint32_t ttl;    /* the smallest TTL of that data (of a referral: its NS) */
        char *owner;     /* owner of that data (the last CNAME target or qname) */
        char *cname;     /* the chain's last target when it is not answered here */
        bool cname_loop; /* the chain inside the message loops */
        char *soa_owner; /* SOA of a negative answer, or the answer to a SOA query */
        bool has_serial;
        uint32_t serial;
        char *text; /* answer and authority records, presentation format */
        char *why;  /* what is wrong with it, one line, escaped; NULL when fine */
};

/* Builds a query with RD=0 and EDNS0 (buffer 1232) when edns. The caller
 * frees *wire. Returns -1 when qname is not a valid name. */
int trace_msg_query(const char *qname, int qtype, uint16_t id, bool edns, uint8_t **wire,
                    size_t *len);
/* Classifies the reply to (qname, qtype, id) asked at a server of zone. */
void trace_msg_classify(const uint8_t *wire, size_t len, const char *qname, int qtype, uint16_t id,
                        const char *zone, struct trace_reply *out);
void trace_reply_clear(struct trace_reply *r);

/* Names in presentation format, compared the DNS way. */
bool trace_name_equal(const char *a, const char *b);
bool trace_name_under(const char *name, const char *zone); /* at or below */
bool trace_name_strictly_under(const char *name, const char *zone);
int trace_name_labels(const char *name);
/* Lower case with a trailing dot, or NULL when not a valid name. */
char *trace_name_canon(const char *name);
/* The "arpa." family and the root: checked by others, not by ptrwiz. */
bool trace_zone_is_infra(const char *zone);
/* Root servers (NS names and addresses) from a hints file, or the built-in
 * list when path is NULL and the system file is missing. */
int trace_msg_root_hints(const char *path, const struct conffile_hints *read, char ***ns,
                         size_t *nns, struct glue **glue, size_t *nglue, char *err, size_t errlen);

/* Makes ldns presentation text (records as ldns_rr2str prints them) safe:
 * its own escapes (\DDD, \\, \.) are kept as they are, so a name reads as
 * in every other view; any other byte outside printable ASCII is escaped.
 * Tabs and newlines (the layout of the record text) are kept. */
char *trace_text_clean(const char *s);

/* trace_cache.c: up to max fresh addresses of name (0: none), and new ones. */
size_t trace_cache_get(const struct trace_cache *c, const char *name, struct addr *out, size_t max);
void trace_cache_put(struct trace_cache *c, const char *name, const struct addr *addrs, size_t n,
                     uint32_t ttl);

/* A copy of s, NULL for NULL (or out of memory). */
char *trace_dup(const char *s);

/* String lists (strv.h), compared as DNS names. */
bool strv_has_name(char *const *v, size_t n, const char *name);
/* Same names, order and case ignored. */
bool strv_same_names(char *const *a, size_t na, char *const *b, size_t nb);

/* ---------------------------------------------------------------- trace.c */

struct trace;
struct walk;
struct lookup;
struct cut;

enum query_purpose {
        QP_NAME, /* the walk's name and type: the row's outcome */
        QP_SOA,  /* SOA at the cut's zone: the serial */
        QP_NS,   /* NS at the cut's zone: the apex NS set */
        QP_AAAA, /* a lookup's AAAA: beside its A at the name's own zone, or after the A answer */
};

enum query_state { QS_QUEUED, QS_UDP, QS_TCP_CONNECT, QS_TCP_WRITE, QS_TCP_READ, QS_DONE };

struct tquery {
        struct trace *t;
        struct tquery *prev, *next; /* t->queries: queued and in flight */
        enum query_purpose purpose;
        struct cut *cut;       /* the cut the row belongs to (NULL for QP_AAAA) */
        size_t row;            /* server row in cut */
        struct lookup *lookup; /* QP_AAAA */
        int hop;               /* 1 + the round trips behind the reply that made it */
        char *qname;
        int qtype;
        char *zone; /* the zone asked, for classification */
        struct addr addr;
        uint16_t id;
        bool edns;
        uint8_t *wire;
        size_t wlen;
        enum query_state state;
        int fd;
        uint8_t *buf; /* TCP: length prefix and message */
        size_t blen, bcap, woff;
        unsigned ignored[IGNORED_KINDS]; /* replies not taken, by why */
        int backoffs;                    /* times put back in line (EMFILE...) */
        int tries;                       /* datagrams sent for it (1 + resends) */
        int64_t rto, wait_ms;            /* the next resend interval; the whole wait */
        bool want_tcp;                   /* (again) over TCP when sent */
        int64_t sent_ms;
        long timer, resend;
};

/* A round-trip estimate (RFC 6298, as unbound's rtt_update). */
struct rtt_est {
        int64_t srtt, rttvar;
        bool sampled;
};

struct rtt_host {
        struct addr addr;
        struct rtt_est est;
};

/* Which TRACE_LIMIT findings were given (each once). */
enum limit_kind {
        LIMIT_QUERIES = 1,
        LIMIT_DEPTH = 2,
        LIMIT_NS = 4,
        LIMIT_LOOKUPS = 8,
        LIMIT_DEADLINE = 16,
};

/* A cut an earlier trace of the run asked completely (trace_share.c). */
struct share_node {
        struct share_node *next;     /* the cache's list */
        const struct share_node *up; /* the cut above, NULL for the root */
        size_t key;                  /* index of the root hints and port */
        int qtype;                   /* the type asked (the rows' outcomes) */
        int64_t expires_ms;          /* the referral's NS TTL, no later than up's */
        struct trace_zone z;         /* the cut as that trace asked it */
        char *child;                 /* the zone every server referred the name to */
        char **ns;                   /* the child's NS names: the followed referral's, */
        size_t nns, nfollowed_ns;    /* then the other servers' */
        struct glue *glue;           /* the child's glue */
        size_t nglue;
};

struct want {
        char *name;
        struct lookup *l;
};

struct cut {
        struct trace_zone z; /* the public part; handed to the result at the end */
        struct trace *t;
        struct walk *w; /* the walk asking it; NULL for the --expect-ns probe */
        struct cut *next_all;
        struct cut *child; /* where the walk went from here */
        size_t cap;        /* of z.servers */
        char **names;      /* NS names asked: the referral's, plus later ones */
        size_t nnames;
        struct want *wants; /* NS names still waiting for an address */
        size_t nwants;
        int nlookups;
        size_t inflight;               /* its queries queued or in flight */
        uint32_t ref_ttl;              /* the smallest NS TTL of its referrals */
        const struct share_node *node; /* in the delegation cache (published or copied) */
        bool advanced, main, filling;
};

struct walk {
        struct trace *t;
        struct walk *next_all;
        char *qname;
        int qtype;
        struct lookup *lookup; /* NULL: the main walk */
        struct cut *cut;       /* the cut being asked */
        char **seen;           /* names followed so far, for CNAME loops */
        size_t nseen;
        int depth, nest;
        bool finished, via_cname;
};

struct lookup {
        struct trace *t;
        struct lookup *next_all;
        char *name;
        struct walk *w; /* resolving the A record; NULL once over */
        struct addr addrs[TRACE_MAX_ADDRS_PER_NS];
        size_t naddrs;
        int pending;     /* the walk and its AAAA queries */
        char *aaaa_name; /* the name AAAA queries went out for, or NULL */
        bool aaaa_done;  /* one of them was answered (or denied) */
        uint32_t ttl;    /* the smallest TTL of its addresses */
        bool done, cached;
        char *error;
        struct cut **waiters;
        size_t nwaiters;
        unsigned mark;
};

struct trace {
        struct loop *lp;
        struct trace_opts opts;
        char **expect; /* --expect-ns, canonical */
        size_t nexpect;
        trace_event_cb event;
        trace_done_cb done;
        void *arg;
        struct trace_result *res;
        struct cut *cuts;   /* every cut, newest first */
        struct cut **chain; /* the main walk's cuts, in order */
        size_t nchain;
        struct cut *probe;
        struct walk *walks, *main;
        struct lookup *lookups;
        int nlookups, nx_lookups;
        struct tquery *qhead, *qtail;
        size_t inflight, queued;
        uint64_t created;
        int hop; /* round trips behind the reply being handled (0 outside one) */
        char **root_ns;
        size_t nroot_ns;
        struct glue *root_glue;
        size_t nroot_glue;
        size_t share_key;     /* opts.deleg's index of these root hints */
        struct cut *wait_cut; /* another trace's cut this one waits for, to start */
        long kick, pump, deadline;
        int64_t paused_until; /* no query is sent before (this host ran out) */
        int backoff_ms;       /* the last pause, doubled while it lasts */
        int busy;
        struct rtt_est rtt_all; /* every server's replies: the guess for a new one */
        struct rtt_host *rtts;  /* per server address */
        size_t nrtts, caprtts;
        unsigned gen, limits;
        bool cancelled, aborted, settled;
        int64_t started;
};

/* What a finished query gave, copied out before the query is freed. */
struct qresult {
        enum trace_outcome outcome;
        bool local, tcp;
        const char *why;
        struct trace_reply *reply; /* NULL on timeout or error */
        const char *ignored;       /* "ignored 2 replies with a wrong id", or NULL */
        int tries;                 /* datagrams sent (1 + resends) */
        size_t bytes;
        int64_t rtt;
};

/* trace.c, for trace_walk.c */
bool trace_cut_public(const struct cut *c);
void trace_emit(struct trace *t, enum trace_event_kind kind, const struct cut *c, size_t row,
                int qtype);
/* A TRACE_LIMIT finding, once per kind. */
void trace_limit(struct trace *t, enum limit_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Queues a query; NULL past a limit or the deadline (nothing is sent). */
struct tquery *trace_query_new(struct trace *t, enum query_purpose purpose, struct cut *c,
                               size_t row, const char *qname, int qtype, const char *zone,
                               const struct addr *addr);
/* Removes a query without recording anything. */
void trace_query_free(struct tquery *q);

/* trace_walk.c, for trace.c */
struct walk *trace_walk_new(struct trace *t, const char *qname, int qtype, struct lookup *l,
                            int nest);
void trace_walk_start(struct walk *w);
/* A finished query's result, into its server row or lookup. */
void trace_row_name_done(struct cut *c, size_t i, const struct qresult *qr, int qtype);
void trace_row_apex_done(struct cut *c, size_t i, const struct qresult *qr, int qtype);
void trace_lookup_aaaa_done(struct lookup *l, const struct qresult *qr);
void trace_zone_clear(struct trace_zone *z);
void trace_cut_free(struct cut *c, bool keep_zone);

/* Called by trace_net.c. */
/* A datagram or TCP message arrived; returns true when the query is over. */
bool trace_query_got(struct tquery *q, const uint8_t *wire, size_t len);
void trace_query_fail(struct tquery *q, enum trace_outcome o, bool local, const char *why);
void trace_count_sent(struct trace *t);
/* This host could not send q for now (out of descriptors, buffers or
 * memory): q goes back in line and the trace pauses sending, or after
 * TRACE_MAX_BACKOFFS ends as not asked, a fault of this host. */
void trace_query_backoff(struct tquery *q, const char *what, int err);
/* The first fault of this host, for the result (never a server's). */
void trace_local_error(struct trace *t, const char *why);
/* A reply that is not the answer to q: counted, and q waits on. */
void trace_query_ignored(struct tquery *q, enum msg_ignored why);
int trace_timeout_ms(const struct trace *t);
int trace_port(const struct trace *t);
struct loop *trace_loop(const struct trace *t);
/* Entry and exit of every callback from the loop (cancellation, completion). */
void trace_enter(struct trace *t);
void trace_leave(struct trace *t);
/* Starts (again) the main walk from the loop. */
void trace_kick(struct trace *t);

/* ------------------------------------------------------------ trace_net.c */

/* Opens a UDP socket and sends (connect: the kernel drops other sources and
 * reports ICMP errors). Failures end the query through trace_query_fail. */
void trace_net_send(struct tquery *q);
/* Retries the query over TCP (after TC=1). */
void trace_net_tcp(struct tquery *q);
/* Closes the socket and cancels the timers. */
void trace_net_stop(struct tquery *q);
/* A reply came back to a query sent once (Karn: a resent one's RTT is
 * ambiguous): the server's and the trace's estimates learn from it. */
void trace_net_rtt_sample(struct trace *t, const struct addr *a, int64_t ms);

/* ---------------------------------------------------------- trace_share.c */

/* Joins opts.deleg: registers the trace's root hints and port, and the
 * trace among those whose cuts others may wait for. -1: out of memory. */
int trace_share_join(struct trace *t);
/* Leaves it; the traces waiting for one of its cuts start. */
void trace_share_leave(struct trace *t);
/* True when another trace is asking the next cut the main walk would ask
 * for qname: t->wait_cut is set and t is kicked once that cut is over. */
bool trace_share_wait(struct trace *t, const char *qname, int qtype);
/* Starts the traces waiting for a cut of t that is over now. */
void trace_share_wake(struct trace *t);
/* The cuts to copy for qname, root first, up to max: the path to the
 * deepest fresh one whose child holds qname. 0 when there is none. */
size_t trace_share_path(struct trace *t, const char *qname, int qtype,
                        const struct share_node **out, size_t max);
/* Adds the main walk's cuts that are over to the cache, top down. */
void trace_share_publish(struct trace *t);
/* A deep copy; -1 when out of memory (dst is then cleared). */
int trace_zone_copy(struct trace_zone *dst, const struct trace_zone *src);

/* ----------------------------------------------------------- trace_find.c */

/* Per-zone findings from the finished result: lame, unreachable,
 * inconsistent, NS mismatch, not delegated to the expected servers. */
void trace_find_zones(struct trace_result *res, char *const *expect_ns, size_t nexpect_ns);
/* "whoever runs P (the RIR ...)" for a zone's parent. */
void trace_find_parent_party(const char *parent, char *buf, size_t len);

#endif
