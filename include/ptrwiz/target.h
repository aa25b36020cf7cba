/* target: what the user asks ptrwiz to check. A TARGET is an IP address, a
 * CIDR block (at most 65536 addresses), or a host name whose A and AAAA
 * records the front end resolves; a list file holds one TARGET a line.
 * Blocks are walked with an iterator, never expanded into an array. */
#ifndef PTRWIZ_TARGET_H
#define PTRWIZ_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "ptrwiz/addr.h"

#define TARGET_MIN_PREFIX_V4  16   /* a /16: 65536 addresses */
#define TARGET_MIN_PREFIX_V6  112  /* a /112: 65536 addresses */
#define TARGET_LINE_MAX       1024 /* longest line of a list file */
#define TARGET_NAME_MAX       256  /* a host name in A-labels with its dot, plus NUL */
#define TARGET_MAX_HOST_ADDRS 32   /* addresses of one host name checked */

enum target_kind { TARGET_ADDR, TARGET_CIDR, TARGET_HOST };

struct target {
        enum target_kind kind;
        struct addr addr;                 /* the IP, or the block's first address */
        int prefix;                       /* bits of the block; 32 or 128 for one IP */
        char name[TARGET_NAME_MAX];       /* TARGET_HOST: A-labels, lower case, trailing dot */
        char text[TARGET_NAME_MAX];       /* as typed, escaped (UTF-8 kept), for output */
        char note[TARGET_NAME_MAX + 100]; /* e.g. host bits cleared; empty when none */
};

/* Parses one TARGET. A block with host bits set (198.18.2.5/28) is
 * normalised to its network (198.18.2.0/28) with a note. On failure returns
 * -1 and a one-line reason naming the value in err. */
int target_parse(const char *text, struct target *out, char *err, size_t errlen);

/* Addresses the target stands for: 1 for an IP, 2^(bits-prefix) for a
 * block, 0 for a host name (known only once resolved). */
uint64_t target_size(const struct target *t);

/* Walks the addresses of an IP or a block in ascending order. */
struct target_iter {
        struct addr next;
        uint64_t left;
};

void target_iter_init(struct target_iter *it, const struct target *t);
/* Writes the next address and returns true, or false at the end. */
bool target_iter_next(struct target_iter *it, struct addr *out);

/* A list of targets read line by line: '#' starts a comment, blank lines
 * are skipped, surrounding white space is ignored. */
struct target_list;

/* path "-" reads stdin. NULL and a one-line reason on failure. */
struct target_list *target_list_open(const char *path, char *err, size_t errlen);
/* Same on an open stream (not closed by target_list_close); name is used
 * in messages ("FILE:LINE: ..."). */
struct target_list *target_list_from_stream(FILE *fp, const char *name, char *err, size_t errlen);
/* 1: a target in out; 0: the end; -1: this line is bad, the reason (with
 * "FILE:LINE: ") in err, and the next call reads on; -2: a read error. */
int target_list_next(struct target_list *l, struct target *out, char *err, size_t errlen);
void target_list_close(struct target_list *l);

#endif
