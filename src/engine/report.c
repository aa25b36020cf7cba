/* report: a check result as a short dig-like text report, or as one JSON
 * object a line. Every string in a result is already escaped at its source
 * (ldns presentation format, escape_dup), so nothing raw reaches the output. */
#include "ptrwiz/report.h"
#include "strv.h"

#include <jansson.h>
#include <ldns/ldns.h>
#include <string.h>

#include "ptrwiz/resview.h"
#include "ptrwiz/ticket.h"
#include "ptrwiz/trace.h"

#define ANSI_RED    "\033[31m"
#define ANSI_YELLOW "\033[33m"
#define ANSI_GREEN  "\033[32m"
#define ANSI_BOLD   "\033[1m"
#define ANSI_RESET  "\033[0m"

static const char *sev_color(const struct report_style *st, enum severity s)
{
        if (!st || !st->color)
                return "";
        return s == SEV_ERROR ? ANSI_RED : s == SEV_WARNING ? ANSI_YELLOW : "";
}

static const char *reset(const struct report_style *st)
{
        return st && st->color ? ANSI_RESET : "";
}

static const char *verdict_color(const struct report_style *st, enum verdict v)
{
        if (!st || !st->color)
                return "";
        return v == VERDICT_FAIL                           ? ANSI_RED
               : v == VERDICT_WARN || v == VERDICT_UNKNOWN ? ANSI_YELLOW
                                                           : ANSI_GREEN;
}

static void text_names(FILE *out, const struct check_result *res)
{
        const struct revname_breakdown *b = &res->names;
        const struct revname_cut *conv = &b->cuts[b->conventional];
        fprintf(out, ";; owner name:   %s\n", b->owner);
        fprintf(out, ";; usual zone:   %s (record name \"%s\" inside it)\n", conv->zone,
                conv->label);
        if (res->zone) {
                int cut = revname_find_cut(b, res->zone);
                if (cut >= 0)
                        fprintf(out, ";; actual zone:  %s (record name \"%s\")\n", res->zone,
                                b->cuts[cut].label);
                else
                        fprintf(out, ";; actual zone:  %s\n", res->zone);
        }
        if (res->cname_zone)
                fprintf(out, ";; CNAME zone:   %s\n", res->cname_zone);
}

static void text_ptr(FILE *out, const struct check_result *res)
{
        const struct resolver_answer *p = res->ptr;
        if (!p)
                return;
        fprintf(out, "\n;; PTR lookup: %s, DNSSEC %s, %lld ms\n", resolver_status_name(p->status),
                resolver_dnssec_name(p->dnssec), (long long)p->rtt_ms);
        if (res->ptr_asked_again)
                fprintf(out,
                        ";; the first lookup said %s though the trace had the zone's answer: %s\n",
                        resolver_rcode_name(res->ptr_first_rcode),
                        p->status == RES_SERVFAIL ? "a fresh resolver asked again and failed too"
                                                  : "this is a fresh resolver's second lookup");
        for (size_t i = 0; i < p->ncname; i++)
                fprintf(out, "%s\t%u\tIN\tCNAME\t%s\n", p->cname_from[i], resolver_cname_ttl(p, i),
                        p->cname_to[i]);
        const char *owner = p->ncname ? p->cname_to[p->ncname - 1] : res->names.owner;
        for (size_t i = 0; i < p->ndata; i++)
                fprintf(out, "%s\t%u\tIN\tPTR\t%s\n", owner, p->ttl, p->data[i]);
        if (p->soa_text)
                fprintf(out, ";; authority: %s\n", p->soa_text);
        report_disagreement_text(out, res->trace);
}

static void text_addrs(FILE *out, const struct check_result *res, const struct check_forward *f,
                       const struct resolver_answer *a, const char *type)
{
        if (!a)
                return;
        if (a->status != RES_OK) {
                fprintf(out, "%s\t\tIN\t%s\t; %s\n", f->name, type,
                        resolver_status_name(a->status));
                return;
        }
        for (size_t i = 0; i < a->ndata; i++) {
                bool same = addr_equal_text(&res->ip, a->data[i]);
                fprintf(out, "%s\t%u\tIN\t%s\t%s%s\n", f->name, a->ttl, type, a->data[i],
                        same ? "\t; = the IP checked" : "");
        }
}

static void text_forward(FILE *out, const struct check_result *res)
{
        if (res->nforward == 0)
                return;
        const char *verdict = res->fcrdns ? "confirmed" : "NOT confirmed";
        if (!res->fcrdns && res->ptr && res->ptr->dnssec == DNSSEC_BOGUS)
                verdict = "NOT confirmed (the PTR failed DNSSEC validation, so it does not count)";
        fprintf(out, "\n;; forward lookups (FCrDNS): %s\n", verdict);
        for (size_t i = 0; i < res->nforward; i++) {
                const struct check_forward *f = &res->forward[i];
                if (f->ulabel)
                        fprintf(out, ";; %s is the IDN %s\n", f->name, f->ulabel);
                text_addrs(out, res, f, f->a, "A");
                text_addrs(out, res, f, f->aaaa, "AAAA");
        }
}

void report_findings_text(FILE *out, const struct findings *fs, const struct report_style *st)
{
        fprintf(out, "\n;; findings:%s\n", fs->n ? "" : " none");
        for (size_t i = 0; i < fs->n; i++) {
                const struct finding *f = &fs->v[i];
                fprintf(out, "%s%-7s %s%s: %s\n", sev_color(st, f->severity),
                        severity_name(f->severity), finding_code_name(f->code), reset(st),
                        f->message);
                if (f->fix && f->fix[0])
                        fprintf(out, "        fix: %s\n", f->fix);
                if (f->severity > SEV_INFO)
                        fprintf(out, "        who: %s\n", finding_actor_brief(f->actor));
        }
}

static void text_views(FILE *out, const struct check_result *res)
{
        if (res->nviews == 0)
                return;
        fprintf(out, "\n;; resolver view (what each resolver holds now, the TTL it has left):\n");
        for (size_t i = 0; i < res->nviews; i++) {
                struct resview_line l;
                resview_describe(&res->views[i], res, &l);
                fprintf(out, ";; %s\n", l.text);
        }
}

static void text_dnsbl(FILE *out, const struct check_result *res)
{
        if (res->ndnsbl == 0)
                return;
        fprintf(out, "\n;; blocklists:\n");
        for (size_t i = 0; i < res->ndnsbl; i++) {
                const struct check_dnsbl *b = &res->dnsbl[i];
                const struct resolver_answer *a = b->a;
                fprintf(out, "%s\t\tIN\tA\t%s", b->qname,
                        a && a->status == RES_OK ? ""
                        : a                      ? resolver_status_name(a->status)
                                                 : "-");
                for (size_t k = 0; a && a->status == RES_OK && k < a->ndata; k++)
                        fprintf(out, "%s%s", k ? " " : "", a->data[k]);
                fputc('\n', out);
                for (size_t k = 0; b->txt && b->txt->status == RES_OK && k < b->txt->ndata; k++)
                        fprintf(out, "%s\t\tIN\tTXT\t%s\n", b->qname, b->txt->data[k]);
        }
}

/* The one party to act of the whole diagnosis, in its long form. */
static void text_actor(FILE *out, const struct check_result *res)
{
        char who[500];
        if (res->actor == ACTOR_NOBODY)
                return;
        check_actor_text(res, res->actor, who, sizeof(who));
        fprintf(out, "\n;; who must act: %s\n", who);
}

/* The finding that decides the verdict: the first of the worst severity. */
static const struct finding *deciding_finding(const struct findings *f)
{
        enum severity worst = findings_worst(f);
        for (size_t i = 0; i < f->n; i++)
                if (f->v[i].severity == worst)
                        return &f->v[i];
        return NULL;
}

bool report_so_far_line(const struct check_result *res, char *buf, size_t len)
{
        const struct trace_result *t = res->trace;
        if (!res->so_far || !t)
                return false;
        const struct finding *f = deciding_finding(&res->findings);
        char why[200] = "";
        if (f && f->severity != SEV_INFO)
                snprintf(why, sizeof(why), " (%s; who: %s)", finding_code_name(f->code),
                         finding_actor_brief(res->actor));
        snprintf(buf, len,
                 "verdict so far, after %lld ms: %s%s; %zu %s not answered yet, the final "
                 "verdict waits up to %.1f s for %s",
                 (long long)res->so_far_ms, verdict_name(res->verdict), why, t->waiting,
                 t->waiting == 1 ? "server has" : "servers have", t->waiting_left_ms / 1000.0,
                 t->waiting == 1 ? "it" : "them");
        return true;
}

/* In the final result: when the verdict was known, before the silent
 * servers' timeouts. */
static void text_so_far(FILE *out, const struct check_result *res)
{
        if (!res->so_far_ms || res->so_far_ms + 500 > res->elapsed_ms)
                return;
        if (res->so_far_verdict == res->verdict)
                fprintf(out,
                        ";; the verdict was known after %lld ms, counting the servers that had "
                        "not answered by then as silent; the rest was waiting for their "
                        "timeouts\n",
                        (long long)res->so_far_ms);
        else
                fprintf(out,
                        ";; the verdict so far after %lld ms was %s; the servers that answered "
                        "later made it %s\n",
                        (long long)res->so_far_ms, verdict_name(res->so_far_verdict),
                        verdict_name(res->verdict));
}

static void json_so_far(json_t *obj, const struct check_result *res)
{
        json_object_set_new(obj, "so_far_ms",
                            res->so_far_ms ? json_integer(res->so_far_ms) : json_null());
        json_object_set_new(obj, "so_far_verdict",
                            res->so_far_ms ? json_string(verdict_name(res->so_far_verdict))
                                           : json_null());
}

void report_text(FILE *out, const struct check_result *res, const struct report_style *st)
{
        fprintf(out, "%s;; ptrwiz check %s%s\n", st && st->color ? ANSI_BOLD : "", res->ip_text,
                reset(st));
        text_names(out, res);
        text_ptr(out, res);
        text_forward(out, res);
        text_views(out, res);
        text_dnsbl(out, res);
        if (res->trace) {
                fputc('\n', out);
                report_trace_table(out, res->trace, st);
                report_local_error_text(out, res->trace);
        }
        report_findings_text(out, &res->findings, st);
        text_actor(out, res);
        fprintf(out, "\n;; verdict: %s%s%s (%lld ms, %llu queries)\n",
                verdict_color(st, res->verdict), verdict_name(res->verdict), reset(st),
                (long long)res->elapsed_ms, (unsigned long long)res->queries);
        text_so_far(out, res);
        if (!st || !st->ticket)
                return;
        struct ticket_opts to = {.host = st->ticket_host};
        struct ticket *t = ticket_build(res, &to);
        if (t)
                fprintf(out, "\n;; ticket for %s:\n%s", t->to_who, t->text);
        else
                fprintf(out, "\n;; ticket: nobody else has to act\n");
        ticket_free(t);
}

static json_t *json_str_or_null(const char *s)
{
        return s ? json_string(s) : json_null();
}

static void json_forward(json_t *obj, const struct check_result *res)
{
        json_t *fwd = json_object();
        for (size_t i = 0; i < res->nforward; i++) {
                const struct check_forward *f = &res->forward[i];
                json_t *addrs = json_array();
                const struct resolver_answer *both[2] = {f->a, f->aaaa};
                for (int k = 0; k < 2; k++)
                        for (size_t j = 0;
                             both[k] && both[k]->status == RES_OK && j < both[k]->ndata; j++)
                                json_array_append_new(addrs, json_string(both[k]->data[j]));
                json_object_set_new(fwd, f->name, addrs);
        }
        json_object_set_new(obj, "forward", fwd);
}

/* IDN PTR names: A-label -> U-label (valid UTF-8, escaped where unsafe). */
static void json_idn(json_t *obj, const struct check_result *res)
{
        json_t *idn = json_object();
        for (size_t i = 0; i < res->nforward; i++) {
                const struct check_forward *f = &res->forward[i];
                json_t *u = f->ulabel ? json_string(f->ulabel) : NULL;
                if (u)
                        json_object_set_new(idn, f->name, u);
        }
        json_object_set_new(obj, "idn", idn);
}

json_t *report_findings_json(const struct findings *fs)
{
        json_t *arr = json_array();
        for (size_t i = 0; i < fs->n; i++) {
                const struct finding *f = &fs->v[i];
                json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "code",
                                                     finding_code_name(f->code), "severity",
                                                     severity_name(f->severity), "message",
                                                     f->message, "fix", f->fix, "actor",
                                                     finding_actor_name(f->actor), "who",
                                                     finding_actor_brief(f->actor), "step",
                                                     guide_step_name(f->step)));
        }
        return arr;
}

static void json_ptr(json_t *obj, const struct check_result *res)
{
        const struct resolver_answer *p = res->ptr;
        json_object_set_new(obj, "ptr",
                            p && p->status == RES_OK ? strv_json(p->data, p->ndata) : json_array());
        json_object_set_new(obj, "status",
                            json_string(p ? resolver_status_name(p->status) : "NOT_ASKED"));
        json_object_set_new(obj, "rcode",
                            p ? json_string(resolver_rcode_name(p->rcode)) : json_null());
        json_object_set_new(obj, "ttl",
                            p && p->status == RES_OK ? json_integer(p->ttl) : json_null());
        json_object_set_new(obj, "dnssec",
                            p ? json_string(resolver_dnssec_name(p->dnssec)) : json_null());
        json_t *chain = json_array();
        for (size_t i = 0; p && i < p->ncname; i++)
                json_array_append_new(chain, json_pack("{s:s, s:s, s:I}", "from", p->cname_from[i],
                                                       "to", p->cname_to[i], "ttl",
                                                       (json_int_t)resolver_cname_ttl(p, i)));
        json_object_set_new(obj, "cname_chain", chain);
        /* TC=1 from the resolver: RRsets that did not fit are missing */
        json_object_set_new(obj, "truncated", json_boolean(p && p->truncated));
        json_object_set_new(obj, "servers_disagree", report_disagreement_json(res->trace));
        json_object_set_new(obj, "negative_ttl",
                            p && p->soa_owner ? json_integer(p->neg_ttl) : json_null());
        /* What the first lookup said when a fresh resolver asked again. */
        json_object_set_new(obj, "ptr_asked_again",
                            res->ptr_asked_again
                                ? json_string(resolver_rcode_name(res->ptr_first_rcode))
                                : json_null());
}

static void json_views(json_t *obj, const struct check_result *res)
{
        if (res->nviews == 0)
                return;
        json_t *arr = json_array();
        for (size_t i = 0; i < res->nviews; i++) {
                const struct check_view *v = &res->views[i];
                const struct resolver_answer *a = v->ptr;
                struct resview_line l;
                resview_describe(v, res, &l);
                json_array_append_new(
                    arr, json_pack(
                             "{s:s, s:s, s:o, s:o, s:b, s:s}", "resolver", v->server, "status",
                             a ? resolver_status_name(a->status) : "NOT_ASKED", "ptr",
                             a && a->status == RES_OK ? strv_json(a->data, a->ndata) : json_array(),
                             "ttl_left",
                             l.seconds_left >= 0 ? json_integer(l.seconds_left) : json_null(),
                             "stale", l.stale, "text", l.text));
        }
        json_object_set_new(obj, "resolver_view", arr);
}

static void json_dnsbl(json_t *obj, const struct check_result *res)
{
        if (res->ndnsbl == 0)
                return;
        json_t *arr = json_array();
        for (size_t i = 0; i < res->ndnsbl; i++) {
                const struct check_dnsbl *b = &res->dnsbl[i];
                const struct resolver_answer *a = b->a, *t = b->txt;
                json_array_append_new(
                    arr,
                    json_pack(
                        "{s:s, s:s, s:s, s:o, s:o}", "zone", b->zone, "qname", b->qname, "status",
                        a ? resolver_status_name(a->status) : "NOT_ASKED", "a",
                        a && a->status == RES_OK ? strv_json(a->data, a->ndata) : json_array(),
                        "txt",
                        t && t->status == RES_OK ? strv_json(t->data, t->ndata) : json_array()));
        }
        json_object_set_new(obj, "dnsbl", arr);
}

/* The diagnosis's one party to act: its name, short and long form. */
static void json_actor(json_t *obj, const struct check_result *res)
{
        char who[500];
        check_actor_text(res, res->actor, who, sizeof(who));
        json_object_set_new(obj, "actor", json_string(finding_actor_name(res->actor)));
        json_object_set_new(obj, "who", json_string(finding_actor_brief(res->actor)));
        json_object_set_new(obj, "who_detail", json_string(who));
}

char *report_json(const struct check_result *res, const struct report_target *target)
{
        const struct revname_breakdown *b = &res->names;
        json_t *obj = json_object();
        if (target && target->target)
                json_object_set_new(obj, "target", json_string(target->target));
        if (target && target->name_matches >= 0)
                json_object_set_new(obj, "name_matches", json_boolean(target->name_matches));
        json_object_set_new(obj, "ip", json_string(res->ip_text));
        json_object_set_new(obj, "owner", json_string(b->owner));
        json_object_set_new(obj, "zone", json_str_or_null(res->zone));
        json_object_set_new(obj, "conventional_zone", json_string(b->cuts[b->conventional].zone));
        json_object_set_new(obj, "record_name", json_string(b->cuts[b->conventional].label));
        json_object_set_new(obj, "cname_zone", json_str_or_null(res->cname_zone));
        json_ptr(obj, res);
        json_forward(obj, res);
        json_idn(obj, res);
        json_object_set_new(obj, "fcrdns", json_boolean(res->fcrdns));
        json_views(obj, res);
        json_dnsbl(obj, res);
        json_object_set_new(obj, "trace",
                            res->trace ? report_trace_json_zones(res->trace) : json_null());
        json_object_set_new(obj, "local_error",
                            json_str_or_null(res->trace ? res->trace->local_error : NULL));
        json_object_set_new(obj, "findings", report_findings_json(&res->findings));
        json_object_set_new(obj, "verdict", json_string(verdict_name(res->verdict)));
        json_actor(obj, res);
        json_object_set_new(obj, "elapsed_ms", json_integer(res->elapsed_ms));
        json_so_far(obj, res);
        json_object_set_new(obj, "queries", json_integer((json_int_t)res->queries));
        char *s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(obj);
        return s;
}

const char *report_diagnosis_trace_verdict(const struct check_result *res)
{
        const struct resolver_answer *p = res->ptr;
        bool lookup_failed =
            !p || p->status == RES_SERVFAIL || p->status == RES_TIMEOUT || p->status == RES_ERROR;
        /* Nothing answered the trace or the lookup, and nobody is to blame. */
        if (res->trace && !report_trace_reached(res->trace) && lookup_failed)
                return "unknown";
        return verdict_name(res->verdict);
}

void report_diagnosis_trace_text(FILE *out, const struct check_result *res,
                                 const struct report_style *st)
{
        if (res->trace)
                report_trace_head_text(out, res->trace, st);
        else
                fprintf(out, ";; ptrwiz trace %s: no delegation trace (%s)\n", res->ip_text,
                        addr_has_builtin_reverse_zone(&res->ip)
                            ? "its reverse zone is answered locally by every resolver"
                            : "the resolver cannot trace");
        report_findings_text(out, &res->findings, st);
        text_actor(out, res);
        fprintf(out, "\n;; verdict for %s: %s%s%s (%lld ms, %llu queries", res->ip_text,
                verdict_color(st, res->verdict), report_diagnosis_trace_verdict(res), reset(st),
                (long long)res->elapsed_ms, (unsigned long long)res->queries);
        if (res->trace && res->trace->ignored)
                fprintf(out, ", %llu %s ignored (wrong id, question or source)",
                        (unsigned long long)res->trace->ignored,
                        res->trace->ignored == 1 ? "reply" : "replies");
        fputs(")\n", out);
        if (res->so_far_ms)
                text_so_far(out, res);
        else if (res->trace)
                report_trace_waited_text(out, res->trace);
}

char *report_diagnosis_trace_json(const struct check_result *res)
{
        json_t *obj = res->trace ? report_trace_json_object(res->trace, res->ip_text) : NULL;
        if (!obj) {
                obj = json_object();
                json_object_set_new(obj, "ip", json_string(res->ip_text));
                json_object_set_new(obj, "qname", json_string(res->names.owner));
                json_object_set_new(obj, "trace", json_null());
        }
        /* The one diagnosis, as check gives it; the trace's own findings
         * are among them. */
        json_object_set_new(obj, "findings", report_findings_json(&res->findings));
        json_object_set_new(obj, "verdict", json_string(report_diagnosis_trace_verdict(res)));
        json_actor(obj, res);
        json_ptr(obj, res);
        json_object_set_new(obj, "fcrdns", json_boolean(res->fcrdns));
        json_object_set_new(obj, "queries", json_integer((json_int_t)res->queries));
        /* The trace's own time beside the whole check's (the resolver's
         * lookups and the forward lookups may end later). */
        if (res->trace)
                json_object_set_new(obj, "trace_elapsed_ms", json_integer(res->trace->elapsed_ms));
        json_object_set_new(obj, "elapsed_ms", json_integer(res->elapsed_ms));
        json_so_far(obj, res);
        char *s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(obj);
        return s;
}
