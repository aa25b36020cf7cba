/* addr: parsing and classifying IP addresses. */
#include "ptrwiz/addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ptrwiz/escape.h"

static const uint8_t v4mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

int addr_parse(const char *text, struct addr *out, char *err, size_t errlen)
{
        memset(out, 0, sizeof(*out));
        char shown[80];
        escape_buf(text, strnlen(text, 64), 0, shown, sizeof(shown));
        if (strnlen(text, 64) >= 64) {
                snprintf(err, errlen, "'%s...' is not an IP address (too long)", shown);
                return -1;
        }
        if (inet_pton(AF_INET, text, out->bytes) == 1) {
                out->family = AF_INET;
                return 0;
        }
        if (strchr(text, ':') && inet_pton(AF_INET6, text, out->bytes) == 1) {
                out->family = AF_INET6;
                if (memcmp(out->bytes, v4mapped_prefix, 12) == 0) {
                        /* A mail server sees ::ffff:a.b.c.d as a.b.c.d. */
                        memmove(out->bytes, out->bytes + 12, 4);
                        memset(out->bytes + 4, 0, 12);
                        out->family = AF_INET;
                }
                return 0;
        }
        if (strchr(text, '%'))
                snprintf(err, errlen, "'%s' has a zone index (%%...); give the bare address",
                         shown);
        else if (strchr(text, '/'))
                snprintf(err, errlen, "'%s' is a network, not an IP address", shown);
        else
                snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 address", shown);
        return -1;
}

void addr_format(const struct addr *a, char *buf, size_t len)
{
        if (!inet_ntop(a->family, a->bytes, buf, (socklen_t)len) && len)
                buf[0] = '\0';
}

bool addr_equal(const struct addr *a, const struct addr *b)
{
        size_t n = a->family == AF_INET ? 4 : 16;
        return a->family == b->family && memcmp(a->bytes, b->bytes, n) == 0;
}

bool addr_equal_text(const struct addr *a, const char *text)
{
        struct addr x;
        char err[8];
        return addr_parse(text, &x, err, sizeof(err)) == 0 && addr_equal(&x, a);
}

struct special_range {
        int family;
        uint8_t prefix[16];
        int bits;
        const char *what;
        bool builtin_zone; /* libunbound answers its reverse zone locally */
};

/* RFC 6890 special-purpose registries, the parts a mail sender can be in by
 * mistake; builtin_zone follows unbound's default local-zone list. */
static const struct special_range special_ranges[] = {
    {AF_INET, {0}, 8, "'this network' (RFC 791)", true},
    {AF_INET, {10}, 8, "private (RFC 1918)", true},
    {AF_INET, {100, 64}, 10, "shared CGNAT space (RFC 6598)", true},
    {AF_INET, {127}, 8, "loopback", true},
    {AF_INET, {169, 254}, 16, "link-local", true},
    {AF_INET, {172, 16}, 12, "private (RFC 1918)", true},
    {AF_INET, {192, 0, 0}, 24, "IETF protocol assignments", false},
    {AF_INET, {192, 0, 2}, 24, "documentation TEST-NET-1 (RFC 5737)", true},
    {AF_INET, {192, 168}, 16, "private (RFC 1918)", true},
    {AF_INET, {198, 51, 100}, 24, "documentation TEST-NET-2 (RFC 5737)", true},
    {AF_INET, {203, 0, 113}, 24, "documentation TEST-NET-3 (RFC 5737)", true},
    {AF_INET, {224}, 4, "multicast", false},
    {AF_INET, {240}, 4, "reserved", false},
    {AF_INET6, {0}, 128, "unspecified", true},
    {AF_INET6, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, "loopback", true},
    {AF_INET6, {0xfc}, 7, "unique local (RFC 4193)", true},
    {AF_INET6, {0xfe, 0x80}, 10, "link-local", true},
    {AF_INET6, {0xff}, 8, "multicast", false},
    {AF_INET6, {0x20, 0x01, 0x0d, 0xb8}, 32, "documentation (RFC 3849)", true},
};

static bool prefix_match(const uint8_t *a, const uint8_t *p, int bits)
{
        int whole = bits / 8, rest = bits % 8;
        if (memcmp(a, p, (size_t)whole) != 0)
                return false;
        if (rest == 0)
                return true;
        uint8_t mask = (uint8_t)(0xff << (8 - rest));
        return (a[whole] & mask) == (p[whole] & mask);
}

static const struct special_range *special_find(const struct addr *a)
{
        for (size_t i = 0; i < sizeof(special_ranges) / sizeof(special_ranges[0]); i++) {
                const struct special_range *r = &special_ranges[i];
                if (r->family == a->family && prefix_match(a->bytes, r->prefix, r->bits))
                        return r;
        }
        return NULL;
}

const char *addr_special_range(const struct addr *a)
{
        const struct special_range *r = special_find(a);
        return r ? r->what : NULL;
}

bool addr_has_builtin_reverse_zone(const struct addr *a)
{
        const struct special_range *r = special_find(a);
        return r && r->builtin_zone;
}

unsigned addr_sockaddr(const struct addr *a, int port, struct sockaddr_storage *ss)
{
        memset(ss, 0, sizeof(*ss));
        if (a->family == AF_INET) {
                struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
                s4->sin_family = AF_INET;
                s4->sin_port = htons((uint16_t)port);
                memcpy(&s4->sin_addr, a->bytes, 4);
                return sizeof(*s4);
        }
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        memcpy(&s6->sin6_addr, a->bytes, 16);
        return sizeof(*s6);
}

int addr_from_sockaddr(const struct sockaddr *sa, struct addr *out)
{
        memset(out, 0, sizeof(*out));
        if (sa->sa_family == AF_INET) {
                out->family = AF_INET;
                memcpy(out->bytes, &((const struct sockaddr_in *)sa)->sin_addr, 4);
                return 0;
        }
        if (sa->sa_family == AF_INET6) {
                out->family = AF_INET6;
                memcpy(out->bytes, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
                return 0;
        }
        return -1;
}
