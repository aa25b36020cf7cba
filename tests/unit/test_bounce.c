/* Unit tests for bounce: every sample in tests/bounce/ against the
 * expectations in its header, then hostile input: NUL bytes, 20 MB, a
 * megabyte-long line, random bytes. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <jansson.h>

#include "ptrwiz/bounce.h"

/* ---- the corpus ---- */

struct sample {
        char *data; /* the whole file */
        size_t len;
        const char *body; /* after the header block */
        size_t bodylen;
        char expect[2048]; /* the "# expect:" lines joined with spaces */
};

static char *read_file(const char *path, size_t *len)
{
        FILE *f = fopen(path, "rb");
        char *buf = NULL;
        long n;
        if (f == NULL)
                return NULL;
        if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
            (buf = malloc((size_t)n + 1)) != NULL) {
                *len = fread(buf, 1, (size_t)n, f);
                buf[*len] = '\0';
        }
        fclose(f);
        return buf;
}

/* Header: "# key: value" lines up to the first empty line. */
static bool parse_sample(struct sample *s)
{
        size_t i = 0;
        s->expect[0] = '\0';
        while (i < s->len && s->data[i] == '#') {
                const char *nl = memchr(s->data + i, '\n', s->len - i);
                size_t n = nl ? (size_t)(nl - (s->data + i)) : s->len - i;
                if (n > 9 && strncmp(s->data + i, "# expect:", 9) == 0 &&
                    strlen(s->expect) + n < sizeof s->expect) {
                        strncat(s->expect, s->data + i + 9, n - 9);
                        strcat(s->expect, " ");
                }
                i += n + 1;
        }
        if (i >= s->len || s->data[i] != '\n')
                return s->expect[0] != '\0' && i >= s->len;
        s->body = s->data + i + 1;
        s->bodylen = s->len - i - 1;
        return s->expect[0] != '\0';
}

static bool has_ip(const struct bounce_result *r, const char *ip)
{
        for (size_t i = 0; i < r->nips; i++)
                if (strcmp(r->ips[i].text, ip) == 0)
                        return true;
        return false;
}

/* Compares one key=value; on a mismatch writes why into err. */
static bool check_key(const struct bounce_result *r, const char *key, const char *want, char *err,
                      size_t errlen)
{
        char got[300] = "";
        if (strcmp(key, "reverse_dns") == 0)
                snprintf(got, sizeof got, "%s", r->reverse_dns ? "true" : "false");
        else if (strcmp(key, "class") == 0)
                snprintf(got, sizeof got, "%s", bounce_class_name(r->cls));
        else if (strcmp(key, "problem") == 0)
                snprintf(got, sizeof got, "%s", bounce_problem_name(r->problem));
        else if (strcmp(key, "provider") == 0)
                snprintf(got, sizeof got, "%s", r->provider);
        else if (strcmp(key, "smtp") == 0 && r->smtp_code)
                snprintf(got, sizeof got, "%d", r->smtp_code);
        else if (strcmp(key, "smtp") == 0)
                snprintf(got, sizeof got, "none");
        else if (strcmp(key, "enhanced") == 0)
                snprintf(got, sizeof got, "%s", r->enhanced_code[0] ? r->enhanced_code : "none");
        else if (strcmp(key, "ip") == 0)
                snprintf(got, sizeof got, "%s", r->ip[0] ? r->ip : "none");
        else if (strcmp(key, "truncated") == 0)
                snprintf(got, sizeof got, "%s", r->truncated ? "true" : "false");
        else if (strcmp(key, "how") == 0)
                snprintf(got, sizeof got, "%s", r->ip_how ? r->ip_how : "none");
        else if (strcmp(key, "receiver") == 0)
                snprintf(got, sizeof got, "%s", r->remote_mta ? r->remote_mta : "none");
        else if (strcmp(key, "sending_host") == 0)
                snprintf(got, sizeof got, "%s", r->sending_host ? r->sending_host : "none");
        else if (strcmp(key, "candidate") == 0)
                snprintf(got, sizeof got, "%s",
                         !r->ip[0] && r->sending_host ? r->sending_host : "none");
        else if (strcmp(key, "secondary") == 0)
                snprintf(got, sizeof got, "%s",
                         !r->has_secondary ? "none"
                         : r->secondary_cls != BOUNCE_NOT_REVERSE_DNS
                             ? bounce_class_name(r->secondary_cls)
                             : bounce_problem_name(r->secondary_problem));
        else if (strcmp(key, "receivers") == 0) {
                /* name[/ip][:class] of each receiver, in order, comma-separated */
                char list[512] = "";
                for (size_t i = 0; i < r->nreceivers; i++) {
                        const struct bounce_receiver *rc = &r->receivers[i];
                        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s%s%s:%s",
                                 i ? "," : "", rc->name ? rc->name : "",
                                 rc->name && rc->ip[0] ? "/" : "", rc->ip,
                                 rc->problem == BOUNCE_PROBLEM_REVERSE_DNS
                                     ? bounce_class_name(rc->cls)
                                     : bounce_problem_name(rc->problem));
                }
                if (strcmp(list, want) == 0)
                        return true;
                snprintf(err, errlen, "receivers: want %s, got %s", want, list);
                return false;
        } else if (strcmp(key, "ips") == 0) {
                char list[256];
                snprintf(list, sizeof list, "%s", want);
                for (char *ip = strtok(list, ","); ip; ip = strtok(NULL, ","))
                        if (!has_ip(r, ip)) {
                                snprintf(err, errlen, "ips lacks %s", ip);
                                return false;
                        }
                return true;
        } else if (strcmp(key, "not_ips") == 0) {
                char list[256];
                snprintf(list, sizeof list, "%s", want);
                for (char *ip = strtok(list, ","); ip; ip = strtok(NULL, ","))
                        if (has_ip(r, ip)) {
                                snprintf(err, errlen, "ips has %s, which is no address", ip);
                                return false;
                        }
                return true;
        } else {
                snprintf(err, errlen, "unknown key '%s'", key);
                return false;
        }
        if (strcmp(got, want) == 0)
                return true;
        snprintf(err, errlen, "%s: want %s, got %s", key, want, got);
        return false;
}

/* Every result must also make valid JSON with the documented keys. */
static bool json_ok(const struct bounce_result *r)
{
        static const char *const keys[] = {
            "reverse_dns", "class",      "problem",   "provider",     "smtp_code", "enhanced_code",
            "ip",          "ips",        "ip_reason", "explanation",  "next_step", "truncated",
            "ip_how",      "candidates", "receivers", "sending_host", "secondary"};
        char *text = bounce_result_json(r);
        json_t *j = text ? json_loads(text, 0, NULL) : NULL;
        bool ok = j != NULL && strchr(text, '\n') == NULL;
        for (size_t i = 0; ok && i < sizeof keys / sizeof keys[0]; i++)
                ok = json_object_get(j, keys[i]) != NULL;
        json_decref(j);
        free(text);
        return ok;
}

static int check_sample(const char *dir, const char *name)
{
        char path[4096 + 512];
        struct sample s = {0};
        int failures = 0;

        snprintf(path, sizeof path, "%s/%s", dir, name);
        s.data = read_file(path, &s.len);
        if (s.data == NULL || !parse_sample(&s)) {
                print_message("%s: unreadable or no '# expect:' header\n", name);
                free(s.data);
                return 1;
        }
        struct bounce_result *r = bounce_analyze(s.body, s.bodylen);
        assert_non_null(r);
        assert_non_null(r->explanation);
        assert_non_null(r->next_step);
        assert_non_null(r->ip_reason);

        char *save = NULL;
        for (char *kv = strtok_r(s.expect, " ", &save); kv; kv = strtok_r(NULL, " ", &save)) {
                char *eq = strchr(kv, '=');
                char err[1200];
                if (eq == NULL) {
                        print_message("%s: bad expectation '%s'\n", name, kv);
                        failures++;
                        continue;
                }
                *eq = '\0';
                if (!check_key(r, kv, eq + 1, err, sizeof err)) {
                        print_message("%s: %s (ip_reason: %s)\n", name, err, r->ip_reason);
                        failures++;
                }
        }
        if (!json_ok(r)) {
                print_message("%s: JSON missing or incomplete\n", name);
                failures++;
        }
        bounce_result_free(r);
        free(s.data);
        return failures;
}

static int by_name(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_corpus(void **state)
{
        const char *src = getenv("PTRWIZ_SOURCE_DIR");
        char dir[4096];
        char *names[512];
        size_t n = 0;
        int failures = 0;

        assert_non_null(src);
        snprintf(dir, sizeof dir, "%s/tests/bounce", src);
        DIR *d = opendir(dir);
        assert_non_null(d);
        for (struct dirent *e; (e = readdir(d)) != NULL && n < 512;) {
                size_t len = strlen(e->d_name);
                if (len > 4 && strcmp(e->d_name + len - 4, ".txt") == 0)
                        names[n++] = strdup(e->d_name);
        }
        closedir(d);
        qsort(names, n, sizeof names[0], by_name);
        for (size_t i = 0; i < n; i++) {
                failures += check_sample(dir, names[i]);
                free(names[i]);
        }
        print_message("%zu samples, %d failed expectations\n", n, failures);
        assert_true(n >= 150);
        assert_int_equal(failures, 0);
}

/* ---- hostile input ---- */

static double now_s(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A result that is complete and safe to print, whatever the input. */
static void assert_sane(const struct bounce_result *r)
{
        assert_non_null(r);
        assert_non_null(r->explanation);
        assert_non_null(r->next_step);
        assert_non_null(r->ip_reason);
        assert_true(r->nips <= BOUNCE_MAX_IPS);
        for (const char *p = r->explanation; *p; p++)
                assert_true((unsigned char)*p >= 0x20);
        if (r->reply)
                for (const char *p = r->reply; *p; p++)
                        assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
        assert_true(json_ok(r));
}

static void test_nul_bytes(void **state)
{
        static const char text[] = "550-5.7.25 [192.0.2.7] The IP address sending this message\0"
                                   "\0 does not have a\n550 5.7.25 PTR record setup\0";
        struct bounce_result *r = bounce_analyze(text, sizeof text - 1);
        assert_sane(r);
        assert_true(r->reverse_dns);
        assert_string_equal(r->ip, "192.0.2.7");
        assert_int_equal(r->smtp_code, 550);
        bounce_result_free(r);
}

static void test_empty_and_null(void **state)
{
        struct bounce_result *r = bounce_analyze("", 0);
        assert_sane(r);
        assert_false(r->reverse_dns);
        assert_non_null(r->note);
        bounce_result_free(r);
        r = bounce_analyze(NULL, 5);
        assert_sane(r);
        assert_int_equal(r->analysed, 0);
        bounce_result_free(r);
}

/* 20 MB: a real reply at the start, then filler. Only 1 MiB is analysed,
 * and the result says so. The time is printed, not asserted: a loaded
 * machine (or a sanitizer build) is slow, and ctest's timeout is the hang
 * guard; bench/ measures it. */
static void test_twenty_megabytes(void **state)
{
        const size_t len = 20u * 1024 * 1024;
        static const char head[] = "host mx.example.org[192.0.2.1] said: 450 4.7.1 Client host "
                                   "rejected: cannot find your reverse hostname, [198.51.100.9]\n";
        static const char fill[] = "550 5.7.1 [203.0.113.5] host a.example [192.0.2.9] 2001:db8::1 "
                                   "said: =?utf-8?B?QUJD?= Content-Transfer-Encoding: base64\n";
        char *buf = malloc(len);
        assert_non_null(buf);
        memcpy(buf, head, sizeof head - 1);
        for (size_t i = sizeof head - 1; i < len; i++)
                buf[i] = fill[(i - (sizeof head - 1)) % (sizeof fill - 1)];

        double t0 = now_s();
        struct bounce_result *r = bounce_analyze(buf, len);
        double took = now_s() - t0;
        assert_sane(r);
        assert_true(r->truncated);
        assert_int_equal(r->analysed, BOUNCE_MAX_INPUT);
        assert_true(r->reverse_dns);
        assert_int_equal(r->cls, BOUNCE_PTR_MISSING);
        assert_string_equal(r->ip, "198.51.100.9");
        print_message("20 MB analysed in %.3f s\n", took);
        bounce_result_free(r);
        free(buf);
}

/* One line of a megabyte, full of things that look like addresses and
 * reply codes: every per-token step must stay local. */
static void test_megabyte_line(void **state)
{
        const size_t len = 1024 * 1024;
        static const char unit[] = "host h.example [192.0.2.1] H=x [198.51.100.2] 550-5.7.1 "
                                   "dead::beef:1 Received: from a ([203.0.113.3]) by b ";
        char *buf = malloc(len);
        assert_non_null(buf);
        for (size_t i = 0; i < len; i++)
                buf[i] = unit[i % (sizeof unit - 1)];
        double t0 = now_s();
        struct bounce_result *r = bounce_analyze(buf, len);
        double took = now_s() - t0;
        assert_sane(r);
        assert_false(r->truncated);
        print_message("1 MB line analysed in %.3f s\n", took);
        bounce_result_free(r);
        free(buf);
}

/* A megabyte of returned Received headers, each with addresses on folded
 * lines: the per-address header walk must stay local too. */
static void test_megabyte_of_received(void **state)
{
        const size_t len = 1024 * 1024;
        static const char head[] = "550 5.7.1 no\nContent-Type: message/rfc822\n\n";
        static const char unit[] = "Received: from a.example (a.example [192.0.2.1])\n"
                                   "\tby b.example ([198.51.100.2]) with ESMTP id 1\n"
                                   " (IPv6:2001:db8::3); Tue, 1 Jan 2030 00:00:00 +0000\n";
        char *buf = malloc(len);
        assert_non_null(buf);
        memcpy(buf, head, sizeof head - 1);
        for (size_t i = sizeof head - 1; i < len; i++)
                buf[i] = unit[(i - (sizeof head - 1)) % (sizeof unit - 1)];
        double t0 = now_s();
        struct bounce_result *r = bounce_analyze(buf, len);
        double took = now_s() - t0;
        assert_sane(r);
        /* The returned message's Received headers show how the message came
         * to the reporting server, never the address the receiver refused. */
        assert_string_equal(r->ip, "");
        assert_true(r->nips >= 1 && r->ips[0].role == BOUNCE_IP_SUBMITTER);
        print_message("1 MB of Received headers analysed in %.3f s\n", took);
        bounce_result_free(r);
        free(buf);
}

/* A fixed-seed generator, so a failure can be replayed. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng(void)
{
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        return rng_state;
}

static void test_random_bytes(void **state)
{
        char *buf = malloc(65536);
        assert_non_null(buf);
        for (int round = 0; round < 300; round++) {
                size_t len = (size_t)(rng() % 65536);
                for (size_t i = 0; i < len; i++)
                        buf[i] = (char)(rng() & 0xff);
                struct bounce_result *r = bounce_analyze(buf, len);
                assert_sane(r);
                bounce_result_free(r);
        }
        free(buf);
}

/* Random mixtures of the tokens the parser reacts to: replies, headers,
 * boundaries, encodings, addresses, broken UTF-8. */
static void test_random_tokens(void **state)
{
        static const char *const tokens[] = {"550",
                                             "-",
                                             "5.7.25",
                                             " ",
                                             "\n",
                                             "\r\n",
                                             "    ",
                                             "[",
                                             "]",
                                             "192.0.2.",
                                             "1",
                                             "2001:db8::",
                                             ":",
                                             "host ",
                                             "said: ",
                                             "Received: from ",
                                             " by ",
                                             "H=",
                                             "Diagnostic-Code: smtp; ",
                                             "Content-Transfer-Encoding: base64\n",
                                             "Content-Transfer-Encoding: quoted-printable\n",
                                             "\n\n",
                                             "--b\n",
                                             "=\n",
                                             "=3D",
                                             "Content-Type: message/rfc822\n",
                                             "cannot find your reverse hostname",
                                             "PTR",
                                             ".in-addr.arpa",
                                             "\\n",
                                             "\xc3\xa9",
                                             "\xff\xfe",
                                             "\x1b[31m",
                                             "gsmtp",
                                             "blocked using",
                                             "<<< ",
                                             "Remote-MTA: dns; ",
                                             "IPv6:",
                                             "\0"};
        const size_t ntok = sizeof tokens / sizeof tokens[0];
        char *buf = malloc(1 << 16);
        assert_non_null(buf);
        for (int round = 0; round < 500; round++) {
                size_t len = 0;
                size_t want = (size_t)(rng() % 4000);
                while (len < want) {
                        const char *t = tokens[rng() % ntok];
                        size_t n = t[0] ? strlen(t) : 1;
                        if (len + n > (1 << 16))
                                break;
                        memcpy(buf + len, t, n);
                        len += n;
                }
                struct bounce_result *r = bounce_analyze(buf, len);
                assert_sane(r);
                bounce_result_free(r);
        }
        free(buf);
}

static void test_names(void **state)
{
        assert_string_equal(bounce_class_name(BOUNCE_PTR_MISSING), "ptr_missing");
        assert_string_equal(bounce_class_name(BOUNCE_NOT_REVERSE_DNS), "not_reverse_dns");
        assert_string_equal(bounce_problem_name(BOUNCE_PROBLEM_SPF_DMARC), "spf_dmarc");
        assert_string_equal(bounce_class_name(BOUNCE_CLASS__COUNT), "?");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_names),
            cmocka_unit_test(test_corpus),
            cmocka_unit_test(test_nul_bytes),
            cmocka_unit_test(test_empty_and_null),
            cmocka_unit_test(test_twenty_megabytes),
            cmocka_unit_test(test_megabyte_line),
            cmocka_unit_test(test_megabyte_of_received),
            cmocka_unit_test(test_random_bytes),
            cmocka_unit_test(test_random_tokens),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
