/* Unit tests for target: IPs, CIDR blocks and their limits, host names,
 * the lazy iterator, and list files with comments and bad lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "ptrwiz/target.h"

static void parse_ok(const char *text, struct target *t)
{
        char err[300] = "";
        int rc = target_parse(text, t, err, sizeof(err));
        if (rc != 0)
                print_error("target_parse(%s): %s\n", text, err);
        assert_int_equal(rc, 0);
}

/* Parsing fails and the reason contains want. */
static void parse_bad(const char *text, const char *want)
{
        struct target t;
        char err[300] = "";
        assert_int_equal(target_parse(text, &t, err, sizeof(err)), -1);
        if (!strstr(err, want))
                print_error("target_parse(%s): '%s' lacks '%s'\n", text, err, want);
        assert_non_null(strstr(err, want));
        assert_null(strchr(err, '\n'));
}

static void assert_addr(const struct addr *a, const char *want)
{
        char buf[ADDR_STRLEN];
        addr_format(a, buf, sizeof(buf));
        assert_string_equal(buf, want);
}

static void test_single_addresses(void **state)
{
        struct target t;
        parse_ok("198.18.2.25", &t);
        assert_int_equal(t.kind, TARGET_ADDR);
        assert_int_equal(t.prefix, 32);
        assert_int_equal(target_size(&t), 1);
        parse_ok("  2001:db8::25\n", &t);
        assert_int_equal(t.kind, TARGET_ADDR);
        assert_int_equal(t.prefix, 128);
        assert_addr(&t.addr, "2001:db8::25");
        parse_ok("::ffff:198.18.2.25", &t);
        assert_int_equal(t.addr.family, AF_INET);
        parse_ok("198.18.2.25/32", &t);
        assert_int_equal(t.kind, TARGET_ADDR);
        assert_string_equal(t.note, "");
}

static void test_bad_addresses(void **state)
{
        parse_bad("300.1.2.3", "'300.1.2.3' is not an IPv4 or IPv6 address");
        parse_bad("10.1", "'10.1' is not");
        parse_bad("198.18.2.1.", "is not");
        parse_bad("2001:db8::zz", "'2001:db8::zz' is not");
        parse_bad("fe80::1%eth0", "zone index");
        parse_bad("", "empty");
        parse_bad("   ", "empty");
        parse_bad("\033[31m.1", "\\027[31m");
}

static void test_cidr_blocks(void **state)
{
        struct target t;
        parse_ok("198.18.2.0/28", &t);
        assert_int_equal(t.kind, TARGET_CIDR);
        assert_int_equal(target_size(&t), 16);
        parse_ok("198.18.0.0/16", &t);
        assert_int_equal(target_size(&t), 65536);
        parse_ok("3fff::/112", &t);
        assert_int_equal(target_size(&t), 65536);
        parse_ok("::ffff:198.18.2.0/120", &t);
        assert_int_equal(t.addr.family, AF_INET);
        assert_int_equal(t.prefix, 24);
}

static void test_cidr_limits(void **state)
{
        parse_bad("198.18.0.0/8", "'198.18.0.0/8' is too big a block (16777216 addresses): the "
                                  "limit is /16 (65536 addresses) for IPv4");
        parse_bad("198.18.0.0/15", "131072 addresses");
        parse_bad("3fff::/64", "'3fff::/64' is too big a block (2^64 addresses): the limit is "
                               "/112 (65536 addresses) for IPv6");
        parse_bad("::/0", "2^128 addresses");
        parse_bad("198.18.0.0/33", "from 0 to 32");
        parse_bad("198.18.0.0/-1", "from 0 to 32");
        parse_bad("198.18.0.0/", "prefix length");
        parse_bad("198.18.0.0/24x", "prefix length");
        parse_bad("3fff::/129", "from 0 to 128");
        parse_bad("300.0.0.0/24", "'300.0.0.0' is not");
        parse_bad("::ffff:1.2.3.0/90", "too big a block");
}

static void test_host_bits_normalised(void **state)
{
        struct target t;
        parse_ok("198.18.2.5/28", &t);
        assert_addr(&t.addr, "198.18.2.0");
        assert_string_equal(t.note,
                            "198.18.2.5/28 has host bits set: checking the block 198.18.2.0/28");
        parse_ok("3fff::1:ffff/112", &t);
        assert_addr(&t.addr, "3fff::1:0");
        assert_non_null(strstr(t.note, "3fff::1:0/112"));
}

static void test_iterator(void **state)
{
        struct target t;
        struct target_iter it;
        struct addr a;
        parse_ok("198.18.2.250/29", &t);
        target_iter_init(&it, &t);
        for (int i = 0; i < 8; i++) {
                char want[32];
                snprintf(want, sizeof(want), "198.18.2.%d", 248 + i);
                assert_true(target_iter_next(&it, &a));
                assert_addr(&a, want);
        }
        assert_false(target_iter_next(&it, &a));
        parse_ok("198.18.255.255/16", &t);
        target_iter_init(&it, &t);
        uint64_t n = 0;
        while (target_iter_next(&it, &a))
                n++;
        assert_int_equal(n, 65536);
        assert_addr(&a, "198.18.255.255");
        parse_ok("3fff::ff/120", &t);
        target_iter_init(&it, &t);
        assert_true(target_iter_next(&it, &a));
        assert_addr(&a, "3fff::");
        parse_ok("255.255.255.255", &t);
        target_iter_init(&it, &t);
        assert_true(target_iter_next(&it, &a));
        assert_addr(&a, "255.255.255.255");
        assert_false(target_iter_next(&it, &a));
}

static void test_host_names(void **state)
{
        struct target t;
        parse_ok("MX.Example.COM", &t);
        assert_int_equal(t.kind, TARGET_HOST);
        assert_string_equal(t.name, "mx.example.com.");
        assert_string_equal(t.text, "MX.Example.COM");
        assert_int_equal(target_size(&t), 0);
        parse_ok("mx.example.com.", &t);
        assert_string_equal(t.name, "mx.example.com.");
        parse_ok("b\xc3\xbc"
                 "cher.example",
                 &t);
        assert_string_equal(t.name, "xn--bcher-kva.example.");
        assert_string_equal(t.text, "b\xc3\xbc"
                                    "cher.example");
        parse_bad("mail", "not a fully qualified host name");
        parse_bad("bad_name!.example", "'bad_name!.example' is not a valid host name");
        parse_bad("x.123", "'x.123' is not an IPv4");
        parse_bad("a..b.example", "not a usable host name");
}

static struct target_list *list_of(const char *text, FILE **fp)
{
        char err[300];
        *fp = fmemopen((void *)text, strlen(text), "r");
        assert_non_null(*fp);
        struct target_list *l = target_list_from_stream(*fp, "list.txt", err, sizeof(err));
        assert_non_null(l);
        return l;
}

static void test_list(void **state)
{
        static const char text[] = "# relays\n"
                                   "\n"
                                   "198.18.2.25   # the main one\r\n"
                                   "  198.18.2.0/30\t\n"
                                   "300.1.2.3\n"
                                   "mx.example.com\n"
                                   "a b\n"
                                   "\t# done";
        FILE *fp;
        struct target_list *l = list_of(text, &fp);
        struct target t;
        char err[300];
        assert_int_equal(target_list_next(l, &t, err, sizeof(err)), 1);
        assert_int_equal(t.kind, TARGET_ADDR);
        assert_int_equal(target_list_next(l, &t, err, sizeof(err)), 1);
        assert_int_equal(t.kind, TARGET_CIDR);
        assert_int_equal(target_list_next(l, &t, err, sizeof(err)), -1);
        assert_string_equal(err, "list.txt:5: '300.1.2.3' is not an IPv4 or IPv6 address");
        assert_int_equal(target_list_next(l, &t, err, sizeof(err)), 1);
        assert_string_equal(t.name, "mx.example.com.");
        assert_int_equal(target_list_next(l, &t, err, sizeof(err)), -1);
        assert_string_equal(err, "list.txt:7: one target a line, not 'a b'");
        assert_int_equal(target_list_next(l, &t, err, sizeof(err)), 0);
        target_list_close(l);
        fclose(fp);
}

static void test_list_hostile_lines(void **state)
{
        char text[3000];
        memset(text, 'a', 2000);
        memcpy(text + 2000, "\n198.18.2.1\nx\0y\n198.18.2.2", 26);
        FILE *fp = fmemopen(text, 2026, "r");
        char err[300];
        struct target_list *l = target_list_from_stream(fp, "x\033y", err, sizeof(err));
        struct target t;
        assert_int_equal(target_list_next(l, &t, err, sizeof(err)), -1);
        assert_string_equal(err, "x\\027y:1: the line is longer than 1024 bytes");
        assert_int_equal(target_list_next(l, &t, err, sizeof(err)), 1);
        assert_addr(&t.addr, "198.18.2.1");
        assert_int_equal(target_list_next(l, &t, err, sizeof(err)), -1);
        assert_string_equal(err, "x\\027y:3: the line has a NUL byte");
        assert_int_equal(target_list_next(l, &t, err, sizeof(err)), 1);
        assert_addr(&t.addr, "198.18.2.2");
        assert_int_equal(target_list_next(l, &t, err, sizeof(err)), 0);
        target_list_close(l);
        fclose(fp);
}

static void test_list_open_missing(void **state)
{
        char err[300];
        assert_null(target_list_open("/nonexistent/list", err, sizeof(err)));
        assert_string_equal(err, "cannot read the list /nonexistent/list: No such file or "
                                 "directory");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_single_addresses),     cmocka_unit_test(test_bad_addresses),
            cmocka_unit_test(test_cidr_blocks),          cmocka_unit_test(test_cidr_limits),
            cmocka_unit_test(test_host_bits_normalised), cmocka_unit_test(test_iterator),
            cmocka_unit_test(test_host_names),           cmocka_unit_test(test_list),
            cmocka_unit_test(test_list_hostile_lines),   cmocka_unit_test(test_list_open_missing),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
