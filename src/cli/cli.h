/* cli: the non-interactive commands. Each returns the process exit status:
 * 0 pass/warn, 1 fail, 2 bad usage or input, 3 resolver setup failed. */
#ifndef PTRWIZ_CLI_H
#define PTRWIZ_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include "ptrwiz/check.h"
#include "ptrwiz/resolver.h"

enum cli_exit {
        EXIT_PASS = 0,
        EXIT_FAIL = 1,
        EXIT_USAGE = 2,
        EXIT_RESOLVER = 3,
        EXIT_UNFINISHED = 4 /* the wizard quit before its diagnosis ended */
};

/* Options every DNS command takes (check, trace, the wizard). */
struct cli_common {
        struct resolver_opts resolver;
        const char *expect_host; /* A-labels, trailing dot; points into the buffers below */
        const char *expect_domain;
        char expect_host_buf[300];
        char expect_domain_buf[300];
        bool json;
        bool quick;
        const char *expect_ns[8]; /* --expect-ns, repeatable; A-labels in the buffers below */
        char expect_ns_buf[8][300];
        int nexpect_ns;
        const char *dnsbl[CHECK_MAX_DNSBL]; /* --dnsbl, repeatable; A-labels below */
        char dnsbl_buf[CHECK_MAX_DNSBL][300];
        int ndnsbl;
        const char *views[CHECK_MAX_VIEWS]; /* --resolver-view ADDR[@PORT],... */
        char views_buf[CHECK_MAX_VIEWS][64];
        int nviews;
};

enum cli_option_id {
        OPT_ROOT_HINTS = 1000,
        OPT_TRUST_ANCHOR,
        OPT_RESOLVER,
        OPT_TIMEOUT,
        OPT_EXPECT_HOST,
        OPT_EXPECT_DOMAIN,
        OPT_EXPECT_NS,
        OPT_JSON,
        OPT_QUICK,
        OPT_HELP,
        OPT_DNSBL,
        OPT_RESOLVER_VIEW,
        OPT_COMMAND_BASE = 1100, /* commands number their own options from here */
};

/* The long options of struct cli_common, for a command's option table. */
#define CLI_COMMON_LONGOPTS                                                                        \
        {"root-hints", required_argument, NULL, OPT_ROOT_HINTS},                                   \
            {"trust-anchor", required_argument, NULL, OPT_TRUST_ANCHOR},                           \
            {"resolver", required_argument, NULL, OPT_RESOLVER},                                   \
            {"timeout", required_argument, NULL, OPT_TIMEOUT},                                     \
            {"expect-host", required_argument, NULL, OPT_EXPECT_HOST},                             \
            {"expect-domain", required_argument, NULL, OPT_EXPECT_DOMAIN},                         \
            {"expect-ns", required_argument, NULL, OPT_EXPECT_NS},                                 \
            {"json", no_argument, NULL, OPT_JSON}, {"quick", no_argument, NULL, OPT_QUICK},        \
            {"dnsbl", required_argument, NULL, OPT_DNSBL},                                         \
            {"resolver-view", required_argument, NULL, OPT_RESOLVER_VIEW},                         \
        {                                                                                          \
                "help", no_argument, NULL, OPT_HELP                                                \
        }

#define CLI_COMMON_USAGE                                                                           \
        "  --root-hints FILE     recurse from a private root (e.g. the test lab)\n"                \
        "  --trust-anchor FILE   DNSSEC trust anchor (default: the system root key)\n"             \
        "  --resolver MODE       recursive (default), system (resolv.conf), or ADDR[@PORT]\n"      \
        "  --timeout MS          the longest wait for one server's reply to one query,\n"          \
        "                        resends at its measured round trip included (default\n"           \
        "                        2000); --deadline bounds the whole run\n"                         \
        "  --expect-host NAME    the host name the PTR should be (Unicode allowed)\n"              \
        "  --expect-domain DOM   the sending domain the PTR name should be under\n"                \
        "  --expect-ns NAME      where you created the PTR (repeatable; trace)\n"                  \
        "  --dnsbl ZONE          also look the address up in this blocklist (repeatable;\n"        \
        "                        none by default: mind the list's usage terms)\n"                  \
        "  --resolver-view ADDR[,ADDR...]\n"                                                       \
        "                        ask these recursive resolvers what they hold for the PTR\n"       \
        "                        now and for how long (the TTL left); ADDR[@PORT]\n"

/* Handles one common option. Returns 1 when handled, 0 when opt is not a
 * common option, -1 after printing a one-line error (exit 2). */
int cli_common_option(struct cli_common *c, int opt, const char *arg);

/* The one place the options of a trace are built from the command line,
 * for check, trace and the wizard: deadline_ms is the trace's own (0: the
 * default), the check's deadline leaves it room to report. */
struct trace_opts cli_trace_opts(const struct cli_common *c, int deadline_ms);
/* The check's options, its trace included; check_deadline_ms bounds the
 * whole check of one address (0: CHECK_DEFAULT_DEADLINE_MS), and the trace
 * gets three quarters of it. */
struct check_opts cli_check_opts(const struct cli_common *c, int check_deadline_ms);

/* A loop and a resolver for a command's one asynchronous job (sender,
 * smtp-test): opened together, run a round at a time, freed together. */
struct cli_job {
        struct loop *lp;
        struct resolver *r;
};
/* Returns -1 after a one-line error naming cmd (exit 3). */
int cli_job_open(struct cli_job *j, const struct cli_common *c, const char *cmd);
/* One round of the loop; -1 after a one-line error when poll fails. */
int cli_job_step(struct cli_job *j, const char *cmd);
void cli_job_close(struct cli_job *j);

/* After getopt_long() returned an option nobody handled: a one-line error
 * naming it ("unknown option" or "missing value for"), pointing at help. */
void cli_bad_option(const char *command, char **argv);

/* A whole number from min to max for option opt ("--deadline"), or a
 * one-line error naming the value and the unit ("milliseconds"). */
int cli_parse_number(const char *opt, const char *arg, long min, long max, const char *unit,
                     int *out);

/* One-line error on stderr: "ptrwiz: ...". */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True when colour may be used on this stream (a tty, NO_COLOR unset, TERM not dumb). */
bool cli_use_color(int fd);

int cli_check(int argc, char **argv);
int cli_trace(int argc, char **argv);
int cli_bounce(int argc, char **argv);
int cli_smtp_test(int argc, char **argv);
int cli_sender(int argc, char **argv);

#endif
