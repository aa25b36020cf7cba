/* trace_cache: addresses of name servers' names, learned by the trace's own
 * lookups and kept for their TTL, as a resolver keeps them. Only these
 * forward addresses are cached: every zone cut of the traced name is asked
 * afresh each time. Shared by the traces of one run, and kept on disk
 * between runs of ptrwiz trace (one line per name: NAME EXPIRES ADDR...). */
#include "trace_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CACHE_MAGIC       "ptrwiz-ns-cache 1"
#define CACHE_MAX_ENTRIES 10000
#define CACHE_MAX_TTL     86400 /* unbound's cache-max-ttl */

struct cache_entry {
        char *name; /* canonical: lower case, trailing dot */
        struct addr addrs[TRACE_MAX_ADDRS_PER_NS];
        size_t naddrs;
        int64_t expires; /* seconds since the epoch */
};

struct trace_cache {
        struct cache_entry *v;
        size_t n, cap;
};

static int64_t now_s(void)
{
        return (int64_t)time(NULL);
}

struct trace_cache *trace_cache_new(void)
{
        return calloc(1, sizeof(struct trace_cache));
}

void trace_cache_free(struct trace_cache *c)
{
        if (!c)
                return;
        for (size_t i = 0; i < c->n; i++)
                free(c->v[i].name);
        free(c->v);
        free(c);
}

static struct cache_entry *cache_find(const struct trace_cache *c, const char *canon)
{
        for (size_t i = 0; i < c->n; i++)
                if (strcmp(c->v[i].name, canon) == 0)
                        return &c->v[i];
        return NULL;
}

size_t trace_cache_get(const struct trace_cache *c, const char *name, struct addr *out, size_t max)
{
        char *canon = c ? trace_name_canon(name) : NULL;
        const struct cache_entry *e = canon ? cache_find(c, canon) : NULL;
        free(canon);
        if (!e || e->expires <= now_s())
                return 0;
        size_t n = e->naddrs < max ? e->naddrs : max;
        memcpy(out, e->addrs, n * sizeof(*out));
        return n;
}

static void cache_set(struct trace_cache *c, char *canon, const struct addr *addrs, size_t n,
                      int64_t expires)
{
        struct cache_entry *e = cache_find(c, canon);
        if (e) {
                free(canon);
        } else {
                if (c->n == CACHE_MAX_ENTRIES)
                        return;
                if (c->n == c->cap) {
                        size_t cap = c->cap ? c->cap * 2 : 32;
                        struct cache_entry *nv = realloc(c->v, cap * sizeof(*nv));
                        if (!nv) {
                                free(canon);
                                return;
                        }
                        c->v = nv;
                        c->cap = cap;
                }
                e = &c->v[c->n++];
                e->name = canon;
        }
        e->naddrs = n < TRACE_MAX_ADDRS_PER_NS ? n : TRACE_MAX_ADDRS_PER_NS;
        memcpy(e->addrs, addrs, e->naddrs * sizeof(*addrs));
        e->expires = expires;
}

void trace_cache_put(struct trace_cache *c, const char *name, const struct addr *addrs, size_t n,
                     uint32_t ttl)
{
        char *canon = c && n ? trace_name_canon(name) : NULL;
        if (!canon)
                return;
        cache_set(c, canon, addrs, n, now_s() + (ttl < CACHE_MAX_TTL ? ttl : CACHE_MAX_TTL));
}

/* One line: NAME EXPIRES ADDR [ADDR...]; anything odd is skipped. */
static void load_line(struct trace_cache *c, char *line, int64_t now)
{
        char *save = NULL;
        char *name = strtok_r(line, " \t\n", &save);
        char *exp = strtok_r(NULL, " \t\n", &save);
        if (!name || !exp)
                return;
        char *end = NULL;
        long long expires = strtoll(exp, &end, 10);
        char *canon = trace_name_canon(name);
        if (!canon || *end || expires <= now || strcmp(canon, name) != 0) {
                free(canon);
                return;
        }
        struct addr addrs[TRACE_MAX_ADDRS_PER_NS];
        size_t n = 0;
        char *tok, err[64];
        while (n < TRACE_MAX_ADDRS_PER_NS && (tok = strtok_r(NULL, " \t\n", &save)))
                if (addr_parse(tok, &addrs[n], err, sizeof(err)) == 0)
                        n++;
        if (n)
                cache_set(c, canon, addrs, n, expires);
        else
                free(canon);
}

int trace_cache_load(struct trace_cache *c, const char *path, char *err, size_t errlen)
{
        FILE *f = fopen(path, "r");
        if (!f) {
                if (errno == ENOENT)
                        return 0;
                snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
                return -1;
        }
        char line[1024];
        int64_t now = now_s();
        if (!fgets(line, sizeof(line), f) || strncmp(line, CACHE_MAGIC, strlen(CACHE_MAGIC)) != 0) {
                fclose(f);
                return 0; /* not ours, or an older format: start afresh */
        }
        while (fgets(line, sizeof(line), f))
                load_line(c, line, now);
        fclose(f);
        return 0;
}

/* Written to a temporary file and renamed: a reader never sees half. */
int trace_cache_save(const struct trace_cache *c, const char *path, char *err, size_t errlen)
{
        char tmp[4096];
        if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof(tmp)) {
                snprintf(err, errlen, "cache path too long");
                return -1;
        }
        mode_t old = umask(077);
        FILE *f = fopen(tmp, "w");
        umask(old);
        if (!f) {
                snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
                return -1;
        }
        int64_t now = now_s();
        fprintf(f, "%s\n", CACHE_MAGIC);
        for (size_t i = 0; i < c->n; i++) {
                const struct cache_entry *e = &c->v[i];
                if (e->expires <= now)
                        continue;
                fprintf(f, "%s %lld", e->name, (long long)e->expires);
                for (size_t k = 0; k < e->naddrs; k++) {
                        char a[ADDR_STRLEN];
                        addr_format(&e->addrs[k], a, sizeof(a));
                        fprintf(f, " %s", a);
                }
                fputc('\n', f);
        }
        if (fclose(f) != 0 || rename(tmp, path) != 0) {
                snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
                unlink(tmp);
                return -1;
        }
        return 0;
}
