/* export: the session as a Markdown report a helpdesk can paste into a
 * ticket: the input, every step's results with findings, fixes and who
 * has to act, the name's breakdown and the whole trace. Built from the
 * same docs the panes show. */
#include "wizard/wiz.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ptrwiz/escape.h"

static const char *mark_tag(enum doc_tone t)
{
        switch (t) {
        case TONE_GOOD:
                return "[ok] ";
        case TONE_WARN:
                return "[warning] ";
        case TONE_BAD:
                return "[problem] ";
        case TONE_BUSY:
                return "[running] ";
        default:
                return "";
        }
}

static bool is_list(enum doc_style s)
{
        return s == DOC_FIELD || s == DOC_MARK || s == DOC_VERDICT || s == DOC_FIX ||
               s == DOC_WHO || s == DOC_REF || s == DOC_ITEM;
}

/* Prose: Markdown that renders as the text itself, whatever bytes a
 * bounce or a DNS name put in it (escape_markdown). */
static void put_md(FILE *out, const char *text)
{
        char *md = escape_markdown_dup(text, strlen(text));
        fputs(md ? md : "(out of memory)", out);
        free(md);
}

/* One prose line: a prefix of ours, the escaped text, a suffix of ours. */
static void put_line(FILE *out, const char *prefix, const char *text, const char *suffix)
{
        fputs(prefix, out);
        put_md(out, text);
        fputs(suffix, out);
}

static void line_md(FILE *out, const struct doc_line *l)
{
        switch (l->style) {
        case DOC_TITLE:
                put_line(out, "## ", l->text, "\n\n");
                break;
        case DOC_HEADING:
                put_line(out, "### ", l->text, "\n\n");
                break;
        case DOC_FIELD:
                put_line(out, "- **", l->label ? l->label : "", ":** ");
                put_line(out, "", l->text, "\n");
                break;
        case DOC_MARK:
        case DOC_VERDICT:
                put_line(out, "- ", mark_tag(l->tone), "");
                put_line(out, "", l->text, "\n");
                break;
        case DOC_FIX:
                put_line(out, "  - **Fix:** ", l->text, "\n");
                break;
        case DOC_WHO:
                put_line(out, "  - **Who has to act:** ", l->text, "\n");
                break;
        case DOC_REF:
                put_line(out, "  - **Code:** ", l->text, "\n");
                break;
        case DOC_ITEM:
                put_line(out, "- ", l->text, l->tone == TONE_SELECTED ? " (picked)\n" : "\n");
                break;
        case DOC_INDENT:
                put_line(out, "  ", l->text, "\n\n");
                break;
        case DOC_BLANK:
        case DOC_HINT:
                break;
        default:
                put_line(out, "", l->text, "\n\n");
                break;
        }
}

/* Lines as they are, in a code block whose fence is longer than any run of
 * backticks in them: a line of ``` inside cannot end it early. */
static void code_block(FILE *out, const struct doc_line *v, size_t n)
{
        size_t fence = 3;
        for (size_t i = 0; i < n; i++) {
                size_t need = escape_fence_len(v[i].text, strlen(v[i].text));
                fence = need > fence ? need : fence;
        }
        for (size_t k = 0; k < fence; k++)
                fputc('`', out);
        fputc('\n', out);
        for (size_t i = 0; i < n; i++)
                fprintf(out, "%s\n", v[i].text);
        for (size_t k = 0; k < fence; k++)
                fputc('`', out);
        fputs("\n\n", out);
}

void export_doc(FILE *out, const struct doc *d)
{
        size_t i = 0;
        while (i < d->n) {
                const struct doc_line *l = &d->v[i];
                if (l->style == DOC_CODE) {
                        size_t end = i;
                        while (end < d->n && d->v[end].style == DOC_CODE)
                                end++;
                        code_block(out, l, end - i);
                        i = end;
                        continue;
                }
                line_md(out, l);
                bool next_list = i + 1 < d->n && is_list(d->v[i + 1].style);
                if (is_list(l->style) && !next_list)
                        fputc('\n', out);
                i++;
        }
}

/* Every line of the trace pane in one code block, as dig prints it. */
static void export_trace(FILE *out, const struct wiz *w)
{
        fprintf(out, "## The delegation trace\n\n");
        if (w->trace_lines.n == 0) {
                fprintf(out, "%s\n\n", "Not run.");
                return;
        }
        code_block(out, w->trace_lines.v, w->trace_lines.n);
}

static void export_header(FILE *out, const struct wiz *w)
{
        char when[64] = "";
        time_t now = time(NULL);
        struct tm tm;
        if (localtime_r(&now, &tm))
                strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", &tm);
        const struct resolver_opts *r = &w->common.resolver;
        const char *mode = r->resolver ? r->resolver : "recursive";
        char shown[300] = "";
        if (r->root_hints)
                escape_buf(r->root_hints, strlen(r->root_hints), ESCAPE_KEEP_SPACE, shown,
                           sizeof(shown));
        char mode_shown[200];
        escape_buf(mode, strlen(mode), 0, mode_shown, sizeof(mode_shown));
        fprintf(out, "# ptrwiz report: reverse DNS of %s\n\n", w->has_ip ? w->ip_text : "(no IP)");
        fprintf(out, "- **Date:** %s\n", when);
        fprintf(out, "- **Tool:** ptrwiz %s\n", PTRWIZ_VERSION);
        put_line(out, "- **Resolver:** ", mode_shown, shown[0] ? ", root hints " : "");
        put_line(out, "", shown, "\n");
        if (w->result) {
                enum verdict v = session_verdict(w);
                fprintf(out, "- **Verdict:** %s\n",
                        v == VERDICT_FAIL   ? "FAIL"
                        : v == VERDICT_WARN ? "WARN"
                                            : "PASS");
                char who[500];
                check_actor_text(w->result, w->result->actor, who, sizeof(who));
                fprintf(out, "- **Who must act:** %s\n", finding_actor_brief(w->result->actor));
                put_line(out, "- **Who must act, in full:** ", who, "\n");
        }
        fprintf(out, "- **Runs:** %d\n\n", w->runs);
}

/* First what a ticket needs: every finding with its fix and who acts. */
static void export_summary(FILE *out, const struct wiz *w)
{
        if (!w->result)
                return;
        struct doc d = {0};
        doc_add(&d, DOC_TITLE, TONE_NONE, NULL, "Summary: what to fix and who");
        doc_findings_to_fix(&d, w);
        if (d.n == 1)
                doc_text(&d, "No problems found.");
        export_doc(out, &d);
        doc_clear(&d);
}

int export_write(const struct wiz *w, const char *path, char *err, size_t errlen)
{
        FILE *out = fopen(path, "we");
        if (!out) {
                snprintf(err, errlen, "%s", strerror(errno));
                return -1;
        }
        export_stream(w, out);
        bool failed = ferror(out) != 0;
        if (fclose(out) != 0 || failed) {
                snprintf(err, errlen, "write error");
                return -1;
        }
        return 0;
}

void export_stream(const struct wiz *w, FILE *out)
{
        export_header(out, w);
        export_summary(out, w);
        for (enum wiz_step s = STEP_IDENTIFY; s < STEP__COUNT; s++) {
                struct doc d = {0};
                step_doc(w, s, &d);
                export_doc(out, &d);
                doc_clear(&d);
        }
        struct doc d = {0};
        doc_add(&d, DOC_TITLE, TONE_NONE, NULL, "The name, broken down");
        breakdown_doc(w, &d);
        export_doc(out, &d);
        doc_clear(&d);
        export_trace(out, w);
}
