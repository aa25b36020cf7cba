/* bounce_analyze on any bytes (a pasted bounce): it never fails, every
 * string it returns from the input is escaped, and the JSON is built. */
#include <string.h>

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
        clean_or_null(r->sending_host);
        FUZZ_ASSERT(r->nreceivers <= BOUNCE_MAX_RECEIVERS);
        for (size_t i = 0; i < r->nreceivers; i++) {
                clean_or_null(r->receivers[i].name);
                clean_or_null(r->receivers[i].recipient);
        }
        /* The sending IP is never an address seen as the receiver's. */
        for (size_t i = 0; r->ip[0] && i < r->nips; i++)
                FUZZ_ASSERT(strcmp(r->ips[i].text, r->ip) != 0 ||
                            bounce_ip_role_is_sender(r->ips[i].role));
        FUZZ_ASSERT(r->nips <= BOUNCE_MAX_IPS);
        char *json = bounce_result_json(r);
        FUZZ_ASSERT(json);
        free(json);
        bounce_result_free(r);
        return 0;
}
