/* ptrwiz trace: the delegation of an address's PTR name from the root,
 * every server of every zone cut asked, printed like dig +trace plus a
 * table of all servers and the findings. */
#include "cli/cli.h"

#include <errno.h>
#include <ldns/ldns.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
        struct trace_result *res;
};

static const char trace_usage[] =
    "usage: ptrwiz trace [options] IP\n"
    "Follows the reverse DNS delegation of IP from the root with non-recursive\n"
    "queries, asking every name server of every zone cut at every address, and\n"
    "says which server is wrong and who must fix it.\n"
    "  --json                one JSON object: the zone cuts, every server, findings\n"
    "  --deadline MS         give up on the whole trace after MS milliseconds\n"
    "                        (default 15000)\n"
    "  --root-hints FILE     start from a private root (e.g. the test lab)\n"
    "  --timeout MS          wait this long for each server (default 2000; one resend\n"
    "                        at half of it)\n"
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

static void trace_finished(void *arg, struct trace_result *res)
{
        struct trace_cli *c = arg;
        c->res = res;
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

static int run_trace(struct trace_cli *c)
{
        char owner[REVNAME_MAX], err[512];
        revname_owner(&c->ip, owner, sizeof(owner));
        struct trace_opts opts = cli_trace_opts(&c->common, c->deadline_ms);
        char path[PATH_MAX] = "";
        opts.cache = cache_open(c, path, sizeof(path));
        struct loop *lp = loop_new();
        struct trace *t = lp ? trace_start(lp, owner, LDNS_RR_TYPE_PTR, &opts, NULL, trace_finished,
                                           c, err, sizeof(err))
                             : NULL;
        if (!t) {
                cli_error("trace: %s", lp ? err : "out of memory");
                loop_free(lp);
                trace_cache_free(opts.cache);
                return EXIT_RESOLVER;
        }
        while (!c->res)
                if (loop_run_once(lp, 1000) < 0) {
                        trace_cancel(t);
                        loop_free(lp);
                        trace_cache_free(opts.cache);
                        cli_error("trace: poll failed: %s", strerror(errno));
                        return EXIT_RESOLVER;
                }
        loop_free(lp);
        cache_close(opts.cache, path);
        if (c->common.json) {
                char *line = report_trace_json(c->res, c->ip_text);
                if (line)
                        printf("%s\n", line);
                free(line);
        } else {
                struct report_style style = {.color = cli_use_color(STDOUT_FILENO)};
                report_trace_text(stdout, c->res, c->ip_text, &style);
        }
        int status =
            verdict_from_findings(&c->res->findings) == VERDICT_FAIL ? EXIT_FAIL : EXIT_PASS;
        /* No answer, and no finding says why: the trace could not run from here. */
        if (status == EXIT_PASS && !trace_outcome_good(c->res->final_outcome)) {
                status = EXIT_RESOLVER;
                if (c->res->local_error)
                        cli_error("trace: %s (a fault of this host, not of any server)",
                                  c->res->local_error);
        }
        trace_result_free(c->res);
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
