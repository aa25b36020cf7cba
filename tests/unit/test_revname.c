/* Owner names and the zone breakdown for IPv4 and IPv6 edge cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "ptrwiz/addr.h"
#include "ptrwiz/revname.h"

static struct addr parse_ok(const char *text)
{
        struct addr a;
        char err[128];
        assert_int_equal(addr_parse(text, &a, err, sizeof(err)), 0);
        return a;
}

static void test_v4_owner(void **state)
{
        struct addr a = parse_ok("192.0.2.25");
        char buf[REVNAME_MAX];
        revname_owner(&a, buf, sizeof(buf));
        assert_string_equal(buf, "25.2.0.192.in-addr.arpa.");
        a = parse_ok("0.0.0.0");
        revname_owner(&a, buf, sizeof(buf));
        assert_string_equal(buf, "0.0.0.0.in-addr.arpa.");
        a = parse_ok("255.255.255.255");
        revname_owner(&a, buf, sizeof(buf));
        assert_string_equal(buf, "255.255.255.255.in-addr.arpa.");
}

static void test_v4_breakdown(void **state)
{
        struct addr a = parse_ok("192.0.2.25");
        struct revname_breakdown b;
        revname_breakdown(&a, &b);
        assert_int_equal(b.ncuts, 5);
        assert_string_equal(b.cuts[0].zone, "arpa.");
        assert_string_equal(b.cuts[1].zone, "in-addr.arpa.");
        assert_string_equal(b.cuts[1].label, "25.2.0.192");
        assert_string_equal(b.cuts[2].zone, "192.in-addr.arpa.");
        assert_int_equal(b.cuts[2].prefix_len, 8);
        assert_string_equal(b.cuts[3].zone, "0.192.in-addr.arpa.");
        assert_string_equal(b.cuts[3].label, "25.2");
        assert_string_equal(b.cuts[b.conventional].zone, "2.0.192.in-addr.arpa.");
        assert_string_equal(b.cuts[b.conventional].label, "25");
        assert_int_equal(b.cuts[b.conventional].prefix_len, 24);
        assert_int_equal(revname_find_cut(&b, "2.0.192.IN-ADDR.ARPA."), 4);
        assert_int_equal(revname_find_cut(&b, "example.com."), -1);
}

static void test_cuts_known(void **state)
{
        struct addr a = parse_ok("198.18.1.10");
        struct revname_breakdown b;
        enum revname_cut_state st[REVNAME_CUTS];
        revname_breakdown(&a, &b);
        /* Nothing known yet: every place is unknown. */
        revname_cuts_known(&b, NULL, 0, NULL, st);
        for (int i = 0; i < b.ncuts; i++)
                assert_int_equal(st[i], REVNAME_UNKNOWN);
        /* Only the SOA lookup: its zone is a cut, below it none, above unknown. */
        revname_cuts_known(&b, NULL, 0, "18.198.in-addr.arpa.", st);
        assert_int_equal(st[0], REVNAME_UNKNOWN);
        assert_int_equal(st[2], REVNAME_UNKNOWN);
        assert_int_equal(st[3], REVNAME_CUT);
        assert_int_equal(st[4], REVNAME_NO_CUT);
        /* The trace so far: the root sent it to arpa., arpa. to in-addr.arpa.,
         * and in-addr.arpa. straight to 18.198: 198.in-addr.arpa. is no cut. */
        struct revname_link links[] = {
            {"arpa.", "."},
            {"in-addr.arpa.", "arpa."},
            {"18.198.in-addr.arpa.", "in-addr.arpa."},
            {"64/26.1.18.198.in-addr.arpa.", "1.18.198.in-addr.arpa."},
        };
        revname_cuts_known(&b, links, 4, NULL, st);
        assert_int_equal(st[0], REVNAME_CUT);
        assert_int_equal(st[1], REVNAME_CUT);
        assert_int_equal(st[2], REVNAME_NO_CUT);
        assert_int_equal(st[3], REVNAME_CUT);
        assert_int_equal(st[4], REVNAME_UNKNOWN);
        /* A parent not known (NULL) says nothing about the places above. */
        struct revname_link orphan = {"18.198.in-addr.arpa.", NULL};
        revname_cuts_known(&b, &orphan, 1, NULL, st);
        assert_int_equal(st[2], REVNAME_UNKNOWN);
        assert_int_equal(st[3], REVNAME_CUT);
}

static void test_classless(void **state)
{
        unsigned first = 0, last = 0;
        assert_int_equal(revname_classless("64/26.2.18.198.in-addr.arpa.", &first, &last), 0);
        assert_int_equal(first, 64);
        assert_int_equal(last, 127);
        assert_int_equal(revname_classless("0/25.2.0.192.in-addr.arpa.", &first, &last), 0);
        assert_int_equal(last, 127);
        assert_int_equal(revname_classless("128-191.2.0.192.in-addr.arpa.", &first, &last), 0);
        assert_int_equal(first, 128);
        assert_int_equal(last, 191);
        assert_int_equal(revname_classless("65/26.2.18.198.in-addr.arpa.", &first, &last), -1);
        assert_int_equal(revname_classless("2.18.198.in-addr.arpa.", &first, &last), -1);
        assert_int_equal(revname_classless("64/8.2.18.198.in-addr.arpa.", &first, &last), -1);
}

static void test_v6_owner_and_breakdown(void **state)
{
        struct addr a = parse_ok("2001:db8::567:89ab");
        struct revname_breakdown b;
        revname_breakdown(&a, &b);
        assert_string_equal(b.owner,
                            "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0."
                            "2.ip6.arpa.");
        assert_int_equal(strlen(b.owner), 73);
        assert_int_equal(b.ncuts, 33);
        assert_string_equal(b.cuts[1].zone, "ip6.arpa.");
        assert_string_equal(b.cuts[9].zone, "8.b.d.0.1.0.0.2.ip6.arpa.");
        assert_int_equal(b.cuts[9].prefix_len, 32);
        assert_int_equal(b.cuts[b.conventional].prefix_len, 48);
        assert_string_equal(b.cuts[32].label, "b");
}

static void test_v4_mapped(void **state)
{
        struct addr a = parse_ok("::ffff:198.18.1.10");
        char buf[REVNAME_MAX];
        assert_int_equal(a.family, AF_INET);
        revname_owner(&a, buf, sizeof(buf));
        assert_string_equal(buf, "10.1.18.198.in-addr.arpa.");
}

static void test_bad_addresses(void **state)
{
        const char *bad[] = {"300.1.2.3", "1.2.3",      "1.2.3.4.5",    "",
                             "abc",       "1.2.3.4/24", "fe80::1%eth0", "::g",
                             "1.2.3.04x", " 1.2.3.4",   "1.2.3.4 ",     "\033[31m1.2.3.4"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                struct addr a;
                char err[128] = "";
                assert_int_equal(addr_parse(bad[i], &a, err, sizeof(err)), -1);
                assert_true(strlen(err) > 0);
                assert_null(strchr(err, '\033')); /* escaped, never raw */
                assert_null(strchr(err, '\n'));
        }
}

static void test_revname_to_addr(void **state)
{
        struct addr a, b = parse_ok("192.0.2.25");
        assert_int_equal(revname_to_addr("25.2.0.192.in-addr.arpa.", &a), 0);
        assert_true(addr_equal(&a, &b));
        assert_int_equal(revname_to_addr("25.2.0.192.IN-ADDR.ARPA", &a), 0);
        assert_int_equal(revname_to_addr("2.0.192.in-addr.arpa.", &a), -1);
        assert_int_equal(revname_to_addr("256.2.0.192.in-addr.arpa.", &a), -1);
        struct addr v6 = parse_ok("2001:db8::567:89ab");
        char owner[REVNAME_MAX];
        revname_owner(&v6, owner, sizeof(owner));
        assert_int_equal(revname_to_addr(owner, &a), 0);
        assert_true(addr_equal(&a, &v6));
        assert_int_equal(
            revname_to_addr("x.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0."
                            "0.2.ip6.arpa.",
                            &a),
            -1);
}

static void test_special_ranges(void **state)
{
        struct {
                const char *ip;
                int special;
                int builtin;
        } cases[] = {
            {"10.1.2.3", 1, 1},     {"172.16.0.1", 1, 1},  {"172.32.0.1", 0, 0},
            {"192.168.1.1", 1, 1},  {"100.64.0.1", 1, 1},  {"100.128.0.1", 0, 0},
            {"127.0.0.1", 1, 1},    {"169.254.1.1", 1, 1}, {"192.0.2.25", 1, 1},
            {"198.51.100.7", 1, 1}, {"203.0.113.9", 1, 1}, {"198.18.1.10", 0, 0},
            {"8.8.8.8", 0, 0},      {"fe80::1", 1, 1},     {"fd00::1", 1, 1},
            {"2001:db8::1", 1, 1},  {"3fff::1", 0, 0},     {"2a00:1450::1", 0, 0},
            {"::1", 1, 1},          {"224.0.0.1", 1, 0},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct addr a = parse_ok(cases[i].ip);
                assert_int_equal(addr_special_range(&a) != NULL, cases[i].special);
                assert_int_equal(addr_has_builtin_reverse_zone(&a), cases[i].builtin);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_v4_owner),
            cmocka_unit_test(test_v4_breakdown),
            cmocka_unit_test(test_v6_owner_and_breakdown),
            cmocka_unit_test(test_cuts_known),
            cmocka_unit_test(test_classless),
            cmocka_unit_test(test_v4_mapped),
            cmocka_unit_test(test_bad_addresses),
            cmocka_unit_test(test_revname_to_addr),
            cmocka_unit_test(test_special_ranges),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
