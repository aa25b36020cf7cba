/* export: the session as a Markdown report a helpdesk can paste into a
 * ticket: the input, every step's results with findings, fixes and who
 * has to act, the name's breakdown and the whole trace. Built from the
 * same docs the panes show. */
#include "wizard/wiz.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ptrwiz/escape.h"
#include "ptrwiz/report.h"

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

/* The mark is the only marker: a text that says it again ("Problem: ")
 * loses its word. */
static const char *unmarked(const char *text)
{
        static const char *const words[] = {"Problem: ", "Warning: ", "Note: "};
        for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
                if (strncmp(text, words[i], strlen(words[i])) == 0)
                        return text + strlen(words[i]);
        return text;
}

/* What only the screen needs: keys, "Esc cancels", "press r". */
static bool ui_only(const char *text)
{
        static const char *const ui[] = {"press ",  "Press ", "(Esc ",       "Esc leaves",
                                         "(i edit", "(Tab",   "Enter checks"};
        for (size_t i = 0; i < sizeof(ui) / sizeof(ui[0]); i++)
                if (strstr(text, ui[i]))
                        return true;
        return false;
}

static void line_md(FILE *out, const struct doc_line *l)
{
        if (l->style != DOC_CODE && l->text && ui_only(l->text))
                return;
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
                put_line(out, "", unmarked(l->text), "\n");
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
                put_line(out, "", l->text, "\n\n");
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
static void fence_line(FILE *out, size_t n)
{
        for (size_t k = 0; k < n; k++)
                fputc('`', out);
        fputc('\n', out);
}

/* A text of many lines (the trace) as one code block. */
static void code_text(FILE *out, const char *text)
{
        size_t fence = escape_fence_len(text, strlen(text)), n = strlen(text);
        fence_line(out, fence);
        fputs(text, out);
        if (n && text[n - 1] != '\n')
                fputc('\n', out);
        fence_line(out, fence);
        fputc('\n', out);
}

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

/* The trace as `ptrwiz trace` prints it (the pane's live log interleaves
 * servers as they answer). */
static void export_trace(FILE *out, const struct wiz *w)
{
        fprintf(out, "## The delegation trace\n\n");
        const struct trace_result *t = w->result ? w->result->trace : NULL;
        char *text = NULL;
        size_t len = 0;
        FILE *f = t ? open_memstream(&text, &len) : NULL;
        if (!f) {
                fprintf(out, "%s\n\n", w->trace_error[0] ? w->trace_error : "Not run.");
                return;
        }
        struct report_style plain = {0};
        report_trace_text(f, t, w->ip_text, &plain);
        fclose(f);
        for (char *c = text; c && *c; c++)
                if (*c == '\t') /* ldns's field separator: no control byte in the file */
                        *c = ' ';
        code_text(out, text ? text : "");
        free(text);
}

/* ISO 8601 with the offset: 2026-12-02T14:05:09+01:00. */
static void iso_now(char *buf, size_t len)
{
        time_t now = time(NULL);
        struct tm tm;
        char off[8] = "";
        buf[0] = '\0';
        if (!localtime_r(&now, &tm))
                return;
        strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
        strftime(off, sizeof(off), "%z", &tm);
        size_t n = strlen(buf);
        if (strlen(off) == 5)
                snprintf(buf + n, len - n, "%.3s:%s", off, off + 3);
}

static void export_header(FILE *out, const struct wiz *w)
{
        char when[64];
        iso_now(when, sizeof(when));
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
                fprintf(out, "- **Verdict:** %s\n", verdict_label(v));
                char who[500];
                check_actor_text(w->result, w->result->actor, who, sizeof(who));
                fprintf(out, "- **Who must act:** %s\n", finding_actor_brief(w->result->actor));
                put_line(out, "- **Who must act, in full:** ", who, "\n");
        }
        fprintf(out, "- **Runs:** %d\n\n", w->runs);
}

static void cell(FILE *out, const char *text)
{
        fputs(" ", out);
        put_md(out, text);
        fputs(" |", out);
}

/* First what a ticket needs, once: every problem with its fix and who
 * acts, as a table. */
static void export_summary(FILE *out, const struct wiz *w)
{
        if (!w->result)
                return;
        fprintf(out, "## Summary: what to fix and who\n\n");
        const struct findings *fs = &w->result->findings;
        size_t shown = 0;
        for (size_t i = 0; i < fs->n; i++) {
                const struct finding *f = &fs->v[i];
                if (f->severity == SEV_INFO)
                        continue;
                if (shown++ == 0)
                        fprintf(out, "| Severity | Code | Step | Problem | Fix | Who has to act |\n"
                                     "|---|---|---|---|---|---|\n|");
                else
                        fputs("|", out);
                char who[400], step[8];
                finding_who(w, f, who, sizeof(who));
                snprintf(step, sizeof(step), "%d", (int)finding_step(f) + 1);
                cell(out, f->severity == SEV_ERROR ? "error" : "warning");
                cell(out, finding_code_name(f->code));
                cell(out, step);
                cell(out, f->message);
                cell(out, f->fix ? f->fix : "");
                cell(out, who);
                fputs("\n", out);
        }
        fprintf(out, "%s\n", shown ? "" : "No problems found.\n");
        const char *local = w->result->trace ? w->result->trace->local_error : NULL;
        if (local) {
                struct doc d = {0};
                doc_local_error(&d, w);
                export_doc(out, &d);
                doc_clear(&d);
        }
}

/* The lines of the bounce that matter: the rejection and its code, the
 * DSN's status lines, and any line naming the IP. */
static bool bounce_line_matters(const char *l, size_t len, const struct wiz *w)
{
        static const char *const fields[] = {
            "Status:", "Diagnostic-Code:", "Remote-MTA:", "Reporting-MTA:", "Final-Recipient:"};
        while (len > 0 && (*l == ' ' || *l == '\t')) {
                l++;
                len--;
        }
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
                if (len >= strlen(fields[i]) && strncasecmp(l, fields[i], strlen(fields[i])) == 0)
                        return true;
        if (len >= 4 && (l[0] == '4' || l[0] == '5') && l[1] >= '0' && l[1] <= '9' && l[2] >= '0' &&
            l[2] <= '9' && (l[3] == ' ' || l[3] == '-'))
                return true;
        return w->has_ip && memmem(l, len, w->ip_text, strlen(w->ip_text)) != NULL;
}

/* Step 1 in the report: what the bounce says, then the lines of it that
 * matter (all of it with --report-full-bounce). */
static void export_step1(FILE *out, const struct wiz *w)
{
        struct doc d = {0};
        doc_add(&d, DOC_TITLE, TONE_NONE, NULL, "Step 1 of 5: %s", step_title(w, STEP_IDENTIFY));
        size_t lines = 0, kept = 0;
        if (w->input.len > 0 && !w->ident.just_an_ip) {
                doc_add(&d, DOC_HEADING, TONE_NONE, NULL,
                        w->report_full_bounce ? "The text given"
                                              : "The bounce, the lines that matter");
                for (const char *p = w->input.buf, *end = p + w->input.len; p < end;) {
                        const char *nl = memchr(p, '\n', (size_t)(end - p));
                        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
                        lines++;
                        if (w->report_full_bounce || bounce_line_matters(p, len, w)) {
                                doc_add_untrusted(&d, DOC_CODE, p, len, 0);
                                kept++;
                        }
                        p += len + 1;
                }
                if (kept < lines)
                        doc_add(&d, DOC_DIM, TONE_NONE, NULL,
                                "%zu of the text's %zu lines; the wizard's --report-full-bounce "
                                "includes all of them.",
                                kept, lines);
                doc_blank(&d);
        }
        step1_analysis(w, &d);
        if (w->has_ip)
                doc_field(&d, "Checked IP", TONE_NONE, "%s", w->ip_text);
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
        doc_for_report = true;
        export_header(out, w);
        export_summary(out, w);
        export_step1(out, w);
        for (enum wiz_step s = STEP_PTR; s < STEP__COUNT; s++) {
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
        doc_for_report = false;
}
