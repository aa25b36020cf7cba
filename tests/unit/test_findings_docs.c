/* The findings table (FINDING_CODES) against the documents that repeat it:
 * help/findings.txt, the man page and README's table each have every code
 * once, no code the table lacks, and the table's severity and who acts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ptrwiz/finding.h"

/* What one document says of one code. */
struct doc_row {
        char code[64], severity[16], who[64];
};

struct doc_rows {
        struct doc_row v[128];
        size_t n;
        int bad; /* lines that look like a row but do not parse */
};

static FILE *open_source(const char *rel)
{
        const char *dir = getenv("PTRWIZ_SOURCE_DIR");
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir ? dir : ".", rel);
        FILE *f = fopen(path, "re");
        if (!f)
                fail_msg("cannot read %s", path);
        return f;
}

static void chomp(char *s)
{
        s[strcspn(s, "\r\n")] = '\0';
}

static void trim(char *s)
{
        size_t n = strlen(s);
        while (n && s[n - 1] == ' ')
                s[--n] = '\0';
        size_t lead = strspn(s, " ");
        memmove(s, s + lead, n - lead + 1);
}

static bool looks_like_code(const char *s)
{
        size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
        return n > 3 && strchr(s, '_') && (s[n] == '\0' || s[n] == ' ');
}

static void add_row(struct doc_rows *r, const char *code, const char *sev, const char *who)
{
        if (r->n == sizeof(r->v) / sizeof(r->v[0]))
                fail_msg("too many rows");
        struct doc_row *d = &r->v[r->n++];
        snprintf(d->code, sizeof(d->code), "%s", code);
        snprintf(d->severity, sizeof(d->severity), "%s", sev);
        snprintf(d->who, sizeof(d->who), "%s", who);
}

/* "(error; IP block holder)" or "(error; who acts: IP block holder)" at s. */
static bool parse_paren(const char *s, const char *who_prefix, char *sev, size_t sevlen, char *who,
                        size_t wholen)
{
        if (*s != '(')
                return false;
        const char *semi = strchr(s, ';'), *close = strchr(s, ')');
        if (!semi || !close || semi > close)
                return false;
        snprintf(sev, sevlen, "%.*s", (int)(semi - s - 1), s + 1);
        const char *w = semi + 1;
        w += strspn(w, " ");
        if (strncmp(w, who_prefix, strlen(who_prefix)) != 0)
                return false;
        w += strlen(who_prefix);
        snprintf(who, wholen, "%.*s", (int)(close - w), w);
        return true;
}

/* help/findings.txt: "CODE (severity; who acts: WHO)" heads each entry. */
static void read_help(struct doc_rows *r)
{
        FILE *f = open_source("help/findings.txt");
        char line[1024], sev[16], who[64];
        while (fgets(line, sizeof(line), f)) {
                chomp(line);
                if (!looks_like_code(line) || !strchr(line, '('))
                        continue;
                char *sp = strchr(line, ' ');
                *sp = '\0';
                if (parse_paren(sp + 1, "who acts: ", sev, sizeof(sev), who, sizeof(who)))
                        add_row(r, line, sev, who);
                else
                        r->bad++, print_message("help: bad head line for %s\n", line);
        }
        fclose(f);
}

/* man/ptrwiz.1, section FINDINGS: ".B CODE" then "(severity; WHO) text". */
static void read_man(struct doc_rows *r)
{
        FILE *f = open_source("man/ptrwiz.1");
        char line[1024], code[64] = "", sev[16], who[64];
        bool in = false;
        while (fgets(line, sizeof(line), f)) {
                chomp(line);
                if (strncmp(line, ".SH ", 4) == 0)
                        in = strcmp(line, ".SH FINDINGS") == 0;
                if (!in)
                        continue;
                if (strncmp(line, ".B ", 3) == 0 && looks_like_code(line + 3)) {
                        snprintf(code, sizeof(code), "%s", line + 3);
                        continue;
                }
                if (!code[0])
                        continue;
                if (parse_paren(line, "", sev, sizeof(sev), who, sizeof(who)))
                        add_row(r, code, sev, who);
                else
                        r->bad++, print_message("man: no (severity; who) after .B %s\n", code);
                code[0] = '\0';
        }
        fclose(f);
}

/* README.md, section Findings: "| CODE | severity | who acts | meaning |". */
static void read_readme(struct doc_rows *r)
{
        FILE *f = open_source("README.md");
        char line[2048];
        bool in = false;
        while (fgets(line, sizeof(line), f)) {
                chomp(line);
                if (strncmp(line, "## ", 3) == 0)
                        in = strcmp(line, "## Findings") == 0;
                if (!in || line[0] != '|' || strncmp(line, "|---", 4) == 0)
                        continue;
                char *cell[5] = {0};
                int n = 0;
                for (char *p = line + 1; n < 5 && p && *p; n++) {
                        cell[n] = p;
                        p = strchr(p, '|');
                        if (p)
                                *p++ = '\0';
                }
                for (int i = 0; i < n; i++)
                        trim(cell[i]);
                if (n >= 1 && strcmp(cell[0], "code") == 0)
                        continue;
                if (n == 4 && looks_like_code(cell[0]))
                        add_row(r, cell[0], cell[1], cell[2]);
                else
                        r->bad++, print_message("README: bad row %s\n", cell[0] ? cell[0] : "");
        }
        fclose(f);
}

/* Every code once, nothing else, the table's severity and actor. */
static void compare(const char *doc, const struct doc_rows *r)
{
        int errors = r->bad;
        for (size_t i = 0; i < r->n; i++) {
                const struct doc_row *d = &r->v[i];
                int code = finding_code_from_name(d->code);
                if (code < 0) {
                        print_message("%s: %s is not a finding code\n", doc, d->code);
                        errors++;
                        continue;
                }
                const char *sev = severity_name(finding_code_severity(code));
                const char *who = finding_actor_brief(finding_code_actor(code));
                if (strcmp(d->severity, sev) != 0 || strcmp(d->who, who) != 0) {
                        print_message("%s: %s is (%s; %s), the table says (%s; %s)\n", doc, d->code,
                                      d->severity, d->who, sev, who);
                        errors++;
                }
        }
        for (int c = 0; c < FINDING__COUNT; c++) {
                int seen = 0;
                for (size_t i = 0; i < r->n; i++)
                        seen += strcmp(r->v[i].code, finding_code_name(c)) == 0;
                if (seen != 1) {
                        print_message("%s: %s appears %d times, want once\n", doc,
                                      finding_code_name(c), seen);
                        errors++;
                }
        }
        assert_int_equal(errors, 0);
}

static void test_help(void **state)
{
        struct doc_rows *r = calloc(1, sizeof(*r));
        read_help(r);
        compare("help/findings.txt", r);
        free(r);
}

static void test_man(void **state)
{
        struct doc_rows *r = calloc(1, sizeof(*r));
        read_man(r);
        compare("man/ptrwiz.1", r);
        free(r);
}

static void test_readme(void **state)
{
        struct doc_rows *r = calloc(1, sizeof(*r));
        read_readme(r);
        compare("README.md", r);
        free(r);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_help),
            cmocka_unit_test(test_man),
            cmocka_unit_test(test_readme),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
