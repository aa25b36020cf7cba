/* finaldot: a name written in a zone file without its final dot. The zone
 * file then appends its origin: "10 PTR mail.example.com" in the zone
 * 2.18.198.in-addr.arpa. publishes mail.example.com.2.18.198.in-addr.arpa.,
 * and "mail.example.com IN A ..." in example.com. publishes
 * mail.example.com.example.com. Pure string work, no lookups. */
#ifndef PTRWIZ_FINALDOT_H
#define PTRWIZ_FINALDOT_H

#include <stdbool.h>
#include "ptrwiz/finding.h"

#define FINALDOT_NAME_MAX 256

struct finaldot_verdict {
        bool found;
        bool repeated; /* the name repeats its own zone (a forward zone's origin) */
        /* What the record should read, with the final dot ("mail.example.com."),
         * or "" when what precedes the origin is no full name ("mail"). */
        char intended[FINALDOT_NAME_MAX];
        char written[FINALDOT_NAME_MAX]; /* as the file has it: "mail.example.com" */
        char origin[FINALDOT_NAME_MAX];  /* what the file appended: "2.18.198.in-addr.arpa." */
};

/* name: a PTR target (or any name from DNS) in presentation format, the
 * trailing dot optional. zone: the zone the record was found in (the
 * reverse zone of a PTR), or NULL when not known. Reverse zones are
 * recognised from the name alone too: no host name lies under
 * in-addr.arpa. or ip6.arpa. Returns out->found. */
bool finaldot_check(const char *name, const char *zone, struct finaldot_verdict *out);

/* Adds PTR_MISSING_FINAL_DOT for v (found) about the PTR target name, whose
 * record is owner (the reverse name, or the RFC 2317 CNAME's target). who
 * says who runs that zone ("whoever runs the reverse zone Z (primary server
 * P)"), or NULL for "whoever runs the zone ORIGIN". Every argument must
 * already be safe to print (names as ldns prints them). Returns
 * findings_add's result. */
int finaldot_add_finding(struct findings *f, const char *name, const struct finaldot_verdict *v,
                         const char *owner, const char *who);

#endif
