/* identify: step 1's reading of the pasted text. The bounce reader
 * (bounce.h) says what the message means, who said it and which IP sent
 * the mail; an address typed on its own needs no reading. */
#include "wizard/wiz.h"

#include <ctype.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>

#include "ptrwiz/bounce.h"
#include "ptrwiz/escape.h"
#include "ptrwiz/sender.h"

void identify_free(struct identify *id)
{
        for (size_t i = 0; i < id->nips; i++)
                free(id->ips[i].context);
        free(id->ips);
        doc_clear(&id->headline);
        doc_clear(&id->facts);
        doc_clear(&id->others);
        free(id->sending_host);
        free(id->reply);
        memset(id, 0, sizeof(*id));
}

static void add_ip(struct identify *id, const struct addr *a, const char *context, bool sender)
{
        struct found_ip *v = realloc(id->ips, (id->nips + 1) * sizeof(*v));
        if (!v)
                return;
        id->ips = v;
        struct found_ip *f = &id->ips[id->nips++];
        memset(f, 0, sizeof(*f));
        f->ip = *a;
        addr_format(a, f->text, sizeof(f->text));
        f->context = context ? strdup(context) : NULL;
        f->sender = sender;
}

/* The whole text is one address, maybe with spaces or brackets around it. */
static bool parse_lone_ip(const char *text, size_t len, struct addr *out)
{
        while (len > 0 && (isspace((unsigned char)*text) || *text == '[')) {
                text++;
                len--;
        }
        while (len > 0 && (isspace((unsigned char)text[len - 1]) || text[len - 1] == ']'))
                len--;
        char buf[ADDR_STRLEN + 8], err[128];
        if (len == 0 || len >= sizeof(buf))
                return false;
        memcpy(buf, text, len);
        buf[len] = '\0';
        return addr_parse(buf, out, err, sizeof(err)) == 0 || revname_to_addr(buf, out) == 0;
}

static void facts_from_bounce(struct identify *id, const struct bounce_result *b)
{
        struct doc *d = &id->facts, *h = &id->headline;
        id->about_rdns = b->reverse_dns;
        if (b->reverse_dns)
                doc_add(h, DOC_VERDICT, TONE_BAD, NULL, "It is about reverse DNS: %s.",
                        bounce_class_meaning(b->cls));
        else if (b->problem != BOUNCE_PROBLEM_UNKNOWN && b->has_secondary &&
                 b->secondary_cls != BOUNCE_NOT_REVERSE_DNS)
                doc_add(h, DOC_VERDICT, TONE_WARN, NULL, "First %s; then reverse DNS: %s.",
                        bounce_problem_meaning(b->problem), bounce_class_meaning(b->secondary_cls));
        else if (b->problem != BOUNCE_PROBLEM_UNKNOWN)
                doc_add(h, DOC_VERDICT, TONE_WARN, NULL, "It is not about reverse DNS: %s.",
                        bounce_problem_meaning(b->problem));
        else
                doc_add(h, DOC_MARK, TONE_NONE, NULL,
                        "ptrwiz cannot tell what this rejection is about.");
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "What the message means");
        doc_text(d, "%s", b->explanation);
        doc_blank(d);
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "Who sent it");
        if (b->provider_name && strcmp(b->provider, "unknown") != 0)
                doc_field(d, "Receiver", TONE_NONE, "%s", b->provider_name);
        if (b->remote_mta)
                doc_field(d, "Their server", TONE_NONE, "%s", b->remote_mta);
        if (b->reporting_mta)
                doc_field(d, "Report from", TONE_NONE, "%s", b->reporting_mta);
        if (b->smtp_code)
                doc_field(d, "SMTP code", TONE_NONE, "%d %s", b->smtp_code, b->enhanced_code);
        if (b->reply)
                doc_field(d, "They said", TONE_NONE, "%s", b->reply);
        if (!b->remote_mta && !b->reporting_mta && !b->reply)
                doc_add(d, DOC_DIM, TONE_NONE, NULL, "The text does not say which server sent it.");
        doc_field(d, "Sending IP", b->ip[0] ? TONE_NONE : TONE_WARN, "%s%s%s",
                  b->ip[0] ? b->ip : "not in the text", b->ip[0] ? ": " : "; ", b->ip_reason);
        if (b->sending_host)
                doc_field(d, "Your server", TONE_NONE, "%s (as the bounce names it)",
                          b->sending_host);
        if (b->has_secondary)
                doc_field(d, "Also", TONE_WARN, "%s",
                          b->secondary_cls != BOUNCE_NOT_REVERSE_DNS
                              ? bounce_class_meaning(b->secondary_cls)
                              : bounce_problem_meaning(b->secondary_problem));
        for (size_t i = 0; b->nreceivers > 1 && i < b->nreceivers; i++) {
                const struct bounce_receiver *rc = &b->receivers[i];
                doc_field(d, i == 0 ? "Receivers" : "", TONE_NONE, "%s%s%s: %s",
                          rc->name ? rc->name : rc->ip, rc->recipient ? " for " : "",
                          rc->recipient ? rc->recipient : "",
                          !rc->smtp_code ? "no reply found"
                          : rc->problem == BOUNCE_PROBLEM_REVERSE_DNS
                              ? bounce_class_meaning(rc->cls)
                              : bounce_problem_meaning(rc->problem));
        }
        if (b->note)
                doc_add(d, DOC_DIM, TONE_NONE, NULL, "Note: %s", b->note);
        if (b->truncated)
                doc_add(d, DOC_DIM, TONE_NONE, NULL, "Only the first %zu bytes were read.",
                        b->analysed);
        /* Offered: the addresses the text shows as the sending one (a
         * receiver's address never is, whatever else the text says). A
         * rejection for another reason offers none: the IP is not what to
         * check. */
        bool rdns_involved =
            b->reverse_dns || (b->has_secondary && b->secondary_cls != BOUNCE_NOT_REVERSE_DNS);
        bool offer = rdns_involved || b->problem == BOUNCE_PROBLEM_UNKNOWN;
        bool others = false;
        for (size_t i = 0; i < b->nips; i++) {
                const struct bounce_ip *ip = &b->ips[i];
                bool sender = strcmp(ip->text, b->ip) == 0;
                char ctx[200];
                snprintf(ctx, sizeof(ctx), "%s%s", bounce_ip_role_name(ip->role),
                         ip->internal ? "; internal, no receiver sees it" : "");
                if (offer && (sender || (bounce_ip_role_is_sender(ip->role) && !ip->internal))) {
                        add_ip(id, &ip->addr, ctx, sender);
                        continue;
                }
                if (!others) {
                        doc_add(&id->others, DOC_HEADING, TONE_NONE, NULL,
                                "Other addresses in the text (not offered)");
                        others = true;
                }
                doc_add(&id->others, DOC_DIM, TONE_NONE, NULL, "%-15s %s%s", ip->text, ctx,
                        sender ? "" : "; not the sending IP");
        }
        /* The sending IP first: it is what Enter checks. */
        for (size_t i = 1; i < id->nips; i++) {
                if (id->ips[i].sender) {
                        struct found_ip tmp = id->ips[i];
                        memmove(&id->ips[1], &id->ips[0], i * sizeof(tmp));
                        id->ips[0] = tmp;
                        break;
                }
        }
        if (id->nips > 0)
                return;
        if (!offer)
                snprintf(id->hint, sizeof(id->hint),
                         "Nothing to check here: this rejection is about %s, not reverse DNS. "
                         "What to check instead: %s. (To check your server's reverse DNS "
                         "anyway, type its address: press i.)",
                         bounce_problem_meaning(b->problem), b->next_step);
        else if (b->sending_host)
                snprintf(id->hint, sizeof(id->hint),
                         "The sending IP is not in the text (an address of the receiving side "
                         "is never it). The report names your sending server %s: type its "
                         "public address (press i), or run: ptrwiz check %s",
                         b->sending_host, b->sending_host);
        else
                snprintf(id->hint, sizeof(id->hint),
                         "The sending IP is not in the text (an address of the receiving side "
                         "is never it). Type the public address of your mail server (press "
                         "i to edit).");
}

void identify_scan(struct identify *id, const char *text, size_t len)
{
        identify_free(id);
        size_t blank = 0;
        while (blank < len && isspace((unsigned char)text[blank]))
                blank++;
        if (blank == len)
                return;
        struct addr a;
        if (parse_lone_ip(text, len, &a)) {
                id->just_an_ip = true;
                add_ip(id, &a, "typed", true);
                doc_add(&id->headline, DOC_MARK, TONE_NONE, NULL,
                        "An IP address: ptrwiz checks its reverse DNS in the next steps, the "
                        "way a receiving mail server does.");
                return;
        }
        struct bounce_result *b = bounce_analyze(text, len);
        if (!b)
                return;
        facts_from_bounce(id, b);
        id->sending_host = b->sending_host ? strdup(b->sending_host) : NULL;
        id->reply = b->reply ? strdup(b->reply) : NULL;
        bounce_result_free(b);
}

/* ---- this machine ------------------------------------------------------ */

static enum doc_tone verdict_tone(enum verdict v)
{
        return v == VERDICT_FAIL ? TONE_BAD : v == VERDICT_PASS ? TONE_GOOD : TONE_WARN;
}

/* One source as a line of step 1's list: family, how it was found, the
 * check's verdict and whether the MTA uses it. */
static void machine_source(struct identify *id, const struct sender_source *s)
{
        const char *fam = s->family == AF_INET6 ? "IPv6" : "IPv4";
        if (!s->ip[0]) {
                doc_add(&id->others, DOC_MARK, TONE_NONE, NULL, "%s: no source address (%s)", fam,
                        s->error ? s->error : "no route");
                return;
        }
        struct addr a;
        char err[128];
        if (addr_parse(s->ip, &a, err, sizeof(err)) < 0)
                return;
        char context[300];
        snprintf(context, sizeof(context), "%s source (%s): %s%s%s", fam, s->how ? s->how : "route",
                 s->check ? verdict_label(s->check->verdict) : "not checked",
                 s->nat ? ", behind a NAT (receivers see another address)" : "",
                 s->used ? "" : ", not used by the MTA");
        add_ip(id, &a, context, false);
}

size_t identify_machine(struct identify *id, const struct sender_result *r)
{
        identify_free(id);
        id->from_machine = true;
        id->about_rdns = true;
        size_t pick = 0;
        bool picked = false;
        for (int i = 0; i < 2; i++) {
                const struct sender_source *s = &r->src[i];
                size_t before = id->nips;
                machine_source(id, s);
                if (!picked && id->nips > before && s->used && s->check &&
                    s->check->verdict == VERDICT_FAIL) {
                        pick = before;
                        picked = true;
                }
        }
        doc_add(&id->headline, DOC_MARK, verdict_tone(r->verdict), NULL,
                "This machine: %s. Receivers check the PTR of the address it sends from.",
                r->verdict == VERDICT_FAIL   ? "a source address or its HELO name fails"
                : r->verdict == VERDICT_WARN ? "its addresses pass, with warnings"
                                             : "every address it sends from passes");
        struct doc *d = &id->facts;
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "What it sends");
        if (r->helo)
                doc_field(d, "HELO name", TONE_NONE, "%s (%s)", r->helo,
                          r->helo_from ? r->helo_from : "?");
        if (r->postfix)
                doc_field(d, "Postfix", TONE_NONE,
                          "inet_protocols = %s, smtp_address_preference = %s (%s)",
                          r->inet_protocols ? r->inet_protocols : "?",
                          r->address_preference ? r->address_preference : "?",
                          r->postfix_dir ? r->postfix_dir : "the default configuration");
        for (size_t i = 0; i < r->findings.n; i++) {
                const struct finding *f = &r->findings.v[i];
                enum doc_tone t = f->severity == SEV_ERROR     ? TONE_BAD
                                  : f->severity == SEV_WARNING ? TONE_WARN
                                                               : TONE_NONE;
                doc_add(d, DOC_MARK, t, NULL, "%s: %s", finding_code_name(f->code), f->message);
                if (f->fix && f->fix[0])
                        doc_add(d, DOC_TEXT, TONE_NONE, NULL, "Fix: %s", f->fix);
        }
        return pick;
}
