/* suffix: the Public Suffix List through libpsl, loaded once per process.
 *
 * psl_latest() takes the newer of libpsl's built-in copy and the one the
 * publicsuffix package installs. When neither loads, the last label is
 * taken for the suffix, which is what ptrwiz assumed before it used the
 * list. */
#include "ptrwiz/suffix.h"

#include <ctype.h>
#include <pthread.h>
#include <string.h>

#include <libpsl.h>

static pthread_once_t psl_once = PTHREAD_ONCE_INIT;
static psl_ctx_t *psl_ctx; /* for the life of the process; libpsl reads it lock-free */

static void psl_load(void)
{
        psl_ctx = psl_latest(NULL);
}

static const psl_ctx_t *psl(void)
{
        pthread_once(&psl_once, psl_load);
        return psl_ctx;
}

/* Start of the label before the one at p (p > name, p[-1] == '.'). */
static const char *label_before(const char *name, const char *p)
{
        const char *q = p - 1;

        while (q > name && q[-1] != '.')
                q--;
        return q;
}

size_t suffix_host_len(const char *name)
{
        const psl_ctx_t *ctx = psl();
        const char *last = strrchr(name, '.');
        const char *suffix = last ? last + 1 : name;

        if (name[0] == '\0')
                return 0;
        /* The longest public suffix starts at the leftmost label that is one. */
        for (const char *p = name; ctx != NULL;) {
                if (psl_is_public_suffix2(ctx, p, PSL_TYPE_ICANN)) {
                        suffix = p;
                        break;
                }
                const char *dot = strchr(p, '.');
                if (dot == NULL)
                        break;
                p = dot + 1;
        }
        if (suffix == name)
                return 0; /* the name is itself a suffix */
        const char *registered = label_before(name, suffix);
        return registered == name ? 0 : (size_t)(registered - name) - 1;
}

bool suffix_is_public(const char *name)
{
        const psl_ctx_t *ctx = psl();

        if (name[0] == '\0')
                return false;
        if (ctx == NULL)
                return strchr(name, '.') == NULL;
        return psl_is_public_suffix2(ctx, name, PSL_TYPE_ICANN) != 0;
}

static bool looks_like_tld(const char *label)
{
        size_t n = strlen(label);

        if (n < 2)
                return false;
        if (strncmp(label, "xn--", 4) == 0)
                return true;
        for (size_t i = 0; i < n; i++) {
                if (!isalpha((unsigned char)label[i]))
                        return false;
        }
        return true;
}

bool suffix_is_tld(const char *label)
{
        const psl_ctx_t *ctx = psl();

        if (label[0] == '\0' || strchr(label, '.') != NULL)
                return false;
        if (ctx == NULL)
                return looks_like_tld(label);
        return psl_is_public_suffix2(ctx, label, PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE) != 0;
}
