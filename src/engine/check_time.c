/* check_time: what a check says when its deadline cut a lookup. libunbound
 * never times out a lookup itself (it answers SERVFAIL once every server is
 * down), so RES_TIMEOUT is always ptrwiz's own deadline. Only servers the
 * trace saw stay silent are blamed; a slow but working path is reported as
 * ptrwiz running out of time, with what the trace measured. */
#include "check_int.h"

#include <stdio.h>
#include <string.h>

static bool trace_answered(const struct trace_result *tr)
{
        return tr && (tr->final_outcome == TRACE_ANSWER || tr->final_outcome == TRACE_NODATA ||
                      tr->final_outcome == TRACE_NXDOMAIN);
}

/* The trace found a fault of the delegation (a silent, lame or looping
 * server): the lookup's timeout is that fault's doing. */
static bool trace_found_fault(const struct trace_result *tr)
{
        for (size_t i = 0; tr && i < tr->findings.n; i++)
                if (tr->findings.v[i].severity == SEV_ERROR &&
                    tr->findings.v[i].code != FINDING_TRACE_LIMIT)
                        return true;
        return false;
}

static void server_text(const struct trace_server *s, char *buf, size_t len)
{
        snprintf(buf, len, "%s (%s: %d %s, %lld ms)", s->ns_name,
                 s->addr_text[0] ? s->addr_text : "no address", s->tries,
                 s->tries == 1 ? "try" : "tries", (long long)s->rtt_ms);
}

/* Up to three servers of the deepest cut with one in outcome o. */
static void servers_with(const struct trace_result *tr, enum trace_outcome o, char *buf, size_t len)
{
        buf[0] = '\0';
        for (size_t zi = tr ? tr->nzones : 0; zi-- > 0 && !buf[0];) {
                const struct trace_zone *z = &tr->zones[zi];
                size_t shown = 0, off = 0;
                for (size_t i = 0; i < z->nservers && off < len; i++) {
                        if (z->servers[i].outcome != o)
                                continue;
                        char one[400];
                        server_text(&z->servers[i], one, sizeof(one));
                        if (shown++ == 3) {
                                off += (size_t)snprintf(buf + off, len - off, ", ...");
                                break;
                        }
                        if (shown == 1)
                                off += (size_t)snprintf(buf + off, len - off, "zone %s: ", z->zone);
                        if (off < len)
                                off += (size_t)snprintf(buf + off, len - off, "%s%s",
                                                        shown > 1 ? ", " : "", one);
                }
        }
}

/* The server whose reply the trace ended with. */
static const struct trace_server *answering_server(const struct trace_result *tr)
{
        for (size_t zi = tr->nzones; zi-- > 0;) {
                const struct trace_zone *z = &tr->zones[zi];
                const struct trace_server *f = trace_zone_followed(z);
                if (f)
                        return f;
                for (size_t i = 0; i < z->nservers; i++)
                        if (trace_outcome_good(z->servers[i].outcome))
                                return &z->servers[i];
        }
        return NULL;
}

static const char *const FIX_DEADLINE =
    "Nothing found to fix: no server was seen failing. The servers of the zones on the way "
    "answer, but slowly or from far away, and ptrwiz's own time ran out first. Run again with "
    "a larger --deadline (for example --deadline 60000).";

void check_eval_timeout(struct check_result *res, const char *blame_fix)
{
        const struct resolver_answer *p = res->ptr;
        const struct trace_result *tr = res->trace;
        char measured[1400];
        if (trace_found_fault(tr)) {
                servers_with(tr, TRACE_TIMEOUT, measured, sizeof(measured));
                findings_add(&res->findings, FINDING_RESOLUTION_TIMEOUT, blame_fix,
                             "no answer for %s within %lld ms%s%s", res->names.owner,
                             (long long)p->rtt_ms, measured[0] ? "; no reply from " : "", measured);
                return;
        }
        if (!tr) {
                findings_add(&res->findings, FINDING_RESOLUTION_TIMEOUT,
                             "ptrwiz asked no server itself here (--quick, or no root to trace "
                             "from), so it cannot tell which one is slow or silent: run 'ptrwiz "
                             "trace IP' (step 4 of the wizard), or run again with a larger "
                             "--deadline.",
                             "no answer for %s: the lookup did not finish within %d ms "
                             "(--deadline)",
                             res->names.owner, res->deadline_ms);
                return;
        }
        if (trace_answered(tr) && answering_server(tr)) {
                const struct trace_server *s = answering_server(tr);
                server_text(s, measured, sizeof(measured));
                findings_add(&res->findings, FINDING_CHECK_DEADLINE, FIX_DEADLINE,
                             "the lookup of %s did not finish within %lld ms (--deadline %d), "
                             "but the trace got its answer (%s) from %s in %lld ms: the path is "
                             "slow, not broken",
                             res->names.owner, (long long)p->rtt_ms, res->deadline_ms,
                             trace_outcome_name(tr->final_outcome), measured,
                             (long long)tr->elapsed_ms);
                return;
        }
        servers_with(tr, TRACE_TIMEOUT, measured, sizeof(measured));
        if (!measured[0])
                servers_with(tr, TRACE_NOT_ASKED, measured, sizeof(measured));
        findings_add(&res->findings, FINDING_CHECK_DEADLINE, FIX_DEADLINE,
                     "the lookup of %s did not finish within %lld ms (--deadline %d), and the "
                     "trace ended at its own deadline (%lld ms) before any server was seen "
                     "failing%s%s",
                     res->names.owner, (long long)p->rtt_ms, res->deadline_ms,
                     (long long)tr->elapsed_ms, measured[0] ? "; still waiting for " : "",
                     measured);
}

void check_eval_forward_timeout(struct check_result *res, const char *name)
{
        findings_add(&res->findings, FINDING_CHECK_DEADLINE, FIX_DEADLINE,
                     "the forward lookup of %s did not finish before the check's deadline of "
                     "%d ms",
                     name, res->deadline_ms);
}
