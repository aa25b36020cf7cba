/* escape: make untrusted bytes (from the network or the user) safe for a
 * terminal, a log or a JSON string. Bytes outside 0x21..0x7e become \DDD,
 * as dig prints them; space is kept where the caller says so. */
#ifndef PTRWIZ_ESCAPE_H
#define PTRWIZ_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

enum escape_flags {
        ESCAPE_KEEP_SPACE = 1, /* prose: keep ' ' as is */
        ESCAPE_KEEP_UTF8 = 2,  /* keep well-formed printable UTF-8 sequences */
};

/* Escapes len bytes of in into out (always NUL-terminated when outlen > 0).
 * Returns the length the full result needs, like snprintf. */
size_t escape_buf(const char *in, size_t len, int flags, char *out, size_t outlen);

/* Same, into a new string the caller frees; NULL only when out of memory. */
char *escape_dup(const char *in, size_t len, int flags);

/* True when s needs no escaping (every byte printable ASCII). */
bool escape_is_clean(const char *s, size_t len, int flags);

#endif
