/* check_actor: who acts on each finding of a check and in which guide step
 * it belongs; the findings table gives the usual answer, the result's
 * context the exceptions. Every front end reads what this sets. */
#include "ptrwiz/check.h"

#include <stddef.h>

/* A record of the PTR itself, fixed where the PTR is written. */
static bool about_ptr_record(enum finding_code code)
{
        switch (code) {
        case FINDING_PTR_MISSING:
        case FINDING_PTR_NODATA:
        case FINDING_PTR_MULTIPLE:
        case FINDING_PTR_GENERIC:
        case FINDING_PTR_INVALID_HOSTNAME:
        case FINDING_PTR_MISSING_FINAL_DOT:
                return true;
        default:
                return false;
        }
}

static bool is_lookup_failure(enum finding_code code)
{
        return code == FINDING_RESOLUTION_SERVFAIL || code == FINDING_RESOLUTION_TIMEOUT;
}

static void assign(const struct check_result *res, struct finding *f)
{
        const struct resolver_answer *p = res->ptr;
        f->actor = finding_code_actor(f->code);
        f->step = finding_code_step(f->code);
        if (is_lookup_failure(f->code)) {
                if (!p)
                        f->actor = ACTOR_RETRY; /* the lookup did not run or finish */
                else if (res->offline || p->status == RES_ERROR)
                        f->actor = ACTOR_THIS_HOST;
                else if ((p->status == RES_TIMEOUT || p->status == RES_SERVFAIL) && !res->trace)
                        f->actor = ACTOR_RETRY; /* no trace: no server measured, a local
                                                   firewall reads the same */
                else if (res->forwarded && check_should_ask_again(res))
                        f->actor = ACTOR_RESOLVER_OPERATOR; /* the zone answered */
                else if (p->status == RES_OK) {
                        /* a failed forward lookup comes after a PTR answer */
                        f->actor = ACTOR_DNS_PROVIDER;
                        f->step = GUIDE_FORWARD;
                }
        } else if (f->code == FINDING_CHECK_DEADLINE && p && p->status == RES_OK) {
                f->step = GUIDE_FORWARD; /* a forward lookup ran out of time */
        } else if (about_ptr_record(f->code) && p && p->ncname) {
                f->actor = ACTOR_CLASSLESS_ZONE;
        }
}

void check_assign_actors(struct check_result *res)
{
        int best = -1;
        res->actor = ACTOR_NOBODY;
        for (size_t i = 0; i < res->findings.n; i++) {
                struct finding *f = &res->findings.v[i];
                assign(res, f);
                if (f->severity > SEV_INFO && (int)f->severity > best) {
                        best = (int)f->severity;
                        res->actor = f->actor;
                }
        }
}

void check_actor_text(const struct check_result *res, enum finding_actor a, char *buf, size_t len)
{
        const char *zone = res->zone ? res->zone : res->names.cuts[res->names.conventional].zone;
        finding_actor_text(a, zone, buf, len);
}
