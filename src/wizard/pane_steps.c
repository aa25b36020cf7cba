/* The step list: the five steps with their state; Up/Down and Enter jump. */
#include "wizard/wiz.h"

#include <stdio.h>

static const char *state_mark(const struct wiz *w, enum step_state st, enum ui_role *role)
{
        const struct ui_glyphs *g = w->ui.g;
        switch (st) {
        case SS_RUNNING:
                *role = ROLE_BUSY;
                return g->spinner[w->ui.spin % g->nspinner];
        case SS_PASS:
                *role = ROLE_GOOD;
                return g->pass;
        case SS_WARN:
                *role = ROLE_WARN;
                return g->warn;
        case SS_FAIL:
                *role = ROLE_BAD;
                return g->fail;
        case SS_SKIPPED:
        case SS_CANCELLED:
                *role = ROLE_DIM;
                return g->skip;
        default:
                *role = ROLE_DIM;
                return g->todo;
        }
}

static void steps_title(const struct wiz *w, char *buf, size_t len)
{
        snprintf(buf, len, "Steps");
}

static void steps_draw(struct wiz *w, struct pane *p, struct rect inner)
{
        bool focused = w->focus == PANE_STEPS;
        for (int s = 0; s < STEP__COUNT && s < inner.h; s++) {
                int y = inner.y + s;
                bool current = s == (int)w->step;
                if (current)
                        ui_fill(&w->ui, (struct rect){y, inner.x, 1, inner.w}, ROLE_CURRENT);
                enum ui_role mark_role;
                const char *mark = state_mark(w, step_state(w, s), &mark_role);
                int x = inner.x;
                if (focused && s == w->step_cursor)
                        ui_text(&w->ui, y, x, 1, current ? ROLE_CURRENT : ROLE_FOCUS,
                                w->ui.g->cursor);
                x += 1;
                ui_text(&w->ui, y, x, 1, current ? ROLE_CURRENT : mark_role, mark);
                char label[40];
                snprintf(label, sizeof(label), " %d %s", s + 1, step_name_of(w, s));
                ui_text(&w->ui, y, x + 1, inner.w - 2, current ? ROLE_CURRENT : ROLE_NORMAL, label);
        }
        p->rows = STEP__COUNT;
        p->height = inner.h;
}

static bool steps_key(struct wiz *w, struct pane *p, enum action a)
{
        switch (a) {
        case ACT_UP:
        case ACT_SCROLL_UP:
                if (w->step_cursor > 0)
                        w->step_cursor--;
                return true;
        case ACT_DOWN:
        case ACT_SCROLL_DOWN:
                if (w->step_cursor < STEP__COUNT - 1)
                        w->step_cursor++;
                return true;
        case ACT_NEXT:
                wiz_goto(w, (enum wiz_step)w->step_cursor);
                return true;
        default:
                return false;
        }
}

const struct pane_ops pane_steps_ops = {
    .name = "steps",
    .title = steps_title,
    .draw = steps_draw,
    .key = steps_key,
};
