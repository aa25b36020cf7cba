/* input: the multi-line text box of step 1. A bounce is pasted into it
 * (bracketed paste, or fast typing the terminal delivers in one burst) or
 * an address typed. Enter submits, Ctrl-J starts a new line, Esc leaves.
 * The bytes are the user's: they are escaped whenever they are drawn. */
#include "wizard/wiz.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ptrwiz/escape.h"

#define INPUT_MAX (1024 * 1024) /* a bounce with headers, not a mailbox */

static int reserve(struct input *in, size_t extra)
{
        if (in->len + extra + 1 <= in->cap)
                return 0;
        if (in->len + extra > INPUT_MAX)
                return -1;
        size_t cap = in->cap ? in->cap : 256;
        while (cap < in->len + extra + 1)
                cap *= 2;
        char *b = realloc(in->buf, cap);
        if (!b)
                return -1;
        in->buf = b;
        in->cap = cap;
        return 0;
}

/* Inserts at the cursor: CR LF and CR become LF, a tab a space. */
static void insert_bytes(struct input *in, const char *s, size_t n)
{
        if (reserve(in, n) < 0)
                return;
        size_t k = 0;
        char *tmp = malloc(n ? n : 1);
        if (!tmp)
                return;
        for (size_t i = 0; i < n; i++) {
                char c = s[i];
                if (c == '\r') {
                        if (i + 1 < n && s[i + 1] == '\n')
                                continue;
                        c = '\n';
                } else if (c == '\t') {
                        c = ' ';
                }
                tmp[k++] = c;
        }
        memmove(in->buf + in->cursor + k, in->buf + in->cursor, in->len - in->cursor);
        memcpy(in->buf + in->cursor, tmp, k);
        in->len += k;
        in->cursor += k;
        in->buf[in->len] = '\0';
        free(tmp);
}

void input_set(struct input *in, const char *text, size_t len)
{
        in->len = in->cursor = 0;
        in->top = 0;
        if (reserve(in, 0) == 0)
                in->buf[0] = '\0';
        insert_bytes(in, text, len);
}

void input_free(struct input *in)
{
        free(in->buf);
        memset(in, 0, sizeof(*in));
}

size_t input_lines(const struct input *in)
{
        size_t n = 1;
        for (size_t i = 0; i < in->len; i++)
                n += in->buf[i] == '\n';
        return n;
}

static size_t line_start(const struct input *in, size_t pos)
{
        while (pos > 0 && in->buf[pos - 1] != '\n')
                pos--;
        return pos;
}

static size_t line_end(const struct input *in, size_t pos)
{
        while (pos < in->len && in->buf[pos] != '\n')
                pos++;
        return pos;
}

/* UTF-8 aware steps: never stop inside a sequence. */
static size_t char_prev(const struct input *in, size_t pos)
{
        if (pos == 0)
                return 0;
        pos--;
        while (pos > 0 && ((unsigned char)in->buf[pos] & 0xc0) == 0x80)
                pos--;
        return pos;
}

static size_t char_after(const struct input *in, size_t pos)
{
        if (pos >= in->len)
                return in->len;
        pos++;
        while (pos < in->len && ((unsigned char)in->buf[pos] & 0xc0) == 0x80)
                pos++;
        return pos;
}

static void delete_range(struct input *in, size_t from, size_t to)
{
        memmove(in->buf + from, in->buf + to, in->len - to);
        in->len -= to - from;
        in->buf[in->len] = '\0';
        in->cursor = from;
}

/* Up/Down keep the character count into the line (close enough). */
static void move_vertical(struct input *in, bool up)
{
        size_t start = line_start(in, in->cursor);
        size_t chars = 0;
        for (size_t p = start; p < in->cursor; p = char_after(in, p))
                chars++;
        size_t target;
        if (up) {
                if (start == 0)
                        return;
                target = line_start(in, start - 1);
        } else {
                size_t end = line_end(in, in->cursor);
                if (end == in->len)
                        return;
                target = end + 1;
        }
        size_t end = line_end(in, target);
        while (chars-- > 0 && target < end)
                target = char_after(in, target);
        in->cursor = target;
}

static enum input_result fn_key(struct input *in, int code)
{
        switch (code) {
        case UI_KEY_PASTE_BEGIN:
                in->pasting = true;
                return INPUT_IGNORED;
        case UI_KEY_PASTE_END:
                in->pasting = false;
                return INPUT_IGNORED;
        case KEY_LEFT:
                in->cursor = char_prev(in, in->cursor);
                return INPUT_MOVED;
        case KEY_RIGHT:
                in->cursor = char_after(in, in->cursor);
                return INPUT_MOVED;
        case KEY_UP:
        case KEY_DOWN:
                move_vertical(in, code == KEY_UP);
                return INPUT_MOVED;
        case KEY_HOME:
                in->cursor = line_start(in, in->cursor);
                return INPUT_MOVED;
        case KEY_END:
                in->cursor = line_end(in, in->cursor);
                return INPUT_MOVED;
        case KEY_BACKSPACE:
                if (in->cursor == 0)
                        return INPUT_IGNORED;
                delete_range(in, char_prev(in, in->cursor), in->cursor);
                return INPUT_CHANGED;
        case KEY_DC:
                if (in->cursor == in->len)
                        return INPUT_IGNORED;
                delete_range(in, in->cursor, char_after(in, in->cursor));
                return INPUT_CHANGED;
        case KEY_ENTER:
                if (!in->pasting)
                        return INPUT_SUBMIT;
                insert_bytes(in, "\n", 1);
                return INPUT_CHANGED;
        default:
                return INPUT_IGNORED;
        }
}

static enum input_result char_key(struct input *in, const struct ui *ui, const struct key *k)
{
        int c = k->code;
        switch (c) {
        case 27:
                if (!in->pasting)
                        return INPUT_LEAVE;
                break; /* a pasted ESC is text: kept, and escaped when drawn */
        case '\r':
                /* Inside a paste, or with more keys right behind it (a paste
                 * the terminal did not bracket), Enter is just a line break. */
                if (!in->pasting && !k->more)
                        return INPUT_SUBMIT;
                insert_bytes(in, "\n", 1);
                return INPUT_CHANGED;
        case '\n':
                insert_bytes(in, "\n", 1);
                return INPUT_CHANGED;
        case 127:
        case 8:
                return fn_key(in, KEY_BACKSPACE);
        case 21: /* Ctrl-U: start over */
                input_set(in, "", 0);
                return INPUT_CHANGED;
        case '\t':
                insert_bytes(in, " ", 1);
                return INPUT_CHANGED;
        default:
                break;
        }
        if ((c < 0x20 || c == 0x7f) && !in->pasting)
                return INPUT_IGNORED;
        char mb[MB_LEN_MAX];
        size_t n = 1;
        if (ui->utf8 && c >= 0x80) {
                mbstate_t st;
                memset(&st, 0, sizeof(st));
                n = wcrtomb(mb, (wchar_t)c, &st);
                if (n == (size_t)-1)
                        return INPUT_IGNORED;
        } else {
                mb[0] = (char)c;
        }
        insert_bytes(in, mb, n);
        return INPUT_CHANGED;
}

enum input_result input_key(struct input *in, const struct ui *ui, const struct key *k)
{
        if (reserve(in, 0) < 0)
                return INPUT_IGNORED;
        if (k->fn)
                return fn_key(in, k->code);
        return char_key(in, ui, k);
}

/* Byte offset in s after skipping cols display columns. */
static size_t skip_cols(const struct ui *ui, const char *s, int cols)
{
        size_t i = 0;
        while (s[i] && cols > 0) {
                size_t n = 1;
                while (s[i + n] && ((unsigned char)s[i + n] & 0xc0) == 0x80)
                        n++;
                cols -= ui_width(ui, s + i, n);
                i += n;
        }
        return i;
}

static void draw_line(struct input *in, const struct ui *ui, struct rect r, int y, size_t start,
                      size_t end, bool cursor_here)
{
        int flags = ESCAPE_KEEP_SPACE | (ui->utf8 ? ESCAPE_KEEP_UTF8 : 0);
        char *shown = escape_dup(in->buf + start, end - start, flags);
        if (!shown)
                return;
        int hscroll = 0;
        if (cursor_here) {
                char *before = escape_dup(in->buf + start, in->cursor - start, flags);
                int col = before ? ui_width(ui, before, strlen(before)) : 0;
                free(before);
                if (col >= r.w)
                        hscroll = col - r.w + 1;
                in->cur_y = y;
                in->cur_x = r.x + col - hscroll;
        }
        const char *s = shown + skip_cols(ui, shown, hscroll);
        int w = ui_width(ui, s, strlen(s));
        ui_text(ui, y, r.x, r.w, ROLE_EDIT, s);
        if (w > r.w && !cursor_here)
                ui_text(ui, y, r.x + r.w - 1, 1, ROLE_DIM, ui->g->more);
        free(shown);
}

void input_draw(struct input *in, const struct ui *ui, struct rect r, bool editing)
{
        in->cur_y = in->cur_x = -1;
        if (r.h <= 0 || r.w <= 0 || reserve(in, 0) < 0)
                return;
        int cursor_line = 0;
        for (size_t i = 0; i < in->cursor; i++)
                cursor_line += in->buf[i] == '\n';
        if (editing && cursor_line < in->top)
                in->top = cursor_line;
        if (editing && cursor_line >= in->top + r.h)
                in->top = cursor_line - r.h + 1;
        int line = 0;
        size_t pos = 0;
        while (pos <= in->len) {
                size_t end = line_end(in, pos);
                int y = r.y + line - in->top;
                if (line >= in->top && y < r.y + r.h)
                        draw_line(in, ui, r, y, pos, end, editing && line == cursor_line);
                line++;
                pos = end + 1;
        }
}
