/* smtp: one delivery test, a state machine on the poll loop (see smtp.h). */
#include "ptrwiz/smtp.h"

#include <errno.h>
#include <jansson.h>
#include <ldns/ldns.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ptrwiz/escape.h"
#include "ptrwiz/loop.h"

#define SMTP_MAX_MX    5           /* MX hosts tried, in preference order */
#define SMTP_MAX_CANDS 16          /* addresses tried */
#define SMTP_MAX_IN    (64 * 1024) /* a reply bigger than this is a protocol error */
#define SMTP_MAX_LINES 2000        /* transcript lines kept */

enum state {
        ST_RESOLVE,
        ST_CONNECT,
        ST_BANNER,
        ST_EHLO,
        ST_HELO,
        ST_STARTTLS,
        ST_TLS,
        ST_EHLO_TLS,
        ST_MAIL,
        ST_RCPT,
        ST_DATA,
        ST_BODY,
        ST_QUIT,
};

struct cand {
        char host[256]; /* as printed, with the final dot when it came from DNS */
        struct addr addr;
};

struct mxhost {
        char name[256];
        int pref;
        long qa, qaaaa; /* pending queries, 0 when answered */
        struct resolver_answer *a, *aaaa;
};

struct smtp_test {
        struct resolver *r;
        struct loop *lp;
        struct smtp_opts o;
        smtp_done_cb cb;
        void *arg;
        struct smtp_result *res;
        enum state st;
        char helo[256], from[320], domain[256];
        int port;
        bool have_source;
        struct addr source;
        int family; /* the receiver addresses tried: the source's, -4/-6's, or 0 (both) */
        long mxq;
        struct mxhost mx[SMTP_MAX_MX];
        int nmx;
        struct cand cands[SMTP_MAX_CANDS];
        int ncands, cur;
        int fd;
        long timer;
        SSL_CTX *ctx;
        SSL *ssl;
        bool tls_want_write;
        char in[SMTP_MAX_IN];
        size_t inlen;
        char *out;
        size_t outlen, outoff;
        char reply[4096]; /* the current reply, lines joined */
        int reply_code;
        bool offers_starttls;
        bool tls_failed; /* a handshake failed: the next connection skips STARTTLS */
        bool decided;    /* the verdict is set; what follows is QUIT */
        bool finished;   /* torn down; the result goes out from the loop */
        int64_t t0;
};

static void finish(struct smtp_test *t);
static void next_candidate(struct smtp_test *t);
static void on_io(int fd, short revents, void *arg);

const char *smtp_verdict_name(enum smtp_verdict v)
{
        switch (v) {
        case SMTP_ACCEPTED:
                return "accepted";
        case SMTP_REJECTED_RDNS:
                return "rejected_reverse_dns";
        case SMTP_REJECTED_OTHER:
                return "rejected_other";
        case SMTP_NO_CONNECTION:
                return "no_connection";
        }
        return "unknown";
}

/* ---------------------------------------------------------------- transcript */

static void line_add(struct smtp_test *t, enum smtp_dir dir, const char *raw, size_t len)
{
        struct smtp_result *res = t->res;
        if (res->nlines >= SMTP_MAX_LINES)
                return;
        char *text = escape_dup(raw, len, ESCAPE_KEEP_SPACE);
        struct smtp_line *nl = text ? realloc(res->lines, (res->nlines + 1) * sizeof(*nl)) : NULL;
        if (!nl) {
                free(text);
                return;
        }
        res->lines = nl;
        res->lines[res->nlines] = (struct smtp_line){dir, text};
        if (t->o.on_line)
                t->o.on_line(t->o.line_arg, &res->lines[res->nlines]);
        res->nlines++;
}

/* A remark; fmt's arguments are escaped here as part of the whole line. */
static void note(struct smtp_test *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct smtp_test *t, const char *fmt, ...)
{
        char buf[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        line_add(t, SMTP_NOTE, buf, strlen(buf));
}

static void set_str(char **dst, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_str(char **dst, const char *fmt, ...)
{
        char buf[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        free(*dst);
        *dst = escape_dup(buf, strlen(buf), ESCAPE_KEEP_SPACE | ESCAPE_KEEP_UTF8);
}

/* Ends without a connection worth a verdict. */
static void fail(struct smtp_test *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct smtp_test *t, const char *fmt, ...)
{
        if (t->finished)
                return;
        char buf[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        t->res->verdict = SMTP_NO_CONNECTION;
        set_str(&t->res->error, "%s", buf);
        note(t, "%s", buf);
        finish(t);
}

/* ---------------------------------------------------------------- options */

/* An address for MAIL FROM / RCPT TO: printable, no spaces or brackets,
 * local@domain (the null sender is spelled ""). */
static bool mailbox_ok(const char *s, bool need_domain)
{
        const char *at = strrchr(s, '@');
        for (const char *p = s; *p; p++)
                if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == '<' ||
                    *p == '>')
                        return false;
        if (!need_domain)
                return true;
        return at && at != s && at[1] && strlen(s) < 320;
}

static bool helo_ok(const char *s)
{
        if (!s[0] || strlen(s) > 255)
                return false;
        for (const char *p = s; *p; p++)
                if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
                        return false;
        return true;
}

/* HOST[:PORT], [IPv6]:PORT or a bare IPv6 address. */
static int parse_server(const char *s, char *host, size_t hostlen, int *port)
{
        const char *colon = NULL;
        const char *h = s;
        size_t hl;
        *port = 25;
        if (s[0] == '[') {
                const char *close = strchr(s, ']');
                if (!close)
                        return -1;
                h = s + 1;
                hl = (size_t)(close - h);
                if (close[1] == ':')
                        colon = close + 1;
                else if (close[1])
                        return -1;
        } else {
                colon = strchr(s, ':');
                if (colon && strchr(colon + 1, ':'))
                        colon = NULL; /* a bare IPv6 address */
                hl = colon ? (size_t)(colon - s) : strlen(s);
        }
        if (hl == 0 || hl >= hostlen)
                return -1;
        memcpy(host, h, hl);
        host[hl] = '\0';
        for (const char *p = host; *p; p++)
                if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
                        return -1;
        if (colon) {
                char *end = NULL;
                long p = strtol(colon + 1, &end, 10);
                if (end == colon + 1 || *end || p < 1 || p > 65535)
                        return -1;
                *port = (int)p;
        }
        return 0;
}

int smtp_opts_check(const struct smtp_opts *o, char *err, size_t errlen)
{
        char shown[128], host[256];
        int port;
        struct addr a;
        if (!o->to || !mailbox_ok(o->to, true)) {
                const char *v = o->to ? o->to : "";
                escape_buf(v, strlen(v), 0, shown, sizeof(shown));
                snprintf(err, errlen, "--to: '%s' is not an address (local@domain)", shown);
                return -1;
        }
        if (o->from && !mailbox_ok(o->from, false)) {
                escape_buf(o->from, strlen(o->from), 0, shown, sizeof(shown));
                snprintf(err, errlen, "--from: '%s' is not an address", shown);
                return -1;
        }
        if (o->helo && !helo_ok(o->helo)) {
                escape_buf(o->helo, strlen(o->helo), 0, shown, sizeof(shown));
                snprintf(err, errlen, "--helo: '%s' is not a name (no spaces or control bytes)",
                         shown);
                return -1;
        }
        if (o->server && parse_server(o->server, host, sizeof(host), &port) < 0) {
                escape_buf(o->server, strlen(o->server), 0, shown, sizeof(shown));
                snprintf(err, errlen, "--server: '%s' is not HOST[:PORT]", shown);
                return -1;
        }
        if (o->source && addr_parse(o->source, &a, shown, sizeof(shown)) < 0) {
                char v[128];
                escape_buf(o->source, strlen(o->source), 0, v, sizeof(v));
                snprintf(err, errlen, "--source: '%s' is not an IP address", v);
                return -1;
        }
        if (o->source && o->family && a.family != o->family) {
                snprintf(err, errlen, "%s with an %s --source: the source decides the family",
                         o->family == AF_INET6 ? "-6" : "-4",
                         a.family == AF_INET6 ? "IPv6" : "IPv4");
                return -1;
        }
        return 0;
}

/* ---------------------------------------------------------------- I/O */

static void arm_timer(struct smtp_test *t);

static void watch(struct smtp_test *t, short events)
{
        loop_watch(t->lp, t->fd, events, on_io, t);
}

static void close_conn(struct smtp_test *t)
{
        if (t->ssl) {
                SSL_free(t->ssl);
                t->ssl = NULL;
        }
        if (t->fd >= 0) {
                loop_unwatch(t->lp, t->fd);
                close(t->fd);
                t->fd = -1;
        }
        t->inlen = 0;
        free(t->out);
        t->out = NULL;
        t->outlen = t->outoff = 0;
}

/* Writes what is queued; true when all of it is out. */
static bool flush_out(struct smtp_test *t)
{
        while (t->outoff < t->outlen) {
                size_t left = t->outlen - t->outoff;
                ssize_t n;
                if (t->ssl) {
                        int w = SSL_write(t->ssl, t->out + t->outoff, (int)left);
                        if (w <= 0) {
                                int e = SSL_get_error(t->ssl, w);
                                if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) {
                                        t->tls_want_write = e == SSL_ERROR_WANT_WRITE;
                                        return false;
                                }
                                return false;
                        }
                        n = w;
                } else {
                        n = send(t->fd, t->out + t->outoff, left, MSG_NOSIGNAL);
                        if (n < 0)
                                return false;
                }
                t->outoff += (size_t)n;
        }
        return true;
}

/* Queues one command (CRLF added) and shows it. */
static void send_cmd(struct smtp_test *t, const char *cmd, bool show)
{
        size_t len = strlen(cmd);
        char *nb = realloc(t->out, t->outlen + len + 2);
        if (!nb) {
                fail(t, "out of memory");
                return;
        }
        t->out = nb;
        memcpy(t->out + t->outlen, cmd, len);
        memcpy(t->out + t->outlen + len, "\r\n", 2);
        t->outlen += len + 2;
        if (show)
                line_add(t, SMTP_SENT, cmd, len);
        t->reply[0] = '\0';
        t->reply_code = 0;
        arm_timer(t);
        flush_out(t);
        watch(t, POLLIN | (t->outoff < t->outlen ? POLLOUT : 0));
}

static void on_timeout(void *arg)
{
        struct smtp_test *t = arg;
        t->timer = 0;
        int secs = (t->o.timeout_ms + 999) / 1000;
        if (t->st == ST_CONNECT) {
                note(t, "no connection to %s [%s] within %d s", t->cands[t->cur].host,
                     t->res->server_ip, secs);
                close_conn(t);
                t->cur++;
                next_candidate(t);
                return;
        }
        if (t->decided) { /* only QUIT was left */
                finish(t);
                return;
        }
        fail(t, "no reply from %s within %d s", t->res->server_ip, secs);
}

static void arm_timer(struct smtp_test *t)
{
        if (t->timer)
                loop_timer_cancel(t->lp, t->timer);
        t->timer = loop_timer_add(t->lp, t->o.timeout_ms, on_timeout, t);
}

/* ---------------------------------------------------------------- verdict */

/* Receivers that check the PTR only after the message (Gmail's 5.7.25 comes
 * at the end of DATA): a pass at RCPT TO says little there. */
const char *smtp_rdns_at_data(const char *host)
{
        static const struct {
                const char *suffix, *who;
        } known[] = {{".google.com", "Gmail"}, {".googlemail.com", "Gmail"}};
        char h[256];
        snprintf(h, sizeof(h), "%s", host);
        size_t n = strlen(h);
        if (n && h[n - 1] == '.')
                h[--n] = '\0';
        for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
                size_t sl = strlen(known[i].suffix);
                if (n >= sl && strcasecmp(h + n - sl, known[i].suffix) == 0)
                        return known[i].who;
        }
        return NULL;
}

static void decide_rejected(struct smtp_test *t, const char *stage)
{
        struct smtp_result *res = t->res;
        res->stage = stage;
        res->code = t->reply_code;
        res->reply = escape_dup(t->reply, strlen(t->reply), ESCAPE_KEEP_SPACE);
        struct bounce_result *b = bounce_analyze(t->reply, strlen(t->reply));
        if (b) {
                res->cls = b->cls;
                res->problem = b->problem;
                res->provider_name = strcmp(b->provider, "unknown") ? b->provider_name : NULL;
                snprintf(res->enhanced_code, sizeof(res->enhanced_code), "%s", b->enhanced_code);
        }
        char code[64];
        snprintf(code, sizeof(code), "%s%s%d%s%s", res->provider_name ? res->provider_name : "",
                 res->provider_name ? " " : "", res->code, res->enhanced_code[0] ? " " : "",
                 res->enhanced_code);
        if (b && b->reverse_dns) {
                res->verdict = SMTP_REJECTED_RDNS;
                set_str(&res->summary, "the receiver still rejects for reverse DNS (%s at %s): %s",
                        code, stage, bounce_class_meaning(b->cls));
        } else {
                res->verdict = SMTP_REJECTED_OTHER;
                set_str(&res->summary, "rejected for something else (%s at %s): %s", code, stage,
                        b && b->problem != BOUNCE_PROBLEM_UNKNOWN
                            ? bounce_problem_meaning(b->problem)
                            : "not a reverse DNS reply; see the server's words above");
        }
        bounce_result_free(b);
        t->decided = true;
}

static void decide_accepted(struct smtp_test *t, const char *stage)
{
        struct smtp_result *res = t->res;
        res->verdict = SMTP_ACCEPTED;
        res->stage = stage;
        res->code = t->reply_code;
        res->reply = escape_dup(t->reply, strlen(t->reply), ESCAPE_KEEP_SPACE);
        const char *sp = strchr(t->reply, ' ');
        if (sp && sp[1] >= '2' && sp[1] <= '5' && sp[2] == '.')
                snprintf(res->enhanced_code, sizeof(res->enhanced_code), "%.*s",
                         (int)strcspn(sp + 1, " "), sp + 1);
        set_str(&res->summary, "accepted: the reverse DNS check passes now (%d at %s)", res->code,
                stage);
        const char *who = smtp_rdns_at_data(t->cands[t->cur].host);
        res->rdns_at_data = who != NULL;
        if (who && !t->o.data)
                set_str(&res->note,
                        "%s checks reverse DNS only at the end of DATA: a pass at RCPT TO is "
                        "not the whole answer; run again with --data to send a short test "
                        "message",
                        who);
        t->decided = true;
}

static void quit(struct smtp_test *t)
{
        t->st = ST_QUIT;
        send_cmd(t, "QUIT", true);
}

/* ---------------------------------------------------------------- replies */

static void send_ehlo(struct smtp_test *t, enum state st)
{
        char cmd[300];
        t->st = st;
        t->offers_starttls = false;
        snprintf(cmd, sizeof(cmd), "%s %s", st == ST_HELO ? "HELO" : "EHLO", t->helo);
        send_cmd(t, cmd, true);
}

static void send_mail(struct smtp_test *t)
{
        char cmd[400];
        t->st = ST_MAIL;
        snprintf(cmd, sizeof(cmd), "MAIL FROM:<%s>", t->from);
        send_cmd(t, cmd, true);
}

static void send_body(struct smtp_test *t)
{
        char date[64], body[2048];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
        snprintf(body, sizeof(body),
                 "From: <%s>\r\nTo: <%s>\r\nSubject: ptrwiz delivery test\r\nDate: %s\r\n"
                 "Message-ID: <ptrwiz.%lld.%d@%s>\r\nAuto-Submitted: auto-generated\r\n"
                 "\r\nThis is a delivery test sent by ptrwiz smtp-test, to see whether this\r\n"
                 "receiver accepts mail from the sending server's address (its reverse\r\n"
                 "DNS). It needs no answer and can be deleted.\r\n.",
                 t->from, t->o.to, date, (long long)now, (int)getpid(), t->helo);
        t->st = ST_BODY;
        note(t, "(the test message: headers From, To, Subject: ptrwiz delivery test, and "
                "three lines saying what it is)");
        send_cmd(t, body, false);
}

static void start_tls(struct smtp_test *t);

/* A whole reply is in t->reply with its code. */
static void on_reply(struct smtp_test *t)
{
        int c = t->reply_code;
        switch (t->st) {
        case ST_BANNER:
                if (c == 220) {
                        send_ehlo(t, ST_EHLO);
                        return;
                }
                decide_rejected(t, "connect");
                quit(t);
                return;
        case ST_EHLO:
        case ST_EHLO_TLS:
                if (c == 250) {
                        if (t->st == ST_EHLO && t->offers_starttls && !t->tls_failed) {
                                t->st = ST_STARTTLS;
                                send_cmd(t, "STARTTLS", true);
                                return;
                        }
                        if (t->st == ST_EHLO && t->offers_starttls)
                                note(t, "not asking for STARTTLS again: its handshake failed");
                        send_mail(t);
                        return;
                }
                if (c >= 500 && c != 554 && t->st == ST_EHLO) {
                        send_ehlo(t, ST_HELO);
                        return;
                }
                decide_rejected(t, "EHLO");
                quit(t);
                return;
        case ST_HELO:
                if (c == 250) {
                        send_mail(t);
                        return;
                }
                decide_rejected(t, "HELO");
                quit(t);
                return;
        case ST_STARTTLS:
                if (c == 220) {
                        start_tls(t);
                        return;
                }
                note(t, "STARTTLS refused: going on without encryption");
                send_mail(t);
                return;
        case ST_MAIL:
                if (c == 250) {
                        char cmd[400];
                        t->st = ST_RCPT;
                        snprintf(cmd, sizeof(cmd), "RCPT TO:<%s>", t->o.to);
                        send_cmd(t, cmd, true);
                        return;
                }
                decide_rejected(t, "MAIL FROM");
                quit(t);
                return;
        case ST_RCPT:
                if (c == 250 || c == 251) {
                        if (t->o.data) {
                                t->st = ST_DATA;
                                send_cmd(t, "DATA", true);
                                return;
                        }
                        decide_accepted(t, "RCPT TO");
                        quit(t);
                        return;
                }
                decide_rejected(t, "RCPT TO");
                quit(t);
                return;
        case ST_DATA:
                if (c == 354) {
                        send_body(t);
                        return;
                }
                decide_rejected(t, "DATA");
                quit(t);
                return;
        case ST_BODY:
                if (c == 250)
                        decide_accepted(t, "end of DATA");
                else
                        decide_rejected(t, "end of DATA");
                quit(t);
                return;
        case ST_QUIT:
                finish(t);
                return;
        default:
                return;
        }
}

/* Splits what was read into lines; each complete reply goes to on_reply.
 * Returns false when the test ended. */
static bool parse_input(struct smtp_test *t)
{
        size_t start = 0;
        for (;;) {
                char *nl = memchr(t->in + start, '\n', t->inlen - start);
                if (!nl)
                        break;
                size_t len = (size_t)(nl - (t->in + start));
                const char *line = t->in + start;
                start += len + 1;
                if (len && line[len - 1] == '\r')
                        len--;
                line_add(t, SMTP_RECEIVED, line, len);
                bool code_ok = len >= 3 && line[0] >= '2' && line[0] <= '5' && line[1] >= '0' &&
                               line[1] <= '9' && line[2] >= '0' && line[2] <= '9' &&
                               (len == 3 || line[3] == ' ' || line[3] == '-');
                if (!code_ok) {
                        fail(t, "not an SMTP reply from %s", t->res->server_ip);
                        return false;
                }
                size_t have = strlen(t->reply);
                if (have + len + 2 < sizeof(t->reply))
                        snprintf(t->reply + have, sizeof(t->reply) - have, "%s%.*s",
                                 have ? " " : "", (int)len, line);
                t->reply_code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
                if ((t->st == ST_EHLO || t->st == ST_EHLO_TLS) && len >= 12 &&
                    strncasecmp(line + 4, "STARTTLS", 8) == 0 && (len == 12 || line[12] == ' '))
                        t->offers_starttls = true;
                if (len > 3 && line[3] == '-')
                        continue;
                enum state before = t->st;
                on_reply(t);
                if (t->finished)
                        return false;
                if (before == ST_STARTTLS && (t->ssl || t->tls_failed)) {
                        /* Nothing sent before the handshake may count after it, nor
                         * on the connection that replaced a failed one. */
                        t->inlen = 0;
                        return t->ssl != NULL;
                }
        }
        memmove(t->in, t->in + start, t->inlen - start);
        t->inlen -= start;
        return true;
}

static void read_input(struct smtp_test *t)
{
        for (;;) {
                if (t->inlen == sizeof(t->in)) {
                        fail(t, "a reply longer than %d bytes from %s", SMTP_MAX_IN,
                             t->res->server_ip);
                        return;
                }
                ssize_t n;
                if (t->ssl) {
                        int r = SSL_read(t->ssl, t->in + t->inlen, (int)(sizeof(t->in) - t->inlen));
                        if (r <= 0) {
                                int e = SSL_get_error(t->ssl, r);
                                if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
                                        return;
                                n = 0;
                        } else {
                                n = r;
                        }
                } else {
                        n = recv(t->fd, t->in + t->inlen, sizeof(t->in) - t->inlen, 0);
                        if (n < 0 && (errno == EAGAIN || errno == EINTR))
                                return;
                }
                if (n <= 0) {
                        if (t->decided) {
                                finish(t);
                                return;
                        }
                        fail(t, "%s closed the connection%s%s", t->res->server_ip,
                             n < 0 ? ": " : "", n < 0 ? strerror(errno) : "");
                        return;
                }
                t->inlen += (size_t)n;
                arm_timer(t);
                if (!parse_input(t))
                        return;
                if (t->st == ST_TLS)
                        return;
        }
}

/* ---------------------------------------------------------------- TLS */

static void tls_step(struct smtp_test *t)
{
        int r = SSL_connect(t->ssl);
        if (r == 1) {
                X509 *cert = SSL_get1_peer_certificate(t->ssl);
                long v = SSL_get_verify_result(t->ssl);
                char info[512];
                snprintf(info, sizeof(info), "%s %s, certificate %s%s%s", SSL_get_version(t->ssl),
                         SSL_get_cipher_name(t->ssl),
                         !cert            ? "none"
                         : v == X509_V_OK ? "verified"
                                          : "not verified (",
                         cert && v != X509_V_OK ? X509_verify_cert_error_string(v) : "",
                         cert && v != X509_V_OK ? ")" : "");
                X509_free(cert);
                t->res->tls = true;
                set_str(&t->res->tls_info, "%s", info);
                note(t, "TLS: %s", info);
                send_ehlo(t, ST_EHLO_TLS);
                return;
        }
        int e = SSL_get_error(t->ssl, r);
        if (e == SSL_ERROR_WANT_READ) {
                watch(t, POLLIN);
                return;
        }
        if (e == SSL_ERROR_WANT_WRITE) {
                watch(t, POLLOUT);
                return;
        }
        char why[256];
        unsigned long code = ERR_get_error();
        if (code)
                ERR_error_string_n(code, why, sizeof(why));
        else
                snprintf(why, sizeof(why), "the connection ended");
        ERR_clear_error();
        if (t->tls_failed) {
                fail(t, "the TLS handshake with %s failed: %s", t->res->server_ip, why);
                return;
        }
        /* Opportunistic TLS, as Postfix and Exim do it: a broken STARTTLS
         * is no reason not to deliver, so try once more in the clear. */
        t->tls_failed = true;
        set_str(&t->res->tls_info, "the handshake failed (%s); sent without TLS", why);
        note(t,
             "the TLS handshake with %s failed: %s; connecting again without STARTTLS, as an "
             "MTA with opportunistic TLS does",
             t->res->server_ip, why);
        close_conn(t);
        next_candidate(t);
}

static void start_tls(struct smtp_test *t)
{
        if (!t->ctx) {
                t->ctx = SSL_CTX_new(TLS_client_method());
                if (t->ctx) {
                        /* Opportunistic, as between MTAs: verify to report, never to refuse. */
                        SSL_CTX_set_default_verify_paths(t->ctx);
                        SSL_CTX_set_verify(t->ctx, SSL_VERIFY_NONE, NULL);
                        SSL_CTX_set_mode(t->ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
                }
        }
        t->ssl = t->ctx ? SSL_new(t->ctx) : NULL;
        if (!t->ssl) {
                fail(t, "cannot set up TLS (OpenSSL)");
                return;
        }
        SSL_set_fd(t->ssl, t->fd);
        const char *host = t->cands[t->cur].host;
        struct addr a;
        char err[64], name[256];
        if (addr_parse(host, &a, err, sizeof(err)) < 0) {
                snprintf(name, sizeof(name), "%s", host);
                size_t n = strlen(name);
                if (n && name[n - 1] == '.')
                        name[n - 1] = '\0';
                SSL_set_tlsext_host_name(t->ssl, name);
                SSL_set1_host(t->ssl, name);
        }
        t->st = ST_TLS;
        arm_timer(t);
        tls_step(t);
}

/* ---------------------------------------------------------------- connect */

static void connected(struct smtp_test *t)
{
        struct sockaddr_storage ss;
        socklen_t sl = sizeof(ss);
        struct addr local;
        if (getsockname(t->fd, (struct sockaddr *)&ss, &sl) == 0 &&
            addr_from_sockaddr((struct sockaddr *)&ss, &local) == 0)
                addr_format(&local, t->res->source_ip, sizeof(t->res->source_ip));
        note(t, "connected from %s", t->res->source_ip);
        t->st = ST_BANNER;
        arm_timer(t);
        watch(t, POLLIN);
}

static void on_io(int fd, short revents, void *arg)
{
        struct smtp_test *t = arg;
        (void)fd;
        if (t->st == ST_CONNECT) {
                int soerr = 0;
                socklen_t sl = sizeof(soerr);
                getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
                if (soerr || (revents & (POLLERR | POLLHUP) && !(revents & POLLOUT))) {
                        note(t, "cannot connect to %s [%s]:%d: %s", t->cands[t->cur].host,
                             t->res->server_ip, t->port, strerror(soerr ? soerr : ECONNREFUSED));
                        close_conn(t);
                        t->cur++;
                        next_candidate(t);
                        return;
                }
                connected(t);
                return;
        }
        if (t->st == ST_TLS) {
                tls_step(t);
                return;
        }
        if (t->outoff < t->outlen) {
                if (!flush_out(t) && !t->ssl && errno != EAGAIN) {
                        fail(t, "cannot send to %s: %s", t->res->server_ip, strerror(errno));
                        return;
                }
                watch(t, POLLIN | (t->outoff < t->outlen ? POLLOUT : 0));
        }
        if (revents & (POLLIN | POLLHUP | POLLERR))
                read_input(t);
}

static void next_candidate(struct smtp_test *t)
{
        struct smtp_result *res = t->res;
        for (; t->cur < t->ncands; t->cur++) {
                struct cand *c = &t->cands[t->cur];
                free(res->server);
                res->server = strdup(c->host);
                addr_format(&c->addr, res->server_ip, sizeof(res->server_ip));
                res->port = t->port;
                struct sockaddr_storage ss;
                socklen_t sl = addr_sockaddr(&c->addr, t->port, &ss);
                int fam = c->addr.family;
                t->fd = socket(fam, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
                if (t->fd < 0) {
                        fail(t, "cannot open a socket: %s", strerror(errno));
                        return;
                }
                if (t->have_source) {
                        struct sockaddr_storage src;
                        socklen_t srcl = addr_sockaddr(&t->source, 0, &src);
                        if (bind(t->fd, (struct sockaddr *)&src, srcl) < 0) {
                                int e = errno;
                                close_conn(t);
                                fail(t, "cannot send from %s: %s%s", t->o.source, strerror(e),
                                     e == EADDRNOTAVAIL ? " (not an address of this machine)" : "");
                                return;
                        }
                }
                note(t, "connecting to %s [%s]:%d%s%s", c->host, res->server_ip, t->port,
                     t->have_source ? " from " : "", t->have_source ? t->o.source : "");
                t->st = ST_CONNECT;
                if (connect(t->fd, (struct sockaddr *)&ss, sl) == 0) {
                        connected(t);
                        return;
                }
                if (errno == EINPROGRESS) {
                        arm_timer(t);
                        watch(t, POLLOUT);
                        return;
                }
                note(t, "cannot connect to %s [%s]:%d: %s", c->host, res->server_ip, t->port,
                     strerror(errno));
                close_conn(t);
        }
        if (t->ncands)
                fail(t, "could not connect to any address of the receiver");
        else if (!t->family)
                fail(t, "the receiver has no address");
        else
                fail(t, "the receiver has no address of the family asked for (%s%s)",
                     t->family == AF_INET6 ? "IPv6" : "IPv4",
                     t->have_source ? ", the source's" : "");
}

/* ---------------------------------------------------------------- resolve */

static void add_cands(struct smtp_test *t, const char *host, const struct resolver_answer *ans)
{
        if (!ans || ans->status != RES_OK)
                return;
        for (size_t i = 0; i < ans->ndata && t->ncands < SMTP_MAX_CANDS; i++) {
                struct addr a;
                char err[64];
                if (addr_parse(ans->data[i], &a, err, sizeof(err)) < 0)
                        continue;
                if (t->family && a.family != t->family)
                        continue;
                struct cand *c = &t->cands[t->ncands++];
                snprintf(c->host, sizeof(c->host), "%s", host);
                c->addr = a;
        }
}

static void note_addresses(struct smtp_test *t, const char *host, const char *type,
                           const struct resolver_answer *ans)
{
        if (!ans)
                return;
        if (ans->status != RES_OK) {
                note(t, "%s %s: %s", host, type, resolver_status_name(ans->status));
                return;
        }
        char buf[600] = "";
        for (size_t i = 0; i < ans->ndata; i++) {
                size_t have = strlen(buf);
                snprintf(buf + have, sizeof(buf) - have, "%s%s", i ? " " : "", ans->data[i]);
        }
        note(t, "%s %s %s", host, type, buf);
}

static void addresses_done(struct smtp_test *t)
{
        for (int i = 0; i < t->nmx; i++)
                if (t->mx[i].qa || t->mx[i].qaaaa)
                        return;
        /* IPv6 first, as most MTAs prefer it when they have it. */
        for (int i = 0; i < t->nmx; i++) {
                note_addresses(t, t->mx[i].name, "AAAA", t->mx[i].aaaa);
                note_addresses(t, t->mx[i].name, "A", t->mx[i].a);
                add_cands(t, t->mx[i].name, t->mx[i].aaaa);
                add_cands(t, t->mx[i].name, t->mx[i].a);
        }
        t->st = ST_CONNECT;
        t->cur = 0;
        next_candidate(t);
}

static void on_addr(void *arg, struct resolver_answer *ans)
{
        struct smtp_test *t = arg;
        for (int i = 0; i < t->nmx; i++) {
                struct mxhost *m = &t->mx[i];
                if (ans->qtype == LDNS_RR_TYPE_A && m->qa && strcasecmp(ans->qname, m->name) == 0) {
                        m->qa = 0;
                        m->a = ans;
                        addresses_done(t);
                        return;
                }
                if (ans->qtype == LDNS_RR_TYPE_AAAA && m->qaaaa &&
                    strcasecmp(ans->qname, m->name) == 0) {
                        m->qaaaa = 0;
                        m->aaaa = ans;
                        addresses_done(t);
                        return;
                }
        }
        resolver_answer_free(ans);
}

static void resolve_hosts(struct smtp_test *t)
{
        char err[256];
        for (int i = 0; i < t->nmx; i++) {
                struct mxhost *m = &t->mx[i];
                m->qa = resolver_query(t->r, m->name, LDNS_RR_TYPE_A, on_addr, t, err, sizeof(err));
                m->qaaaa =
                    resolver_query(t->r, m->name, LDNS_RR_TYPE_AAAA, on_addr, t, err, sizeof(err));
                if (m->qa < 0 || m->qaaaa < 0) {
                        if (m->qa > 0)
                                resolver_cancel(t->r, m->qa);
                        if (m->qaaaa > 0)
                                resolver_cancel(t->r, m->qaaaa);
                        m->qa = m->qaaaa = 0;
                        t->nmx = i;
                        fail(t, "cannot look up %s: %s", m->name, err);
                        return;
                }
        }
}

static int mx_cmp(const void *a, const void *b)
{
        const struct mxhost *x = a, *y = b;
        return x->pref - y->pref;
}

static void on_mx(void *arg, struct resolver_answer *ans)
{
        struct smtp_test *t = arg;
        t->mxq = 0;
        if (ans->status == RES_OK) {
                for (size_t i = 0; i < ans->ndata && t->nmx < SMTP_MAX_MX; i++) {
                        int pref;
                        char name[256];
                        note(t, "%s MX %s", t->domain, ans->data[i]);
                        if (sscanf(ans->data[i], "%d %255s", &pref, name) != 2)
                                continue;
                        if (strcmp(name, ".") == 0)
                                continue;
                        snprintf(t->mx[t->nmx].name, sizeof(t->mx[0].name), "%s", name);
                        t->mx[t->nmx].pref = pref;
                        t->nmx++;
                }
                if (t->nmx == 0) {
                        resolver_answer_free(ans);
                        fail(t, "%s takes no mail (a null MX, RFC 7505)", t->domain);
                        return;
                }
                qsort(t->mx, (size_t)t->nmx, sizeof(t->mx[0]), mx_cmp);
        } else if (ans->status == RES_NODATA) {
                /* No MX: the domain's own address is the receiver (RFC 5321 5.1). */
                note(t, "%s has no MX record: delivering to its own address", t->domain);
                snprintf(t->mx[0].name, sizeof(t->mx[0].name), "%s", t->domain);
                t->nmx = 1;
        } else {
                char why[200];
                snprintf(why, sizeof(why), "%s",
                         ans->status == RES_NXDOMAIN ? "the domain does not exist (NXDOMAIN)"
                         : ans->error                ? ans->error
                                                     : resolver_status_name(ans->status));
                resolver_answer_free(ans);
                fail(t, "cannot find the receiver of %s: %s", t->domain, why);
                return;
        }
        resolver_answer_free(ans);
        resolve_hosts(t);
}

/* ---------------------------------------------------------------- lifecycle */

static void teardown(struct smtp_test *t)
{
        if (t->timer)
                loop_timer_cancel(t->lp, t->timer);
        t->timer = 0;
        if (t->mxq > 0)
                resolver_cancel(t->r, t->mxq);
        for (int i = 0; i < t->nmx; i++) {
                if (t->mx[i].qa > 0)
                        resolver_cancel(t->r, t->mx[i].qa);
                if (t->mx[i].qaaaa > 0)
                        resolver_cancel(t->r, t->mx[i].qaaaa);
                t->mx[i].qa = t->mx[i].qaaaa = 0;
                resolver_answer_free(t->mx[i].a);
                resolver_answer_free(t->mx[i].aaaa);
                t->mx[i].a = t->mx[i].aaaa = NULL;
        }
        t->mxq = 0;
        close_conn(t);
        if (t->ctx)
                SSL_CTX_free(t->ctx);
        t->ctx = NULL;
}

static void on_start(void *arg)
{
        struct smtp_test *t = arg;
        t->timer = 0;
        char err[256];
        if (t->nmx) { /* --server: its addresses */
                struct addr a;
                if (addr_parse(t->mx[0].name, &a, err, sizeof(err)) == 0) {
                        struct resolver_answer lit = {.status = RES_OK, .ndata = 1};
                        char *d[1] = {t->mx[0].name};
                        lit.data = d;
                        add_cands(t, t->mx[0].name, &lit);
                        t->nmx = 0;
                        t->st = ST_CONNECT;
                        next_candidate(t);
                        return;
                }
                resolve_hosts(t);
                return;
        }
        t->mxq = resolver_query(t->r, t->domain, LDNS_RR_TYPE_MX, on_mx, t, err, sizeof(err));
        if (t->mxq < 0) {
                t->mxq = 0;
                fail(t, "cannot look up the MX of %s: %s", t->domain, err);
        }
}

struct smtp_test *smtp_start(struct resolver *r, const struct smtp_opts *o, smtp_done_cb cb,
                             void *arg, char *err, size_t errlen)
{
        if (smtp_opts_check(o, err, errlen) < 0)
                return NULL;
        struct smtp_test *t = calloc(1, sizeof(*t));
        if (t)
                t->res = calloc(1, sizeof(*t->res));
        if (!t || !t->res) {
                free(t);
                snprintf(err, errlen, "out of memory");
                return NULL;
        }
        t->r = r;
        t->lp = resolver_loop(r);
        t->o = *o;
        if (t->o.timeout_ms <= 0)
                t->o.timeout_ms = SMTP_DEFAULT_TIMEOUT_MS;
        t->cb = cb;
        t->arg = arg;
        t->fd = -1;
        t->t0 = loop_now_ms();
        t->res->cls = BOUNCE_NOT_REVERSE_DNS;
        t->res->stage = "resolve";
        if (o->helo) {
                snprintf(t->helo, sizeof(t->helo), "%s", o->helo);
        } else if (gethostname(t->helo, sizeof(t->helo) - 1) < 0 || !helo_ok(t->helo)) {
                snprintf(t->helo, sizeof(t->helo), "localhost");
        }
        if (o->from)
                snprintf(t->from, sizeof(t->from), "%s", o->from);
        else
                snprintf(t->from, sizeof(t->from), "postmaster@%s", t->helo);
        snprintf(t->domain, sizeof(t->domain), "%s", strrchr(o->to, '@') + 1);
        if (o->source) {
                char e[64];
                addr_parse(o->source, &t->source, e, sizeof(e));
                t->have_source = true;
        }
        t->family = t->have_source ? t->source.family : o->family;
        t->port = 25;
        if (o->server) {
                parse_server(o->server, t->mx[0].name, sizeof(t->mx[0].name), &t->port);
                t->nmx = 1;
        }
        /* The first step runs from the loop, as the callback must. */
        t->timer = loop_timer_add(t->lp, 0, on_start, t);
        if (t->timer < 0) {
                free(t->res);
                free(t);
                snprintf(err, errlen, "out of memory");
                return NULL;
        }
        return t;
}

static void deliver(void *arg)
{
        struct smtp_test *t = arg;
        struct smtp_result *res = t->res;
        smtp_done_cb cb = t->cb;
        void *cbarg = t->arg;
        free(t);
        cb(cbarg, res);
}

/* Tears down at once; the result goes out from a timer of its own, so no
 * caller up the stack touches a freed test. */
static void finish(struct smtp_test *t)
{
        if (t->finished)
                return;
        teardown(t);
        t->finished = true;
        struct smtp_result *res = t->res;
        res->elapsed_ms = loop_now_ms() - t->t0;
        if (!res->summary)
                set_str(&res->summary, "no delivery test: %s", res->error ? res->error : "?");
        t->timer = loop_timer_add(t->lp, 0, deliver, t);
        if (t->timer < 0) {
                t->timer = 0;
                deliver(t); /* out of memory: deliver now, nothing may follow */
        }
}

void smtp_cancel(struct smtp_test *t)
{
        if (!t)
                return;
        teardown(t);
        smtp_result_free(t->res);
        free(t);
}

void smtp_result_free(struct smtp_result *res)
{
        if (!res)
                return;
        for (size_t i = 0; i < res->nlines; i++)
                free(res->lines[i].text);
        free(res->lines);
        free(res->server);
        free(res->tls_info);
        free(res->reply);
        free(res->summary);
        free(res->note);
        free(res->error);
        free(res);
}

/* ---------------------------------------------------------------- JSON */

static json_t *str_or_null(const char *s)
{
        return s ? json_string(s) : json_null();
}

char *smtp_result_json(const struct smtp_result *res)
{
        json_t *o = json_object();
        json_t *lines = json_array();
        if (!o || !lines) {
                json_decref(o);
                json_decref(lines);
                return NULL;
        }
        for (size_t i = 0; i < res->nlines; i++) {
                const char *dir = res->lines[i].dir == SMTP_SENT       ? "sent"
                                  : res->lines[i].dir == SMTP_RECEIVED ? "received"
                                                                       : "note";
                json_array_append_new(
                    lines, json_pack("{s:s,s:s}", "dir", dir, "text", res->lines[i].text));
        }
        json_object_set_new(o, "verdict", json_string(smtp_verdict_name(res->verdict)));
        json_object_set_new(o, "reverse_dns", json_boolean(res->verdict == SMTP_REJECTED_RDNS));
        json_object_set_new(o, "summary", json_string(res->summary));
        json_object_set_new(o, "stage", json_string(res->stage));
        json_object_set_new(o, "code", res->code ? json_integer(res->code) : json_null());
        json_object_set_new(o, "enhanced_code",
                            res->enhanced_code[0] ? json_string(res->enhanced_code) : json_null());
        json_object_set_new(o, "reply", str_or_null(res->reply));
        json_object_set_new(o, "class",
                            res->verdict == SMTP_REJECTED_RDNS ||
                                    res->verdict == SMTP_REJECTED_OTHER
                                ? json_string(bounce_class_name(res->cls))
                                : json_null());
        json_object_set_new(o, "problem",
                            res->verdict == SMTP_REJECTED_RDNS ||
                                    res->verdict == SMTP_REJECTED_OTHER
                                ? json_string(bounce_problem_name(res->problem))
                                : json_null());
        json_object_set_new(o, "provider_name", str_or_null(res->provider_name));
        json_object_set_new(o, "server", str_or_null(res->server));
        json_object_set_new(o, "server_ip",
                            res->server_ip[0] ? json_string(res->server_ip) : json_null());
        json_object_set_new(o, "port", res->port ? json_integer(res->port) : json_null());
        json_object_set_new(o, "source_ip",
                            res->source_ip[0] ? json_string(res->source_ip) : json_null());
        json_object_set_new(o, "tls", json_boolean(res->tls));
        json_object_set_new(o, "tls_info", str_or_null(res->tls_info));
        json_object_set_new(o, "rdns_at_data", json_boolean(res->rdns_at_data));
        json_object_set_new(o, "note", str_or_null(res->note));
        json_object_set_new(o, "error", str_or_null(res->error));
        json_object_set_new(o, "transcript", lines);
        json_object_set_new(o, "elapsed_ms", json_integer(res->elapsed_ms));
        char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        return s;
}
