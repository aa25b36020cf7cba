/* addr: IP addresses as the user types them, and where they sit in the
 * address space (public or a range a mail receiver can never see). */
#ifndef PTRWIZ_ADDR_H
#define PTRWIZ_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ADDR_STRLEN 46 /* INET6_ADDRSTRLEN */

struct addr {
        int family; /* AF_INET or AF_INET6 */
        uint8_t bytes[16];
};

/* Parses IPv4 or IPv6 text; an IPv4-mapped ::ffff:a.b.c.d becomes the IPv4
 * address. On failure returns -1 and writes a one-line reason to err. */
int addr_parse(const char *text, struct addr *out, char *err, size_t errlen);

struct sockaddr;
struct sockaddr_storage;
/* The socket address of a with port (host order); returns its length. */
unsigned addr_sockaddr(const struct addr *a, int port, struct sockaddr_storage *ss);
/* The address of a socket address (AF_INET or AF_INET6); -1 for others. */
int addr_from_sockaddr(const struct sockaddr *sa, struct addr *out);

/* Canonical text form (inet_ntop). */
void addr_format(const struct addr *a, char *buf, size_t len);

bool addr_equal(const struct addr *a, const struct addr *b);

/* True when text (an A/AAAA rdata as printed) is the address a. */
bool addr_equal_text(const struct addr *a, const char *text);

/* Special-purpose ranges: NULL for an ordinary public address, else a short
 * description such as "private (RFC 1918)" or "documentation (RFC 5737)". */
const char *addr_special_range(const struct addr *a);

/* True when libunbound (like unbound) answers this address's reverse zone
 * itself from a built-in local zone, so the real DNS is never asked. */
bool addr_has_builtin_reverse_zone(const struct addr *a);

#endif
