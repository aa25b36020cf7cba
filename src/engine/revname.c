/* revname: reverse owner names and their zone breakdown. */
#include "ptrwiz/revname.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

static const char hexdigits[] = "0123456789abcdef";

size_t revname_owner(const struct addr *a, char *buf, size_t len)
{
        if (a->family == AF_INET) {
                const uint8_t *b = a->bytes;
                int n = snprintf(buf, len, "%u.%u.%u.%u.in-addr.arpa.", b[3], b[2], b[1], b[0]);
                return n < 0 ? 0 : (size_t)n;
        }
        char tmp[REVNAME_MAX];
        size_t p = 0;
        for (int i = 15; i >= 0; i--) {
                tmp[p++] = hexdigits[a->bytes[i] & 0xf];
                tmp[p++] = '.';
                tmp[p++] = hexdigits[a->bytes[i] >> 4];
                tmp[p++] = '.';
        }
        memcpy(tmp + p, "ip6.arpa.", sizeof("ip6.arpa."));
        return (size_t)snprintf(buf, len, "%s", tmp);
}

/* The owner name with its first nlabels labels cut off (a suffix). */
static const char *name_suffix(const char *owner, int nlabels)
{
        const char *p = owner;
        for (int i = 0; i < nlabels && *p; i++) {
                const char *dot = strchr(p, '.');
                if (!dot)
                        break;
                p = dot + 1;
        }
        return p;
}

static void cut_set(struct revname_cut *c, const char *owner, int drop, int prefix_len)
{
        const char *zone = name_suffix(owner, drop);
        snprintf(c->zone, sizeof(c->zone), "%s", zone);
        size_t lablen = (size_t)(zone - owner);
        if (lablen > 0)
                lablen--; /* the dot between label and zone */
        snprintf(c->label, sizeof(c->label), "%.*s", (int)lablen, owner);
        c->prefix_len = prefix_len;
}

void revname_breakdown(const struct addr *a, struct revname_breakdown *out)
{
        memset(out, 0, sizeof(*out));
        revname_owner(a, out->owner, sizeof(out->owner));
        int total = a->family == AF_INET ? 4 : 32; /* labels before in-addr/ip6 */
        int bits_per = a->family == AF_INET ? 8 : 4;
        int n = 0;
        cut_set(&out->cuts[n++], out->owner, total + 1, 0); /* arpa. */
        for (int keep = 0; keep < total; keep++)
                cut_set(&out->cuts[n++], out->owner, total - keep, keep * bits_per);
        out->ncuts = n;
        /* The usual zone: /24 for IPv4, the /48 (12 nibbles) for IPv6 is where
         * providers most often delegate; /64 is common too and shown as a cut. */
        out->conventional = a->family == AF_INET ? 1 + 3 : 1 + 12;
}

int revname_find_cut(const struct revname_breakdown *b, const char *zone)
{
        for (int i = 0; i < b->ncuts; i++)
                if (strcasecmp(b->cuts[i].zone, zone) == 0)
                        return i;
        return -1;
}

/* Index of zone among the cuts; -1 for the root (above arpa.), -2 when it is
 * not an ancestor of the owner (an RFC 2317 zone, another name's zone). */
static int cut_index(const struct revname_breakdown *b, const char *zone)
{
        if (strcmp(zone, ".") == 0)
                return -1;
        int i = revname_find_cut(b, zone);
        return i >= 0 ? i : -2;
}

void revname_cuts_known(const struct revname_breakdown *b, const struct revname_link *links,
                        size_t nlinks, const char *holder, enum revname_cut_state *out)
{
        for (int i = 0; i < b->ncuts; i++)
                out[i] = REVNAME_UNKNOWN;
        for (size_t l = 0; l < nlinks; l++) {
                int z = links[l].zone ? cut_index(b, links[l].zone) : -2;
                if (z < 0)
                        continue;
                out[z] = REVNAME_CUT;
                /* The parent referred straight to z: nothing between is a cut. */
                int p = links[l].parent ? cut_index(b, links[l].parent) : -2;
                for (int i = p + 1; p >= -1 && i < z; i++)
                        if (out[i] == REVNAME_UNKNOWN)
                                out[i] = REVNAME_NO_CUT;
        }
        int h = holder ? cut_index(b, holder) : -2;
        if (h < 0)
                return;
        out[h] = REVNAME_CUT;
        /* The holder answers for the owner itself: no cut below it. */
        for (int i = h + 1; i < b->ncuts; i++)
                out[i] = REVNAME_NO_CUT;
}

int revname_classless(const char *zone, unsigned *first, unsigned *last)
{
        unsigned a, b;
        char sep, dot;
        if (sscanf(zone, "%3u%c%3u%c", &a, &sep, &b, &dot) != 4 || dot != '.' || a > 255 ||
            b > 255 || (sep != '/' && sep != '-'))
                return -1;
        if (sep == '/' && b >= 24 && b <= 32) {
                unsigned size = 1u << (32 - b);
                if (a % size)
                        return -1; /* not the start of a block of that size */
                *first = a;
                *last = a + size - 1;
                return 0;
        }
        if (sep == '-' && b >= a) {
                *first = a;
                *last = b;
                return 0;
        }
        return -1;
}

void revname_label_in_zone(const char *name, const char *zone, char *buf, size_t len)
{
        size_t n = strlen(name), z = strlen(zone);
        buf[0] = '\0';
        if (n > z + 1 && name[n - z - 1] == '.' && strcasecmp(name + n - z, zone) == 0)
                snprintf(buf, len, "%.*s", (int)(n - z - 1), name);
}

static int parse_v4_owner(const char *s, size_t len, struct addr *out)
{
        unsigned v[4];
        char tail[32];
        if (len > 40)
                return -1;
        char buf[48];
        memcpy(buf, s, len);
        buf[len] = '\0';
        if (sscanf(buf, "%3u.%3u.%3u.%3u.%31s", &v[0], &v[1], &v[2], &v[3], tail) != 5)
                return -1;
        if (strcasecmp(tail, "in-addr.arpa") != 0)
                return -1;
        for (int i = 0; i < 4; i++) {
                if (v[i] > 255)
                        return -1;
                out->bytes[3 - i] = (uint8_t)v[i];
        }
        out->family = AF_INET;
        return 0;
}

static int parse_v6_owner(const char *s, size_t len, struct addr *out)
{
        if (len != 64 + 8 || strncasecmp(s + 64, "ip6.arpa", 8) != 0)
                return -1;
        for (int i = 0; i < 32; i++) {
                char c = (char)tolower((unsigned char)s[i * 2]);
                const char *h = strchr(hexdigits, c);
                if (!c || !h || s[i * 2 + 1] != '.')
                        return -1;
                int nib = (int)(h - hexdigits);
                int byte = 15 - i / 2;
                if (i % 2 == 0)
                        out->bytes[byte] = (uint8_t)nib;
                else
                        out->bytes[byte] |= (uint8_t)(nib << 4);
        }
        out->family = AF_INET6;
        return 0;
}

int revname_to_addr(const char *owner, struct addr *out)
{
        memset(out, 0, sizeof(*out));
        size_t len = strlen(owner);
        if (len && owner[len - 1] == '.')
                len--;
        if (parse_v4_owner(owner, len, out) == 0)
                return 0;
        return parse_v6_owner(owner, len, out);
}
