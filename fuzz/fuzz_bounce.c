/* bounce_analyze on any bytes (a pasted bounce): it never fails, every
 * string it returns from the input is escaped, and the JSON is built. */
#include "fuzz.h"
#include "ptrwiz/bounce.h"

static void clean_or_null(const char *s)
{
        FUZZ_ASSERT(!s || fuzz_is_clean(s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct bounce_result *r = bounce_analyze((const char *)data, size);
        FUZZ_ASSERT(r);
        FUZZ_ASSERT(r->ip_reason && r->explanation && r->next_step);
        clean_or_null(r->ip_reason);
        clean_or_null(r->reply);
        clean_or_null(r->reporting_mta);
        clean_or_null(r->remote_mta);
        FUZZ_ASSERT(r->nips <= BOUNCE_MAX_IPS);
        char *json = bounce_result_json(r);
        FUZZ_ASSERT(json);
        free(json);
        bounce_result_free(r);
        return 0;
}
