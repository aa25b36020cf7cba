/* export: the session as a Markdown report a helpdesk can paste into a
 * ticket: the input, every step's results with findings, fixes and who
 * has to act, the name's breakdown and the whole trace. Built from the
 * same docs the panes show. */
#include "wizard/wiz.h"

#include <errno.h>
#include <stdio.h>
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
               s == DOC_WHO || s == DOC_ITEM;
}

static void line_md(FILE *out, const struct doc_line *l)
{
        switch (l->style) {
        case DOC_TITLE:
                fprintf(out, "## %s\n\n", l->text);
                break;
        case DOC_HEADING:
                fprintf(out, "### %s\n\n", l->text);
                break;
        case DOC_FIELD:
                fprintf(out, "- **%s:** %s\n", l->label ? l->label : "", l->text);
                break;
        case DOC_MARK:
        case DOC_VERDICT:
                fprintf(out, "- %s%s\n", mark_tag(l->tone), l->text);
                break;
        case DOC_FIX:
                fprintf(out, "  - **Fix:** %s\n", l->text);
                break;
        case DOC_WHO:
                fprintf(out, "  - **Who has to act:** %s\n", l->text);
                break;
        case DOC_ITEM:
                fprintf(out, "- %s%s\n", l->text, l->tone == TONE_SELECTED ? " (picked)" : "");
                break;
        case DOC_INDENT:
                fprintf(out, "  %s\n\n", l->text);
                break;
        case DOC_BLANK:
        case DOC_HINT:
                break;
        default:
                fprintf(out, "%s\n\n", l->text);
                break;
        }
}

void export_doc(FILE *out, const struct doc *d)
{
        bool code = false;
        for (size_t i = 0; i < d->n; i++) {
                const struct doc_line *l = &d->v[i];
                if ((l->style == DOC_CODE) != code) {
                        fputs("```\n", out);
                        code = !code;
                        if (!code)
                                fputc('\n', out);
                }
                if (code) {
                        fprintf(out, "%s\n", l->text);
                        continue;
                }
                line_md(out, l);
                bool next_list = i + 1 < d->n && is_list(d->v[i + 1].style);
                if (is_list(l->style) && !next_list)
                        fputc('\n', out);
        }
        if (code)
                fputs("```\n\n", out);
}

/* Every line of the trace pane in one code block, as dig prints it. */
static void export_trace(FILE *out, const struct wiz *w)
{
        fprintf(out, "## The delegation trace\n\n");
        if (w->trace_lines.n == 0) {
                fprintf(out, "%s\n\n", "Not run.");
                return;
        }
        fputs("```\n", out);
        for (size_t i = 0; i < w->trace_lines.n; i++)
                fprintf(out, "%s\n", w->trace_lines.v[i].text);
        fputs("```\n\n", out);
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
        fprintf(out, "- **Resolver:** %s%s%s\n", mode_shown, shown[0] ? ", root hints " : "",
                shown);
        if (w->result) {
                enum verdict v = session_verdict(w);
                fprintf(out, "- **Verdict:** %s\n",
                        v == VERDICT_FAIL   ? "FAIL"
                        : v == VERDICT_WARN ? "WARN"
                                            : "PASS");
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
        bool failed = ferror(out) != 0;
        if (fclose(out) != 0 || failed) {
                snprintf(err, errlen, "write error");
                return -1;
        }
        return 0;
}
