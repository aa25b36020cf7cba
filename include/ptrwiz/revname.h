/* revname: the PTR owner name of an address and the breakdown of that name
 * into the zones it can be cut into (in-addr.arpa., /8, /16, /24; nibbles
 * for ip6.arpa.). */
#ifndef PTRWIZ_REVNAME_H
#define PTRWIZ_REVNAME_H

#include <stddef.h>
#include "ptrwiz/addr.h"

#define REVNAME_MAX  80 /* 73 for a full ip6.arpa. owner name */
#define REVNAME_CUTS 34 /* ip6.arpa. plus 32 nibble levels, plus arpa. */

struct revname_cut {
        char zone[REVNAME_MAX];  /* e.g. "2.0.192.in-addr.arpa." */
        char label[REVNAME_MAX]; /* the owner relative to zone, e.g. "25" */
        int prefix_len;          /* bits of the address the zone covers */
};

struct revname_breakdown {
        char owner[REVNAME_MAX]; /* "25.2.0.192.in-addr.arpa." */
        int conventional;        /* index into cuts of the usual zone (/24, /48 nibble) */
        int ncuts;               /* cuts from arpa. down to the owner's parent */
        struct revname_cut cuts[REVNAME_CUTS];
};

/* Writes the owner name; returns its length. */
size_t revname_owner(const struct addr *a, char *buf, size_t len);

void revname_breakdown(const struct addr *a, struct revname_breakdown *out);

/* Index of the cut whose zone equals zone (case-insensitive), or -1. */
int revname_find_cut(const struct revname_breakdown *b, const char *zone);

/* What is known about each place the owner name can be cut, from the zones
 * the trace was referred to (each with the zone that delegated it) and the
 * zone that holds the owner name. What nothing says yet stays UNKNOWN. */
enum revname_cut_state { REVNAME_UNKNOWN, REVNAME_CUT, REVNAME_NO_CUT };

struct revname_link {
        const char *zone;   /* a zone the trace was referred to */
        const char *parent; /* the zone that delegated it ("." the root), or NULL */
};

void revname_cuts_known(const struct revname_breakdown *b, const struct revname_link *links,
                        size_t nlinks, const char *holder, enum revname_cut_state *out);

/* The block an RFC 2317 zone's first label names: "64/26" (first address,
 * prefix length) or "64-127" (first and last). Writes the last octets of
 * the block; returns -1 when the label is neither. */
int revname_classless(const char *zone, unsigned *first, unsigned *last);

/* The label of name inside zone ("70" for 70.64/26.2.18.198.in-addr.arpa.
 * in 64/26.2.18.198.in-addr.arpa.), or "" when name is not below zone. */
void revname_label_in_zone(const char *name, const char *zone, char *buf, size_t len);

/* The inverse: a reverse owner name to an address (e.g. for a bounce's
 * "25.2.0.192.in-addr.arpa"). Returns -1 when it is not a full one. */
int revname_to_addr(const char *owner, struct addr *out);

#endif
