/* check_upstream: whether anything upstream answers. The root servers and
 * the public zones right below them (arpa., in-addr.arpa., ip6.arpa.) are
 * many anycast servers run apart from each other: when every one of them
 * stays silent the network between this machine and the Internet is the
 * fault (a firewall, offline), and blaming the reverse zone's operator, as
 * a plain timeout would, sends the user the wrong way. */
#include "check_int.h"

#include <stdio.h>

#include "ptrwiz/check.h"

/* Asked, and no reply came (timeouts, unreachable, or this host stopped it). */
static bool server_silent(const struct trace_server *s)
{
        return s->outcome == TRACE_TIMEOUT || s->outcome == TRACE_UNREACHABLE ||
               s->outcome == TRACE_NOT_ASKED || s->outcome == TRACE_PENDING;
}

/* The cut where the trace stopped, when it has servers and none of them
 * replied; *nlocal: how many of them this host kept ptrwiz from asking (a
 * firewall's EPERM or EACCES, no route). Else NULL. */
static const struct trace_zone *silent_cut(const struct trace_result *tr, size_t *nlocal)
{
        *nlocal = 0;
        if (!tr || tr->nzones == 0 || trace_outcome_good(tr->final_outcome))
                return NULL;
        const struct trace_zone *z = &tr->zones[tr->nzones - 1];
        for (size_t i = 0; i < z->nservers; i++) {
                if (!server_silent(&z->servers[i]))
                        return NULL;
                *nlocal += z->servers[i].local;
        }
        return z->nservers ? z : NULL;
}

/* The root or a public zone below it, all silent; else NULL. */
static const struct trace_zone *silent_infra_cut(const struct trace_result *tr)
{
        size_t nlocal;
        const struct trace_zone *z = silent_cut(tr, &nlocal);
        return z && z->infra ? z : NULL;
}

/* All silent, and this host kept ptrwiz from asking at least one: the lookup
 * failed here, whatever the zone is like. */
static const struct trace_zone *blocked_cut(const struct trace_result *tr, size_t *nblocked)
{
        const struct trace_zone *z = silent_cut(tr, nblocked);
        return z && *nblocked ? z : NULL;
}

const struct trace_zone *check_dead_zone(const struct check_result *res)
{
        size_t nlocal;
        const struct trace_zone *z = silent_cut(res->trace, &nlocal);
        return z && !z->infra && nlocal == 0 ? z : NULL;
}

static bool failed(const struct resolver_answer *a)
{
        return a && a->dnssec != DNSSEC_BOGUS &&
               (a->status == RES_SERVFAIL || a->status == RES_TIMEOUT);
}

bool check_upstream_silent(const struct check_result *res)
{
        if (!failed(res->ptr))
                return false;
        if (res->offline)
                return true;
        if (res->trace)
                return silent_infra_cut(res->trace) != NULL;
        return failed(res->probe);
}

bool check_local_fault(const struct check_result *res)
{
        size_t nblocked;
        return check_upstream_silent(res) ||
               (failed(res->ptr) && blocked_cut(res->trace, &nblocked) != NULL);
}

void check_add_upstream_finding(struct check_result *res)
{
        char where[600];
        size_t nblocked;
        const struct trace_zone *z = silent_infra_cut(res->trace);
        const struct trace_zone *b = blocked_cut(res->trace, &nblocked);
        if (res->offline)
                snprintf(where, sizeof(where),
                         "this machine has no route to the root name servers");
        else if (z && !z->parent)
                snprintf(where, sizeof(where), "no root name server answered (%zu asked)",
                         z->nservers);
        else if (z)
                snprintf(where, sizeof(where),
                         "the root answered, but none of the %zu servers of %s did", z->nservers,
                         z->zone);
        else if (b)
                snprintf(where, sizeof(where),
                         "this host kept ptrwiz from asking %zu of the %zu servers of %s (%s)%s",
                         nblocked, b->nservers, b->zone,
                         res->trace->local_error ? res->trace->local_error : "no route",
                         nblocked < b->nservers ? ", and the others did not answer" : "");
        else
                snprintf(where, sizeof(where), "%s failed too (%s), a zone every resolver reaches",
                         res->probe->qname, resolver_status_name(res->probe->status));
        findings_add(&res->findings, FINDING_UPSTREAM_UNREACHABLE,
                     "Nothing is known about the reverse zone yet. Allow outgoing DNS (UDP and "
                     "TCP port 53) in this machine's firewall, check its network connection, or "
                     "point ptrwiz at a resolver it can reach (--resolver system or --resolver "
                     "ADDR); then check again.",
                     "this machine cannot reach DNS servers (firewall? offline?): %s, so %s could "
                     "not be looked up; this says nothing about its zone",
                     where, res->names.owner);
}
