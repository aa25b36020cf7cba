/* bounce_priv: the pieces of the bounce analysis shared between its files
 * (text preparation, reply finding, tables, addresses). Not public. */
#ifndef PTRWIZ_BOUNCE_PRIV_H
#define PTRWIZ_BOUNCE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include "ptrwiz/bounce.h"

/* ---- bounce_text.c: the input made searchable ---- */

struct bounce_text {
        char *raw; /* input with CR, NUL and controls normalised, MIME parts decoded */
        size_t len;
        size_t report_end; /* where the returned original message starts (len if none) */
        char *flat;        /* raw[0..report_end) lower-cased, one space, reply codes dropped */
        size_t flatlen;
        bool binary; /* many control bytes: probably not text */
};

/* Returns -1 when out of memory. len must be <= BOUNCE_MAX_INPUT. */
int btext_prepare(struct bounce_text *t, const char *in, size_t len);
void btext_free(struct bounce_text *t);

/* Joins lines with single spaces and drops the reply-code prefixes of
 * continuation lines ("550-5.7.1 "), so phrases split across lines match.
 * out needs len + 1 bytes. Returns the length written. */
size_t btext_flatten(const char *in, size_t len, bool keep_case, char *out);

/* Length of groups of 1 to 3 digits joined by dots at p ("192.0.2.1" is 4
 * groups), or 0. */
size_t btext_dotted(const char *p, size_t left, int groups);

/* Length of an enhanced status code ("5.7.25") at p, or 0. */
size_t btext_enhanced_len(const char *p, size_t left);

/* Case-insensitive prefix test and search; needle is lower case. */
bool btext_prefix_ci(const char *p, size_t left, const char *needle);
const char *btext_find_ci(const char *hay, size_t n, const char *needle);

/* memmem, which glibc hides behind _GNU_SOURCE. */
const char *btext_memmem(const char *hay, size_t n, const char *needle, size_t m);

/* Start and end (exclusive, before the newline) of the line holding pos,
 * looking at most max bytes each way. */
size_t btext_line_start(const char *s, size_t pos, size_t max);
size_t btext_line_end(const char *s, size_t len, size_t pos);

/* ---- bounce_reply.c: SMTP replies and delivery-report fields ---- */

#define BOUNCE_MAX_REPLIES 32

struct bounce_reply {
        int code;
        char enhanced[16];
        size_t start, end; /* in raw */
        int score;
};

/* Finds the SMTP replies in the report part, in order. */
size_t breply_find(const struct bounce_text *t, struct bounce_reply *out, size_t max);

/* The reply as one line, continuation prefixes dropped, not yet escaped.
 * Returns NULL when out of memory. */
char *breply_text(const struct bounce_text *t, const struct bounce_reply *r);

/* Value of a delivery-report field ("reporting-mta") in the report part,
 * after any "dns;" type, trimmed, at most outlen - 1 bytes; false if none. */
bool breply_dsn_field(const struct bounce_text *t, const char *name, char *out, size_t outlen);

/* ---- bounce_table.c: what the words mean ---- */

struct bounce_provider {
        const char *name;    /* "gmail" */
        const char *display; /* "Gmail" */
};

struct bounce_verdict {
        enum bounce_class cls;
        enum bounce_problem problem;
        const char *provider; /* the system whose stock text matched, or NULL */
        const char *pattern;  /* the text that matched (lower case), or NULL */
        const char *then;     /* its second part, or NULL */
};

/* First reason pattern found in flat (lower case). */
bool btable_reason(const char *flat, size_t n, struct bounce_verdict *out);

/* A reply with two reasons ("Relaying denied. IP name lookup failed"): the
 * primary verdict in out, the secondary class and problem in cls2 and
 * problem2. The verdict's pattern/then are the two parts. */
bool btable_mixed(const char *flat, size_t n, struct bounce_verdict *out, enum bounce_class *cls2,
                  enum bounce_problem *problem2);

/* True when flat contains the verdict's pattern (and its second part). */
bool btable_verdict_in(const struct bounce_verdict *v, const char *flat, size_t n);

/* Meaning of an enhanced status code alone, for replies without known words. */
bool btable_code(const char *enhanced, const char *provider, struct bounce_verdict *out);

/* The first provider named in lower-case text; strong_only restricts to
 * names that can only come from the receiving system. */
const struct bounce_provider *btable_provider_in(const char *lower, size_t n, bool strong_only);
const struct bounce_provider *btable_provider(const char *name);

/* ---- bounce_ip.c: the addresses in the text ---- */

/* Finds every address, judges its role and picks the sending IP into res
 * (ip, ip_reason, ips, remote_mta). Returns -1 when out of memory. */
int bip_collect(const struct bounce_text *t, const struct bounce_reply *replies, size_t nreplies,
                struct bounce_result *res);

/* printf into a new string; NULL when out of memory. */
char *bounce_strdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
