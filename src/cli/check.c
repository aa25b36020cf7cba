/* ptrwiz check: options and targets; the engine's bulk module schedules
 * the checks and run.c prints each result in input order as soon as it and
 * all before it are done. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/run.h"
#include "cli/watch.h"
#include "ptrwiz/check.h"
#include "ptrwiz/conffile.h"
#include "ptrwiz/escape.h"
#include "ptrwiz/monitor.h"

/* check's own options, numbered from OPT_COMMAND_BASE. */
enum check_option_id {
        OPT_CONCURRENCY = OPT_COMMAND_BASE,
        OPT_ZONE_CONCURRENCY,
        OPT_DEADLINE,
        OPT_FILE,
        OPT_FORMAT,
        OPT_WATCH,
        OPT_UNTIL_PASS,
        OPT_TICKET,
};

enum check_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_NAGIOS, FORMAT_PROMETHEUS };

struct check_cli {
        struct cli_common common;
        int concurrency, zone_concurrency, deadline_ms;
        bool zone_fixed;
        bool ticket;
        struct bulk_source *sources; /* in command-line order */
        size_t nsources;
        enum check_format format;
        int watch_s; /* --watch SECONDS; 0: check once */
        bool until_pass;
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
    "  --ticket              after each report, a message for whoever must act (the\n"
    "                        record to create, the zone's SOA contact as an address)\n"
    "  --concurrency N       addresses checked at once (default 128, 1 to 1024)\n"
    "  --zone-concurrency K  addresses checked at once in one reverse zone, a /24 or an\n"
    "                        IPv6 /48 (1 to 1024): the 2-4 servers of a zone answer\n"
    "                        all of its addresses, and the resolver does not say\n"
    "                        which server it asks, so the zone is the bound. A zone's\n"
    "                        first address goes alone until its PTR answer is in (the\n"
    "                        delegation is then cached); without this option the\n"
    "                        zone starts at 32 and grows while no lookup times out,\n"
    "                        halving on a timeout; with it, K is fixed\n"
    "  --deadline MS         the whole check of one address, lookups and trace, in\n"
    "                        milliseconds (default 30000); when it passes, the check\n"
    "                        says what it measured and blames no server it did not\n"
    "                        see fail\n"
    "  --format FMT          text (default), json (= --json), nagios (a Nagios/Icinga\n"
    "                        plugin: one status line, perfdata, exit 0/1/2/3 for\n"
    "                        OK/WARNING/CRITICAL/UNKNOWN) or prometheus (the text\n"
    "                        format, for node_exporter's textfile collector)\n"
    "  --watch SECONDS       check again every SECONDS until Ctrl-C, printing only\n"
    "                        what changed, with a UTC timestamp (text or --json);\n"
    "                        the exit status is the last finished run's\n"
    "  --until-pass          with --watch: stop once every target passes or "
    "warns\n" CLI_COMMON_USAGE
    "Exit: 0 pass or warn, 1 any fail, 2 bad usage or a bad line in a list,\n"
    "3 resolver setup failed, or no DNS server answers (it stops at once);\n"
    "--format nagios: 0/1/2/3 as Nagios wants.\n";

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
        case OPT_TICKET:
                c->ticket = true;
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
                c->zone_fixed = true;
                return cli_parse_number("--zone-concurrency", arg, 1, BULK_MAX_CONCURRENCY,
                                        "addresses", &c->zone_concurrency) < 0
                           ? -1
                           : 1;
        case OPT_FORMAT: {
                static const char *const names[] = {"text", "json", "nagios", "prometheus"};
                for (int i = 0; i < 4; i++)
                        if (strcmp(arg, names[i]) == 0) {
                                c->format = (enum check_format)i;
                                c->common.json = c->format == FORMAT_JSON;
                                return 1;
                        }
                char shown[64];
                escape_buf(arg, strlen(arg), 0, shown, sizeof(shown));
                cli_error("--format: '%s' is not text, json, nagios or prometheus", shown);
                return -1;
        }
        case OPT_WATCH:
                return cli_parse_number("--watch", arg, 1, 86400, "seconds", &c->watch_s) < 0 ? -1
                                                                                              : 1;
        case OPT_UNTIL_PASS:
                c->until_pass = true;
                return 1;
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
            {"format", required_argument, NULL, OPT_FORMAT},
            {"watch", required_argument, NULL, OPT_WATCH},
            {"until-pass", no_argument, NULL, OPT_UNTIL_PASS},
            {"ticket", no_argument, NULL, OPT_TICKET},
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
        if (c->common.json && c->format == FORMAT_TEXT)
                c->format = FORMAT_JSON;
        if (c->until_pass && !c->watch_s) {
                cli_error("check: --until-pass needs --watch SECONDS");
                return -1;
        }
        if (c->watch_s && c->format >= FORMAT_NAGIOS) {
                cli_error("check: --watch prints changes as text or JSON; a monitoring system "
                          "runs --format %s itself, once per interval",
                          c->format == FORMAT_NAGIOS ? "nagios" : "prometheus");
                return -1;
        }
        return 0;
}

static void collect_result(void *arg, struct check_result *res, const char *target)
{
        if (monitor_add(arg, res, target) < 0)
                cli_error("out of memory");
        check_result_free(res);
}

static void collect_error(void *arg, const char *target, const char *why)
{
        if (monitor_add_error(arg, target, why) < 0)
                cli_error("out of memory");
}

/* --format nagios/prometheus: results are collected, written at the end. */
static int run_monitor(struct check_run *o, enum check_format format)
{
        enum monitor_format mf = format == FORMAT_NAGIOS ? MONITOR_NAGIOS : MONITOR_PROMETHEUS;
        struct monitor *m = monitor_new(mf);
        if (!m) {
                monitor_write_unknown(mf, stdout, "out of memory");
                return mf == MONITOR_NAGIOS ? MONITOR_UNKNOWN : EXIT_RESOLVER;
        }
        o->on_result = collect_result;
        o->on_error = collect_error;
        o->on_arg = m;
        int status = cli_run_checks(o);
        bool broken = status == EXIT_RESOLVER || status == EXIT_USAGE;
        /* Nagios: bad input is UNKNOWN whatever the rest found; Prometheus
         * keeps the metrics of the good lines of a list. */
        if (broken && (mf == MONITOR_NAGIOS || monitor_status(m) == MONITOR_UNKNOWN))
                monitor_write_unknown(mf, stdout,
                                      status == EXIT_USAGE
                                          ? "bad input (see the error on stderr)"
                                          : "the resolver could not be set up (see stderr)");
        else
                monitor_write(m, stdout, (int64_t)time(NULL));
        if (mf == MONITOR_NAGIOS)
                status = broken ? MONITOR_UNKNOWN : monitor_status(m);
        monitor_free(m);
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
        if (rc < 0 && c.format == FORMAT_NAGIOS) {
                /* The guidelines: bad arguments are UNKNOWN. */
                monitor_write_unknown(MONITOR_NAGIOS, stdout, "bad usage (see stderr)");
                status = MONITOR_UNKNOWN;
        }
        char note[600];
        if (rc == 0 && !c.common.quick &&
            resolver_trace_note(&c.common.resolver, note, sizeof(note)))
                cli_error("check: %s%s", c.common.resolver.root_hints ? "" : "no trace: ", note);
        /* One lookup may take the whole deadline (a cold recursion to far servers). */
        c.common.resolver.deadline_ms = c.deadline_ms;
        if (rc == 0) {
                struct check_run o = {
                    .resolver = &c.common.resolver,
                    .bulk =
                        {
                            .check = cli_check_opts(&c.common, c.deadline_ms),
                            .concurrency = c.concurrency,
                            .zone_concurrency = c.zone_concurrency,
                            .zone_fixed = c.zone_fixed,
                            .deadline_ms = c.deadline_ms,
                            .sources = c.sources,
                            .nsources = c.nsources,
                        },
                    .json = c.common.json,
                    .style = {.color = cli_use_color(STDOUT_FILENO),
                              .ticket = c.ticket,
                              .ticket_host = c.common.expect_host},
                    .progress = isatty(STDERR_FILENO),
                };
                struct trace_opts *to = &o.bulk.check.trace;
                /* The traces of a run share the addresses of name servers
                 * and the zone cuts above their names. */
                to->cache = trace_cache_new();
                to->deleg = trace_deleg_new();
                /* Read the root hints once for every trace of the run. */
                struct conffile_hints hints = {0};
                char err[512];
                if (to->root_hints &&
                    conffile_root_hints(to->root_hints, &hints, err, sizeof(err)) == 0)
                        to->hints = &hints;
                if (c.watch_s)
                        status = watch_run(&o, c.watch_s, c.until_pass);
                else if (c.format >= FORMAT_NAGIOS)
                        status = run_monitor(&o, c.format);
                else
                        status = cli_run_checks(&o);
                conffile_hints_clear(&hints);
                trace_deleg_free(to->deleg);
                trace_cache_free(to->cache);
        }
        free(c.sources);
        return status;
}
