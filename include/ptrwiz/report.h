/* report: check results as text (a short dig-like report) and JSON Lines. */
#ifndef PTRWIZ_REPORT_H
#define PTRWIZ_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "ptrwiz/check.h"

struct report_style {
        bool color;              /* ANSI colours for severities (text only, a tty, no NO_COLOR) */
        bool ticket;             /* also the message for whoever must act (ticket.h) */
        const char *ticket_host; /* the name the PTR should give, or NULL */
};

void report_text(FILE *out, const struct check_result *res, const struct report_style *style);

/* What the user typed, for results of a list or a host name: the target as
 * typed, and for a host name whether the PTR points back to it. */
struct report_target {
        const char *target;
        int name_matches; /* 1 or 0 for a host-name target, -1 otherwise */
};

/* One JSON object on one line (no newline); target may be NULL. Caller frees. */
char *report_json(const struct check_result *res, const struct report_target *target);

/* Findings with their fixes, as in the check report. */
void report_findings_text(FILE *out, const struct findings *f, const struct report_style *style);
struct json_t; /* jansson's json_t */
struct json_t *report_findings_json(const struct findings *f);

/* Traces (report_trace.c). The dig +trace part: each cut's records and
 * ";; Received N bytes from ADDR#53(NAME) in T ms". */
struct trace_result;
void report_trace_records(FILE *out, const struct trace_result *res);
/* Every server of every zone cut, one line each. */
void report_trace_table(FILE *out, const struct trace_result *res,
                        const struct report_style *style);
/* ptrwiz trace: records, table, final answer, findings, verdict. */
void report_trace_text(FILE *out, const struct trace_result *res, const char *ip,
                       const struct report_style *style);
/* The "trace" array of check's and trace's JSON: one entry per zone cut. */
struct json_t *report_trace_json_zones(const struct trace_result *res);
/* ptrwiz trace --json: one object on one line; caller frees. */
char *report_trace_json(const struct trace_result *res, const char *ip);

#endif
