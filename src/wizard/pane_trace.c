/* The trace pane: the delegation trace as dig-style lines, drawn again
 * from the trace's result as each reply arrives, zone by zone in the order
 * of the chain, so every reply sits under its own zone's heading however
 * the replies interleave; scrollable, following the end while it is at the
 * end (like tail -f). Replies that repeat the first server's records for a
 * zone show as one line. The report carries the same lines. */
#include "wizard/wiz.h"

#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void trace_lines_clear(struct wiz *w)
{
        doc_clear(&w->trace_lines);
        w->panes[PANE_TRACE].scroll = 0;
        w->panes[PANE_TRACE].follow = true;
}

/* dig separates fields with tabs; single spaces fit a narrow pane. */
static void add_records(struct doc *d, const char *text)
{
        char *copy = strdup(text);
        if (!copy)
                return;
        for (char *p = copy; *p; p++)
                if (*p == '\t')
                        *p = ' ';
        size_t n = strlen(copy);
        while (n > 0 && copy[n - 1] == '\n')
                copy[--n] = '\0';
        if (n > 0)
                doc_add(d, DOC_CODE, TONE_NONE, NULL, "%s", copy);
        free(copy);
}

/* The SOA and NS queries at a zone's apex check the servers agree. */
static void apex_lines(struct doc *d, const struct trace_zone *z, const struct trace_server *s)
{
        if (s->has_serial)
                doc_add(d, DOC_DIM, TONE_NONE, NULL, ";; %s %s: SOA serial %u", s->ns_name, z->zone,
                        s->serial);
        else if (s->soa_outcome != TRACE_PENDING)
                doc_add(d, DOC_DIM, TONE_NONE, NULL, ";; %s %s: SOA: %s", s->ns_name, z->zone,
                        outcome_words(s->soa_outcome));
        if (s->has_apex_ns)
                doc_add(d, DOC_DIM, TONE_NONE, NULL, ";; %s %s: NS: %zu names", s->ns_name, z->zone,
                        s->napex_ns);
}

/* One server's reply for the traced name; first: the zone's first records. */
static void reply_lines(struct doc *d, const struct trace_zone *z, const struct trace_server *s,
                        const struct trace_server **first)
{
        if (s->reply_text && s->reply_text[0]) {
                if (*first && strcmp((*first)->reply_text, s->reply_text) == 0) {
                        doc_add(d, DOC_DIM, TONE_NONE, NULL, ";; (the same records as from %s)",
                                (*first)->ns_name);
                } else {
                        add_records(d, s->reply_text);
                        if (!*first)
                                *first = s;
                }
        }
        char rtt[64] = "";
        if (s->outcome != TRACE_TIMEOUT && s->outcome != TRACE_NO_ADDRESS)
                snprintf(rtt, sizeof(rtt), ", %lld ms, %zu bytes%s", (long long)s->rtt_ms,
                         s->reply_bytes, s->tcp ? " over TCP" : "");
        enum doc_tone tone = outcome_tone(s->outcome) == TONE_BAD ? TONE_BAD : TONE_NONE;
        doc_add(d, DOC_CODE, tone, NULL, ";; zone %s from %s (%s): %s%s%s", z->zone, s->ns_name,
                s->addr_text[0] ? s->addr_text : "-", outcome_words(s->outcome), s->aa ? " aa" : "",
                rtt);
        if (s->error)
                doc_add(d, DOC_CODE, TONE_BAD, NULL, ";;   %s", s->error);
}

static void zone_lines(struct doc *d, const struct trace_zone *z, const char **qname)
{
        doc_blank(d);
        if (z->revisit) /* asked before, for another name: its servers are known */
                doc_add(d, DOC_HEADING, TONE_NONE, NULL, ";; zone %s again, for %s", z->zone,
                        z->qname ? z->qname : "?");
        else if (z->parent)
                doc_add(d, DOC_HEADING, TONE_NONE, NULL, ";; zone %s (from %s)", z->zone,
                        z->parent);
        else if (strcmp(z->zone, ".") == 0)
                doc_add(d, DOC_HEADING, TONE_NONE, NULL, ";; zone . (the root)");
        else /* no parent and not the root: the --expect-ns servers */
                doc_add(d, DOC_HEADING, TONE_NONE, NULL,
                        ";; zone %s, asked directly at the --expect-ns servers", z->zone);
        /* The name asked only changes at the start and after a CNAME. */
        if (z->qname && (!*qname || strcmp(*qname, z->qname) != 0)) {
                doc_add(d, DOC_DIM, TONE_NONE, NULL, ";; asking for %s%s", z->qname,
                        z->via_cname ? " (the CNAME's target)" : "");
                *qname = z->qname;
        }
        const struct trace_server *first = NULL;
        for (size_t i = 0; i < z->nservers; i++) {
                const struct trace_server *s = &z->servers[i];
                if (s->outcome == TRACE_PENDING)
                        continue; /* asked, no reply yet */
                reply_lines(d, z, s, &first);
                apex_lines(d, z, s);
        }
}

static void done_lines(struct doc *d, const struct trace_result *t)
{
        doc_blank(d);
        if (t->nfinal)
                doc_add(d, DOC_CODE, TONE_GOOD, NULL, ";; done: %s PTR %s%s",
                        t->final_name ? t->final_name : t->qname, t->final[0],
                        t->nfinal > 1 ? " (and more)" : "");
        else
                doc_add(d, DOC_CODE, TONE_BAD, NULL, ";; done: %s",
                        outcome_words(t->final_outcome));
        doc_add(d, DOC_DIM, TONE_NONE, NULL, ";; %llu queries, %lld ms%s",
                (unsigned long long)t->queries, (long long)t->elapsed_ms,
                t->complete ? "" : ", stopped early");
}

/* The lines again from the trace so far (done: with its end). */
static void trace_lines_build(struct wiz *w, const struct trace_result *t, bool done)
{
        struct doc *d = &w->trace_lines;
        doc_clear(d);
        const char *qname = NULL;
        for (size_t i = 0; t && i < t->nzones; i++)
                zone_lines(d, &t->zones[i], &qname);
        if (t && t->probe)
                zone_lines(d, t->probe, &qname);
        if (t && done)
                done_lines(d, t);
}

void trace_lines_event(struct wiz *w, const struct trace_event *ev)
{
        trace_lines_build(w, session_trace(w), false);
}

void trace_lines_done(struct wiz *w, const struct trace_result *t)
{
        trace_lines_build(w, t, true);
}

static void trace_title(const struct wiz *w, char *buf, size_t len)
{
        if (!session_tracing(w)) {
                snprintf(buf, len, "Trace");
                return;
        }
        /* The answer is in and only silent servers' timeouts are left. */
        const struct trace_result *t = session_trace(w);
        snprintf(buf, len, "Trace %s live, %zu in flight%s",
                 w->ui.g->spinner[w->ui.spin % w->ui.g->nspinner], session_in_flight(w),
                 t && t->settled_ms > 0 ? ": answer in, waiting for silent servers" : "");
}

static void trace_draw(struct wiz *w, struct pane *p, struct rect inner)
{
        if (w->trace_lines.n == 0) {
                struct doc d = {0};
                if (w->trace_error[0])
                        doc_add(&d, DOC_MARK, TONE_BAD, NULL, "%s", w->trace_error);
                else
                        doc_add(&d, DOC_DIM, TONE_NONE, NULL,
                                "The trace runs in step 4: replies from every server of every "
                                "zone stream in here as they arrive.");
                pane_doc_draw(w, p, inner, &d);
                doc_clear(&d);
                return;
        }
        pane_doc_draw(w, p, inner, &w->trace_lines);
}

const struct pane_ops pane_trace_ops = {
    .name = "trace",
    .title = trace_title,
    .draw = trace_draw,
    .key = NULL,
};
