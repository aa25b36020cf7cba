/* Step 5, test again: the overall verdict of the latest run, what changed
 * since the run before, how long caches may still give the old answer,
 * the watch, and the history of runs. */
#include "wizard/wiz.h"

#include <stdio.h>
#include <string.h>

#include "ptrwiz/compare.h"
#include "ptrwiz/resview.h"

/* The engine's comparison of the two runs (the same as check --watch). */
/* Two runs, two PTRs: a fix, or servers that disagree. */
static void ptr_change_why(struct doc *d, const struct check_result *old,
                           const struct check_result *now)
{
        bool disagree = trace_disagreement(now->trace) || trace_disagreement(old->trace);
        doc_text(d, "%s",
                 disagree ? "The zone's servers give different PTRs, so each run (and each "
                            "receiver) gets the answer of whichever server it asks: step 4 "
                            "shows which server is stale."
                          : "Either the PTR was just changed, or the zone's servers give "
                            "different answers: step 4 asks every one of them.");
}

static void changes(struct doc *d, const struct wiz *w)
{
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "What changed since the run before");
        const struct check_result *old = w->previous, *now = w->result;
        if (!old || !now) {
                doc_add(d, DOC_DIM, TONE_NONE, NULL,
                        "Nothing to compare yet: the next run (Enter or r) is compared with "
                        "this one.");
                return;
        }
        struct compare_changes c = {0};
        if (compare_results(old, now, &c) < 0) {
                doc_add(d, DOC_DIM, TONE_NONE, NULL, "Out of memory comparing the runs.");
                return;
        }
        for (size_t i = 0; i < c.n; i++) {
                const struct compare_change *ch = &c.v[i];
                enum doc_tone tone = ch->kind == CHANGE_FINDING_NEW ? severity_tone(ch->severity)
                                     : ch->direction > 0            ? TONE_GOOD
                                     : ch->direction < 0            ? TONE_BAD
                                                                    : TONE_NONE;
                doc_add(d, DOC_MARK, tone, NULL, "%s", ch->text);
                if (ch->kind == CHANGE_PTR)
                        ptr_change_why(d, old, now);
        }
        if (c.n == 0)
                doc_add(d, DOC_MARK, TONE_NONE, NULL, "Nothing changed.");
        compare_changes_clear(&c);
}

/* The longest TTL among the PTR name's addresses. */
static uint32_t forward_ttl(const struct check_result *r)
{
        uint32_t ttl = 0;
        for (size_t i = 0; i < r->nforward; i++) {
                const struct resolver_answer *both[2] = {r->forward[i].a, r->forward[i].aaaa};
                for (int k = 0; k < 2; k++) {
                        const struct resolver_answer *a = both[k];
                        uint32_t t = !a ? 0 : a->status == RES_OK ? a->ttl : a->neg_ttl;
                        if (t > ttl)
                                ttl = t;
                }
        }
        return ttl;
}

static void cache_line(struct doc *d, const char *what, uint32_t ttl, time_t from)
{
        char dur[64], until[16] = "";
        duration_words(ttl, dur, sizeof(dur));
        time_t end = from + (time_t)ttl;
        struct tm tm;
        if (localtime_r(&end, &tm))
                strftime(until, sizeof(until), "%H:%M:%S", &tm);
        doc_field(d, what, TONE_NONE, "up to %u s (%s), at the latest until %s", ttl, dur, until);
}

static void caches(struct doc *d, const struct wiz *w)
{
        const struct check_result *old = w->previous ? w->previous : w->result;
        if (!old || !old->ptr)
                return;
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "How long caches may give the old answer");
        doc_text(d,
                 "ptrwiz asks from the root with an empty cache, so it sees a fix at once. "
                 "A receiver's resolver that already has the %s answer may keep it until its "
                 "TTL runs out:",
                 w->previous ? "old" : "current");
        const struct resolver_answer *p = old->ptr;
        if (p->status == RES_OK)
                cache_line(d, "PTR answer", p->ttl, w->run_wall);
        else if (p->soa_owner)
                cache_line(d, "No-PTR answer", p->neg_ttl, w->run_wall);
        else
                doc_add(d, DOC_DIM, TONE_NONE, NULL,
                        "Failures (SERVFAIL, timeouts) are cached only briefly, seconds to "
                        "minutes.");
        uint32_t fttl = forward_ttl(old);
        if (old->nforward)
                cache_line(d, "A/AAAA answer", fttl, w->run_wall);
}

/* --resolver-view: what the named resolvers hold now, and for how long. */
static void resolver_views(struct doc *d, const struct wiz *w)
{
        const struct check_result *now = w->result;
        if (!now || now->nviews == 0)
                return;
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "What the resolvers you named hold now");
        for (size_t i = 0; i < now->nviews; i++) {
                struct resview_line l;
                resview_describe(&now->views[i], now, &l);
                doc_add(d, DOC_MARK,
                        l.state == RESVIEW_FAILED ? TONE_BAD
                        : l.stale                 ? TONE_WARN
                                                  : TONE_GOOD,
                        NULL, "%s", l.text);
        }
        doc_blank(d);
}

static void history(struct doc *d, const struct wiz *w)
{
        if (w->nhistory == 0)
                return;
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "Runs");
        for (size_t i = w->nhistory; i-- > 0;) {
                const struct run_log *l = &w->history[i];
                char when[16] = "";
                struct tm tm;
                if (localtime_r(&l->when, &tm))
                        strftime(when, sizeof(when), "%H:%M:%S", &tm);
                enum doc_tone tone = l->verdict == VERDICT_FAIL ? TONE_BAD
                                     : l->verdict == VERDICT_WARN || l->verdict == VERDICT_UNKNOWN
                                         ? TONE_WARN
                                         : TONE_GOOD;
                doc_add(d, DOC_MARK, tone, NULL, "%s %s  %s", when, verdict_name(l->verdict),
                        l->what);
        }
}

static void overall(struct doc *d, const struct wiz *w)
{
        if (w->check) {
                doc_add(d, DOC_MARK, TONE_BUSY, NULL,
                        "Testing again from the root... (Esc "
                        "cancels)");
                return;
        }
        if (doc_run_status(d, w, w->result != NULL))
                return;
        switch (session_verdict(w)) {
        case VERDICT_PASS:
                doc_add(d, DOC_VERDICT, TONE_GOOD, NULL,
                        "PASS: as far as reverse DNS goes, receivers should accept mail from %s.",
                        w->ip_text);
                break;
        case VERDICT_WARN:
                doc_add(d, DOC_VERDICT, TONE_WARN, NULL,
                        "PASS with warnings: mail from %s should get through, but some "
                        "receivers may still score it down.",
                        w->ip_text);
                break;
        case VERDICT_UNKNOWN:
                doc_add(d, DOC_VERDICT, TONE_WARN, NULL,
                        "UNKNOWN: this machine reached no DNS server, so nothing is known yet "
                        "about %s. Fix this machine's connection (the problem above) and test "
                        "again.",
                        w->ip_text);
                break;
        default:
                doc_add(d, DOC_VERDICT, TONE_BAD, NULL,
                        "FAIL: receivers will still reject or junk mail from %s.", w->ip_text);
                break;
        }
}

static void watch(struct doc *d, const struct wiz *w)
{
        if (!w->watching) {
                bool passes = w->result && session_verdict(w) == VERDICT_PASS;
                doc_field(d, "Watch", TONE_NONE, "off: press w to re-test every %d s%s",
                          w->watch_interval_s, passes ? "" : " until it passes");
                return;
        }
        int64_t left = (w->watch_due - loop_now_ms() + 999) / 1000;
        if (session_busy(w) || left < 0)
                doc_field(d, "Watch", TONE_BUSY, "on, testing now (w stops)");
        else
                doc_field(d, "Watch", TONE_BUSY, "on, next test in %lld s (w stops)",
                          (long long)left);
}

void step5_doc(const struct wiz *w, struct doc *d)
{
        if (!w->has_ip) {
                doc_text(d, "Choose an IP address in step 1 first.");
                return;
        }
        overall(d, w);
        doc_field(d, "Runs", TONE_NONE, "%d for %s", w->runs, w->ip_text);
        watch(d, w);
        doc_blank(d);
        if (!session_busy(w)) {
                changes(d, w);
                doc_blank(d);
                caches(d, w);
                doc_blank(d);
                resolver_views(d, w);
        }
        history(d, w);
        if (w->result && !session_busy(w) && session_verdict(w) != VERDICT_PASS) {
                doc_blank(d);
                doc_add(d, DOC_HEADING, TONE_NONE, NULL, "What is left to do");
                doc_findings_to_fix(d, w);
        }
        doc_blank(d);
        delivery_doc(w, d);
        doc_blank(d);
        doc_about(d,
                  "After a fix, test again here: everything is asked again from the root with "
                  "an empty cache. w re-tests on its own until it passes.",
                  true, "Press Enter or r to test again, e to export a report.");
}
