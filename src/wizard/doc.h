/* doc: what a pane shows, as styled lines. One content model, two
 * renderers: the terminal (ui_doc_draw) and the Markdown report
 * (export_doc). Text in a doc must already be escaped; doc_add_untrusted
 * escapes bytes from the user. */
#ifndef PTRWIZ_WIZARD_DOC_H
#define PTRWIZ_WIZARD_DOC_H

#include <stddef.h>

enum doc_style {
        DOC_TITLE,   /* the pane's heading */
        DOC_HEADING, /* a section */
        DOC_TEXT,    /* prose, wrapped */
        DOC_DIM,     /* secondary prose */
        DOC_INDENT,  /* prose indented by two (a definition, a list item) */
        DOC_CODE,    /* DNS records and trace lines: hard-wrapped, a code block in Markdown */
        DOC_FIELD,   /* label and value */
        DOC_MARK,    /* a result with a pass/warn/fail mark */
        DOC_VERDICT, /* a step's verdict: a mark and the whole line in its colour */
        DOC_FIX,     /* what to do */
        DOC_WHO,     /* who has to do it */
        DOC_ITEM,    /* a list entry; TONE_SELECTED when picked */
        DOC_HINT,    /* what a key does next: on screen only, not in the report */
        DOC_REF,     /* a finding's code: in the report only (help/findings.txt has it) */
        DOC_BLANK,
};

enum doc_tone { TONE_NONE, TONE_GOOD, TONE_WARN, TONE_BAD, TONE_BUSY, TONE_SELECTED };

struct doc_line {
        enum doc_style style;
        enum doc_tone tone;
        char *label; /* DOC_FIELD's label, or NULL */
        char *text;
};

struct doc {
        struct doc_line *v;
        size_t n, cap;
};

/* Frees the lines; the doc stays usable and empty. */
void doc_clear(struct doc *d);

/* Appends a line (dropped when out of memory: a pane shows less, never
 * crashes). No blank line is added first or after another blank. */
void doc_add(struct doc *d, enum doc_style style, enum doc_tone tone, const char *label,
             const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void doc_text(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void doc_field(struct doc *d, const char *label, enum doc_tone tone, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void doc_blank(struct doc *d);

/* Appends bytes from the user or a file, escaped (one line per input line). */
void doc_add_untrusted(struct doc *d, enum doc_style style, const char *bytes, size_t len,
                       int escape_flags);

#endif
