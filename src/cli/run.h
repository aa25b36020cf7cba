/* run: ptrwiz check's drive of the engine's bulk run (ptrwiz/bulk.h): a
 * resolver and the one loop for it, and what it hands over, in input
 * order, printed as text or JSON Lines (or given to a caller's callbacks:
 * --watch, the monitoring formats), a progress line and a summary. */
#ifndef PTRWIZ_CLI_RUN_H
#define PTRWIZ_CLI_RUN_H

#include <signal.h>
#include <stdbool.h>
#include "ptrwiz/bulk.h"
#include "ptrwiz/report.h"
#include "ptrwiz/resolver.h"

struct check_run {
        const struct resolver_opts *resolver;
        struct bulk_opts bulk; /* the check, the limits, the targets */
        bool json;
        struct report_style style;
        bool progress; /* draw a progress line on stderr (a terminal) */
        /* Set: each result is handed to on_result (in input order; the
         * callee frees it) instead of printed, a host name without
         * addresses to on_error; target is as typed, escaped. */
        void (*on_result)(void *arg, struct check_result *res, const char *target);
        void (*on_error)(void *arg, const char *target, const char *why);
        void *on_arg;
        const volatile sig_atomic_t *stop; /* set (a signal): end the run now */
};

/* One run over every target. Returns the exit status: 0 pass/warn, 1 any
 * fail, 2 a bad target or a bad line in a list, 3 no resolver, or nothing
 * upstream answers (one line on stderr). */
int cli_run_checks(const struct check_run *run);

#endif
