/* Step 4, trace the delegation: every server at every zone cut from the
 * root to the PTR, what each said, the delegation findings and who acts. */
#include "wizard/wiz.h"

#include <stdio.h>

/* Plain words for what a server did with the query. */
const char *outcome_words(enum trace_outcome o)
{
        switch (o) {
        case TRACE_PENDING:
                return "waiting";
        case TRACE_REFERRAL:
                return "referral";
        case TRACE_ANSWER:
                return "answer";
        case TRACE_NODATA:
                return "name exists, no PTR (NODATA)";
        case TRACE_NXDOMAIN:
                return "no such name (NXDOMAIN)";
        case TRACE_LAME:
                return "lame: not authoritative";
        case TRACE_REFUSED:
                return "refused";
        case TRACE_SERVFAIL:
                return "server failure";
        case TRACE_FORMERR:
                return "format error";
        case TRACE_TIMEOUT:
                return "no reply (timeout)";
        case TRACE_UNREACHABLE:
                return "unreachable";
        case TRACE_MALFORMED:
                return "malformed reply";
        case TRACE_NO_ADDRESS:
                return "no address for this server";
        case TRACE_NOT_ASKED:
                return "not asked (limit reached)";
        }
        return "?";
}

enum doc_tone outcome_tone(enum trace_outcome o)
{
        switch (o) {
        case TRACE_PENDING:
                return TONE_BUSY;
        case TRACE_REFERRAL:
        case TRACE_ANSWER:
        case TRACE_NODATA:
        case TRACE_NXDOMAIN:
                return TONE_GOOD;
        case TRACE_NOT_ASKED:
                return TONE_WARN;
        default:
                return TONE_BAD;
        }
}

static void server_line(struct doc *d, const struct trace_server *s)
{
        char rtt[32] = "";
        if (s->outcome != TRACE_PENDING && s->outcome != TRACE_TIMEOUT &&
            s->outcome != TRACE_NO_ADDRESS && s->rtt_ms >= 0)
                snprintf(rtt, sizeof(rtt), ", %lld ms", (long long)s->rtt_ms);
        doc_add(d, DOC_MARK, outcome_tone(s->outcome), NULL, "%s %s %s%s", s->ns_name,
                s->addr_text[0] ? s->addr_text : "-", outcome_words(s->outcome), rtt);
        if (s->error)
                doc_add(d, DOC_DIM, TONE_NONE, NULL, "  %s", s->error);
}

/* The root and the arpa zones are not anyone's to fix: one line, plus any
 * server that failed. */
static void infra_zone(struct doc *d, const struct trace_zone *z)
{
        size_t good = 0, done = 0;
        for (size_t i = 0; i < z->nservers; i++) {
                done += z->servers[i].outcome != TRACE_PENDING;
                good += outcome_tone(z->servers[i].outcome) == TONE_GOOD;
        }
        doc_add(d, DOC_MARK,
                done < z->nservers ? TONE_BUSY
                : good             ? TONE_GOOD
                                   : TONE_BAD,
                NULL, "Zone %s: %zu of %zu server%s answered", z->zone, good, z->nservers,
                z->nservers == 1 ? "" : "s");
        for (size_t i = 0; i < z->nservers; i++)
                if (outcome_tone(z->servers[i].outcome) == TONE_BAD)
                        server_line(d, &z->servers[i]);
}

static void zones(struct doc *d, const struct trace_result *t)
{
        for (size_t i = 0; i < t->nzones; i++) {
                const struct trace_zone *z = &t->zones[i];
                if (z->infra) {
                        infra_zone(d, z);
                        continue;
                }
                doc_blank(d);
                doc_add(d, DOC_HEADING, TONE_NONE, NULL, "Zone %s%s", z->zone,
                        z->via_cname ? " (reached through the CNAME)" : "");
                if (z->parent)
                        doc_add(d, DOC_DIM, TONE_NONE, NULL, "listed by %s with %zu server%s",
                                z->parent, z->nparent_ns, z->nparent_ns == 1 ? "" : "s");
                for (size_t k = 0; k < z->nservers; k++)
                        server_line(d, &z->servers[k]);
        }
        doc_blank(d);
}

static void final_answer(struct doc *d, const struct trace_result *t)
{
        if (t->nfinal > 0)
                doc_field(d, "Final answer", TONE_GOOD, "%s PTR %s%s",
                          t->final_name ? t->final_name : t->qname, t->final[0],
                          t->nfinal > 1 ? " (and more)" : "");
        else
                doc_field(d, "Final answer", TONE_BAD, "%s", outcome_words(t->final_outcome));
        if (t->final_zone)
                doc_field(d, "From zone", TONE_NONE, "%s", t->final_zone);
        doc_field(d, "Queries", TONE_NONE, "%llu in %lld ms%s", (unsigned long long)t->queries,
                  (long long)t->elapsed_ms, t->complete ? "" : "; the trace stopped early");
}

/* Running, cancelled, failed to start: false when the result can show. */
static bool trace_status(struct doc *d, const struct wiz *w, const struct trace_result *t)
{
        if (w->trace_error[0]) {
                doc_add(d, DOC_MARK, TONE_BAD, NULL, "The trace could not start: %s",
                        w->trace_error);
                return true;
        }
        if (session_tracing(w)) {
                doc_add(d, DOC_MARK, TONE_BUSY, NULL,
                        "Tracing: %zu queries in flight (Esc cancels)", session_in_flight(w));
                return true;
        }
        if (w->trace_cancelled) {
                doc_add(d, DOC_MARK, TONE_WARN, NULL, "Cancelled. Press r to trace again.");
                return true;
        }
        if (!t) {
                doc_add(d, DOC_DIM, TONE_NONE, NULL, "Not traced yet: press r to trace.");
                return true;
        }
        return false;
}

void step4_doc(const struct wiz *w, struct doc *d)
{
        if (!w->has_ip) {
                doc_text(d, "Choose an IP address in step 1 first.");
                return;
        }
        const struct trace_result *t = session_trace(w);
        if (!trace_status(d, w, t)) {
                doc_step_verdict(d, w, STEP_TRACE,
                                 "every server of every zone answers as it should; nobody has "
                                 "to act on the delegation.",
                                 "see the warnings.",
                                 "the delegation is broken; see who has to act.");
                if (t->nfinal == 0 && step_state(w, STEP_TRACE) == SS_PASS)
                        doc_text(d, "The servers are fine and agree: they say there is no PTR "
                                    "record. That is what step 2 asks to fix.");
                doc_blank(d);
                doc_findings(d, w, STEP_TRACE);
                where_doc(d, w);
                doc_blank(d);
                final_answer(d, t);
        }
        if (t)
                zones(d, t);
        helpdesk_doc(d, w, STEP_TRACE); /* last: the step reads as before it */
        doc_about(d,
                  "The PTR lives in a zone that was handed down cut by cut from the root: "
                  ". then arpa. then in-addr.arpa. (ip6.arpa. for IPv6) and on to the zone "
                  "of the IP block. Each parent lists the servers of its child. ptrwiz asks "
                  "every server of every cut, so one broken server shows up. The trace pane "
                  "shows the replies as they arrive.",
                  !session_tracing(w), "Press Enter for step 5: test again after a fix.");
}
