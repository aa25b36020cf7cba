/* The main pane: the current step's content. Step 1 has the text box on
 * top and the reading of the text below it. */
#include "wizard/wiz.h"

#include <stdio.h>

static void main_title(const struct wiz *w, char *buf, size_t len)
{
        snprintf(buf, len, "Step %d of 5: %s", (int)w->step + 1, step_title_of(w, w->step));
}

static void pick_into_view(struct wiz *w, struct pane *p, const struct doc *d, struct rect r)
{
        w->pick_moved = false;
        for (size_t i = 0; i < d->n; i++) {
                if (d->v[i].style != DOC_ITEM || d->v[i].tone != TONE_SELECTED)
                        continue;
                int row = ui_doc_row_of(&w->ui, d, r.w, i);
                if (row < p->scroll)
                        p->scroll = row;
                else if (row >= p->scroll + r.h)
                        p->scroll = row - r.h + 1;
                p->follow = false;
                return;
        }
}

static void step1_draw(struct wiz *w, struct pane *p, struct rect inner)
{
        int lines = (int)input_lines(&w->input);
        int max = !w->editing ? 5 : inner.h / 2 > 3 ? inner.h / 2 : 3;
        if (!w->editing)
                w->input.top = 0;
        int eh = lines + 2 < 3 ? 3 : lines + 2 > max ? max : lines + 2;
        struct rect box = {inner.y, inner.x, eh, inner.w};
        ui_box(&w->ui, box, w->editing ? "Your text (editing)" : "Your text (i edits)", w->editing);
        struct rect text = {box.y + 1, box.x + 1, box.h - 2, box.w - 2};
        if (w->input.len == 0 && w->editing)
                ui_text(&w->ui, text.y, text.x + 1, text.w - 1, ROLE_DIM,
                        "paste a bounce or type an IP address here");
        input_draw(&w->input, &w->ui, text, w->editing);
        struct doc d = {0};
        step1_analysis(w, &d);
        struct rect rest = {inner.y + eh, inner.x, inner.h - eh, inner.w};
        if (w->pick_moved)
                pick_into_view(w, p, &d, rest);
        if (rest.h > 0)
                pane_doc_draw(w, p, rest, &d);
        doc_clear(&d);
}

static void main_draw(struct wiz *w, struct pane *p, struct rect inner)
{
        if (w->step == STEP_IDENTIFY) {
                step1_draw(w, p, inner);
                return;
        }
        struct doc d = {0};
        step_body(w, w->step, &d);
        pane_doc_draw(w, p, inner, &d);
        doc_clear(&d);
}

static bool step1_key(struct wiz *w, enum action a)
{
        const struct identify *id = &w->ident;
        switch (a) {
        case ACT_UP:
                if (w->pick > 0)
                        w->pick--;
                w->pick_moved = true;
                return id->nips > 1;
        case ACT_DOWN:
                if (w->pick + 1 < id->nips)
                        w->pick++;
                w->pick_moved = true;
                return id->nips > 1;
        case ACT_NEXT:
                if (id->nips > 0)
                        wiz_pick_ip(w, &id->ips[w->pick].ip);
                else
                        w->editing = true;
                return true;
        case ACT_EDIT:
                w->editing = true;
                return true;
        default:
                return false;
        }
}

static bool main_key(struct wiz *w, struct pane *p, enum action a)
{
        if (w->step == STEP_IDENTIFY && step1_key(w, a))
                return true;
        return false;
}

const struct pane_ops pane_main_ops = {
    .name = "main",
    .title = main_title,
    .draw = main_draw,
    .key = main_key,
};
