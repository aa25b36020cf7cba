/* check_sofar: what the verdict so far reads for a lookup the resolver has
 * not answered yet. When one server of the reverse zone stays silent, the
 * resolver may be waiting on it (ptrwiz's libunbound gives an unknown
 * server up to 1000 ms, then backs off and retries) while the trace already has every server's
 * answer: the trace's authoritative answer stands in for the resolver's PTR
 * until it comes. */
#include "check_int.h"

#include <ldns/ldns.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strv.h"

/* The CNAME chain the trace followed from qname, as the resolver gives it. */
static int chain_from_trace(const struct trace_result *t, struct resolver_answer *a)
{
        const char *name = t->qname;
        size_t nfrom = 0, nto = 0;
        bool oom = false;
        for (size_t i = 0; i < t->nzones && !oom; i++) {
                const struct trace_zone *z = &t->zones[i];
                const struct trace_server *s = trace_zone_followed(z);
                if (!s || !s->cname || !z->qname || strcasecmp(z->qname, name) != 0)
                        continue;
                oom = strv_push(&a->cname_from, &nfrom, name) < 0 ||
                      strv_push(&a->cname_to, &nto, s->cname) < 0;
                name = s->cname;
        }
        if (nfrom > nto) /* out of memory between the two: the pair is incomplete */
                free(a->cname_from[--nfrom]);
        a->ncname = nto;
        if (oom || (t->final_name && strcasecmp(name, t->final_name) != 0))
                return -1; /* out of memory, or a chain the rows do not show */
        a->cname_ttl = calloc(a->ncname ? a->ncname : 1, sizeof(*a->cname_ttl));
        return a->cname_ttl ? 0 : -1;
}

struct resolver_answer *check_ptr_from_trace(const struct trace_result *t)
{
        if (!t || t->qtype != LDNS_RR_TYPE_PTR || t->final_outcome != TRACE_ANSWER ||
            t->nfinal == 0 || !t->qname)
                return NULL;
        struct resolver_answer *a = calloc(1, sizeof(*a));
        if (!a)
                return NULL;
        a->qname = strdup(t->qname);
        a->qtype = LDNS_RR_TYPE_PTR;
        a->status = RES_OK;
        a->dnssec = DNSSEC_UNKNOWN; /* the trace does not validate */
        a->rtt_ms = t->elapsed_ms;
        if (!a->qname || strv_copy(&a->data, &a->ndata, t->final, t->nfinal) < 0 ||
            chain_from_trace(t, a) < 0) {
                resolver_answer_free(a);
                return NULL;
        }
        return a;
}
