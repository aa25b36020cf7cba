/* The trace pane: the delegation trace as dig-style lines, appended as
 * each reply arrives, scrollable, and following the end while it is at
 * the end (like tail -f). Replies that repeat the first server's records
 * for the same zone show as one line. */
#include "wizard/wiz.h"

#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void trace_lines_clear(struct wiz *w)
{
        doc_clear(&w->trace_lines);
        for (size_t i = 0; i < w->ntrace_first; i++) {
                free(w->trace_first[i].key);
                free(w->trace_first[i].records);
                free(w->trace_first[i].ns);
        }
        free(w->trace_first);
        free(w->trace_qname);
        w->trace_first = NULL;
        w->trace_qname = NULL;
        w->ntrace_first = 0;
        w->panes[PANE_TRACE].scroll = 0;
        w->panes[PANE_TRACE].follow = true;
}

/* The server that already showed these records for this zone and name, or
 * NULL (and then this one is remembered when it is the first). */
static const char *seen_before(struct wiz *w, const struct trace_zone *z,
                               const struct trace_server *s)
{
        char *key = NULL;
        if (asprintf(&key, "%s %s", z->zone, z->qname ? z->qname : "") < 0)
                return NULL;
        for (size_t i = 0; i < w->ntrace_first; i++) {
                struct trace_seen *t = &w->trace_first[i];
                if (strcmp(t->key, key) == 0) {
                        free(key);
                        return strcmp(t->records, s->reply_text) == 0 ? t->ns : NULL;
                }
        }
        struct trace_seen *v = realloc(w->trace_first, (w->ntrace_first + 1) * sizeof(*v));
        if (!v) {
                free(key);
                return NULL;
        }
        w->trace_first = v;
        v[w->ntrace_first].key = key;
        v[w->ntrace_first].records = strdup(s->reply_text);
        v[w->ntrace_first].ns = strdup(s->ns_name);
        if (!v[w->ntrace_first].records || !v[w->ntrace_first].ns) {
                free(v[w->ntrace_first].records);
                free(v[w->ntrace_first].ns);
                free(key);
                return NULL;
        }
        w->ntrace_first++;
        return NULL;
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
static void on_apex_reply(struct wiz *w, const struct trace_event *ev)
{
        const struct trace_server *s = ev->server;
        char what[200];
        if (ev->qtype == LDNS_RR_TYPE_SOA && s->has_serial)
                snprintf(what, sizeof(what), "SOA serial %u", s->serial);
        else if (ev->qtype == LDNS_RR_TYPE_SOA)
                snprintf(what, sizeof(what), "SOA: %s", outcome_words(s->soa_outcome));
        else if (s->has_apex_ns)
                snprintf(what, sizeof(what), "NS: %zu names", s->napex_ns);
        else
                snprintf(what, sizeof(what), "NS: no authoritative answer");
        doc_add(&w->trace_lines, DOC_DIM, TONE_NONE, NULL, ";; %s %s: %s", s->ns_name,
                ev->zone->zone, what);
}

static void on_reply(struct wiz *w, const struct trace_event *ev)
{
        const struct trace_server *s = ev->server;
        struct doc *d = &w->trace_lines;
        if (ev->qtype == LDNS_RR_TYPE_SOA || ev->qtype == LDNS_RR_TYPE_NS) {
                on_apex_reply(w, ev);
                return;
        }
        if (s->reply_text && s->reply_text[0]) {
                const char *first = seen_before(w, ev->zone, s);
                if (first)
                        doc_add(d, DOC_DIM, TONE_NONE, NULL, ";; (the same records as from %s)",
                                first);
                else
                        add_records(d, s->reply_text);
        }
        char rtt[64] = "";
        if (s->outcome != TRACE_TIMEOUT && s->outcome != TRACE_NO_ADDRESS)
                snprintf(rtt, sizeof(rtt), ", %lld ms, %zu bytes%s", (long long)s->rtt_ms,
                         s->reply_bytes, s->tcp ? " over TCP" : "");
        enum doc_tone tone = outcome_tone(s->outcome) == TONE_BAD ? TONE_BAD : TONE_NONE;
        doc_add(d, DOC_CODE, tone, NULL, ";; zone %s from %s (%s): %s%s%s", ev->zone->zone,
                s->ns_name, s->addr_text[0] ? s->addr_text : "-", outcome_words(s->outcome),
                s->aa ? " aa" : "", rtt);
        if (s->error)
                doc_add(d, DOC_CODE, TONE_BAD, NULL, ";;   %s", s->error);
}

void trace_lines_event(struct wiz *w, const struct trace_event *ev)
{
        struct doc *d = &w->trace_lines;
        const struct trace_zone *z = ev->zone;
        switch (ev->kind) {
        case TRACE_EV_ZONE:
                doc_blank(d);
                if (z->parent)
                        doc_add(d, DOC_HEADING, TONE_NONE, NULL, ";; zone %s (from %s)", z->zone,
                                z->parent);
                else if (strcmp(z->zone, ".") == 0)
                        doc_add(d, DOC_HEADING, TONE_NONE, NULL, ";; zone . (the root)");
                else /* no parent and not the root: the --expect-ns servers */
                        doc_add(d, DOC_HEADING, TONE_NONE, NULL,
                                ";; zone %s, asked directly at the --expect-ns servers", z->zone);
                /* The name asked only changes at the start and after a CNAME. */
                if (z->qname && (!w->trace_qname || strcmp(w->trace_qname, z->qname) != 0)) {
                        doc_add(d, DOC_DIM, TONE_NONE, NULL, ";; asking for %s%s", z->qname,
                                z->via_cname ? " (the CNAME's target)" : "");
                        free(w->trace_qname);
                        w->trace_qname = strdup(z->qname);
                }
                break;
        case TRACE_EV_REPLY:
                on_reply(w, ev);
                break;
        default:
                break;
        }
}

void trace_lines_done(struct wiz *w, const struct trace_result *t)
{
        struct doc *d = &w->trace_lines;
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

static void trace_title(const struct wiz *w, char *buf, size_t len)
{
        if (session_tracing(w))
                snprintf(buf, len, "Trace %s live, %zu in flight",
                         w->ui.g->spinner[w->ui.spin % w->ui.g->nspinner], session_in_flight(w));
        else
                snprintf(buf, len, "Trace");
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
