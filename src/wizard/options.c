/* options: the wizard's command line (the common resolver options of
 * check, and its own) and --bounce FILE read before the screen starts. */
#include "wizard/wiz.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrwiz/bounce.h"
#include "ptrwiz/escape.h"

enum {
        OPT_BOUNCE = OPT_COMMAND_BASE + 50,
        OPT_REPORT,
        OPT_WATCH,
        OPT_ASCII,
        OPT_NO_COLOR,
        OPT_LAB,
        OPT_REPORT_BOUNCE,
        OPT_THIS_MACHINE,
        OPT_POSTFIX_CONFIG,
        OPT_TOWARD,
};

static const char wizard_usage[] =
    "usage: ptrwiz [options] [IP]\n"
    "The wizard: step by step, why mail from an IP is rejected for reverse DNS.\n"
    "Without an IP it starts at step 1, where you paste the bounce.\n"
    "  --bounce FILE         start with the bounce in FILE ('-' reads stdin)\n"
    "  --report FILE         the report file for 'e' (also written on quit)\n"
    "  --report-full-bounce  the report quotes the whole bounce, not only the lines\n"
    "                        that matter (the rejection, its code, the IP)\n"
    "  --watch SECONDS       how often the watch in step 5 re-tests (default 30)\n"
    "  --ascii               plain ASCII lines and marks\n"
    "  --no-color            no colours (as NO_COLOR=1)\n"
    "  --lab SCENARIO        a named scenario of the bundled lab, with what is broken\n"
    "                        in it ('--lab list' names them; only the lab is "
    "asked)\n"
    "  --this-machine        start with the addresses this machine sends mail from\n"
    "                        (step 1's m): each checked, its HELO name judged\n"
    "  --postfix-config DIR, --toward IP\n"
    "                        for m, as for 'ptrwiz sender'\n" CLI_COMMON_USAGE
    "Keys: Enter next, p back, Tab pane, j/k scroll, r re-test, e export, ? help, q quit.\n";

static int wizard_option(struct wiz *w, int opt, const char *arg, struct wiz_args *a)
{
        switch (opt) {
        case OPT_BOUNCE:
                a->bounce = arg;
                return 1;
        case OPT_REPORT:
                w->report_path = arg;
                return 1;
        case OPT_REPORT_BOUNCE:
                w->report_full_bounce = true;
                return 1;
        case OPT_WATCH:
                return cli_parse_number("--watch", arg, 1, 86400, "seconds", &w->watch_interval_s) <
                               0
                           ? -1
                           : 1;
        case OPT_ASCII:
                a->ui.ascii = true;
                return 1;
        case OPT_NO_COLOR:
                a->ui.no_color = true;
                return 1;
        case OPT_LAB:
                a->lab = arg;
                return 1;
        case OPT_THIS_MACHINE:
                a->this_machine = true;
                return 1;
        case OPT_POSTFIX_CONFIG:
                return machine_set_postfix_config(w, arg);
        case OPT_TOWARD:
                return machine_add_toward(w, arg);
        case OPT_JSON:
                cli_error("--json is for 'ptrwiz check'; the wizard is interactive");
                return -1;
        default:
                return cli_common_option(&w->common, opt, arg);
        }
}

int options_parse(struct wiz *w, int argc, char **argv, struct wiz_args *a)
{
        static const struct option longopts[] = {
            CLI_COMMON_LONGOPTS,
            {"bounce", required_argument, NULL, OPT_BOUNCE},
            {"report", required_argument, NULL, OPT_REPORT},
            {"watch", required_argument, NULL, OPT_WATCH},
            {"report-full-bounce", no_argument, NULL, OPT_REPORT_BOUNCE},
            {"ascii", no_argument, NULL, OPT_ASCII},
            {"no-color", no_argument, NULL, OPT_NO_COLOR},
            {"lab", required_argument, NULL, OPT_LAB},
            {"this-machine", no_argument, NULL, OPT_THIS_MACHINE},
            {"postfix-config", required_argument, NULL, OPT_POSTFIX_CONFIG},
            {"toward", required_argument, NULL, OPT_TOWARD},
            {NULL, 0, NULL, 0},
        };
        int opt;
        opterr = 0;
        optind = 1;
        while ((opt = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
                if (opt == OPT_HELP) {
                        fputs(wizard_usage, stdout);
                        a->help = true;
                        return EXIT_PASS;
                }
                int rc = wizard_option(w, opt, optarg, a);
                if (rc < 0)
                        return EXIT_USAGE;
                if (rc == 0) {
                        cli_bad_option(NULL, argv);
                        return EXIT_USAGE;
                }
        }
        if (argc - optind > 1) {
                cli_error("the wizard takes one IP address; for more use 'ptrwiz check'");
                return EXIT_USAGE;
        }
        a->ip = optind < argc ? argv[optind] : NULL;
        if (a->this_machine && (a->ip || a->lab)) {
                cli_error("--this-machine finds the addresses itself: give no IP and no --lab");
                return EXIT_USAGE;
        }
        return a->lab ? tour_setup(w, a) : EXIT_PASS;
}

int options_read_bounce(struct wiz *w, const char *path)
{
        FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
        char shown[300];
        escape_buf(path, strlen(path), ESCAPE_KEEP_SPACE, shown, sizeof(shown));
        if (!f) {
                cli_error("--bounce: cannot read %s: %s", shown, strerror(errno));
                return -1;
        }
        char *buf = malloc(BOUNCE_MAX_INPUT);
        size_t n = buf ? fread(buf, 1, BOUNCE_MAX_INPUT, f) : 0;
        bool bad = !buf || ferror(f);
        if (f != stdin)
                fclose(f);
        if (bad) {
                cli_error("--bounce: cannot read %s", shown);
                free(buf);
                return -1;
        }
        input_set(&w->input, buf, n);
        free(buf);
        identify_scan(&w->ident, w->input.buf, w->input.len);
        return 0;
}
