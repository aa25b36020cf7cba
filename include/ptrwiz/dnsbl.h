/* dnsbl: blocklist lookups as DNSBLs define them (RFC 5782): the reversed
 * address under the list's zone, A for the verdict, TXT for the reason.
 * Answers that lists use for errors (Spamhaus's 127.255.255.0/24: a typo
 * in the zone name, a query through a public resolver, too many queries)
 * are "could not check", never "listed". */
#ifndef PTRWIZ_DNSBL_H
#define PTRWIZ_DNSBL_H

#include <stdbool.h>
#include <stddef.h>
#include "ptrwiz/finding.h"
#include "ptrwiz/revname.h"

struct check_result;

enum dnsbl_answer {
        DNSBL_ANSWER_LISTED,   /* 127.0.0.2 and up: the list's own codes */
        DNSBL_ANSWER_REFUSED,  /* an error code of the list: could not check */
        DNSBL_ANSWER_NOT_DNSBL /* not in 127.0.0.0/8: a rewriting resolver, not the list */
};

/* The name to ask: "25.2.18.198.zen.example." (nibbles for IPv6) for zone
 * (with the final dot). Caller frees; NULL when out of memory. */
char *dnsbl_qname(const struct revname_breakdown *names, const char *zone);
/* What one A address of the answer means; why says it in words. */
enum dnsbl_answer dnsbl_classify(const char *a, char *why, size_t len);
/* DNSBL_LISTED or DNSBL_UNCHECKED for each list of the result. */
void dnsbl_evaluate(const struct check_result *res, struct findings *f);

#endif
