/* generic_check and finaldot_check on any PTR name. The first byte picks
 * the address family and is followed by the address (4 or 16 bytes); the
 * rest is the name, and after a newline the zone it was found in. */
#include "fuzz.h"
#include "ptrwiz/finaldot.h"
#include "ptrwiz/generic.h"

#include <sys/socket.h>

static void check_names(const char *name, const char *zone, const struct addr *ip)
{
        struct generic_verdict g;
        struct finaldot_verdict d;
        struct findings f = {0};

        generic_check(name, ip, &g);
        FUZZ_ASSERT(g.generic == (g.reason[0] != '\0'));
        FUZZ_ASSERT(fuzz_is_clean(g.reason));
        if (!finaldot_check(name, zone, &d)) {
                FUZZ_ASSERT(!d.found && d.origin[0] == '\0' && d.intended[0] == '\0');
                return;
        }
        size_t o = strlen(d.origin), i = strlen(d.intended);
        FUZZ_ASSERT(d.found && o > 1 && d.origin[o - 1] == '.' && d.written[0] != '\0');
        FUZZ_ASSERT(i == 0 || d.intended[i - 1] == '.');
        FUZZ_ASSERT(finaldot_add_finding(&f, "n.", &d, "o.", NULL) == 0);
        FUZZ_ASSERT(f.n == 1 && f.v[0].code == FINDING_PTR_MISSING_FINAL_DOT);
        findings_clear(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct addr ip;
        size_t alen;

        if (size < 1)
                return 0;
        memset(&ip, 0, sizeof ip);
        ip.family = data[0] & 1 ? AF_INET6 : AF_INET;
        alen = ip.family == AF_INET6 ? 16 : 4;
        if (size < 1 + alen)
                return 0;
        memcpy(ip.bytes, data + 1, alen);
        char *s = fuzz_str(data + 1 + alen, size - 1 - alen);
        char *nl = strchr(s, '\n');
        if (nl)
                *nl = '\0';
        check_names(s, nl ? nl + 1 : NULL, &ip);
        check_names(s, NULL, NULL);
        free(s);
        return 0;
}
