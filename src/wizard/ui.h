/* ui: the terminal. Opening it (newterm, on /dev/tty when stdin is a pipe),
 * restoring it on every way out (q, signals through a self-pipe, crashes),
 * colours or monochrome, UTF-8 or ASCII glyphs, and the drawing primitives
 * every pane uses. Nothing here knows about DNS. */
#ifndef PTRWIZ_WIZARD_UI_H
#define PTRWIZ_WIZARD_UI_H

#include <curses.h>
#include <stdbool.h>
#include <stdio.h>

#include "wizard/doc.h"

struct rect {
        int y, x, h, w;
};

/* X(role, foreground, background, attributes with colour, without colour).
 * -1 is the terminal's default colour. */
#define UI_ROLES(X)                                                                                \
        X(ROLE_NORMAL, -1, -1, A_NORMAL, A_NORMAL)                                                 \
        X(ROLE_TITLEBAR, COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE)                               \
        X(ROLE_KEY, COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE)                                  \
        X(ROLE_BORDER, COLOR_BLUE, -1, A_NORMAL, A_NORMAL)                                         \
        X(ROLE_FOCUS, COLOR_CYAN, -1, A_BOLD, A_BOLD)                                              \
        X(ROLE_TITLE, -1, -1, A_BOLD, A_BOLD)                                                      \
        X(ROLE_HEADING, COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE)                              \
        X(ROLE_DIM, -1, -1, A_DIM, A_DIM)                                                          \
        X(ROLE_CODE, COLOR_GREEN, -1, A_NORMAL, A_NORMAL)                                          \
        X(ROLE_LABEL, -1, -1, A_BOLD, A_BOLD)                                                      \
        X(ROLE_GOOD, COLOR_GREEN, -1, A_BOLD, A_BOLD)                                              \
        X(ROLE_WARN, COLOR_YELLOW, -1, A_BOLD, A_BOLD)                                             \
        X(ROLE_BAD, COLOR_RED, -1, A_BOLD, A_BOLD)                                                 \
        X(ROLE_BUSY, COLOR_CYAN, -1, A_BOLD, A_NORMAL)                                             \
        X(ROLE_FIX, COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE)                                  \
        X(ROLE_FIXTEXT, COLOR_YELLOW, -1, A_BOLD, A_BOLD)                                          \
        X(ROLE_WHO, COLOR_WHITE, COLOR_MAGENTA, A_BOLD, A_REVERSE)                                 \
        X(ROLE_SELECTED, COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE)                             \
        X(ROLE_CURRENT, COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD)                       \
        X(ROLE_MESSAGE, COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE)                            \
        X(ROLE_EDIT, -1, -1, A_NORMAL, A_NORMAL)

enum ui_role {
#define UI_ROLE_ENUM(role, fg, bg, attr, mono) role,
        UI_ROLES(UI_ROLE_ENUM)
#undef UI_ROLE_ENUM
            ROLE__COUNT
};

/* Marks and lines in UTF-8 or plain ASCII (the locale decides). */
struct ui_glyphs {
        const char *pass, *warn, *fail, *todo, *skip, *cursor, *arrow, *more, *sep;
        const char *const *spinner;
        int nspinner;
};

struct ui {
        SCREEN *scr;
        FILE *in, *out;
        FILE *tty; /* opened /dev/tty, or NULL */
        bool color, utf8;
        const struct ui_glyphs *g;
        int spin;         /* the spinner frame for this draw */
        const char *mark; /* shown reversed where doc lines hold it (the search), or NULL */
};

struct ui_opts {
        bool ascii;    /* force ASCII glyphs */
        bool no_color; /* force monochrome */
};

/* Keys the terminal sends around a paste (bracketed paste mode). */
#define UI_KEY_PASTE_BEGIN (KEY_MAX + 1)
#define UI_KEY_PASTE_END   (KEY_MAX + 2)

struct key {
        int code; /* a KEY_* code when fn, else a character (wide when UTF-8) */
        bool fn;
        bool more; /* more keys were already waiting: a paste without brackets */
};

/* Installs the signal handlers first (so ncurses keeps its hands off
 * SIGINT/SIGTERM), then starts curses. On failure nothing is left changed
 * and err says why in one line. */
int ui_open(struct ui *ui, const struct ui_opts *opts, char *err, size_t errlen);
void ui_close(struct ui *ui);
/* No screen (ptrwiz report): ASCII glyphs for the docs, nothing opened. */
void ui_headless(struct ui *ui);

/* The self-pipe: readable when SIGINT, SIGTERM or SIGHUP arrived. */
int ui_signal_fd(void);
/* The last signal caught (0: none); empties the pipe. */
int ui_signal_take(void);

/* Reads every key that is waiting (never blocks); returns how many. */
size_t ui_keys(struct ui *ui, struct key *keys, size_t max);

attr_t ui_attr(const struct ui *ui, enum ui_role role);
/* Display width of len bytes of s as ui_text would draw them. */
int ui_width(const struct ui *ui, const char *s, size_t len);
/* Draws at most maxw columns of len bytes; control bytes show as '?'.
 * Returns the columns drawn. */
int ui_textn(const struct ui *ui, int y, int x, int maxw, enum ui_role role, const char *s,
             size_t len);
int ui_text(const struct ui *ui, int y, int x, int maxw, enum ui_role role, const char *s);
void ui_fill(const struct ui *ui, struct rect r, enum ui_role role);
void ui_box(const struct ui *ui, struct rect r, const char *title, bool focused);
/* Shows the doc in r from row scroll on; returns the number of rows the
 * doc needs at this width (draws nothing when r.h is 0). */
int ui_doc_draw(const struct ui *ui, const struct doc *d, struct rect r, int scroll);
/* The first row of line index li at width w. */
int ui_doc_row_of(const struct ui *ui, const struct doc *d, int w, size_t li);

#endif
