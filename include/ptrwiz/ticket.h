/* ticket: a short, polite message for whoever must act on a diagnosis
 * (the ISP or hosting provider that runs the reverse zone, the IP block
 * holder, the DNS provider of the PTR name): the IP, the record to create
 * exactly, why (the receiver's rejection, quoted briefly), and the zone's
 * SOA contact as a mail address. Plain text, prose wrapped at 72 columns;
 * records stand on lines of their own and are never wrapped. */
#ifndef PTRWIZ_TICKET_H
#define PTRWIZ_TICKET_H

#include <stddef.h>
#include "ptrwiz/check.h"
#include "ptrwiz/provider.h"

#define TICKET_WIDTH 72

struct ticket_opts {
        const char *host;      /* the name the PTR should give (A-labels), or NULL */
        const char *rejection; /* the receiver's reply, already escaped, or NULL */
};

struct ticket {
        char *to;      /* "hostmaster@example.net", or NULL when no SOA was seen */
        char *to_who;  /* "the operator of the reverse zone 1.18.198.in-addr.arpa." */
        char *subject; /* one line */
        char *text;    /* the whole message, To and Subject first, '\n' line ends */
        const struct provider *provider; /* recognised from the zone's names, or NULL */
        enum finding_code code;          /* the finding it is about */
};

/* NULL when nobody else has to act (a pass, or a fix that is the user's
 * own, like a private address) or out of memory. Free with ticket_free. */
struct ticket *ticket_build(const struct check_result *res, const struct ticket_opts *o);
void ticket_free(struct ticket *t);

/* A SOA RNAME in presentation format turned into a mail address: the
 * first unescaped dot is the '@' ("john\.doe.example.net." is
 * john.doe@example.net). -1 when it has no domain part. Escapes other
 * than "\." stay as they are: the result is safe to print. */
int ticket_rname_to_mail(const char *rname, char *out, size_t len);
/* The SOA's RNAME field of an SOA record in presentation format, or -1. */
int ticket_soa_rname(const char *soa_text, char *out, size_t len);

#endif
