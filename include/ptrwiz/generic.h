/* generic: does a PTR name look like an ISP's or cloud's default name for a
 * dynamic or unassigned address, which receivers treat like no PTR at all? */
#ifndef PTRWIZ_GENERIC_H
#define PTRWIZ_GENERIC_H

#include <stdbool.h>
#include "ptrwiz/addr.h"

struct generic_verdict {
        bool generic;
        char reason[160]; /* e.g. "the IP appears dashed (198-18-1-15)" */
};

/* name: PTR target in presentation format; ip: the address checked. */
void generic_check(const char *name, const struct addr *ip, struct generic_verdict *out);

#endif
