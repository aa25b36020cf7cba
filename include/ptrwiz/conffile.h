/* conffile: the DNS set-up files a user names (--root-hints,
 * --trust-anchor) and their system defaults, read once and checked before
 * anything uses them. Only a regular file of at most CONFFILE_MAX_BYTES is
 * read, through the descriptor that was checked: a directory, a FIFO or
 * /dev/zero would make a zone reader loop or wait forever. The records are
 * parsed with ldns from that copy; nothing reopens the path. Errors are one
 * line naming the file (escaped) and the problem. */
#ifndef PTRWIZ_CONFFILE_H
#define PTRWIZ_CONFFILE_H

#include <stddef.h>

/* Root hints are 3 KB, a trust anchor less: a megabyte is no such file. */
#define CONFFILE_MAX_BYTES (1024 * 1024)

/* The bytes of path, NUL-terminated (the file may hold NULs: use len).
 * what names the file in errors ("root hints"). Returns 0, or -1 with a
 * one-line reason. The caller frees *text. */
int conffile_read(const char *path, const char *what, char **text, size_t *len, char *err,
                  size_t errlen);

/* One address of a root name server. */
struct conffile_root_addr {
        char *name; /* the NS name, presentation format */
        char *addr; /* an IPv4 or IPv6 literal */
};

/* What root hints say: the NS names of the root (owner ".") and the A and
 * AAAA records of those names. Other records are ignored. */
struct conffile_hints {
        char **ns;
        size_t nns;
        struct conffile_root_addr *addrs;
        size_t naddrs;
};

/* Reads root hints; an error unless they give at least one NS for the
 * root with at least one address. Free with conffile_hints_clear. */
int conffile_root_hints(const char *path, struct conffile_hints *h, char *err, size_t errlen);
void conffile_hints_clear(struct conffile_hints *h);

/* Reads a trust anchor file: every record a DS or DNSKEY, at least one of
 * them for the root. The records, one presentation-format line each, go
 * into *rrs; free them with conffile_rrs_free. */
int conffile_trust_anchor(const char *path, char ***rrs, size_t *nrrs, char *err, size_t errlen);
void conffile_rrs_free(char **rrs, size_t n);

#endif
