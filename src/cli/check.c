/* ptrwiz check: run the checks for every target through one loop and print
 * each result in input order as soon as it and all before it are done. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptrwiz/check.h"
#include "ptrwiz/escape.h"
#include "ptrwiz/report.h"

#define CHECK_DEFAULT_CONCURRENCY 32

struct run {
        struct cli_common common;
        struct report_style style;
        struct addr *targets;
        size_t ntargets;
        struct check_result **results;
        size_t next_start, next_print, running;
        int exit_status;
};

struct job {
        struct run *run;
        size_t index;
};

static const char check_usage[] =
        "usage: ptrwiz check [options] IP...\n"
        "Checks the reverse DNS of each IP for mail: PTR, forward confirmation, names.\n"
        "  --json                one JSON object per target per line\n"
        "  --quick               skip the delegation trace\n" CLI_COMMON_USAGE
        "Exit: 0 pass or warn, 1 any fail, 2 bad usage, 3 resolver setup failed.\n";

static void print_result(struct run *run, const struct check_result *res)
{
        if (run->common.json) {
                char *line = report_json(res);
                if (line) {
                        fputs(line, stdout);
                        fputc('\n', stdout);
                }
                free(line);
        } else {
                if (run->next_print > 0)
                        fputc('\n', stdout);
                report_text(stdout, res, &run->style);
        }
        if (res->verdict == VERDICT_FAIL)
                run->exit_status = EXIT_FAIL;
}

static void flush_ready(struct run *run)
{
        while (run->next_print < run->ntargets && run->results[run->next_print]) {
                print_result(run, run->results[run->next_print]);
                check_result_free(run->results[run->next_print]);
                run->results[run->next_print] = NULL;
                run->next_print++;
        }
        fflush(stdout);
}

static void job_done(void *arg, struct check_result *res)
{
        struct job *job = arg;
        struct run *run = job->run;
        run->results[job->index] = res;
        run->running--;
        free(job);
        flush_ready(run);
}

static int start_next(struct run *run, struct resolver *r)
{
        struct job *job = malloc(sizeof(*job));
        if (!job)
                return -1;
        job->run = run;
        job->index = run->next_start++;
        struct check_opts opts = {.expect_host = run->common.expect_host,
                                  .expect_domain = run->common.expect_domain,
                                  .quick = run->common.quick};
        if (!check_start(r, &run->targets[job->index], &opts, NULL, job_done, job)) {
                cli_error("cannot start the check of target %zu", job->index + 1);
                free(job);
                return -1;
        }
        run->running++;
        return 0;
}

static int run_checks(struct run *run)
{
        char err[512];
        struct loop *lp = loop_new();
        struct resolver *r = lp ? resolver_new(&run->common.resolver, lp, err, sizeof(err)) : NULL;
        if (!r) {
                cli_error("%s", lp ? err : "out of memory");
                loop_free(lp);
                return EXIT_RESOLVER;
        }
        while (run->next_print < run->ntargets) {
                while (run->next_start < run->ntargets &&
                       run->running < CHECK_DEFAULT_CONCURRENCY)
                        if (start_next(run, r) < 0)
                                goto out;
                if (loop_run_once(lp, 1000) < 0)
                        break;
        }
out:
        resolver_free(r);
        loop_free(lp);
        return run->next_print == run->ntargets ? run->exit_status : EXIT_RESOLVER;
}

static int parse_targets(struct run *run, int argc, char **argv)
{
        run->ntargets = (size_t)argc;
        run->targets = calloc(run->ntargets, sizeof(*run->targets));
        run->results = calloc(run->ntargets, sizeof(*run->results));
        if (!run->targets || !run->results)
                return -1;
        for (int i = 0; i < argc; i++) {
                char err[256];
                if (addr_parse(argv[i], &run->targets[i], err, sizeof(err)) < 0) {
                        cli_error("%s", err);
                        return -1;
                }
        }
        return 0;
}

int cli_check(int argc, char **argv)
{
        static const struct option longopts[] = {CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
        struct run run = {.exit_status = EXIT_PASS};
        int opt, status = EXIT_USAGE;
        opterr = 0;
        optind = 1;
        while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
                if (opt == OPT_HELP) {
                        fputs(check_usage, stdout);
                        return EXIT_PASS;
                }
                int rc = cli_common_option(&run.common, opt, optarg);
                if (rc < 0)
                        return EXIT_USAGE;
                if (rc == 0) {
                        char shown[64];
                        const char *bad = argv[optind - 1];
                        escape_buf(bad, strlen(bad), 0, shown, sizeof(shown));
                        cli_error("check: %s '%s' (see ptrwiz check --help)",
                                  opt == ':' ? "missing value for" : "unknown option", shown);
                        return EXIT_USAGE;
                }
        }
        if (optind >= argc) {
                cli_error("check: no target given (see ptrwiz check --help)");
                return EXIT_USAGE;
        }
        run.style.color = cli_use_color(STDOUT_FILENO);
        if (parse_targets(&run, argc - optind, argv + optind) == 0)
                status = run_checks(&run);
        for (size_t i = 0; i < run.ntargets && run.results; i++)
                check_result_free(run.results[i]);
        free(run.targets);
        free(run.results);
        return status;
}
