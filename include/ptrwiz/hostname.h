/* hostname: is a PTR target a usable host name, and IDN conversions. */
#ifndef PTRWIZ_HOSTNAME_H
#define PTRWIZ_HOSTNAME_H

#include <stdbool.h>
#include <stddef.h>

struct hostname_verdict {
        bool valid;       /* FQDN, LDH labels, lengths within RFC 1035 */
        bool idn;         /* has an A-label (xn--) */
        char reason[160]; /* why not valid; empty when valid */
        char ulabel[512]; /* U-label form when idn and convertible, else empty */
};

/* name is in presentation format as ldns prints it (escaped, trailing dot).
 * Never fails: a name that is not valid gets valid=false and a reason. */
void hostname_check(const char *name, struct hostname_verdict *out);

/* Converts a user-typed name (UTF-8, maybe Unicode) to A-labels, lower case,
 * with a trailing dot. Returns -1 and a one-line reason on failure. */
int hostname_to_alabels(const char *utf8, char *out, size_t outlen, char *err, size_t errlen);

/* True when name equals domain or lies under it (case-insensitive, trailing
 * dots optional on both). */
bool hostname_in_domain(const char *name, const char *domain);

#endif
