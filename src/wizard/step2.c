/* Step 2, check the PTR: the reverse name asked, the answer or what its
 * absence means, TTLs, the verdict and the fix. */
#include "wizard/wiz.h"

#include "ptrwiz/report.h"

#include <stdlib.h>
#include <string.h>

/* Where a run stands when there is no answer to show; false when there is. */
bool doc_run_status(struct doc *d, const struct wiz *w, bool have_answer)
{
        if (w->run_error[0]) {
                doc_add(d, DOC_MARK, TONE_BAD, NULL, "The check could not run: %s", w->run_error);
                return true;
        }
        if (have_answer)
                return false;
        if (w->check)
                doc_add(d, DOC_MARK, TONE_BUSY, NULL,
                        "Asking the DNS from the root... %lld s (Esc cancels)",
                        (long long)((loop_now_ms() - w->run_started_ms) / 1000));
        else if (w->check_cancelled)
                doc_add(d, DOC_MARK, TONE_WARN, NULL, "Cancelled. Press r to ask again.");
        else
                doc_add(d, DOC_DIM, TONE_NONE, NULL, "Not asked yet: press r to check.");
        return true;
}

static void negative_ttl(struct doc *d, const struct resolver_answer *p)
{
        if (!p->soa_owner)
                return;
        char dur[64];
        duration_words(p->neg_ttl, dur, sizeof(dur));
        doc_field(d, "Negative TTL", TONE_NONE,
                  "%u s (%s): resolvers that got this answer may repeat it that long, even "
                  "after the fix (the lower of the SOA's TTL %u and MINIMUM %u of zone %s)",
                  p->neg_ttl, dur, p->soa_ttl, p->soa_minimum, p->soa_owner);
        if (!p->soa_text)
                return;
        /* ldns separates fields with tabs, which a pane cannot show */
        char *soa = strdup(p->soa_text);
        if (!soa)
                return;
        for (char *c = soa; *c; c++)
                if (*c == '\t')
                        *c = ' ';
        doc_add(d, DOC_CODE, TONE_NONE, NULL, "%s", soa);
        free(soa);
}

static void cname_lines(struct doc *d, const struct resolver_answer *p)
{
        for (size_t i = 0; i < p->ncname; i++)
                doc_add(d, DOC_CODE, TONE_NONE, NULL, "%s %u IN CNAME %s", p->cname_from[i],
                        resolver_cname_ttl(p, i), p->cname_to[i]);
}

/* The resolver got one answer, but the zone's servers give different ones. */
static void servers_disagree(struct doc *d, const struct check_result *res)
{
        char line[2000];
        if (!report_disagreement_line(res->trace, line, sizeof(line)))
                return;
        doc_add(d, DOC_MARK, TONE_BAD, NULL,
                "But the servers disagree: %s. A receiver gets one or the other, depending on "
                "the server its resolver asks; step 4 has the fix.",
                line);
}

static void answer_ok(struct doc *d, const struct check_result *res)
{
        const struct resolver_answer *p = res->ptr;
        cname_lines(d, p);
        const char *owner = p->ncname ? p->cname_to[p->ncname - 1] : res->names.owner;
        for (size_t i = 0; i < p->ndata; i++)
                doc_add(d, DOC_CODE, TONE_NONE, NULL, "%s %u IN PTR %s", owner, p->ttl, p->data[i]);
        doc_add(d, DOC_MARK, TONE_GOOD, NULL, "The PTR record exists: %s is named %s", res->ip_text,
                p->ndata ? p->data[0] : "?");
        servers_disagree(d, res);
        char dur[64];
        duration_words(p->ttl, dur, sizeof(dur));
        doc_field(d, "TTL", TONE_NONE, "%u s (%s): how long resolvers may keep this answer", p->ttl,
                  dur);
}

/* Why the name does not exist, for someone who never heard of NXDOMAIN. */
static void nxdomain_meaning(struct doc *d, const struct wiz *w, const struct check_result *res)
{
        if (findings_has(&res->findings, FINDING_IP_NOT_PUBLIC))
                doc_text(d, "This address is not on the public Internet, so no public PTR "
                            "record can exist for it: see the problem above.");
        else if (w->common.nexpect_ns > 0 &&
                 !findings_has(&res->findings, FINDING_EXPECT_NS_UNKNOWN))
                doc_text(d,
                         "Resolvers find no PTR record for this address. You created one "
                         "at %s: when it is there but resolvers do not see it, the reverse "
                         "zone is not delegated to that server. Step 4 checks that.",
                         w->common.expect_ns[0]);
        else
                doc_text(d, "There is no PTR record for this address. This is the most common "
                            "reason for a rejection: the holder of the IP block has not set the "
                            "reverse DNS.");
}

/* RFC 2317: the /24's CNAME exists, the name it points to does not. */
static void cname_missing(struct doc *d, const struct check_result *res)
{
        const struct resolver_answer *p = res->ptr;
        const char *to = p->cname_to[p->ncname - 1];
        cname_lines(d, p);
        doc_add(d, DOC_MARK, TONE_BAD, NULL, "%s: %s, where the CNAME points, %s.",
                p->status == RES_NXDOMAIN ? "NXDOMAIN" : "NODATA", to,
                p->status == RES_NXDOMAIN ? "does not exist" : "has no PTR record");
        doc_text(d,
                 "The /24's zone%s%s points this address into the classless zone %s (RFC "
                 "2317), and that zone has no PTR for it. Whoever runs %s (usually you or your "
                 "DNS provider, not the ISP) must add it there.",
                 res->cname_zone ? " " : "", res->cname_zone ? res->cname_zone : "",
                 res->zone ? res->zone : "?", res->zone ? res->zone : "that zone");
}

static void answer(struct doc *d, const struct wiz *w, const struct check_result *res)
{
        const struct resolver_answer *p = res->ptr;
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "The answer");
        switch (p->status) {
        case RES_OK:
                answer_ok(d, res);
                break;
        case RES_NXDOMAIN:
                if (p->ncname) {
                        cname_missing(d, res);
                } else {
                        doc_add(d, DOC_MARK, TONE_BAD, NULL,
                                "NXDOMAIN: the name %s does not exist.", res->names.owner);
                        nxdomain_meaning(d, w, res);
                }
                negative_ttl(d, p);
                break;
        case RES_NODATA:
                if (p->ncname) {
                        cname_missing(d, res);
                        negative_ttl(d, p);
                        break;
                }
                doc_add(d, DOC_MARK, TONE_BAD, NULL,
                        "NODATA: the name exists but has no PTR "
                        "record.");
                doc_text(d, "Something is at that name (other records, or names below it), but "
                            "no PTR. Often the PTR was added under a mistyped name or in the "
                            "wrong zone.");
                negative_ttl(d, p);
                break;
        case RES_TIMEOUT:
                doc_add(d, DOC_MARK, TONE_BAD, NULL, "No answer within %lld ms.",
                        (long long)p->rtt_ms);
                /* Our deadline cut it: only the trace can say whether a server is silent. */
                doc_text(d, "ptrwiz's deadline passed before the lookup finished. The findings "
                            "say whether the trace saw a server stay silent (step 4 shows which) "
                            "or the path is only slow, as with servers far away.");
                break;
        case RES_ERROR:
                doc_add(d, DOC_MARK, TONE_BAD, NULL, "The lookup failed on this computer: %s",
                        p->error ? p->error : "unknown error");
                break;
        default:
                doc_add(d, DOC_MARK, TONE_BAD, NULL, "SERVFAIL: the lookup failed (%s).",
                        resolver_rcode_name(p->rcode));
                if (res->forwarded && check_should_ask_again(res))
                        doc_text(d, "The resolver ptrwiz was told to use (--resolver) failed, "
                                    "though the zone's servers gave the trace (step 4) their "
                                    "answer: the failure is that resolver's, not the zone's. The "
                                    "fix below says what to try.");
                else if (res->ptr_asked_again)
                        doc_text(d, "A fresh resolver asked again and failed too, though the "
                                    "zone's servers gave the trace (step 4) their answer to plain "
                                    "queries: resolvers that ask as validating ones do fail on "
                                    "them. Receivers usually defer the mail (a 4xx error); the "
                                    "fix below says what the IP block holder must test.");
                else
                        doc_text(d, "The servers of the reverse zone gave no usable answer: they "
                                    "are down, refuse, or the delegation to them is broken. "
                                    "Receivers usually defer the mail (a 4xx error). Step 4 "
                                    "finds the server at fault.");
                break;
        }
        if (res->ptr_asked_again && p->status != RES_SERVFAIL)
                doc_add(d, DOC_DIM, TONE_NONE, NULL,
                        "The first lookup said %s though the trace had the zone's answer; a "
                        "fresh resolver asked again, and this is its answer.",
                        resolver_rcode_name(res->ptr_first_rcode));
        if (p->dnssec == DNSSEC_SECURE)
                doc_field(d, "DNSSEC", TONE_GOOD, "signed and valid");
        else if (p->dnssec == DNSSEC_BOGUS)
                doc_field(d, "DNSSEC", TONE_BAD, "validation failed: %s",
                          p->why_bogus ? p->why_bogus : "bogus");
        else if (p->dnssec == DNSSEC_UNKNOWN)
                doc_field(d, "DNSSEC", TONE_NONE, "unknown (no answer to validate)");
        else
                doc_field(d, "DNSSEC", TONE_NONE, "not signed (usual for reverse zones)");
}

/* A lookup that failed because of the delegation has its one finding in
 * step 4: say so here instead of a second, contradicting fix. */
static void cause_in_trace(struct doc *d, const struct check_result *res)
{
        if (res && ptr_usable(res->ptr) && trace_disagreement(res->trace)) {
                doc_add(d, DOC_MARK, TONE_BAD, NULL,
                        "The answer depends on the server asked (DELEGATION_INCONSISTENT: %s): "
                        "the answer below shows both, step 4 the fix.",
                        finding_code_summary(FINDING_DELEGATION_INCONSISTENT));
                doc_blank(d);
                return;
        }
        if (!res || ptr_usable(res->ptr))
                return;
        const struct findings *fs = &res->findings;
        for (size_t i = 0; i < fs->n; i++) {
                if (finding_step(&fs->v[i]) == STEP_PTR && fs->v[i].severity == SEV_ERROR)
                        return; /* step 2 has its own finding */
        }
        for (size_t i = 0; i < fs->n; i++)
                if (finding_step(&fs->v[i]) == STEP_TRACE && fs->v[i].severity == SEV_ERROR) {
                        doc_add(d, DOC_MARK, TONE_BAD, NULL,
                                "No usable answer, because of the delegation (%s: %s): step 4 "
                                "shows the server at fault and the fix.",
                                finding_code_name(fs->v[i].code),
                                finding_code_summary(fs->v[i].code));
                        doc_blank(d);
                        return;
                }
}

/* The step's verdict line: tone and words from the step state. */
void doc_step_verdict(struct doc *d, const struct wiz *w, enum wiz_step s, const char *pass,
                      const char *warn, const char *fail)
{
        enum step_state st = step_state(w, s);
        if (st == SS_PASS)
                doc_add(d, DOC_VERDICT, TONE_GOOD, NULL, "Verdict: PASS, %s", pass);
        else if (st == SS_WARN)
                doc_add(d, DOC_VERDICT, TONE_WARN, NULL, "Verdict: WARN, %s", warn);
        else if (st == SS_FAIL)
                doc_add(d, DOC_VERDICT, TONE_BAD, NULL, "Verdict: FAIL, %s", fail);
}

void step2_doc(const struct wiz *w, struct doc *d)
{
        if (!w->has_ip) {
                doc_text(d, "Choose an IP address in step 1 first.");
                return;
        }
        tour_doc(d, w);
        const struct check_result *res = session_check(w);
        bool answered = res && res->ptr;
        if (!doc_run_status(d, w, answered) && !w->check) {
                doc_step_verdict(d, w, STEP_PTR, "the PTR record is in order.",
                                 "the PTR works, but see the warning.",
                                 step_has_findings(w, STEP_PTR)
                                     ? "this is why receivers reject the mail."
                                 : res && ptr_usable(res->ptr) && trace_disagreement(res->trace)
                                     ? "the answer depends on the server asked: step 4 shows "
                                       "the fault and who has to act."
                                     : "no PTR answer comes back because of the delegation: "
                                       "step 4 shows the fault and who has to act.");
                doc_blank(d);
                doc_local_error(d, w);
                doc_findings(d, w, STEP_PTR);
                cause_in_trace(d, res);
                /* a missing or wrong PTR may have been made where it is never
                 * seen: asked before the message, which the answer changes */
                if (step_state(w, STEP_PTR) != SS_PASS || w->common.nexpect_ns > 0) {
                        where_doc(d, w);
                        doc_blank(d);
                }
        }
        doc_blank(d);
        struct revname_breakdown b;
        revname_breakdown(&w->ip, &b);
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "The question");
        doc_field(d, "IP address", TONE_NONE, "%s", w->ip_text);
        doc_field(d, "Asks for", TONE_NONE, "%s PTR", b.owner);
        int cut = res && res->zone ? revname_find_cut(&b, res->zone) : -1;
        if (cut >= 0)
                doc_field(d, "In zone", TONE_NONE, "%s, where the record's name is \"%s\"",
                          res->zone, b.cuts[cut].label);
        else if (res && res->zone)
                doc_field(d, "In zone", TONE_NONE, "%s", res->zone);
        doc_blank(d);
        if (answered) {
                answer(d, w, res);
                doc_blank(d);
        }
        helpdesk_doc(d, w, STEP_PTR); /* last: the step reads as before it */
        doc_about(d,
                  "A receiving mail server turns your IP into a name by asking the DNS for the "
                  "PTR record at the IP's reverse name. Without a good answer many receivers "
                  "refuse the mail.",
                  !w->check,
                  res && !ptr_usable(res->ptr)
                      ? "Press Enter: step 3 is skipped (there is no PTR name to look up), then "
                        "step 4 traces the delegation."
                      : "Press Enter for step 3: does the name lead back to the IP?");
}
