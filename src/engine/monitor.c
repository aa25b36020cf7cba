/* monitor: Nagios plugin output and Prometheus text format (monitor.h). */
#include "ptrwiz/monitor.h"

#include <stdlib.h>
#include <string.h>

#include "ptrwiz/resview.h"

struct mon_finding {
        enum finding_code code;
        enum severity severity;
};

/* What one target leaves behind: a few numbers and strings, not the result. */
struct mon_target {
        char *target, *ip, *message; /* escaped; message: the worst finding's */
        enum monitor_state state;
        enum verdict verdict;
        int64_t elapsed_ms;
        uint64_t queries;
        struct mon_finding *findings;
        size_t nfindings;
        char **view_server;
        int64_t *view_left; /* -1: unknown */
        size_t nviews;
};

struct monitor {
        enum monitor_format fmt;
        struct mon_target *v;
        size_t n;
};

const char *monitor_state_name(enum monitor_state s)
{
        static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
        return (unsigned)s <= MONITOR_UNKNOWN ? names[s] : "UNKNOWN";
}

struct monitor *monitor_new(enum monitor_format fmt)
{
        struct monitor *m = calloc(1, sizeof(*m));
        if (m)
                m->fmt = fmt;
        return m;
}

static void target_clear(struct mon_target *t)
{
        free(t->target);
        free(t->ip);
        free(t->message);
        free(t->findings);
        for (size_t i = 0; i < t->nviews; i++)
                free(t->view_server[i]);
        free(t->view_server);
        free(t->view_left);
}

void monitor_free(struct monitor *m)
{
        if (!m)
                return;
        for (size_t i = 0; i < m->n; i++)
                target_clear(&m->v[i]);
        free(m->v);
        free(m);
}

static struct mon_target *target_new(struct monitor *m)
{
        struct mon_target *v = realloc(m->v, (m->n + 1) * sizeof(*v));
        if (!v)
                return NULL;
        m->v = v;
        memset(&v[m->n], 0, sizeof(v[0]));
        return &v[m->n++];
}

/* A failure of this host (no route to the root, no sockets) says nothing
 * about the address: UNKNOWN, as the guidelines want for a check that
 * could not run. */
static enum monitor_state state_of(const struct check_result *res)
{
        if (res->verdict == VERDICT_UNKNOWN ||
            (res->verdict == VERDICT_FAIL &&
             (res->offline || (res->trace && res->trace->local_error))))
                return MONITOR_UNKNOWN;
        return res->verdict == VERDICT_FAIL   ? MONITOR_CRITICAL
               : res->verdict == VERDICT_WARN ? MONITOR_WARNING
                                              : MONITOR_OK;
}

static const struct finding *worst_finding(const struct findings *f)
{
        const struct finding *w = NULL;
        for (size_t i = 0; i < f->n; i++)
                if (!w || f->v[i].severity > w->severity)
                        w = &f->v[i];
        return w;
}

static int add_views(struct mon_target *t, const struct check_result *res)
{
        if (res->nviews == 0)
                return 0;
        t->view_server = calloc(res->nviews, sizeof(*t->view_server));
        t->view_left = calloc(res->nviews, sizeof(*t->view_left));
        if (!t->view_server || !t->view_left)
                return -1;
        for (size_t i = 0; i < res->nviews; i++) {
                struct resview_line l;
                resview_describe(&res->views[i], res, &l);
                t->view_server[i] = strdup(res->views[i].server);
                if (!t->view_server[i])
                        return -1;
                t->view_left[i] = l.state == RESVIEW_FAILED ? -1 : l.seconds_left;
                t->nviews++;
        }
        return 0;
}

int monitor_add(struct monitor *m, const struct check_result *res, const char *target)
{
        struct mon_target *t = target_new(m);
        if (!t)
                return -1;
        t->state = state_of(res);
        t->verdict = res->verdict;
        t->elapsed_ms = res->elapsed_ms;
        t->queries = res->queries;
        t->target = strdup(target ? target : res->ip_text);
        t->ip = strdup(res->ip_text);
        const struct finding *w = worst_finding(&res->findings);
        if (w && w->severity > SEV_INFO)
                t->message = strdup(w->message);
        else if (res->ptr && res->ptr->status == RES_OK && res->ptr->ndata > 0) {
                if (asprintf(&t->message, "PTR %s%s, forward-confirmed", res->ptr->data[0],
                             res->ptr->ndata > 1 ? " (and more)" : "") < 0)
                        t->message = NULL;
        } else
                t->message = strdup("no problem found");
        if (res->findings.n) {
                t->findings = calloc(res->findings.n, sizeof(*t->findings));
                if (!t->findings)
                        return -1;
                for (size_t i = 0; i < res->findings.n; i++)
                        t->findings[i] = (struct mon_finding){res->findings.v[i].code,
                                                              res->findings.v[i].severity};
                t->nfindings = res->findings.n;
        }
        if (!t->target || !t->ip || !t->message || add_views(t, res) < 0)
                return -1;
        return 0;
}

int monitor_add_error(struct monitor *m, const char *target, const char *why)
{
        struct mon_target *t = target_new(m);
        if (!t)
                return -1;
        t->state = MONITOR_CRITICAL;
        t->verdict = VERDICT_FAIL;
        t->target = strdup(target);
        t->ip = strdup("");
        t->message = strdup(why);
        return t->target && t->ip && t->message ? 0 : -1;
}

enum monitor_state monitor_status(const struct monitor *m)
{
        if (m->n == 0)
                return MONITOR_UNKNOWN;
        enum monitor_state worst = MONITOR_OK;
        /* UNKNOWN outranks WARNING but not CRITICAL: a real failure elsewhere
         * is still the news. */
        static const int rank[] = {0, 1, 3, 2};
        for (size_t i = 0; i < m->n; i++)
                if (rank[m->v[i].state] > rank[worst])
                        worst = m->v[i].state;
        return worst;
}

/* ---------------------------------------------------------------- Nagios */

/* The plugin text may not hold '|' (it starts the performance data). */
static void nagios_text(FILE *out, const char *s)
{
        for (; *s; s++) {
                if (*s == '|')
                        fputs("\\124", out);
                else
                        fputc(*s, out);
        }
}

static void nagios_codes(FILE *out, const struct mon_target *t)
{
        int shown = 0;
        for (size_t i = 0; i < t->nfindings; i++) {
                if (t->findings[i].severity == SEV_INFO)
                        continue;
                fprintf(out, "%s%s", shown++ ? "," : " (", finding_code_name(t->findings[i].code));
        }
        if (shown)
                fputc(')', out);
}

static void nagios_target(FILE *out, const struct mon_target *t)
{
        nagios_text(out, t->target);
        if (t->ip[0] && strcmp(t->ip, t->target) != 0) {
                fputs(" (", out);
                nagios_text(out, t->ip);
                fputc(')', out);
        }
        fputs(": ", out);
        nagios_text(out, t->message);
        nagios_codes(out, t);
}

static void nagios_write(const struct monitor *m, FILE *out)
{
        enum monitor_state st = monitor_status(m);
        int64_t ms = 0;
        uint64_t queries = 0;
        size_t count[4] = {0};
        for (size_t i = 0; i < m->n; i++) {
                ms = m->v[i].elapsed_ms > ms ? m->v[i].elapsed_ms : ms;
                queries += m->v[i].queries;
                count[m->v[i].state]++;
        }
        fprintf(out, "PTRWIZ %s - ", monitor_state_name(st));
        if (m->n == 1)
                nagios_target(out, &m->v[0]);
        else
                fprintf(out, "%zu addresses: %zu critical, %zu warning, %zu unknown, %zu ok", m->n,
                        count[MONITOR_CRITICAL], count[MONITOR_WARNING], count[MONITOR_UNKNOWN],
                        count[MONITOR_OK]);
        /* label=value[UOM];warn;crit;min;max: the longest check's time. */
        fprintf(out, " | time=%.3fs;;;0 queries=%llu;;;0", ms / 1000.0,
                (unsigned long long)queries);
        if (m->n > 1)
                fprintf(out, " ok=%zu;;;0 warning=%zu;;;0 critical=%zu;;;0 unknown=%zu;;;0",
                        count[MONITOR_OK], count[MONITOR_WARNING], count[MONITOR_CRITICAL],
                        count[MONITOR_UNKNOWN]);
        fputc('\n', out);
        /* Several targets: one line each in the long text, worst first. */
        static const enum monitor_state order[] = {MONITOR_CRITICAL, MONITOR_UNKNOWN,
                                                   MONITOR_WARNING, MONITOR_OK};
        for (size_t k = 0; m->n > 1 && k < 4; k++)
                for (size_t i = 0; i < m->n; i++) {
                        if (m->v[i].state != order[k])
                                continue;
                        fprintf(out, "%s - ", monitor_state_name(m->v[i].state));
                        nagios_target(out, &m->v[i]);
                        fputc('\n', out);
                }
}

/* ------------------------------------------------------------ Prometheus */

/* A label value: backslash, double quote and line feed escaped. */
static void prom_label(FILE *out, const char *name, const char *value)
{
        fprintf(out, "%s=\"", name);
        for (const char *s = value; *s; s++) {
                if (*s == '\\' || *s == '"')
                        fprintf(out, "\\%c", *s);
                else if (*s == '\n')
                        fputs("\\n", out);
                else
                        fputc(*s, out);
        }
        fputc('"', out);
}

static void prom_target_labels(FILE *out, const struct mon_target *t)
{
        prom_label(out, "target", t->target);
        fputc(',', out);
        prom_label(out, "ip", t->ip);
}

static void prom_family(FILE *out, const char *name, const char *help)
{
        fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void prom_write(const struct monitor *m, FILE *out, int64_t now)
{
        prom_family(out, "ptrwiz_check_status",
                    "Verdict of the reverse DNS check: 0 pass, 1 warn, 2 fail, 3 unknown "
                    "(this machine reached no DNS server).");
        for (size_t i = 0; i < m->n; i++) {
                fputs("ptrwiz_check_status{", out);
                prom_target_labels(out, &m->v[i]);
                fprintf(out, "} %d\n", (int)m->v[i].verdict);
        }
        prom_family(out, "ptrwiz_check_success",
                    "1 when the check passes or only warns, 0 when it fails or is unknown.");
        for (size_t i = 0; i < m->n; i++) {
                fputs("ptrwiz_check_success{", out);
                prom_target_labels(out, &m->v[i]);
                fprintf(out, "} %d\n",
                        m->v[i].verdict == VERDICT_PASS || m->v[i].verdict == VERDICT_WARN);
        }
        prom_family(out, "ptrwiz_finding",
                    "A finding of the check, by code and severity (1 while it is found).");
        for (size_t i = 0; i < m->n; i++)
                for (size_t k = 0; k < m->v[i].nfindings; k++) {
                        fputs("ptrwiz_finding{", out);
                        prom_target_labels(out, &m->v[i]);
                        fputc(',', out);
                        prom_label(out, "code", finding_code_name(m->v[i].findings[k].code));
                        fputc(',', out);
                        prom_label(out, "severity", severity_name(m->v[i].findings[k].severity));
                        fputs("} 1\n", out);
                }
        prom_family(out, "ptrwiz_check_duration_seconds", "How long the check took.");
        for (size_t i = 0; i < m->n; i++) {
                fputs("ptrwiz_check_duration_seconds{", out);
                prom_target_labels(out, &m->v[i]);
                fprintf(out, "} %.3f\n", m->v[i].elapsed_ms / 1000.0);
        }
        prom_family(out, "ptrwiz_check_queries", "DNS queries the check sent.");
        for (size_t i = 0; i < m->n; i++) {
                fputs("ptrwiz_check_queries{", out);
                prom_target_labels(out, &m->v[i]);
                fprintf(out, "} %llu\n", (unsigned long long)m->v[i].queries);
        }
        bool views = false;
        for (size_t i = 0; i < m->n; i++)
                views = views || m->v[i].nviews > 0;
        if (views) {
                prom_family(out, "ptrwiz_resolver_view_ttl_seconds",
                            "Seconds a named resolver (--resolver-view) keeps its answer for the "
                            "PTR (-1: unknown or failed).");
                for (size_t i = 0; i < m->n; i++)
                        for (size_t k = 0; k < m->v[i].nviews; k++) {
                                fputs("ptrwiz_resolver_view_ttl_seconds{", out);
                                prom_target_labels(out, &m->v[i]);
                                fputc(',', out);
                                prom_label(out, "resolver", m->v[i].view_server[k]);
                                fprintf(out, "} %lld\n", (long long)m->v[i].view_left[k]);
                        }
        }
        prom_family(out, "ptrwiz_last_run_timestamp_seconds",
                    "When ptrwiz wrote these metrics (Unix time).");
        fprintf(out, "ptrwiz_last_run_timestamp_seconds %lld\n", (long long)now);
}

/* Natural order ("198.18.1.9" before "198.18.1.10"): results arrive as
 * checks finish, and the same targets should give the same text. */
static int target_order(const void *pa, const void *pb)
{
        const struct mon_target *a = pa, *b = pb;
        int c = strverscmp(a->target, b->target);
        return c ? c : strverscmp(a->ip, b->ip);
}

void monitor_write(struct monitor *m, FILE *out, int64_t now)
{
        if (m->n > 1)
                qsort(m->v, m->n, sizeof(m->v[0]), target_order);
        if (m->fmt == MONITOR_NAGIOS)
                nagios_write(m, out);
        else
                prom_write(m, out, now);
}

void monitor_write_unknown(enum monitor_format fmt, FILE *out, const char *why)
{
        if (fmt == MONITOR_NAGIOS) {
                fputs("PTRWIZ UNKNOWN - ", out);
                nagios_text(out, why);
                fputc('\n', out);
        }
        /* Prometheus: write nothing; the textfile keeps its last metrics. */
}
