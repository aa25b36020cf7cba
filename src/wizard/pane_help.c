/* The help pane: help/stepN.txt for the current step (step 1 adds the
 * bounce reader's help/bounce.txt), the keys from the one action table,
 * help/glossary.txt, and the findings reference (help/findings.txt). */
#include "wizard/wiz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HELP_MAX (64 * 1024)

/* $PTRWIZ_HELPDIR, then the installed directory, then the source tree. */
static char *help_read(const char *name, size_t *len)
{
        const char *dirs[] = {getenv("PTRWIZ_HELPDIR"), PTRWIZ_HELPDIR, PTRWIZ_SRC_HELPDIR};
        for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
                if (!dirs[i] || !dirs[i][0])
                        continue;
                char path[4096];
                snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
                FILE *f = fopen(path, "re");
                if (!f)
                        continue;
                char *buf = malloc(HELP_MAX + 1);
                size_t n = buf ? fread(buf, 1, HELP_MAX, f) : 0;
                fclose(f);
                if (!buf)
                        return NULL;
                buf[n] = '\0';
                *len = n;
                return buf;
        }
        return NULL;
}

/* A paragraph being joined from wrapped lines. */
struct para {
        char *buf;
        size_t n;
        enum doc_style style;
};

static void para_flush(struct doc *d, struct para *p)
{
        if (p->n > 0)
                doc_add_untrusted(d, p->style, p->buf, p->n, 0);
        p->n = 0;
}

static void para_append(struct para *p, const char *s, size_t l)
{
        if (p->n > 0)
                p->buf[p->n++] = ' ';
        memcpy(p->buf + p->n, s, l);
        p->n += l;
}

static bool is_underline(const char *s, size_t l)
{
        if (l < 3 || (s[0] != '=' && s[0] != '-'))
                return false;
        for (size_t i = 0; i < l; i++)
                if (s[i] != s[0])
                        return false;
        return true;
}

/* The help format (as help/bounce.txt): a line underlined with === or ---
 * is a heading; unindented lines join into paragraphs; indented lines join
 * into indented ones, where "- " starts a new item; a blank line ends a
 * paragraph. Joined paragraphs re-wrap to the pane's width. */
static void help_parse(struct doc *d, const char *text, size_t len)
{
        struct para p = {malloc(len + 1), 0, DOC_TEXT};
        if (!p.buf)
                return;
        const char *s = text, *end = text + len;
        while (s < end) {
                const char *nl = memchr(s, '\n', (size_t)(end - s));
                const char *next = nl ? nl + 1 : end;
                size_t l = (size_t)((nl ? nl : end) - s);
                while (l > 0 && (s[l - 1] == ' ' || s[l - 1] == '\r'))
                        l--;
                size_t ind = 0;
                while (ind < l && s[ind] == ' ')
                        ind++;
                const char *nl2 = next < end ? memchr(next, '\n', (size_t)(end - next)) : NULL;
                size_t l2 = next < end ? (size_t)((nl2 ? nl2 : end) - next) : 0;
                if (ind == l) {
                        para_flush(d, &p);
                        doc_blank(d);
                } else if (ind == 0 && is_underline(next, l2)) {
                        para_flush(d, &p);
                        doc_add_untrusted(d, DOC_HEADING, s, l, 0);
                        next = nl2 ? nl2 + 1 : end;
                } else {
                        enum doc_style st = ind ? DOC_INDENT : DOC_TEXT;
                        bool item = ind && l - ind >= 2 && !strncmp(s + ind, "- ", 2);
                        if (st != p.style || item)
                                para_flush(d, &p);
                        p.style = st;
                        para_append(&p, s + ind, l - ind);
                }
                s = next;
        }
        para_flush(d, &p);
        free(p.buf);
}

static void help_file(struct doc *d, const char *name)
{
        size_t len = 0;
        char *text = help_read(name, &len);
        if (!text) {
                doc_add(d, DOC_DIM, TONE_NONE, NULL,
                        "(help file %s not found; set PTRWIZ_HELPDIR to the help directory)", name);
                return;
        }
        help_parse(d, text, len);
        doc_blank(d);
        free(text);
}

static void keys(struct doc *d)
{
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "Keys");
        for (int a = ACT_NEXT; a < ACT__COUNT; a++) {
                if (a == ACT_FOCUS_PREV || a == ACT_FOCUS_LEFT || a == ACT_FOCUS_RIGHT ||
                    a == ACT_SCROLL_UP)
                        continue;
                doc_field(d, action_key(a), TONE_NONE, "%s", action_help(a));
        }
        doc_field(d, "/", TONE_NONE,
                  "search this help, or the trace pane when it has the focus; n: the next match");
        doc_field(d, "In step 1", TONE_NONE,
                  "i edits the text; while editing Enter submits, Ctrl-J adds a line, "
                  "Ctrl-U clears, Esc stops editing");
}

void help_doc(const struct wiz *w, struct doc *d)
{
        char name[32];
        snprintf(name, sizeof(name), "step%d.txt", (int)w->step + 1);
        help_file(d, name);
        if (w->step == STEP_IDENTIFY)
                help_file(d, "bounce.txt");
        if (w->step == STEP_PTR || w->step == STEP_FORWARD)
                help_file(d, "receivers.txt");
        keys(d);
        doc_blank(d);
        help_file(d, "glossary.txt");
        if (w->step != STEP_IDENTIFY)
                help_file(d, "findings.txt");
}

static void help_title(const struct wiz *w, char *buf, size_t len)
{
        snprintf(buf, len, "Help: step %d, keys, glossary (Esc closes)", (int)w->step + 1);
}

static void help_draw(struct wiz *w, struct pane *p, struct rect inner)
{
        struct doc d = {0};
        help_doc(w, &d);
        pane_doc_draw(w, p, inner, &d);
        doc_clear(&d);
}

const struct pane_ops pane_help_ops = {
    .name = "help",
    .title = help_title,
    .draw = help_draw,
    .key = NULL,
};
