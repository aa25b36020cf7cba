/* smtp: a delivery test against a real receiver. Looks up the recipient
 * domain's MX through the resolver (or takes a server), connects from a
 * given or the default source address, says EHLO, STARTTLS when offered,
 * MAIL FROM, RCPT TO and, on request, a short test message; then QUIT.
 * Non-blocking, driven by the one poll loop. Every reply is kept verbatim
 * (escaped) and the rejection is read by the bounce module. */
#ifndef PTRWIZ_SMTP_H
#define PTRWIZ_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ptrwiz/addr.h"
#include "ptrwiz/bounce.h"
#include "ptrwiz/resolver.h"

#define SMTP_DEFAULT_TIMEOUT_MS 30000 /* per connect and per reply */

/* One transcript line: what was sent, what came back, or a remark. */
enum smtp_dir { SMTP_SENT = '>', SMTP_RECEIVED = '<', SMTP_NOTE = ';' };

struct smtp_line {
        enum smtp_dir dir;
        char *text; /* escaped (spaces kept), no CRLF */
};

typedef void (*smtp_line_cb)(void *arg, const struct smtp_line *line);

struct smtp_opts {
        const char *to;       /* the recipient: local@domain; required */
        const char *from;     /* MAIL FROM; NULL: postmaster@ the HELO name */
        const char *helo;     /* EHLO name; NULL: this host's name (gethostname) */
        const char *server;   /* HOST[:PORT] or [IPv6]:PORT; NULL: the domain's MX */
        const char *source;   /* source IP; NULL: the kernel's choice */
        int family;           /* AF_INET or AF_INET6 only (-4, -6); 0: both */
        bool data;            /* send a short test message after RCPT TO */
        int timeout_ms;       /* per connect and per reply; 0: SMTP_DEFAULT_TIMEOUT_MS */
        smtp_line_cb on_line; /* each transcript line as it happens, or NULL */
        void *line_arg;
};

enum smtp_verdict {
        SMTP_ACCEPTED,       /* RCPT TO (or, with data, the message) accepted */
        SMTP_REJECTED_RDNS,  /* rejected, and the reply is about reverse DNS */
        SMTP_REJECTED_OTHER, /* rejected for something else */
        SMTP_NO_CONNECTION,  /* could not resolve the receiver or connect to it */
};

struct smtp_result {
        enum smtp_verdict verdict;
        struct smtp_line *lines; /* the transcript, in order */
        size_t nlines;
        char *server;                /* the host connected to (or tried last), or NULL */
        char server_ip[ADDR_STRLEN]; /* "" when never connected */
        int port;
        char source_ip[ADDR_STRLEN]; /* the local address of the connection, or "" */
        bool tls;
        char *tls_info;    /* "TLSv1.3 TLS_AES_256_GCM_SHA384, certificate not verified (...)" */
        const char *stage; /* static: where it ended ("RCPT TO", "end of DATA", "connect"...) */
        int code;          /* the deciding reply's code, 0 when none */
        char enhanced_code[16];
        char *reply;       /* the deciding reply, lines joined by a space, escaped; or NULL */
        char *summary;     /* one line for people; never NULL */
        char *note;        /* e.g. a pass at RCPT is not the whole answer here; or NULL */
        char *error;       /* why there was no connection; or NULL */
        bool rdns_at_data; /* the receiver is known to reject for PTR only after DATA */
        enum bounce_class cls;
        enum bounce_problem problem;
        const char *provider_name; /* static, from the bounce module, or NULL */
        int64_t elapsed_ms;
};

struct smtp_test;
typedef void (*smtp_done_cb)(void *arg, struct smtp_result *res);

/* Checks opts (addresses without spaces or control bytes, --server and
 * --source syntax); -1 and a one-line reason in err when they are bad
 * (exit 2). */
int smtp_opts_check(const struct smtp_opts *o, char *err, size_t errlen);

/* Starts the test; cb runs once, later, from the loop, with a result the
 * callee owns (smtp_result_free). NULL with a reason in err when it cannot
 * start (bad options, out of memory). The opts strings must outlive it. */
struct smtp_test *smtp_start(struct resolver *r, const struct smtp_opts *o, smtp_done_cb cb,
                             void *arg, char *err, size_t errlen);
/* Stops a running test; its callback will not run. */
void smtp_cancel(struct smtp_test *t);

/* Who, of the receivers known to check reverse DNS only at the end of DATA,
 * runs the MX host ("Gmail" for *.google.com); NULL for the rest. */
const char *smtp_rdns_at_data(const char *host);

void smtp_result_free(struct smtp_result *res);
const char *smtp_verdict_name(enum smtp_verdict v);
/* One JSON object on one line (no newline), caller frees; NULL when out of memory. */
char *smtp_result_json(const struct smtp_result *res);

#endif
