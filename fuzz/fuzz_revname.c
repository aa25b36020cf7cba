/* revname_to_addr on any text (a bounce's "25.2.0.192.in-addr.arpa"): an
 * accepted name is the owner name of the address it gives. */
#include <strings.h>

#include "fuzz.h"
#include "ptrwiz/revname.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *s = fuzz_str(data, size);
        struct addr a, b;
        if (revname_to_addr(s, &a) == 0) {
                char owner[REVNAME_MAX];
                revname_owner(&a, owner, sizeof(owner));
                FUZZ_ASSERT(revname_to_addr(owner, &b) == 0 && addr_equal(&a, &b));
        }
        free(s);
        return 0;
}
