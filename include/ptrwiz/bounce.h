/* bounce: read a pasted rejection (one SMTP reply, an MTA log line or a whole
 * bounce e-mail) and tell whether it is about reverse DNS, which receiving
 * system said it, which sending IP it concerns and what to do next.
 *
 * Pure text analysis: no DNS, no I/O, no curses. Every string in the result
 * that came from the input is escaped (escape.h), so it is safe to print. */
#ifndef PTRWIZ_BOUNCE_H
#define PTRWIZ_BOUNCE_H

#include <stdbool.h>
#include <stddef.h>
#include "ptrwiz/addr.h"

/* Bytes analysed; the rest of a bigger paste is ignored (result->truncated). */
#define BOUNCE_MAX_INPUT     (1024 * 1024)
#define BOUNCE_MAX_IPS       16 /* distinct addresses kept in result->ips */
#define BOUNCE_MAX_RECEIVERS 8  /* receiving servers kept in result->receivers */

/* X(code, name, one-line meaning) */
#define BOUNCE_CLASSES(X)                                                                          \
        X(PTR_MISSING, "ptr_missing", "the sending IP has no PTR record")                          \
        X(FCRDNS_FAILED, "fcrdns_failed", "the PTR name does not resolve back to the sending IP")  \
        X(PTR_MISSING_OR_MISMATCH, "ptr_missing_or_mismatch",                                      \
          "no PTR record, or its name does not resolve back to the IP (the reply does not say "    \
          "which)")                                                                                \
        X(GENERIC_PTR, "generic_ptr", "the PTR name looks like a generic or dynamic ISP name")     \
        X(RDNS_TEMPFAIL, "rdns_tempfail", "the receiver's reverse lookup failed temporarily")      \
        X(NOT_REVERSE_DNS, "not_reverse_dns", "not a reverse DNS problem")

enum bounce_class {
#define BOUNCE_CLASS_ENUM(code, name, meaning) BOUNCE_##code,
        BOUNCE_CLASSES(BOUNCE_CLASS_ENUM)
#undef BOUNCE_CLASS_ENUM
            BOUNCE_CLASS__COUNT
};

/* X(code, name, what it is) -- what the rejection is about. */
#define BOUNCE_PROBLEMS(X)                                                                         \
        X(UNKNOWN, "unknown", "not recognised")                                                    \
        X(REVERSE_DNS, "reverse_dns", "reverse DNS (PTR) of the sending IP")                       \
        X(SPF_DMARC, "spf_dmarc", "sender authentication (SPF or DMARC)")                          \
        X(DKIM, "dkim", "DKIM signature")                                                          \
        X(BLOCKLIST, "blocklist", "the sending IP is on a blocklist")                              \
        X(REPUTATION, "reputation", "poor reputation of the sending IP or domain")                 \
        X(SPAM_FILTER, "spam_filter", "content or local policy spam filter")                       \
        X(RATE_LIMIT, "rate_limit", "too much mail or too many connections")                       \
        X(GREYLISTING, "greylisting", "greylisting: a deliberate first-time delay")                \
        X(UNKNOWN_USER, "unknown_user", "the recipient address does not exist")                    \
        X(MAILBOX_FULL, "mailbox_full", "the recipient's mailbox is full")                         \
        X(MAILBOX_DISABLED, "mailbox_disabled", "the recipient's mailbox is disabled")             \
        X(RELAY_DENIED, "relay_denied", "the server does not relay for you")                       \
        X(HELO, "helo", "the HELO/EHLO name was rejected")                                         \
        X(SENDER_DOMAIN, "sender_domain", "the sender's domain does not resolve or takes no mail") \
        X(MESSAGE_SIZE, "message_size", "the message is too big")                                  \
        X(TLS_REQUIRED, "tls_required", "the receiver requires an encrypted connection")

enum bounce_problem {
#define BOUNCE_PROBLEM_ENUM(code, name, what) BOUNCE_PROBLEM_##code,
        BOUNCE_PROBLEMS(BOUNCE_PROBLEM_ENUM)
#undef BOUNCE_PROBLEM_ENUM
            BOUNCE_PROBLEM__COUNT
};

/* What an address in the text is, judged from the words around it. Only the
 * first three can be the sending IP: the rest are other machines. */
enum bounce_ip_role {
        BOUNCE_IP_NAMED_IN_REPLY, /* named by the receiver in its rejection */
        BOUNCE_IP_CLIENT_IN_LOG,  /* the client of a receiving server's log line */
        BOUNCE_IP_REPORTING_MTA,  /* the Reporting-MTA's own address (its DSN field, or the
                                     bounce's Received header naming it) */
        BOUNCE_IP_SUBMITTER,      /* handed the message to the reporting MTA
                                     (Received-From-MTA, a returned Received header) */
        BOUNCE_IP_RECEIVER,       /* the receiving server itself (host X[IP] said) */
        BOUNCE_IP_MENTIONED,      /* just appears in the text: whose is not said */
};

struct bounce_ip {
        struct addr addr;
        char text[ADDR_STRLEN]; /* canonical form */
        enum bounce_ip_role role;
        bool internal; /* private, loopback, link-local...: no receiver on the Internet sees it */
};

/* One receiving server the bounce names, with its own reply. */
struct bounce_receiver {
        char *name;             /* escaped host name, or NULL when only its address is shown */
        char ip[ADDR_STRLEN];   /* its address, or "" */
        char *recipient;        /* escaped recipient it refused, or NULL */
        int smtp_code;          /* of its reply, 0 when none */
        char enhanced_code[16]; /* of its reply, or "" */
        enum bounce_class cls;  /* what its reply means */
        enum bounce_problem problem;
        char sending_ip[ADDR_STRLEN]; /* the sending IP its reply names, or "" */
};

struct bounce_result {
        bool reverse_dns; /* the primary problem is reverse DNS */
        enum bounce_class cls;
        enum bounce_problem problem;
        /* A second reason in the same reply ("Relaying denied. IP name lookup
         * failed"): primary first, this one after. has_secondary false: none. */
        bool has_secondary;
        enum bounce_class secondary_cls;
        enum bounce_problem secondary_problem;
        const char *provider;      /* static: "gmail", "postfix", ... or "unknown" */
        const char *provider_name; /* static, for people: "Gmail", "Postfix", ... */
        int smtp_code;             /* 0 when none was found */
        char enhanced_code[16];    /* "5.7.25", or "" */
        char ip[ADDR_STRLEN];      /* the sending IP as the text shows it, canonical, or "" */
        const char *ip_how;        /* static: how ip was found ("named_in_reply"...), or NULL */
        char *ip_reason;           /* why that one (or why none); never NULL */
        size_t nips;
        struct bounce_ip ips[BOUNCE_MAX_IPS]; /* every distinct address seen, in order */
        /* The sender's own host as the report names it (Reporting-MTA, "This is
         * the mail system at host X"), escaped, or NULL; with how it was named
         * ("reporting_mta_name", "mail_system_host_name", "mailer_daemon_host"). When
         * ip is "" this is the candidate to resolve: no DNS is done here. */
        char *sending_host;
        const char *sending_host_how;
        size_t nreceivers;
        struct bounce_receiver receivers[BOUNCE_MAX_RECEIVERS]; /* in order of appearance */
        char *reply;         /* the rejection text, unfolded, escaped; NULL if none */
        char *reporting_mta; /* DSN Reporting-MTA, escaped; NULL if none */
        char *remote_mta;    /* the (first) receiving server's name, escaped; NULL if none */
        char *explanation;   /* plain words; never NULL */
        char *next_step;     /* never NULL */
        const char *note;    /* static remark on the input (binary, empty...), or NULL */
        bool truncated;      /* the input was longer than BOUNCE_MAX_INPUT */
        size_t analysed;     /* bytes analysed */
};

/* Analyses len bytes of text (any bytes, NUL included). Never returns NULL
 * except when out of memory. Free with bounce_result_free. */
struct bounce_result *bounce_analyze(const char *text, size_t len);
void bounce_result_free(struct bounce_result *res);

const char *bounce_class_name(enum bounce_class cls);
const char *bounce_class_meaning(enum bounce_class cls);
const char *bounce_problem_name(enum bounce_problem problem);
const char *bounce_problem_meaning(enum bounce_problem problem);
const char *bounce_ip_role_name(enum bounce_ip_role role);
/* Whether an address of this role can be the sending IP. */
bool bounce_ip_role_is_sender(enum bounce_ip_role role);

/* One JSON object on one line (no newline); caller frees. NULL when out of
 * memory. Keys: reverse_dns, class, problem, secondary, provider,
 * provider_name, smtp_code, enhanced_code, ip, ip_how, ip_reason, candidates,
 * ips, ips_detail, sending_host, receivers, reply, reporting_mta, remote_mta,
 * explanation, next_step, note, truncated, analysed_bytes. "ip" is only ever
 * an address the text shows as the sending one; a name to resolve instead is
 * in "candidates" with its "how". */
char *bounce_result_json(const struct bounce_result *res);

#endif
