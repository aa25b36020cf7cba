/* conffile on any file content, as root hints and as a trust anchor: it
 * ends, and either succeeds with what the caller relies on (an NS for the
 * root with an address; records for the root) or gives one clean line. The
 * bytes go into a memfd, a regular file, read through its /proc path. */
#include "fuzz.h"
#include "ptrwiz/addr.h"
#include "ptrwiz/conffile.h"

#include <sys/mman.h>
#include <unistd.h>

static void check_error(const char *err)
{
        FUZZ_ASSERT(err[0] && strchr(err, '\n') == NULL && fuzz_is_clean(err));
}

static void check_hints(const char *path)
{
        struct conffile_hints h;
        char err[512] = "";
        if (conffile_root_hints(path, &h, err, sizeof(err)) < 0) {
                check_error(err);
                FUZZ_ASSERT(h.ns == NULL && h.naddrs == 0);
                return;
        }
        FUZZ_ASSERT(h.nns > 0 && h.naddrs > 0);
        for (size_t i = 0; i < h.naddrs; i++) {
                struct addr a;
                char aerr[128];
                FUZZ_ASSERT(addr_parse(h.addrs[i].addr, &a, aerr, sizeof(aerr)) == 0);
                bool named = false;
                for (size_t k = 0; k < h.nns; k++)
                        named = named || strcmp(h.ns[k], h.addrs[i].name) == 0;
                FUZZ_ASSERT(named);
        }
        conffile_hints_clear(&h);
}

static void check_anchor(const char *path)
{
        char **rrs = NULL, err[512] = "";
        size_t n = 0;
        if (conffile_trust_anchor(path, &rrs, &n, err, sizeof(err)) < 0) {
                check_error(err);
                return;
        }
        FUZZ_ASSERT(n > 0);
        for (size_t i = 0; i < n; i++)
                FUZZ_ASSERT(strchr(rrs[i], '\n') == NULL);
        conffile_rrs_free(rrs, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        int fd = memfd_create("fuzz-conffile", MFD_CLOEXEC);
        FUZZ_ASSERT(fd >= 0);
        FUZZ_ASSERT(write(fd, data, size) == (ssize_t)size);
        char path[64];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        check_hints(path);
        check_anchor(path);
        close(fd);
        return 0;
}
