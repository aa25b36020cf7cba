/* resview: what a named recursive resolver holds for the PTR now and for
 * how many seconds more (--resolver-view), in words: "the resolver at X
 * will forget the old NXDOMAIN in 23 minutes". The lookups themselves run
 * in the check (check_opts.views); this says what they mean. */
#ifndef PTRWIZ_RESVIEW_H
#define PTRWIZ_RESVIEW_H

#include <stddef.h>
#include <stdint.h>
#include "ptrwiz/check.h"

enum resview_state {
        RESVIEW_PTR,      /* holds PTR records */
        RESVIEW_NEGATIVE, /* holds NXDOMAIN or NODATA */
        RESVIEW_FAILED,   /* could not be asked, or failed (SERVFAIL, timeout) */
};

struct resview_line {
        enum resview_state state;
        int64_t seconds_left; /* the TTL returned; -1 when unknown (failed, no SOA) */
        bool stale;           /* holds something other than what ptrwiz sees now */
        char text[800];       /* one line, escaped values */
};

void resview_describe(const struct check_view *v, const struct check_result *now,
                      struct resview_line *out);

#endif
