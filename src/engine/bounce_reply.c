/* bounce_reply: the SMTP replies quoted in a bounce, and the fields of an
 * RFC 3464 delivery report.
 *
 * A reply starts at a 4xx or 5xx code on a word boundary and runs on over
 * continuation lines: lines with the same code ("550-5.7.25 ...") and lines
 * indented like a folded header or a wrapped Postfix "said:" text. */
#include "bounce_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLY_MAX_BYTES 2048 /* a reply longer than this is not one reply */

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static bool blank(char c)
{
        return c == ' ' || c == '\t';
}

/* Characters that may stand right before a reply code. */
static bool code_boundary(char c)
{
        return strchr(" \t\n:;([<>'\"=#,", c) != NULL;
}

/* Words that introduce the remote server's reply in MTA bounces and logs. */
static const char *const reply_intros[] = {
    "said:",
    "refused to talk to me:",
    "returned '",
    "<<< ",
    "diagnostic-code:",
    "smtp;",
    "reply:",
    "response:",
    "response=",
    "error from remote mail server",
    "reason: ",
    "]:",
    ">: ",                  /* Exim: "after RCPT TO:<a@b>: 550 ..." */
    "initial connection: ", /* Exim, at the greeting */
};

static int intro_score(const struct bounce_text *t, size_t pos)
{
        size_t from = pos > 64 ? pos - 64 : 0;
        for (size_t i = 0; i < sizeof reply_intros / sizeof reply_intros[0]; i++)
                if (btext_find_ci(t->raw + from, pos - from, reply_intros[i]))
                        return 3;
        return 0;
}

static size_t indent_of(const char *s, size_t end)
{
        size_t n = 0;
        while (n < end && blank(s[n]))
                n++;
        return n;
}

/* Does the line at s continue a reply with this code? */
static bool continues(const char *s, size_t n, const char *code, size_t first_indent)
{
        size_t ind = indent_of(s, n);
        const char *p = s + ind;
        size_t left = n - ind;
        if (left == 0)
                return false;
        if (btext_prefix_ci(p, left, "<<< ")) {
                p += 4;
                left -= 4;
        }
        if (left >= 4 && memcmp(p, code, 3) == 0 && (p[3] == '-' || p[3] == ' '))
                return true;
        return ind > 0 && (first_indent == 0 || ind >= first_indent);
}

static size_t reply_end(const struct bounce_text *t, size_t start)
{
        const char *s = t->raw;
        size_t limit = t->report_end;
        size_t ls = btext_line_start(s, start, 512);
        size_t first_indent = indent_of(s + ls, start - ls);
        size_t end = btext_line_end(s, limit, start);

        while (end < limit && end - start < REPLY_MAX_BYTES) {
                size_t next = end + 1;
                size_t next_end = btext_line_end(s, limit, next);
                if (!continues(s + next, next_end - next, s + start, first_indent))
                        break;
                end = next_end;
        }
        return end - start > REPLY_MAX_BYTES ? start + REPLY_MAX_BYTES : end;
}

/* A reply code at i: digits, a separator, maybe an enhanced code of the
 * same class. Fills r and returns true. */
static bool reply_at(const struct bounce_text *t, size_t i, struct bounce_reply *r)
{
        const char *s = t->raw;
        size_t left = t->report_end - i;

        if (left < 5 || (s[i] != '4' && s[i] != '5') || s[i + 1] < '0' || s[i + 1] > '5' ||
            !is_digit(s[i + 2]))
                return false;
        /* "550 ", "550-" and, in some help pages, "554: text". */
        if (s[i + 3] != ' ' && s[i + 3] != '-' && !(s[i + 3] == ':' && s[i + 4] == ' '))
                return false;
        if (i > 0 && !code_boundary(s[i - 1]))
                return false;
        memset(r, 0, sizeof(*r));
        r->code = (s[i] - '0') * 100 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
        r->start = i;
        r->score = 1;
        size_t enh = btext_enhanced_len(s + i + 4, left - 4);
        if (enh > 0 && s[i + 4] == s[i]) {
                memcpy(r->enhanced, s + i + 4, enh < sizeof r->enhanced ? enh : 0);
                r->score += 4;
        }
        size_t ls = btext_line_start(s, i, 256);
        if (btext_prefix_ci(s + ls, i - ls, "diagnostic-code:"))
                r->score += 5;
        r->score += intro_score(t, i);
        /* A bare number in prose ("handled 450 messages") is not a reply:
         * without an enhanced code or an introduction, it must start a line. */
        size_t ind = ls + indent_of(s + ls, i - ls);
        if (i == ind || (i >= ind + 4 && btext_prefix_ci(s + ind, i - ind, "<<< ")))
                r->score += 1;
        else if (r->score == 1)
                return false;
        r->end = reply_end(t, i);
        return true;
}

size_t breply_find(const struct bounce_text *t, struct bounce_reply *out, size_t max)
{
        size_t n = 0;
        size_t i = 0;
        while (i + 4 < t->report_end && n < max) {
                if (reply_at(t, i, &out[n])) {
                        i = out[n].end;
                        n++;
                } else {
                        i++;
                }
        }
        return n;
}

char *breply_text(const struct bounce_text *t, const struct bounce_reply *r)
{
        /* The text after "550-5.7.25", behind a canonical "550 5.7.25 ". */
        size_t begin = r->start + 4 + strlen(r->enhanced);
        size_t len = r->end > begin ? r->end - begin : 0;
        char *out = malloc(len + 24);
        if (out == NULL)
                return NULL;
        int head = snprintf(out, 24, "%d%s%s ", r->code, r->enhanced[0] ? " " : "", r->enhanced);
        size_t n = btext_flatten(t->raw + begin, len, true, out + head);
        if (n == 0)
                out[head > 0 ? head - 1 : 0] = '\0';
        return out;
}

bool breply_dsn_field(const struct bounce_text *t, const char *name, char *out, size_t outlen)
{
        size_t namelen = strlen(name);
        size_t i = 0;
        while (i < t->report_end) {
                size_t end = btext_line_end(t->raw, t->report_end, i);
                const char *s = t->raw + i;
                size_t n = end - i;
                if (n > namelen && btext_prefix_ci(s, n, name) && s[namelen] == ':') {
                        const char *v = s + namelen + 1;
                        const char *semi = memchr(v, ';', (size_t)(s + n - v));
                        if (semi)
                                v = semi + 1;
                        while (v < s + n && blank(*v))
                                v++;
                        size_t vlen = (size_t)(s + n - v);
                        while (vlen > 0 && blank(v[vlen - 1]))
                                vlen--;
                        if (vlen == 0 || vlen >= outlen)
                                return false;
                        memcpy(out, v, vlen);
                        out[vlen] = '\0';
                        return true;
                }
                i = end + 1;
        }
        return false;
}
