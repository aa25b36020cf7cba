/* escape_buf on any bytes with any flags: the result never holds a control
 * byte, its length is what escape_buf said, truncation keeps a NUL, and
 * escape_is_clean means "unchanged by escaping". */
#include "fuzz.h"
#include "ptrwiz/escape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        if (size < 1)
                return 0;
        int flags = data[0] & (ESCAPE_KEEP_SPACE | ESCAPE_KEEP_UTF8);
        const char *in = (const char *)data + 1;
        size_t len = size - 1;
        size_t need = escape_buf(in, len, flags, NULL, 0);
        char *out = malloc(need + 1);
        FUZZ_ASSERT(out);
        FUZZ_ASSERT(escape_buf(in, len, flags, out, need + 1) == need);
        FUZZ_ASSERT(strlen(out) == need);
        for (size_t i = 0; i < need; i++) {
                unsigned char c = (unsigned char)out[i];
                FUZZ_ASSERT(c >= 0x20 && c != 0x7f);
                FUZZ_ASSERT(c != ' ' || (flags & ESCAPE_KEEP_SPACE));
                FUZZ_ASSERT(c < 0x80 || (flags & ESCAPE_KEEP_UTF8));
        }
        if (escape_is_clean(in, len, flags))
                FUZZ_ASSERT(need == len && memcmp(out, in, len) == 0);
        char small[7];
        size_t got = escape_buf(in, len, flags, small, sizeof(small));
        FUZZ_ASSERT(got == need && strlen(small) < sizeof(small));
        char *dup = escape_dup(in, len, flags);
        FUZZ_ASSERT(dup && strcmp(dup, out) == 0);
        free(dup);
        free(out);
        return 0;
}
