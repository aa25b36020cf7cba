/* Step 1, identify the error: the pasted text (or a typed IP), what it
 * means, who sent it, and the addresses found in it to pick from. */
#include "wizard/wiz.h"

#include "ptrwiz/escape.h"

static void doc_copy(struct doc *d, const struct doc *from)
{
        for (size_t i = 0; i < from->n; i++)
                doc_add(d, from->v[i].style, from->v[i].tone, from->v[i].label, "%s",
                        from->v[i].text);
}

static void ip_list(struct doc *d, const struct wiz *w)
{
        const struct identify *id = &w->ident;
        const struct found_ip *f = &id->ips[w->pick < id->nips ? w->pick : 0];
        if (w->editing)
                doc_add(d, DOC_HINT, TONE_NONE, NULL, "Press Enter when the text is complete.");
        else
                doc_add(d, DOC_HINT, TONE_GOOD, NULL, "Press Enter to check %s%s", f->text,
                        id->nips > 1 ? "; Up/Down picks another address." : ".");
        if (id->just_an_ip)
                return;
        doc_blank(d);
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "%s",
                id->from_machine ? "The addresses this machine sends from"
                                 : "The sending IP as the text shows it");
        for (size_t i = 0; i < id->nips; i++) {
                const struct found_ip *ip = &id->ips[i];
                doc_add(d, DOC_ITEM, i == w->pick ? TONE_SELECTED : TONE_NONE, NULL, "%-15s %s%s",
                        ip->text, ip->context ? ip->context : "",
                        ip->sender ? " (the sender)" : "");
        }
}

/* Everything below the text box (the pane draws the box itself): the
 * headline, which address Enter checks, then the details. */
void step1_analysis(const struct wiz *w, struct doc *d)
{
        const struct identify *id = &w->ident;
        if (machine_busy(w)) {
                doc_add(d, DOC_MARK, TONE_BUSY, NULL,
                        "Looking at this machine: the addresses it would send from, its MTA's "
                        "settings and HELO name, and the PTR of each address... (Esc cancels)");
                return;
        }
        if (w->input.len == 0 && !id->from_machine) {
                doc_add(d, DOC_HINT, TONE_NONE, NULL,
                        "Paste the rejection you got (one line or the whole bounce e-mail) "
                        "or type the IP address of your mail server, then press Enter.");
                doc_add(d, DOC_HINT, TONE_NONE, NULL,
                        "Ctrl-J starts a new line when you type by hand; a paste keeps its "
                        "lines. Esc leaves the box; then m checks the addresses this machine "
                        "sends from instead (run ptrwiz on the mail server).");
                return;
        }
        doc_copy(d, &id->headline);
        if (id->nips == 0)
                doc_add(d, DOC_MARK, TONE_WARN, NULL, "%s",
                        id->hint[0] ? id->hint
                                    : "No IP address found in the text. Type the address of "
                                      "your mail server (press i to edit).");
        else
                ip_list(d, w);
        if (id->others.n) {
                doc_blank(d);
                doc_copy(d, &id->others);
        }
        doc_blank(d);
        doc_copy(d, &id->facts);
}

/* For the report: the text itself, then the analysis. */
void step1_doc(const struct wiz *w, struct doc *d)
{
        if (w->input.len > 0) {
                doc_add(d, DOC_HEADING, TONE_NONE, NULL, "The text given");
                doc_add_untrusted(d, DOC_CODE, w->input.buf, w->input.len, 0);
                doc_blank(d);
        }
        if (w->ident.headline.n || w->input.len == 0 || w->ident.from_machine)
                step1_analysis(w, d);
        if (w->has_ip)
                doc_field(d, "Checked IP", TONE_NONE, "%s", w->ip_text);
}
