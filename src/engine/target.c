/* target: parsing IPs, CIDR blocks and host names as typed, walking blocks
 * lazily, and reading list files a line at a time (a 65536-line list costs
 * one line of memory). */
#include "ptrwiz/target.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ptrwiz/escape.h"
#include "ptrwiz/hostname.h"

#define TARGET_TEXT_MAX 1000 /* longer input is refused before any parsing */

static int addr_bits(int family)
{
        return family == AF_INET ? 32 : 128;
}

static int min_prefix(int family)
{
        return family == AF_INET ? TARGET_MIN_PREFIX_V4 : TARGET_MIN_PREFIX_V6;
}

/* Strips white space at both ends into buf; returns the length. */
static size_t trim_copy(const char *text, char *buf, size_t buflen)
{
        while (isspace((unsigned char)*text))
                text++;
        size_t len = strnlen(text, buflen - 1);
        while (len > 0 && isspace((unsigned char)text[len - 1]))
                len--;
        memcpy(buf, text, len);
        buf[len] = '\0';
        return len;
}

/* "65536 addresses" or "2^64 addresses" when too many to print. */
static void count_text(int host_bits, char *buf, size_t len)
{
        if (host_bits < 63)
                snprintf(buf, len, "%llu addresses", 1ULL << host_bits);
        else
                snprintf(buf, len, "2^%d addresses", host_bits);
}

static int parse_prefix_len(const char *s, int *out)
{
        size_t n = strlen(s);
        if (n == 0 || n > 3 || strspn(s, "0123456789") != n)
                return -1;
        *out = atoi(s);
        return 0;
}

/* Clears the bits after prefix; true when any was set. */
static bool clear_host_bits(struct addr *a, int prefix)
{
        bool had = false;
        int nbytes = addr_bits(a->family) / 8;
        for (int i = 0; i < nbytes; i++) {
                int keep = prefix - i * 8; /* bits of this byte inside the prefix */
                uint8_t mask = keep >= 8 ? 0xff : keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));
                had = had || (a->bytes[i] & ~mask) != 0;
                a->bytes[i] &= mask;
        }
        return had;
}

static int parse_cidr(char *buf, struct target *out, char *err, size_t errlen)
{
        char *slash = strrchr(buf, '/');
        *slash = '\0';
        const char *shown = out->text;
        if (addr_parse(buf, &out->addr, err, errlen) < 0)
                return -1;
        int prefix = -1;
        bool mapped = strchr(buf, ':') && out->addr.family == AF_INET;
        int max = mapped ? 128 : addr_bits(out->addr.family);
        if (parse_prefix_len(slash + 1, &prefix) < 0 || prefix > max) {
                snprintf(err, errlen, "'%s': the prefix length must be a number from 0 to %d",
                         shown, max);
                return -1;
        }
        if (mapped) /* ::ffff:198.18.2.0/120 is 198.18.2.0/24 */
                prefix = prefix >= 96 ? prefix - 96 : -1;
        int family = out->addr.family;
        if (prefix < min_prefix(family)) {
                char count[40];
                count_text(addr_bits(family) - (prefix < 0 ? 0 : prefix), count, sizeof(count));
                snprintf(err, errlen,
                         "'%s' is too big a block (%s): the limit is /%d (65536 addresses) for "
                         "IPv%d",
                         shown, count, min_prefix(family), family == AF_INET ? 4 : 6);
                return -1;
        }
        out->kind = prefix == addr_bits(family) ? TARGET_ADDR : TARGET_CIDR;
        out->prefix = prefix;
        if (clear_host_bits(&out->addr, prefix)) {
                char net[ADDR_STRLEN];
                addr_format(&out->addr, net, sizeof(net));
                snprintf(out->note, sizeof(out->note),
                         "%s has host bits set: checking the block %s/%d", shown, net, prefix);
        }
        return 0;
}

/* 300.1.2.3 or 10.1: a mistyped address, not a host name (a top-level
 * domain is never all digits). */
static bool looks_numeric(const char *s, size_t len)
{
        if (len > 0 && s[len - 1] == '.')
                len--;
        size_t start = len;
        while (start > 0 && s[start - 1] != '.')
                start--;
        if (start == len)
                return false;
        for (size_t i = start; i < len; i++)
                if (!isdigit((unsigned char)s[i]))
                        return false;
        return true;
}

static int parse_host(const char *buf, struct target *out, char *err, size_t errlen)
{
        if (hostname_to_alabels(buf, out->name, sizeof(out->name), err, errlen) < 0)
                return -1;
        struct hostname_verdict hv;
        hostname_check(out->name, &hv);
        if (!hv.valid) {
                snprintf(err, errlen, "'%s' is not a valid host name: %s", out->text, hv.reason);
                return -1;
        }
        out->kind = TARGET_HOST;
        return 0;
}

int target_parse(const char *text, struct target *out, char *err, size_t errlen)
{
        memset(out, 0, sizeof(*out));
        char buf[TARGET_TEXT_MAX + 2];
        size_t len = trim_copy(text, buf, sizeof(buf));
        escape_buf(buf, len, ESCAPE_KEEP_UTF8, out->text, sizeof(out->text));
        if (len == 0) {
                snprintf(err, errlen, "an empty target");
                return -1;
        }
        if (len > TARGET_TEXT_MAX) {
                snprintf(err, errlen, "'%.40s...' is too long for a target", out->text);
                return -1;
        }
        if (strchr(buf, '/'))
                return parse_cidr(buf, out, err, errlen);
        if (addr_parse(buf, &out->addr, err, errlen) == 0) {
                out->kind = TARGET_ADDR;
                out->prefix = addr_bits(out->addr.family);
                return 0;
        }
        if (strchr(buf, ':') || strchr(buf, '%') || looks_numeric(buf, len))
                return -1; /* addr_parse's reason stands */
        return parse_host(buf, out, err, errlen);
}

uint64_t target_size(const struct target *t)
{
        if (t->kind == TARGET_HOST)
                return 0;
        return 1ULL << (addr_bits(t->addr.family) - t->prefix);
}

void target_iter_init(struct target_iter *it, const struct target *t)
{
        it->next = t->addr;
        it->left = target_size(t);
}

bool target_iter_next(struct target_iter *it, struct addr *out)
{
        if (it->left == 0)
                return false;
        *out = it->next;
        it->left--;
        /* Big-endian increment; the last step of a block may wrap, unused. */
        for (int i = addr_bits(it->next.family) / 8 - 1; i >= 0; i--)
                if (++it->next.bytes[i] != 0)
                        break;
        return true;
}

struct target_list {
        FILE *fp;
        bool own;
        unsigned long line;
        char name[128]; /* escaped, for messages */
};

struct target_list *target_list_from_stream(FILE *fp, const char *name, char *err, size_t errlen)
{
        struct target_list *l = calloc(1, sizeof(*l));
        if (!l) {
                snprintf(err, errlen, "out of memory");
                return NULL;
        }
        l->fp = fp;
        escape_buf(name, strlen(name), ESCAPE_KEEP_UTF8, l->name, sizeof(l->name));
        return l;
}

struct target_list *target_list_open(const char *path, char *err, size_t errlen)
{
        if (strcmp(path, "-") == 0)
                return target_list_from_stream(stdin, "stdin", err, errlen);
        FILE *fp = fopen(path, "r");
        if (!fp) {
                char shown[128];
                escape_buf(path, strlen(path), ESCAPE_KEEP_UTF8, shown, sizeof(shown));
                snprintf(err, errlen, "cannot read the list %s: %s", shown, strerror(errno));
                return NULL;
        }
        struct target_list *l = target_list_from_stream(fp, path, err, errlen);
        if (!l)
                fclose(fp);
        else
                l->own = true;
        return l;
}

void target_list_close(struct target_list *l)
{
        if (!l)
                return;
        if (l->own)
                fclose(l->fp);
        free(l);
}

enum line_status { LINE_OK, LINE_EOF, LINE_TOO_LONG, LINE_NUL, LINE_READ_ERROR };

/* Reads one line without its newline into buf (TARGET_LINE_MAX + 1 bytes);
 * the rest of an overlong line is read and dropped. */
static enum line_status read_line(FILE *fp, char *buf)
{
        size_t n = 0;
        bool nul = false, any = false;
        int c;
        while ((c = getc(fp)) != EOF) {
                any = true;
                if (c == '\n')
                        break;
                if (c == '\0')
                        nul = true;
                if (n <= TARGET_LINE_MAX)
                        buf[n++] = (char)c;
        }
        if (c == EOF && ferror(fp))
                return LINE_READ_ERROR;
        if (!any)
                return LINE_EOF;
        if (n > TARGET_LINE_MAX)
                return LINE_TOO_LONG;
        buf[n] = '\0';
        return nul ? LINE_NUL : LINE_OK;
}

/* Drops the comment and the white space around the target. */
static char *line_target(char *buf)
{
        buf[strcspn(buf, "#")] = '\0';
        while (isspace((unsigned char)*buf))
                buf++;
        size_t len = strlen(buf);
        while (len > 0 && isspace((unsigned char)buf[len - 1]))
                buf[--len] = '\0';
        return buf;
}

int target_list_next(struct target_list *l, struct target *out, char *err, size_t errlen)
{
        char buf[TARGET_LINE_MAX + 1], why[400];
        for (;;) {
                enum line_status st = read_line(l->fp, buf);
                if (st == LINE_EOF)
                        return 0;
                if (st == LINE_READ_ERROR) {
                        snprintf(err, errlen, "%s: read error: %s", l->name, strerror(errno));
                        return -2;
                }
                l->line++;
                if (st == LINE_TOO_LONG || st == LINE_NUL) {
                        snprintf(err, errlen, "%s:%lu: %s", l->name, l->line,
                                 st == LINE_NUL ? "the line has a NUL byte"
                                                : "the line is longer than 1024 bytes");
                        return -1;
                }
                char *t = line_target(buf);
                if (!*t)
                        continue;
                if (t[strcspn(t, " \t")]) {
                        char shown[80];
                        escape_buf(t, strnlen(t, 60), ESCAPE_KEEP_SPACE | ESCAPE_KEEP_UTF8, shown,
                                   sizeof(shown));
                        snprintf(err, errlen, "%s:%lu: one target a line, not '%s'", l->name,
                                 l->line, shown);
                        return -1;
                }
                if (target_parse(t, out, why, sizeof(why)) < 0) {
                        snprintf(err, errlen, "%s:%lu: %s", l->name, l->line, why);
                        return -1;
                }
                return 1;
        }
}
