/* Step 3, match the A record: each PTR name's A/AAAA records, whether one
 * of them is the IP (forward-confirmed reverse DNS), and the fix if not. */
#include "wizard/wiz.h"

#include <stdio.h>

static void addresses(struct doc *d, const struct check_result *res, const char *name,
                      const struct resolver_answer *a, const char *type)
{
        if (!a) {
                doc_add(d, DOC_CODE, TONE_NONE, NULL, "%s IN %s ; not asked", name, type);
                return;
        }
        if (a->status != RES_OK) {
                doc_add(d, DOC_CODE, TONE_NONE, NULL, "%s IN %s ; %s", name, type,
                        resolver_status_name(a->status));
                return;
        }
        for (size_t i = 0; i < a->ndata; i++) {
                bool same = addr_equal_text(&res->ip, a->data[i]);
                doc_add(d, DOC_CODE, same ? TONE_GOOD : TONE_NONE, NULL, "%s %u IN %s %s%s", name,
                        a->ttl, type, a->data[i], same ? "  <- the IP" : "");
        }
}

static void forward_name(struct doc *d, const struct check_result *res,
                         const struct check_forward *f, bool running)
{
        if (f->ulabel)
                doc_field(d, "PTR name", TONE_NONE, "%s (the IDN %s)", f->name, f->ulabel);
        else
                doc_field(d, "PTR name", TONE_NONE, "%s", f->name);
        addresses(d, res, f->name, f->a, "A");
        addresses(d, res, f->name, f->aaaa, "AAAA");
        if (running && (!f->a || !f->aaaa))
                doc_add(d, DOC_MARK, TONE_BUSY, NULL, "Looking up its addresses...");
        else if (f->matches)
                doc_add(d, DOC_MARK, TONE_GOOD, NULL, "%s leads back to %s.", f->name,
                        res->ip_text);
        else
                doc_add(d, DOC_MARK, TONE_BAD, NULL, "%s does not lead back to %s.", f->name,
                        res->ip_text);
        doc_blank(d);
}

void step3_doc(const struct wiz *w, struct doc *d)
{
        if (!w->has_ip) {
                doc_text(d, "Choose an IP address in step 1 first.");
                return;
        }
        const struct check_result *res = session_check(w);
        const struct resolver_answer *p = res ? res->ptr : NULL;
        bool skipped = p && !ptr_usable(p);
        if (!doc_run_status(d, w, p != NULL) && !w->check && !skipped) {
                doc_step_verdict(d, w, STEP_FORWARD, "the name leads back to the IP (FCrDNS).",
                                 "see the warning.", "receivers cannot confirm the name.");
                doc_blank(d);
                doc_findings(d, w, STEP_FORWARD);
                doc_blank(d);
                receivers_doc(d, w);
        }
        if (skipped)
                doc_add(d, DOC_MARK, TONE_NONE, NULL,
                        "Skipped: there is no PTR name to look up (%s). Fix step 2 first.",
                        p->dnssec == DNSSEC_BOGUS ? "the answer failed DNSSEC validation"
                                                  : resolver_status_name(p->status));
        doc_blank(d);
        if (p && !skipped) {
                doc_add(d, DOC_HEADING, TONE_NONE, NULL, "The names and their addresses");
                for (size_t i = 0; i < res->nforward; i++)
                        forward_name(d, res, &res->forward[i], w->check != NULL);
                if (res->nptr_total > res->nforward)
                        doc_add(d, DOC_DIM, TONE_NONE, NULL,
                                "%zu more PTR names were not looked up.",
                                res->nptr_total - res->nforward);
        }
        helpdesk_doc(d, w, STEP_FORWARD); /* last: the step reads as before it */
        doc_about(d,
                  "Receivers then look up the addresses of the PTR name: A records for IPv4, "
                  "AAAA for IPv6. One of them must be your IP. This is forward-confirmed "
                  "reverse DNS (FCrDNS): it shows that whoever runs the name agrees with "
                  "whoever runs the IP.",
                  !w->check, "Press Enter for step 4: trace the delegation from the root.");
}
