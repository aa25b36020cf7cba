/* Unit tests for hostname: host name rules, IDN, domain membership. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ptrwiz/hostname.h"

static void assert_valid(const char *name)
{
        struct hostname_verdict v;

        hostname_check(name, &v);
        if (!v.valid)
                fail_msg("'%s' should be valid: %s", name, v.reason);
        assert_string_equal(v.reason, "");
}

/* Checks that name is invalid and that the reason contains want. */
static void assert_invalid(const char *name, const char *want)
{
        struct hostname_verdict v;

        hostname_check(name, &v);
        if (v.valid)
                fail_msg("'%s' should be invalid", name);
        if (strstr(v.reason, want) == NULL)
                fail_msg("reason for '%s' is \"%s\", expected \"%s\"", name, v.reason, want);
        assert_null(strchr(v.reason, '\n'));
        for (const char *p = v.reason; *p != '\0'; p++)
                assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p != 0x7f);
}

/* A name of labels of the given lengths, made of 'a', with a trailing dot. */
static void make_name(char *buf, const int *lens, size_t n)
{
        size_t w = 0;

        for (size_t i = 0; i < n; i++) {
                memset(buf + w, 'a' + (int)(i % 26), (size_t)lens[i]);
                w += (size_t)lens[i];
                buf[w++] = '.';
        }
        buf[w] = '\0';
}

static void test_valid_names(void **state)
{
        static const char *const names[] = {
            "mail.example.com.",
            "mail.example.com",
            "MX1.Example.COM.",
            "a.b.",
            "a1-b2.c3.example.net.",
            "123.example.com.",
            "1-2-3-4.static.example.net.",
            "o1.ptr1234.sendgrid.net.",
            "ec2-3-4-5-6.compute-1.amazonaws.com.",
            "x.museum.",
            "host.xn--p1ai.",
            "smtp.mail.yahoo.co.uk.",
            "a.b.c.d.e.f.g.h.example.org.",
        };
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
                assert_valid(names[i]);
}

static void test_escaped_ldh_bytes_allowed(void **state)
{
        /* \109 is 'm': an escape of an LDH byte is merely odd. */
        assert_valid("\\109ail.example.com.");
        assert_valid("m\\-x.example.com.");
}

static void test_not_fqdn(void **state)
{
        assert_invalid("localhost.", "'localhost' is a single label");
        assert_invalid("localhost", "not a fully qualified host name");
        assert_invalid("mailserver.", "single label");
}

static void test_empty_and_root(void **state)
{
        assert_invalid("", "empty");
        assert_invalid(".", "root");
        assert_invalid("a..example.com.", "empty label");
        assert_invalid(".example.com.", "empty label");
        assert_invalid("example.com..", "empty label");
}

static void test_label_lengths(void **state)
{
        char name[1100];
        int ok[] = {63, 7, 3};
        int bad[] = {64, 7, 3};

        make_name(name, ok, 3);
        assert_valid(name);
        make_name(name, bad, 3);
        assert_invalid(name, "is 64 octets long; a label can have at most 63");
        /* 64 escaped octets quote to 256 characters: the quote is shortened
         * and the reason still ends with its numbers. */
        name[0] = '\0';
        for (int i = 0; i < 64; i++)
                strcat(name, "\\255");
        strcat(name, ".example.com.");
        assert_invalid(name, "\\255...' is 64 octets long; a label can have at most 63");
}

static void test_name_lengths(void **state)
{
        char name[1100];
        /* 63+1+63+1+63+1+61 = 253 octets. */
        int ok[] = {63, 63, 63, 61};
        int bad[] = {63, 63, 63, 62};

        make_name(name, ok, 4);
        assert_int_equal(strlen(name), 254); /* with the trailing dot */
        assert_valid(name);
        name[strlen(name) - 1] = '\0';
        assert_valid(name);
        make_name(name, bad, 4);
        assert_invalid(name, "is 254 octets long; a name can have at most 253");
        char huge[2000];
        memset(huge, 'a', sizeof huge - 1);
        huge[sizeof huge - 1] = '\0';
        assert_invalid(huge, "far longer than");
}

static void test_underscore(void **state)
{
        assert_invalid("_dmarc.example.com.", "underscore is not allowed in a host name");
        assert_invalid("mail_1.example.com.", "label 'mail_1': underscore is not allowed");
        assert_invalid("mail.my_domain.com.", "'my_domain'");
}

static void test_bad_characters(void **state)
{
        assert_invalid("foo\\032bar.example.com.", "label 'foo\\032bar' has '\\032'");
        assert_invalid("*.example.com.", "has '*'");
        assert_invalid("a\\.b.example.com.", "has '.'");
        assert_invalid("b\\195\\188cher.example.com.", "'\\195'");
        assert_invalid("evil\\027]52;c;AA==\\007.example.com.", "has '\\027'");
        assert_invalid("a\\000b.example.com.", "has '\\000'");
        assert_invalid("a@b.example.com.", "has '@'");
        assert_invalid("a\\\\b.example.com.", "has '\\\\'");
}

static void test_malformed_escapes(void **state)
{
        assert_invalid("a\\25.example.com.", "malformed");
        assert_invalid("a\\256.example.com.", "malformed");
        assert_invalid("example.com\\", "malformed");
        /* The raw text is quoted with its backslash shown as "\\". */
        assert_invalid("a\\2x.b.", "'a\\\\2x.b.' has a malformed");
}

static void test_hyphens(void **state)
{
        assert_invalid("-mail.example.com.", "starts with a hyphen");
        assert_invalid("mail-.example.com.", "ends with a hyphen");
        assert_invalid("mail.example.com-.", "ends with a hyphen");
        assert_invalid("-.example.com.", "hyphen");
        assert_valid("m-a-i-l.example.com.");
        assert_valid("m--l.example.com."); /* -- at 2-3 is fine */
}

static void test_reserved_rldh(void **state)
{
        assert_invalid("ab--cd.example.com.", "label 'ab--cd' has '--' in positions 3-4");
        assert_invalid("mail.r3--x.com.", "'r3--x'");
        assert_invalid("AB--.example.com.", "ends with a hyphen");
}

static void test_numeric_tld_and_ip(void **state)
{
        assert_invalid("1.2.3.4.", "'1.2.3.4' is an IP address written as a name");
        assert_invalid("198.18.1.15", "IP address written as a name");
        assert_invalid("mail.example.123.", "all-numeric top-level label '123'");
        assert_invalid("1.2.3.", "all-numeric");
        assert_valid("1.2.3.4.example.com.");
        assert_valid("example.c0m.");
}

static void test_idn_valid(void **state)
{
        struct hostname_verdict v;

        hostname_check("xn--bcher-kva.example.com.", &v);
        assert_true(v.valid);
        assert_true(v.idn);
        assert_string_equal(v.ulabel, "b\xc3\xbc"
                                      "cher.example.com.");

        hostname_check("mail.xn--55qx5d.", &v);
        assert_true(v.valid);
        assert_string_equal(v.ulabel, "mail.\xe5\x85\xac\xe5\x8f\xb8.");

        hostname_check("XN--BCHER-KVA.example.com", &v);
        assert_true(v.valid);
        assert_string_equal(v.ulabel, "b\xc3\xbc"
                                      "cher.example.com");

        hostname_check("mail.example.com.", &v);
        assert_true(v.valid);
        assert_false(v.idn);
        assert_string_equal(v.ulabel, "");
}

static void test_idn_invalid(void **state)
{
        struct hostname_verdict v;

        assert_invalid("xn--zz.example.com.", "label 'xn--zz' is not a valid IDN A-label");
        assert_invalid("mail.xn--abc-.example.", "'xn--abc-'"); /* decodes to ASCII */
        assert_invalid("xn--a.example.com.", "not a valid IDN A-label");
        assert_invalid("xn--ls8h.example.com.", "not a valid IDN A-label"); /* emoji */
        hostname_check("xn--zz.example.com.", &v);
        assert_true(v.idn);
        assert_string_equal(v.ulabel, "");
}

static void test_to_alabels(void **state)
{
        static const struct {
                const char *in, *want;
        } cases[] = {
            {"B\xc3\xbc"
             "cher.Example.com",
             "xn--bcher-kva.example.com."},
            {"b\xc3\xbc"
             "cher.example.com.",
             "xn--bcher-kva.example.com."},
            {"MAIL.EXAMPLE.COM", "mail.example.com."},
            {"mail.example.com.", "mail.example.com."},
            {"  mail.example.com \n", "mail.example.com."},
            {"xn--bcher-kva.example.com", "xn--bcher-kva.example.com."},
            {"fa\xc3\x9f.de", "xn--fa-hia.de."}, /* IDNA2008: ß stays */
            {"\xe5\x85\xac\xe5\x8f\xb8.example", "xn--55qx5d.example."},
            {"b\xe2\x93\x91"
             "c.example",
             "bbc.example."}, /* ⓑ is mapped */
            /* Emoji: disallowed by IDNA2008, accepted by the transitional
             * fallback the way curl and browsers look them up. */
            {"\xf0\x9f\x98\x80.example.com", "xn--e28h.example.com."},
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                char out[256], err[160];
                int rc = hostname_to_alabels(cases[i].in, out, sizeof out, err, sizeof err);
                if (rc != 0)
                        fail_msg("'%s': %s", cases[i].in, err);
                assert_string_equal(out, cases[i].want);
        }
}

static void assert_alabels_fail(const char *in, const char *want)
{
        char out[256], err[160];

        assert_int_equal(hostname_to_alabels(in, out, sizeof out, err, sizeof err), -1);
        if (strstr(err, want) == NULL)
                fail_msg("error for '%s' is \"%s\", expected \"%s\"", in, err, want);
        assert_null(strchr(err, '\n'));
}

static void test_to_alabels_errors(void **state)
{
        assert_alabels_fail("", "'' is not a usable host name: is empty");
        assert_alabels_fail(" . ", "is empty");
        assert_alabels_fail("a..b", "empty label");
        assert_alabels_fail(".a.b", "empty label");
        assert_alabels_fail("a b.example", "'a\\032b.example' is not a usable host name");
        assert_alabels_fail("evil\033[31m.example", "'evil\\027[31m.example'");
        assert_alabels_fail("ab--cd.example", "'ab--cd.example' is not a usable host name");
        assert_alabels_fail("-a.example", "hyphen");
        assert_alabels_fail("xn--zz.example", "punycode");
        assert_alabels_fail("b\xc3\xbc\xe2\x80\xae"
                            "cher.example",
                            "'b\xc3\xbc\\226\\128\\174");
        assert_alabels_fail("b\xff.example", "'b\\255.example'");
        assert_alabels_fail("a\\032b.example",
                            "'a\\\\032b.example' is not a usable host name: has a "
                            "backslash");

        char out[8], err[160];
        assert_int_equal(hostname_to_alabels("mail.example.com", out, sizeof out, err, sizeof err),
                         -1);
        assert_non_null(strstr(err, "too long"));
}

static void test_in_domain(void **state)
{
        assert_true(hostname_in_domain("mail.example.com.", "example.com"));
        assert_true(hostname_in_domain("mail.example.com", "example.com."));
        assert_true(hostname_in_domain("MAIL.Example.COM.", "example.com"));
        assert_true(hostname_in_domain("example.com", "EXAMPLE.com."));
        assert_true(hostname_in_domain("a.b.c.example.com.", "c.example.com"));
        assert_true(hostname_in_domain("mail.example.com.", "com"));
        assert_true(hostname_in_domain("mail.example.com.", "."));
        assert_false(hostname_in_domain("foo-example.com.", "example.com"));
        assert_false(hostname_in_domain("mail.example.com.", "ample.com"));
        assert_false(hostname_in_domain("example.com.", "mail.example.com"));
        assert_false(hostname_in_domain("mail.example.net.", "example.com"));
        assert_false(hostname_in_domain("mail.example.com.evil.", "example.com"));
        /* An escaped dot does not separate labels. */
        assert_false(hostname_in_domain("a\\.example.com.", "example.com"));
        assert_true(hostname_in_domain("a\\\\.example.com.", "example.com"));
        assert_false(hostname_in_domain("example.com\\.", "example.com"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_valid_names),
            cmocka_unit_test(test_escaped_ldh_bytes_allowed),
            cmocka_unit_test(test_not_fqdn),
            cmocka_unit_test(test_empty_and_root),
            cmocka_unit_test(test_label_lengths),
            cmocka_unit_test(test_name_lengths),
            cmocka_unit_test(test_underscore),
            cmocka_unit_test(test_bad_characters),
            cmocka_unit_test(test_malformed_escapes),
            cmocka_unit_test(test_hyphens),
            cmocka_unit_test(test_reserved_rldh),
            cmocka_unit_test(test_numeric_tld_and_ip),
            cmocka_unit_test(test_idn_valid),
            cmocka_unit_test(test_idn_invalid),
            cmocka_unit_test(test_to_alabels),
            cmocka_unit_test(test_to_alabels_errors),
            cmocka_unit_test(test_in_domain),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
