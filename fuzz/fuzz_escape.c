/* escape_buf on any bytes with any flags: the result never holds a control
 * byte, its length is what escape_buf said, truncation keeps a NUL, and
 * escape_is_clean means "unchanged by escaping". escape_markdown on the
 * same bytes: no control byte, every Markdown metacharacter behind a
 * backslash, and a fence longer than any backtick run. */
#include "fuzz.h"
#include "ptrwiz/escape.h"

static void check_markdown(const char *in, size_t len)
{
        size_t need = escape_markdown(in, len, NULL, 0);
        char *md = escape_markdown_dup(in, len);
        FUZZ_ASSERT(md && strlen(md) == need && fuzz_is_clean(md));
        size_t slashes = 0; /* backslashes right before md[i] */
        for (size_t i = 0; i < need; i++) {
                if (strchr("`*_[]<>&|~!#$@", md[i]))
                        FUZZ_ASSERT(slashes % 2 == 1);
                slashes = md[i] == '\\' ? slashes + 1 : 0;
        }
        FUZZ_ASSERT(slashes % 2 == 0); /* no dangling escape at the end */
        char small[7];
        FUZZ_ASSERT(escape_markdown(in, len, small, sizeof(small)) == need);
        FUZZ_ASSERT(strlen(small) < sizeof(small) && strncmp(small, md, strlen(small)) == 0);
        free(md);
        size_t fence = escape_fence_len(in, len), run = 0;
        for (size_t i = 0; i < len; i++) {
                run = in[i] == '`' ? run + 1 : 0;
                FUZZ_ASSERT(run < fence);
        }
        FUZZ_ASSERT(fence >= 3);
}

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
        check_markdown(in, len);
        return 0;
}
