/* Unit tests for conffile: only regular files of sane size are read, and
 * root hints and trust anchors must say something about the root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "ptrwiz/conffile.h"

#define LAB_HINTS                                                                                  \
        ". 3600000 IN NS a.root-servers.net.\n"                                                    \
        ". 3600000 IN NS b.root-servers.net.\n"                                                    \
        "a.root-servers.net. 3600000 IN A 127.53.0.1\n"                                            \
        "b.root-servers.net. 3600000 IN A 127.53.0.2\n"

#define ROOT_DS                                                                                    \
        ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"

static char dir[64];
static char path[128];

static int setup(void **state)
{
        snprintf(dir, sizeof(dir), "/tmp/ptrwiz-conffile.XXXXXX");
        return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        return system(cmd) == 0 ? 0 : -1;
}

/* A file named name in the test directory holding len bytes of text. */
static const char *file_of(const char *name, const char *text, size_t len)
{
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(text, 1, len, f), len);
        fclose(f);
        return path;
}

static const char *file_str(const char *name, const char *text)
{
        return file_of(name, text, strlen(text));
}

/* Root hints from text must fail with an error containing want. */
static void hints_fail(const char *p, const char *want)
{
        struct conffile_hints h;
        char err[512] = "";
        assert_int_equal(conffile_root_hints(p, &h, err, sizeof(err)), -1);
        if (!strstr(err, want))
                fail_msg("error '%s' does not say '%s'", err, want);
        assert_null(h.ns);
        assert_int_equal(h.naddrs, 0);
}

static void anchor_fail(const char *p, const char *want)
{
        char **rrs = NULL, err[512] = "";
        size_t n = 0;
        assert_int_equal(conffile_trust_anchor(p, &rrs, &n, err, sizeof(err)), -1);
        if (!strstr(err, want))
                fail_msg("error '%s' does not say '%s'", err, want);
}

static void test_lab_hints(void **state)
{
        struct conffile_hints h;
        char err[512];
        assert_int_equal(conffile_root_hints(file_str("hints", LAB_HINTS), &h, err, sizeof(err)),
                         0);
        assert_int_equal(h.nns, 2);
        assert_string_equal(h.ns[0], "a.root-servers.net.");
        assert_int_equal(h.naddrs, 2);
        assert_string_equal(h.addrs[1].name, "b.root-servers.net.");
        assert_string_equal(h.addrs[1].addr, "127.53.0.2");
        conffile_hints_clear(&h);
}

/* libunbound takes the owner of the first NS as the hints' zone: NS
 * records of another zone must not count, nor addresses of other names. */
static void test_hints_only_the_root(void **state)
{
        const char *text = "example. IN NS ns.example.\n"
                           "ns.example. IN A 192.0.2.1\n"
                           "$TTL 60\n"
                           "; a comment\n"
                           "\n"
                           ". IN NS A.Root-Servers.NET.\n"
                           "a.root-servers.net. IN AAAA 3fff::1\n";
        struct conffile_hints h;
        char err[512];
        assert_int_equal(conffile_root_hints(file_str("mixed", text), &h, err, sizeof(err)), 0);
        assert_int_equal(h.nns, 1);
        assert_string_equal(h.ns[0], "a.root-servers.net.");
        assert_int_equal(h.naddrs, 1);
        assert_string_equal(h.addrs[0].addr, "3fff::1");
        conffile_hints_clear(&h);
}

static void test_hints_without_root(void **state)
{
        hints_fail(file_str("empty", ""), "no NS record for the root (.)");
        hints_fail(file_str("comment", "; nothing\n"), "no NS record for the root");
        hints_fail(file_str("other", "example. IN NS a.root-servers.net.\n"
                                     "a.root-servers.net. IN A 127.53.0.1\n"),
                   "no NS record for the root");
        hints_fail(file_str("noaddr", ". IN NS a.root-servers.net.\n"
                                      "b.root-servers.net. IN A 127.53.0.1\n"),
                   "no address (A or AAAA) for the root's name servers");
}

static void test_hints_garbage(void **state)
{
        hints_fail(file_str("garbage", "garbage here\n\x01\x02"), "garbage line 1: not a DNS");
        hints_fail(file_of("nul", ". IN NS a.\0\n", 12), "nul line 1: a NUL byte");
        hints_fail(file_str("badtype", ". IN NS a.root-servers.net.\nfoo IN A not-an-ip\n"),
                   "badtype line 2:");
}

/* ldns's zone reader would follow $INCLUDE to any path, /dev/zero too. */
static void test_hints_include_refused(void **state)
{
        hints_fail(file_str("incl", "$INCLUDE /dev/zero\n"), "incl line 1: $INCLUDE is not");
}

static void test_not_regular_files(void **state)
{
        hints_fail(dir, "a directory, not a file");
        hints_fail("/dev/zero", "/dev/zero: a character device, not a file");
        snprintf(path, sizeof(path), "%s/fifo", dir);
        assert_int_equal(mkfifo(path, 0600), 0);
        /* No writer: opening it would wait forever; it is not opened at all. */
        hints_fail(path, "a FIFO, not a file");
        hints_fail("/nonexistent/hints", "cannot read root hints /nonexistent/hints: No such");
        anchor_fail("/dev/zero", "trust anchor /dev/zero: a character device");
}

static void test_too_big(void **state)
{
        const char *p = file_str("big", "");
        assert_int_equal(truncate(p, CONFFILE_MAX_BYTES + 1), 0); /* sparse, costs nothing */
        hints_fail(p, "1048577 bytes, more than such a file can have");
}

/* A name with control bytes is shown escaped in the error. */
static void test_path_escaped(void **state)
{
        hints_fail("/nonexistent/\033[31mred", "/nonexistent/\\027[31mred");
}

static void test_read_keeps_bytes(void **state)
{
        char *text = NULL, err[256];
        size_t len = 0;
        assert_int_equal(
            conffile_read(file_of("bin", "a\0b", 3), "x", &text, &len, err, sizeof(err)), 0);
        assert_int_equal(len, 3);
        assert_memory_equal(text, "a\0b", 3);
        assert_int_equal(text[3], '\0');
        free(text);
}

static void test_anchor(void **state)
{
        char **rrs = NULL, err[512];
        size_t n = 0;
        const char *text = "; the root's KSK\n" ROOT_DS "example. IN DS 1 8 2 "
                           "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n";
        assert_int_equal(conffile_trust_anchor(file_str("ta", text), &rrs, &n, err, sizeof(err)),
                         0);
        assert_int_equal(n, 2);
        assert_non_null(strstr(rrs[0], "DS\t20326 8 2 "));
        assert_null(strchr(rrs[0], '\n'));
        conffile_rrs_free(rrs, n);
}

static void test_anchor_bad(void **state)
{
        anchor_fail(file_str("txt", ROOT_DS ". IN TXT \"x\"\n"),
                    "txt line 2: type TXT; want DS or DNSKEY");
        anchor_fail(file_str("notroot", "example. IN DS 1 8 2 "
                                        "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104"
                                        "237C7F8EC8D\n"),
                    "no DS or DNSKEY record for the root (.)");
        anchor_fail(file_str("empty-ta", ""), "no DS or DNSKEY record for the root");
        anchor_fail(file_str("hints-as-ta", LAB_HINTS), "type NS; want DS or DNSKEY");
        anchor_fail(dir, "a directory, not a file");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_lab_hints),
            cmocka_unit_test(test_hints_only_the_root),
            cmocka_unit_test(test_hints_without_root),
            cmocka_unit_test(test_hints_garbage),
            cmocka_unit_test(test_hints_include_refused),
            cmocka_unit_test(test_not_regular_files),
            cmocka_unit_test(test_too_big),
            cmocka_unit_test(test_path_escaped),
            cmocka_unit_test(test_read_keeps_bytes),
            cmocka_unit_test(test_anchor),
            cmocka_unit_test(test_anchor_bad),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
