/* Options shared by the DNS commands, validated here so every command
 * rejects bad values the same way, with the value named. */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptrwiz/addr.h"
#include "ptrwiz/escape.h"
#include "ptrwiz/hostname.h"
#include "ptrwiz/loop.h"

void cli_error(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        fputs("ptrwiz: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
}

void cli_bad_option(const char *command, char **argv)
{
        char shown[64];
        const char *bad = argv[optind - 1];
        escape_buf(bad, strlen(bad), 0, shown, sizeof(shown));
        /* getopt_long sets optopt to the option's id when its value is missing. */
        const char *what = optopt >= OPT_ROOT_HINTS ? "missing value for" : "unknown option";
        if (command)
                cli_error("%s: %s '%s' (see ptrwiz %s --help)", command, what, shown, command);
        else
                cli_error("%s '%s' (see ptrwiz --help)", what, shown);
}

bool cli_use_color(int fd)
{
        const char *nc = getenv("NO_COLOR");
        const char *term = getenv("TERM");
        if (nc && nc[0])
                return false;
        if (!term || strcmp(term, "dumb") == 0)
                return false;
        return isatty(fd);
}

int cli_parse_number(const char *opt, const char *arg, long min, long max, const char *unit,
                     int *out)
{
        char *end = NULL;
        errno = 0;
        long v = strtol(arg, &end, 10);
        if (errno || end == arg || *end || v < min || v > max) {
                char shown[64];
                escape_buf(arg, strlen(arg), ESCAPE_KEEP_SPACE, shown, sizeof(shown));
                cli_error("%s: '%s' is not a number of %s (%ld to %ld)", opt, shown, unit, min,
                          max);
                return -1;
        }
        *out = (int)v;
        return 0;
}

static int parse_name(const char *opt, const char *arg, char *buf, size_t len, const char **out)
{
        char err[300];
        if (hostname_to_alabels(arg, buf, len, err, sizeof(err)) < 0) {
                cli_error("%s: %s", opt, err);
                return -1;
        }
        *out = buf;
        return 0;
}

/* recursive, system, or ADDR[@PORT]: a typo is bad input (exit 2), not a
 * resolver that failed to start (exit 3). */
static int check_resolver_mode(const char *opt, const char *arg)
{
        if (strcmp(arg, "recursive") == 0 || strcmp(arg, "system") == 0)
                return 0;
        char host[128], err[200], shown[160];
        const char *at = strchr(arg, '@');
        size_t hostlen = at ? (size_t)(at - arg) : strlen(arg);
        struct addr a;
        escape_buf(arg, strlen(arg), 0, shown, sizeof(shown));
        if (hostlen >= sizeof(host)) {
                cli_error("%s: '%s' is too long", opt, shown);
                return -1;
        }
        memcpy(host, arg, hostlen);
        host[hostlen] = '\0';
        if (addr_parse(host, &a, err, sizeof(err)) < 0) {
                cli_error("%s: '%s' is not %sADDR[@PORT]", opt, shown,
                          strcmp(opt, "--resolver") == 0 ? "recursive, system or " : "");
                return -1;
        }
        if (at) {
                char *end = NULL;
                long port = strtol(at + 1, &end, 10);
                if (end == at + 1 || *end || port < 1 || port > 65535) {
                        cli_error("%s: '%s' has a bad port (1 to 65535)", opt, shown);
                        return -1;
                }
        }
        return 0;
}

/* ADDR[@PORT],...: each one is a forwarder for its own view context. */
static int parse_views(struct cli_common *c, const char *arg)
{
        const char *p = arg;
        do {
                size_t n = strcspn(p, ",");
                char one[64], shown[80];
                escape_buf(p, n, 0, shown, sizeof(shown));
                if (c->nviews == CHECK_MAX_VIEWS || n == 0 || n >= sizeof(one)) {
                        cli_error("--resolver-view: '%s': want ADDR[@PORT], at most %d", shown,
                                  CHECK_MAX_VIEWS);
                        return -1;
                }
                memcpy(one, p, n);
                one[n] = '\0';
                if (strcmp(one, "system") == 0 || strcmp(one, "recursive") == 0) {
                        cli_error("--resolver-view: '%s' is not ADDR[@PORT]", shown);
                        return -1;
                }
                if (check_resolver_mode("--resolver-view", one) < 0)
                        return -1;
                memcpy(c->views_buf[c->nviews], one, n + 1);
                c->views[c->nviews] = c->views_buf[c->nviews];
                c->nviews++;
                p += n;
        } while (*p++ == ',');
        return 1;
}

int cli_common_option(struct cli_common *c, int opt, const char *arg)
{
        switch (opt) {
        case OPT_ROOT_HINTS:
                c->resolver.root_hints = arg;
                return 1;
        case OPT_TRUST_ANCHOR:
                c->resolver.trust_anchor = arg;
                return 1;
        case OPT_RESOLVER:
                if (check_resolver_mode("--resolver", arg) < 0)
                        return -1;
                c->resolver.resolver = arg;
                return 1;
        case OPT_TIMEOUT:
                return cli_parse_number("--timeout", arg, 1, 600000, "milliseconds",
                                        &c->resolver.timeout_ms) < 0
                           ? -1
                           : 1;
        case OPT_EXPECT_HOST:
                return parse_name("--expect-host", arg, c->expect_host_buf,
                                  sizeof(c->expect_host_buf), &c->expect_host) < 0
                           ? -1
                           : 1;
        case OPT_EXPECT_DOMAIN:
                return parse_name("--expect-domain", arg, c->expect_domain_buf,
                                  sizeof(c->expect_domain_buf), &c->expect_domain) < 0
                           ? -1
                           : 1;
        case OPT_EXPECT_NS:
                if (c->nexpect_ns == (int)(sizeof(c->expect_ns) / sizeof(c->expect_ns[0]))) {
                        cli_error("--expect-ns: at most 8");
                        return -1;
                }
                if (parse_name("--expect-ns", arg, c->expect_ns_buf[c->nexpect_ns],
                               sizeof(c->expect_ns_buf[0]), &c->expect_ns[c->nexpect_ns]) < 0)
                        return -1;
                c->nexpect_ns++;
                return 1;
        case OPT_DNSBL:
                if (c->ndnsbl == CHECK_MAX_DNSBL) {
                        cli_error("--dnsbl: at most %d", CHECK_MAX_DNSBL);
                        return -1;
                }
                if (parse_name("--dnsbl", arg, c->dnsbl_buf[c->ndnsbl], sizeof(c->dnsbl_buf[0]),
                               &c->dnsbl[c->ndnsbl]) < 0)
                        return -1;
                c->ndnsbl++;
                return 1;
        case OPT_RESOLVER_VIEW:
                return parse_views(c, arg);
        case OPT_JSON:
                c->json = true;
                return 1;
        case OPT_QUICK:
                c->quick = true;
                return 1;
        default:
                return 0;
        }
}

struct trace_opts cli_trace_opts(const struct cli_common *c, int deadline_ms)
{
        return (struct trace_opts){.root_hints = c->resolver.root_hints,
                                   .timeout_ms = c->resolver.timeout_ms,
                                   .deadline_ms = deadline_ms,
                                   .expect_ns = c->expect_ns,
                                   .nexpect_ns = c->nexpect_ns};
}

struct check_opts cli_check_opts(const struct cli_common *c, int check_deadline_ms)
{
        int deadline = check_deadline_ms > 0 ? check_deadline_ms : CHECK_DEFAULT_DEADLINE_MS;
        /* The trace must end, with its findings, before the check's deadline:
         * what it measured is what the check can say when time runs out. */
        int trace_deadline = deadline / 4 * 3;
        return (struct check_opts){.expect_host = c->expect_host,
                                   .expect_domain = c->expect_domain,
                                   .quick = c->quick,
                                   .deadline_ms = deadline,
                                   .trace =
                                       cli_trace_opts(c, trace_deadline > 0 ? trace_deadline : 1),
                                   .views = c->views,
                                   .nviews = (size_t)c->nviews,
                                   .dnsbl = c->dnsbl,
                                   .ndnsbl = (size_t)c->ndnsbl};
}

int cli_job_open(struct cli_job *j, const struct cli_common *c, const char *cmd)
{
        char err[512];
        j->lp = loop_new();
        j->r = j->lp ? resolver_new(&c->resolver, j->lp, err, sizeof(err)) : NULL;
        if (j->r)
                return 0;
        cli_error("%s: %s", cmd, j->lp ? err : "out of memory");
        loop_free(j->lp);
        j->lp = NULL;
        return -1;
}

int cli_job_step(struct cli_job *j, const char *cmd)
{
        if (loop_run_once(j->lp, 1000) >= 0)
                return 0;
        cli_error("%s: poll failed: %s", cmd, strerror(errno));
        return -1;
}

void cli_job_close(struct cli_job *j)
{
        resolver_free(j->r);
        loop_free(j->lp);
        j->r = NULL;
        j->lp = NULL;
}
