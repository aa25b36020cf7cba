/* Helpers shared by the fuzz targets. A failed property aborts, which
 * libFuzzer reports as a crash with the input that caused it. */
#ifndef PTRWIZ_FUZZ_H
#define PTRWIZ_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ASSERT(cond)                                                                          \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__,        \
                                #cond);                                                            \
                        abort();                                                                   \
                }                                                                                  \
        } while (0)

/* The input as a C string (cut at its first NUL, as a C caller would see it). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
        char *s = malloc(size + 1);
        if (!s)
                abort();
        memcpy(s, data, size);
        s[size] = '\0';
        return s;
}

/* Text for a terminal or a log: no control byte may get through raw. */
static inline int fuzz_is_clean(const char *s)
{
        for (const unsigned char *p = (const unsigned char *)s; *p; p++)
                if (*p < 0x20 || *p == 0x7f)
                        return 0;
        return 1;
}

#endif
