/* wizard: options, the one loop (keyboard, signals, DNS, timers) and what
 * keys do. The engine does the DNS; this file moves between steps and
 * starts and cancels the engine's work. */
#include "wizard/wizard.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptrwiz/escape.h"
#include "wizard/wiz.h"

#define WATCH_DEFAULT_S 30
#define MESSAGE_MS      6000
#define KEYS_PER_READ   4096

void wiz_message(struct wiz *w, enum doc_tone tone, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(w->message, sizeof(w->message), fmt, ap);
        va_end(ap);
        w->message_tone = tone;
        w->message_until = loop_now_ms() + MESSAGE_MS;
        w->dirty = true;
}

/* ---- steps ------------------------------------------------------------ */

void wiz_goto(struct wiz *w, enum wiz_step s)
{
        if (s != STEP_IDENTIFY && !w->has_ip) {
                wiz_message(w, TONE_WARN,
                            "First give an IP address or paste the bounce "
                            "(step 1).");
                s = STEP_IDENTIFY;
        }
        bool entering = s != w->step;
        w->step = s;
        w->step_cursor = (int)s;
        /* Each step opens at its top: G in the last step must not carry over. */
        w->panes[PANE_MAIN].scroll = 0;
        w->panes[PANE_MAIN].follow = false;
        if (w->focus != PANE_TRACE && w->focus != PANE_BREAKDOWN)
                w->detail = s >= STEP_TRACE ? PANE_TRACE : PANE_BREAKDOWN;
        w->editing = s == STEP_IDENTIFY && w->input.len == 0;
        if (s == STEP_IDENTIFY)
                return;
        if (s == STEP_RETEST && entering) {
                if (session_run(w, true) < 0)
                        wiz_message(w, TONE_BAD, "%s", w->run_error);
                return;
        }
        if (!w->result && !w->check && !w->check_cancelled && session_run(w, false) < 0)
                wiz_message(w, TONE_BAD, "%s", w->run_error);
        if (s == STEP_TRACE && !session_trace(w) && !w->trace_cancelled && !w->trace_error[0])
                session_run_trace(w);
}

void wiz_pick_ip(struct wiz *w, const struct addr *ip)
{
        session_set_ip(w, ip);
        w->focus = PANE_MAIN;
        wiz_goto(w, STEP_PTR);
}

static void retest(struct wiz *w)
{
        if (!w->has_ip) {
                wiz_message(w, TONE_WARN, "Nothing to test yet: give an IP address in step 1.");
                return;
        }
        /* The panes show the run; only a failure to start needs a word. */
        if (session_run(w, w->trace_wanted || w->step >= STEP_TRACE) < 0)
                wiz_message(w, TONE_BAD, "%s", w->run_error);
}

static void next_step(struct wiz *w)
{
        if (w->step == STEP_RETEST) {
                retest(w);
                return;
        }
        if (w->step == STEP_IDENTIFY && w->ident.nips > 0) {
                wiz_pick_ip(w, &w->ident.ips[w->pick < w->ident.nips ? w->pick : 0].ip);
                return;
        }
        wiz_goto(w, w->step + 1);
}

/* ---- keys ------------------------------------------------------------- */

static void export_now(struct wiz *w)
{
        char path[512], err[256];
        if (w->report_path) {
                snprintf(path, sizeof(path), "%s", w->report_path);
        } else {
                char stamp[32] = "";
                time_t now = time(NULL);
                struct tm tm;
                if (localtime_r(&now, &tm))
                        strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
                snprintf(path, sizeof(path), "ptrwiz-report-%s-%s.md",
                         w->has_ip ? w->ip_text : "session", stamp);
                for (char *p = path; *p; p++)
                        if (*p == ':')
                                *p = '-';
        }
        char shown[300];
        escape_buf(path, strlen(path), ESCAPE_KEEP_SPACE, shown, sizeof(shown));
        if (export_write(w, path, err, sizeof(err)) < 0) {
                wiz_message(w, TONE_BAD, "Cannot write the report %s: %s", shown, err);
                return;
        }
        /* the full path: the user has to find the file to attach it */
        char *full = realpath(path, NULL);
        if (full)
                escape_buf(full, strlen(full), ESCAPE_KEEP_SPACE, shown, sizeof(shown));
        free(full);
        snprintf(w->last_report, sizeof(w->last_report), "%s", shown);
        wiz_message(w, TONE_GOOD, "Report written to %s", shown);
}

/* Tab order: the step list, the step, then the detail pane the step shows
 * first (the trace from step 4 on), then the other. */
static void focus_move(struct wiz *w, int dir)
{
        bool trace_first = w->step >= STEP_TRACE;
        const enum pane_id order[PANE__COUNT] = {PANE_STEPS, PANE_MAIN,
                                                 trace_first ? PANE_TRACE : PANE_BREAKDOWN,
                                                 trace_first ? PANE_BREAKDOWN : PANE_TRACE};
        int i = 0;
        while (i < PANE__COUNT && order[i] != w->focus)
                i++;
        i = (i + dir + PANE__COUNT) % PANE__COUNT;
        w->focus = order[i];
        if (w->focus == PANE_TRACE || w->focus == PANE_BREAKDOWN)
                w->detail = w->focus;
        if (w->focus == PANE_STEPS)
                w->step_cursor = (int)w->step;
}

static void cancel(struct wiz *w)
{
        if (w->zoom) {
                w->zoom = false;
                return;
        }
        if (!session_busy(w) && !w->watching)
                return;
        bool watch_only = !session_busy(w);
        session_cancel(w);
        wiz_message(w, TONE_WARN,
                    watch_only ? "Watch stopped."
                               : "Cancelled. Press r to run it "
                                 "again.");
}

static void watch_toggle(struct wiz *w)
{
        if (!w->has_ip) {
                wiz_message(w, TONE_WARN, "Give an IP address first (step 1).");
                return;
        }
        session_watch(w, !w->watching);
        if (w->watching)
                wiz_message(w, TONE_NONE, "Watching: re-testing every %d s until it passes.",
                            w->watch_interval_s);
        else
                wiz_message(w, TONE_NONE, "Watch stopped.");
}

/* Keys that mean the same everywhere once the pane had its say. */
static void act_common(struct wiz *w, enum action a, struct pane *p)
{
        switch (a) {
        case ACT_NEXT:
                next_step(w);
                break;
        case ACT_PREV:
                if (w->step > STEP_IDENTIFY)
                        wiz_goto(w, w->step - 1);
                break;
        case ACT_FOCUS_NEXT:
        case ACT_FOCUS_RIGHT:
                focus_move(w, 1);
                break;
        case ACT_FOCUS_PREV:
        case ACT_FOCUS_LEFT:
                focus_move(w, -1);
                break;
        case ACT_RETEST:
                retest(w);
                break;
        case ACT_EXPORT:
                export_now(w);
                break;
        case ACT_WATCH:
                watch_toggle(w);
                break;
        case ACT_SEND:
                delivery_offer(w);
                break;
        case ACT_EDIT:
                wiz_goto(w, STEP_IDENTIFY);
                w->focus = PANE_MAIN;
                w->editing = true;
                break;
        case ACT_MACHINE:
                wiz_goto(w, STEP_IDENTIFY);
                machine_start(w);
                break;
        case ACT_ZOOM:
                w->zoom = !w->zoom;
                break;
        case ACT_WHERE:
                where_ask(w);
                break;
        case ACT_COPY:
                helpdesk_copy(w);
                break;
        case ACT_WHERE_FWD:
                where_use_forward(w);
                break;
        default:
                pane_scroll(p, a);
                break;
        }
}

/* The exit status is the whole diagnosis's: while it runs, the first q
 * waits for it (session.c quits when it is done); a second q quits now. */
static void quit_key(struct wiz *w)
{
        if (!session_busy(w) || w->quit_pending) {
                w->quit = true;
                return;
        }
        w->quit_pending = true;
        wiz_message(w, TONE_WARN,
                    "Still diagnosing%s: ptrwiz quits when it is done, with its verdict as the "
                    "exit status. q again quits now (exit 4: not finished).",
                    session_tracing(w) ? " (the trace asks the servers)" : "");
}

static void act(struct wiz *w, enum action a)
{
        switch (a) {
        case ACT_QUIT:
                quit_key(w);
                return;
        case ACT_HELP:
                w->help = !w->help;
                w->help_pane.scroll = 0;
                return;
        case ACT_CANCEL:
                if (w->help)
                        w->help = false;
                else if (delivery_busy(w))
                        delivery_cancel(w);
                else if (machine_busy(w))
                        machine_cancel(w);
                else
                        cancel(w);
                return;
        default:
                break;
        }
        if (w->help) {
                pane_scroll(&w->help_pane, a);
                return;
        }
        struct pane *p = &w->panes[w->focus];
        const struct pane_ops *ops = pane_ops_of(w->focus);
        if (ops->key && ops->key(w, p, a))
                return;
        act_common(w, a, p);
}

static void submit_text(struct wiz *w)
{
        if (w->ident.nips == 0) {
                wiz_message(w, TONE_WARN, "%s",
                            w->ident.hint[0] ? "Nothing offered to check: step 1 says why and "
                                               "what to do (i types an address)."
                                             : "No IP address in the text: type the address "
                                               "of your mail server.");
                return;
        }
        w->editing = false;
        w->pick = 0;
        if (w->ident.just_an_ip)
                wiz_pick_ip(w, &w->ident.ips[0].ip);
}

/* Reading the text once per burst of keys, not per key: a pasted bounce
 * arrives as thousands of keys. */
static void reread_text(struct wiz *w)
{
        if (!w->ident_stale)
                return;
        identify_scan(&w->ident, w->input.buf, w->input.len);
        w->pick = 0;
        w->ident_stale = false;
}

static void edit_key(struct wiz *w, const struct key *k)
{
        if (k->fn && k->code == KEY_F(1)) {
                act(w, ACT_HELP);
                return;
        }
        switch (input_key(&w->input, &w->ui, k)) {
        case INPUT_CHANGED:
                w->ident_stale = true;
                break;
        case INPUT_SUBMIT:
                reread_text(w);
                submit_text(w);
                break;
        case INPUT_LEAVE:
                w->editing = false;
                break;
        default:
                break;
        }
}

static void handle_key(struct wiz *w, const struct key *k)
{
        w->dirty = true;
        if (k->fn && k->code == KEY_RESIZE)
                return; /* the layout follows LINES and COLS at the next draw */
        if (k->fn && k->code == UI_KEY_PASTE_BEGIN && !w->editing && !w->help) {
                /* A paste anywhere starts over at step 1 with the pasted text. */
                wiz_goto(w, STEP_IDENTIFY);
                input_set(&w->input, "", 0);
                w->focus = PANE_MAIN;
                w->editing = true;
        }
        if (w->editing && !w->help && w->step == STEP_IDENTIFY) {
                edit_key(w, k);
                return;
        }
        if (delivery_prompting(w) && !w->help) {
                delivery_prompt_key(w, k);
                return;
        }
        if (where_key(w, k) || search_key(w, k))
                return;
        act(w, keymap_action(k));
}

/* ---- the loop --------------------------------------------------------- */

static void on_input(int fd, short revents, void *arg)
{
        /* Keys are read after every loop turn (read_keys); this only wakes
         * poll. A hang-up means the terminal is gone. */
        struct wiz *w = arg;
        if (revents & (POLLHUP | POLLERR | POLLNVAL))
                w->quit = true;
}

static void on_signal(int fd, short revents, void *arg)
{
        struct wiz *w = arg;
        int sig = ui_signal_take();
        if (sig) {
                w->quit = true;
                w->exit_status = 128 + sig;
        }
}

static void read_keys(struct wiz *w)
{
        static struct key keys[KEYS_PER_READ];
        size_t n;
        while ((n = ui_keys(&w->ui, keys, KEYS_PER_READ)) > 0 && !w->quit)
                for (size_t i = 0; i < n && !w->quit; i++)
                        handle_key(w, &keys[i]);
        if (!w->input.pasting)
                reread_text(w);
}

static int run(struct wiz *w)
{
        int fd_in = fileno(w->ui.in);
        if (loop_watch(w->lp, fd_in, POLLIN, on_input, w) < 0 ||
            loop_watch(w->lp, ui_signal_fd(), POLLIN, on_signal, w) < 0)
                return -1;
        w->dirty = true;
        while (!w->quit) {
                if (w->dirty)
                        screen_draw(w);
                w->dirty = false;
                int64_t now = loop_now_ms();
                bool ticking = session_busy(w) || w->watching;
                int wait = ticking ? 100 : 1000;
                if (w->message[0] && w->message_until - now < wait)
                        wait = w->message_until > now ? (int)(w->message_until - now) : 0;
                if (loop_run_once(w->lp, wait) < 0)
                        return -1;
                read_keys(w);
                if (ticking || (w->message[0] && loop_now_ms() >= w->message_until))
                        w->dirty = true;
        }
        return 0;
}

/* ---- start and end ---------------------------------------------------- */

/* Bad resolver options are found before the screen changes. */
static int check_resolver_options(struct wiz *w)
{
        char err[512];
        struct resolver *r = resolver_new(&w->common.resolver, w->lp, err, sizeof(err));
        if (!r) {
                cli_error("%s", err);
                return -1;
        }
        resolver_free(r);
        return 0;
}

static void start_state(struct wiz *w, const struct addr *ip)
{
        w->focus = PANE_MAIN;
        w->detail = PANE_BREAKDOWN;
        w->panes[PANE_TRACE].follow = true;
        if (ip) {
                wiz_pick_ip(w, ip);
                return;
        }
        w->step = STEP_IDENTIFY;
        w->editing = w->input.len == 0;
}

/* The whole diagnosis's verdict; a run still going when q was pressed
 * twice has none: EXIT_UNFINISHED, unless an earlier run of the IP ended. */
static int quit_status(const struct wiz *w)
{
        if (!w->result)
                return w->has_ip && (session_busy(w) || w->check_cancelled) ? EXIT_UNFINISHED
                                                                            : EXIT_PASS;
        if (check_local_fault(w->result))
                return EXIT_RESOLVER; /* as check: this machine reached no DNS server */
        return session_verdict(w) == VERDICT_FAIL ? EXIT_FAIL : EXIT_PASS;
}

/* One line left on the normal screen: the verdict, the IP, the report. */
static void finish(struct wiz *w)
{
        char err[256], shown[300] = "";
        bool written = false;
        if (w->report_path && w->has_ip) {
                escape_buf(w->report_path, strlen(w->report_path), ESCAPE_KEEP_SPACE, shown,
                           sizeof(shown));
                if (export_write(w, w->report_path, err, sizeof(err)) < 0)
                        cli_error("cannot write the report %s: %s", shown, err);
                else
                        written = true;
        } else if (w->last_report[0]) {
                snprintf(shown, sizeof(shown), "%s", w->last_report);
                written = true;
        }
        if (!w->has_ip)
                return;
        const char *v = w->result ? verdict_label(session_verdict(w)) : "not finished";
        fprintf(stderr, "ptrwiz: %s %s%s%s\n", w->ip_text, v, written ? ", report " : "",
                written ? shown : "");
}

static int wizard_run(struct wiz *w, const struct ui_opts *uo, const struct addr *ip,
                      bool this_machine)
{
        char err[512];
        if (check_resolver_options(w) < 0)
                return EXIT_RESOLVER;
        if (ui_open(&w->ui, uo, err, sizeof(err)) < 0) {
                cli_error("%s", err);
                return EXIT_USAGE;
        }
        start_state(w, ip);
        if (this_machine)
                machine_start(w);
        int rc = run(w);
        ui_close(&w->ui);
        if (rc < 0) {
                cli_error("the event loop failed: %s", strerror(errno));
                return EXIT_RESOLVER;
        }
        if (!w->exit_status)
                w->exit_status = quit_status(w);
        finish(w);
        return w->exit_status;
}

int wizard_main(int argc, char **argv)
{
        struct wiz *w = calloc(1, sizeof(*w));
        if (!w) {
                cli_error("out of memory");
                return EXIT_RESOLVER;
        }
        w->watch_interval_s = WATCH_DEFAULT_S;
        struct wiz_args a = {0};
        struct addr ip;
        int status = options_parse(w, argc, argv, &a);
        if (status == EXIT_PASS && a.ip) {
                char err[256];
                if (addr_parse(a.ip, &ip, err, sizeof(err)) < 0) {
                        cli_error("%s", err);
                        status = EXIT_USAGE;
                }
        }
        if (status == EXIT_PASS && a.bounce && options_read_bounce(w, a.bounce) < 0)
                status = EXIT_USAGE;
        if (status == EXIT_PASS && !a.help) {
                w->lp = loop_new();
                status =
                    w->lp ? wizard_run(w, &a.ui, a.ip ? &ip : NULL, a.this_machine) : EXIT_RESOLVER;
        }
        delivery_free(w);
        machine_free(w);
        session_free(w);
        loop_free(w->lp);
        input_free(&w->input);
        identify_free(&w->ident);
        free(w);
        return status;
}

static const char report_usage[] =
    "usage: ptrwiz report [options] IP\n"
    "The wizard's Markdown report of IP without the screen, for a ticket or a\n"
    "script: the same diagnosis, steps, findings, who must act and trace as the\n"
    "wizard's 'e' export. It goes to stdout, or to FILE with --report FILE.\n"
    "Options: those of the wizard (ptrwiz --help): --report FILE, --bounce FILE and\n"
    "the resolver options.\n"
    "Exit: 0 pass or warn, 1 fail, 2 bad usage, 3 the resolver could not be set up.\n";

/* Runs the wizard's session for ip in the loop until the diagnosis is in. */
static int report_run(struct wiz *w, const struct addr *ip)
{
        char err[256];
        if (check_resolver_options(w) < 0)
                return EXIT_RESOLVER;
        ui_headless(&w->ui);
        wiz_pick_ip(w, ip);
        if (w->run_error[0]) {
                cli_error("report: %s", w->run_error);
                return EXIT_RESOLVER;
        }
        while (session_busy(w))
                if (loop_run_once(w->lp, 1000) < 0) {
                        cli_error("report: the event loop failed: %s", strerror(errno));
                        return EXIT_RESOLVER;
                }
        if (w->report_path) {
                char shown[300];
                escape_buf(w->report_path, strlen(w->report_path), ESCAPE_KEEP_SPACE, shown,
                           sizeof(shown));
                if (export_write(w, w->report_path, err, sizeof(err)) < 0) {
                        cli_error("report: cannot write %s: %s", shown, err);
                        return EXIT_RESOLVER;
                }
        } else {
                export_stream(w, stdout);
                if (fflush(stdout) != 0 || ferror(stdout))
                        return EXIT_RESOLVER;
        }
        return w->result && session_verdict(w) == VERDICT_FAIL ? EXIT_FAIL : EXIT_PASS;
}

int wizard_report_main(int argc, char **argv)
{
        for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
                if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
                        fputs(report_usage, stdout);
                        return EXIT_PASS;
                }
        struct wiz *w = calloc(1, sizeof(*w));
        if (!w) {
                cli_error("out of memory");
                return EXIT_RESOLVER;
        }
        w->watch_interval_s = WATCH_DEFAULT_S;
        struct wiz_args a = {0};
        struct addr ip;
        char err[256];
        int status = options_parse(w, argc, argv, &a);
        if (status == EXIT_PASS && !a.ip) {
                cli_error("report: give one IP address (see ptrwiz report --help)");
                status = EXIT_USAGE;
        }
        if (status == EXIT_PASS && addr_parse(a.ip, &ip, err, sizeof(err)) < 0) {
                cli_error("report: %s", err);
                status = EXIT_USAGE;
        }
        if (status == EXIT_PASS && a.bounce && options_read_bounce(w, a.bounce) < 0)
                status = EXIT_USAGE;
        if (status == EXIT_PASS) {
                w->lp = loop_new();
                status = w->lp ? report_run(w, &ip) : EXIT_RESOLVER;
        }
        session_free(w);
        loop_free(w->lp);
        input_free(&w->input);
        identify_free(&w->ident);
        free(w);
        return status;
}
