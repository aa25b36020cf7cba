/* finding: the one table of codes (severity, who acts, guide step,
 * summary), the actors and steps it names, and a growable list of findings. */
#include "ptrwiz/finding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct code_info {
        const char *name;
        enum severity severity;
        enum finding_actor actor;
        enum guide_step step;
        const char *summary;
};

static const struct code_info code_table[] = {
#define FINDING_ROW(code, sev, actor, step, summary)                                               \
        {#code, sev, ACTOR_##actor, GUIDE_##step, summary},
    FINDING_CODES(FINDING_ROW)
#undef FINDING_ROW
};

static const struct {
        const char *name, *brief, *full;
} actor_table[] = {
#define FINDING_ACTOR_ROW(id, json, brief, full) {json, brief, full},
    FINDING_ACTORS(FINDING_ACTOR_ROW)
#undef FINDING_ACTOR_ROW
};

static const char *const step_table[] = {
#define GUIDE_STEP_ROW(id, json) json,
    GUIDE_STEPS(GUIDE_STEP_ROW)
#undef GUIDE_STEP_ROW
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

enum finding_actor finding_code_actor(enum finding_code code)
{
        return (unsigned)code < FINDING__COUNT ? code_table[code].actor : ACTOR_RETRY;
}

enum guide_step finding_code_step(enum finding_code code)
{
        return (unsigned)code < FINDING__COUNT ? code_table[code].step : GUIDE_PTR;
}

const char *finding_actor_name(enum finding_actor a)
{
        return (unsigned)a < ACTOR__COUNT ? actor_table[a].name : "unknown";
}

const char *finding_actor_brief(enum finding_actor a)
{
        return (unsigned)a < ACTOR__COUNT ? actor_table[a].brief : "unknown";
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void finding_actor_text(enum finding_actor a, const char *zone, char *buf, size_t len)
{
        /* The long forms are the table's literals; some name the zone. */
        snprintf(buf, len, (unsigned)a < ACTOR__COUNT ? actor_table[a].full : "%s",
                 zone ? zone : "the reverse zone");
}
#pragma GCC diagnostic pop

int finding_actor_from_name(const char *name)
{
        for (int i = 0; i < ACTOR__COUNT; i++)
                if (strcmp(actor_table[i].name, name) == 0)
                        return i;
        return -1;
}

const char *guide_step_name(enum guide_step s)
{
        return (unsigned)s < GUIDE__COUNT ? step_table[s] : "unknown";
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
        nf->actor = finding_code_actor(code);
        nf->step = finding_code_step(code);
        nf->message = msg;
        nf->fix = fixcopy;
        return 0;
}

int findings_copy(struct findings *dst, const struct findings *src)
{
        for (size_t i = 0; i < src->n; i++) {
                const struct finding *s = &src->v[i];
                if (findings_add(dst, s->code, s->fix, "%s", s->message) < 0)
                        return -1;
                struct finding *d = &dst->v[dst->n - 1];
                d->severity = s->severity;
                d->actor = s->actor;
                d->step = s->step;
        }
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
