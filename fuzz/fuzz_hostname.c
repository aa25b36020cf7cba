/* hostname_check on any PTR name, hostname_to_alabels on any typed name,
 * hostname_in_domain on any pair (split at the first newline). */
#include "fuzz.h"
#include "ptrwiz/hostname.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *s = fuzz_str(data, size);
        struct hostname_verdict v;
        hostname_check(s, &v);
        FUZZ_ASSERT(v.valid == (v.reason[0] == '\0'));
        FUZZ_ASSERT(fuzz_is_clean(v.reason));
        char out[300], err[300] = "";
        if (hostname_to_alabels(s, out, sizeof(out), err, sizeof(err)) == 0) {
                size_t n = strlen(out);
                FUZZ_ASSERT(n > 0 && out[n - 1] == '.');
                hostname_check(out, &v);
        } else {
                FUZZ_ASSERT(err[0] && fuzz_is_clean(err));
        }
        char *nl = strchr(s, '\n');
        if (nl) {
                *nl = '\0';
                hostname_in_domain(s, nl + 1);
                FUZZ_ASSERT(hostname_in_domain(s, s) || !s[0] || s[0] == '.');
        }
        free(s);
        return 0;
}
