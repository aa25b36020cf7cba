/* where: the question "where did you create the PTR?". The commonest
 * delegation fault is a PTR made at a DNS provider the reverse zone is not
 * delegated to; the answer is used as --expect-ns is (the diagnosis runs
 * again with it). A typed word that is a zone (it has NS records) stands
 * for its name servers, so "dnsprovider.example.org" works as well as
 * "ns1.dnsprovider.example.org". One key offers the name servers of the
 * sending domain: users usually create the PTR where their domain is. */
#include "wizard/wiz.h"

#include <ctype.h>
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrwiz/escape.h"
#include "ptrwiz/hostname.h"
#include "ptrwiz/suffix.h"

#define WHERE_MAX ((int)(sizeof(((struct cli_common *)0)->expect_ns) / sizeof(char *)))

static void cancel_lookups(struct where *wh)
{
        for (int i = 0; i < wh->nwords; i++)
                if (wh->query[i] > 0 && wh->r)
                        resolver_cancel(wh->r, wh->query[i]);
        for (int i = 0; i < wh->nwords; i++) {
                resolver_answer_free(wh->answer[i]);
                wh->answer[i] = NULL;
                wh->query[i] = 0;
        }
        wh->nwords = wh->pending = 0;
}

void where_free(struct wiz *w)
{
        struct where *wh = &w->where;
        cancel_lookups(wh);
        if (wh->fwd_query > 0 && wh->r)
                resolver_cancel(wh->r, wh->fwd_query);
        wh->fwd_query = 0;
        resolver_free(wh->r);
        wh->r = NULL;
        wh->nfwd = 0;
        wh->fwd_domain[0] = '\0';
        wh->asking = false;
}

static struct resolver *where_resolver(struct wiz *w)
{
        char err[256];
        if (!w->where.r)
                w->where.r = resolver_new(&w->common.resolver, w->lp, err, sizeof(err));
        return w->where.r;
}

/* Lower case, no final dot; false when it is not a host name. */
static bool clean_name(const char *in, char *out, size_t len)
{
        char why[200];
        if (hostname_to_alabels(in, out, len, why, sizeof(why)) < 0)
                return false;
        size_t n = strlen(out);
        if (n > 1 && out[n - 1] == '.')
                out[n - 1] = '\0';
        for (char *c = out; *c; c++)
                *c = (char)tolower((unsigned char)*c);
        return strchr(out, '.') != NULL;
}

static int name_cmp(const void *a, const void *b)
{
        return strcmp(a, b);
}

/* Uses names as the name servers where the PTR was created and runs the
 * diagnosis again from the root with them. In order, whatever order the
 * DNS gave: the texts do not change between runs. */
static void where_apply(struct wiz *w, char names[][300], int n)
{
        struct cli_common *c = &w->common;
        qsort(names, (size_t)n, sizeof(names[0]), name_cmp);
        c->nexpect_ns = 0;
        for (int i = 0; i < n && c->nexpect_ns < WHERE_MAX; i++) {
                snprintf(c->expect_ns_buf[c->nexpect_ns], sizeof(c->expect_ns_buf[0]), "%s.",
                         names[i]);
                c->expect_ns[c->nexpect_ns] = c->expect_ns_buf[c->nexpect_ns];
                c->nexpect_ns++;
        }
        w->trace_wanted = true;
        if (session_run(w, true) < 0) {
                wiz_message(w, TONE_BAD, "%s", w->run_error);
                return;
        }
        char list[600];
        where_list(w, list, sizeof(list));
        wiz_message(w, TONE_NONE, "Tracing again: is the reverse zone delegated to %s?", list);
}

void where_list(const struct wiz *w, char *buf, size_t len)
{
        size_t n = 0;
        buf[0] = '\0';
        for (int i = 0; i < w->common.nexpect_ns && n < len; i++)
                n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
                                      w->common.expect_ns[i]);
}

static void words_done(struct wiz *w)
{
        struct where *wh = &w->where;
        char names[WHERE_MAX][300];
        int n = 0;
        for (int i = 0; i < wh->nwords && n < WHERE_MAX; i++) {
                const struct resolver_answer *a = wh->answer[i];
                if (a && a->status == RES_OK && a->ndata > 0) {
                        /* a zone: the provider's name servers */
                        for (size_t k = 0; k < a->ndata && n < WHERE_MAX; k++)
                                if (clean_name(a->data[k], names[n], sizeof(names[0])))
                                        n++;
                        continue;
                }
                snprintf(names[n++], sizeof(names[0]), "%s", wh->words[i]);
        }
        cancel_lookups(wh);
        where_apply(w, names, n);
}

static void word_answer(void *arg, struct resolver_answer *ans)
{
        struct where_slot *slot = arg;
        struct wiz *w = slot->w;
        struct where *wh = &w->where;
        wh->answer[slot->i] = ans;
        wh->query[slot->i] = 0;
        if (--wh->pending <= 0)
                words_done(w);
        w->dirty = true;
}

/* The typed text: name servers or the provider's domain, spaces or commas
 * between them. */
static void where_submit(struct wiz *w)
{
        struct where *wh = &w->where;
        cancel_lookups(wh);
        char *save = NULL;
        char text[sizeof(wh->text)];
        snprintf(text, sizeof(text), "%s", wh->text);
        for (char *t = strtok_r(text, " ,;\t", &save); t && wh->nwords < WHERE_MAX;
             t = strtok_r(NULL, " ,;\t", &save)) {
                char name[300];
                if (!clean_name(t, name, sizeof(name))) {
                        char shown[120];
                        escape_buf(t, strlen(t), 0, shown, sizeof(shown));
                        wiz_message(w, TONE_BAD,
                                    "\"%s\" is not a host name: type the provider's name servers "
                                    "(ns1.provider.example) or its domain.",
                                    shown);
                        return;
                }
                snprintf(wh->words[wh->nwords++], sizeof(wh->words[0]), "%s", name);
        }
        if (wh->nwords == 0) {
                wh->asking = false;
                return;
        }
        wh->asking = false;
        struct resolver *r = where_resolver(w);
        for (int i = 0; r && i < wh->nwords; i++) {
                char err[200];
                wh->slot[i] = (struct where_slot){w, i};
                wh->query[i] = resolver_query(r, wh->words[i], LDNS_RR_TYPE_NS, word_answer,
                                              &wh->slot[i], err, sizeof(err));
                if (wh->query[i] > 0)
                        wh->pending++;
        }
        if (wh->pending == 0)
                words_done(w);
        else
                wiz_message(w, TONE_NONE, "Looking up %s...", wh->text);
}

void where_ask(struct wiz *w)
{
        if (!w->has_ip) {
                wiz_message(w, TONE_WARN, "Give an IP address first (step 1).");
                return;
        }
        w->where.asking = true;
        w->where.len = 0;
        w->where.text[0] = '\0';
}

bool where_key(struct wiz *w, const struct key *k)
{
        struct where *wh = &w->where;
        if (!wh->asking)
                return false;
        w->dirty = true;
        if (!k->fn && (k->code == 27 || k->code == 3)) {
                wh->asking = false;
                return true;
        }
        if ((!k->fn && (k->code == '\r' || k->code == '\n')) || (k->fn && k->code == KEY_ENTER)) {
                where_submit(w);
                return true;
        }
        if ((k->fn && k->code == KEY_BACKSPACE) || (!k->fn && (k->code == 127 || k->code == 8))) {
                if (wh->len > 0)
                        wh->text[--wh->len] = '\0';
                return true;
        }
        if (!k->fn && k->code == 21) { /* C-u */
                wh->len = 0;
                wh->text[0] = '\0';
                return true;
        }
        /* Host names are ASCII (an IDN is typed as its A-labels or pasted). */
        if (!k->fn && k->code >= 32 && k->code < 127 && wh->len + 1 < sizeof(wh->text)) {
                wh->text[wh->len++] = (char)k->code;
                wh->text[wh->len] = '\0';
        }
        return true;
}

static void fwd_answer(void *arg, struct resolver_answer *ans)
{
        struct wiz *w = arg;
        struct where *wh = &w->where;
        wh->fwd_query = 0;
        wh->nfwd = 0;
        for (size_t k = 0; ans->status == RES_OK && k < ans->ndata && wh->nfwd < WHERE_MAX; k++)
                if (clean_name(ans->data[k], wh->fwd[wh->nfwd], sizeof(wh->fwd[0])))
                        wh->nfwd++;
        resolver_answer_free(ans);
        qsort(wh->fwd, (size_t)wh->nfwd, sizeof(wh->fwd[0]), name_cmp);
        w->dirty = true;
}

/* The sending domain: what the user said (--expect-host/--expect-domain),
 * else the PTR name when it is not the provider's default, else the
 * sending server the bounce names. */
static bool sending_domain(const struct wiz *w, char *out, size_t len)
{
        const struct check_result *res = w->result;
        const char *from = w->common.expect_domain ? w->common.expect_domain
                           : w->common.expect_host ? w->common.expect_host
                                                   : NULL;
        if (!from && res && res->ptr && res->ptr->status == RES_OK && res->ptr->ndata > 0 &&
            !findings_has(&res->findings, FINDING_PTR_GENERIC) &&
            !findings_has(&res->findings, FINDING_PTR_MISSING_FINAL_DOT))
                from = res->ptr->data[0];
        if (!from)
                from = w->ident.sending_host;
        char name[300];
        if (!from || !clean_name(from, name, sizeof(name)))
                return false;
        size_t host = suffix_host_len(name);
        snprintf(out, len, "%s", host ? name + host + 1 : name);
        return !suffix_is_public(out);
}

void where_update(struct wiz *w)
{
        struct where *wh = &w->where;
        char domain[300];
        if (!w->result || !sending_domain(w, domain, sizeof(domain)))
                return;
        if (strcmp(domain, wh->fwd_domain) == 0)
                return;
        snprintf(wh->fwd_domain, sizeof(wh->fwd_domain), "%s", domain);
        wh->nfwd = 0;
        struct resolver *r = where_resolver(w);
        char err[200];
        if (r)
                wh->fwd_query =
                    resolver_query(r, domain, LDNS_RR_TYPE_NS, fwd_answer, w, err, sizeof(err));
}

void where_use_forward(struct wiz *w)
{
        struct where *wh = &w->where;
        if (wh->nfwd == 0) {
                wiz_message(w, TONE_WARN,
                            "ptrwiz does not know your domain's name servers: press d and type "
                            "where you created the PTR.");
                return;
        }
        char names[WHERE_MAX][300];
        for (int i = 0; i < wh->nfwd; i++)
                snprintf(names[i], sizeof(names[0]), "%s", wh->fwd[i]);
        where_apply(w, names, wh->nfwd);
}

/* The question in a step: asked when the PTR is missing or wrong (step 2)
 * and at step 4; once answered it says what the trace checks. */
void where_doc(struct doc *d, const struct wiz *w)
{
        if (!w->result || w->check)
                return;
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "Where did you create the PTR?");
        if (w->common.nexpect_ns > 0) {
                char list[600];
                where_list(w, list, sizeof(list));
                doc_text(d,
                         "You created it at %s: the trace checks that the reverse zone is "
                         "delegated to these servers.",
                         list);
                doc_add(d, DOC_HINT, TONE_NONE, NULL, "d: say another provider");
                return;
        }
        doc_text(d, "Did you create the PTR yourself? At which DNS provider (its name servers, "
                    "or its name)? A PTR made at a provider that the reverse zone is not "
                    "delegated to is never seen: the trace checks that when it knows where.");
        doc_add(d, DOC_HINT, TONE_NONE, NULL, "d: type the provider's name servers or its domain");
        if (w->where.nfwd > 0) {
                char list[600];
                size_t n = 0;
                list[0] = '\0';
                for (int i = 0; i < w->where.nfwd && n < sizeof(list); i++)
                        n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s.", i ? ", " : "",
                                              w->where.fwd[i]);
                doc_add(d, DOC_HINT, TONE_NONE, NULL, "f: where %s is hosted (%s)",
                        w->where.fwd_domain, list);
        }
}

/* The prompt, in a box above the status line. */
void where_draw(struct wiz *w, struct rect status)
{
        if (!w->where.asking || status.y < 5)
                return;
        struct rect box = {status.y - 4, status.x, 4, status.w};
        ui_fill(&w->ui, box, ROLE_NORMAL);
        ui_box(&w->ui, box, "Where did you create the PTR?", true);
        ui_text(&w->ui, box.y + 1, box.x + 2, box.w - 4, ROLE_DIM,
                "Its name servers (ns1.provider.example ns2.provider.example) or its domain:");
        int x = box.x + 2;
        x += ui_text(&w->ui, box.y + 2, x, 2, ROLE_LABEL, "> ");
        int room = box.w - 4 - 2 - 1;
        const char *t = w->where.text;
        size_t len = w->where.len;
        if ((int)len > room && room > 0) { /* the end of a long line, where the cursor is */
                t += len - (size_t)room;
                len = (size_t)room;
        }
        x += ui_textn(&w->ui, box.y + 2, x, room, ROLE_EDIT, t, len);
        w->input.cur_y = box.y + 2;
        w->input.cur_x = x;
}
