/* run: ptrwiz check's drive of the engine's bulk run (ptrwiz/bulk.h)
 * through the one loop, and its output (run.h). */
#include "cli/run.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ptrwiz/loop.h"

#define PROGRESS_INTERVAL_MS 100

/* ------------------------------------------------------------ output */

struct out {
        const struct check_run *o;
        bool json, progress, progress_shown, wrote, so_far_shown;
        size_t printed;
        int64_t progress_ms;
};

/* A host name that gave no address to check. */
static char *render_error(const struct out *o, const struct bulk_item *item)
{
        char *line = NULL;
        if (o->json) {
                json_t *obj = json_pack("{s:s, s:n, s:s, s:s}", "target", item->target, "ip",
                                        "error", item->error, "verdict", "fail");
                char *s = obj ? json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
                json_decref(obj);
                if (s && asprintf(&line, "%s\n", s) < 0)
                        line = NULL;
                free(s);
        } else if (asprintf(&line, ";; ptrwiz check %s\n;; error: %s\n\n;; verdict: fail\n",
                            item->target, item->error) < 0) {
                line = NULL;
        }
        return line;
}

/* bulk_render_cb: the text or JSON of one result, as soon as it is in. */
static char *render(void *arg, const struct bulk_item *item, const struct check_result *res)
{
        const struct out *o = arg;
        if (!res)
                return render_error(o, item);
        if (o->json) {
                struct report_target t = {.target = item->target,
                                          .name_matches = item->name_matches};
                char *obj = report_json(res, &t), *line = NULL;
                if (obj && asprintf(&line, "%s\n", obj) < 0)
                        line = NULL;
                free(obj);
                return line;
        }
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f)
                return NULL;
        if (item->host_name)
                fprintf(f, ";; target %s: address %zu of %zu; the PTR %s to %s\n", item->target,
                        item->host_index, item->host_count,
                        item->name_matches > 0 ? "points back" : "does NOT point back",
                        item->host_name);
        report_text(f, res, &o->o->style);
        fclose(f);
        return buf;
}

static void progress_clear(struct out *o)
{
        if (o->progress_shown)
                fputs("\r\033[K", stderr);
        o->progress_shown = false;
}

static size_t verdicts_total(const struct bulk_stats *st)
{
        size_t n = 0;
        for (int v = 0; v < VERDICT__COUNT; v++)
                n += st->verdicts[v];
        return n;
}

static void progress_draw(struct out *o, const struct bulk *b)
{
        int64_t now = loop_now_ms();
        struct bulk_stats st;
        bulk_stats(b, &st);
        if (!o->progress || st.total == 1 || now - o->progress_ms < PROGRESS_INTERVAL_MS)
                return;
        o->progress_ms = now;
        size_t done = verdicts_total(&st);
        char total[40] = "";
        if (st.total)
                snprintf(total, sizeof(total), " of %llu", (unsigned long long)st.total);
        fprintf(stderr, "\r\033[Kptrwiz: %zu%s checked, %zu in flight, %zu fail, %.1f s", done,
                total, st.running, st.verdicts[VERDICT_FAIL], st.elapsed_ms / 1000.0);
        o->progress_shown = true;
}

/* One address on a terminal: its verdict so far, before the timeouts of
 * servers that stay silent (the result follows when they are over). */
static void so_far_draw(struct out *o, const struct bulk *b)
{
        struct bulk_stats st;
        char line[600];
        if (!o->progress || o->so_far_shown || o->o->on_result)
                return;
        bulk_stats(b, &st);
        const struct check_result *res = st.total == 1 ? bulk_so_far(b) : NULL;
        if (!res || !report_so_far_line(res, line, sizeof(line)))
                return;
        cli_error("%s", line);
        o->so_far_shown = true;
}

/* Hands a result to the front end's on_result, which takes it; a host
 * name's error to on_error. */
static void hand_result(struct out *o, struct bulk_event *ev)
{
        const struct check_run *r = o->o;
        if (ev->result) {
                r->on_result(r->on_arg, ev->result, ev->item->target);
                ev->result = NULL;
        } else if (r->on_error) {
                r->on_error(r->on_arg, ev->item->target, ev->item->error);
        }
}

/* bulk_event_cb: results in input order on stdout, notes on stderr. */
static void on_event(void *arg, struct bulk_event *ev)
{
        struct out *o = arg;
        switch (ev->kind) {
        case BULK_EV_RESULT:
                if (o->o->on_result) {
                        hand_result(o, ev);
                        break;
                }
                progress_clear(o);
                if (!o->json && o->printed > 0)
                        fputc('\n', stdout);
                fputs(ev->text, stdout);
                o->printed++;
                o->wrote = true;
                break;
        case BULK_EV_NOTE:
                progress_clear(o);
                cli_error("note: %s", ev->message);
                break;
        case BULK_EV_BAD_LINE:
                progress_clear(o);
                cli_error("%s", ev->message);
                break;
        }
}

static void summary(const struct bulk *b)
{
        struct bulk_stats st;
        bulk_stats(b, &st);
        size_t n = verdicts_total(&st);
        if (n < 2)
                return;
        char unknown[64] = "";
        if (st.verdicts[VERDICT_UNKNOWN])
                snprintf(unknown, sizeof(unknown), ", %zu unknown", st.verdicts[VERDICT_UNKNOWN]);
        fprintf(stderr,
                "ptrwiz: %zu checked: %zu pass, %zu warn, %zu fail%s; %.2f s, %llu queries\n", n,
                st.verdicts[VERDICT_PASS], st.verdicts[VERDICT_WARN], st.verdicts[VERDICT_FAIL],
                unknown, st.elapsed_ms / 1000.0, (unsigned long long)st.queries);
}

int cli_run_checks(const struct check_run *run)
{
        char err[512];
        struct out out = {.o = run, .json = run->json, .progress = run->progress};
        struct out *o = &out;
        struct bulk_opts bo = run->bulk;
        if (!run->on_result) { /* a result waits as the text it prints */
                bo.render = render;
                bo.render_arg = o;
        }
        struct bulk *b = bulk_new(&bo, err, sizeof(err));
        if (!b) {
                cli_error("%s", err);
                return EXIT_USAGE;
        }
        struct loop *lp = loop_new();
        struct resolver *r = lp ? resolver_new(run->resolver, lp, err, sizeof(err)) : NULL;
        if (!r || bulk_start(b, r, on_event, o) < 0) {
                cli_error("%s", lp && !r ? err : "out of memory");
                bulk_free(b);
                resolver_free(r);
                loop_free(lp);
                return EXIT_RESOLVER;
        }
        int status = -1;
        enum bulk_state state;
        while ((state = bulk_state(b, err, sizeof(err))) == BULK_RUNNING) {
                if (run->stop && *run->stop)
                        break;
                progress_draw(o, b);
                if (loop_run_once(lp, o->progress ? PROGRESS_INTERVAL_MS : 1000) < 0) {
                        cli_error("poll failed");
                        status = EXIT_RESOLVER;
                        break;
                }
                so_far_draw(o, b);
                if (o->wrote)
                        fflush(stdout);
                o->wrote = false;
        }
        fflush(stdout);
        progress_clear(o);
        if (status < 0 && state != BULK_DONE && state != BULK_RUNNING) {
                cli_error("%s", err);
                status = EXIT_RESOLVER;
        }
        if (status < 0) {
                struct bulk_stats st;
                summary(b);
                bulk_stats(b, &st);
                status = st.bad_line                 ? EXIT_USAGE
                         : st.local_faults           ? EXIT_RESOLVER
                         : st.verdicts[VERDICT_FAIL] ? EXIT_FAIL
                                                     : EXIT_PASS;
        }
        bulk_free(b);
        resolver_free(r);
        loop_free(lp);
        return status;
}
