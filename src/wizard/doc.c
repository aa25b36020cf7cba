/* doc: styled lines for the panes and the report. */
#include "wizard/doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrwiz/escape.h"

void doc_clear(struct doc *d)
{
        for (size_t i = 0; i < d->n; i++) {
                free(d->v[i].label);
                free(d->v[i].text);
        }
        free(d->v);
        d->v = NULL;
        d->n = d->cap = 0;
}

static struct doc_line *doc_push(struct doc *d)
{
        if (d->n == d->cap) {
                size_t cap = d->cap ? d->cap * 2 : 32;
                struct doc_line *v = realloc(d->v, cap * sizeof(*v));
                if (!v)
                        return NULL;
                d->v = v;
                d->cap = cap;
        }
        struct doc_line *l = &d->v[d->n];
        memset(l, 0, sizeof(*l));
        return l;
}

/* One line per '\n'-separated part of text; the label goes on the first. */
static void doc_put(struct doc *d, enum doc_style style, enum doc_tone tone, const char *label,
                    const char *text)
{
        const char *p = text;
        do {
                size_t n = strcspn(p, "\n");
                struct doc_line *l = doc_push(d);
                if (!l)
                        return;
                l->text = strndup(p, n);
                l->label = label && p == text ? strdup(label) : NULL;
                if (!l->text) {
                        free(l->label);
                        return;
                }
                l->style = style;
                l->tone = tone;
                d->n++;
                p += n;
        } while (*p++ == '\n');
}

static void doc_vput(struct doc *d, enum doc_style style, enum doc_tone tone, const char *label,
                     const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static void doc_vput(struct doc *d, enum doc_style style, enum doc_tone tone, const char *label,
                     const char *fmt, va_list ap)
{
        char *text = NULL;
        if (vasprintf(&text, fmt, ap) < 0)
                return;
        doc_put(d, style, tone, label, text);
        free(text);
}

void doc_add(struct doc *d, enum doc_style style, enum doc_tone tone, const char *label,
             const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        doc_vput(d, style, tone, label, fmt, ap);
        va_end(ap);
}

void doc_text(struct doc *d, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        doc_vput(d, DOC_TEXT, TONE_NONE, NULL, fmt, ap);
        va_end(ap);
}

void doc_field(struct doc *d, const char *label, enum doc_tone tone, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        doc_vput(d, DOC_FIELD, tone, label, fmt, ap);
        va_end(ap);
}

void doc_blank(struct doc *d)
{
        if (d->n == 0 || d->v[d->n - 1].style == DOC_BLANK)
                return;
        doc_put(d, DOC_BLANK, TONE_NONE, NULL, "");
}

void doc_add_untrusted(struct doc *d, enum doc_style style, const char *bytes, size_t len,
                       int escape_flags)
{
        size_t i = 0;
        while (i < len) {
                size_t n = 0;
                while (i + n < len && bytes[i + n] != '\n')
                        n++;
                size_t end = n;
                if (end > 0 && bytes[i + end - 1] == '\r')
                        end--;
                char *safe = escape_dup(bytes + i, end, escape_flags | ESCAPE_KEEP_SPACE);
                if (safe)
                        doc_put(d, style, TONE_NONE, NULL, safe);
                free(safe);
                i += n + 1;
        }
}
