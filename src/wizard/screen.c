/* screen: one full redraw from the state: title bar, panes, the summary
 * box, the help overlay and the status line with the keys that work now.
 * curses sends only what changed. */
#include "wizard/wiz.h"

#include <stdio.h>
#include <string.h>

static void draw_titlebar(struct wiz *w, struct rect r)
{
        ui_fill(&w->ui, r, ROLE_TITLEBAR);
        int x = ui_text(&w->ui, r.y, r.x, r.w, ROLE_TITLEBAR, " ptrwiz: reverse DNS for mail");
        char right[160];
        size_t n = session_in_flight(w);
        if (session_busy(w))
                snprintf(right, sizeof(right), "%s %zu in flight, %llu asked ",
                         w->ui.g->spinner[w->ui.spin % w->ui.g->nspinner], n,
                         (unsigned long long)session_queries(w));
        else if (w->watching)
                snprintf(right, sizeof(right), "watching %s ", w->ip_text);
        else
                snprintf(right, sizeof(right), "%s ", w->has_ip ? w->ip_text : "no IP yet");
        int rw = ui_width(&w->ui, right, strlen(right));
        if (x + rw + 2 <= r.w)
                ui_text(&w->ui, r.y, r.x + r.w - rw, rw, ROLE_TITLEBAR, right);
}

/* The bottom border shows where the pane is scrolled to. */
static void scroll_mark(struct wiz *w, const struct pane *p, struct rect r, bool focused)
{
        if (p->rows <= p->height || r.w < 20)
                return;
        char pos[32];
        int last = p->scroll + p->height < p->rows ? p->scroll + p->height : p->rows;
        snprintf(pos, sizeof(pos), " %d-%d of %d ", p->scroll + 1, last, p->rows);
        int pw = (int)strlen(pos);
        ui_text(&w->ui, r.y + r.h - 1, r.x + r.w - pw - 2, pw, focused ? ROLE_FOCUS : ROLE_BORDER,
                pos);
}

static void draw_pane(struct wiz *w, enum pane_id id, struct rect r, bool tab_hint)
{
        char title[200];
        pane_ops_of(id)->title(w, title, sizeof(title));
        if (tab_hint) {
                size_t n = strlen(title);
                snprintf(title + n, sizeof(title) - n, " (Tab: %s)",
                         id == PANE_TRACE ? "breakdown" : "trace");
        }
        bool focused = w->focus == id && !w->help;
        ui_box(&w->ui, r, title, focused);
        struct rect inner = {r.y + 1, r.x + 1, r.h - 2, r.w - 2};
        if (inner.h <= 0 || inner.w <= 0)
                return;
        pane_ops_of(id)->draw(w, &w->panes[id], inner);
        scroll_mark(w, &w->panes[id], r, focused);
}

/* The diagnosis's one party to act, as the engine set it. */
static const char *who_acts(const struct wiz *w)
{
        return finding_actor_brief(w->result ? w->result->actor : ACTOR_NOBODY);
}

/* One row of the summary; prio says which rows go first when the pane is
 * short (the verdict and who acts stay longest; the IP is in the title). */
struct summary_row {
        const char *label;
        enum ui_role role;
        int prio; /* lower stays longer */
        char value[300];
};

static void summary_add(struct summary_row *rows, int *n, const char *label, enum ui_role role,
                        int prio, const char *value)
{
        struct summary_row *r = &rows[(*n)++];
        r->label = label;
        r->role = role;
        r->prio = prio;
        snprintf(r->value, sizeof(r->value), "%s", value);
}

/* The bytes of value from at that go on one row of avail columns: a name
 * breaks after a dot, where a reader expects it (values are escaped, so
 * one byte is one column). */
static size_t summary_piece(const char *value, size_t at, size_t len, size_t avail)
{
        size_t n = len - at < avail ? len - at : avail;
        if (at + n < len) {
                size_t dot = n;
                while (dot > 1 && value[at + dot - 1] != '.')
                        dot--;
                if (dot > 1)
                        n = dot;
        }
        return n;
}

static int summary_rows_needed(struct rect in, const struct summary_row *r)
{
        size_t len = strlen(r->value), at = 0;
        int rows = 0;
        if (in.w - 7 <= 0)
                return 1;
        while (at < len) {
                at += summary_piece(r->value, at, len, (size_t)(in.w - 7));
                rows++;
        }
        return rows ? rows : 1;
}

/* Draws one row on nrows rows: a long value (a host name) goes on below
 * its label, and is cut with the "more" mark on its last row. */
static void summary_draw_row(struct wiz *w, struct rect in, int row, int nrows,
                             const struct summary_row *r)
{
        int avail = in.w - 7;
        ui_text(&w->ui, in.y + row, in.x, 7, ROLE_LABEL, r->label);
        if (avail <= 0)
                return;
        size_t len = strlen(r->value), at = 0;
        for (int i = 0; i < nrows && at < len; i++) {
                size_t n = i + 1 < nrows ? summary_piece(r->value, at, len, (size_t)avail)
                           : len - at < (size_t)avail ? len - at
                                                      : (size_t)avail;
                ui_textn(&w->ui, in.y + row + i, in.x + 7, avail, r->role, r->value + at, n);
                at += n;
        }
        if (at < len)
                ui_text(&w->ui, in.y + row + nrows - 1, in.x + 6 + avail, 1, ROLE_DIM,
                        w->ui.g->more);
}

/* Draws the rows in their order, leaving out the least important ones
 * (highest prio) that do not fit; rows left over let long values wrap. */
static void summary_draw_rows(struct wiz *w, struct rect in, const struct summary_row *rows, int n)
{
        int cut = 100; /* rows with prio >= cut are left out */
        int shown = n;
        while (shown > in.h && cut > 0) {
                cut--;
                shown = 0;
                for (int i = 0; i < n; i++)
                        shown += rows[i].prio < cut;
        }
        int spare = in.h - shown, row = 0;
        for (int i = 0; i < n && row < in.h; i++) {
                if (rows[i].prio >= cut)
                        continue;
                int extra = summary_rows_needed(in, &rows[i]) - 1;
                if (extra > spare)
                        extra = spare > 0 ? spare : 0;
                spare -= extra;
                summary_draw_row(w, in, row, 1 + extra, &rows[i]);
                row += 1 + extra;
        }
}

static enum ui_role verdict_role(enum verdict v)
{
        return v == VERDICT_FAIL                           ? ROLE_BAD
               : v == VERDICT_WARN || v == VERDICT_UNKNOWN ? ROLE_WARN
                                                           : ROLE_GOOD;
}

static void summary_ptr(const struct wiz *w, char *buf, size_t len, enum ui_role *role)
{
        const struct check_result *res = session_check(w);
        const struct resolver_answer *p = res ? res->ptr : NULL;
        *role = ROLE_NORMAL;
        if (!p) {
                snprintf(buf, len, "%s", w->check ? "asking..." : "-");
                return;
        }
        if (p->status == RES_OK && !w->check && trace_disagreement(res->trace)) {
                *role = ROLE_BAD; /* the name depends on the server asked */
                snprintf(buf, len, "servers differ");
                return;
        }
        if (p->status == RES_OK) {
                snprintf(buf, len, "%s", p->ndata ? p->data[0] : "?");
                return;
        }
        *role = ROLE_BAD;
        snprintf(buf, len, "%s",
                 p->status == RES_NXDOMAIN ? "missing" : resolver_status_name(p->status));
}

static void draw_summary(struct wiz *w, struct rect r)
{
        if (r.h < 3)
                return;
        ui_box(&w->ui, r, "Summary", false);
        struct rect in = {r.y + 1, r.x + 1, r.h - 2, r.w - 2};
        struct summary_row rows[6];
        int n = 0;
        char buf[300];
        enum ui_role role;
        summary_add(rows, &n, "IP", ROLE_NORMAL, 4, w->has_ip ? w->ip_text : "-");
        summary_ptr(w, buf, sizeof(buf), &role);
        summary_add(rows, &n, "PTR", role, 2, buf);
        const struct check_result *res = w->check ? NULL : w->result;
        const struct check_result *so_far =
            w->check && w->partial && w->partial->so_far ? w->partial : NULL;
        /* The match of the verdict so far, else the final one's. */
        const struct check_result *matched = res ? res : so_far;
        bool fwd = matched && matched->ptr && matched->ptr->status == RES_OK;
        summary_add(rows, &n, "Match",
                    !fwd              ? ROLE_DIM
                    : matched->fcrdns ? ROLE_GOOD
                                      : ROLE_BAD,
                    3,
                    !fwd              ? "-"
                    : matched->fcrdns ? "yes (FCrDNS)"
                                      : "no");
        if (res) {
                enum verdict v = session_verdict(w);
                summary_add(rows, &n, "Result", verdict_role(v), 0, verdict_label(v));
                summary_add(rows, &n, "Who", ROLE_NORMAL, 1, who_acts(w));
        } else if (so_far) {
                /* Only servers that stay silent are waited for: they count
                 * as silent until they answer or time out. */
                snprintf(buf, sizeof(buf), "%s so far", verdict_label(so_far->verdict));
                summary_add(rows, &n, "Result", verdict_role(so_far->verdict), 0, buf);
                summary_add(rows, &n, "Who", ROLE_NORMAL, 1, finding_actor_brief(so_far->actor));
        } else if (session_busy(w)) {
                /* No verdict before the whole diagnosis is in: a PTR that
                 * looks fine can still sit on lame or disagreeing servers. */
                summary_add(rows, &n, "Result", ROLE_BUSY, 0,
                            session_tracing(w) ? "not yet: tracing" : "not yet: asking");
                summary_add(rows, &n, "Who", ROLE_DIM, 1, "known when done");
        } else {
                summary_add(rows, &n, "Result", ROLE_DIM, 0,
                            w->check_cancelled ? "cancelled" : "-");
        }
        snprintf(buf, sizeof(buf), "%d%s", w->runs, w->watching ? ", watching" : "");
        summary_add(rows, &n, "Runs", w->watching ? ROLE_BUSY : ROLE_NORMAL, 5, buf);
        summary_draw_rows(w, in, rows, n);
}

/* ---- the status line -------------------------------------------------- */

struct hint {
        const char *key, *word;
        int prio; /* lower shows first when space runs out */
};

static size_t hints_editing(struct hint *h)
{
        static const struct hint edit[] = {
            {"Enter", "check", 0}, {"C-j", "new line", 1}, {"Esc", "done", 0},
            {"C-u", "clear", 2},   {"F1", "help", 1},      {"C-c", "quit", 0},
        };
        memcpy(h, edit, sizeof(edit));
        return sizeof(edit) / sizeof(edit[0]);
}

static size_t hints_where(struct hint *h)
{
        static const struct hint where[] = {
            {"Enter", "use it", 0}, {"Esc", "cancel", 0}, {"C-u", "clear", 1}};
        memcpy(h, where, sizeof(where));
        return sizeof(where) / sizeof(where[0]);
}

static size_t hints_help(struct hint *h)
{
        static const struct hint help[] = {
            {"j/k", "scroll", 0}, {"PgDn", "page", 1}, {"Esc", "close", 0}, {"q", "quit", 0}};
        memcpy(h, help, sizeof(help));
        return sizeof(help) / sizeof(help[0]);
}

static void hint_add(struct hint *h, size_t *n, enum action a, const char *word, int prio)
{
        h[*n].key = action_key(a);
        h[*n].word = word ? word : action_word(a);
        h[*n].prio = prio;
        (*n)++;
}

static size_t hints_normal(const struct wiz *w, struct hint *h)
{
        size_t n = 0;
        bool step1 = w->step == STEP_IDENTIFY;
        if (w->step == STEP_RETEST)
                hint_add(h, &n, ACT_NEXT, "test again", 0);
        else
                hint_add(h, &n, ACT_NEXT, step1 ? "check" : "next", 0);
        if (!step1)
                hint_add(h, &n, ACT_PREV, NULL, 1);
        if (session_busy(w) || w->watching)
                hint_add(h, &n, ACT_CANCEL, w->watching && !session_busy(w) ? "stop" : NULL, 0);
        if (step1 && w->ident.nips > 1)
                h[n++] = (struct hint){"Up/Dn", "pick", 1};
        hint_add(h, &n, ACT_FOCUS_NEXT, NULL, 2);
        if (!step1)
                hint_add(h, &n, ACT_SCROLL_DOWN, NULL, 2);
        hint_add(h, &n, ACT_PAGE_DOWN, NULL, 5);
        if (step1)
                hint_add(h, &n, ACT_EDIT, NULL, 1);
        if (step1)
                hint_add(h, &n, ACT_MACHINE, NULL, 2);
        if (w->has_ip)
                hint_add(h, &n, ACT_RETEST, NULL, 3);
        if (w->step == STEP_RETEST)
                hint_add(h, &n, ACT_WATCH, w->watching ? "stop watch" : NULL, 1);
        if (w->step == STEP_RETEST && w->has_ip)
                hint_add(h, &n, ACT_SEND, NULL, 2);
        if (w->has_ip && (w->step == STEP_PTR || w->step == STEP_TRACE))
                hint_add(h, &n, ACT_WHERE, NULL, 2);
        if (w->ticket && helpdesk_step(w) == w->step)
                hint_add(h, &n, ACT_COPY, "copy msg", 1);
        hint_add(h, &n, ACT_EXPORT, NULL, 3);
        hint_add(h, &n, ACT_ZOOM, NULL, 4);
        hint_add(h, &n, ACT_HELP, NULL, 0);
        hint_add(h, &n, ACT_QUIT, NULL, 0);
        return n;
}

static int hint_width(const struct hint *h)
{
        return (int)(strlen(h->key) + strlen(h->word) + 2);
}

/* A message wider than the status line opens a box above it, wrapped at
 * spaces: a path or a reason is never cut. */
static bool draw_message_box(struct wiz *w, struct rect r)
{
        if (ui_width(&w->ui, w->message, strlen(w->message)) <= r.w - 2)
                return false;
        struct doc d = {0};
        doc_add(&d, DOC_TEXT, w->message_tone, NULL, "%s", w->message);
        int bw = r.w > 4 ? r.w : 4;
        struct rect measure = {0, 0, 0, bw - 4};
        int rows = ui_doc_draw(&w->ui, &d, measure, 0);
        int bh = rows + 2 < r.y ? rows + 2 : r.y;
        struct rect box = {r.y - bh, r.x, bh, bw};
        ui_fill(&w->ui, box, ROLE_NORMAL);
        ui_box(&w->ui, box, "Message", true);
        struct rect inner = {box.y + 1, box.x + 2, box.h - 2, box.w - 4};
        ui_doc_draw(&w->ui, &d, inner, 0);
        doc_clear(&d);
        return true;
}

static void draw_status(struct wiz *w, struct rect r)
{
        if (w->message[0] && loop_now_ms() < w->message_until) {
                enum ui_role role = w->message_tone == TONE_BAD    ? ROLE_BAD
                                    : w->message_tone == TONE_GOOD ? ROLE_GOOD
                                                                   : ROLE_MESSAGE;
                if (draw_message_box(w, r)) {
                        ui_fill(&w->ui, r, ROLE_NORMAL);
                        ui_text(&w->ui, r.y, r.x + 1, r.w - 2, ROLE_DIM, "(the message is above)");
                        return;
                }
                ui_fill(&w->ui, r, role == ROLE_MESSAGE ? ROLE_MESSAGE : ROLE_NORMAL);
                ui_text(&w->ui, r.y, r.x + 1, r.w - 2, role, w->message);
                return;
        }
        w->message[0] = '\0';
        struct hint h[24];
        size_t n = w->help                  ? hints_help(h)
                   : w->where.asking        ? hints_where(h)
                   : w->editing && !w->help ? hints_editing(h)
                                            : hints_normal(w, h);
        /* Drop the least important hints until the rest fit. */
        int total = 0;
        for (size_t i = 0; i < n; i++)
                total += hint_width(&h[i]);
        for (int prio = 9; prio > 0 && total > r.w; prio--)
                for (size_t i = 0; i < n && total > r.w; i++)
                        if (h[i].prio == prio && h[i].key) {
                                total -= hint_width(&h[i]);
                                h[i].key = NULL;
                        }
        int x = r.x;
        for (size_t i = 0; i < n; i++) {
                if (!h[i].key)
                        continue;
                x += ui_text(&w->ui, r.y, x, r.x + r.w - x, ROLE_KEY, h[i].key);
                x += ui_text(&w->ui, r.y, x, r.x + r.w - x, ROLE_NORMAL, " ");
                x += ui_text(&w->ui, r.y, x, r.x + r.w - x, ROLE_NORMAL, h[i].word);
                x += ui_text(&w->ui, r.y, x, r.x + r.w - x, ROLE_NORMAL, " ");
        }
}

/* ---- the whole screen ------------------------------------------------- */

/* The message wraps to the terminal's width, however narrow: drawn as a
 * doc, so the panes' own word wrapping does it. */
static void draw_too_small(struct wiz *w)
{
        struct doc d = {0};
        doc_add(&d, DOC_TEXT, TONE_BAD, NULL,
                "This terminal is %dx%d; ptrwiz needs at least %dx%d. Make the window bigger, "
                "or press q to quit.",
                COLS, LINES, WIZ_MIN_COLS, WIZ_MIN_LINES);
        int width = COLS > 60 ? 60 : COLS;
        struct rect measure = {0, 0, 0, width};
        int rows = ui_doc_draw(&w->ui, &d, measure, 0);
        struct rect r = {LINES > rows ? (LINES - rows) / 2 : 0, (COLS - width) / 2,
                         rows < LINES ? rows : LINES, width};
        ui_doc_draw(&w->ui, &d, r, 0);
        doc_clear(&d);
}

static void draw_help(struct wiz *w, struct rect r)
{
        ui_fill(&w->ui, r, ROLE_NORMAL);
        char title[200];
        pane_help_ops.title(w, title, sizeof(title));
        ui_box(&w->ui, r, title, true);
        struct rect inner = {r.y + 1, r.x + 2, r.h - 2, r.w - 4};
        pane_help_ops.draw(w, &w->help_pane, inner);
        scroll_mark(w, &w->help_pane, r, true);
}

void screen_draw(struct wiz *w)
{
        erase();
        w->ui.spin = (int)(loop_now_ms() / 100);
        struct layout l;
        layout_compute(&l, LINES, COLS, w->detail, w->zoom,
                       w->focus == PANE_STEPS ? PANE_MAIN : w->focus, !w->has_ip);
        w->input.cur_y = -1;
        if (l.too_small) {
                draw_too_small(w);
                curs_set(0);
                refresh();
                return;
        }
        draw_titlebar(w, l.title);
        bool both = l.shown[PANE_TRACE] && l.shown[PANE_BREAKDOWN];
        for (int id = 0; id < PANE__COUNT; id++)
                if (l.shown[id])
                        draw_pane(w, id, l.pane[id],
                                  !both && !w->zoom && (id == PANE_TRACE || id == PANE_BREAKDOWN));
        if (!w->zoom)
                draw_summary(w, l.summary);
        if (w->help)
                draw_help(w, l.help);
        draw_status(w, l.status);
        bool cursor = w->editing && !w->help && w->input.cur_y >= 0 && l.shown[PANE_MAIN];
        if (w->where.asking && !w->help) {
                where_draw(w, l.status);
                cursor = w->input.cur_y >= 0;
        }
        curs_set(cursor ? 1 : 0);
        if (cursor)
                move(w->input.cur_y, w->input.cur_x);
        refresh();
}
