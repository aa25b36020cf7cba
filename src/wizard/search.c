/* search: `/` finds text in the help (when open) or the trace pane (when it
 * has the focus); Enter jumps to the first line holding it, n to the next.
 * The query is typed on the status line. */
#include "wizard/wiz.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool line_has(const struct doc_line *l, const char *q)
{
        return (l->text && strcasestr(l->text, q)) || (l->label && strcasestr(l->label, q));
}

/* Scrolls p to the first line after the last match that holds the query. */
static void search_run(struct wiz *w, const struct doc *d, struct pane *p)
{
        size_t n = d->n, from = w->search_line + 1;
        for (size_t k = 0; k < n; k++) {
                size_t i = (from + k) % n;
                if (!line_has(&d->v[i], w->search))
                        continue;
                /* The rows of the lines before it, wrapped as the pane wraps. */
                struct doc before = *d;
                before.n = i;
                struct rect measure = {0, 0, 0, p->width > 0 ? p->width : COLS};
                p->scroll = i ? ui_doc_draw(&w->ui, &before, measure, 0) : 0;
                p->follow = false;
                w->search_line = i;
                wiz_message(w, TONE_GOOD, "/%s: found%s (n: the next)", w->search,
                            k > 0 && i < from ? ", from the top again" : "");
                return;
        }
        wiz_message(w, TONE_WARN, "/%s: not found", w->search);
}

static void search_where(struct wiz *w)
{
        struct pane *p = w->help ? &w->help_pane : &w->panes[PANE_TRACE];
        if (w->help) {
                struct doc d = {0};
                help_doc(w, &d);
                search_run(w, &d, p);
                doc_clear(&d);
        } else {
                search_run(w, &w->trace_lines, p);
        }
}

const char *search_mark(const struct wiz *w, const struct pane *p)
{
        const struct pane *searched = w->help ? &w->help_pane : &w->panes[PANE_TRACE];
        return w->search[0] && p == searched ? w->search : NULL;
}

static bool searchable(struct wiz *w)
{
        if (w->help || w->focus == PANE_TRACE)
                return true;
        wiz_message(w, TONE_NONE, "/ searches the help (?) and the trace pane (Tab to it).");
        return false;
}

bool search_key(struct wiz *w, const struct key *k)
{
        if (!w->search_typing) {
                if (k->fn || (k->code != '/' && (k->code != 'n' || !w->search[0])))
                        return false;
                if (!searchable(w))
                        return true;
                if (k->code == 'n') {
                        search_where(w);
                        return true;
                }
                w->search_typing = true;
                w->search[0] = '\0';
                w->search_line = (size_t)-1;
                wiz_message(w, TONE_NONE, "/ (type, Enter finds, Esc stops)");
                return true;
        }
        size_t len = strlen(w->search);
        bool enter =
            (!k->fn && (k->code == '\r' || k->code == '\n')) || (k->fn && k->code == KEY_ENTER);
        if (enter || (!k->fn && k->code == 27)) {
                w->search_typing = false;
                if (enter && len)
                        search_where(w);
                else
                        wiz_message(w, TONE_NONE, "Search stopped.");
                return true;
        }
        if ((k->fn && k->code == KEY_BACKSPACE) || (!k->fn && (k->code == 127 || k->code == 8))) {
                if (len)
                        w->search[len - 1] = '\0';
        } else if (!k->fn && k->code >= 0x20 && k->code < 0x7f && len + 1 < sizeof(w->search)) {
                w->search[len] = (char)k->code; /* printable ASCII: the help and trace are */
                w->search[len + 1] = '\0';
        }
        wiz_message(w, TONE_NONE, "/%s", w->search);
        return true;
}
