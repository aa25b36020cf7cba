/* finaldot: names that end with the origin a zone file appended.
 *
 * Two shapes are certain enough to name: a host name followed by a reverse
 * zone (numeric labels, then in-addr.arpa., or nibbles, then ip6.arpa.),
 * and a name whose last labels repeat the ones before them, when those
 * labels are a registered domain ("example.com.example.com", not
 * "co.uk.co.uk"). A name merely under its zone ("www.example.com") is
 * what a relative name is meant to become, so it says nothing. */
#include "ptrwiz/finaldot.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ptrwiz/suffix.h"

#define MAX_LABELS 128

/* A name split into labels: lower case, without its trailing dot. */
struct labels {
        char text[FINALDOT_NAME_MAX];
        size_t off[MAX_LABELS];
        size_t len[MAX_LABELS];
        size_t n;
};

/* False for what no host name looks like: escapes, empty labels, too long. */
static bool labels_split(const char *name, struct labels *l)
{
        size_t n = strlen(name);

        if (n > 0 && name[n - 1] == '.')
                n--;
        if (n == 0 || n >= sizeof l->text || memchr(name, '\\', n) != NULL)
                return false;
        for (size_t i = 0; i < n; i++)
                l->text[i] = (char)tolower((unsigned char)name[i]);
        l->text[n] = '\0';
        l->n = 0;
        for (size_t start = 0; start <= n;) {
                size_t len = strcspn(l->text + start, ".");
                if (len == 0 || l->n == MAX_LABELS)
                        return false;
                l->off[l->n] = start;
                l->len[l->n++] = len;
                start += len + 1;
        }
        return true;
}

static bool label_is(const struct labels *l, size_t i, const char *word)
{
        return l->len[i] == strlen(word) && memcmp(l->text + l->off[i], word, l->len[i]) == 0;
}

static bool labels_equal(const struct labels *l, size_t a, size_t b)
{
        return l->len[a] == l->len[b] &&
               memcmp(l->text + l->off[a], l->text + l->off[b], l->len[a]) == 0;
}

/* Writes labels [from, to) as text, with a final dot when dot is set. */
static void labels_text(const struct labels *l, size_t from, size_t to, bool dot, char *buf,
                        size_t len)
{
        size_t a = l->off[from], b = l->off[to - 1] + l->len[to - 1];

        snprintf(buf, len, "%.*s%s", (int)(b - a), l->text + a, dot ? "." : "");
}

/* A label of an in-addr.arpa. name: an octet, or an RFC 2317 range such as
 * "64/26" or "64-127". */
static bool is_v4_label(const char *p, size_t len)
{
        if (!isdigit((unsigned char)p[0]))
                return false;
        for (size_t i = 0; i < len; i++) {
                if (!isdigit((unsigned char)p[i]) && p[i] != '/' && p[i] != '-')
                        return false;
        }
        return true;
}

static bool is_nibble_label(const char *p, size_t len)
{
        return len == 1 && isxdigit((unsigned char)p[0]);
}

/* Index of the first label of a reverse zone the name ends with, or n when
 * it does not end with in-addr.arpa. or ip6.arpa. */
static size_t reverse_tail(const struct labels *l)
{
        size_t n = l->n, i;
        bool v4, v6;

        if (n < 2 || !label_is(l, n - 1, "arpa"))
                return n;
        v4 = label_is(l, n - 2, "in-addr");
        v6 = label_is(l, n - 2, "ip6");
        if (!v4 && !v6)
                return n;
        for (i = n - 2; i > 0; i--) {
                const char *p = l->text + l->off[i - 1];
                if (v4 ? !is_v4_label(p, l->len[i - 1]) : !is_nibble_label(p, l->len[i - 1]))
                        break;
        }
        return i;
}

/* Index where zone starts when the name ends with it, else n. */
static size_t zone_start(const struct labels *l, const char *zone)
{
        struct labels z;

        if (zone == NULL || !labels_split(zone, &z) || z.n >= l->n)
                return l->n;
        size_t start = l->n - z.n;
        if (strcmp(l->text + l->off[start], z.text) != 0)
                return l->n;
        return start;
}

static bool is_reverse_zone(const struct labels *l, size_t start)
{
        return l->n - start >= 2 && label_is(l, l->n - 1, "arpa") &&
               (label_is(l, l->n - 2, "in-addr") || label_is(l, l->n - 2, "ip6"));
}

/* Labels [0, end) make a full host name: two labels or more, the last a
 * top-level domain ("mail.example.com", not "mail" or "mx1.lan"). */
static bool is_full_name(const struct labels *l, size_t end)
{
        char tld[FINALDOT_NAME_MAX];

        if (end < 2)
                return false;
        labels_text(l, end - 1, end, false, tld, sizeof tld);
        return suffix_is_tld(tld);
}

static bool check_reverse(const struct labels *l, const char *zone, struct finaldot_verdict *out)
{
        size_t start = zone_start(l, zone);

        if (start == l->n || !is_reverse_zone(l, start))
                start = reverse_tail(l);
        if (start == 0 || start == l->n)
                return false; /* not under a reverse zone, or a reverse name itself */
        labels_text(l, 0, start, false, out->written, sizeof out->written);
        labels_text(l, start, l->n, true, out->origin, sizeof out->origin);
        if (is_full_name(l, start))
                labels_text(l, 0, start, true, out->intended, sizeof out->intended);
        return true;
}

/* The last k labels equal the k before them, for the largest such k. */
static bool check_repeated(const struct labels *l, struct finaldot_verdict *out)
{
        char tail[FINALDOT_NAME_MAX];

        for (size_t k = l->n / 2; k >= 2; k--) {
                size_t a = l->n - 2 * k, b = l->n - k, i;
                for (i = 0; i < k && labels_equal(l, a + i, b + i); i++)
                        ;
                if (i < k)
                        continue;
                labels_text(l, b, l->n, false, tail, sizeof tail);
                if (suffix_is_public(tail))
                        continue; /* "co.uk.co.uk": nobody's domain repeated */
                labels_text(l, 0, b, false, out->written, sizeof out->written);
                labels_text(l, 0, b, true, out->intended, sizeof out->intended);
                snprintf(out->origin, sizeof out->origin, "%s.", tail);
                out->repeated = true;
                return true;
        }
        return false;
}

bool finaldot_check(const char *name, const char *zone, struct finaldot_verdict *out)
{
        struct labels l;

        memset(out, 0, sizeof *out);
        if (name == NULL || !labels_split(name, &l))
                return false;
        out->found = check_reverse(&l, zone, out) || check_repeated(&l, out);
        if (!out->found)
                memset(out, 0, sizeof *out);
        return out->found;
}

int finaldot_add_finding(struct findings *f, const char *name, const struct finaldot_verdict *v,
                         const char *owner, const char *who)
{
        char whobuf[3 * FINALDOT_NAME_MAX], record[3 * FINALDOT_NAME_MAX], fix[1600];
        char partial[FINALDOT_NAME_MAX + 80] = "";

        if (who == NULL) {
                snprintf(whobuf, sizeof whobuf, "whoever runs the zone that holds %s", owner);
                who = whobuf;
        }
        if (v->intended[0] != '\0') {
                snprintf(record, sizeof record, "%s IN PTR %s", owner, v->intended);
        } else {
                snprintf(record, sizeof record, "%s IN PTR %s.your-domain.", owner, v->written);
                snprintf(partial, sizeof partial,
                         " The file has only \"%s\": write the mail server's full host name.",
                         v->written);
        }
        snprintf(fix, sizeof fix,
                 "Ask %s to correct the record in the zone file where it was written, so it "
                 "reads: %s (with the trailing dot; without it the file appends its origin, %s).%s "
                 "Only that zone's operator can fix it: an A record for the long name would not "
                 "help.",
                 who, record, v->origin, partial);
        if (v->repeated)
                return findings_add(f, FINDING_PTR_MISSING_FINAL_DOT, fix,
                                    "PTR name %s repeats %s: written as \"%s\" without the final "
                                    "dot in a zone file whose origin is %s, which was appended",
                                    name, v->origin, v->written, v->origin);
        return findings_add(f, FINDING_PTR_MISSING_FINAL_DOT, fix,
                            "PTR name %s ends with the zone %s: the zone file has \"%s\" without "
                            "the final dot, so the zone's own name was appended",
                            name, v->origin, v->written);
}
