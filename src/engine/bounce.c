/* bounce: is this rejection about reverse DNS, who said it, for which IP,
 * and what now?
 *
 * The steps, each linear in the input: prepare the text (bounce_text.c),
 * find the SMTP replies and report fields (bounce_reply.c), match the reason
 * and provider tables (bounce_table.c), judge the addresses (bounce_ip.c),
 * then explain. */
#include "ptrwiz/bounce.h"

#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "bounce_priv.h"
#include "ptrwiz/escape.h"

#define REPLY_SHOWN_MAX 1024 /* bytes of the reply kept for display */

static const char *const class_names[] = {
#define BOUNCE_CLASS_NAME(code, name, meaning) name,
    BOUNCE_CLASSES(BOUNCE_CLASS_NAME)
#undef BOUNCE_CLASS_NAME
};

static const char *const class_meanings[] = {
#define BOUNCE_CLASS_MEANING(code, name, meaning) meaning,
    BOUNCE_CLASSES(BOUNCE_CLASS_MEANING)
#undef BOUNCE_CLASS_MEANING
};

static const char *const problem_names[] = {
#define BOUNCE_PROBLEM_NAME(code, name, what) name,
    BOUNCE_PROBLEMS(BOUNCE_PROBLEM_NAME)
#undef BOUNCE_PROBLEM_NAME
};

static const char *const problem_meanings[] = {
#define BOUNCE_PROBLEM_MEANING(code, name, what) what,
    BOUNCE_PROBLEMS(BOUNCE_PROBLEM_MEANING)
#undef BOUNCE_PROBLEM_MEANING
};

const char *bounce_class_name(enum bounce_class cls)
{
        return cls < BOUNCE_CLASS__COUNT ? class_names[cls] : "?";
}

const char *bounce_class_meaning(enum bounce_class cls)
{
        return cls < BOUNCE_CLASS__COUNT ? class_meanings[cls] : "?";
}

const char *bounce_problem_name(enum bounce_problem problem)
{
        return problem < BOUNCE_PROBLEM__COUNT ? problem_names[problem] : "?";
}

const char *bounce_problem_meaning(enum bounce_problem problem)
{
        return problem < BOUNCE_PROBLEM__COUNT ? problem_meanings[problem] : "?";
}

const char *bounce_ip_role_name(enum bounce_ip_role role)
{
        switch (role) {
        case BOUNCE_IP_NAMED_IN_REPLY:
                return "named in the rejection";
        case BOUNCE_IP_CLIENT_IN_LOG:
                return "client in the receiving server's log";
        case BOUNCE_IP_REPORTING_MTA:
                return "the server that sent the bounce (Reporting-MTA)";
        case BOUNCE_IP_SUBMITTER:
                return "the client that handed the message to your server";
        case BOUNCE_IP_RECEIVER:
                return "the receiving server";
        case BOUNCE_IP_MENTIONED:
                return "mentioned";
        }
        return "?";
}

/* ---- explanations ---- */

/* Sentences are built as text + who + text + ip + text, so no format string
 * ever comes from a table. */
struct frag {
        const char *a, *b;
};

/* For each reverse DNS class: who, a, the IP, b. */
static const struct frag rdns_explained[] = {
    [BOUNCE_PTR_MISSING] = {" looked up the PTR record of ",
                            " and found none. Reverse DNS is kept by whoever holds the address "
                            "(your hosting provider or ISP), not in your domain's zone: ask "
                            "them to point the PTR at your mail server's host name, and give "
                            "that name an A/AAAA record with the same address."},
    [BOUNCE_FCRDNS_FAILED] = {" found a PTR record for ",
                              ", but the name in it does not resolve back to that address: "
                              "forward-confirmed reverse DNS failed. Make the PTR name's A/AAAA "
                              "record contain the address, or change the PTR to a name that "
                              "does."},
    [BOUNCE_PTR_MISSING_OR_MISMATCH] = {" requires forward-confirmed reverse DNS for ",
                                        ": a PTR record whose name resolves back to the same "
                                        "address. Either the PTR is missing or its name points "
                                        "elsewhere; the reply does not say which."},
    [BOUNCE_GENERIC_PTR] = {" found a PTR name for ",
                            " that looks generic (an ISP's default name, often with the "
                            "address in it) and treats it like having no reverse DNS. Ask "
                            "whoever holds the address to set a PTR naming your mail server, "
                            "with a matching A/AAAA record."},
    [BOUNCE_RDNS_TEMPFAIL] = {" could not complete the reverse lookup of ",
                              " (a timeout or SERVFAIL at the reverse zone's name servers). A "
                              "broken or slow delegation of the reverse zone is the usual "
                              "cause."},
};

struct advice {
        struct frag said; /* a, who, b */
        const char *next;
};

static const struct advice problem_advice[] = {
    [BOUNCE_PROBLEM_SPF_DMARC] = {{"", " rejected the message because it failed sender "
                                       "authentication (SPF or DMARC)."},
                                  "check the SPF, DKIM and DMARC records of the sending "
                                  "domain: the SPF record must list this server, and the From "
                                  "domain must align with SPF or DKIM"},
    [BOUNCE_PROBLEM_DKIM] = {{"", " found no valid DKIM signature on the message."},
                             "check that your server signs with DKIM and that the selector's "
                             "public key is published in DNS"},
    [BOUNCE_PROBLEM_BLOCKLIST] = {{"", " refused the sending address because it is on a "
                                       "blocklist (the reply names it)."},
                                  "look the address up at the list named in the reply "
                                  "(Spamhaus: https://check.spamhaus.org/), fix why it was "
                                  "listed, then request delisting"},
    [BOUNCE_PROBLEM_REPUTATION] = {{"", " does not trust the sending address or domain (poor "
                                        "reputation)."},
                                   "stop any unwanted mail, keep volumes steady, and use the "
                                   "receiver's postmaster page or mitigation form named in the "
                                   "reply"},
    [BOUNCE_PROBLEM_SPAM_FILTER] = {{"the filter of ", " rejected this message (content, links "
                                                       "or local policy)."},
                                    "review the message and its links; send the full reply to "
                                    "the recipient's postmaster if it is legitimate mail"},
    [BOUNCE_PROBLEM_RATE_LIMIT] = {{"", " is limiting how much mail it takes from you right "
                                        "now. That is temporary and your server retries."},
                                   "send more slowly (fewer connections, smaller batches); "
                                   "nothing to change in DNS"},
    [BOUNCE_PROBLEM_GREYLISTING] = {{"", " greylists unknown senders: the first attempt is "
                                         "refused on purpose and a retry some minutes later "
                                         "is accepted."},
                                    "nothing to fix: let your server retry"},
    [BOUNCE_PROBLEM_UNKNOWN_USER] = {{"the recipient address does not exist at ", "."},
                                     "check the spelling of the recipient address"},
    [BOUNCE_PROBLEM_MAILBOX_FULL] = {{"the recipient's mailbox at ", " is full."},
                                     "try again later or reach the recipient another way"},
    [BOUNCE_PROBLEM_MAILBOX_DISABLED] = {{"the recipient's account at ", " is disabled."},
                                         "reach the recipient another way"},
    [BOUNCE_PROBLEM_RELAY_DENIED] = {{"", " does not take mail for that destination from you "
                                          "(relaying denied)."},
                                     "check the recipient domain's MX records and your "
                                     "server's relay settings"},
    [BOUNCE_PROBLEM_HELO] = {{"", " rejected the name your server announced in HELO/EHLO."},
                             "make your server say its fully qualified host name in "
                             "HELO/EHLO, a name that resolves"},
    [BOUNCE_PROBLEM_SENDER_DOMAIN] = {{"", " could not verify the sender's domain (it does not "
                                           "resolve or takes no mail)."},
                                      "check the DNS of the envelope sender's domain"},
    [BOUNCE_PROBLEM_MESSAGE_SIZE] = {{"the message is bigger than ", " accepts."},
                                     "send smaller attachments, or a link"},
    [BOUNCE_PROBLEM_TLS_REQUIRED] = {{"", " requires an encrypted connection (STARTTLS)."},
                                     "enable STARTTLS in your mail server"},
};

static const char *who(const struct bounce_result *res)
{
        return res->provider_name ? res->provider_name : "the receiving server";
}

static char *temporary_note(const struct bounce_result *res)
{
        if (res->smtp_code < 400 || res->smtp_code > 499)
                return bounce_strdupf("%s", "");
        return bounce_strdupf(" The error is temporary (%d): your server keeps retrying, so "
                              "fix it before the message expires from its queue.",
                              res->smtp_code);
}

static char *check_step(const struct bounce_result *res, const char *lead)
{
        if (res->ip[0])
                return bounce_strdupf("%srun: ptrwiz check %s", lead, res->ip);
        if (res->sending_host)
                return bounce_strdupf("%sthe text does not show the sending IP; your sending "
                                      "server is %s (the report names it), so run: ptrwiz check "
                                      "%s (it resolves the name and checks each address; if the "
                                      "server sends through a NAT or a relay, check that public "
                                      "address instead)",
                                      lead, res->sending_host, res->sending_host);
        return bounce_strdupf("%sfind the public address your mail server sends from (the text "
                              "does not show it), then run: ptrwiz check ADDRESS",
                              lead);
}

/* "It also says ...": the secondary reason of a mixed reply. */
static char *secondary_note(const struct bounce_result *res)
{
        if (!res->has_secondary)
                return bounce_strdupf("%s", "");
        if (res->secondary_cls != BOUNCE_NOT_REVERSE_DNS)
                return bounce_strdupf(" The reply also says the reverse DNS of %s is not in "
                                      "order (%s): that is second, but fix it too.",
                                      res->ip[0] ? res->ip : "the sending address",
                                      bounce_class_meaning(res->secondary_cls));
        return bounce_strdupf(" The reply also names a second requirement: %s.",
                              bounce_problem_meaning(res->secondary_problem));
}

static int explain_rdns(struct bounce_result *res)
{
        char *note = temporary_note(res);
        if (note == NULL)
                return -1;
        const char *ip = res->ip[0] ? res->ip : "the sending address";
        const struct frag *f = &rdns_explained[res->cls];
        char *first = bounce_strdupf("%s%s%s%s", who(res), f->a, ip, f->b);
        if (first != NULL && first[0] >= 'a' && first[0] <= 'z')
                first[0] = (char)(first[0] - 'a' + 'A');
        char *also = secondary_note(res);
        res->explanation = first && also ? bounce_strdupf("%s%s%s", first, note, also) : NULL;
        free(also);
        free(first);
        free(note);
        res->next_step = check_step(res, "");
        return res->explanation && res->next_step ? 0 : -1;
}

static int explain_other(struct bounce_result *res, bool have_reply)
{
        const struct advice *a = &problem_advice[res->problem];
        char *also = secondary_note(res);
        if (also == NULL)
                return -1;
        if (res->problem != BOUNCE_PROBLEM_UNKNOWN && a->next) {
                char *what = bounce_strdupf("%s%s%s", a->said.a, who(res), a->said.b);
                res->explanation =
                    what ? bounce_strdupf("This is not %sa reverse DNS problem: %s%s",
                                          res->has_secondary ? "mainly " : "", what, also)
                         : NULL;
                free(what);
                if (res->has_secondary && res->secondary_cls != BOUNCE_NOT_REVERSE_DNS) {
                        char *check = check_step(res, "then ");
                        res->next_step = check ? bounce_strdupf("%s; %s", a->next, check) : NULL;
                        free(check);
                } else {
                        res->next_step = bounce_strdupf("%s", a->next);
                }
        } else if (have_reply) {
                res->explanation = bounce_strdupf(
                    "ptrwiz does not know this rejection. It does not mention reverse DNS or a "
                    "PTR record, so reverse DNS is probably not the cause.");
                res->next_step = res->ip[0] ? check_step(res, "if you still suspect reverse DNS, ")
                                            : bounce_strdupf("read the reply text; if it is "
                                                             "about the sending IP, run: ptrwiz "
                                                             "check ADDRESS");
        } else {
                res->explanation =
                    bounce_strdupf("No SMTP reply and no known rejection text was found%s.",
                                   res->note ? " (see the note)" : " in the input");
                res->next_step = bounce_strdupf(
                    "paste the whole bounce message, including the Diagnostic-Code or the "
                    "'said:' line with the reply code (like 550 5.7.25)");
        }
        free(also);
        return res->explanation && res->next_step ? 0 : -1;
}

/* ---- the analysis ---- */

static size_t best_reply(const struct bounce_reply *r, size_t n)
{
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
                if (r[i].score > r[best].score)
                        best = i;
        return best;
}

/* Lower-case flattened text of a reply, for matching. */
static char *reply_flat(const struct bounce_text *t, const struct bounce_reply *r, size_t *len)
{
        char *buf = malloc(r->end - r->start + 1);
        if (buf)
                *len = btext_flatten(t->raw + r->start, r->end - r->start, false, buf);
        return buf;
}

/* The reply the verdict came from, or the best-scored one. -1: none. */
static int pick_reply(const struct bounce_text *t, const struct bounce_reply *r, size_t n,
                      const struct bounce_verdict *v, bool found)
{
        if (n == 0)
                return -1;
        for (size_t i = 0; found && i < n; i++) {
                size_t len = 0;
                char *flat = reply_flat(t, &r[i], &len);
                bool here = flat && btable_verdict_in(v, flat, len);
                free(flat);
                if (here)
                        return (int)i;
        }
        return (int)best_reply(r, n);
}

static const struct bounce_provider *find_provider(const struct bounce_text *t,
                                                   const struct bounce_reply *reply,
                                                   const char *remote,
                                                   const struct bounce_verdict *v, bool found)
{
        const struct bounce_provider *p = NULL;
        if (reply) {
                size_t len = 0;
                char *flat = reply_flat(t, reply, &len);
                p = flat ? btable_provider_in(flat, len, false) : NULL;
                free(flat);
        }
        if (p == NULL && remote) {
                size_t len = strlen(remote);
                char *lower = malloc(len + 1);
                if (lower) {
                        btext_flatten(remote, len, false, lower);
                        p = btable_provider_in(lower, strlen(lower), false);
                        free(lower);
                }
        }
        if (p == NULL && found && v->provider)
                p = btable_provider(v->provider);
        if (p == NULL)
                p = btable_provider_in(t->flat, t->flatlen, true);
        /* A receiving Postfix's own log line ("postfix/smtpd[...]: NOQUEUE:"). */
        if (p == NULL && btext_memmem(t->flat, t->flatlen, "postfix/smtpd", 13))
                p = btable_provider("postfix");
        return p;
}

static void set_codes(struct bounce_result *res, const struct bounce_text *t,
                      const struct bounce_reply *reply)
{
        char status[16];
        if (reply) {
                res->smtp_code = reply->code;
                snprintf(res->enhanced_code, sizeof res->enhanced_code, "%s", reply->enhanced);
        }
        if (res->enhanced_code[0] == '\0' && breply_dsn_field(t, "status", status, sizeof status) &&
            btext_enhanced_len(status, strlen(status)) == strlen(status))
                memcpy(res->enhanced_code, status, sizeof res->enhanced_code);
}

static const char *input_note(const struct bounce_text *t, size_t nreplies, bool found)
{
        if (t->len == 0)
                return "the input is empty";
        if (t->binary)
                return "the input looks binary (many control bytes), not like a bounce text";
        if (nreplies == 0 && !found)
                return "no SMTP reply code (like 550 5.7.25) and no known rejection text found";
        return NULL;
}

static int analyze(struct bounce_result *res, const struct bounce_text *t)
{
        struct bounce_reply replies[BOUNCE_MAX_REPLIES];
        struct bounce_verdict v = {BOUNCE_NOT_REVERSE_DNS, BOUNCE_PROBLEM_UNKNOWN, NULL, NULL,
                                   NULL};
        size_t n = breply_find(t, replies, BOUNCE_MAX_REPLIES);
        bool found =
            btable_mixed(t->flat, t->flatlen, &v, &res->secondary_cls, &res->secondary_problem);
        res->has_secondary = found;
        if (!found)
                found = btable_reason(t->flat, t->flatlen, &v);
        int ri = pick_reply(t, replies, n, &v, found);
        const struct bounce_reply *reply = ri >= 0 ? &replies[ri] : NULL;
        char field[256];

        set_codes(res, t, reply);
        if (bip_collect(t, replies, n, res) < 0)
                return -1;
        if (breply_dsn_field(t, "reporting-mta", field, sizeof field) &&
            (res->reporting_mta = escape_dup(field, strlen(field), 0)) == NULL)
                return -1;

        const struct bounce_provider *p = find_provider(t, reply, res->remote_mta, &v, found);
        res->provider = p ? p->name : "unknown";
        res->provider_name = p ? p->display : NULL;
        if (!found && res->enhanced_code[0])
                found = btable_code(res->enhanced_code, p ? p->name : NULL, &v);

        res->cls = v.cls;
        res->problem = v.problem;
        res->reverse_dns = v.cls != BOUNCE_NOT_REVERSE_DNS;
        res->note = input_note(t, n, found);
        if (reply) {
                char *text = breply_text(t, reply);
                if (text == NULL)
                        return -1;
                size_t len = strlen(text);
                res->reply = escape_dup(text, len > REPLY_SHOWN_MAX ? REPLY_SHOWN_MAX : len,
                                        ESCAPE_KEEP_SPACE | ESCAPE_KEEP_UTF8);
                free(text);
                if (res->reply == NULL)
                        return -1;
        }
        return res->reverse_dns ? explain_rdns(res) : explain_other(res, reply != NULL);
}

struct bounce_result *bounce_analyze(const char *text, size_t len)
{
        struct bounce_result *res = calloc(1, sizeof(*res));
        struct bounce_text t;

        if (res == NULL)
                return NULL;
        if (text == NULL)
                len = 0;
        res->truncated = len > BOUNCE_MAX_INPUT;
        res->analysed = res->truncated ? BOUNCE_MAX_INPUT : len;
        if (btext_prepare(&t, text ? text : "", res->analysed) < 0) {
                free(res);
                return NULL;
        }
        int rc = analyze(res, &t);
        btext_free(&t);
        if (rc < 0) {
                bounce_result_free(res);
                return NULL;
        }
        return res;
}

void bounce_result_free(struct bounce_result *res)
{
        if (res == NULL)
                return;
        free(res->ip_reason);
        free(res->sending_host);
        for (size_t i = 0; i < res->nreceivers; i++) {
                free(res->receivers[i].name);
                free(res->receivers[i].recipient);
        }
        free(res->reply);
        free(res->reporting_mta);
        free(res->remote_mta);
        free(res->explanation);
        free(res->next_step);
        free(res);
}

/* ---- JSON ---- */

/* Every string here is escaped or static ASCII; a NULL becomes null. */
static json_t *jstr(const char *s)
{
        json_t *j = s ? json_string(s) : NULL;
        return j ? j : json_null();
}

static json_t *ips_json(const struct bounce_result *res, bool detail)
{
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < res->nips; i++) {
                const struct bounce_ip *ip = &res->ips[i];
                json_t *item = detail
                                   ? json_pack("{s:s, s:s, s:b, s:b}", "ip", ip->text, "seen_as",
                                               bounce_ip_role_name(ip->role), "internal",
                                               ip->internal, "can_be_sender",
                                               bounce_ip_role_is_sender(ip->role) && !ip->internal)
                                   : json_string(ip->text);
                if (item == NULL || json_array_append_new(arr, item) < 0) {
                        json_decref(arr);
                        return NULL;
                }
        }
        return arr;
}

static json_t *receivers_json(const struct bounce_result *res)
{
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < res->nreceivers; i++) {
                const struct bounce_receiver *r = &res->receivers[i];
                json_t *item = json_object();
                if (item == NULL || json_array_append_new(arr, item) < 0) {
                        json_decref(arr);
                        return NULL;
                }
                json_object_set_new(item, "name", jstr(r->name));
                json_object_set_new(item, "ip", jstr(r->ip[0] ? r->ip : NULL));
                json_object_set_new(item, "recipient", jstr(r->recipient));
                json_object_set_new(item, "smtp_code",
                                    r->smtp_code ? json_integer(r->smtp_code) : json_null());
                json_object_set_new(item, "enhanced_code",
                                    jstr(r->enhanced_code[0] ? r->enhanced_code : NULL));
                json_object_set_new(item, "class", json_string(bounce_class_name(r->cls)));
                json_object_set_new(item, "problem", json_string(bounce_problem_name(r->problem)));
                json_object_set_new(item, "sending_ip",
                                    jstr(r->sending_ip[0] ? r->sending_ip : NULL));
        }
        return arr;
}

/* Addresses to find another way: the sending host's name to resolve, when
 * the text shows no sending IP. */
static json_t *candidates_json(const struct bounce_result *res)
{
        json_t *arr = json_array();
        if (arr && !res->ip[0] && res->sending_host) {
                json_t *item = json_pack("{s:s, s:s, s:s}", "name", res->sending_host, "how",
                                         res->sending_host_how, "note",
                                         "resolve this name (its A/AAAA records): the text does "
                                         "not show the sending IP");
                if (item == NULL || json_array_append_new(arr, item) < 0) {
                        json_decref(arr);
                        return NULL;
                }
        }
        return arr;
}

static json_t *secondary_json(const struct bounce_result *res)
{
        if (!res->has_secondary)
                return json_null();
        return json_pack("{s:b, s:s, s:s}", "reverse_dns",
                         res->secondary_cls != BOUNCE_NOT_REVERSE_DNS, "class",
                         bounce_class_name(res->secondary_cls), "problem",
                         bounce_problem_name(res->secondary_problem));
}

char *bounce_result_json(const struct bounce_result *res)
{
        json_t *o = json_object();
        json_t *ips = ips_json(res, false);
        json_t *detail = ips_json(res, true);
        json_t *receivers = receivers_json(res);
        json_t *candidates = candidates_json(res);
        json_t *secondary = secondary_json(res);
        char *out = NULL;

        if (o && ips && detail && receivers && candidates && secondary) {
                json_object_set_new(o, "reverse_dns", json_boolean(res->reverse_dns));
                json_object_set_new(o, "class", json_string(bounce_class_name(res->cls)));
                json_object_set_new(o, "problem", json_string(bounce_problem_name(res->problem)));
                json_object_set_new(o, "secondary", secondary);
                json_object_set_new(o, "provider", jstr(res->provider));
                json_object_set_new(o, "provider_name", jstr(res->provider_name));
                json_object_set_new(o, "smtp_code",
                                    res->smtp_code ? json_integer(res->smtp_code) : json_null());
                json_object_set_new(o, "enhanced_code",
                                    jstr(res->enhanced_code[0] ? res->enhanced_code : NULL));
                json_object_set_new(o, "ip", jstr(res->ip[0] ? res->ip : NULL));
                json_object_set_new(o, "ip_how", jstr(res->ip_how));
                json_object_set_new(o, "ip_reason", jstr(res->ip_reason));
                json_object_set_new(o, "candidates", candidates);
                json_object_set_new(o, "ips", ips);
                json_object_set_new(o, "ips_detail", detail);
                json_object_set_new(o, "sending_host",
                                    res->sending_host
                                        ? json_pack("{s:s, s:s}", "name", res->sending_host, "how",
                                                    res->sending_host_how)
                                        : json_null());
                json_object_set_new(o, "receivers", receivers);
                json_object_set_new(o, "reply", jstr(res->reply));
                json_object_set_new(o, "reporting_mta", jstr(res->reporting_mta));
                json_object_set_new(o, "remote_mta", jstr(res->remote_mta));
                json_object_set_new(o, "explanation", jstr(res->explanation));
                json_object_set_new(o, "next_step", jstr(res->next_step));
                json_object_set_new(o, "note", jstr(res->note));
                json_object_set_new(o, "truncated", json_boolean(res->truncated));
                json_object_set_new(o, "analysed_bytes", json_integer((json_int_t)res->analysed));
                out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
                ips = detail = receivers = candidates = secondary = NULL;
        }
        json_decref(ips);
        json_decref(detail);
        json_decref(receivers);
        json_decref(candidates);
        json_decref(secondary);
        json_decref(o);
        return out;
}
