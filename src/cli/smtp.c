/* ptrwiz smtp-test: a delivery test against the recipient's real receiver,
 * printed dig-style as it happens (";;" comments, the server's replies
 * verbatim, escaped), with the rejection read by the bounce module. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "ptrwiz/escape.h"
#include "ptrwiz/smtp.h"

enum smtp_option_id {
        OPT_SERVER = OPT_COMMAND_BASE,
        OPT_SOURCE,
        OPT_HELO,
        OPT_FROM,
        OPT_TO,
        OPT_DATA,
        OPT_SMTP_TIMEOUT,
};

static const char smtp_usage[] =
    "usage: ptrwiz smtp-test [options] --to ADDR\n"
    "Connects to the receiver of ADDR (its domain's MX, or --server) on port 25,\n"
    "says EHLO, STARTTLS when offered, MAIL FROM and RCPT TO (and, with --data, a\n"
    "short test message), then QUIT, and says whether the receiver still rejects\n"
    "this machine for reverse DNS. Nothing is sent without --to.\n"
    "  --to ADDR             the recipient: an address of yours at the receiver\n"
    "  --from ADDR           MAIL FROM (default: postmaster@ the HELO name)\n"
    "  --helo NAME           the EHLO name (default: this host's name)\n"
    "  --server HOST[:PORT]  this receiver instead of the MX ([IPv6]:PORT)\n"
    "  --source IP           send from this address of this machine\n"
    "  -4, -6                only the receiver's IPv4 (A) or IPv6 (AAAA) addresses\n"
    "                        (a --source decides by its own family)\n"
    "  --data                also send a short test message that says what it is\n"
    "                        (some receivers check reverse DNS only at its end)\n"
    "  --smtp-timeout MS     wait this long to connect and for each reply\n"
    "                        (default 30000)\n"
    "  --json                one JSON object with the transcript and the verdict\n"
    "  --root-hints FILE, --trust-anchor FILE, --resolver MODE, --timeout MS\n"
    "                        how the MX and addresses are looked up (as for check)\n"
    "Exit: 0 accepted, 1 rejected (for any reason), 2 bad usage, 3 could not\n"
    "resolve the receiver or connect to it.\n";

struct smtp_cli {
        struct cli_common common;
        struct smtp_opts o;
        struct smtp_result *res;
};

static int parse_args(struct smtp_cli *c, int argc, char **argv)
{
        static const struct option longopts[] = {
            CLI_COMMON_LONGOPTS,
            {"server", required_argument, NULL, OPT_SERVER},
            {"source", required_argument, NULL, OPT_SOURCE},
            {"helo", required_argument, NULL, OPT_HELO},
            {"from", required_argument, NULL, OPT_FROM},
            {"to", required_argument, NULL, OPT_TO},
            {"data", no_argument, NULL, OPT_DATA},
            {"smtp-timeout", required_argument, NULL, OPT_SMTP_TIMEOUT},
            {NULL, 0, NULL, 0}};
        int opt;
        opterr = 0;
        optind = 1;
        while ((opt = getopt_long(argc, argv, "46", longopts, NULL)) != -1) {
                int rc = 1;
                switch (opt) {
                case OPT_HELP:
                        fputs(smtp_usage, stdout);
                        return 1;
                case OPT_SERVER:
                        c->o.server = optarg;
                        break;
                case OPT_SOURCE:
                        c->o.source = optarg;
                        break;
                case OPT_HELO:
                        c->o.helo = optarg;
                        break;
                case OPT_FROM:
                        c->o.from = optarg;
                        break;
                case OPT_TO:
                        c->o.to = optarg;
                        break;
                case OPT_DATA:
                        c->o.data = true;
                        break;
                case '4':
                case '6':
                        c->o.family = opt == '4' ? AF_INET : AF_INET6;
                        break;
                case OPT_SMTP_TIMEOUT:
                        rc = cli_parse_number("--smtp-timeout", optarg, 1, 3600000, "milliseconds",
                                              &c->o.timeout_ms) < 0
                                 ? -1
                                 : 1;
                        break;
                default:
                        rc = cli_common_option(&c->common, opt, optarg);
                }
                if (rc < 0)
                        return -1;
                if (rc == 0) {
                        cli_bad_option("smtp-test", argv);
                        return -1;
                }
        }
        if (optind < argc) {
                char shown[64];
                escape_buf(argv[optind], strlen(argv[optind]), 0, shown, sizeof(shown));
                cli_error("smtp-test: unexpected argument '%s' (the recipient is --to ADDR)",
                          shown);
                return -1;
        }
        if (!c->o.to) {
                cli_error("smtp-test: --to ADDR is required (an address of yours at the receiver)");
                return -1;
        }
        char err[300];
        if (smtp_opts_check(&c->o, err, sizeof(err)) < 0) {
                cli_error("smtp-test: %s", err);
                return -1;
        }
        return 0;
}

/* The transcript as it happens: replies verbatim, the rest as comments. */
static void print_line(void *arg, const struct smtp_line *l)
{
        (void)arg;
        if (l->dir == SMTP_RECEIVED)
                printf("%s\n", l->text);
        else if (l->dir == SMTP_SENT)
                printf(";; -> %s\n", l->text);
        else
                printf(";; %s\n", l->text);
        fflush(stdout);
}

static void done(void *arg, struct smtp_result *res)
{
        struct smtp_cli *c = arg;
        c->res = res;
}

static void print_verdict(const struct smtp_result *r)
{
        static const char *words[] = {
            [SMTP_ACCEPTED] = "accepted",
            [SMTP_REJECTED_RDNS] = "rejected (reverse DNS)",
            [SMTP_REJECTED_OTHER] = "rejected (not reverse DNS)",
            [SMTP_NO_CONNECTION] = "no delivery test (could not resolve or connect)",
        };
        printf("\n;; VERDICT: %s\n;; %s\n", words[r->verdict], r->summary);
        if (r->tls_info)
                printf(";; TLS: %s\n", r->tls_info);
        if (r->note)
                printf(";; NOTE: %s\n", r->note);
        if (r->verdict == SMTP_REJECTED_RDNS && r->source_ip[0])
                printf(";; NEXT: ptrwiz check %s shows why, and who must fix it\n", r->source_ip);
        printf(";; from %s to %s [%s]:%d, %lld ms\n", r->source_ip[0] ? r->source_ip : "-",
               r->server ? r->server : "-", r->server_ip[0] ? r->server_ip : "-", r->port,
               (long long)r->elapsed_ms);
}

int cli_smtp_test(int argc, char **argv)
{
        struct smtp_cli c = {0};
        int rc = parse_args(&c, argc, argv);
        if (rc != 0)
                return rc > 0 ? EXIT_PASS : EXIT_USAGE;
        if (!c.common.json) {
                c.o.on_line = print_line;
                printf("; <<>> ptrwiz %s smtp-test <<>> --to %s\n", PTRWIZ_VERSION, c.o.to);
        }
        char err[512];
        struct cli_job job;
        if (cli_job_open(&job, &c.common, "smtp-test") < 0)
                return EXIT_RESOLVER;
        struct smtp_test *t = smtp_start(job.r, &c.o, done, &c, err, sizeof(err));
        if (!t) {
                cli_error("smtp-test: %s", err);
                cli_job_close(&job);
                return EXIT_USAGE;
        }
        while (!c.res)
                if (cli_job_step(&job, "smtp-test") < 0) {
                        smtp_cancel(t);
                        cli_job_close(&job);
                        return EXIT_RESOLVER;
                }
        cli_job_close(&job);
        if (c.common.json) {
                char *line = smtp_result_json(c.res);
                if (line)
                        printf("%s\n", line);
                free(line);
        } else {
                print_verdict(c.res);
        }
        int status = c.res->verdict == SMTP_ACCEPTED        ? EXIT_PASS
                     : c.res->verdict == SMTP_NO_CONNECTION ? EXIT_RESOLVER
                                                            : EXIT_FAIL;
        smtp_result_free(c.res);
        return status;
}
