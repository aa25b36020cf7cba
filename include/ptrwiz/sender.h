/* sender: what this machine sends. The source addresses it would use
 * toward a receiver for IPv4 and IPv6 (a connected UDP socket and
 * getsockname(): no packet is sent), whether its MTA would use IPv6 at all,
 * the names it greets with (Postfix via postconf, Exim via exim -bP, the
 * host name), the one diagnosis (check) of every source address, and the
 * HELO name against the PTR and its forward records. */
#ifndef PTRWIZ_SENDER_H
#define PTRWIZ_SENDER_H

#include <stdbool.h>
#include "ptrwiz/addr.h"
#include "ptrwiz/check.h"
#include "ptrwiz/finding.h"
#include "ptrwiz/resolver.h"

struct sender_opts {
        const char *postfix_config; /* postconf -c DIR; NULL: the default one when installed */
        const char *toward[2];      /* receiver addresses (any order, one per family) for the
                                       route lookups; NULL: documentation addresses */
        const char *helo;           /* the HELO name to judge instead of the MTA's, or NULL */
        struct check_opts check;    /* how each source address is checked */
};

struct sender_source {
        int family;
        char toward[ADDR_STRLEN];   /* the receiver address the route was asked for */
        char ip[ADDR_STRLEN];       /* the source address, or "" when there is none */
        const char *how;            /* static: "route", "smtp_bind_address", ... */
        char *error;                /* why there is no source (no route...), or NULL */
        bool used;                  /* the MTA would send over this family */
        const char *special;        /* static: addr_special_range() of ip, or NULL */
        bool nat;                   /* private, CGNAT or unique local: a NAT in front */
        struct check_result *check; /* the diagnosis of ip; NULL when not checked */
};

struct sender_result {
        struct sender_source src[2]; /* [0] IPv4, [1] IPv6 */
        bool postfix;                /* Postfix's settings were read */
        char *postfix_dir;           /* escaped, or NULL for the default */
        char *inet_protocols, *address_preference, *myhostname, *helo_name, *bind4, *bind6;
        bool exim;
        char *exim_hostname;   /* primary_hostname (escaped) */
        char *exim_helo;       /* helo_data expanded by exim -be (escaped), or NULL */
        char *hostname;        /* gethostname() */
        char *hostname_f;      /* its full name from /etc/hosts, as hostname -f finds it, or NULL */
        char *helo;            /* the name this machine greets with (escaped) */
        const char *helo_from; /* static: "smtp_helo_name (Postfix)", "hostname"... */
        struct resolver_answer *helo_a, *helo_aaaa;
        char *notes; /* what could not be read (postconf failed...), or NULL */
        struct findings findings;
        enum verdict verdict;
};

struct sender;
typedef void (*sender_done_cb)(void *arg, struct sender_result *res);

/* Reads the local configuration now (local programs and files only) and
 * starts the lookups; cb runs later from the loop with a result the callee
 * owns. NULL with a reason in err when it cannot start. */
struct sender *sender_start(struct resolver *r, const struct sender_opts *o, sender_done_cb cb,
                            void *arg, char *err, size_t errlen);
void sender_cancel(struct sender *s);
void sender_result_free(struct sender_result *res);
char *sender_result_json(const struct sender_result *res); /* one line; caller frees */

#endif
