/* report_trace: a trace as dig +trace would print it (the records of the
 * reply followed at each cut, then ";; Received N bytes from ADDR#53(NAME)
 * in T ms"), a table of every server of every cut, and JSON. Every string
 * in a trace result is escaped at its source (ldns presentation format or
 * escape.h), so nothing raw reaches the output. */
#include "ptrwiz/report.h"
#include "strv.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ptrwiz/resolver.h"
#include "ptrwiz/trace.h"

#define ANSI_RED    "\033[31m"
#define ANSI_YELLOW "\033[33m"
#define ANSI_BOLD   "\033[1m"
#define ANSI_RESET  "\033[0m"

static const char *outcome_color(const struct report_style *st, enum trace_outcome o)
{
        if (!st || !st->color || trace_outcome_good(o) || o == TRACE_PENDING)
                return "";
        return o == TRACE_TIMEOUT || o == TRACE_UNREACHABLE || o == TRACE_NO_ADDRESS ? ANSI_RED
                                                                                     : ANSI_YELLOW;
}

static const char *reset(const struct report_style *st, const char *color)
{
        return color[0] ? ANSI_RESET : "";
}

/* dig prints server names without the trailing dot. */
static int name_len_nodot(const char *name)
{
        size_t n = strlen(name);
        return (int)(n > 1 && name[n - 1] == '.' ? n - 1 : n);
}

static void text_received(FILE *out, const struct trace_server *s)
{
        fprintf(out, ";; Received %zu bytes from %s#53(%.*s) in %lld ms\n", s->reply_bytes,
                s->addr_text, name_len_nodot(s->ns_name), s->ns_name, (long long)s->rtt_ms);
}

static void text_cut(FILE *out, const struct trace_zone *z, const struct trace_zone *prev)
{
        if (z->via_cname && prev && strcasecmp(prev->qname, z->qname) != 0)
                fprintf(out, ";; following the CNAME to %s\n\n", z->qname);
        const struct trace_server *s = trace_zone_followed(z);
        if (!s) {
                fprintf(out, ";; no server of %s gave a usable answer for %s\n\n", z->zone,
                        z->qname);
                return;
        }
        if (z->shared)
                fprintf(out, ";; %s as asked for %s, earlier in this run\n", z->zone, z->qname);
        if (s->reply_text)
                fputs(s->reply_text, out);
        text_received(out, s);
        fputc('\n', out);
}

void report_trace_records(FILE *out, const struct trace_result *res)
{
        fprintf(out,
                "; <<>> ptrwiz trace <<>> %s %s\n;; every server of every zone cut asked, "
                "RD=0\n\n",
                res->qname, trace_type_name(res->qtype));
        for (size_t i = 0; i < res->nzones; i++)
                text_cut(out, &res->zones[i], i ? &res->zones[i - 1] : NULL);
}

/* What the result column says after the outcome name. */
static void result_detail(const struct trace_server *s, int qtype, char *buf, size_t len)
{
        buf[0] = '\0';
        if (s->outcome == TRACE_REFERRAL && s->referral) {
                snprintf(buf, len, " to %s", s->referral);
        } else if (s->outcome == TRACE_ANSWER && s->cname) {
                snprintf(buf, len, " CNAME %s", s->cname);
        } else if (s->outcome == TRACE_ANSWER) {
                size_t used = (size_t)snprintf(buf, len, " %s", trace_type_name(qtype));
                for (size_t i = 0; i < s->nanswer && used < len; i++)
                        used += (size_t)snprintf(buf + used, len - used, " %s", s->answer[i]);
        } else if (s->error) {
                snprintf(buf, len, ": %s", s->error);
                return; /* the error names the ignored replies too */
        }
        size_t used = strlen(buf);
        if (s->ignored && used < len)
                snprintf(buf + used, len - used, " (%s)", s->ignored);
}

struct widths {
        int name, addr;
};

static struct widths table_widths(const struct trace_zone *z)
{
        struct widths w = {strlen("server"), strlen("address")};
        for (size_t i = 0; i < z->nservers; i++) {
                int n = (int)strlen(z->servers[i].ns_name);
                int a = (int)strlen(z->servers[i].addr_text);
                w.name = n > w.name ? n : w.name;
                w.addr = a > w.addr ? a : w.addr;
        }
        return w;
}

static void table_row(FILE *out, const struct trace_zone *z, size_t i, int qtype,
                      const struct widths *w, const struct report_style *st)
{
        const struct trace_server *s = &z->servers[i];
        char serial[16] = "-", rtt[24] = "-", detail[600];
        if (s->has_serial)
                snprintf(serial, sizeof(serial), "%u", s->serial);
        if (s->outcome != TRACE_NO_ADDRESS && s->outcome != TRACE_NOT_ASKED &&
            s->outcome != TRACE_PENDING)
                snprintf(rtt, sizeof(rtt), "%lldms", (long long)s->rtt_ms);
        result_detail(s, qtype, detail, sizeof(detail));
        const char *color = outcome_color(st, s->outcome);
        fprintf(out, ";; %c %-*s  %-*s  %-8s  %-2s  %-10s  %6s  %s%s%s%s%s%s\n",
                (int)i == z->followed ? '*' : ' ', w->name, s->ns_name, w->addr, s->addr_text,
                s->rcode >= 0 ? resolver_rcode_name(s->rcode) : "-", s->aa ? "aa" : "-", serial,
                rtt, color, trace_outcome_name(s->outcome), s->tcp ? " (tcp)" : "", detail,
                reset(st, color), s->cached ? "  (address from the cache)" : "");
}

static void table_zone(FILE *out, const struct trace_zone *z, int qtype, const char *title,
                       const struct report_style *st)
{
        fprintf(out, "\n;; %s %s", title, z->zone);
        if (z->parent) {
                fprintf(out, "  (delegated by %s to", z->parent);
                for (size_t i = 0; i < z->nparent_ns; i++)
                        fprintf(out, " %s", z->parent_ns[i]);
                fputc(')', out);
        }
        if (z->shared)
                fprintf(out, "  (as asked for %s, earlier in this run)", z->qname);
        else if (z->via_cname && strcasecmp(z->zone, z->qname) != 0)
                fprintf(out, "  asked for %s", z->qname);
        fputc('\n', out);
        struct widths w = table_widths(z);
        fprintf(out, ";;   %-*s  %-*s  %-8s  %-2s  %-10s  %6s  %s\n", w.name, "server", w.addr,
                "address", "rcode", "aa", "serial", "rtt", "result");
        for (size_t i = 0; i < z->nservers; i++)
                table_row(out, z, i, qtype, &w, st);
}

void report_trace_table(FILE *out, const struct trace_result *res, const struct report_style *st)
{
        fprintf(out, ";; every server of every zone cut (* = the reply followed):\n");
        for (size_t i = 0; i < res->nzones; i++)
                table_zone(out, &res->zones[i], res->qtype, "zone", st);
        if (res->probe)
                table_zone(out, res->probe, res->qtype, "--expect-ns servers asked for", st);
}

/* False when the trace got no answer and no finding explains it: it could
 * not run from here (offline, port 53 blocked). */
static bool trace_reached(const struct trace_result *res)
{
        return trace_outcome_good(res->final_outcome) ||
               verdict_from_findings(&res->findings) == VERDICT_FAIL;
}

static const char *trace_verdict_name(const struct trace_result *res)
{
        return trace_reached(res) ? verdict_name(verdict_from_findings(&res->findings)) : "unknown";
}

/* RFC 2317: a negative answer behind a CNAME is the classless zone's, and
 * the record to add is the CNAME's target there. */
static void text_final_cname(FILE *out, const struct trace_result *res)
{
        bool negative = res->final_outcome == TRACE_NXDOMAIN || res->final_outcome == TRACE_NODATA;
        if (!negative || !res->final_name || !res->final_zone ||
            strcasecmp(res->final_name, res->qname) == 0)
                return;
        const struct trace_zone *z = NULL;
        for (size_t i = 0; i < res->nzones; i++)
                if (strcasecmp(res->zones[i].zone, res->final_zone) == 0)
                        z = &res->zones[i];
        char *ns = z ? strv_join(z->parent_ns, z->nparent_ns, ", ") : NULL;
        fprintf(out,
                ";; %s leads by CNAME to %s, which has no PTR: it is added there, in %s%s%s%s, "
                "by whoever runs that zone\n",
                res->qname, res->final_name, res->final_zone, ns ? " (served by " : "",
                ns ? ns : "", ns ? ")" : "");
        free(ns);
}

static void text_final(FILE *out, const struct trace_result *res)
{
        fprintf(out, "\n;; final: %s", trace_outcome_name(res->final_outcome));
        for (size_t i = 0; i < res->nfinal; i++)
                fprintf(out, "%s%s", i ? ", " : " ", res->final[i]);
        if (res->final_name)
                fprintf(out, " for %s", res->final_name);
        if (res->final_zone)
                fprintf(out, " in zone %s", res->final_zone);
        fputc('\n', out);
        text_final_cname(out, res);
        report_disagreement_text(out, res);
}

void report_local_error_text(FILE *out, const struct trace_result *res)
{
        if (res->local_error)
                fprintf(out,
                        ";; on this host: %s; the fault is this machine's, and the servers it "
                        "kept ptrwiz from asking are not blamed\n",
                        res->local_error);
}

void report_trace_head_text(FILE *out, const struct trace_result *res,
                            const struct report_style *st)
{
        report_trace_records(out, res);
        report_trace_table(out, res, st);
        text_final(out, res);
        report_local_error_text(out, res);
        if (!trace_reached(res))
                fprintf(out, ";; no answer, and no server ptrwiz judges is at fault: is this "
                             "host offline, or is DNS (port 53) blocked on the way?\n");
}

bool report_trace_reached(const struct trace_result *res)
{
        return trace_reached(res);
}

void report_trace_waited_text(FILE *out, const struct trace_result *res)
{
        if (res->settled_ms + 500 < res->elapsed_ms)
                fprintf(out,
                        ";; the answer and every zone's first reply were in after %lld ms; the "
                        "rest was waiting for servers that did not answer\n",
                        (long long)res->settled_ms);
}

void report_trace_text(FILE *out, const struct trace_result *res, const char *ip,
                       const struct report_style *st)
{
        report_trace_head_text(out, res, st);
        report_findings_text(out, &res->findings, st);
        fprintf(out, "\n;; verdict for %s: %s (%lld ms, %llu queries", ip ? ip : res->qname,
                trace_verdict_name(res), (long long)res->elapsed_ms,
                (unsigned long long)res->queries);
        if (res->ignored)
                fprintf(out, ", %llu %s ignored (wrong id, question or source)",
                        (unsigned long long)res->ignored, res->ignored == 1 ? "reply" : "replies");
        fputs(")\n", out);
        report_trace_waited_text(out, res);
}

bool report_disagreement_line(const struct trace_result *res, char *buf, size_t len)
{
        const struct trace_zone *z = trace_disagreement(res);
        buf[0] = '\0';
        if (!z)
                return false;
        char said[1000];
        size_t used = 0;
        for (size_t i = 0; i < z->nservers && used < len; i++) {
                if (!trace_server_said(res, z, i, said, sizeof(said)))
                        continue;
                const struct trace_server *s = &z->servers[i];
                char serial[32] = "";
                if (s->has_serial)
                        snprintf(serial, sizeof(serial), ", serial %u", s->serial);
                int n = snprintf(buf + used, len - used, "%s%s (%s) %s%s", used ? "; " : "",
                                 s->ns_name, s->addr_text, said, serial);
                used += n > 0 ? (size_t)n : 0;
        }
        return true;
}

void report_disagreement_text(FILE *out, const struct trace_result *res)
{
        const struct trace_zone *z = trace_disagreement(res);
        char line[2000];
        if (!z || !report_disagreement_line(res, line, sizeof(line)))
                return;
        fprintf(out,
                ";; servers disagree: the servers of %s give different answers for %s: %s; a "
                "receiver gets one or the other (DELEGATION_INCONSISTENT)\n",
                z->zone, z->qname, line);
}

/* ------------------------------------------------------------------ JSON */

struct json_t *report_disagreement_json(const struct trace_result *res)
{
        const struct trace_zone *z = trace_disagreement(res);
        if (!z)
                return json_null();
        char said[1000];
        json_t *o = json_object(), *arr = json_array();
        json_object_set_new(o, "zone", json_string(z->zone));
        json_object_set_new(o, "name", json_string(z->qname));
        for (size_t i = 0; i < z->nservers; i++) {
                if (!trace_server_said(res, z, i, said, sizeof(said)))
                        continue;
                const struct trace_server *s = &z->servers[i];
                json_array_append_new(
                    arr, json_pack("{s:s, s:s, s:s, s:o}", "server", s->ns_name, "address",
                                   s->addr_text, "answer", said, "serial",
                                   s->has_serial ? json_integer(s->serial) : json_null()));
        }
        json_object_set_new(o, "answers", arr);
        return o;
}

static json_t *server_json(const struct trace_server *s)
{
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(s->ns_name));
        json_object_set_new(o, "address", s->addr.family ? json_string(s->addr_text) : json_null());
        json_object_set_new(o, "glue", json_boolean(s->glue));
        json_object_set_new(o, "cached", json_boolean(s->cached));
        json_object_set_new(
            o, "rcode", s->rcode >= 0 ? json_string(resolver_rcode_name(s->rcode)) : json_null());
        json_object_set_new(o, "aa", json_boolean(s->aa));
        json_object_set_new(o, "serial", s->has_serial ? json_integer(s->serial) : json_null());
        json_object_set_new(o, "rtt_ms", json_integer(s->rtt_ms));
        json_object_set_new(o, "tries", json_integer(s->tries));
        json_object_set_new(o, "bytes", json_integer((json_int_t)s->reply_bytes));
        json_object_set_new(o, "tcp", json_boolean(s->tcp));
        json_object_set_new(o, "result", json_string(trace_outcome_name(s->outcome)));
        json_object_set_new(o, "referral", s->referral ? json_string(s->referral) : json_null());
        json_object_set_new(o, "referral_ns", strv_json(s->referral_ns, s->nreferral_ns));
        json_object_set_new(o, "answer", strv_json(s->answer, s->nanswer));
        json_object_set_new(o, "cname", s->cname ? json_string(s->cname) : json_null());
        json_object_set_new(o, "soa_result", json_string(trace_outcome_name(s->soa_outcome)));
        json_object_set_new(o, "apex_ns",
                            s->has_apex_ns ? strv_json(s->apex_ns, s->napex_ns) : json_null());
        json_object_set_new(o, "error", s->error ? json_string(s->error) : json_null());
        json_object_set_new(o, "ignored", s->ignored ? json_string(s->ignored) : json_null());
        return o;
}

static json_t *zone_json(const struct trace_zone *z)
{
        json_t *o = json_object();
        json_object_set_new(o, "zone", json_string(z->zone));
        json_object_set_new(o, "qname", json_string(z->qname));
        json_object_set_new(o, "parent", z->parent ? json_string(z->parent) : json_null());
        json_object_set_new(o, "parent_ns", strv_json(z->parent_ns, z->nparent_ns));
        json_object_set_new(o, "via_cname", json_boolean(z->via_cname));
        json_object_set_new(o, "shared", json_boolean(z->shared));
        json_object_set_new(o, "followed",
                            z->followed >= 0 ? json_integer(z->followed) : json_null());
        json_t *servers = json_array();
        for (size_t i = 0; i < z->nservers; i++)
                json_array_append_new(servers, server_json(&z->servers[i]));
        json_object_set_new(o, "servers", servers);
        return o;
}

struct json_t *report_trace_json_zones(const struct trace_result *res)
{
        json_t *arr = json_array();
        for (size_t i = 0; i < res->nzones; i++)
                json_array_append_new(arr, zone_json(&res->zones[i]));
        return arr;
}

struct json_t *report_trace_json_object(const struct trace_result *res, const char *ip)
{
        json_t *o = json_object();
        json_object_set_new(o, "ip", ip ? json_string(ip) : json_null());
        json_object_set_new(o, "qname", json_string(res->qname));
        json_object_set_new(o, "qtype", json_string(trace_type_name(res->qtype)));
        json_object_set_new(o, "trace", report_trace_json_zones(res));
        json_object_set_new(o, "expect_ns_probe", res->probe ? zone_json(res->probe) : json_null());
        json_object_set_new(o, "servers_disagree", report_disagreement_json(res));
        json_t *final = json_object();
        json_object_set_new(final, "result", json_string(trace_outcome_name(res->final_outcome)));
        json_object_set_new(final, "name",
                            res->final_name ? json_string(res->final_name) : json_null());
        json_object_set_new(final, "zone",
                            res->final_zone ? json_string(res->final_zone) : json_null());
        json_object_set_new(final, "data", strv_json(res->final, res->nfinal));
        json_object_set_new(o, "final", final);
        json_object_set_new(o, "findings", report_findings_json(&res->findings));
        json_object_set_new(o, "verdict", json_string(trace_verdict_name(res)));
        json_object_set_new(o, "queries", json_integer((json_int_t)res->queries));
        json_object_set_new(o, "round_trips", json_integer(res->round_trips));
        json_object_set_new(o, "ignored_replies", json_integer((json_int_t)res->ignored));
        json_object_set_new(o, "local_error",
                            res->local_error ? json_string(res->local_error) : json_null());
        json_object_set_new(o, "elapsed_ms", json_integer(res->elapsed_ms));
        json_object_set_new(o, "settled_ms", json_integer(res->settled_ms));
        json_object_set_new(o, "complete", json_boolean(res->complete));
        return o;
}

char *report_trace_json(const struct trace_result *res, const char *ip)
{
        json_t *o = report_trace_json_object(res, ip);
        char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        return s;
}
