/* bounce_text: a pasted bounce made searchable.
 *
 * One linear pass turns the bytes into text: CRLF and lone CR become LF, NUL
 * and other control bytes become spaces, and quoted-printable or base64 MIME
 * bodies are decoded where they stand, so the words of every part sit in
 * document order. A second pass makes the "flat" copy the reason patterns
 * are matched against. */
#include "bounce_priv.h"

#include <stdlib.h>
#include <string.h>

enum cte { CTE_NONE, CTE_QP, CTE_BASE64 };

struct writer {
        char *out;
        size_t len;
        size_t controls; /* control bytes seen, for the "binary" verdict */
        bool last_cr;
};

static char lower(char c)
{
        return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool is_space(char c)
{
        return c == ' ' || c == '\t' || c == '\n';
}

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

/* Every byte of the text goes through here: one place decides what a line
 * break and what an unprintable byte become. */
static void put(struct writer *w, unsigned char c)
{
        if (c == '\n' && w->last_cr) {
                w->last_cr = false;
                return;
        }
        w->last_cr = c == '\r';
        if (c == '\r')
                c = '\n';
        else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
                w->controls++;
                c = ' ';
        }
        w->out[w->len++] = (char)c;
}

static void put_line(struct writer *w, const char *s, size_t n, bool newline)
{
        for (size_t i = 0; i < n; i++)
                put(w, (unsigned char)s[i]);
        if (newline)
                put(w, '\n');
}

static int hexval(char c)
{
        if (is_digit(c))
                return c - '0';
        c = lower(c);
        return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

static void decode_qp_line(struct writer *w, const char *s, size_t n, bool newline)
{
        for (size_t i = 0; i < n; i++) {
                if (s[i] != '=') {
                        put(w, (unsigned char)s[i]);
                        continue;
                }
                if (i + 1 == n)
                        return; /* soft line break: the line goes on */
                int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
                int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
                if (hi >= 0 && lo >= 0) {
                        put(w, (unsigned char)(hi * 16 + lo));
                        i += 2;
                } else {
                        put(w, '=');
                }
        }
        if (newline)
                put(w, '\n');
}

struct b64 {
        unsigned acc;
        int bits;
};

static int b64val(char c)
{
        if (c >= 'A' && c <= 'Z')
                return c - 'A';
        if (c >= 'a' && c <= 'z')
                return c - 'a' + 26;
        if (is_digit(c))
                return c - '0' + 52;
        if (c == '+')
                return 62;
        if (c == '/')
                return 63;
        return -1;
}

/* Anything that is not base64 (padding, spaces) is skipped. */
static void decode_b64_line(struct writer *w, struct b64 *st, const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                int v = b64val(s[i]);
                if (v < 0)
                        continue;
                st->acc = ((st->acc << 6) | (unsigned)v) & 0xffffff;
                st->bits += 6;
                if (st->bits >= 8) {
                        st->bits -= 8;
                        put(w, (unsigned char)((st->acc >> st->bits) & 0xff));
                }
        }
}

bool btext_prefix_ci(const char *p, size_t left, const char *needle)
{
        size_t n = strlen(needle);
        if (n > left)
                return false;
        for (size_t i = 0; i < n; i++)
                if (lower(p[i]) != needle[i])
                        return false;
        return true;
}

const char *btext_find_ci(const char *hay, size_t n, const char *needle)
{
        size_t m = strlen(needle);
        if (m == 0 || m > n)
                return NULL;
        for (size_t i = 0; i + m <= n; i++)
                if (lower(hay[i]) == needle[0] && btext_prefix_ci(hay + i, n - i, needle))
                        return hay + i;
        return NULL;
}

/* "Name: value" with a token name: the shape of a MIME or mail header. */
static bool looks_like_header(const char *s, size_t n)
{
        size_t i = 0;
        while (i < n && i < 80 &&
               (is_digit(s[i]) || (lower(s[i]) >= 'a' && lower(s[i]) <= 'z') || s[i] == '-'))
                i++;
        return i > 0 && i < n && s[i] == ':';
}

static enum cte parse_cte(const char *s, size_t n)
{
        static const char name[] = "content-transfer-encoding:";
        if (!btext_prefix_ci(s, n, name))
                return CTE_NONE;
        s += sizeof name - 1;
        n -= sizeof name - 1;
        while (n > 0 && (*s == ' ' || *s == '\t')) {
                s++;
                n--;
        }
        if (btext_prefix_ci(s, n, "base64"))
                return CTE_BASE64;
        if (btext_prefix_ci(s, n, "quoted-printable"))
                return CTE_QP;
        return CTE_NONE;
}

/* The MIME state as the lines go by: a Content-Transfer-Encoding header
 * counts only inside a header block, so a body that merely mentions one is
 * left alone. */
struct mime {
        bool in_headers;
        bool after_break; /* previous line was blank or a boundary */
        enum cte pending; /* announced by the current header block */
        enum cte body;    /* decoding this body until the next boundary */
        struct b64 b64;
};

static void text_line(struct writer *w, struct mime *m, const char *s, size_t n, bool newline)
{
        bool boundary = n >= 2 && s[0] == '-' && s[1] == '-';

        if (m->body != CTE_NONE && !boundary) {
                if (m->body == CTE_QP)
                        decode_qp_line(w, s, n, newline);
                else
                        decode_b64_line(w, &m->b64, s, n);
                return;
        }
        m->body = CTE_NONE;
        put_line(w, s, n, newline);

        if (n == 0) {
                if (m->in_headers && m->pending != CTE_NONE) {
                        m->body = m->pending;
                        m->b64 = (struct b64){0, 0};
                }
                m->in_headers = false;
                m->pending = CTE_NONE;
                m->after_break = true;
                return;
        }
        bool header = looks_like_header(s, n);
        bool folded = s[0] == ' ' || s[0] == '\t';
        if (m->after_break && header)
                m->in_headers = true;
        else if (m->in_headers && !header && !folded)
                m->in_headers = false;
        if (m->in_headers && header && parse_cte(s, n) != CTE_NONE)
                m->pending = parse_cte(s, n);
        m->after_break = boundary;
        if (boundary)
                m->pending = CTE_NONE;
}

/* Lines that start the returned original message: its words are the
 * sender's, not the receiver's, so patterns are not matched there. */
static const char *const returned_markers[] = {
    "this is a copy of the message",            /* Exim */
    "below this line is a copy of the message", /* qmail */
    "original message headers",                 /* Exchange */
    "original message follows",                 /* sendmail */
    "the header and top",                       /* "... lines of the message follows" */
    "header of the original message",           /* 1&1 / IONOS */
    "encabezados de mensajes originales",       /* Exchange, Spanish */
};

static bool is_returned_marker(const char *s, size_t n)
{
        if (btext_prefix_ci(s, n, "content-type:"))
                return btext_find_ci(s, n, "rfc822") || btext_find_ci(s, n, "message/global");
        for (size_t i = 0; i < sizeof returned_markers / sizeof returned_markers[0]; i++)
                if (btext_find_ci(s, n, returned_markers[i]))
                        return true;
        return false;
}

static size_t find_report_end(const char *s, size_t len)
{
        size_t i = 0;
        while (i < len) {
                const char *nl = memchr(s + i, '\n', len - i);
                size_t n = nl ? (size_t)(nl - (s + i)) : len - i;
                /* Markers are short lines; a megabyte line is not one. */
                if (n < 200 && is_returned_marker(s + i, n))
                        return i;
                i += n + 1;
        }
        return len;
}

/* "550-5.7.1 ", "550 5.7.1 " or "550-" at p: a reply-code prefix, or 0. */
static size_t marker_len(const char *p, size_t left)
{
        if (left < 4 || p[0] < '2' || p[0] > '5' || !is_digit(p[1]) || !is_digit(p[2]))
                return 0;
        if (p[3] == '-')
                return 4 + btext_enhanced_len(p + 4, left - 4);
        size_t j = 3;
        while (j < left && is_space(p[j]))
                j++;
        if (j == 3)
                return 0;
        size_t enh = btext_enhanced_len(p + j, left - j);
        return enh ? j + enh : 0;
}

size_t btext_flatten(const char *in, size_t len, bool keep_case, char *out)
{
        size_t o = 0;
        bool space = true;
        bool line_start = true; /* only blanks since the last line break */

        for (size_t i = 0; i < len; i++) {
                char c = in[i];
                if (c == '\n')
                        line_start = true;
                /* Exim logs print a reply's line breaks as a literal \n. */
                if (c == '\\' && i + 1 < len && in[i + 1] == 'n') {
                        i++;
                        c = ' ';
                }
                if (is_space(c)) {
                        if (!space)
                                out[o++] = ' ';
                        space = true;
                        continue;
                }
                if (space) {
                        size_t m = marker_len(in + i, len - i);
                        /* Some clients drop the "550-" and keep "5.7.25 " on
                         * each continuation line. */
                        size_t e = line_start ? btext_enhanced_len(in + i, len - i) : 0;
                        if (m == 0 && e > 0 && i + e < len && is_space(in[i + e]))
                                m = e;
                        if (m > 0) {
                                i += m - 1;
                                line_start = false;
                                continue;
                        }
                }
                line_start = false;
                out[o++] = keep_case ? c : lower(c);
                space = false;
        }
        while (o > 0 && out[o - 1] == ' ')
                o--;
        out[o] = '\0';
        return o;
}

size_t btext_dotted(const char *p, size_t left, int groups)
{
        size_t i = 0;
        for (int g = 0; g < groups; g++) {
                if (g > 0) {
                        if (i >= left || p[i] != '.')
                                return 0;
                        i++;
                }
                size_t digits = 0;
                while (i < left && is_digit(p[i]) && digits < 4) {
                        i++;
                        digits++;
                }
                if (digits == 0 || digits > 3)
                        return 0;
        }
        return i;
}

size_t btext_enhanced_len(const char *p, size_t left)
{
        if (left < 5 || p[0] < '2' || p[0] > '5' || p[1] != '.')
                return 0;
        size_t n = btext_dotted(p + 2, left - 2, 2);
        size_t i = n + 2;
        /* Not the start of an IP address or a version number. */
        if (n == 0 ||
            (i < left && (is_digit(p[i]) || (p[i] == '.' && i + 1 < left && is_digit(p[i + 1])))))
                return 0;
        return i;
}

const char *btext_memmem(const char *hay, size_t n, const char *needle, size_t m)
{
        if (m == 0 || m > n)
                return NULL;
        const char *last = hay + (n - m);
        for (const char *p = hay; p <= last;) {
                p = memchr(p, needle[0], (size_t)(last - p) + 1);
                if (p == NULL)
                        return NULL;
                if (memcmp(p, needle, m) == 0)
                        return p;
                p++;
        }
        return NULL;
}

size_t btext_line_start(const char *s, size_t pos, size_t max)
{
        size_t i = pos;
        while (i > 0 && pos - i < max && s[i - 1] != '\n')
                i--;
        return i;
}

size_t btext_line_end(const char *s, size_t len, size_t pos)
{
        const char *nl = pos < len ? memchr(s + pos, '\n', len - pos) : NULL;
        return nl ? (size_t)(nl - s) : len;
}

/* qmail-send logs a reply with its spaces as '_' and its line breaks as
 * '/': "delivery 3: failure: Connected_to_192.0.2.1_but_sender_was_rejected./
 * Remote_host_said:_553_...". Where the rest of a line is in that form (no
 * space, a few '_'), the offset where it starts; else len. */
#define QMAIL_LINE_MAX 65536

static size_t qmail_log_start(const char *s, size_t n)
{
        static const char *const marks[] = {": failure: ", ": deferral: ", ": success: "};
        size_t from = n;
        if (n == 0 || n > QMAIL_LINE_MAX)
                return n;
        for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
                const char *p = btext_find_ci(s, n, marks[i]);
                if (p)
                        from = (size_t)(p - s) + strlen(marks[i]);
        }
        if (from == n && !btext_find_ci(s, n, "remote_host_said:"))
                return n;
        if (from == n)
                from = 0;
        size_t unders = 0;
        for (size_t i = from; i < n; i++) {
                if (s[i] == ' ' || s[i] == '\t')
                        return n;
                unders += s[i] == '_';
        }
        return unders >= 3 ? from : n;
}

int btext_prepare(struct bounce_text *t, const char *in, size_t len)
{
        memset(t, 0, sizeof(*t));
        /* Decoding never grows the text: every output byte has an input byte. */
        struct writer w = {.out = malloc(len + 1)};
        if (w.out == NULL)
                return -1;
        struct mime m = {.after_break = true};
        size_t i = 0;
        while (i < len) {
                const char *nl = memchr(in + i, '\n', len - i);
                size_t n = nl ? (size_t)(nl - (in + i)) : len - i;
                size_t shown = (n > 0 && in[i + n - 1] == '\r') ? n - 1 : n;
                size_t q = m.body == CTE_NONE ? qmail_log_start(in + i, shown) : shown;
                char *line = q < shown ? malloc(shown) : NULL;
                if (line) {
                        memcpy(line, in + i, shown);
                        for (size_t k = q; k < shown; k++)
                                if (line[k] == '_' || line[k] == '/')
                                        line[k] = ' ';
                        text_line(&w, &m, line, shown, nl != NULL);
                        free(line);
                } else {
                        text_line(&w, &m, in + i, shown, nl != NULL);
                }
                i += n + 1;
        }
        w.out[w.len] = '\0';
        t->raw = w.out;
        t->len = w.len;
        t->binary = w.len > 0 && w.controls * 20 > w.len; /* over 5% */
        t->report_end = find_report_end(t->raw, t->len);

        t->flat = malloc(t->report_end + 1);
        if (t->flat == NULL) {
                btext_free(t);
                return -1;
        }
        t->flatlen = btext_flatten(t->raw, t->report_end, false, t->flat);
        return 0;
}

void btext_free(struct bounce_text *t)
{
        free(t->raw);
        free(t->flat);
        memset(t, 0, sizeof(*t));
}
