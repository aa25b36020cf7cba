/* compare: the one comparison of two runs (wizard step 5, check --watch). */
#include "ptrwiz/compare.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void compare_ptr_words(const struct check_result *r, char *buf, size_t len)
{
        const struct resolver_answer *p = r->ptr;
        if (!p || p->status != RES_OK) {
                snprintf(buf, len, "%s", p ? resolver_status_name(p->status) : "not asked");
                return;
        }
        size_t used = 0;
        buf[0] = '\0';
        for (size_t i = 0; i < p->ndata && used < len; i++)
                used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", p->data[i]);
}

static struct compare_change *change_add(struct compare_changes *c, enum compare_kind kind,
                                         int direction, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static struct compare_change *change_add(struct compare_changes *c, enum compare_kind kind,
                                         int direction, const char *fmt, ...)
{
        struct compare_change *v = realloc(c->v, (c->n + 1) * sizeof(*v));
        if (!v)
                return NULL;
        c->v = v;
        struct compare_change *ch = &v[c->n++];
        memset(ch, 0, sizeof(*ch));
        ch->kind = kind;
        ch->direction = direction;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ch->text, sizeof(ch->text), fmt, ap);
        va_end(ap);
        return ch;
}

/* Warnings and errors of from that to does not have (info codes come and
 * go with the answer: no change worth a line). */
static int finding_changes(const struct check_result *from, const struct check_result *to,
                           bool gone, struct compare_changes *out)
{
        for (size_t i = 0; i < from->findings.n; i++) {
                const struct finding *f = &from->findings.v[i];
                if (f->severity <= SEV_INFO || findings_has(&to->findings, f->code))
                        continue;
                struct compare_change *ch =
                    change_add(out, gone ? CHANGE_FINDING_GONE : CHANGE_FINDING_NEW, gone ? 1 : -1,
                               "%s: %s", gone ? "Gone" : "New", finding_code_summary(f->code));
                if (!ch)
                        return -1;
                ch->code = f->code;
                ch->severity = f->severity;
        }
        return 0;
}

int compare_results(const struct check_result *old, const struct check_result *now,
                    struct compare_changes *out)
{
        compare_changes_clear(out);
        char a[400], b[400];
        compare_ptr_words(old, a, sizeof(a));
        compare_ptr_words(now, b, sizeof(b));
        bool ok = true;
        if (strcmp(a, b) != 0)
                ok = change_add(out, CHANGE_PTR, 0, "PTR: %s -> %s", a, b) != NULL;
        if (ok && old->fcrdns != now->fcrdns)
                ok = change_add(out, CHANGE_FCRDNS, now->fcrdns ? 1 : -1,
                                "The name leads back to the IP: %s -> %s",
                                old->fcrdns ? "yes" : "no", now->fcrdns ? "yes" : "no") != NULL;
        if (ok && old->verdict != now->verdict)
                ok = change_add(out, CHANGE_VERDICT, now->verdict < old->verdict ? 1 : -1,
                                "Check verdict: %s -> %s", verdict_name(old->verdict),
                                verdict_name(now->verdict)) != NULL;
        if (ok && old->actor != now->actor)
                ok = change_add(out, CHANGE_ACTOR, 0, "Who must act: %s -> %s",
                                finding_actor_brief(old->actor),
                                finding_actor_brief(now->actor)) != NULL;
        if (!ok || finding_changes(old, now, true, out) < 0 ||
            finding_changes(now, old, false, out) < 0) {
                compare_changes_clear(out);
                return -1;
        }
        return (int)out->n;
}

void compare_changes_clear(struct compare_changes *c)
{
        free(c->v);
        c->v = NULL;
        c->n = 0;
}
