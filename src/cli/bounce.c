/* ptrwiz bounce [--json] [FILE|-]: read a rejection text or a whole bounce
 * e-mail and say whether it is about reverse DNS, who said it and for which
 * IP. Exit 0 when it is reverse DNS, 1 when it is something else or not
 * recognised, 2 on bad usage or an unreadable file. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ptrwiz/bounce.h"
#include "ptrwiz/escape.h"

#define WRAP  78 /* text column */
#define LABEL 18 /* width of "Receiving system: " */

static const char usage[] =
    "usage: ptrwiz bounce [--json] [FILE|-]\n"
    "Reads one SMTP rejection, an MTA log line or a whole bounce e-mail from FILE\n"
    "(or standard input) and tells whether it is about reverse DNS.\n"
    "  --json   one JSON object instead of the report\n"
    "Exit status: 0 reverse DNS, 1 something else or not recognised, 2 bad usage.\n";

/* Reads up to BOUNCE_MAX_INPUT + 1 bytes (one more tells the engine the
 * input was cut) and stops there: an endless input (yes |, /dev/zero) must
 * not keep it reading. *total is the input's size when a regular file says
 * it, else 0 (unknown). */
static char *read_input(FILE *f, size_t *len, size_t *total)
{
        size_t cap = BOUNCE_MAX_INPUT + 1;
        char *buf = malloc(cap);
        struct stat st;
        if (buf == NULL)
                return NULL;
        *len = 0;
        while (*len < cap) {
                size_t n = fread(buf + *len, 1, cap - *len, f);
                if (n == 0)
                        break;
                *len += n;
        }
        if (ferror(f)) {
                free(buf);
                return NULL;
        }
        *total = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
        return buf;
}

/* Prints "Label:            text", wrapping text under itself. */
static void field(const char *label, const char *text)
{
        printf("%-*s", LABEL, label);
        size_t col = LABEL;
        const char *p = text;
        while (*p) {
                const char *sp = strchr(p, ' ');
                size_t w = sp ? (size_t)(sp - p) : strlen(p);
                if (col > LABEL && col + 1 + w > WRAP) {
                        printf("\n%*s", LABEL, "");
                        col = LABEL;
                } else if (col > LABEL) {
                        putchar(' ');
                        col++;
                }
                fwrite(p, 1, w, stdout);
                col += w;
                p += w;
                while (*p == ' ')
                        p++;
        }
        putchar('\n');
}

static void print_report(const struct bounce_result *r, size_t total)
{
        char line[512];

        if (r->provider_name)
                snprintf(line, sizeof line, "%s", r->provider_name);
        else
                snprintf(line, sizeof line, "not recognised");
        if (r->remote_mta)
                snprintf(line + strlen(line), sizeof line - strlen(line), " (%s)", r->remote_mta);
        field("Receiving system:", line);
        if (r->smtp_code) {
                snprintf(line, sizeof line, "%d %s", r->smtp_code,
                         r->enhanced_code[0] ? r->enhanced_code : "(no enhanced code)");
                field("SMTP code:", line);
        } else if (r->enhanced_code[0]) {
                snprintf(line, sizeof line, "%s (from the delivery report; no reply code found)",
                         r->enhanced_code);
                field("SMTP code:", line);
        }
        snprintf(line, sizeof line, "%s: %s", bounce_class_name(r->cls),
                 r->reverse_dns ? bounce_class_meaning(r->cls)
                                : bounce_problem_meaning(r->problem));
        field("Class:", line);
        if (!r->reverse_dns)
                field("Problem:", bounce_problem_name(r->problem));
        if (r->has_secondary) {
                snprintf(line, sizeof line, "%s: %s",
                         r->secondary_cls != BOUNCE_NOT_REVERSE_DNS
                             ? bounce_class_name(r->secondary_cls)
                             : bounce_problem_name(r->secondary_problem),
                         r->secondary_cls != BOUNCE_NOT_REVERSE_DNS
                             ? bounce_class_meaning(r->secondary_cls)
                             : bounce_problem_meaning(r->secondary_problem));
                field("Also:", line);
        }
        if (r->ip[0]) {
                snprintf(line, sizeof line, "%s", r->ip);
                field("Sending IP:", line);
                field("", r->ip_reason);
        } else {
                field("Sending IP:", r->ip_reason);
        }
        if (r->sending_host) {
                snprintf(line, sizeof line, "%s (%s)%s", r->sending_host,
                         strcmp(r->sending_host_how, "reporting_mta_name") == 0
                             ? "the report's Reporting-MTA"
                         : strcmp(r->sending_host_how, "mailer_daemon_host") == 0
                             ? "the bounce's MAILER-DAEMON address"
                             : "the bounce's first line",
                         r->ip[0] ? "" : "; a candidate: resolve it to find the sending IP");
                field("Your server:", line);
        }
        for (size_t i = 0; r->nreceivers > 1 && i < r->nreceivers; i++) {
                const struct bounce_receiver *rc = &r->receivers[i];
                int n = snprintf(line, sizeof line, "%s", rc->name ? rc->name : rc->ip);
                if (rc->name && rc->ip[0])
                        n += snprintf(line + n, sizeof line - (size_t)n, " [%s]", rc->ip);
                if (rc->recipient)
                        n += snprintf(line + n, sizeof line - (size_t)n, " for %s", rc->recipient);
                snprintf(line + n, sizeof line - (size_t)n, ": %s",
                         !rc->smtp_code ? "no reply found"
                         : rc->problem == BOUNCE_PROBLEM_REVERSE_DNS
                             ? bounce_class_name(rc->cls)
                             : bounce_problem_name(rc->problem));
                field(i == 0 ? "Receivers:" : "", line);
        }
        bool first = true;
        for (size_t i = 0; i < r->nips; i++) {
                if (strcmp(r->ips[i].text, r->ip) == 0)
                        continue;
                bool sender = bounce_ip_role_is_sender(r->ips[i].role) && !r->ips[i].internal;
                snprintf(line, sizeof line, "%s (%s%s; %s)", r->ips[i].text,
                         bounce_ip_role_name(r->ips[i].role),
                         r->ips[i].internal ? ", not a public address" : "",
                         sender ? "also shown as a sending IP" : "not the sending IP");
                field(first ? "Other IPs:" : "", line);
                first = false;
        }
        if (r->reply)
                field("Reply:", r->reply);
        field("Explanation:", r->explanation);
        field("Next step:", r->next_step);
        if (r->note)
                field("Note:", r->note);
        if (r->truncated) {
                if (total > BOUNCE_MAX_INPUT)
                        snprintf(line, sizeof line,
                                 "only the first %d bytes of %zu were analysed; paste the "
                                 "bounce alone",
                                 BOUNCE_MAX_INPUT, total);
                else
                        snprintf(line, sizeof line,
                                 "reading stopped after %d bytes (the input goes on); only those "
                                 "were analysed; paste the bounce alone",
                                 BOUNCE_MAX_INPUT);
                field("Note:", line);
        }
}

int cli_bounce(int argc, char **argv)
{
        bool json = false;
        const char *path = NULL;

        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--json") == 0) {
                        json = true;
                } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
                        fputs(usage, stdout);
                        return EXIT_PASS;
                } else if (argv[i][0] == '-' && argv[i][1] != '\0' && strcmp(argv[i], "--") != 0) {
                        char shown[64];
                        escape_buf(argv[i], strlen(argv[i]), 0, shown, sizeof shown);
                        cli_error("bounce: unknown option '%s'\n%s", shown, usage);
                        return EXIT_USAGE;
                } else if (strcmp(argv[i], "--") == 0 && i + 1 < argc && path == NULL) {
                        path = argv[++i];
                } else if (path == NULL) {
                        path = argv[i];
                } else {
                        cli_error("bounce: one input at a time\n%s", usage);
                        return EXIT_USAGE;
                }
        }

        bool stdin_input = path == NULL || strcmp(path, "-") == 0;
        FILE *f = stdin_input ? stdin : fopen(path, "rb");
        char shown[256];
        if (!stdin_input)
                escape_buf(path, strlen(path), ESCAPE_KEEP_SPACE | ESCAPE_KEEP_UTF8, shown,
                           sizeof shown);
        if (f == NULL) {
                cli_error("bounce: cannot read '%s': %s", shown, strerror(errno));
                return EXIT_USAGE;
        }
        size_t len = 0, total = 0;
        errno = 0;
        char *buf = read_input(f, &len, &total);
        int err = errno;
        if (!stdin_input)
                fclose(f);
        if (buf == NULL) {
                cli_error("bounce: cannot read '%s': %s", stdin_input ? "standard input" : shown,
                          strerror(err ? err : EIO));
                return EXIT_USAGE;
        }

        struct bounce_result *r = bounce_analyze(buf, len);
        free(buf);
        if (r == NULL) {
                cli_error("bounce: out of memory");
                return EXIT_FAIL;
        }
        int rc = r->reverse_dns ? EXIT_PASS : EXIT_FAIL;
        if (json) {
                char *out = bounce_result_json(r);
                if (out == NULL) {
                        cli_error("bounce: out of memory");
                        rc = EXIT_FAIL;
                } else {
                        puts(out);
                        free(out);
                }
        } else {
                print_report(r, total);
        }
        bounce_result_free(r);
        return rc;
}
