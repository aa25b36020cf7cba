/* strv: growable string lists. */
#include "strv.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int strv_push(char ***v, size_t *n, const char *s)
{
        char *copy = strdup(s);
        char **nv = copy ? realloc(*v, (*n + 1) * sizeof(**v)) : NULL;
        if (!nv) {
                free(copy);
                return -1;
        }
        nv[(*n)++] = copy;
        *v = nv;
        return 0;
}

void strv_free(char **v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(v[i]);
        free(v);
}

int strv_copy(char ***dst, size_t *ndst, char *const *src, size_t n)
{
        *dst = NULL;
        *ndst = 0;
        for (size_t i = 0; i < n; i++)
                if (strv_push(dst, ndst, src[i]) < 0)
                        return -1;
        return 0;
}

char *strv_join(char *const *v, size_t n, const char *sep)
{
        size_t len = 1;
        for (size_t i = 0; i < n; i++)
                len += strlen(v[i]) + strlen(sep);
        char *s = malloc(len);
        if (!s)
                return NULL;
        s[0] = '\0';
        for (size_t i = 0; i < n; i++) {
                if (i)
                        strcat(s, sep);
                strcat(s, v[i]);
        }
        return s;
}

json_t *strv_json(char *const *v, size_t n)
{
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(arr, json_string(v[i]));
        return arr;
}
