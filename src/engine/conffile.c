/* conffile: root hints and trust anchors, read safely and checked with
 * ldns before libunbound or the trace sees them.
 *
 * libunbound and ldns's zone reader read these files with fopen() and a
 * loop until EOF: a directory (EISDIR) or /dev/zero never ends it, a FIFO
 * blocks in open(), and libunbound does it inside the first lookup. A
 * hints file without an NS for the root makes libunbound fall back to its
 * built-in (real) root servers. So every byte is read here once, from a
 * regular file of bounded size, and the callers hand on what was parsed,
 * never the path. */
#include "ptrwiz/conffile.h"

#include <errno.h>
#include <fcntl.h>
#include <ldns/ldns.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ptrwiz/escape.h"
#include "strv.h"

/* The file as errors name it: what and the escaped path. */
struct cfile {
        const char *what;
        char shown[300];
};

static void cfile_init(struct cfile *f, const char *what, const char *path)
{
        f->what = what;
        escape_buf(path, strlen(path), ESCAPE_KEEP_SPACE | ESCAPE_KEEP_UTF8, f->shown,
                   sizeof(f->shown));
}

static const char *file_kind(mode_t m)
{
        if (S_ISDIR(m))
                return "a directory";
        if (S_ISFIFO(m))
                return "a FIFO";
        if (S_ISCHR(m))
                return "a character device";
        if (S_ISBLK(m))
                return "a block device";
        if (S_ISSOCK(m))
                return "a socket";
        return "not a regular file";
}

/* A regular file of sane size: -1 with the reason otherwise. */
static int check_stat(const struct cfile *f, const struct stat *st, char *err, size_t errlen)
{
        if (!S_ISREG(st->st_mode)) {
                snprintf(err, errlen, "%s %s: %s, not a file", f->what, f->shown,
                         file_kind(st->st_mode));
                return -1;
        }
        if (st->st_size > CONFFILE_MAX_BYTES) {
                snprintf(err, errlen, "%s %s: %lld bytes, more than such a file can have (%d)",
                         f->what, f->shown, (long long)st->st_size, CONFFILE_MAX_BYTES);
                return -1;
        }
        return 0;
}

/* Reads all of fd (size bytes expected); a file that grows meanwhile is
 * read only up to the cap. */
static int read_all(const struct cfile *f, int fd, size_t size, char **text, size_t *len, char *err,
                    size_t errlen)
{
        size_t cap = size + 1, n = 0;
        char *buf = malloc(cap + 1);
        if (!buf) {
                snprintf(err, errlen, "out of memory");
                return -1;
        }
        for (;;) {
                ssize_t got = read(fd, buf + n, cap - n);
                if (got < 0 && errno == EINTR)
                        continue;
                if (got < 0) {
                        snprintf(err, errlen, "cannot read %s %s: %s", f->what, f->shown,
                                 strerror(errno));
                        free(buf);
                        return -1;
                }
                if (got == 0)
                        break;
                n += (size_t)got;
                if (n == cap) {
                        snprintf(err, errlen, "%s %s: changed while it was read", f->what,
                                 f->shown);
                        free(buf);
                        return -1;
                }
        }
        buf[n] = '\0';
        *text = buf;
        *len = n;
        return 0;
}

int conffile_read(const char *path, const char *what, char **text, size_t *len, char *err,
                  size_t errlen)
{
        struct cfile f;
        struct stat st;
        cfile_init(&f, what, path);
        /* stat first: a device or a FIFO is never even opened. */
        if (stat(path, &st) < 0) {
                snprintf(err, errlen, "cannot read %s %s: %s", what, f.shown, strerror(errno));
                return -1;
        }
        if (check_stat(&f, &st, err, errlen) < 0)
                return -1;
        /* O_NONBLOCK: should the path be swapped for a FIFO, open() must not wait. */
        int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
                snprintf(err, errlen, "cannot read %s %s: %s", what, f.shown, strerror(errno));
                return -1;
        }
        int rc = -1;
        if (fstat(fd, &st) < 0)
                snprintf(err, errlen, "cannot read %s %s: %s", what, f.shown, strerror(errno));
        else if (check_stat(&f, &st, err, errlen) == 0)
                rc = read_all(&f, fd, (size_t)st.st_size, text, len, err, errlen);
        close(fd);
        return rc;
}

/* ------------------------------------------------------------ records */

/* Called for each record; returns -1 with err set to stop. */
typedef int (*record_fn)(void *arg, const ldns_rr *rr, int line, char *err, size_t errlen);

struct reader {
        FILE *fp;
        uint32_t ttl;
        ldns_rdf *origin, *prev;
        int line;
};

/* The next record: 1 with *rr and the line it starts on in *line, 0 at
 * the end, -1 with the reason. */
static int reader_next(struct reader *r, const struct cfile *f, ldns_rr **rr, int *line, char *err,
                       size_t errlen)
{
        while (!feof(r->fp)) {
                long before = ftell(r->fp);
                *line = r->line; /* ldns counts the newlines it has read */
                ldns_status st =
                    ldns_rr_new_frm_fp_l(rr, r->fp, &r->ttl, &r->origin, &r->prev, &r->line);
                if (st == LDNS_STATUS_OK && ldns_rr_get_type(*rr) != 0)
                        return 1;
                if (st == LDNS_STATUS_OK) { /* ldns's type 0: a word it does not know */
                        ldns_rr_free(*rr);
                        snprintf(err, errlen, "%s %s line %d: not a DNS record (unknown type)",
                                 f->what, f->shown, *line);
                        return -1;
                }
                if (st == LDNS_STATUS_SYNTAX_INCLUDE) {
                        snprintf(err, errlen, "%s %s line %d: $INCLUDE is not followed", f->what,
                                 f->shown, *line);
                        return -1;
                }
                bool skip = st == LDNS_STATUS_SYNTAX_EMPTY || st == LDNS_STATUS_SYNTAX_TTL ||
                            st == LDNS_STATUS_SYNTAX_ORIGIN;
                if (!skip || (ftell(r->fp) == before && !feof(r->fp))) {
                        snprintf(err, errlen, "%s %s line %d: %s", f->what, f->shown, *line,
                                 ldns_get_errorstr_by_id(st));
                        return -1;
                }
        }
        return 0;
}

static int parse_records(const char *text, size_t len, const struct cfile *f, record_fn fn,
                         void *arg, char *err, size_t errlen)
{
        if (len == 0)
                return 0; /* fmemopen() refuses an empty buffer */
        const char *nul = memchr(text, '\0', len);
        if (nul) { /* ldns reads C strings: the rest of the line would vanish */
                int line = 1;
                for (const char *c = text; c < nul; c++)
                        line += *c == '\n';
                snprintf(err, errlen, "%s %s line %d: a NUL byte; not a text file", f->what,
                         f->shown, line);
                return -1;
        }
        struct reader r = {.fp = fmemopen((void *)text, len, "r"), .ttl = 3600, .line = 1};
        if (!r.fp) {
                snprintf(err, errlen, "out of memory");
                return -1;
        }
        ldns_rr *rr = NULL;
        int rc, line = 0;
        while ((rc = reader_next(&r, f, &rr, &line, err, errlen)) > 0) {
                rc = fn(arg, rr, line, err, errlen);
                ldns_rr_free(rr);
                if (rc < 0)
                        break;
        }
        fclose(r.fp);
        ldns_rdf_deep_free(r.origin);
        ldns_rdf_deep_free(r.prev);
        return rc < 0 ? -1 : 0;
}

static bool is_root(const ldns_rdf *name)
{
        return ldns_dname_label_count(name) == 0;
}

/* A name in lower case, presentation format; NULL when out of memory. */
static char *canon_str(const ldns_rdf *name)
{
        ldns_rdf *c = ldns_rdf_clone(name);
        if (!c)
                return NULL;
        ldns_dname2canonical(c);
        char *s = ldns_rdf2str(c);
        ldns_rdf_deep_free(c);
        return s;
}

static int load(const char *path, const struct cfile *f, record_fn fn, void *arg, char *err,
                size_t errlen)
{
        char *text = NULL;
        size_t len = 0;
        if (conffile_read(path, f->what, &text, &len, err, errlen) < 0)
                return -1;
        int rc = parse_records(text, len, f, fn, arg, err, errlen);
        free(text);
        return rc;
}

/* ------------------------------------------------------------ root hints */

/* Every A and AAAA of the file, kept until the NS names are known. */
struct hints_acc {
        struct conffile_hints *h;
        struct conffile_root_addr *all;
        size_t nall;
};

static int push_addr(struct conffile_root_addr **v, size_t *n, char *name, char *addr)
{
        struct conffile_root_addr *nv = realloc(*v, (*n + 1) * sizeof(*nv));
        if (!nv)
                return -1;
        *v = nv;
        nv[*n].name = name;
        nv[*n].addr = addr;
        (*n)++;
        return 0;
}

static bool is_root_ns(const struct conffile_hints *h, const char *name)
{
        for (size_t i = 0; i < h->nns; i++)
                if (strcmp(h->ns[i], name) == 0)
                        return true;
        return false;
}

static int hints_record(void *arg, const ldns_rr *rr, int line, char *err, size_t errlen)
{
        struct hints_acc *acc = arg;
        ldns_rr_type t = ldns_rr_get_type(rr);
        if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN || ldns_rr_rd_count(rr) < 1)
                return 0;
        bool ns = t == LDNS_RR_TYPE_NS && is_root(ldns_rr_owner(rr));
        if (!ns && t != LDNS_RR_TYPE_A && t != LDNS_RR_TYPE_AAAA)
                return 0;
        char *name = canon_str(ns ? ldns_rr_rdf(rr, 0) : ldns_rr_owner(rr));
        int rc = -1;
        if (ns) {
                rc = !name                      ? -1
                     : is_root_ns(acc->h, name) ? 0
                                                : strv_push(&acc->h->ns, &acc->h->nns, name);
                free(name);
        } else {
                char *addr = name ? ldns_rdf2str(ldns_rr_rdf(rr, 0)) : NULL;
                rc = addr ? push_addr(&acc->all, &acc->nall, name, addr) : -1;
                if (rc < 0) {
                        free(name);
                        free(addr);
                }
        }
        if (rc < 0)
                snprintf(err, errlen, "out of memory");
        return rc;
}

/* Moves the addresses of the root's NS names from acc into h. */
static void hints_keep_root_addrs(struct hints_acc *acc)
{
        struct conffile_hints *h = acc->h;
        for (size_t i = 0; i < acc->nall; i++) {
                struct conffile_root_addr *a = &acc->all[i];
                if (!is_root_ns(h, a->name) ||
                    push_addr(&h->addrs, &h->naddrs, a->name, a->addr) < 0) {
                        free(a->name);
                        free(a->addr);
                }
        }
        free(acc->all);
        acc->all = NULL;
        acc->nall = 0;
}

int conffile_root_hints(const char *path, struct conffile_hints *h, char *err, size_t errlen)
{
        struct cfile f;
        struct hints_acc acc = {.h = h};
        memset(h, 0, sizeof(*h));
        cfile_init(&f, "root hints", path);
        int rc = load(path, &f, hints_record, &acc, err, errlen);
        hints_keep_root_addrs(&acc);
        if (rc == 0 && h->nns == 0) {
                snprintf(err, errlen, "root hints %s: no NS record for the root (.)", f.shown);
                rc = -1;
        } else if (rc == 0 && h->naddrs == 0) {
                snprintf(err, errlen,
                         "root hints %s: no address (A or AAAA) for the root's name servers",
                         f.shown);
                rc = -1;
        }
        if (rc < 0)
                conffile_hints_clear(h);
        return rc;
}

void conffile_hints_clear(struct conffile_hints *h)
{
        strv_free(h->ns, h->nns);
        for (size_t i = 0; i < h->naddrs; i++) {
                free(h->addrs[i].name);
                free(h->addrs[i].addr);
        }
        free(h->addrs);
        memset(h, 0, sizeof(*h));
}

/* ---------------------------------------------------------- trust anchor */

struct anchor_acc {
        const struct cfile *f;
        char **rrs;
        size_t nrrs;
        size_t nroot;
};

static int anchor_record(void *arg, const ldns_rr *rr, int line, char *err, size_t errlen)
{
        struct anchor_acc *acc = arg;
        ldns_rr_type t = ldns_rr_get_type(rr);
        if (t != LDNS_RR_TYPE_DS && t != LDNS_RR_TYPE_DNSKEY) {
                char *type = ldns_rr_type2str(t);
                snprintf(err, errlen, "trust anchor %s line %d: type %s; want DS or DNSKEY",
                         acc->f->shown, line, type ? type : "?");
                free(type);
                return -1;
        }
        char *text = ldns_rr2str(rr);
        if (text)
                text[strcspn(text, "\n")] = '\0'; /* ldns ends records with a newline */
        if (!text || strv_push(&acc->rrs, &acc->nrrs, text) < 0) {
                free(text);
                snprintf(err, errlen, "out of memory");
                return -1;
        }
        free(text);
        if (is_root(ldns_rr_owner(rr)))
                acc->nroot++;
        return 0;
}

int conffile_trust_anchor(const char *path, char ***rrs, size_t *nrrs, char *err, size_t errlen)
{
        struct cfile f;
        cfile_init(&f, "trust anchor", path);
        struct anchor_acc acc = {.f = &f};
        int rc = load(path, &f, anchor_record, &acc, err, errlen);
        if (rc == 0 && acc.nroot == 0) {
                snprintf(err, errlen, "trust anchor %s: no DS or DNSKEY record for the root (.)",
                         f.shown);
                rc = -1;
        }
        if (rc < 0) {
                strv_free(acc.rrs, acc.nrrs);
                return -1;
        }
        *rrs = acc.rrs;
        *nrrs = acc.nrrs;
        return 0;
}

void conffile_rrs_free(char **rrs, size_t n)
{
        strv_free(rrs, n);
}
