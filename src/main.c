/* ptrwiz: find out why mail from an IP is rejected for reverse DNS. */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ptrwiz/escape.h"
#include "wizard/wizard.h"

static const char usage[] =
    "usage: ptrwiz [options] [IP]          the wizard (interactive)\n"
    "       ptrwiz check [options] TARGET... check reverse DNS for mail\n"
    "       ptrwiz trace [options] IP        trace the delegation from the root\n"
    "       ptrwiz bounce [--json] [FILE|-]  read a bounce: is it reverse DNS?\n"
    "       ptrwiz smtp-test [options] --to ADDR  a delivery test: still rejected?\n"
    "       ptrwiz sender [options]          what this machine sends (addresses, HELO)\n"
    "       ptrwiz report [options] IP       the wizard's Markdown report, no screen\n"
    "Run 'ptrwiz COMMAND --help' for a command's options; see ptrwiz(1).\n";

struct command {
        const char *name;
        int (*run)(int argc, char **argv);
};

/* One command a line, so that additions merge. */
/* clang-format off */
static const struct command commands[] = {
    {"check", cli_check},
    {"trace", cli_trace},
    {"bounce", cli_bounce},
    {"smtp-test", cli_smtp_test},
    {"sender", cli_sender},
    {"report", wizard_report_main},
};
/* clang-format on */

int main(int argc, char **argv)
{
        setlocale(LC_ALL, "");
        /* Piped into head: a closed pipe ends the output, not with a signal. */
        signal(SIGPIPE, SIG_IGN);
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
                /* The commands, then the wizard's own usage and options. */
                fputs(usage, stdout);
                fputc('\n', stdout);
                fflush(stdout);
                return wizard_main(argc, argv);
        }
        if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
                printf("ptrwiz %s\n", PTRWIZ_VERSION);
                return EXIT_PASS;
        }
        for (size_t i = 0; argc >= 2 && i < sizeof(commands) / sizeof(commands[0]); i++)
                if (strcmp(argv[1], commands[i].name) == 0)
                        return commands[i].run(argc - 1, argv + 1);
        if (argc >= 2 && argv[1][0] != '-' && !strchr(argv[1], '.') && !strchr(argv[1], ':')) {
                char shown[64];
                escape_buf(argv[1], strlen(argv[1]), 0, shown, sizeof(shown));
                cli_error("unknown command '%s'\n%s", shown, usage);
                return EXIT_USAGE;
        }
        return wizard_main(argc, argv);
}
