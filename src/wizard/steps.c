/* steps: the five steps, the state each one shows in the step list, and
 * the findings of each step; which step a finding belongs to and who acts
 * on it come from the engine (struct finding's step and actor). */
#include "wizard/wiz.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static const struct {
        const char *name, *title;
        void (*doc)(const struct wiz *w, struct doc *d);
} steps[STEP__COUNT] = {
    {"Identify error", "Identify the error", step1_doc},
    {"Check PTR", "Check the PTR record", step2_doc},
    {"Match A record", "Match the A record", step3_doc},
    {"Trace delegation", "Trace the delegation", step4_doc},
    {"Test again", "Test again", step5_doc},
};

static bool ipv6(const struct wiz *w)
{
        return w->has_ip && w->ip.family == AF_INET6;
}

const char *step_name(const struct wiz *w, enum wiz_step s)
{
        return s == STEP_FORWARD && ipv6(w) ? "Match AAAA record" : steps[s].name;
}

const char *step_title(const struct wiz *w, enum wiz_step s)
{
        return s == STEP_FORWARD && ipv6(w) ? "Match the AAAA record" : steps[s].title;
}

void step_doc(const struct wiz *w, enum wiz_step s, struct doc *d)
{
        doc_add(d, DOC_TITLE, TONE_NONE, NULL, "Step %d of 5: %s", (int)s + 1, step_title(w, s));
        steps[s].doc(w, d);
}

/* The engine's guide steps are the wizard's five, in the same order. */
enum wiz_step finding_step(const struct finding *f)
{
        switch (f->step) {
        case GUIDE_IDENTIFY:
                return STEP_IDENTIFY;
        case GUIDE_FORWARD:
                return STEP_FORWARD;
        case GUIDE_TRACE:
                return STEP_TRACE;
        case GUIDE_RETEST:
                return STEP_RETEST;
        default:
                return STEP_PTR;
        }
}

/* Who acts on a finding, in the engine's words, naming the reverse zone. */
void finding_who(const struct wiz *w, const struct finding *f, char *buf, size_t len)
{
        const struct check_result *res = session_check(w);
        if (res)
                check_actor_text(res, f->actor, buf, len);
        else
                finding_actor_text(f->actor, NULL, buf, len);
}

enum doc_tone severity_tone(enum severity sev)
{
        return sev == SEV_ERROR ? TONE_BAD : sev == SEV_WARNING ? TONE_WARN : TONE_NONE;
}

static void doc_finding(struct doc *d, const struct wiz *w, const struct finding *f)
{
        char who[400];
        doc_add(d, DOC_MARK, severity_tone(f->severity), NULL, "%s: %s",
                f->severity == SEV_ERROR     ? "Problem"
                : f->severity == SEV_WARNING ? "Warning"
                                             : "Note",
                f->message);
        if (f->fix && f->fix[0])
                doc_add(d, DOC_FIX, TONE_NONE, NULL, "%s", f->fix);
        finding_who(w, f, who, sizeof(who));
        doc_add(d, DOC_WHO, TONE_NONE, NULL, "%s", who);
        doc_add(d, DOC_REF, TONE_NONE, NULL, "%s", finding_code_name(f->code));
        doc_blank(d);
}

bool doc_for_report;

static void findings_of_step(struct doc *d, const struct wiz *w, enum wiz_step s, enum severity min)
{
        /* The diagnosis's one list: the trace's findings are in it, and a
         * lookup failure the trace explains is not. */
        const struct findings *fs = w->result && !w->check ? &w->result->findings : NULL;
        for (size_t i = 0; fs && i < fs->n; i++) {
                const struct finding *f = &fs->v[i];
                /* step 2's answer and step 5's caches show the negative TTL */
                if (f->code == FINDING_NEGATIVE_CACHE || f->severity < min)
                        continue;
                if (finding_step(f) == s)
                        doc_finding(d, w, f);
        }
}

void doc_findings(struct doc *d, const struct wiz *w, enum wiz_step s)
{
        /* the report states each problem once, in its summary */
        if (!doc_for_report)
                findings_of_step(d, w, s, SEV_INFO);
}

void doc_local_error(struct doc *d, const struct wiz *w)
{
        const struct check_result *res = w->check ? NULL : w->result;
        if (res && res->trace && res->trace->local_error)
                doc_add(d, DOC_MARK, TONE_WARN, NULL,
                        "On this machine: %s. The fault is this machine's; the servers it kept "
                        "ptrwiz from asking are not blamed.",
                        res->trace->local_error);
}

void doc_findings_to_fix(struct doc *d, const struct wiz *w)
{
        if (doc_for_report) {
                doc_text(d, "The summary at the top lists each problem, its fix and who acts.");
                return;
        }
        for (enum wiz_step s = STEP_PTR; s <= STEP_TRACE; s++)
                findings_of_step(d, w, s, SEV_WARNING);
}

static enum severity worst_of_step(const struct wiz *w, const struct findings *f, enum wiz_step s,
                                   bool *any)
{
        enum severity worst = SEV_INFO;
        for (size_t i = 0; f && i < f->n; i++) {
                if (finding_step(&f->v[i]) != s)
                        continue;
                *any = true;
                if (f->v[i].severity > worst)
                        worst = f->v[i].severity;
        }
        return worst;
}

static enum step_state state_of(enum severity sev)
{
        return sev == SEV_ERROR ? SS_FAIL : sev == SEV_WARNING ? SS_WARN : SS_PASS;
}

bool ptr_usable(const struct resolver_answer *p)
{
        return p && p->status == RES_OK && p->dnssec != DNSSEC_BOGUS;
}

static enum step_state check_step_state(const struct wiz *w, enum wiz_step s)
{
        if (w->check)
                return SS_RUNNING;
        if (!w->result)
                return w->check_cancelled ? SS_CANCELLED : SS_TODO;
        const struct resolver_answer *p = w->result->ptr;
        if (s == STEP_FORWARD && !ptr_usable(p))
                return SS_SKIPPED;
        bool any = false;
        enum severity sev = worst_of_step(w, &w->result->findings, s, &any);
        /* No PTR answer, and the diagnosis puts the cause in the trace
         * (a loop): step 2 has no finding, but it does not pass. */
        if (s == STEP_PTR && !any && p && !ptr_usable(p) && w->result->verdict == VERDICT_FAIL)
                return SS_FAIL;
        /* The PTR depends on the server asked: not "in order". */
        if (s == STEP_PTR && sev < SEV_ERROR && trace_disagreement(w->result->trace))
                return SS_FAIL;
        return state_of(sev);
}

bool step_has_findings(const struct wiz *w, enum wiz_step s)
{
        bool any = false;
        worst_of_step(w, w->result ? &w->result->findings : NULL, s, &any);
        return any;
}

static enum step_state trace_step_state(const struct wiz *w)
{
        if (w->check)
                return SS_RUNNING;
        const struct trace_result *t = session_trace(w);
        if (!t || !w->result)
                return w->trace_cancelled ? SS_CANCELLED : SS_TODO;
        bool any = false;
        enum severity sev = worst_of_step(w, &w->result->findings, STEP_TRACE, &any);
        if (!t->complete && sev < SEV_WARNING)
                sev = SEV_WARNING;
        if (outcome_tone(t->final_outcome) == TONE_BAD)
                sev = SEV_ERROR; /* no server gave a usable answer */
        return state_of(sev);
}

enum step_state step_state(const struct wiz *w, enum wiz_step s)
{
        switch (s) {
        case STEP_IDENTIFY:
                return w->has_ip ? SS_PASS : SS_TODO;
        case STEP_PTR:
        case STEP_FORWARD:
                return check_step_state(w, s);
        case STEP_TRACE:
                return trace_step_state(w);
        default:
                if (session_busy(w) && w->step == STEP_RETEST)
                        return SS_RUNNING;
                if (w->runs < 2)
                        return w->watching ? SS_RUNNING : SS_TODO;
                return state_of(session_verdict(w) == VERDICT_FAIL ? SEV_ERROR
                                : session_verdict(w) == VERDICT_WARN ||
                                        session_verdict(w) == VERDICT_UNKNOWN
                                    ? SEV_WARNING
                                    : SEV_INFO);
        }
}

void duration_words(uint32_t s, char *buf, size_t len)
{
        if (s < 120)
                snprintf(buf, len, "%u seconds", s);
        else if (s < 3600)
                snprintf(buf, len, "%u minutes", (s + 30) / 60);
        else if (s < 172800 && s % 3600 == 0)
                snprintf(buf, len, "%u hour%s", s / 3600, s == 3600 ? "" : "s");
        else if (s < 172800)
                snprintf(buf, len, "%.1f hours", s / 3600.0);
        else
                snprintf(buf, len, "%.1f days", s / 86400.0);
}

void step_body(const struct wiz *w, enum wiz_step s, struct doc *d)
{
        steps[s].doc(w, d);
}

void doc_about(struct doc *d, const char *about, bool show_next, const char *next)
{
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "About this step");
        doc_text(d, "%s", about);
        if (show_next)
                doc_add(d, DOC_HINT, TONE_NONE, NULL, "%s", next);
}
