/* provider: large cloud and hosting providers recognised from the names
 * around a reverse zone (its NS and SOA names, or the provider's default
 * PTR name), and where their customers set the PTR: most of them take it
 * in a control panel or API, not in a zone file. */
#ifndef PTRWIZ_PROVIDER_H
#define PTRWIZ_PROVIDER_H

#include <stddef.h>

struct provider {
        const char *id;     /* "aws", "hetzner", ... */
        const char *name;   /* for people: "Amazon Web Services (EC2)" */
        const char *where;  /* where its customers set the PTR, one sentence */
        const char *source; /* the provider's documentation of it */
};

/* The provider whose domains one of names (presentation format, trailing
 * dot or not, any case) is under; NULL when none is known. */
const struct provider *provider_find(const char *const *names, size_t n);
/* Every known provider, for tests and help. */
const struct provider *provider_table(size_t *n);
/* The text for a provider that is not known. */
const char *provider_generic_where(void);

#endif
