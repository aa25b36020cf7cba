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

/* Markdown prose (a paragraph, a list item, a heading) that renders as
 * exactly the text of in, which is display text (already escape_buf's
 * output). Markdown's and HTML's metacharacters get a backslash, which
 * CommonMark and GitHub render as the character itself (no emphasis, link,
 * image, tag, entity, table cell, math or mention), and so does a block
 * marker at the start (#, >, -, +, =, "1."). Bytes a terminal must not
 * get still become \DDD, shown as such. Returns the length the full
 * result needs, like snprintf. */
size_t escape_markdown(const char *in, size_t len, char *out, size_t outlen);
char *escape_markdown_dup(const char *in, size_t len); /* NULL when out of memory */

/* How many backticks fence a Markdown code block of text so that no line
 * in it can close it: one more than its longest run of backticks, at
 * least 3. */
size_t escape_fence_len(const char *text, size_t len);

#endif
