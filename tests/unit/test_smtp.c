/* The smtp module's pure parts: option checks (no bytes that could end an
 * SMTP command early, --server syntax) and the receivers known to check
 * reverse DNS only at the end of DATA. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ptrwiz/smtp.h"

static int check(const char *to, const char *from, const char *helo, const char *server,
                 const char *source)
{
        struct smtp_opts o = {
            .to = to, .from = from, .helo = helo, .server = server, .source = source};
        char err[300];
        return smtp_opts_check(&o, err, sizeof(err));
}

static void test_opts(void **state)
{
        assert_int_equal(check("a@b.example", NULL, NULL, NULL, NULL), 0);
        assert_int_equal(
            check("a@b.example", "", "mail.example.com", "mx.example:2525", "198.18.25.10"), 0);
        assert_int_equal(check("a@b.example", NULL, NULL, "[2001:db8::25]:25", "3fff::1"), 0);
        assert_int_equal(check("a@b.example", NULL, NULL, "2001:db8::25", NULL), 0);
        assert_int_equal(check(NULL, NULL, NULL, NULL, NULL), -1);
        assert_int_equal(check("nobody", NULL, NULL, NULL, NULL), -1);
        assert_int_equal(check("@b.example", NULL, NULL, NULL, NULL), -1);
        /* CR, LF, spaces or brackets would end or extend a command. */
        assert_int_equal(check("a@b.example\r\nDATA", NULL, NULL, NULL, NULL), -1);
        assert_int_equal(check("a@b.example> x", NULL, NULL, NULL, NULL), -1);
        assert_int_equal(check("a@b.example", "x\ny@z", NULL, NULL, NULL), -1);
        assert_int_equal(check("a@b.example", NULL, "mail\r\nQUIT", NULL, NULL), -1);
        assert_int_equal(check("a@b.example", NULL, "", NULL, NULL), -1);
        assert_int_equal(check("a@b.example", NULL, NULL, "mx:0", NULL), -1);
        assert_int_equal(check("a@b.example", NULL, NULL, "mx:99999", NULL), -1);
        assert_int_equal(check("a@b.example", NULL, NULL, "[2001:db8::25", NULL), -1);
        assert_int_equal(check("a@b.example", NULL, NULL, ":25", NULL), -1);
        assert_int_equal(check("a@b.example", NULL, NULL, NULL, "198.18.25"), -1);
}

static void test_rdns_at_data(void **state)
{
        assert_string_equal(smtp_rdns_at_data("aspmx.l.google.com."), "Gmail");
        assert_string_equal(smtp_rdns_at_data("ALT1.ASPMX.L.GOOGLE.COM"), "Gmail");
        assert_string_equal(smtp_rdns_at_data("gmail-smtp-in.l.google.com"), "Gmail");
        assert_null(smtp_rdns_at_data("google.com.example.org."));
        assert_null(smtp_rdns_at_data("notgoogle.com"));
        assert_null(smtp_rdns_at_data("mx-ptr.example.com."));
        assert_null(smtp_rdns_at_data(""));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_opts),
            cmocka_unit_test(test_rdns_at_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
