/* "Which receivers check what", short: beside step 3's verdict. The long
 * form with its sources is help/receivers.txt (the help pane). */
#include "wizard/wiz.h"

#include <sys/socket.h>

void receivers_doc(struct doc *d, const struct wiz *w)
{
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "Which receivers check what");
        doc_field(d, "Any PTR", TONE_NONE, "Postfix reject_unknown_reverse_client_hostname%s",
                  w->ip.family == AF_INET6 ? "; Microsoft, over IPv6" : "");
        doc_field(d, "FCrDNS", TONE_NONE,
                  "Gmail; Postfix reject_unknown_client_hostname; Exim verify = "
                  "reverse_host_lookup");
        doc_field(d, "Name", TONE_NONE, "generic-name filters refuse provider default names");
        doc_add(d, DOC_DIM, TONE_NONE, NULL, "Their documentation: %s opens the help.",
                action_key(ACT_HELP));
}
