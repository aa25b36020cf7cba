/* Targets as typed and list files: a parsed target is consistent (its
 * block walks target_size addresses of its family), a refusal is
 * one clean line, and a list of any bytes is read to its end. */
#include "fuzz.h"
#include "ptrwiz/target.h"

static void walk(const struct target *t)
{
        uint64_t size = target_size(t), n = 0;
        FUZZ_ASSERT(t->kind == TARGET_HOST ? size == 0 : size >= 1 && size <= 65536);
        struct target_iter it;
        struct addr a;
        target_iter_init(&it, t);
        /* The first few hundred: a /16 is too slow to walk on every input. */
        while (n < 300 && target_iter_next(&it, &a)) {
                FUZZ_ASSERT(a.family == t->addr.family);
                n++;
        }
        FUZZ_ASSERT(n == (size < 300 ? size : 300));
}

static void list(const uint8_t *data, size_t size)
{
        FILE *fp = fmemopen((void *)data, size, "r");
        if (!fp)
                return;
        char err[600];
        struct target_list *l = target_list_from_stream(fp, "fuzz", err, sizeof(err));
        struct target t;
        int rc;
        while (l && (rc = target_list_next(l, &t, err, sizeof(err))) != 0 && rc != -2) {
                if (rc == 1)
                        walk(&t);
                else
                        FUZZ_ASSERT(fuzz_is_clean(err));
        }
        target_list_close(l);
        fclose(fp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *s = fuzz_str(data, size);
        struct target t;
        char err[600] = "";
        if (target_parse(s, &t, err, sizeof(err)) == 0) {
                walk(&t);
                FUZZ_ASSERT(fuzz_is_clean(t.note) && fuzz_is_clean(t.text));
        } else {
                FUZZ_ASSERT(err[0] && fuzz_is_clean(err));
        }
        free(s);
        if (size > 0)
                list(data, size);
        return 0;
}
