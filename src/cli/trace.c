/* ptrwiz trace: the delegation of an address's PTR name from the root,
 * every server of every zone cut asked, printed like dig +trace plus a
 * table of all servers; then the one diagnosis of the address (the check
 * run with this trace): the same findings, verdict and party to act as
 * ptrwiz check gives. */
#include "cli/cli.h"

#include <errno.h>
#include <ldns/ldns.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ptrwiz/check.h"
#include "ptrwiz/conffile.h"
#include "ptrwiz/escape.h"
#include "ptrwiz/report.h"
#include "ptrwiz/revname.h"
#include "ptrwiz/trace.h"

enum trace_option_id { OPT_DEADLINE = OPT_COMMAND_BASE, OPT_NO_CACHE };

struct trace_cli {
        struct cli_common common;
        int deadline_ms;
        bool no_cache;
        struct addr ip;
        char ip_text[ADDR_STRLEN];
        struct check_result *res; /* the one diagnosis: the check with this trace */
        bool done;
};

static const char trace_usage[] =
    "usage: ptrwiz trace [options] IP\n"
    "Follows the reverse DNS delegation of IP from the root with non-recursive\n"
    "queries, asking every name server of every zone cut at every address, and\n"
    "says which server is wrong and who must fix it. The PTR, its zone and the\n"
    "forward lookups are checked beside it: the findings, verdict and who must\n"
    "act are the same as ptrwiz check gives.\n"
    "  --json                one JSON object: the zone cuts, every server, findings,\n"
    "                        verdict, actor and who\n"
    "  --deadline MS         give up on the whole trace after MS milliseconds\n"
    "                        (default 15000)\n"
    "  --root-hints FILE     start from a private root (e.g. the test lab)\n"
    "  --trust-anchor FILE   DNSSEC trust anchor (default: the system root key)\n"
    "  --expect-host NAME, --expect-domain DOM  as for check\n"
    "  --timeout MS          the longest wait for one server's reply (default 2000);\n"
    "                        resent at the server's measured round trip (unbound's\n"
    "                        376 ms before the first reply), doubling, 3 tries at most\n"
    "  --expect-ns NAME      a name server where you created the PTR (repeatable):\n"
    "                        is the zone delegated there?\n"
    "  --no-cache            look every name server's address up afresh; by default\n"
    "                        addresses found before are reused for their TTL, as a\n"
    "                        resolver would (kept in $XDG_CACHE_HOME/ptrwiz/ns-cache);\n"
    "                        the zone cuts of the traced name are always asked afresh\n"
    "Exit: 0 pass or warn, 1 an error finding, 2 bad usage, 3 setup failed or no\n"
    "server could be reached from here.\n";

/* The trace asks every zone's servers itself and never a resolver: a
 * --resolver would be ignored, so it is refused unless root hints say
 * where the trace starts. */
static int check_resolver_option(const struct resolver_opts *o)
{
        if (!o->resolver || strcmp(o->resolver, "recursive") == 0)
                return 0;
        if (!o->root_hints) {
                cli_error("trace: --resolver does not apply: the trace asks the name servers of "
                          "every zone itself, from the root (give --root-hints FILE to start "
                          "from a private root)");
                return -1;
        }
        char shown[300];
        escape_buf(o->root_hints, strlen(o->root_hints), ESCAPE_KEEP_SPACE | ESCAPE_KEEP_UTF8,
                   shown, sizeof(shown));
        cli_error("trace: --resolver is not used: the trace starts from the root hints %s", shown);
        return 0;
}

static int parse_args(struct trace_cli *c, int argc, char **argv)
{
        static const struct option longopts[] = {
            CLI_COMMON_LONGOPTS,
            {"deadline", required_argument, NULL, OPT_DEADLINE},
            {"no-cache", no_argument, NULL, OPT_NO_CACHE},
            {NULL, 0, NULL, 0}};
        int opt, ntargets = 0;
        const char *target = NULL;
        opterr = 0;
        optind = 1;
        /* "-": the target comes back as option 1, so options may follow it
         * (as for check). */
        while ((opt = getopt_long(argc, argv, "-", longopts, NULL)) != -1) {
                if (opt == OPT_HELP) {
                        fputs(trace_usage, stdout);
                        return 1;
                }
                int rc;
                if (opt == 1) {
                        target = optarg;
                        ntargets++;
                        continue;
                }
                if (opt == OPT_DEADLINE)
                        rc = cli_parse_number("--deadline", optarg, 1, 3600000, "milliseconds",
                                              &c->deadline_ms) < 0
                                 ? -1
                                 : 1;
                else if ((rc = opt == OPT_NO_CACHE))
                        c->no_cache = true;
                else
                        rc = cli_common_option(&c->common, opt, optarg);
                if (rc < 0)
                        return -1;
                if (rc == 0) {
                        cli_bad_option("trace", argv);
                        return -1;
                }
        }
        for (; optind < argc; optind++, ntargets++) /* after "--" */
                target = argv[optind];
        if (ntargets != 1) {
                cli_error("trace: give exactly one IP address (see ptrwiz trace --help)");
                return -1;
        }
        if (check_resolver_option(&c->common.resolver) < 0)
                return -1;
        if (c->common.ndnsbl || c->common.nviews) {
                cli_error("trace: --dnsbl and --resolver-view are options of check and the wizard");
                return -1;
        }
        char err[256];
        if (addr_parse(target, &c->ip, err, sizeof(err)) < 0) {
                cli_error("trace: %s", err);
                return -1;
        }
        addr_format(&c->ip, c->ip_text, sizeof(c->ip_text));
        return 0;
}

/* On a terminal, the verdict so far as soon as only silent servers are
 * waited for; the trace and the final verdict follow after their timeouts. */
static void trace_progress(void *arg, const struct check_result *partial,
                           const struct resolver_answer *ans)
{
        (void)arg;
        char line[600];
        if (!ans && isatty(STDERR_FILENO) && report_so_far_line(partial, line, sizeof(line)))
                cli_error("%s", line);
}

static void trace_checked(void *arg, struct check_result *res)
{
        struct trace_cli *c = arg;
        c->res = res;
        c->done = true;
}

/* One cache per root: addresses learnt under a private root (the lab) must
 * never be used against the real one, nor the other way round. The key is
 * a hash of the root hints file's bytes ("" for the built-in root), read
 * as safely as the trace reads them (conffile). */
static uint64_t root_key(const char *root_hints)
{
        uint64_t h = 1469598103934665603ULL; /* FNV-1a */
        char *text = NULL, err[512];
        size_t len = 0;
        if (!root_hints)
                return h;
        if (conffile_read(root_hints, "root hints", &text, &len, err, sizeof(err)) < 0)
                return 0;
        for (size_t i = 0; i < len; i++) {
                h ^= (uint64_t)(unsigned char)text[i];
                h *= 1099511628211ULL;
        }
        free(text);
        return h;
}

/* $XDG_CACHE_HOME/ptrwiz/ns-cache[-KEY] (or ~/.cache/...), its directory
 * made; false when there is no such place. */
static bool cache_path(const char *root_hints, char *buf, size_t len)
{
        const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
        char dir[PATH_MAX];
        uint64_t key = root_key(root_hints);
        if (key == 0)
                return false; /* unreadable hints: the trace reports that itself */
        if (xdg && xdg[0] == '/')
                snprintf(dir, sizeof(dir), "%s/ptrwiz", xdg);
        else if (home && home[0] == '/')
                snprintf(dir, sizeof(dir), "%s/.cache/ptrwiz", home);
        else
                return false;
        char *slash = strrchr(dir, '/');
        *slash = '\0';
        mkdir(dir, 0700); /* ~/.cache may not exist yet */
        *slash = '/';
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return false;
        if (!root_hints)
                return snprintf(buf, len, "%s/ns-cache", dir) < (int)len;
        return snprintf(buf, len, "%s/ns-cache-%016llx", dir, (unsigned long long)key) < (int)len;
}

/* The cache only saves time: when it cannot be read or written, the trace
 * looks every address up. */
static struct trace_cache *cache_open(const struct trace_cli *c, char *path, size_t len)
{
        char err[512];
        struct trace_cache *cache = c->no_cache ? NULL : trace_cache_new();
        if (cache && cache_path(c->common.resolver.root_hints, path, len) &&
            trace_cache_load(cache, path, err, sizeof(err)) < 0)
                cli_error("trace: %s (not using it)", err);
        return cache;
}

static void cache_close(struct trace_cache *cache, const char *path)
{
        char err[512];
        if (cache && path[0])
                trace_cache_save(cache, path, err, sizeof(err));
        trace_cache_free(cache);
}

static void print_result(const struct trace_cli *c)
{
        if (c->common.json) {
                char *line = report_diagnosis_trace_json(c->res);
                if (line)
                        printf("%s\n", line);
                free(line);
        } else {
                struct report_style style = {.color = cli_use_color(STDOUT_FILENO)};
                report_diagnosis_trace_text(stdout, c->res, &style);
        }
}

static int exit_status(const struct check_result *res)
{
        const struct trace_result *t = res->trace;
        if (strcmp(report_diagnosis_trace_verdict(res), "unknown") == 0) {
                /* No answer, and nobody to blame: the trace could not run from here. */
                if (t && t->local_error)
                        cli_error("trace: %s (a fault of this host, not of any server)",
                                  t->local_error);
                return EXIT_RESOLVER;
        }
        return res->verdict == VERDICT_UNKNOWN ? EXIT_RESOLVER
               : res->verdict == VERDICT_FAIL  ? EXIT_FAIL
                                               : EXIT_PASS;
}

/* The trace is one half of the diagnosis, as in check and the wizard: the
 * lookups run beside it and both are combined by the engine. */
static int run_trace(struct trace_cli *c)
{
        char err[512];
        /* The trace starts from the root (hints) and so do its lookups:
         * --resolver is not used (check_resolver_option said so). */
        struct resolver_opts ro = c->common.resolver;
        ro.resolver = NULL;
        /* The lookups' deadline leaves the trace its own (a longer one raises it). */
        int check_deadline = c->deadline_ms / 3 * 4;
        struct check_opts opts = cli_check_opts(
            &c->common, check_deadline > CHECK_DEFAULT_DEADLINE_MS ? check_deadline : 0);
        opts.quick = false;
        opts.trace_local_zones = true;
        opts.trace = cli_trace_opts(&c->common, c->deadline_ms);
        char path[PATH_MAX] = "";
        opts.trace.cache = cache_open(c, path, sizeof(path));
        struct loop *lp = loop_new();
        struct resolver *r = lp ? resolver_new(&ro, lp, err, sizeof(err)) : NULL;
        struct check *chk =
            r ? check_start(r, &c->ip, &opts, trace_progress, trace_checked, c) : NULL;
        if (!chk) {
                cli_error("trace: %s", !lp  ? "out of memory"
                                       : !r ? err
                                            : "cannot start the trace (out of memory)");
                resolver_free(r);
                loop_free(lp);
                trace_cache_free(opts.trace.cache);
                return EXIT_RESOLVER;
        }
        while (!c->done)
                if (loop_run_once(lp, 1000) < 0) {
                        check_cancel(chk);
                        resolver_free(r);
                        loop_free(lp);
                        trace_cache_free(opts.trace.cache);
                        cli_error("trace: poll failed: %s", strerror(errno));
                        return EXIT_RESOLVER;
                }
        resolver_free(r);
        loop_free(lp);
        cache_close(opts.trace.cache, path);
        print_result(c);
        int status = exit_status(c->res);
        check_result_free(c->res);
        return status;
}

int cli_trace(int argc, char **argv)
{
        struct trace_cli c = {0};
        int rc = parse_args(&c, argc, argv);
        if (rc != 0)
                return rc > 0 ? EXIT_PASS : EXIT_USAGE;
        return run_trace(&c);
}
