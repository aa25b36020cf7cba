/* Step 5's delivery test (opt-in, never automatic): s asks for an address
 * of the user's, then the smtp module sends a test from this machine (from
 * the diagnosed IP when it is one of this machine's addresses) and its
 * transcript shows in step 5's pane as it happens. */
#include "wizard/wiz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ptrwiz/escape.h"
#include "ptrwiz/smtp.h"

struct wiz_delivery {
        bool prompting;
        char to[320];
        size_t tolen;
        char to_sent[320]; /* the address of the test shown */
        char source[ADDR_STRLEN];
        bool source_local;
        struct resolver *resolver; /* its own: a re-test replaces the session's */
        struct smtp_test *test;
        struct doc lines; /* the transcript so far */
        struct smtp_result *res;
        char error[300];
};

static struct wiz_delivery *get(struct wiz *w)
{
        if (!w->delivery)
                w->delivery = calloc(1, sizeof(*w->delivery));
        return w->delivery;
}

bool delivery_prompting(const struct wiz *w)
{
        return w->delivery && w->delivery->prompting;
}

bool delivery_busy(const struct wiz *w)
{
        return w->delivery && w->delivery->test;
}

/* Whether this machine has the address: binding a UDP socket to it works. */
static bool address_is_local(const struct addr *a)
{
        struct sockaddr_storage ss;
        socklen_t sl = addr_sockaddr(a, 0, &ss);
        int fd = socket(a->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return false;
        bool ok = bind(fd, (struct sockaddr *)&ss, sl) == 0;
        close(fd);
        return ok;
}

static void on_line(void *arg, const struct smtp_line *l)
{
        struct wiz *w = arg;
        struct doc *d = &w->delivery->lines;
        if (l->dir == SMTP_RECEIVED)
                doc_add(d, DOC_CODE, TONE_NONE, NULL, "%s", l->text);
        else if (l->dir == SMTP_SENT)
                doc_add(d, DOC_CODE, TONE_NONE, NULL, ";; -> %s", l->text);
        else
                doc_add(d, DOC_CODE, TONE_NONE, NULL, ";; %s", l->text);
        w->dirty = true;
}

static void on_done(void *arg, struct smtp_result *res)
{
        struct wiz *w = arg;
        struct wiz_delivery *dv = w->delivery;
        dv->test = NULL;
        dv->res = res;
        resolver_free(dv->resolver);
        dv->resolver = NULL;
        w->dirty = true;
        wiz_message(w, res->verdict == SMTP_ACCEPTED ? TONE_GOOD : TONE_BAD, "Delivery test: %s",
                    res->summary);
}

static void clear_run(struct wiz_delivery *dv)
{
        if (dv->test)
                smtp_cancel(dv->test);
        dv->test = NULL;
        resolver_free(dv->resolver);
        dv->resolver = NULL;
        smtp_result_free(dv->res);
        dv->res = NULL;
        doc_clear(&dv->lines);
        dv->error[0] = '\0';
}

static void send_test(struct wiz *w)
{
        struct wiz_delivery *dv = w->delivery;
        clear_run(dv);
        snprintf(dv->to_sent, sizeof(dv->to_sent), "%.*s", (int)dv->tolen, dv->to);
        dv->source_local = w->has_ip && address_is_local(&w->ip);
        snprintf(dv->source, sizeof(dv->source), "%s", dv->source_local ? w->ip_text : "");
        struct smtp_opts o = {.to = dv->to_sent,
                              .source = dv->source_local ? dv->source : NULL,
                              .on_line = on_line,
                              .line_arg = w};
        char err[300];
        if (smtp_opts_check(&o, err, sizeof(err)) < 0) {
                snprintf(dv->error, sizeof(dv->error), "%s", err);
                return;
        }
        dv->resolver = resolver_new(&w->common.resolver, w->lp, err, sizeof(err));
        if (!dv->resolver) {
                snprintf(dv->error, sizeof(dv->error), "%s", err);
                return;
        }
        dv->test = smtp_start(dv->resolver, &o, on_done, w, err, sizeof(err));
        if (!dv->test) {
                snprintf(dv->error, sizeof(dv->error), "%s", err);
                resolver_free(dv->resolver);
                dv->resolver = NULL;
        }
}

void delivery_offer(struct wiz *w)
{
        if (w->step != STEP_RETEST) {
                wiz_message(w, TONE_NONE, "The delivery test is in step 5 (Test again).");
                return;
        }
        struct wiz_delivery *dv = get(w);
        if (!dv)
                return;
        if (dv->test) {
                wiz_message(w, TONE_WARN, "A delivery test is running (Esc cancels it).");
                return;
        }
        dv->prompting = true;
        w->focus = PANE_MAIN;
        w->dirty = true;
}

void delivery_cancel(struct wiz *w)
{
        struct wiz_delivery *dv = w->delivery;
        if (!dv)
                return;
        if (dv->test) {
                smtp_cancel(dv->test);
                dv->test = NULL;
                resolver_free(dv->resolver);
                dv->resolver = NULL;
                snprintf(dv->error, sizeof(dv->error), "cancelled");
        }
        dv->prompting = false;
}

/* Keys while the address is typed: printable ASCII, Backspace, Enter, Esc. */
void delivery_prompt_key(struct wiz *w, const struct key *k)
{
        struct wiz_delivery *dv = w->delivery;
        w->dirty = true;
        if (k->fn && (k->code == KEY_BACKSPACE || k->code == KEY_DC)) {
                if (dv->tolen)
                        dv->tolen--;
                return;
        }
        if (k->fn)
                return;
        if (k->code == 27) {
                dv->prompting = false;
                return;
        }
        if (k->code == 127 || k->code == 8) {
                if (dv->tolen)
                        dv->tolen--;
                return;
        }
        if (k->code == '\r' || k->code == '\n') {
                if (dv->tolen == 0)
                        return;
                dv->prompting = false;
                send_test(w);
                return;
        }
        if (k->code > 0x20 && k->code < 0x7f && dv->tolen + 1 < sizeof(dv->to))
                dv->to[dv->tolen++] = (char)k->code;
}

void delivery_doc(const struct wiz *w, struct doc *d)
{
        const struct wiz_delivery *dv = w->delivery;
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "Send a test to an address of yours");
        if (dv && dv->prompting) {
                char shown[400];
                escape_buf(dv->to, dv->tolen, 0, shown, sizeof(shown));
                doc_field(d, "Send to", TONE_SELECTED, "%s_", shown);
                doc_add(d, DOC_HINT, TONE_NONE, NULL,
                        "Type an address of yours at the receiver that rejected you, then "
                        "Enter (Esc: no test).");
                return;
        }
        if (!dv || (!dv->test && !dv->res && !dv->error[0])) {
                doc_text(d, "Nothing is sent unless you ask: s sends a short test from this "
                            "machine (EHLO, STARTTLS, MAIL FROM, RCPT TO, QUIT) to an address "
                            "of yours and shows what the receiver answers.");
                doc_add(d, DOC_HINT, TONE_NONE, NULL, "Press s to send a test.");
                return;
        }
        char to[400];
        escape_buf(dv->to_sent, strlen(dv->to_sent), 0, to, sizeof(to));
        doc_field(d, "To", TONE_NONE, "%s", to);
        doc_field(d, "From", TONE_NONE, "%s",
                  dv->source_local ? dv->source
                                   : "this machine's default address (the diagnosed IP is not "
                                     "one of its own)");
        if (dv->error[0] && !dv->res) {
                char e[400];
                escape_buf(dv->error, strlen(dv->error), ESCAPE_KEEP_SPACE, e, sizeof(e));
                doc_add(d, DOC_MARK, TONE_WARN, NULL, "No test: %s", e);
        }
        if (dv->test)
                doc_add(d, DOC_MARK, TONE_BUSY, NULL, "Sending the test... (Esc cancels)");
        if (dv->res) {
                const struct smtp_result *r = dv->res;
                enum doc_tone tone = r->verdict == SMTP_ACCEPTED ? TONE_GOOD : TONE_BAD;
                doc_add(d, DOC_VERDICT, tone, NULL, "%s", r->summary);
                if (r->note)
                        doc_add(d, DOC_MARK, TONE_WARN, NULL, "%s", r->note);
        }
        for (size_t i = 0; i < dv->lines.n; i++)
                doc_add(d, DOC_CODE, TONE_NONE, NULL, "%s", dv->lines.v[i].text);
        if (!dv->test)
                doc_add(d, DOC_HINT, TONE_NONE, NULL, "Press s to send another test.");
}

void delivery_free(struct wiz *w)
{
        if (!w->delivery)
                return;
        clear_run(w->delivery);
        free(w->delivery);
        w->delivery = NULL;
}
