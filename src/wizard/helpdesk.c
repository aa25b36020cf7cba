/* helpdesk: the message for whoever must act (engine's ticket.h), shown
 * in the step its problem belongs to, copied with one key: OSC 52 puts it
 * on the clipboard of the terminal (over SSH too, in most terminals and
 * tmux with set-clipboard), and a file keeps it for attaching or mouse
 * copy. */
#include "wizard/wiz.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptrwiz/escape.h"
#include "ptrwiz/hostname.h"

void helpdesk_free(struct wiz *w)
{
        ticket_free(w->ticket);
        w->ticket = NULL;
        w->ticket_of = NULL;
}

/* The name the PTR should give: --expect-host, else the sending server
 * the bounce names. */
static const char *wanted_host(const struct wiz *w, char *buf, size_t len)
{
        if (w->common.expect_host)
                return w->common.expect_host;
        char why[200];
        if (w->ident.sending_host &&
            hostname_to_alabels(w->ident.sending_host, buf, len, why, sizeof(why)) == 0 &&
            strchr(buf, '.')) {
                size_t n = strlen(buf);
                if (buf[n - 1] != '.' && n + 1 < len)
                        memcpy(buf + n, ".", 2);
                return buf;
        }
        return NULL;
}

/* The ticket of the last complete run (rebuilt when the run changes). */
const struct ticket *helpdesk_ticket(struct wiz *w)
{
        if (w->check || !w->result)
                return NULL;
        if (w->ticket_of != w->result) {
                ticket_free(w->ticket);
                char host[300];
                struct ticket_opts o = {.host = wanted_host(w, host, sizeof(host)),
                                        .rejection = w->ident.reply};
                w->ticket = ticket_build(w->result, &o);
                w->ticket_of = w->result;
        }
        return w->ticket;
}

enum wiz_step helpdesk_step(const struct wiz *w)
{
        const struct findings *fs = w->ticket && w->result ? &w->result->findings : NULL;
        for (size_t i = 0; fs && i < fs->n; i++)
                if (fs->v[i].code == w->ticket->code)
                        return finding_step(&fs->v[i]);
        return STEP__COUNT;
}

/* The text in the pane: prose wraps to the pane, records and fields stay
 * whole lines that break only between fields, never inside a name. */
void helpdesk_doc(struct doc *d, const struct wiz *w, enum wiz_step s)
{
        const struct ticket *t = w->ticket;
        if (!t || helpdesk_step(w) != s)
                return;
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "A message for %s", t->to_who);
        if (doc_for_report) { /* as it is sent: one block to copy */
                for (const char *p = t->text; *p;) {
                        size_t len = strcspn(p, "\n");
                        doc_add(d, DOC_CODE, TONE_NONE, NULL, "%.*s", (int)len, p);
                        p += len + (p[len] == '\n');
                }
                doc_blank(d);
                return;
        }
        doc_add(d, DOC_HINT, TONE_NONE, NULL,
                "c copies it (clipboard and a file); z shows it "
                "on the whole screen");
        char para[2048];
        size_t n = 0;
        for (const char *p = t->text; *p;) {
                size_t len = strcspn(p, "\n");
                bool record = len >= 4 && strncmp(p, "    ", 4) == 0;
                if ((len == 0 || record) && n > 0) {
                        doc_text(d, "%s", para);
                        n = 0;
                }
                if (record)
                        doc_add(d, DOC_INDENT, TONE_NONE, NULL, "%.*s", (int)(len - 4), p + 4);
                else if (len == 0)
                        doc_blank(d);
                else if (strncmp(p, "To: ", 4) == 0 || strncmp(p, "Subject: ", 9) == 0)
                        doc_add(d, DOC_INDENT, TONE_NONE, NULL, "%.*s", (int)len, p);
                else if (n + len + 2 < sizeof(para))
                        n += (size_t)snprintf(para + n, sizeof(para) - n, "%s%.*s", n ? " " : "",
                                              (int)len, p);
                p += len + (p[len] == '\n');
        }
        if (n > 0)
                doc_text(d, "%s", para);
        doc_blank(d);
}

static char *base64(const char *s, size_t len)
{
        static const char tab[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;
        if (!out)
                return NULL;
        for (size_t i = 0; i < len; i += 3) {
                unsigned v = (unsigned char)s[i] << 16;
                if (i + 1 < len)
                        v |= (unsigned char)s[i + 1] << 8;
                if (i + 2 < len)
                        v |= (unsigned char)s[i + 2];
                *o++ = tab[(v >> 18) & 63];
                *o++ = tab[(v >> 12) & 63];
                *o++ = i + 1 < len ? tab[(v >> 6) & 63] : '=';
                *o++ = i + 2 < len ? tab[v & 63] : '=';
        }
        *o = '\0';
        return out;
}

/* OSC 52: the terminal's clipboard. Written between two screen updates,
 * straight to the terminal; it draws nothing. */
static void osc52(struct wiz *w, const char *text)
{
        char *b = base64(text, strlen(text));
        if (!b)
                return;
        fflush(w->ui.out);
        dprintf(fileno(w->ui.out), "\033]52;c;%s\a", b);
        free(b);
}

static int write_file(const char *path, const char *text, char *err, size_t errlen)
{
        FILE *f = fopen(path, "w");
        if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
                snprintf(err, errlen, "%s", strerror(errno));
                return -1;
        }
        return 0;
}

void helpdesk_copy(struct wiz *w)
{
        const struct ticket *t = helpdesk_ticket(w);
        if (!t) {
                wiz_message(w, TONE_WARN, "%s",
                            session_busy(w) ? "The diagnosis is still running: the message "
                                              "comes when it is done."
                                            : "No message to send: nobody else has to act.");
                return;
        }
        osc52(w, t->text);
        /* the current directory, else the temporary one (a read-only cwd) */
        char path[600], err[200], shown[700];
        snprintf(path, sizeof(path), "ptrwiz-ticket-%s.txt", w->ip_text);
        for (char *p = path; *p; p++)
                if (*p == ':')
                        *p = '-';
        if (write_file(path, t->text, err, sizeof(err)) < 0) {
                const char *tmp = getenv("TMPDIR");
                char alt[600];
                snprintf(alt, sizeof(alt), "%s/%s", tmp && *tmp ? tmp : "/tmp", path);
                if (write_file(alt, t->text, err, sizeof(err)) < 0) {
                        wiz_message(w, TONE_WARN, "Copied to the clipboard (OSC 52); no file: %s",
                                    err);
                        return;
                }
                snprintf(path, sizeof(path), "%s", alt);
        }
        char *full = realpath(path, NULL);
        escape_buf(full ? full : path, strlen(full ? full : path), ESCAPE_KEEP_SPACE, shown,
                   sizeof(shown));
        free(full);
        wiz_message(w, TONE_GOOD, "Message copied to the clipboard (OSC 52) and written to %s",
                    shown);
}
