/* hostname: is a PTR target a usable mail host name (RFC 1123 LDH, FQDN,
 * RFC 1035 lengths, IDNA2008 A-labels), and conversions for user input. */
#include "ptrwiz/hostname.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <idn2.h>

#include "ptrwiz/escape.h"

#define LABEL_MAX       63
#define NAME_MAX_OCTETS 253 /* text form without the trailing dot; 255 on the wire */
#define MAX_LABELS      128
#define DECODED_MAX     1024

/* A name decoded from presentation format: labels as raw bytes. */
struct dname {
        uint8_t bytes[DECODED_MAX];
        size_t off[MAX_LABELS];
        size_t len[MAX_LABELS];
        size_t n;
        size_t total; /* octets of the labels plus the dots between them */
};

static void set_reason(struct hostname_verdict *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_reason(struct hostname_verdict *v, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(v->reason, sizeof v->reason, fmt, ap);
        va_end(ap);
        v->valid = false;
}

/* Escaped copy of untrusted bytes for a message, shortened with "..." so a
 * one-line reason keeps its end. Names from DNS are quoted as dig prints
 * them (flags 0); what the user typed keeps its Unicode (ESCAPE_KEEP_UTF8). */
static const char *quote(const void *bytes, size_t len, int flags, char *buf, size_t buflen)
{
        if (escape_buf(bytes, len, flags, buf, buflen) >= buflen) {
                escape_buf(bytes, len, flags, buf, buflen - 3);
                strcat(buf, "...");
        }
        return buf;
}

static const char *quote_label(const struct dname *d, size_t i, char *buf, size_t buflen)
{
        return quote(d->bytes + d->off[i], d->len[i], 0, buf, buflen);
}

/* The whole decoded name, escaped. */
static const char *quote_name(const struct dname *d, char *buf, size_t buflen)
{
        /* bytes[] holds the labels with their dots, see dname_decode. */
        return quote(d->bytes, d->total, 0, buf, buflen);
}

/* Reads one \X or \DDD escape at s (s[0] == '\\'); returns the characters
 * used, 0 when malformed. */
static size_t escape_decode(const char *s, uint8_t *byte)
{
        if (isdigit((unsigned char)s[1])) {
                if (!isdigit((unsigned char)s[2]) || !isdigit((unsigned char)s[3]))
                        return 0;
                int v = (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
                if (v > 255)
                        return 0;
                *byte = (uint8_t)v;
                return 4;
        }
        if (s[1] == '\0')
                return 0;
        *byte = (uint8_t)s[1];
        return 2;
}

/* Decodes presentation format into labels; bytes[] keeps a '.' between
 * labels so the whole name can be quoted at once. Returns NULL or a reason. */
static const char *dname_decode(const char *name, struct dname *d)
{
        size_t w = 0;
        const char *s = name;

        memset(d, 0, sizeof *d);
        if (strcmp(name, ".") == 0)
                return "the root '.' is not a host name";
        while (*s != '\0') {
                if (d->n == MAX_LABELS || w >= DECODED_MAX - 1)
                        return "too long";
                d->off[d->n] = w;
                while (*s != '\0' && *s != '.') {
                        uint8_t b = (uint8_t)*s;
                        size_t used = 1;
                        if (*s == '\\' && (used = escape_decode(s, &b)) == 0)
                                return "has a malformed \\ escape";
                        if (w >= DECODED_MAX - 1)
                                return "too long";
                        d->bytes[w++] = b;
                        s += used;
                }
                d->len[d->n] = w - d->off[d->n];
                if (d->len[d->n] == 0)
                        return "has an empty label";
                d->n++;
                if (*s == '.') {
                        s++;
                        if (*s != '\0')
                                d->bytes[w++] = '.';
                }
        }
        d->total = w;
        return NULL;
}

static bool is_ldh(uint8_t c)
{
        return isascii(c) && (isalnum(c) || c == '-');
}

static bool all_digits(const uint8_t *p, size_t len)
{
        for (size_t i = 0; i < len; i++) {
                if (!isascii(p[i]) || !isdigit(p[i]))
                        return false;
        }
        return true;
}

static bool is_alabel(const uint8_t *p, size_t len)
{
        return len >= 4 && strncasecmp((const char *)p, "xn--", 4) == 0;
}

/* Converts one A-label to its U-label when it is valid IDNA2008: it must
 * decode, and encode back to exactly itself (which rejects "xn--abc-" and
 * anything the mapping would change). */
static bool alabel_to_ulabel(const uint8_t *p, size_t len, char *out, size_t outlen)
{
        char alabel[LABEL_MAX + 1];
        char *u = NULL, *back = NULL;
        bool ok = false;

        for (size_t i = 0; i < len; i++)
                alabel[i] = (char)tolower(p[i]);
        alabel[len] = '\0';
        if (idn2_to_unicode_8z8z(alabel, &u, 0) != IDN2_OK || u[0] == '\0')
                goto done;
        if (idn2_to_ascii_8z(u, &back, IDN2_NONTRANSITIONAL) != IDN2_OK)
                goto done;
        if (strcmp(back, alabel) != 0)
                goto done;
        ok = strlen(u) < outlen;
        if (ok)
                strcpy(out, u);
done:
        idn2_free(u);
        idn2_free(back);
        return ok;
}

/* LDH rules of RFC 1123 and RFC 5891 for one label; false with a reason. */
static bool label_check(const struct dname *d, size_t i, struct hostname_verdict *v)
{
        const uint8_t *p = d->bytes + d->off[i];
        size_t len = d->len[i];
        char q[72], c[8];

        if (len > LABEL_MAX) {
                set_reason(v, "label '%s' is %zu octets long; a label can have at most 63",
                           quote_label(d, i, q, sizeof q), len);
                return false;
        }
        for (size_t k = 0; k < len; k++) {
                if (p[k] == '_') {
                        set_reason(v, "label '%s': underscore is not allowed in a host name",
                                   quote_label(d, i, q, sizeof q));
                        return false;
                }
                if (!is_ldh(p[k])) {
                        set_reason(v, "label '%s' has '%s', which is not allowed in a host name",
                                   quote_label(d, i, q, sizeof q), quote(p + k, 1, 0, c, sizeof c));
                        return false;
                }
        }
        if (p[0] == '-' || p[len - 1] == '-') {
                set_reason(v, "label '%s' %s with a hyphen", quote_label(d, i, q, sizeof q),
                           p[0] == '-' ? "starts" : "ends");
                return false;
        }
        if (len >= 4 && p[2] == '-' && p[3] == '-' && !is_alabel(p, len)) {
                set_reason(v, "label '%s' has '--' in positions 3-4, which is reserved for IDN",
                           quote_label(d, i, q, sizeof q));
                return false;
        }
        return true;
}

/* Fills v->ulabel with the Unicode form of the whole name, or says which
 * A-label is not valid. */
static bool idn_check(const struct dname *d, bool trailing_dot, struct hostname_verdict *v)
{
        char u[256], q[72];
        size_t w = 0;

        for (size_t i = 0; i < d->n; i++) {
                const uint8_t *p = d->bytes + d->off[i];
                size_t len = d->len[i];
                if (!is_alabel(p, len)) {
                        snprintf(u, sizeof u, "%.*s", (int)len, (const char *)p);
                } else if (!alabel_to_ulabel(p, len, u, sizeof u)) {
                        set_reason(v, "label '%s' is not a valid IDN A-label",
                                   quote_label(d, i, q, sizeof q));
                        v->ulabel[0] = '\0';
                        return false;
                }
                w += (size_t)snprintf(v->ulabel + w, sizeof v->ulabel - w, "%s%s", u,
                                      i + 1 < d->n || trailing_dot ? "." : "");
                if (w >= sizeof v->ulabel) {
                        v->ulabel[0] = '\0'; /* cannot happen within 253 octets */
                        return true;
                }
        }
        return true;
}

static bool is_ip_literal(const struct dname *d)
{
        char text[DECODED_MAX];
        unsigned char bin[16];

        memcpy(text, d->bytes, d->total);
        text[d->total] = '\0';
        return inet_pton(AF_INET, text, bin) == 1;
}

/* Rules for the name as a whole: length, FQDN, not an address. */
static bool name_check(const struct dname *d, struct hostname_verdict *v)
{
        char q[72], t[72];
        const uint8_t *tld = d->bytes + d->off[d->n - 1];
        size_t tldlen = d->len[d->n - 1];

        if (d->total > NAME_MAX_OCTETS) {
                set_reason(v, "'%s' is %zu octets long; a name can have at most 253",
                           quote_name(d, q, sizeof q), d->total);
                return false;
        }
        if (d->n < 2) {
                set_reason(v, "'%s' is a single label, not a fully qualified host name",
                           quote_name(d, q, sizeof q));
                return false;
        }
        if (all_digits(tld, tldlen)) {
                if (is_ip_literal(d))
                        set_reason(v, "'%s' is an IP address written as a name, not a host name",
                                   quote_name(d, q, sizeof q));
                else
                        set_reason(v, "'%s' has an all-numeric top-level label '%s'",
                                   quote_name(d, q, sizeof q), quote(tld, tldlen, 0, t, sizeof t));
                return false;
        }
        return true;
}

void hostname_check(const char *name, struct hostname_verdict *out)
{
        struct dname d;
        char q[72];
        size_t n = strlen(name);

        memset(out, 0, sizeof *out);
        out->valid = true;
        if (n == 0) {
                set_reason(out, "the name is empty");
                return;
        }
        /* Presentation text is at most 4 characters per octet. */
        if (n > 4 * (NAME_MAX_OCTETS + 2)) {
                set_reason(out, "'%s' is far longer than the 253 octets a name can have",
                           quote(name, n, 0, q, sizeof q));
                return;
        }
        const char *bad = dname_decode(name, &d);
        if (bad != NULL) {
                set_reason(out, "'%s' %s", quote(name, n, 0, q, sizeof q), bad);
                return;
        }
        for (size_t i = 0; i < d.n; i++) {
                if (!label_check(&d, i, out))
                        return;
                if (is_alabel(d.bytes + d.off[i], d.len[i]))
                        out->idn = true;
        }
        if (!name_check(&d, out))
                return;
        if (out->idn)
                idn_check(&d, n > 0 && name[n - 1] == '.', out);
}

/* User input: a space, a control character, a backslash or an empty label is
 * a typo that IDNA would let through (what the user types is not
 * presentation format). */
static const char *input_problem(const char *s, size_t len)
{
        if (len == 0)
                return "is empty";
        for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c <= ' ' || c == 0x7f)
                        return "has a space or a control character";
                if (c == '\\')
                        return "has a backslash";
                if (c == '.' && (i == 0 || s[i - 1] == '.'))
                        return "has an empty label";
        }
        return NULL;
}

/* IDNA2008 (UTS #46 non-transitional) first; transitional as a fallback,
 * as curl does, for names IDNA2003 allowed (emoji). */
static int to_ascii(const char *in, char **out)
{
        int rc = idn2_to_ascii_8z(in, out, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);

        if (rc != IDN2_OK)
                rc = idn2_to_ascii_8z(in, out, IDN2_NFC_INPUT | IDN2_TRANSITIONAL);
        return rc;
}

int hostname_to_alabels(const char *utf8, char *out, size_t outlen, char *err, size_t errlen)
{
        char in[DECODED_MAX], q[72];
        size_t len = strlen(utf8);
        char *ascii = NULL;
        const char *bad = NULL;
        int rc;

        while (len > 0 && isspace((unsigned char)utf8[len - 1]))
                len--;
        while (len > 0 && isspace((unsigned char)*utf8)) {
                utf8++;
                len--;
        }
        if (len > 0 && utf8[len - 1] == '.')
                len--;
        if (len >= sizeof in)
                bad = "is too long";
        else
                bad = input_problem(utf8, len);
        if (bad == NULL) {
                memcpy(in, utf8, len);
                in[len] = '\0';
                rc = to_ascii(in, &ascii);
                if (rc != IDN2_OK)
                        bad = idn2_strerror(rc);
                else if (strlen(ascii) + 2 > outlen)
                        bad = "is too long";
        }
        if (bad != NULL) {
                snprintf(err, errlen, "'%s' is not a usable host name: %s",
                         quote(utf8, len, ESCAPE_KEEP_UTF8, q, sizeof q), bad);
                idn2_free(ascii);
                return -1;
        }
        size_t n = 0;
        for (; ascii[n] != '\0'; n++)
                out[n] = (char)tolower((unsigned char)ascii[n]);
        out[n++] = '.';
        out[n] = '\0';
        idn2_free(ascii);
        return 0;
}

/* Length of s without its trailing dot; an escaped dot ("a\\.") stays. */
static size_t strip_root(const char *s)
{
        size_t len = strlen(s);
        size_t slashes = 0;

        if (len == 0 || s[len - 1] != '.')
                return len;
        while (slashes + 1 < len && s[len - 2 - slashes] == '\\')
                slashes++;
        return slashes % 2 == 0 ? len - 1 : len;
}

/* True when the character at i is a label separator, not an escaped dot. */
static bool is_separator(const char *s, size_t i)
{
        size_t slashes = 0;

        while (slashes < i && s[i - 1 - slashes] == '\\')
                slashes++;
        return s[i] == '.' && slashes % 2 == 0;
}

bool hostname_in_domain(const char *name, const char *domain)
{
        size_t nlen = strip_root(name);
        size_t dlen = strip_root(domain);

        if (dlen == 0)
                return true; /* everything is under the root */
        if (nlen < dlen || strncasecmp(name + nlen - dlen, domain, dlen) != 0)
                return false;
        return nlen == dlen || is_separator(name, nlen - dlen - 1);
}
