/* monitor: check results for monitoring systems. Nagios/Icinga plugin
 * output (Monitoring Plugins guidelines: one status line "PTRWIZ OK - ...",
 * "|" performance data, exit 0/1/2/3 for OK/WARNING/CRITICAL/UNKNOWN) and
 * the Prometheus text exposition format (node_exporter's textfile
 * collector). Results are collected, then written once: Nagios's first
 * line sums up every target, and Prometheus groups samples by metric. */
#ifndef PTRWIZ_MONITOR_H
#define PTRWIZ_MONITOR_H

#include <stdio.h>
#include "ptrwiz/check.h"

enum monitor_format { MONITOR_NAGIOS, MONITOR_PROMETHEUS };

/* Nagios states, which are also the plugin's exit status. */
enum monitor_state {
        MONITOR_OK = 0,
        MONITOR_WARNING = 1,
        MONITOR_CRITICAL = 2,
        MONITOR_UNKNOWN = 3
};

struct monitor;

struct monitor *monitor_new(enum monitor_format fmt); /* NULL when out of memory */
void monitor_free(struct monitor *m);
/* One target's result (copied from; target as typed, escaped, or NULL).
 * Returns -1 when out of memory. */
int monitor_add(struct monitor *m, const struct check_result *res, const char *target);
/* A target that gave no address to check (a host name without A/AAAA). */
int monitor_add_error(struct monitor *m, const char *target, const char *why);
/* Everything collected, in natural order of target and address (sorted
 * here); now is the run's wall-clock time (Prometheus). */
void monitor_write(struct monitor *m, FILE *out, int64_t now);
/* The worst state of every target (UNKNOWN when there are none). */
enum monitor_state monitor_status(const struct monitor *m);
/* A run that could not start (bad usage, no resolver): UNKNOWN, why. */
void monitor_write_unknown(enum monitor_format fmt, FILE *out, const char *why);
const char *monitor_state_name(enum monitor_state s);

#endif
