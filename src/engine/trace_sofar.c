/* trace_sofar: the trace as the verdict so far sees it. Once it has settled
 * (only servers of zones another server answered are still waited for, each
 * until its timeout), a copy of the partial result counts every server still
 * waited for as silent, as a resolver that moved on to the server that
 * answered does; the findings follow from that copy. The live trace goes on
 * and its final result replaces the copy. */
#include "trace_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The query of a row still waiting for its reply to the traced name. */
static const struct tquery *row_query(const struct trace *t, const struct cut *c, size_t row)
{
        for (const struct tquery *q = t->qhead; q; q = q->next)
                if (q->purpose == QP_NAME && q->cut == c && q->row == row)
                        return q;
        return NULL;
}

/* The longest time a server of the zone took to give a usable reply. */
static int64_t answered_within(const struct trace_zone *z)
{
        int64_t most = 0;
        for (size_t i = 0; i < z->nservers; i++)
                if (trace_outcome_good(z->servers[i].outcome) && z->servers[i].rtt_ms > most)
                        most = z->servers[i].rtt_ms;
        return most;
}

/* Marks the copy's rows that still wait for a reply as silent so far. */
static int mark_waiting(const struct trace *t, const struct cut *c, struct trace_zone *z,
                        struct trace_result *res)
{
        int64_t now = loop_now_ms(), within = answered_within(&c->z);
        for (size_t i = 0; i < z->nservers; i++) {
                struct trace_server *s = &z->servers[i];
                const struct tquery *q = s->outcome == TRACE_PENDING ? row_query(t, c, i) : NULL;
                if (!q || !q->sent_ms)
                        continue;
                char why[300];
                s->outcome = TRACE_TIMEOUT;
                s->rtt_ms = now - q->sent_ms;
                s->tries = q->tries;
                snprintf(why, sizeof(why),
                         "no reply yet after %lld ms, while the zone's other servers answered "
                         "within %lld ms (still waiting for it)",
                         (long long)s->rtt_ms, (long long)within);
                free(s->error);
                if (!(s->error = trace_dup(why)))
                        return -1;
                int64_t left = q->sent_ms + q->wait_ms - now;
                if (left > res->waiting_left_ms)
                        res->waiting_left_ms = left;
                res->waiting++;
        }
        return 0;
}

static int copy_answer(const struct trace_result *src, struct trace_result *dst)
{
        dst->qtype = src->qtype;
        dst->final_outcome = src->final_outcome;
        dst->queries = src->queries;
        dst->round_trips = src->round_trips;
        dst->ignored = src->ignored;
        dst->settled_ms = src->settled_ms;
        dst->qname = trace_dup(src->qname);
        dst->final_name = trace_dup(src->final_name);
        dst->final_zone = trace_dup(src->final_zone);
        dst->local_error = trace_dup(src->local_error);
        if (!dst->qname || (src->final_name && !dst->final_name) ||
            (src->final_zone && !dst->final_zone) || (src->local_error && !dst->local_error))
                return -1;
        if (strv_copy(&dst->final, &dst->nfinal, src->final, src->nfinal) < 0)
                return -1;
        return findings_copy(&dst->findings, &src->findings); /* the limits' */
}

static int copy_zones(const struct trace *t, struct trace_result *res)
{
        res->zones = calloc(t->nchain ? t->nchain : 1, sizeof(*res->zones));
        if (!res->zones)
                return -1;
        for (size_t i = 0; i < t->nchain; i++) {
                if (trace_zone_copy(&res->zones[i], &t->chain[i]->z) < 0)
                        return -1;
                res->nzones = i + 1; /* freed with the result from here on */
                if (mark_waiting(t, t->chain[i], &res->zones[i], res) < 0)
                        return -1;
        }
        if (!t->probe)
                return 0;
        /* A zeroed probe (a failed copy) is freed as an empty one. */
        res->probe = calloc(1, sizeof(*res->probe));
        if (!res->probe || trace_zone_copy(res->probe, &t->probe->z) < 0)
                return -1;
        return mark_waiting(t, t->probe, res->probe, res);
}

/* A server's reply to the traced name is still waited for: what a verdict
 * so far is for (the apex SOA and NS queries end a round trip later). */
static bool row_waiting(const struct trace *t)
{
        for (const struct tquery *q = t->qhead; q; q = q->next)
                if (q->purpose == QP_NAME && q->cut && trace_cut_public(q->cut))
                        return true;
        return false;
}

struct trace_result *trace_so_far(struct trace *t)
{
        if (!t || !t->settled || t->cancelled || !row_waiting(t))
                return NULL;
        struct trace_result *res = calloc(1, sizeof(*res));
        if (!res)
                return NULL;
        if (copy_answer(t->res, res) < 0 || copy_zones(t, res) < 0) {
                trace_result_free(res);
                return NULL;
        }
        res->elapsed_ms = loop_now_ms() - t->started;
        res->complete = !t->limits;
        trace_find_zones(res, t->expect, t->nexpect);
        return res;
}
