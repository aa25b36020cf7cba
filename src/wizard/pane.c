/* Scrolling shared by every text pane. */
#include "wizard/wiz.h"

static int max_scroll(const struct pane *p)
{
        return p->rows > p->height ? p->rows - p->height : 0;
}

bool pane_scroll(struct pane *p, enum action a)
{
        int page = p->height > 2 ? p->height - 1 : 1;
        switch (a) {
        case ACT_UP:
        case ACT_SCROLL_UP:
                p->scroll--;
                break;
        case ACT_DOWN:
        case ACT_SCROLL_DOWN:
                p->scroll++;
                break;
        case ACT_PAGE_UP:
                p->scroll -= page;
                break;
        case ACT_PAGE_DOWN:
                p->scroll += page;
                break;
        case ACT_HOME:
                p->scroll = 0;
                break;
        case ACT_END:
                p->scroll = max_scroll(p);
                break;
        default:
                return false;
        }
        if (p->scroll > max_scroll(p))
                p->scroll = max_scroll(p);
        if (p->scroll < 0)
                p->scroll = 0;
        p->follow = p->scroll >= max_scroll(p);
        return true;
}

void pane_doc_draw(struct wiz *w, struct pane *p, struct rect inner, const struct doc *d)
{
        struct rect measure = {0, 0, 0, inner.w};
        p->rows = ui_doc_draw(&w->ui, d, measure, 0);
        p->height = inner.h;
        p->width = inner.w;
        if (p->follow)
                p->scroll = max_scroll(p);
        if (p->scroll > max_scroll(p))
                p->scroll = max_scroll(p);
        w->ui.mark = search_mark(w, p);
        ui_doc_draw(&w->ui, d, inner, p->scroll);
        w->ui.mark = NULL;
}

static const struct pane_ops *const pane_table[PANE__COUNT] = {
    [PANE_STEPS] = &pane_steps_ops,
    [PANE_MAIN] = &pane_main_ops,
    [PANE_TRACE] = &pane_trace_ops,
    [PANE_BREAKDOWN] = &pane_breakdown_ops,
};

const struct pane_ops *pane_ops_of(enum pane_id id)
{
        return pane_table[id];
}
