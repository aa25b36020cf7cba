/* check_size: PTR answers near or over the 64 KB a DNS message can carry.
 * An authoritative server may send 3000 PTRs over TCP, but a resolver that
 * re-encodes them (libunbound does, as does every resolver a receiver
 * uses) can overflow the one message it hands on: it cuts whole RRsets and
 * sets TC=1, and what is left looks like "no PTR" (NODATA). The trace read
 * the server's own reply and says what was there. */
#include "check_int.h"

#include <stdio.h>

#include "ptrwiz/check.h"

/* The server whose answer the trace took for the final data, or NULL. */
static const struct trace_server *answering_server(const struct trace_result *tr)
{
        if (!tr || tr->nzones == 0 || tr->final_outcome != TRACE_ANSWER)
                return NULL;
        const struct trace_zone *z = &tr->zones[tr->nzones - 1];
        const struct trace_server *f = trace_zone_followed(z);
        if (f)
                return f;
        for (size_t i = 0; i < z->nservers; i++)
                if (z->servers[i].outcome == TRACE_ANSWER)
                        return &z->servers[i];
        return NULL;
}

bool check_ptr_too_large(const struct check_result *res)
{
        const struct resolver_answer *p = res->ptr;
        return p && p->truncated && p->ndata == 0 &&
               (p->status == RES_NODATA || p->status == RES_SERVFAIL);
}

void check_add_too_large_finding(struct check_result *res)
{
        const struct trace_result *tr = res->trace;
        const struct trace_server *s = answering_server(tr);
        char seen[300];
        if (s && tr->nfinal > 0)
                snprintf(seen, sizeof(seen), "%s has %zu PTR records (the trace read %zu bytes%s)",
                         res->names.owner, tr->nfinal, s->reply_bytes, s->tcp ? " over TCP" : "");
        else
                snprintf(seen, sizeof(seen), "the answer for %s did not fit one DNS message",
                         res->names.owner);
        findings_add(&res->findings, FINDING_PTR_TOO_LARGE,
                     "Whoever runs the reverse zone (the IP block holder, or whoever it "
                     "delegated the zone to) must keep one PTR for this address, the mail "
                     "server's host name, and remove the others.",
                     "%s: more than a resolver can pass on in one 64 KB message, so it cut them "
                     "(TC=1) and receivers get no PTR at all",
                     seen);
}

void check_ptr_size_note(const struct check_result *res, char *buf, size_t len)
{
        const struct trace_server *s = answering_server(res->trace);
        buf[0] = '\0';
        if (s && s->tcp)
                snprintf(buf, len,
                         " (%zu bytes: only over TCP, which some receivers' resolvers do not use)",
                         s->reply_bytes);
}
