/* check_int: what check_eval.c uses from the check module's other files. */
#ifndef PTRWIZ_CHECK_INT_H
#define PTRWIZ_CHECK_INT_H

#include "ptrwiz/check.h"

/* The one finding of a check whose lookup failed on this machine's side
 * (check_local_fault): nothing upstream answered, or a local firewall
 * blocked the zone's servers; says where it showed. */
void check_add_upstream_finding(struct check_result *res);

/* A PTR answer libunbound cut (TC=1) to nothing: the RRset is over 64 KB. */
bool check_ptr_too_large(const struct check_result *res);
/* PTR_TOO_LARGE, with the trace's count and size when it has them. */
void check_add_too_large_finding(struct check_result *res);
/* " (N bytes: only over TCP, ...)" when the trace needed TCP for the PTR
 * answer, else "". */
void check_ptr_size_note(const struct check_result *res, char *buf, size_t len);

/* The zone cut where the trace stopped because none of its servers answered
 * (not for this host's fault), or NULL. libunbound says TIMEOUT for some
 * lookups of such a zone and SERVFAIL for others (once it marks the servers
 * down): the trace's view gives the one finding. */
const struct trace_zone *check_dead_zone(const struct check_result *res);

/* The PTR lookup ran into the deadline (RES_TIMEOUT): RESOLUTION_TIMEOUT
 * with blame_fix when the trace saw a server fail, else a finding that
 * blames nobody and says what the trace measured. */
void check_eval_timeout(struct check_result *res, const char *blame_fix);
/* A forward lookup of name ran into the deadline. */
void check_eval_forward_timeout(struct check_result *res, const char *name);

/* The trace's authoritative PTR answer in the resolver's form (status OK,
 * DNSSEC unknown, its CNAME chain), for the verdict so far while the
 * resolver's own answer is still out; NULL when the trace has no PTR
 * answer or out of memory. Caller-owned (resolver_answer_free). */
struct resolver_answer *check_ptr_from_trace(const struct trace_result *t);

#endif
