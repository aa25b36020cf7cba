/* bulk: many checks through one loop. Targets (IPs, blocks, host names,
 * list files) are read lazily in input order, checked with bounded
 * concurrency overall and per reverse zone, and printed strictly in input
 * order as soon as a result and all before it are done. */
#ifndef PTRWIZ_CLI_BULK_H
#define PTRWIZ_CLI_BULK_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include "ptrwiz/check.h"
#include "ptrwiz/report.h"
#include "ptrwiz/resolver.h"

#define BULK_DEFAULT_CONCURRENCY      64
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

struct bulk_opts {
        const struct resolver_opts *resolver;
        struct check_opts check;
        bool json;
        struct report_style style;
        int concurrency;      /* checks (and host-name lookups) in flight */
        int zone_concurrency; /* checks in flight in one reverse /24 or /48 */
        int deadline_ms;      /* per address */
        bool progress;        /* draw a progress line on stderr (a terminal) */
        const struct bulk_source *sources;
        size_t nsources;
        /* Set: each result is handed to on_result instead of printed (the
         * callee frees it), a host name without addresses to on_error;
         * target is as typed, escaped. --watch and the monitoring formats. */
        void (*on_result)(void *arg, struct check_result *res, const char *target);
        void (*on_error)(void *arg, const char *target, const char *why);
        void *on_arg;
        const volatile sig_atomic_t *stop; /* set (a signal): end the run now */
};

/* Validates every argument target and opens every list first (a bad one is
 * a one-line error and EXIT_USAGE before any lookup). Returns the exit
 * status: 0 pass/warn, 1 any fail, 2 a bad line in a list, 3 no resolver. */
int bulk_run(const struct bulk_opts *o);

#endif
