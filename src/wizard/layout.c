/* layout: where every pane goes, computed from the terminal size alone;
 * a resize only has to redraw. 80x24: the step list and a summary on the
 * left, the step pane on the right, and below them one detail pane (the
 * trace or the breakdown, whichever is in use). From 140 columns both
 * detail panes show side by side. */
#include "wizard/wiz.h"

#include <string.h>

#define LEFT_WIDTH     24
#define WIDE_COLS      140
#define HELP_MAX_WIDTH 100

static struct rect rect_make(int y, int x, int h, int w)
{
        struct rect r = {y, x, h, w};
        return r;
}

void layout_compute(struct layout *l, int lines, int cols, enum pane_id detail, bool zoom,
                    enum pane_id focus, bool no_detail)
{
        memset(l, 0, sizeof(*l));
        l->too_small = lines < WIZ_MIN_LINES || cols < WIZ_MIN_COLS;
        if (l->too_small)
                return;
        int top = 1, h = lines - 2;
        l->title = rect_make(0, 0, 1, cols);
        l->status = rect_make(lines - 1, 0, 1, cols);
        int hw = cols > HELP_MAX_WIDTH + 4 ? HELP_MAX_WIDTH : cols;
        l->help = rect_make(top, (cols - hw) / 2, h, hw);
        if (zoom) {
                l->pane[focus] = rect_make(top, 0, h, cols);
                l->shown[focus] = true;
                return;
        }
        int dh = no_detail ? 0 : h >= 30 ? h * 2 / 5 : h / 3;
        int th = h - dh;
        int steps_h = STEP__COUNT + 2;
        l->pane[PANE_STEPS] = rect_make(top, 0, steps_h, LEFT_WIDTH);
        l->summary = rect_make(top + steps_h, 0, th - steps_h, LEFT_WIDTH);
        l->pane[PANE_MAIN] = rect_make(top, LEFT_WIDTH, th, cols - LEFT_WIDTH);
        l->shown[PANE_STEPS] = l->shown[PANE_MAIN] = true;
        if (no_detail)
                return;
        if (cols >= WIDE_COLS) {
                int bw = cols * 2 / 5;
                l->pane[PANE_BREAKDOWN] = rect_make(top + th, 0, dh, bw);
                l->pane[PANE_TRACE] = rect_make(top + th, bw, dh, cols - bw);
                l->shown[PANE_BREAKDOWN] = l->shown[PANE_TRACE] = true;
        } else {
                l->pane[detail] = rect_make(top + th, 0, dh, cols);
                l->shown[detail] = true;
        }
}
