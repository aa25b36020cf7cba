/* addr_parse on any text: an accepted address prints and parses back to
 * itself, its reverse name maps back to it, a refusal is one clean line. */
#include "fuzz.h"
#include "ptrwiz/addr.h"
#include "ptrwiz/revname.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *s = fuzz_str(data, size);
        struct addr a, b;
        char err[256] = "", text[ADDR_STRLEN];
        if (addr_parse(s, &a, err, sizeof(err)) == 0) {
                addr_format(&a, text, sizeof(text));
                FUZZ_ASSERT(addr_parse(text, &b, err, sizeof(err)) == 0 && addr_equal(&a, &b));
                addr_special_range(&a);
                addr_has_builtin_reverse_zone(&a);
                struct revname_breakdown bd;
                revname_breakdown(&a, &bd);
                FUZZ_ASSERT(revname_to_addr(bd.owner, &b) == 0 && addr_equal(&a, &b));
                FUZZ_ASSERT(revname_find_cut(&bd, bd.cuts[bd.conventional].zone) ==
                            bd.conventional);
        } else {
                FUZZ_ASSERT(err[0] && fuzz_is_clean(err));
        }
        free(s);
        return 0;
}
