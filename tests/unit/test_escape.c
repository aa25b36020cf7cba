/* Unit tests for escape: terminal-injection bytes, truncation, UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ptrwiz/escape.h"

/* Escapes len bytes and checks the result and the returned length. */
static void check_escape(const char *in, size_t len, int flags, const char *want)
{
        char out[512];
        size_t need = escape_buf(in, len, flags, out, sizeof out);

        assert_string_equal(out, want);
        assert_int_equal(need, strlen(want));
}

/* Same for a NUL-terminated input. */
static void check_str(const char *in, int flags, const char *want)
{
        check_escape(in, strlen(in), flags, want);
}

static void test_plain_ascii_kept(void **state)
{
        check_str("mail.example.com.", 0, "mail.example.com.");
        check_str("A-z0~!\"#$%&'()*+,/:;<=>?@[]^_`{|}", 0, "A-z0~!\"#$%&'()*+,/:;<=>?@[]^_`{|}");
        assert_true(escape_is_clean("mail.example.com.", 17, 0));
}

static void test_backslash_doubled(void **state)
{
        check_str("a\\b", 0, "a\\\\b");
        check_str("\\032", 0, "\\\\032");
        assert_false(escape_is_clean("a\\b", 3, 0));
}

static void test_space(void **state)
{
        check_str("a b", 0, "a\\032b");
        check_str("a b", ESCAPE_KEEP_SPACE, "a b");
        assert_false(escape_is_clean("a b", 3, 0));
        assert_true(escape_is_clean("a b", 3, ESCAPE_KEEP_SPACE));
}

static void test_csi_color(void **state)
{
        check_str("\033[31mred\033[0m", 0, "\\027[31mred\\027[0m");
        check_str("\033[31mred", ESCAPE_KEEP_SPACE | ESCAPE_KEEP_UTF8, "\\027[31mred");
        assert_false(escape_is_clean("\033[31m", 5, ESCAPE_KEEP_UTF8));
}

static void test_bel_and_osc52(void **state)
{
        check_str("ding\a", 0, "ding\\007");
        /* OSC 52 writes the clipboard on many terminals. */
        check_str("\033]52;c;ZWNobyBwd25lZA==\a", 0, "\\027]52;c;ZWNobyBwd25lZA==\\007");
        /* OSC 0 sets the window title, ended by ST (ESC \). */
        check_str("\033]0;x\033\\", 0, "\\027]0;x\\027\\\\");
}

static void test_shift_out_and_controls(void **state)
{
        check_str("\x0e"
                  "abc\x0f",
                  ESCAPE_KEEP_UTF8, "\\014abc\\015");
        check_str("\t\r\n\b", ESCAPE_KEEP_SPACE, "\\009\\013\\010\\008");
        check_str("\x7f", ESCAPE_KEEP_UTF8, "\\127");
}

static void test_nul_inside(void **state)
{
        check_escape("ab\0cd", 5, 0, "ab\\000cd");
        check_escape("\0", 1, 0, "\\000");
        check_escape("", 0, 0, "");
        check_escape(NULL, 0, 0, "");
        assert_false(escape_is_clean("ab\0cd", 5, 0));
        assert_true(escape_is_clean("ab\0cd", 2, 0));
}

static void test_high_bytes_without_utf8(void **state)
{
        check_str("\x80\xff\xc3\xbc", 0, "\\128\\255\\195\\188");
        check_str("b\xc3\xbc"
                  "cher",
                  0, "b\\195\\188cher");
}

static void test_every_byte(void **state)
{
        for (int b = 0; b < 256; b++) {
                char in = (char)b;
                char out[8];
                size_t need = escape_buf(&in, 1, 0, out, sizeof out);
                if (b == '\\') {
                        assert_string_equal(out, "\\\\");
                } else if (b >= 0x21 && b <= 0x7e) {
                        assert_int_equal(need, 1);
                        assert_int_equal((unsigned char)out[0], b);
                } else {
                        char want[8];
                        snprintf(want, sizeof want, "\\%03d", b);
                        assert_string_equal(out, want);
                }
        }
}

static void test_valid_utf8_kept(void **state)
{
        check_str("b\xc3\xbc"
                  "cher",
                  ESCAPE_KEEP_UTF8,
                  "b\xc3\xbc"
                  "cher");                                                   /* ü */
        check_str("\xe2\x82\xac", ESCAPE_KEEP_UTF8, "\xe2\x82\xac");         /* € */
        check_str("\xf0\x9f\x98\x80", ESCAPE_KEEP_UTF8, "\xf0\x9f\x98\x80"); /* 😀 */
        check_str("\xf4\x8f\xbf\xbd", ESCAPE_KEEP_UTF8, "\xf4\x8f\xbf\xbd"); /* U+10FFFD */
        check_str("\xc2\xa0", ESCAPE_KEEP_UTF8, "\xc2\xa0");                 /* NBSP */
        check_str("\xe4\xb8\xad\xe6\x96\x87 x", ESCAPE_KEEP_UTF8 | ESCAPE_KEEP_SPACE,
                  "\xe4\xb8\xad\xe6\x96\x87 x");
        assert_true(escape_is_clean("b\xc3\xbc"
                                    "cher",
                                    6, ESCAPE_KEEP_UTF8));
        assert_false(escape_is_clean("b\xc3\xbc"
                                     "cher",
                                     6, 0));
}

static void test_invalid_utf8_escaped(void **state)
{
        /* Overlong '/' and overlong NUL. */
        check_str("\xc0\xaf", ESCAPE_KEEP_UTF8, "\\192\\175");
        check_escape("\xc0\x80", 2, ESCAPE_KEEP_UTF8, "\\192\\128");
        check_str("\xe0\x80\xaf", ESCAPE_KEEP_UTF8, "\\224\\128\\175");
        check_str("\xf0\x80\x80\xaf", ESCAPE_KEEP_UTF8, "\\240\\128\\128\\175");
        /* Surrogate U+D800. */
        check_str("\xed\xa0\x80", ESCAPE_KEEP_UTF8, "\\237\\160\\128");
        /* Above U+10FFFF. */
        check_str("\xf4\x90\x80\x80", ESCAPE_KEEP_UTF8, "\\244\\144\\128\\128");
        check_str("\xf5\x80\x80\x80", ESCAPE_KEEP_UTF8, "\\245\\128\\128\\128");
        /* Lone continuation byte, truncated sequence, bad continuation. */
        check_str("\x80", ESCAPE_KEEP_UTF8, "\\128");
        check_str("a\xc3", ESCAPE_KEEP_UTF8, "a\\195");
        check_str("\xe2\x82", ESCAPE_KEEP_UTF8, "\\226\\130");
        check_str("\xc3(", ESCAPE_KEEP_UTF8, "\\195(");
        /* A valid character right after an invalid lead byte survives. */
        check_str("\xc3\xc3\xbc", ESCAPE_KEEP_UTF8, "\\195\xc3\xbc");
        check_str("\xff\xfe", ESCAPE_KEEP_UTF8, "\\255\\254");
}

static void test_c1_controls_escaped(void **state)
{
        /* U+009B is CSI on terminals that honour 8-bit C1. */
        check_str("\xc2\x9b"
                  "31m",
                  ESCAPE_KEEP_UTF8, "\\194\\15531m");
        check_str("\xc2\x80", ESCAPE_KEEP_UTF8, "\\194\\128");
        check_str("\xc2\x9f", ESCAPE_KEEP_UTF8, "\\194\\159");
        check_str("\xc2\xa1", ESCAPE_KEEP_UTF8, "\xc2\xa1"); /* ¡ just above */
}

static void test_bidi_and_invisible_escaped(void **state)
{
        /* U+202E RIGHT-TO-LEFT OVERRIDE: "moc.elpmaxe" shown reversed. */
        check_str("\xe2\x80\xae"
                  "moc",
                  ESCAPE_KEEP_UTF8, "\\226\\128\\174moc");
        check_str("\xe2\x80\xaa", ESCAPE_KEEP_UTF8, "\\226\\128\\170"); /* U+202A */
        check_str("\xe2\x81\xa6", ESCAPE_KEEP_UTF8, "\\226\\129\\166"); /* U+2066 */
        check_str("\xe2\x81\xa9", ESCAPE_KEEP_UTF8, "\\226\\129\\169"); /* U+2069 */
        check_str("\xe2\x80\x8b", ESCAPE_KEEP_UTF8, "\\226\\128\\139"); /* U+200B */
        check_str("\xe2\x80\x8f", ESCAPE_KEEP_UTF8, "\\226\\128\\143"); /* U+200F */
        check_str("\xef\xbb\xbf", ESCAPE_KEEP_UTF8, "\\239\\187\\191"); /* U+FEFF */
        check_str("\xe2\x80\xa8", ESCAPE_KEEP_UTF8, "\\226\\128\\168"); /* U+2028 */
        /* Neighbours that are fine. */
        check_str("\xe2\x80\x90", ESCAPE_KEEP_UTF8, "\xe2\x80\x90"); /* U+2010 hyphen */
        check_str("\xe2\x80\xaf", ESCAPE_KEEP_UTF8, "\xe2\x80\xaf"); /* U+202F */
        check_str("\xe2\x81\xb0", ESCAPE_KEEP_UTF8, "\xe2\x81\xb0"); /* U+2070 */
        assert_false(escape_is_clean("\xe2\x80\xae", 3, ESCAPE_KEEP_UTF8));
}

/* True when offset w of an escaped string falls between two units: an
 * escape (\\\\ or \\DDD), a UTF-8 character or one ASCII byte. */
static bool is_unit_boundary(const char *s, size_t w)
{
        size_t i = 0;

        while (i < w) {
                unsigned char c = (unsigned char)s[i];
                if (c == '\\')
                        i += s[i + 1] == '\\' ? 2 : 4;
                else if (c >= 0xf0)
                        i += 4;
                else if (c >= 0xe0)
                        i += 3;
                else if (c >= 0xc0)
                        i += 2;
                else
                        i += 1;
        }
        return i == w;
}

/* Every outlen from 0 to the full size: NUL-terminated, never past outlen,
 * a prefix of the full result that does not split an escape or a character,
 * and the return value is always the full length. */
static void check_truncation(const char *in, size_t len, int flags)
{
        char full[256];
        size_t need = escape_buf(in, len, flags, full, sizeof full);
        assert_true(need < sizeof full);

        for (size_t outlen = 0; outlen <= need + 1; outlen++) {
                char buf[260];
                memset(buf, 'Z', sizeof buf);
                size_t got = escape_buf(in, len, flags, buf, outlen);
                assert_int_equal(got, need);
                for (size_t i = outlen; i < sizeof buf; i++)
                        assert_int_equal(buf[i], 'Z');
                if (outlen == 0)
                        continue;
                size_t w = strlen(buf);
                assert_true(w < outlen);
                assert_memory_equal(buf, full, w);
                assert_true(is_unit_boundary(full, w));
        }
}

static void test_truncation_every_outlen(void **state)
{
        check_truncation("\033[31mred\033[0m", 12, 0);
        check_truncation("a\\b\\c", 5, 0);
        check_truncation("ab\0cd\x7f", 6, 0);
        check_truncation("b\xc3\xbc"
                         "cher \xf0\x9f\x98\x80!",
                         13, ESCAPE_KEEP_UTF8);
        check_truncation("x y\xe2\x80\xae", 6, ESCAPE_KEEP_UTF8 | ESCAPE_KEEP_SPACE);
        check_truncation("plain", 5, 0);
}

static void test_truncation_exact(void **state)
{
        char buf[8];

        assert_int_equal(escape_buf("\033x", 2, 0, buf, 4), 5);
        assert_string_equal(buf, ""); /* "\027" does not fit whole */
        assert_int_equal(escape_buf("\033x", 2, 0, buf, 5), 5);
        assert_string_equal(buf, "\\027");
        assert_int_equal(escape_buf("\033x", 2, 0, buf, 6), 5);
        assert_string_equal(buf, "\\027x");
        /* Once a unit does not fit, later smaller units are not written. */
        assert_int_equal(escape_buf("a\033b", 3, 0, buf, 4), 6);
        assert_string_equal(buf, "a");
        assert_int_equal(escape_buf("abc", 3, 0, NULL, 0), 3);
}

static void test_dup(void **state)
{
        const char *evil = "evil\033]52;c;AA==\a.example.";
        char *s = escape_dup(evil, strlen(evil), ESCAPE_KEEP_UTF8);

        assert_non_null(s);
        assert_string_equal(s, "evil\\027]52;c;AA==\\007.example.");
        free(s);
        s = escape_dup("", 0, 0);
        assert_non_null(s);
        assert_string_equal(s, "");
        free(s);
}

/* Markdown: the text renders as itself. */
static void check_md(const char *in, size_t len, const char *want)
{
        char out[512];
        size_t need = escape_markdown(in, len, out, sizeof out);

        assert_string_equal(out, want);
        assert_int_equal(need, strlen(want));
}

static void check_md_str(const char *in, const char *want)
{
        check_md(in, strlen(in), want);
}

static void test_md_plain_kept(void **state)
{
        check_md_str("mail.example.com.", "mail.example.com.");
        check_md_str("198.18.2.25 has no PTR record (rcode NXDOMAIN).",
                     "198.18.2.25 has no PTR record (rcode NXDOMAIN).");
        check_md_str("a - b, 1. c = d + e", "a - b, 1. c = d + e");
        check_md_str("b\xc3\xbc"
                     "cher",
                     "b\xc3\xbc"
                     "cher");
}

static void test_md_html(void **state)
{
        check_md_str("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>");
        check_md_str("<!-- hidden -->", "\\<\\!-- hidden --\\>");
        check_md_str("&lt;b&gt; &#x41;", "\\&lt;b\\&gt; \\&\\#x41;");
        check_md_str("<https://evil.example/>", "\\<https://evil.example/\\>");
}

static void test_md_links_and_emphasis(void **state)
{
        check_md_str("[click](http://evil.example/)", "\\[click\\](http://evil.example/)");
        check_md_str("![i](http://e/x.png)", "\\!\\[i\\](http://e/x.png)");
        check_md_str("[x]: http://evil.example/", "\\[x\\]: http://evil.example/");
        check_md_str("**bold** _it_ `code`", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`");
        check_md_str("a|b ~~s~~ $x$ @admin", "a\\|b \\~\\~s\\~\\~ \\$x\\$ \\@admin");
}

static void test_md_block_markers(void **state)
{
        check_md_str("# Heading", "\\# Heading");
        check_md_str("> quote", "\\> quote");
        check_md_str("- item", "\\- item");
        check_md_str("+ item", "\\+ item");
        check_md_str("---", "\\---");
        check_md_str("===", "\\===");
        check_md_str("   - three spaces", "   \\- three spaces");
        check_md_str("1. first", "1\\. first");
        check_md_str("12) twelfth", "12\\) twelfth");
        check_md_str("1.", "1\\.");
        check_md_str("1234567890. too long for a list", "1234567890. too long for a list");
        check_md_str("```", "\\`\\`\\`");
        check_md_str("~~~", "\\~\\~\\~");
}

/* Display text keeps its escapes visible: "\027" shows as \027. */
static void test_md_backslash(void **state)
{
        check_md_str("evil\\027[31mred\\007.", "evil\\\\027\\[31mred\\\\007.");
        check_md_str("a\\\\b", "a\\\\\\\\b");
        check_md_str("ends with \\", "ends with \\\\");
}

/* Bytes a terminal must not get become \DDD (shown, so the backslash doubles). */
static void test_md_controls(void **state)
{
        check_md("a\033b\a\x9b\0\x0e\n\tz", 10,
                 "a\\\\027b\\\\007\\\\155\\\\000\\\\014\\\\010\\\\009z");
        check_md_str("\xc2\x9b"
                     "31m",
                     "\\\\194\\\\15531m");
        check_md_str("\xe2\x80\xae"
                     "moc",
                     "\\\\226\\\\128\\\\174moc");
        check_md("", 0, "");
}

static void test_md_truncation(void **state)
{
        char buf[8];

        assert_int_equal(escape_markdown("<ab", 3, buf, 2), 4);
        assert_string_equal(buf, ""); /* "\<" does not fit whole */
        assert_int_equal(escape_markdown("<ab", 3, buf, 3), 4);
        assert_string_equal(buf, "\\<");
        assert_int_equal(escape_markdown("\033", 1, buf, 5), 5);
        assert_string_equal(buf, "");
        assert_int_equal(escape_markdown("<ab", 3, NULL, 0), 4);
}

static void test_md_dup(void **state)
{
        char *s = escape_markdown_dup("[x](y) <b>", 10);

        assert_non_null(s);
        assert_string_equal(s, "\\[x\\](y) \\<b\\>");
        free(s);
}

static void test_fence_len(void **state)
{
        assert_int_equal(escape_fence_len("", 0), 3);
        assert_int_equal(escape_fence_len("plain", 5), 3);
        assert_int_equal(escape_fence_len("``", 2), 3);
        assert_int_equal(escape_fence_len("```", 3), 4);
        assert_int_equal(escape_fence_len("a ```` b ``", 11), 5);
        assert_int_equal(escape_fence_len("`````````", 9), 10);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_plain_ascii_kept),
            cmocka_unit_test(test_backslash_doubled),
            cmocka_unit_test(test_space),
            cmocka_unit_test(test_csi_color),
            cmocka_unit_test(test_bel_and_osc52),
            cmocka_unit_test(test_shift_out_and_controls),
            cmocka_unit_test(test_nul_inside),
            cmocka_unit_test(test_high_bytes_without_utf8),
            cmocka_unit_test(test_every_byte),
            cmocka_unit_test(test_valid_utf8_kept),
            cmocka_unit_test(test_invalid_utf8_escaped),
            cmocka_unit_test(test_c1_controls_escaped),
            cmocka_unit_test(test_bidi_and_invisible_escaped),
            cmocka_unit_test(test_truncation_every_outlen),
            cmocka_unit_test(test_truncation_exact),
            cmocka_unit_test(test_dup),
            cmocka_unit_test(test_md_plain_kept),
            cmocka_unit_test(test_md_html),
            cmocka_unit_test(test_md_links_and_emphasis),
            cmocka_unit_test(test_md_block_markers),
            cmocka_unit_test(test_md_backslash),
            cmocka_unit_test(test_md_controls),
            cmocka_unit_test(test_md_truncation),
            cmocka_unit_test(test_md_dup),
            cmocka_unit_test(test_fence_len),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
