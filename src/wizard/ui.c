/* ui: curses set-up and tear-down, signals, colours, glyphs and drawing.
 *
 * Signals: the ones a terminal sends (SIGINT, SIGQUIT, SIGHUP) and SIGTERM
 * only write their number into a self-pipe the poll loop watches; the loop
 * then quits and calls endwin() itself (ncurses' own handlers would call
 * endwin() inside the handler and _exit). Crashes and every other signal
 * whose default ends the process restore the terminal with precomputed
 * bytes and tcsetattr(), both async-signal-safe, then re-raise. */
#include "wizard/ui.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#define PASTE_ON  "\033[?2004h"
#define PASTE_OFF "\033[?2004l"

static const char *const spinner_utf8[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
static const char *const spinner_ascii[] = {"|", "/", "-", "\\"};

static const struct ui_glyphs glyphs_utf8 = {
    .pass = "✓",
    .warn = "!",
    .fail = "✗",
    .todo = "·",
    .skip = "–",
    .cursor = "▶",
    .arrow = "→",
    .more = "…",
    .sep = "·",
    .spinner = spinner_utf8,
    .nspinner = 10,
};

/* No "+" for pass: ASCII boxes draw their corners with it. */
static const struct ui_glyphs glyphs_ascii = {
    .pass = "*",
    .warn = "!",
    .fail = "x",
    .todo = ".",
    .skip = "-",
    .cursor = ">",
    .arrow = "->",
    .more = "~",
    .sep = "|",
    .spinner = spinner_ascii,
    .nspinner = 4,
};

static const struct {
        short fg, bg;
        attr_t attr, mono;
} roles[ROLE__COUNT] = {
#define UI_ROLE_ROW(role, fg, bg, attr, mono) {fg, bg, attr, mono},
    UI_ROLES(UI_ROLE_ROW)
#undef UI_ROLE_ROW
};

/* ---- signals ---------------------------------------------------------- */

static int sig_pipe[2] = {-1, -1};
static int rescue_fd = -1;
static struct termios rescue_termios;
static bool rescue_termios_ok;
static char rescue_bytes[128];
static size_t rescue_len;

static void on_quit_signal(int sig)
{
        int saved = errno;
        unsigned char b = (unsigned char)sig;
        if (sig_pipe[1] >= 0 && write(sig_pipe[1], &b, 1) < 0) {
                /* full pipe: a signal is already pending, nothing lost */
        }
        errno = saved;
}

static void on_crash(int sig)
{
        if (rescue_fd >= 0) {
                if (rescue_len && write(rescue_fd, rescue_bytes, rescue_len) < 0) {
                        /* nothing more can be done */
                }
                if (rescue_termios_ok)
                        tcsetattr(rescue_fd, TCSAFLUSH, &rescue_termios);
        }
        signal(sig, SIG_DFL);
        raise(sig);
}

static const int quit_signals[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP};
static const int crash_signals[] = {SIGSEGV, SIGBUS,  SIGABRT, SIGFPE,   SIGILL,
                                    SIGTRAP, SIGSYS,  SIGXCPU, SIGXFSZ,  SIGUSR1,
                                    SIGUSR2, SIGALRM, SIGPROF, SIGVTALRM};

static void signals_set(bool install)
{
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < sizeof(quit_signals) / sizeof(quit_signals[0]); i++) {
                sa.sa_handler = install ? on_quit_signal : SIG_DFL;
                sigaction(quit_signals[i], &sa, NULL);
        }
        for (size_t i = 0; i < sizeof(crash_signals) / sizeof(crash_signals[0]); i++) {
                sa.sa_handler = install ? on_crash : SIG_DFL;
                sa.sa_flags = install ? SA_RESETHAND : 0;
                sigaction(crash_signals[i], &sa, NULL);
        }
}

int ui_signal_fd(void)
{
        return sig_pipe[0];
}

int ui_signal_take(void)
{
        unsigned char b;
        int last = 0;
        while (sig_pipe[0] >= 0 && read(sig_pipe[0], &b, 1) == 1)
                last = b;
        return last;
}

/* The bytes that put the terminal back: leave the alternate screen, show
 * the cursor, plain attributes, no bracketed paste. */
static void rescue_prepare(int fd)
{
        const char *caps[] = {"sgr0", "cnorm", "rmcup"};
        rescue_len = 0;
        for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
                const char *s = tigetstr(caps[i]);
                if (!s || s == (char *)-1)
                        continue;
                size_t n = strlen(s);
                if (rescue_len + n < sizeof(rescue_bytes)) {
                        memcpy(rescue_bytes + rescue_len, s, n);
                        rescue_len += n;
                }
        }
        if (rescue_len + sizeof(PASTE_OFF) < sizeof(rescue_bytes)) {
                memcpy(rescue_bytes + rescue_len, PASTE_OFF, sizeof(PASTE_OFF) - 1);
                rescue_len += sizeof(PASTE_OFF) - 1;
        }
        rescue_fd = fd;
}

/* ---- opening and closing ---------------------------------------------- */

static int open_streams(struct ui *ui, char *err, size_t errlen)
{
        if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
                ui->in = stdin;
                ui->out = stdout;
                return 0;
        }
        /* stdin is the bounce (or stdout a pipe): talk to the terminal itself. */
        ui->tty = fopen("/dev/tty", "r+e");
        if (!ui->tty) {
                snprintf(err, errlen,
                         "the wizard needs a terminal and there is none (%s); use 'ptrwiz check "
                         "IP' or 'ptrwiz bounce' instead",
                         strerror(errno));
                return -1;
        }
        ui->in = ui->out = ui->tty;
        return 0;
}

void ui_headless(struct ui *ui)
{
        ui->g = &glyphs_ascii;
}

static void colors_start(struct ui *ui)
{
        start_color();
        bool defaults = use_default_colors() == OK;
        for (int i = 0; i < ROLE__COUNT; i++) {
                short fg = roles[i].fg, bg = roles[i].bg;
                if (!defaults) {
                        fg = fg < 0 ? COLOR_WHITE : fg;
                        bg = bg < 0 ? COLOR_BLACK : bg;
                }
                init_pair((short)(i + 1), fg, bg);
        }
}

static bool locale_is_utf8(void)
{
        const char *cs = nl_langinfo(CODESET);
        return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static void ui_undo(struct ui *ui)
{
        signals_set(false);
        for (int i = 0; i < 2; i++) {
                if (sig_pipe[i] >= 0)
                        close(sig_pipe[i]);
                sig_pipe[i] = -1;
        }
        if (ui->tty)
                fclose(ui->tty);
        ui->tty = NULL;
        rescue_fd = -1;
}

int ui_open(struct ui *ui, const struct ui_opts *o, char *err, size_t errlen)
{
        memset(ui, 0, sizeof(*ui));
        const char *term = getenv("TERM");
        if (!term || !term[0] || strcmp(term, "dumb") == 0) {
                snprintf(err, errlen,
                         "the wizard needs a terminal that can move the cursor (TERM is %s); "
                         "use 'ptrwiz check IP' instead",
                         term && term[0] ? term : "not set");
                return -1;
        }
        if (open_streams(ui, err, errlen) < 0)
                return -1;
        if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
                snprintf(err, errlen, "cannot create a pipe: %s", strerror(errno));
                ui_undo(ui);
                return -1;
        }
        int fd = fileno(ui->out);
        rescue_termios_ok = tcgetattr(fd, &rescue_termios) == 0;
        signals_set(true);
        ui->scr = newterm(NULL, ui->out, ui->in);
        if (!ui->scr) {
                char shown[64];
                snprintf(shown, sizeof(shown), "%.40s", term);
                for (char *p = shown; *p; p++)
                        if (*p < 0x21 || *p > 0x7e)
                                *p = '?';
                snprintf(err, errlen,
                         "cannot use the terminal type '%s' (TERM): ncurses does not know it; "
                         "try TERM=xterm, or use 'ptrwiz check IP'",
                         shown);
                ui_undo(ui);
                return -1;
        }
        set_term(ui->scr);
        const char *cup = tigetstr("cup");
        if (!cup || cup == (char *)-1) {
                endwin();
                delscreen(ui->scr);
                ui->scr = NULL;
                snprintf(err, errlen,
                         "this terminal cannot move the cursor; use 'ptrwiz check IP'");
                ui_undo(ui);
                return -1;
        }
        rescue_prepare(fd);
        ui->utf8 = !o->ascii && locale_is_utf8();
        ui->g = ui->utf8 ? &glyphs_utf8 : &glyphs_ascii;
        const char *nc = getenv("NO_COLOR");
        ui->color = has_colors() && !o->no_color && !(nc && nc[0]);
        if (ui->color)
                colors_start(ui);
        cbreak(); /* Ctrl-C stays a signal: it reaches the self-pipe */
        noecho();
        nonl(); /* Enter is '\r', Ctrl-J is '\n': a new line in the editor */
        intrflush(stdscr, FALSE);
        keypad(stdscr, TRUE);
        nodelay(stdscr, TRUE);
        set_escdelay(25);
        curs_set(0);
        define_key("\033[200~", UI_KEY_PASTE_BEGIN);
        define_key("\033[201~", UI_KEY_PASTE_END);
        fflush(ui->out);
        if (write(fd, PASTE_ON, sizeof(PASTE_ON) - 1) < 0) {
                /* no bracketed paste: pastes still work, see struct key.more */
        }
        return 0;
}

void ui_close(struct ui *ui)
{
        if (ui->scr) {
                curs_set(1);
                endwin();
                fflush(ui->out);
                if (write(fileno(ui->out), PASTE_OFF, sizeof(PASTE_OFF) - 1) < 0) {
                        /* the terminal is gone */
                }
                delscreen(ui->scr);
                ui->scr = NULL;
        }
        ui_undo(ui);
}

/* ---- keys ------------------------------------------------------------- */

size_t ui_keys(struct ui *ui, struct key *keys, size_t max)
{
        size_t n = 0;
        wint_t wc;
        int rc;
        while (n < max && (rc = get_wch(&wc)) != ERR) {
                keys[n].fn = rc == KEY_CODE_YES;
                keys[n].code = (int)wc;
                keys[n].more = false;
                if (n > 0)
                        keys[n - 1].more = true;
                n++;
        }
        return n;
}

/* ---- text ------------------------------------------------------------- */

attr_t ui_attr(const struct ui *ui, enum ui_role role)
{
        if (!ui->color)
                return roles[role].mono;
        return roles[role].attr | COLOR_PAIR(role + 1);
}

/* The next character of s: its byte length in *n, its width as returned,
 * and in *wc what to draw ('?' for anything a terminal must not get). */
static int char_next(const struct ui *ui, const char *s, size_t left, size_t *n, wchar_t *wc)
{
        unsigned char c = (unsigned char)s[0];
        *n = 1;
        *wc = L'?';
        if (c < 0x80) {
                if (c >= 0x20 && c != 0x7f)
                        *wc = c;
                return 1;
        }
        if (!ui->utf8)
                return 1;
        mbstate_t st;
        memset(&st, 0, sizeof(st));
        wchar_t w;
        size_t r = mbrtowc(&w, s, left, &st);
        if (r == (size_t)-1 || r == (size_t)-2 || r == 0)
                return 1;
        int width = wcwidth(w);
        *n = r;
        if (width < 1)
                return 1;
        *wc = w;
        return width;
}

int ui_width(const struct ui *ui, const char *s, size_t len)
{
        int cols = 0;
        size_t i = 0, n;
        wchar_t wc;
        while (i < len && s[i]) {
                cols += char_next(ui, s + i, len - i, &n, &wc);
                i += n;
        }
        return cols;
}

int ui_textn(const struct ui *ui, int y, int x, int maxw, enum ui_role role, const char *s,
             size_t len)
{
        if (maxw <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS)
                return 0;
        if (x + maxw > COLS)
                maxw = COLS - x;
        attrset(ui_attr(ui, role));
        move(y, x);
        int cols = 0;
        size_t i = 0, n;
        wchar_t wc;
        while (i < len && s[i]) {
                int cw = char_next(ui, s + i, len - i, &n, &wc);
                if (cols + cw > maxw)
                        break;
                addnwstr(&wc, 1);
                cols += cw;
                i += n;
        }
        attrset(A_NORMAL);
        return cols;
}

int ui_text(const struct ui *ui, int y, int x, int maxw, enum ui_role role, const char *s)
{
        return ui_textn(ui, y, x, maxw, role, s, strlen(s));
}

void ui_fill(const struct ui *ui, struct rect r, enum ui_role role)
{
        attrset(ui_attr(ui, role));
        for (int y = r.y; y < r.y + r.h; y++)
                mvhline(y, r.x, ' ', r.w);
        attrset(A_NORMAL);
}

/* A line-drawing character with the role's attributes. */
static void box_char(const struct ui *ui, int y, int x, const cchar_t *wacs, chtype ascii, attr_t a,
                     int n, bool vertical)
{
        if (!ui->utf8) {
                if (vertical)
                        mvvline(y, x, ascii | a, n);
                else
                        mvhline(y, x, ascii | a, n);
                return;
        }
        wchar_t wch[CCHARW_MAX];
        attr_t attrs;
        short pair;
        cchar_t cc;
        getcchar(wacs, wch, &attrs, &pair, NULL);
        setcchar(&cc, wch, (attrs | a) & ~A_COLOR, (short)PAIR_NUMBER(a), NULL);
        if (vertical)
                mvvline_set(y, x, &cc, n);
        else
                mvhline_set(y, x, &cc, n);
}

void ui_box(const struct ui *ui, struct rect r, const char *title, bool focused)
{
        if (r.h < 2 || r.w < 2)
                return;
        attr_t a = ui_attr(ui, focused ? ROLE_FOCUS : ROLE_BORDER);
        int bottom = r.y + r.h - 1, right = r.x + r.w - 1;
        box_char(ui, r.y, r.x + 1, WACS_HLINE, '-', a, r.w - 2, false);
        box_char(ui, bottom, r.x + 1, WACS_HLINE, '-', a, r.w - 2, false);
        box_char(ui, r.y + 1, r.x, WACS_VLINE, '|', a, r.h - 2, true);
        box_char(ui, r.y + 1, right, WACS_VLINE, '|', a, r.h - 2, true);
        box_char(ui, r.y, r.x, WACS_ULCORNER, '+', a, 1, false);
        box_char(ui, r.y, right, WACS_URCORNER, '+', a, 1, false);
        box_char(ui, bottom, r.x, WACS_LLCORNER, '+', a, 1, false);
        box_char(ui, bottom, right, WACS_LRCORNER, '+', a, 1, false);
        if (title && title[0] && r.w > 6) {
                int x = r.x + 2;
                x += ui_text(ui, r.y, x, r.w - 4, focused ? ROLE_FOCUS : ROLE_TITLE, " ");
                x += ui_text(ui, r.y, x, r.x + r.w - 3 - x, focused ? ROLE_FOCUS : ROLE_TITLE,
                             title);
                ui_text(ui, r.y, x, r.x + r.w - 2 - x, focused ? ROLE_FOCUS : ROLE_TITLE, " ");
        }
}

/* ---- docs ------------------------------------------------------------- */

#define FIELD_WIDTH 14

/* Bytes of s that fit in width columns, broken at a space. Hard (DNS
 * data) keeps every byte, spaces included, and breaks inside a word when
 * the last space is in the first half of the row (long names would leave
 * rows half empty otherwise); *next is where the following row starts. */
static size_t wrap_take(const struct ui *ui, const char *s, int width, bool hard, const char **next)
{
        size_t i = 0, n, last_space = 0;
        bool have_space = false;
        int cols = 0, space_cols = 0;
        wchar_t wc;
        size_t left = strlen(s);
        while (s[i]) {
                int cw = char_next(ui, s + i, left - i, &n, &wc);
                if (cols + cw > width)
                        break;
                if (s[i] == ' ' && i > 0) {
                        last_space = i;
                        space_cols = cols;
                        have_space = true;
                }
                cols += cw;
                i += n;
        }
        if (!s[i]) {
                *next = s + i;
                return i;
        }
        if (!hard && have_space)
                i = last_space;
        else if (hard && have_space && 2 * space_cols >= width)
                i = last_space + 1;
        if (i == 0) /* not even one character fits: take one anyway */
                char_next(ui, s, left, &i, &wc);
        *next = s + i;
        if (!hard)
                while (**next == ' ')
                        (*next)++;
        return i;
}

static enum ui_role tone_role(enum doc_tone t)
{
        switch (t) {
        case TONE_GOOD:
                return ROLE_GOOD;
        case TONE_WARN:
                return ROLE_WARN;
        case TONE_BAD:
                return ROLE_BAD;
        case TONE_BUSY:
                return ROLE_BUSY;
        case TONE_SELECTED:
                return ROLE_SELECTED;
        default:
                return ROLE_NORMAL;
        }
}

static const char *tone_mark(const struct ui *ui, enum doc_tone t)
{
        switch (t) {
        case TONE_GOOD:
                return ui->g->pass;
        case TONE_WARN:
                return ui->g->warn;
        case TONE_BAD:
                return ui->g->fail;
        case TONE_BUSY:
                return ui->g->spinner[ui->spin % ui->g->nspinner];
        default:
                return ui->g->todo;
        }
}

/* How a line starts (a label, a badge or a mark), how wide that is, and
 * the role and indentation of the text after it. */
struct line_look {
        const char *prefix;
        enum ui_role prefix_role, text_role;
        int prefix_w, indent; /* indent: continuation rows */
        bool hard;            /* wrap anywhere (DNS data) */
        bool pad_prefix;      /* fill the prefix to FIELD_WIDTH */
};

static struct line_look line_look(const struct ui *ui, const struct doc_line *l)
{
        struct line_look k = {.prefix = NULL, .text_role = tone_role(l->tone)};
        switch (l->style) {
        case DOC_TITLE:
                k.text_role = ROLE_TITLE;
                break;
        case DOC_HEADING:
                k.text_role = ROLE_HEADING;
                break;
        case DOC_DIM:
                k.text_role = ROLE_DIM;
                break;
        case DOC_INDENT:
                k.prefix = "";
                k.prefix_w = 2;
                k.indent = l->text[0] == '-' ? 4 : 2;
                break;
        case DOC_CODE:
                k.text_role = l->tone == TONE_NONE ? ROLE_CODE : tone_role(l->tone);
                k.hard = true;
                k.indent = 2;
                break;
        case DOC_FIELD:
                k.prefix = l->label ? l->label : "";
                k.prefix_role = ROLE_LABEL;
                k.prefix_w = FIELD_WIDTH;
                k.pad_prefix = true;
                k.indent = FIELD_WIDTH;
                break;
        case DOC_HINT:
                if (l->tone == TONE_NONE) {
                        k.text_role = ROLE_DIM;
                        break;
                }
                /* a hint with a tone is a call to action: drawn as a mark */
                __attribute__((fallthrough));
        case DOC_MARK:
        case DOC_VERDICT:
                k.prefix = tone_mark(ui, l->tone);
                k.prefix_role = tone_role(l->tone);
                k.prefix_w = ui_width(ui, k.prefix, strlen(k.prefix)) + 1;
                k.text_role = l->style == DOC_VERDICT ? tone_role(l->tone) : ROLE_NORMAL;
                k.indent = k.prefix_w;
                break;
        case DOC_FIX:
                k.prefix = " Fix ";
                k.prefix_role = ROLE_FIX;
                k.prefix_w = 6;
                k.text_role = ROLE_FIXTEXT;
                k.indent = 6;
                break;
        case DOC_WHO:
                k.prefix = " Who ";
                k.prefix_role = ROLE_WHO;
                k.prefix_w = 6;
                k.text_role = ROLE_NORMAL;
                k.indent = 6;
                break;
        case DOC_ITEM:
                k.prefix = l->tone == TONE_SELECTED ? ui->g->cursor : " ";
                k.prefix_role = tone_role(l->tone);
                k.prefix_w = 2;
                k.indent = 2;
                break;
        default:
                break;
        }
        return k;
}

/* Redraws reversed every place where the row's text (s, n bytes, drawn at
 * x) holds ui->mark, ignoring case as the search does. */
static void mark_matches(const struct ui *ui, int y, int x, int maxw, const char *s, size_t n)
{
        size_t qn = strlen(ui->mark);
        for (size_t i = 0; qn && i + qn <= n; i++) {
                if (strncasecmp(s + i, ui->mark, qn) != 0)
                        continue;
                int col = ui_width(ui, s, i);
                ui_textn(ui, y, x + col, maxw - col, ROLE_SELECTED, s + i, qn);
                i += qn - 1;
        }
}

/* Lays out one line at width w from row *row on; draws the rows that fall
 * in [scroll, scroll + r.h). */
static void line_rows(const struct ui *ui, const struct doc_line *l, struct rect r, int scroll,
                      int *row)
{
        if (l->style == DOC_REF)
                return; /* the report's, not the screen's */
        struct line_look k = line_look(ui, l);
        const char *s = l->text;
        bool first = true;
        do {
                int indent = first ? k.prefix_w : k.indent;
                if (indent >= r.w)
                        indent = 0;
                const char *next;
                size_t n = wrap_take(ui, s, r.w - indent, k.hard, &next);
                int y = *row - scroll;
                if (r.h > 0 && y >= 0 && y < r.h) {
                        int x = r.x;
                        if (l->tone == TONE_SELECTED)
                                ui_fill(ui, (struct rect){r.y + y, r.x, 1, r.w}, ROLE_SELECTED);
                        if (first && k.prefix)
                                ui_text(ui, r.y + y, x, k.prefix_w, k.prefix_role, k.prefix);
                        ui_textn(ui, r.y + y, x + indent, r.w - indent, k.text_role, s, n);
                        if (ui->mark && *ui->mark)
                                mark_matches(ui, r.y + y, x + indent, r.w - indent, s, n);
                }
                (*row)++;
                first = false;
                s = next;
        } while (*s);
}

int ui_doc_draw(const struct ui *ui, const struct doc *d, struct rect r, int scroll)
{
        int row = 0;
        for (size_t i = 0; i < d->n; i++)
                line_rows(ui, &d->v[i], r, scroll, &row);
        return row;
}

int ui_doc_row_of(const struct ui *ui, const struct doc *d, int w, size_t li)
{
        int row = 0;
        struct rect none = {0, 0, 0, w};
        for (size_t i = 0; i < d->n && i < li; i++)
                line_rows(ui, &d->v[i], none, 0, &row);
        return row;
}
