/* escape: untrusted bytes made safe for a terminal, a log or a JSON string.
 *
 * The output is unambiguous: every byte that is not kept as is becomes \DDD
 * (three decimal digits, as dig and ldns print names) and a backslash itself
 * becomes "\\", so a reader can always tell input text from an escape. */
#include "ptrwiz/escape.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Code points that are well-formed UTF-8 but must not reach a terminal as is:
 * controls, invisible characters and bidi overrides that can hide or reorder
 * what the user reads ("Trojan Source"), and non-characters. */
static const struct {
        uint32_t lo, hi;
} unsafe_ranges[] = {
    {0x0080, 0x009f},   /* C1 controls: 0x9b is CSI on some terminals */
    {0x00ad, 0x00ad},   /* soft hyphen: invisible */
    {0x061c, 0x061c},   /* Arabic letter mark (bidi) */
    {0x180e, 0x180e},   /* Mongolian vowel separator: invisible */
    {0x200b, 0x200f},   /* zero-width spaces and joiners, LRM, RLM */
    {0x2028, 0x2029},   /* line and paragraph separators */
    {0x202a, 0x202e},   /* bidi embeddings and overrides */
    {0x2060, 0x2064},   /* word joiner, invisible operators */
    {0x2066, 0x2069},   /* bidi isolates */
    {0xfeff, 0xfeff},   /* zero-width no-break space, BOM */
    {0xfff9, 0xfffb},   /* interlinear annotation controls */
    {0xfffe, 0xffff},   /* non-characters */
    {0xe0000, 0xe007f}, /* tag characters: invisible text */
};

static bool codepoint_is_safe(uint32_t cp)
{
        for (size_t i = 0; i < sizeof unsafe_ranges / sizeof unsafe_ranges[0]; i++) {
                if (cp >= unsafe_ranges[i].lo && cp <= unsafe_ranges[i].hi)
                        return false;
        }
        return true;
}

/* Length of the UTF-8 sequence at p when it is well-formed (shortest form, no
 * surrogate, at most U+10FFFF) and safe to show; 0 otherwise. */
static size_t utf8_safe_len(const unsigned char *p, size_t left)
{
        static const uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
        size_t n;
        uint32_t cp;

        if (p[0] >= 0xc2 && p[0] <= 0xdf) {
                n = 2;
                cp = p[0] & 0x1f;
        } else if (p[0] >= 0xe0 && p[0] <= 0xef) {
                n = 3;
                cp = p[0] & 0x0f;
        } else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
                n = 4;
                cp = p[0] & 0x07;
        } else {
                return 0; /* ASCII, continuation byte, or never valid (C0, C1, F5..FF) */
        }
        if (n > left)
                return 0;
        for (size_t i = 1; i < n; i++) {
                if ((p[i] & 0xc0) != 0x80)
                        return 0;
                cp = (cp << 6) | (p[i] & 0x3f);
        }
        if (cp < min_cp[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                return 0;
        return codepoint_is_safe(cp) ? n : 0;
}

/* How many bytes at p are copied as they are; 0 when p[0] must be escaped. */
static size_t keep_len(const unsigned char *p, size_t left, int flags)
{
        if (p[0] == '\\')
                return 0;
        if (p[0] >= 0x21 && p[0] <= 0x7e)
                return 1;
        if (p[0] == ' ' && (flags & ESCAPE_KEEP_SPACE))
                return 1;
        if (p[0] >= 0x80 && (flags & ESCAPE_KEEP_UTF8))
                return utf8_safe_len(p, left);
        return 0;
}

/* The output under construction: a unit (one escape, one character) is
 * written whole or not at all, so a truncated result never ends in half an
 * escape or half a UTF-8 sequence. */
struct sink {
        char *out;
        size_t outlen;
        size_t need;    /* length of the full result */
        size_t written; /* bytes in out, excluding the NUL */
        bool full;
};

static void sink_put(struct sink *s, const char *unit, size_t n)
{
        if (!s->full && s->outlen > 0 && s->written + n < s->outlen) {
                memcpy(s->out + s->written, unit, n);
                s->written += n;
        } else {
                s->full = true;
        }
        s->need += n;
}

size_t escape_buf(const char *in, size_t len, int flags, char *out, size_t outlen)
{
        const unsigned char *p = (const unsigned char *)in;
        struct sink s = {.out = out, .outlen = outlen};
        size_t i = 0;

        while (i < len) {
                size_t keep = keep_len(p + i, len - i, flags);
                if (keep > 0) {
                        sink_put(&s, in + i, keep);
                        i += keep;
                        continue;
                }
                char unit[5];
                if (p[i] == '\\')
                        memcpy(unit, "\\\\", 3);
                else
                        snprintf(unit, sizeof unit, "\\%03u", p[i]);
                sink_put(&s, unit, strlen(unit));
                i++;
        }
        if (outlen > 0)
                out[s.written] = '\0';
        return s.need;
}

char *escape_dup(const char *in, size_t len, int flags)
{
        size_t need = escape_buf(in, len, flags, NULL, 0);
        char *out = malloc(need + 1);

        if (out != NULL)
                escape_buf(in, len, flags, out, need + 1);
        return out;
}

bool escape_is_clean(const char *s, size_t len, int flags)
{
        const unsigned char *p = (const unsigned char *)s;
        size_t i = 0;

        while (i < len) {
                size_t keep = keep_len(p + i, len - i, flags);
                if (keep == 0)
                        return false;
                i += keep;
        }
        return true;
}

/* ------------------------------------------------------------ Markdown */

/* Inline meaning anywhere in a line (CommonMark, GitHub's extensions). */
static bool md_special(unsigned char c)
{
        return c && strchr("\\`*_[]<>&|~!#$@", c) != NULL;
}

/* Offset of a character at the start of in that would open a block: a
 * list or rule marker (after up to three spaces; #, >, * and _ are
 * escaped everywhere), or the "." or ")" of an ordered list ("1. ");
 * len when there is none. */
static size_t md_block_marker(const char *in, size_t len)
{
        size_t i = 0;
        while (i < len && i < 3 && in[i] == ' ')
                i++;
        if (i < len && (in[i] == '-' || in[i] == '+' || in[i] == '='))
                return i;
        size_t d = 0; /* an ordered list number has at most 9 digits */
        while (i + d < len && d < 10 && in[i + d] >= '0' && in[i + d] <= '9')
                d++;
        size_t at = i + d;
        bool list = d > 0 && d < 10 && at < len && (in[at] == '.' || in[at] == ')') &&
                    (at + 1 == len || in[at + 1] == ' ');
        return list ? at : len;
}

size_t escape_markdown(const char *in, size_t len, char *out, size_t outlen)
{
        const unsigned char *p = (const unsigned char *)in;
        struct sink s = {.out = out, .outlen = outlen};
        size_t marker = md_block_marker(in, len);
        size_t i = 0;

        while (i < len) {
                size_t keep = p[i] == '\\'
                                  ? 1
                                  : keep_len(p + i, len - i, ESCAPE_KEEP_SPACE | ESCAPE_KEEP_UTF8);
                if (keep == 0) {
                        char unit[6];
                        snprintf(unit, sizeof unit, "\\\\%03u", p[i]);
                        sink_put(&s, unit, strlen(unit));
                        i++;
                        continue;
                }
                if (keep == 1 && (md_special(p[i]) || i == marker)) {
                        char unit[2] = {'\\', (char)p[i]};
                        sink_put(&s, unit, 2);
                } else {
                        sink_put(&s, in + i, keep);
                }
                i += keep;
        }
        if (outlen > 0)
                out[s.written] = '\0';
        return s.need;
}

char *escape_markdown_dup(const char *in, size_t len)
{
        size_t need = escape_markdown(in, len, NULL, 0);
        char *out = malloc(need + 1);

        if (out != NULL)
                escape_markdown(in, len, out, need + 1);
        return out;
}

size_t escape_fence_len(const char *text, size_t len)
{
        size_t longest = 0, run = 0;

        for (size_t i = 0; i < len; i++) {
                run = text[i] == '`' ? run + 1 : 0;
                if (run > longest)
                        longest = run;
        }
        return longest < 3 ? 3 : longest + 1;
}
