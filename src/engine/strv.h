/* strv: the engine's growable string lists (char **v with a count), shared
 * by the resolver, the trace and the reports. Private to the engine. */
#ifndef PTRWIZ_ENGINE_STRV_H
#define PTRWIZ_ENGINE_STRV_H

#include <stddef.h>

struct json_t;

/* Appends a copy of s; -1 when out of memory (the list is unchanged). */
int strv_push(char ***v, size_t *n, const char *s);
void strv_free(char **v, size_t n);
/* dst becomes a copy of src; -1 when out of memory (what was copied is in
 * dst, for strv_free). */
int strv_copy(char ***dst, size_t *ndst, char *const *src, size_t n);
/* "a, b, c" (with sep between) into a new string; NULL when out of memory. */
char *strv_join(char *const *v, size_t n, const char *sep);
/* A new JSON array of the strings. */
struct json_t *strv_json(char *const *v, size_t n);

#endif
