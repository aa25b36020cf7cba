/* ptrwiz sender: what this machine sends: its source addresses toward a
 * receiver, its MTA's names, and whether a receiver would accept them. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptrwiz/escape.h"
#include "ptrwiz/report.h"
#include "ptrwiz/sender.h"

enum sender_option_id { OPT_POSTFIX_CONFIG = OPT_COMMAND_BASE, OPT_TOWARD, OPT_SENDER_HELO };

static const char sender_usage[] =
    "usage: ptrwiz sender [options]\n"
    "What this machine sends: the source address it would use for IPv4 and IPv6\n"
    "(asked of the kernel, nothing is sent), whether its MTA would use IPv6,\n"
    "Postfix's or Exim's names and the host name, the reverse DNS check of every\n"
    "source address, and the HELO name against the PTR and its forward records.\n"
    "  --postfix-config DIR  read this Postfix configuration (postconf -c DIR);\n"
    "                        default: /etc/postfix when it has a main.cf\n"
    "  --toward IP           the receiver's address for the route lookup (once per\n"
    "                        family; default: documentation addresses, which take\n"
    "                        the default route)\n"
    "  --helo NAME           judge this HELO name instead of the MTA's\n"
    "  --json                one JSON object\n"
    "  --root-hints FILE, --trust-anchor FILE, --resolver MODE, --timeout MS\n"
    "                        as for check (the sources are checked --quick)\n"
    "Exit: 0 pass or warn, 1 a source or the HELO name fails, 2 bad usage, 3 the\n"
    "resolver could not be set up.\n";

struct sender_cli {
        struct cli_common common;
        struct sender_opts o;
        int ntoward;
        struct sender_result *res;
};

static int parse_args(struct sender_cli *c, int argc, char **argv)
{
        static const struct option longopts[] = {
            CLI_COMMON_LONGOPTS,
            {"postfix-config", required_argument, NULL, OPT_POSTFIX_CONFIG},
            {"toward", required_argument, NULL, OPT_TOWARD},
            {"helo", required_argument, NULL, OPT_SENDER_HELO},
            {NULL, 0, NULL, 0}};
        int opt;
        opterr = 0;
        optind = 1;
        while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
                int rc = 1;
                struct addr a;
                char err[200];
                switch (opt) {
                case OPT_HELP:
                        fputs(sender_usage, stdout);
                        return 1;
                case OPT_POSTFIX_CONFIG:
                        c->o.postfix_config = optarg;
                        break;
                case OPT_TOWARD:
                        if (c->ntoward == 2 || addr_parse(optarg, &a, err, sizeof(err)) < 0) {
                                cli_error("sender: --toward: %s",
                                          c->ntoward == 2 ? "at most two (one per family)" : err);
                                return -1;
                        }
                        c->o.toward[c->ntoward++] = optarg;
                        break;
                case OPT_SENDER_HELO:
                        c->o.helo = optarg;
                        break;
                default:
                        rc = cli_common_option(&c->common, opt, optarg);
                }
                if (rc < 0)
                        return -1;
                if (rc == 0) {
                        cli_bad_option("sender", argv);
                        return -1;
                }
        }
        if (optind < argc) {
                cli_error("sender: no arguments besides options (see ptrwiz sender --help)");
                return -1;
        }
        return 0;
}

static void done(void *arg, struct sender_result *res)
{
        struct sender_cli *c = arg;
        c->res = res;
}

static void print_text(const struct sender_result *r)
{
        struct report_style style = {.color = cli_use_color(STDOUT_FILENO)};
        printf("; <<>> ptrwiz %s sender <<>> what this machine sends\n", PTRWIZ_VERSION);
        if (r->postfix)
                printf(";; Postfix (%s): inet_protocols = %s, smtp_address_preference = %s,\n"
                       ";;   myhostname = %s, smtp_helo_name = %s, smtp_bind_address = %s,\n"
                       ";;   smtp_bind_address6 = %s\n",
                       r->postfix_dir ? r->postfix_dir : "default", r->inet_protocols,
                       r->address_preference, r->myhostname, r->helo_name,
                       r->bind4 && r->bind4[0] ? r->bind4 : "-",
                       r->bind6 && r->bind6[0] ? r->bind6 : "-");
        else
                printf(";; Postfix: not set up here\n");
        if (r->exim)
                printf(";; Exim: primary_hostname = %s, helo_data = %s\n", r->exim_hostname,
                       r->exim_helo ? r->exim_helo : "-");
        printf(";; hostname: %s%s%s\n", r->hostname ? r->hostname : "-",
               r->hostname_f ? ", hostname -f: " : "", r->hostname_f ? r->hostname_f : "");
        for (int i = 0; i < 2; i++) {
                const struct sender_source *s = &r->src[i];
                const char *fam = i == 0 ? "IPv4" : "IPv6";
                if (!s->ip[0]) {
                        printf(";; %s: none (%s)\n", fam, s->error ? s->error : "no address");
                        continue;
                }
                printf(";; %s source toward %s: %s (%s)%s%s\n", fam, s->toward, s->ip, s->how,
                       s->used ? "" : ", not used: inet_protocols",
                       s->nat ? ", private: behind a NAT" : "");
                if (!s->check)
                        continue;
                printf(";;   PTR %s", s->check->nforward ? "" : "none");
                for (size_t k = 0; k < s->check->nforward; k++)
                        printf("%s%s", k ? " " : "", s->check->forward[k].name);
                printf(", verdict %s\n", verdict_name(s->check->verdict));
                for (size_t k = 0; k < s->check->findings.n; k++) {
                        const struct finding *f = &s->check->findings.v[k];
                        if (f->severity > SEV_INFO)
                                printf(";;   %s: %s\n", finding_code_name(f->code), f->message);
                }
        }
        if (r->helo) {
                printf(";; HELO name: %s (%s), address", r->helo, r->helo_from);
                int na = 0;
                const struct resolver_answer *as[2] = {r->helo_a, r->helo_aaaa};
                for (int k = 0; k < 2; k++)
                        for (size_t j = 0; as[k] && as[k]->status == RES_OK && j < as[k]->ndata;
                             j++, na++)
                                printf(" %s", as[k]->data[j]);
                printf("%s\n", na ? "" : ": none");
        }
        if (r->notes)
                printf(";; note: %s\n", r->notes);
        report_findings_text(stdout, &r->findings, &style);
        printf("\n;; VERDICT: %s\n", verdict_name(r->verdict));
}

int cli_sender(int argc, char **argv)
{
        struct sender_cli c = {0};
        int rc = parse_args(&c, argc, argv);
        if (rc != 0)
                return rc > 0 ? EXIT_PASS : EXIT_USAGE;
        c.common.quick = true;
        c.o.check = cli_check_opts(&c.common, 0);
        char err[512];
        struct cli_job job;
        if (cli_job_open(&job, &c.common, "sender") < 0)
                return EXIT_RESOLVER;
        struct sender *s = sender_start(job.r, &c.o, done, &c, err, sizeof(err));
        if (!s) {
                cli_error("sender: %s", err);
                cli_job_close(&job);
                return EXIT_RESOLVER;
        }
        while (!c.res)
                if (cli_job_step(&job, "sender") < 0) {
                        sender_cancel(s);
                        cli_job_close(&job);
                        return EXIT_RESOLVER;
                }
        cli_job_close(&job);
        if (c.common.json) {
                char *line = sender_result_json(c.res);
                if (line)
                        printf("%s\n", line);
                free(line);
        } else {
                print_text(c.res);
        }
        int status = c.res->verdict == VERDICT_UNKNOWN ? EXIT_RESOLVER
                     : c.res->verdict == VERDICT_FAIL  ? EXIT_FAIL
                                                       : EXIT_PASS;
        sender_result_free(c.res);
        return status;
}
