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
/* While partial->so_far (check.h): "verdict so far, after N ms: fail
 * (CODE; who: ...); 1 server has not answered yet, ..." into buf, for a
 * progress line; false when res is no verdict so far. */
bool report_so_far_line(const struct check_result *res, char *buf, size_t len);

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
/* The trace's local_error, when there is one: one line saying the fault is
 * this host's and that no server is blamed for it (check and trace). */
void report_local_error_text(FILE *out, const struct trace_result *res);
/* ptrwiz trace: records, table, final answer, findings, verdict. */
void report_trace_text(FILE *out, const struct trace_result *res, const char *ip,
                       const struct report_style *style);
/* The "trace" array of check's and trace's JSON: one entry per zone cut. */
struct json_t *report_trace_json_zones(const struct trace_result *res);
/* Servers that give different answers for the name (trace_disagreement):
 * one ";; servers disagree ..." line, nothing when they agree; and the
 * "servers_disagree" object of check's and trace's JSON (null then). */
void report_disagreement_text(FILE *out, const struct trace_result *res);
/* "ns1. (addr) PTR a., serial N; ns2. ..." into buf; false when they agree. */
bool report_disagreement_line(const struct trace_result *res, char *buf, size_t len);
struct json_t *report_disagreement_json(const struct trace_result *res);
/* ptrwiz trace --json: one object on one line; caller frees. */
char *report_trace_json(const struct trace_result *res, const char *ip);
/* One line when the trace waited long for servers that did not answer
 * after the rest was in (settled_ms), else nothing. */
void report_trace_waited_text(FILE *out, const struct trace_result *res);
/* The parts of both: records, table, final answer and notes; the object. */
void report_trace_head_text(FILE *out, const struct trace_result *res,
                            const struct report_style *style);
struct json_t *report_trace_json_object(const struct trace_result *res, const char *ip);
/* False when the trace got no answer and no finding of its own says why:
 * it could not run from here. */
bool report_trace_reached(const struct trace_result *res);

/* ptrwiz trace, reading the one diagnosis: the check's trace in dig style
 * and its table, then the check's findings, who must act and verdict (the
 * same as ptrwiz check's); the JSON is the trace's object with the
 * diagnosis's findings, verdict and party to act. */
void report_diagnosis_trace_text(FILE *out, const struct check_result *res,
                                 const struct report_style *style);
char *report_diagnosis_trace_json(const struct check_result *res);
/* The verdict ptrwiz trace reports: the diagnosis's, or "unknown" when the
 * trace could not run from here. */
const char *report_diagnosis_trace_verdict(const struct check_result *res);

#endif
