/* suffix: where a name's registered domain begins, from the Public Suffix
 * List (libpsl, the list Debian ships in the package publicsuffix). Only
 * the ICANN section counts: "compute.amazonaws.com" is in the private
 * section, yet example.com and amazonaws.com are what someone registered. */
#ifndef PTRWIZ_SUFFIX_H
#define PTRWIZ_SUFFIX_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the labels left of the registered domain, without the dot
 * that ends them: 6 ("server") for "server.home.co.uk", 0 for
 * "example.com" or a single label. name: lower case, no trailing dot. A
 * top-level domain the list does not know counts as one (so "isp.example"
 * is registered under "example"). */
size_t suffix_host_len(const char *name);

/* True when name is itself a public suffix ("com", "co.uk", or a top-level
 * domain the list does not know), so nobody registered it. */
bool suffix_is_public(const char *name);

/* True when label (lower case, no dot) is a top-level domain in the list,
 * e.g. "com" or "xn--p1ai"; false for "example", "localdomain", "mail". */
bool suffix_is_tld(const char *label);

#endif
