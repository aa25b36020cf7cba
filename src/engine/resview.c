/* resview: a resolver view's answer in words (see resview.h). */
#include "ptrwiz/resview.h"

#include <stdio.h>
#include <string.h>

#include "ptrwiz/compare.h"

/* "in 40 seconds", "in 60 minutes", "in 2 hours", "in 2 hours 5 minutes":
 * minutes rounded up, so never "1 hour 60 minutes". */
static void when_words(int64_t s, char *buf, size_t len)
{
        long long m = (long long)((s + 59) / 60), h = m / 60, r = m % 60;
        if (s < 120)
                snprintf(buf, len, "in %lld seconds", (long long)s);
        else if (m <= 60)
                snprintf(buf, len, "in %lld minutes", m);
        else if (r == 0)
                snprintf(buf, len, "in %lld hours", h);
        else
                snprintf(buf, len, "in %lld hour%s %lld minute%s", h, h == 1 ? "" : "s", r,
                         r == 1 ? "" : "s");
}

void resview_describe(const struct check_view *v, const struct check_result *now,
                      struct resview_line *out)
{
        const struct resolver_answer *a = v->ptr;
        char held[400], seen[400], when[64];
        memset(out, 0, sizeof(*out));
        out->seconds_left = -1;
        if (!a || (a->status != RES_OK && a->status != RES_NXDOMAIN && a->status != RES_NODATA)) {
                out->state = RESVIEW_FAILED;
                snprintf(out->text, sizeof(out->text),
                         "the resolver at %s could not be asked: %s%s%s", v->server,
                         a ? resolver_status_name(a->status) : "not asked",
                         a && a->error ? ", " : "", a && a->error ? a->error : "");
                return;
        }
        struct check_result view = {.ptr = (struct resolver_answer *)a};
        compare_ptr_words(&view, held, sizeof(held));
        compare_ptr_words(now, seen, sizeof(seen));
        out->stale = strcmp(held, seen) != 0;
        if (a->status == RES_OK) {
                out->state = RESVIEW_PTR;
                out->seconds_left = a->ttl;
        } else {
                out->state = RESVIEW_NEGATIVE;
                if (a->soa_owner)
                        out->seconds_left = a->neg_ttl;
        }
        const char *what = a->status == RES_OK ? "PTR " : "";
        if (out->seconds_left < 0) {
                snprintf(out->text, sizeof(out->text),
                         "the resolver at %s holds %s%s (no SOA with it: for how long is not said)",
                         v->server, what, held);
                return;
        }
        when_words(out->seconds_left, when, sizeof(when));
        if (out->stale)
                snprintf(out->text, sizeof(out->text),
                         "the resolver at %s will forget the old %s%s %s (%lld s); ptrwiz sees %s "
                         "now",
                         v->server, what, held, when, (long long)out->seconds_left, seen);
        else
                snprintf(out->text, sizeof(out->text),
                         "the resolver at %s holds %s%s, as ptrwiz sees it, for %lld s more",
                         v->server, what, held, (long long)out->seconds_left);
}
