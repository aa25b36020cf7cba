/* finding: the code table and a growable list of findings. */
#include "ptrwiz/finding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct code_info {
        const char *name;
        enum severity severity;
        const char *summary;
};

static const struct code_info code_table[] = {
#define FINDING_ROW(code, sev, summary) {#code, sev, summary},
    FINDING_CODES(FINDING_ROW)
#undef FINDING_ROW
};

const char *finding_code_name(enum finding_code code)
{
        return (unsigned)code < FINDING__COUNT ? code_table[code].name : "UNKNOWN";
}

enum severity finding_code_severity(enum finding_code code)
{
        return (unsigned)code < FINDING__COUNT ? code_table[code].severity : SEV_ERROR;
}

const char *finding_code_summary(enum finding_code code)
{
        return (unsigned)code < FINDING__COUNT ? code_table[code].summary : "";
}

int finding_code_from_name(const char *name)
{
        for (int i = 0; i < FINDING__COUNT; i++)
                if (strcmp(code_table[i].name, name) == 0)
                        return i;
        return -1;
}

const char *severity_name(enum severity sev)
{
        switch (sev) {
        case SEV_ERROR:
                return "error";
        case SEV_WARNING:
                return "warning";
        default:
                return "info";
        }
}

int findings_add(struct findings *f, enum finding_code code, const char *fix, const char *fmt, ...)
{
        if (f->n == f->cap) {
                size_t cap = f->cap ? f->cap * 2 : 8;
                struct finding *nv = realloc(f->v, cap * sizeof(*nv));
                if (!nv)
                        return -1;
                f->v = nv;
                f->cap = cap;
        }
        char *msg = NULL;
        va_list ap;
        va_start(ap, fmt);
        int rc = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (rc < 0)
                return -1;
        char *fixcopy = strdup(fix ? fix : "");
        if (!fixcopy) {
                free(msg);
                return -1;
        }
        struct finding *nf = &f->v[f->n++];
        nf->code = code;
        nf->severity = finding_code_severity(code);
        nf->message = msg;
        nf->fix = fixcopy;
        return 0;
}

int findings_has(const struct findings *f, enum finding_code code)
{
        for (size_t i = 0; i < f->n; i++)
                if (f->v[i].code == code)
                        return 1;
        return 0;
}

enum severity findings_worst(const struct findings *f)
{
        enum severity worst = SEV_INFO;
        for (size_t i = 0; i < f->n; i++)
                if (f->v[i].severity > worst)
                        worst = f->v[i].severity;
        return worst;
}

void findings_clear(struct findings *f)
{
        for (size_t i = 0; i < f->n; i++) {
                free(f->v[i].message);
                free(f->v[i].fix);
        }
        free(f->v);
        memset(f, 0, sizeof(*f));
}
