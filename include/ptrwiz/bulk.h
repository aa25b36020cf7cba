/* bulk: many targets checked through the one loop. Targets (IPs, blocks,
 * host names, list files) are read lazily in input order, checked with
 * bounded concurrency overall and per reverse zone, and handed to the front
 * end strictly in input order as soon as a result and all before it are
 * done. Only a window of targets exists at once, so memory stays bounded
 * however long the input; a finished target leaves nothing behind but the
 * counters. When nothing upstream answers the run stops early. */
#ifndef PTRWIZ_BULK_H
#define PTRWIZ_BULK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ptrwiz/check.h"
#include "ptrwiz/resolver.h"

#define BULK_DEFAULT_CONCURRENCY      128
#define BULK_DEFAULT_ZONE_CONCURRENCY 32
#define BULK_DEFAULT_DEADLINE_MS      30000
#define BULK_MAX_CONCURRENCY          1024
/* Descriptors one check may hold at once, for sizing the concurrency to
 * the limit (ulimit -n): measured about 5 in the lab's /22, with room. */
#define BULK_FDS_PER_CHECK 8

/* One command-line argument: a TARGET, or a list file ("-" is stdin). */
struct bulk_source {
        const char *text;
        bool is_list;
};

/* What the user typed, for one result. */
struct bulk_item {
        const char *target;    /* as typed (escaped) */
        const char *host_name; /* the host name the address came from (A-labels), or NULL */
        size_t host_index, host_count;
        int name_matches;  /* host names: 1 when the PTR points back to it, 0 not; else -1 */
        const char *error; /* a host name with no address to check: why (escaped); else NULL */
};

/* Condenses a result as soon as it is in (e.g. renders it as text), so that
 * what waits for the targets before it is small. res is NULL for an item
 * with an error. Returns an owned string (freed with free), or NULL when out
 * of memory. */
typedef char *(*bulk_render_cb)(void *arg, const struct bulk_item *item,
                                const struct check_result *res);

struct bulk_opts {
        struct check_opts check;
        int concurrency;      /* checks (and host-name lookups) in flight */
        int zone_concurrency; /* checks in flight in one reverse /24 or /48, at first */
        bool zone_fixed;      /* ... and always (--zone-concurrency); else it grows while
                                 no lookup times out, up to concurrency */
        int deadline_ms;      /* per address */
        const struct bulk_source *sources;
        size_t nsources;
        bulk_render_cb render; /* NULL: results are kept whole until handed over */
        void *render_arg;
};

enum bulk_event_kind {
        BULK_EV_RESULT,   /* one target's result, in input order */
        BULK_EV_NOTE,     /* a note on a target (host bits cleared, too many addresses) */
        BULK_EV_BAD_LINE, /* a bad line of a list (FILE:LINE: ...), skipped */
};

/* Valid during the callback only. */
struct bulk_event {
        enum bulk_event_kind kind;
        const struct bulk_item *item; /* RESULT */
        /* RESULT without render, NULL for an item's error. The callback may
         * take it (and set result to NULL), then frees it with
         * check_result_free(); else bulk frees it after the callback. */
        struct check_result *result;
        const char *text;     /* RESULT with render: what it returned */
        enum verdict verdict; /* RESULT */
        const char *message;  /* NOTE, BAD_LINE */
};

typedef void (*bulk_event_cb)(void *arg, struct bulk_event *ev);

enum bulk_state {
        BULK_RUNNING,
        BULK_DONE,            /* every target handed over */
        BULK_UPSTREAM_SILENT, /* stopped: nothing upstream answers (error says so) */
        BULK_OUT_OF_MEMORY,   /* stopped */
};

struct bulk_stats {
        size_t verdicts[VERDICT__COUNT]; /* finished targets, by enum verdict */
        size_t running;                  /* checks and host-name lookups in flight */
        uint64_t total;   /* addresses to check; 0 when unknown (host names, lists) */
        uint64_t queries; /* the resolver's and every trace's */
        int64_t elapsed_ms;
        bool bad_line;       /* a list had a bad line */
        size_t local_faults; /* checks that failed on this host's side (exit 3) */
};

struct bulk;

/* Validates every argument target and opens every list (nothing is looked
 * up yet). NULL and a one-line reason in err on a bad target or list. The
 * options are copied; sources and check options must outlive the run. */
struct bulk *bulk_new(const struct bulk_opts *opts, char *err, size_t errlen);
/* Starts the run on r's loop; events come from the loop, never from inside
 * this call. Returns -1 when out of memory. */
int bulk_start(struct bulk *b, struct resolver *r, bulk_event_cb cb, void *arg);
/* BULK_RUNNING until the run ends; then a one-line reason in err for the
 * states that stopped it. */
enum bulk_state bulk_state(const struct bulk *b, char *err, size_t errlen);
void bulk_stats(const struct bulk *b, struct bulk_stats *out);
/* The verdict so far (check_result.so_far) of the first target in input
 * order while it is still being checked, else NULL; valid until the loop
 * runs again. */
const struct check_result *bulk_so_far(const struct bulk *b);
/* Cancels what is in flight (no more events) and frees everything. */
void bulk_free(struct bulk *b);

#endif
