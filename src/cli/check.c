/* ptrwiz check: options, and the output of the engine's bulk run (text or
 * JSON Lines, a progress line and a summary on stderr). The scheduling of
 * the targets is the engine's (bulk.h); each result is rendered as soon as
 * it is in and printed when bulk hands it over, in input order. */
#include "cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptrwiz/bulk.h"
#include "ptrwiz/check.h"
#include "ptrwiz/conffile.h"
#include "ptrwiz/loop.h"
#include "ptrwiz/report.h"

#define PROGRESS_INTERVAL_MS 100

/* check's own options, numbered from OPT_COMMAND_BASE. */
enum check_option_id {
        OPT_CONCURRENCY = OPT_COMMAND_BASE,
        OPT_ZONE_CONCURRENCY,
        OPT_DEADLINE,
        OPT_FILE,
};

struct check_cli {
        struct cli_common common;
        int concurrency, zone_concurrency, deadline_ms;
        struct bulk_source *sources; /* in command-line order */
        size_t nsources;
};

static const char check_usage[] =
    "usage: ptrwiz check [options] TARGET...\n"
    "Checks the reverse DNS of each address for mail: PTR, forward confirmation, names.\n"
    "A TARGET is one of:\n"
    "  198.18.2.25, 2001:db8::25\n"
    "                        an IP address\n"
    "  198.18.2.0/28         a CIDR block: at most /16 for IPv4, /112 for IPv6 (65536\n"
    "                        addresses); with host bits set (198.18.2.5/28) the block\n"
    "                        they are in is checked, with a note\n"
    "  mx.example.com        a host name: every address of its A and AAAA records is\n"
    "                        checked, and each result says whether its PTR points\n"
    "                        back to the name\n"
    "  -                     targets from stdin, one a line ('#' comments, blank lines\n"
    "                        skipped); a bad line is reported as FILE:LINE and skipped\n"
    "Results come in input order; with more than one, a summary line (pass, warn,\n"
    "fail, time, queries) goes to stderr, and a progress line when it is a terminal.\n"
    "  --file FILE           read targets from FILE, like '-' (repeatable)\n"
    "  --json                one JSON object per address per line; \"target\" is the\n"
    "                        target as typed, \"name_matches\" (host names) whether the\n"
    "                        PTR points back to that name\n"
    "  --quick               skip the delegation trace\n"
    "  --concurrency N       addresses checked at once (default 64, 1 to 1024)\n"
    "  --zone-concurrency K  addresses checked at once in one reverse zone, a /24 or an\n"
    "                        IPv6 /48 (default 32, 1 to 1024): the 2-4 servers of a\n"
    "                        zone answer all of its addresses, and the resolver does\n"
    "                        not say which server it asks, so the zone is the bound;\n"
    "                        a zone's first address goes alone, to prime the cache\n"
    "  --deadline MS         give up on one address after MS milliseconds (default\n"
    "                        30000; --timeout bounds each lookup): what did not\n"
    "                        answer by then counts as timed out\n" CLI_COMMON_USAGE
    "Exit: 0 pass or warn, 1 any fail, 2 bad usage or a bad line in a list,\n"
    "3 resolver setup failed, or no DNS server answers (it stops at once).\n";

static void add_source(struct check_cli *c, const char *text, bool is_list)
{
        c->sources[c->nsources].text = text;
        c->sources[c->nsources].is_list = is_list || strcmp(text, "-") == 0;
        c->nsources++;
}

/* check's own options: 1 handled, 0 not one of them, -1 a bad value. */
static int check_option(struct check_cli *c, int opt, const char *arg)
{
        switch (opt) {
        case 1: /* a TARGET, kept in order among --file options */
                add_source(c, arg, false);
                return 1;
        case OPT_FILE:
                add_source(c, arg, true);
                return 1;
        case OPT_CONCURRENCY:
                return cli_parse_number("--concurrency", arg, 1, BULK_MAX_CONCURRENCY, "addresses",
                                        &c->concurrency) < 0
                           ? -1
                           : 1;
        case OPT_ZONE_CONCURRENCY:
                return cli_parse_number("--zone-concurrency", arg, 1, BULK_MAX_CONCURRENCY,
                                        "addresses", &c->zone_concurrency) < 0
                           ? -1
                           : 1;
        case OPT_DEADLINE:
                return cli_parse_number("--deadline", arg, 1, 3600000, "milliseconds",
                                        &c->deadline_ms) < 0
                           ? -1
                           : 1;
        default:
                return 0;
        }
}

static int parse_args(struct check_cli *c, int argc, char **argv)
{
        static const struct option longopts[] = {
            CLI_COMMON_LONGOPTS,
            {"concurrency", required_argument, NULL, OPT_CONCURRENCY},
            {"zone-concurrency", required_argument, NULL, OPT_ZONE_CONCURRENCY},
            {"deadline", required_argument, NULL, OPT_DEADLINE},
            {"file", required_argument, NULL, OPT_FILE},
            {NULL, 0, NULL, 0}};
        int opt;
        opterr = 0;
        optind = 1;
        /* "-": targets come back as option 1, in order among the options. */
        while ((opt = getopt_long(argc, argv, "-", longopts, NULL)) != -1) {
                if (opt == OPT_HELP) {
                        fputs(check_usage, stdout);
                        return 1;
                }
                int rc = check_option(c, opt, optarg);
                if (rc == 0)
                        rc = cli_common_option(&c->common, opt, optarg);
                if (rc < 0)
                        return -1;
                if (rc == 0) {
                        cli_bad_option("check", argv);
                        return -1;
                }
        }
        for (; optind < argc; optind++) /* after "--" */
                add_source(c, argv[optind], false);
        if (c->nsources == 0) {
                cli_error("check: no target given (see ptrwiz check --help)");
                return -1;
        }
        return 0;
}

/* ------------------------------------------------------------ output */

struct out {
        bool json, progress, progress_shown, wrote;
        struct report_style style;
        size_t printed;
        int64_t progress_ms;
};

/* A host name that gave no address to check. */
static char *render_error(const struct out *o, const struct bulk_item *item)
{
        char *line = NULL;
        if (o->json) {
                json_t *obj = json_pack("{s:s, s:n, s:s, s:s}", "target", item->target, "ip",
                                        "error", item->error, "verdict", "fail");
                char *s = obj ? json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
                json_decref(obj);
                if (s && asprintf(&line, "%s\n", s) < 0)
                        line = NULL;
                free(s);
        } else if (asprintf(&line, ";; ptrwiz check %s\n;; error: %s\n\n;; verdict: fail\n",
                            item->target, item->error) < 0) {
                line = NULL;
        }
        return line;
}

/* bulk_render_cb: the text or JSON of one result, as soon as it is in. */
static char *render(void *arg, const struct bulk_item *item, const struct check_result *res)
{
        const struct out *o = arg;
        if (!res)
                return render_error(o, item);
        if (o->json) {
                struct report_target t = {.target = item->target,
                                          .name_matches = item->name_matches};
                char *obj = report_json(res, &t), *line = NULL;
                if (obj && asprintf(&line, "%s\n", obj) < 0)
                        line = NULL;
                free(obj);
                return line;
        }
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f)
                return NULL;
        if (item->host_name)
                fprintf(f, ";; target %s: address %zu of %zu; the PTR %s to %s\n", item->target,
                        item->host_index, item->host_count,
                        item->name_matches > 0 ? "points back" : "does NOT point back",
                        item->host_name);
        report_text(f, res, &o->style);
        fclose(f);
        return buf;
}

static void progress_clear(struct out *o)
{
        if (o->progress_shown)
                fputs("\r\033[K", stderr);
        o->progress_shown = false;
}

static void progress_draw(struct out *o, const struct bulk *b)
{
        int64_t now = loop_now_ms();
        struct bulk_stats st;
        bulk_stats(b, &st);
        if (!o->progress || st.total == 1 || now - o->progress_ms < PROGRESS_INTERVAL_MS)
                return;
        o->progress_ms = now;
        size_t done = st.verdicts[0] + st.verdicts[1] + st.verdicts[2];
        char total[40] = "";
        if (st.total)
                snprintf(total, sizeof(total), " of %llu", (unsigned long long)st.total);
        fprintf(stderr, "\r\033[Kptrwiz: %zu%s checked, %zu in flight, %zu fail, %.1f s", done,
                total, st.running, st.verdicts[VERDICT_FAIL], st.elapsed_ms / 1000.0);
        o->progress_shown = true;
}

/* bulk_event_cb: results in input order on stdout, notes on stderr. */
static void on_event(void *arg, const struct bulk_event *ev)
{
        struct out *o = arg;
        switch (ev->kind) {
        case BULK_EV_RESULT:
                progress_clear(o);
                if (!o->json && o->printed > 0)
                        fputc('\n', stdout);
                fputs(ev->text, stdout);
                o->printed++;
                o->wrote = true;
                break;
        case BULK_EV_NOTE:
                progress_clear(o);
                cli_error("note: %s", ev->message);
                break;
        case BULK_EV_BAD_LINE:
                progress_clear(o);
                cli_error("%s", ev->message);
                break;
        }
}

static void summary(const struct bulk *b)
{
        struct bulk_stats st;
        bulk_stats(b, &st);
        size_t n = st.verdicts[0] + st.verdicts[1] + st.verdicts[2];
        if (n < 2)
                return;
        fprintf(stderr, "ptrwiz: %zu checked: %zu pass, %zu warn, %zu fail; %.2f s, %llu queries\n",
                n, st.verdicts[VERDICT_PASS], st.verdicts[VERDICT_WARN], st.verdicts[VERDICT_FAIL],
                st.elapsed_ms / 1000.0, (unsigned long long)st.queries);
}

/* Drives the run through the one loop until bulk says it is over. */
static int run_checks(struct bulk_opts *bo, const struct resolver_opts *ro, struct out *o)
{
        char err[512];
        bo->render = render;
        bo->render_arg = o;
        struct bulk *b = bulk_new(bo, err, sizeof(err));
        if (!b) {
                cli_error("%s", err);
                return EXIT_USAGE;
        }
        struct loop *lp = loop_new();
        struct resolver *r = lp ? resolver_new(ro, lp, err, sizeof(err)) : NULL;
        if (!r || bulk_start(b, r, on_event, o) < 0) {
                cli_error("%s", lp && !r ? err : "out of memory");
                bulk_free(b);
                resolver_free(r);
                loop_free(lp);
                return EXIT_RESOLVER;
        }
        int status = -1;
        enum bulk_state state;
        while ((state = bulk_state(b, err, sizeof(err))) == BULK_RUNNING) {
                progress_draw(o, b);
                if (loop_run_once(lp, o->progress ? PROGRESS_INTERVAL_MS : 1000) < 0) {
                        cli_error("poll failed");
                        status = EXIT_RESOLVER;
                        break;
                }
                if (o->wrote)
                        fflush(stdout);
                o->wrote = false;
        }
        fflush(stdout);
        progress_clear(o);
        if (status < 0 && state != BULK_DONE) {
                cli_error("%s", err);
                status = EXIT_RESOLVER;
        }
        if (status < 0) {
                struct bulk_stats st;
                summary(b);
                bulk_stats(b, &st);
                status = st.bad_line                 ? EXIT_USAGE
                         : st.verdicts[VERDICT_FAIL] ? EXIT_FAIL
                                                     : EXIT_PASS;
        }
        bulk_free(b);
        resolver_free(r);
        loop_free(lp);
        return status;
}

int cli_check(int argc, char **argv)
{
        struct check_cli c = {.concurrency = BULK_DEFAULT_CONCURRENCY,
                              .zone_concurrency = BULK_DEFAULT_ZONE_CONCURRENCY,
                              .deadline_ms = BULK_DEFAULT_DEADLINE_MS};
        c.sources = calloc((size_t)argc, sizeof(*c.sources));
        if (!c.sources) {
                cli_error("out of memory");
                return EXIT_RESOLVER;
        }
        int rc = parse_args(&c, argc, argv);
        int status = rc < 0 ? EXIT_USAGE : EXIT_PASS;
        char note[600];
        if (rc == 0 && !c.common.quick &&
            resolver_trace_note(&c.common.resolver, note, sizeof(note)))
                cli_error("check: %s%s", c.common.resolver.root_hints ? "" : "no trace: ", note);
        if (rc == 0) {
                struct bulk_opts o = {
                    .check = cli_check_opts(&c.common, c.deadline_ms),
                    .concurrency = c.concurrency,
                    .zone_concurrency = c.zone_concurrency,
                    .deadline_ms = c.deadline_ms,
                    .sources = c.sources,
                    .nsources = c.nsources,
                };
                struct out out = {.json = c.common.json,
                                  .style = {.color = cli_use_color(STDOUT_FILENO)},
                                  .progress = isatty(STDERR_FILENO)};
                /* The traces of a run share the addresses of name servers
                 * and the zone cuts above their names. */
                o.check.trace.cache = trace_cache_new();
                o.check.trace.deleg = trace_deleg_new();
                /* Read the root hints once for every trace of the run. */
                struct conffile_hints hints = {0};
                char err[512];
                if (o.check.trace.root_hints &&
                    conffile_root_hints(o.check.trace.root_hints, &hints, err, sizeof(err)) == 0)
                        o.check.trace.hints = &hints;
                status = run_checks(&o, &c.common.resolver, &out);
                conffile_hints_clear(&hints);
                trace_deleg_free(o.check.trace.deleg);
                trace_cache_free(o.check.trace.cache);
        }
        free(c.sources);
        return status;
}
