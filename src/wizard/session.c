/* session: runs the engine's one diagnosis of the chosen IP inside the one
 * loop: the check with its delegation trace (steps 2 to 4 read the same
 * result and findings as `ptrwiz check`), re-runs with a fresh resolver
 * (step 5, r) and the watch that re-tests until it passes. The results stay
 * owned here for the panes and the report. */
#include "wizard/wiz.h"

#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void drop_check(struct wiz *w)
{
        check_cancel(w->check);
        w->check = NULL;
        w->partial = NULL;
}

void session_free(struct wiz *w)
{
        session_watch(w, false);
        drop_check(w);
        check_result_free(w->result);
        check_result_free(w->previous);
        w->result = w->previous = NULL;
        resolver_free(w->resolver);
        w->resolver = NULL;
        trace_lines_clear(w);
        where_free(w);
        helpdesk_free(w);
}

void session_set_ip(struct wiz *w, const struct addr *ip)
{
        if (w->has_ip && addr_equal(&w->ip, ip))
                return;
        session_free(w);
        w->ip = *ip;
        w->has_ip = true;
        addr_format(ip, w->ip_text, sizeof(w->ip_text));
        w->runs = 0;
        w->nhistory = 0;
        w->check_cancelled = w->trace_cancelled = w->trace_wanted = false;
        w->run_error[0] = w->trace_error[0] = '\0';
}

bool session_busy(const struct wiz *w)
{
        return w->check != NULL;
}

size_t session_in_flight(const struct wiz *w)
{
        return check_in_flight(w->check);
}

uint64_t session_queries(const struct wiz *w)
{
        uint64_t n = w->resolver ? resolver_queries(w->resolver) : 0;
        const struct trace_result *t = session_trace(w);
        return n + (t ? t->queries : 0);
}

const struct check_result *session_check(const struct wiz *w)
{
        return w->check ? w->partial : w->result;
}

const struct trace_result *session_trace(const struct wiz *w)
{
        if (w->check)
                return check_trace_partial(w->check);
        return w->result ? w->result->trace : NULL;
}

bool session_tracing(const struct wiz *w)
{
        return check_tracing(w->check);
}

/* The diagnosis's one verdict, the check's and the trace's together. */
enum verdict session_verdict(const struct wiz *w)
{
        return w->result ? w->result->verdict : VERDICT_PASS;
}

/* One line for the history: the PTR answer and whether it matched. */
static void run_summary(const struct check_result *res, char *buf, size_t len)
{
        const struct resolver_answer *p = res->ptr;
        if (!p || p->status != RES_OK) {
                snprintf(buf, len, "PTR lookup: %s", p ? resolver_status_name(p->status) : "-");
                return;
        }
        snprintf(buf, len, "PTR %s%s, %s", p->ndata ? p->data[0] : "?",
                 p->ndata > 1 ? " (and more)" : "",
                 res->fcrdns ? "its A/AAAA matches" : "its A/AAAA does not match");
}

static void log_run(struct wiz *w)
{
        /* A trace started later (step 4) belongs to the run already logged. */
        if (w->run_logged && w->nhistory > 0) {
                struct run_log *last = &w->history[w->nhistory - 1];
                last->verdict = session_verdict(w);
                run_summary(w->result, last->what, sizeof(last->what));
                return;
        }
        w->run_logged = true;
        if (w->nhistory == WIZ_HISTORY) {
                memmove(&w->history[0], &w->history[1], (WIZ_HISTORY - 1) * sizeof(w->history[0]));
                w->nhistory--;
        }
        struct run_log *l = &w->history[w->nhistory++];
        l->when = w->run_wall;
        l->verdict = session_verdict(w);
        run_summary(w->result, l->what, sizeof(l->what));
}

static void watch_fire(void *arg)
{
        struct wiz *w = arg;
        w->watch_timer = 0;
        if (session_run(w, true) < 0)
                session_watch(w, false);
        w->dirty = true;
}

/* Both halves of a run are in: log it, and let the watch decide. */
static void run_finished(struct wiz *w)
{
        if (session_busy(w) || !w->result)
                return;
        log_run(w);
        where_update(w);
        helpdesk_ticket(w);
        if (w->quit_pending) {
                w->quit = true;
                return;
        }
        if (!w->watching)
                return;
        if (session_verdict(w) == VERDICT_PASS || session_verdict(w) == VERDICT_WARN) {
                session_watch(w, false);
                wiz_message(w, TONE_GOOD, "It passes now: watch stopped after %d runs.", w->runs);
                beep();
                return;
        }
        w->watch_due = loop_now_ms() + (int64_t)w->watch_interval_s * 1000;
        w->watch_timer = loop_timer_add(w->lp, (int64_t)w->watch_interval_s * 1000, watch_fire, w);
}

static void check_progress(void *arg, const struct check_result *partial,
                           const struct resolver_answer *ans)
{
        struct wiz *w = arg;
        w->partial = partial;
        w->dirty = true;
}

static void check_done(void *arg, struct check_result *res)
{
        struct wiz *w = arg;
        w->check = NULL;
        w->partial = NULL;
        helpdesk_free(w);
        if (w->result) {
                check_result_free(w->previous);
                w->previous = w->result;
                w->previous_wall = w->run_wall;
        }
        w->result = res;
        w->runs++;
        w->run_wall = time(NULL);
        w->dirty = true;
        run_finished(w);
}

/* The check's trace streams into the trace pane as replies arrive. */
static void trace_event(void *arg, const struct trace_event *ev)
{
        struct wiz *w = arg;
        if (ev->kind == TRACE_EV_DONE) {
                const struct trace_result *t = check_trace_partial(w->check);
                if (t)
                        trace_lines_done(w, t);
        } else {
                trace_lines_event(w, ev);
        }
        w->dirty = true;
}

/* The trace is part of every run; this only starts a run when none is. */
void session_run_trace(struct wiz *w)
{
        w->trace_wanted = true;
        if (w->has_ip && !w->check && !w->result)
                session_run(w, true);
}

int session_run(struct wiz *w, bool with_trace)
{
        if (!w->has_ip)
                return -1;
        drop_check(w);
        resolver_free(w->resolver); /* a fresh cache: see the DNS as it is now */
        char err[256];
        w->resolver = resolver_new(&w->common.resolver, w->lp, err, sizeof(err));
        w->check_cancelled = false;
        w->run_error[0] = '\0';
        if (!w->resolver) {
                snprintf(w->run_error, sizeof(w->run_error), "%s", err);
                return -1;
        }
        /* The same options as `ptrwiz check`: one diagnosis, check and trace. */
        struct check_opts opts = cli_check_opts(&w->common, 0);
        opts.quick = false;
        opts.trace_event = trace_event;
        opts.trace_event_arg = w;
        w->run_started_ms = loop_now_ms();
        w->run_logged = false;
        trace_lines_clear(w);
        w->trace_cancelled = false;
        w->trace_error[0] = '\0';
        /* Behind a forwarder the check runs no trace (it has no root to
         * start from): step 4 says so instead of "not traced yet". */
        char note[600];
        bool has_note = resolver_trace_note(&w->common.resolver, note, sizeof(note));
        w->check = check_start(w->resolver, &w->ip, &opts, check_progress, check_done, w);
        if (!w->check) {
                snprintf(w->run_error, sizeof(w->run_error),
                         "cannot start the check and trace (out of memory, or bad root hints)");
                return -1;
        }
        if (!check_tracing(w->check) && has_note)
                snprintf(w->trace_error, sizeof(w->trace_error), "%s", note);
        return 0;
}

void session_cancel(struct wiz *w)
{
        session_watch(w, false);
        w->quit_pending = false;
        if (w->check) {
                w->trace_cancelled = check_tracing(w->check);
                drop_check(w);
                w->check_cancelled = true;
        }
}

void session_watch(struct wiz *w, bool on)
{
        if (w->watch_timer > 0)
                loop_timer_cancel(w->lp, w->watch_timer);
        w->watch_timer = 0;
        w->watching = on && w->has_ip;
        if (w->watching && !session_busy(w) && session_run(w, true) < 0)
                w->watching = false;
}
