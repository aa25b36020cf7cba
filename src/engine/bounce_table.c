/* bounce_table: what the words of a rejection mean.
 *
 * Two tables carry all the knowledge: the receiving systems and the names
 * they sign their replies with, and the reason patterns (lower-case phrases,
 * matched in the flattened text) with the class and problem each means.
 * Patterns are tried in table order, the reverse DNS ones first, so a reply
 * that mentions a PTR record is never mistaken for a lesser problem. */
#include "bounce_priv.h"

#include <string.h>

/* Receiving systems, most specific first. A marker matches on word
 * boundaries ("me.com" is not in "home.com"). Strong markers can only come
 * from the receiving side, so they count anywhere in the report. */
struct provider_entry {
        struct bounce_provider p;
        const char *markers[10];
        const char *strong[6];
};

static const struct provider_entry providers[] = {
    {{"gmail", "Gmail (Google)"},
     {"gsmtp", "gmail-smtp-in", "google.com", "googlemail.com", "gmail"},
     {"gsmtp", "gmail-smtp-in"}},
    {{"microsoft", "Microsoft (Outlook.com / Exchange Online)"},
     {"outlook.com", "hotmail", "live.com", "msn.com", "office365", "microsoft"},
     {"protection.outlook.com", "mail.live.com"}},
    {{"yahoo", "Yahoo / AOL"},
     {"yahoo", "yahoo.com", "yahoodns.net", "yahooinc.com", "aol.com", "[tss04]", "[tss09]"},
     {"yahoodns.net", "yahooinc.com"}},
    {{"apple", "Apple iCloud Mail"},
     {"icloud.com", "me.com", "mac.com", "apple.com", "[cs01]", "[hm07]", "[hm08]"},
     {"mail.icloud.com"}},
    {{"comcast", "Comcast"}, {"comcast", "comcast.net"}, {"comcast.net"}},
    {{"t-online", "T-Online (Deutsche Telekom)"},
     {"t-online.de", "rx.t-online.de", "t-online"},
     {"rx.t-online.de"}},
    {{"gmx", "GMX / WEB.DE (Nemesis)"},
     {"gmx.net", "gmx.de", "gmx.com", "web.de", "nemesis esmtp", "mxgmx"},
     {"nemesis esmtp", "mxgmx"}},
    {{"ionos", "IONOS (1&1)"},
     {"1und1.de", "1and1", "ionos", "kundenserver.de", "perfora.net"},
     {"1und1.de"}},
    {{"orange", "Orange (orange.fr / wanadoo.fr)"},
     {"orange.fr", "wanadoo.fr", "wanadoo", "ofr_999", "ofr004_104", "ofr004_105"},
     {"smtp-in.orange.fr"}},
    {{"mailru", "Mail.ru"},
     {"mail.ru", "corp.mail.ru", "mxs.mail.ru"},
     {"corp.mail.ru", "mxs.mail.ru"}},
    {{"yandex", "Yandex"}, {"yandex", "yandex.ru", "yandex.net"}, {"yandex.net"}},
    {{"godaddy", "GoDaddy"}, {"secureserver.net", "godaddy"}, {"secureserver.net"}},
    {{"earthlink", "EarthLink (MindSpring)"},
     {"earthlink", "mindspring", "mindspring.com"},
     {NULL}},
    {{"proofpoint", "Proofpoint"},
     {"proofpoint", "pphosted.com", "ppe-hosted.com"},
     {"ipcheck.proofpoint.com", "pphosted.com"}},
    {{"mimecast", "Mimecast"}, {"mimecast"}, {"mimecast"}},
    {{"barracuda", "Barracuda"},
     {"barracuda", "barracudanetworks", "barracudacentral"},
     {"barracuda reputation", "barracudacentral"}},
    {{"cisco", "Cisco Secure Email (IronPort)"},
     {"ironport", "iphmx.com", "sending mta's poor reputation"},
     {"iphmx.com", "sending mta's poor reputation"}},
    {{"symantec", "Symantec Email Security.cloud (MessageLabs)"},
     {"messagelabs", "symantec"},
     {"messagelabs"}},
    {{"magicspam", "MagicSpam"}, {"magicspam"}, {"magicspam"}},
    {{"freenet", "freenet.de"},
     {"freenet.de", "emig.freenet.de", "mx.freenet.de", "mout.freenet.de"},
     {"emig.freenet.de", "mx.freenet.de"}},
    {{"haraka", "Haraka"}, {"haraka"}, {"haraka"}},
    {{"opensmtpd", "OpenSMTPD"}, {"opensmtpd", "opensmtp"}, {"opensmtpd"}},
    {{"spamdyke", "spamdyke"}, {"spamdyke"}, {"spamdyke"}},
    {{"forpsi", "FORPSI"}, {"forpsi.com", "forpsi"}, {"forpsi.com"}},
};

/* MTA software: named by their stock texts (reason patterns), not markers. */
static const struct bounce_provider software[] = {
    {"postfix", "Postfix"},
    {"exim", "Exim"},
    {"sendmail", "Sendmail"},
    {"qmail", "qmail"},
};

#define P(x)     BOUNCE_PROBLEM_##x
#define RDNS(c)  BOUNCE_##c, P(REVERSE_DNS)
#define OTHER(p) BOUNCE_NOT_REVERSE_DNS, P(p)

struct reason {
        const char *text; /* lower case, flattened */
        const char *then; /* a second part within NEAR bytes after it, or NULL */
        enum bounce_class cls;
        enum bounce_problem problem;
        const char *provider; /* whose stock text this is, or NULL */
};

#define NEAR 160

static const struct reason reasons[] = {
    /* Gmail: current and older texts, and the IPv6 one. The combined
     * wording ("does not have a PTR record setup, or the corresponding
     * forward DNS entry does not match") says it may be either. */
    {"corresponding forward dns entry does not point to the sending ip", NULL,
     RDNS(PTR_MISSING_OR_MISMATCH), "gmail"},
    {"corresponding forward dns entry does not match the sending ip", NULL,
     RDNS(PTR_MISSING_OR_MISMATCH), "gmail"},
    {"does not have a ptr record setup, or the corresponding", NULL, RDNS(PTR_MISSING_OR_MISMATCH),
     "gmail"},
    {"forward dns entry doesn't match the sending ip", NULL, RDNS(PTR_MISSING_OR_MISMATCH),
     "gmail"},
    {"doesn't have a ptr record", NULL, RDNS(PTR_MISSING_OR_MISMATCH), "gmail"},
    {"ptr record's forward dns entry doesn't match", NULL, RDNS(PTR_MISSING_OR_MISMATCH), "gmail"},
    {"does not meet ipv6 sending guidelines regarding ptr records", NULL,
     RDNS(PTR_MISSING_OR_MISMATCH), "gmail"},
    {"does not have a ptr record setup", NULL, RDNS(PTR_MISSING), "gmail"},
    {"with missing ptr records", NULL, RDNS(PTR_MISSING), "gmail"},
    /* Haraka's fcrdns plugin (index.js): DENY and DENYSOFT texts, and
     * Haraka's own defaults for the lookup_rdns hook. */
    {"rejected; no rdns", NULL, RDNS(PTR_MISSING), "haraka"},
    {"rdns lookup error", NULL, RDNS(RDNS_TEMPFAIL), "haraka"},
    {"rdns lookup timeout", NULL, RDNS(RDNS_TEMPFAIL), "haraka"},
    {"rejected; generic rdns", NULL, RDNS(GENERIC_PTR), "haraka"},
    {"no fcrdns match found", NULL, RDNS(FCRDNS_FAILED), "haraka"},
    {"rejected; invalid tld in rdns", NULL, RDNS(FCRDNS_FAILED), "haraka"},
    {"rdns temporary failure", NULL, RDNS(RDNS_TEMPFAIL), "haraka"},
    {"rdns lookup failed", NULL, RDNS(PTR_MISSING_OR_MISMATCH), "haraka"},
    /* spamdyke (spamdyke.h ERROR_RDNS_*). */
    {"you have no reverse dns entry", NULL, RDNS(PTR_MISSING), "spamdyke"},
    {"your reverse dns entry does not resolve", NULL, RDNS(FCRDNS_FAILED), "spamdyke"},
    {"reverse dns entry contains your ip address", NULL, RDNS(GENERIC_PTR), "spamdyke"},
    /* freenet.de */
    {"inconsistent/missing dns ptr record", NULL, RDNS(PTR_MISSING_OR_MISMATCH), "freenet"},
    {"inconsistent dns ptr record", NULL, RDNS(FCRDNS_FAILED), "freenet"},
    {"inconsistent ptr", NULL, RDNS(FCRDNS_FAILED), "freenet"},
    /* OpenSMTPD filters (smtpd.conf "match !rdns" / "!fcrdns"; the texts
     * are the operator's, these are the manual's and common ones). */
    {"no fcrdns", NULL, RDNS(FCRDNS_FAILED), NULL},
    {"fcrdns check failed", NULL, RDNS(FCRDNS_FAILED), NULL},
    {"fcrdns failed", NULL, RDNS(FCRDNS_FAILED), NULL},
    {"no rdns", NULL, RDNS(PTR_MISSING), NULL},
    {"no residential connections", NULL, RDNS(GENERIC_PTR), NULL},
    {"rdns required", NULL, RDNS(PTR_MISSING), NULL},
    /* Microsoft Exchange Online over IPv6. */
    {"must have reverse dns record", NULL, RDNS(PTR_MISSING), "microsoft"},
    /* Postfix reject_unknown_client_hostname / ..._reverse_client_hostname. */
    {"cannot find your reverse hostname", NULL, RDNS(PTR_MISSING), "postfix"},
    {"cannot find your hostname", NULL, RDNS(PTR_MISSING_OR_MISMATCH), "postfix"},
    /* Exim verify = reverse_host_lookup, and its log lines. */
    {"does not match any ip address for", NULL, RDNS(FCRDNS_FAILED), "exim"},
    {"failed to find host name from ip address", NULL, RDNS(PTR_MISSING), "exim"},
    {"host lookup deferred for reverse lookup check", NULL, RDNS(RDNS_TEMPFAIL), "exim"},
    {"host lookup failed for reverse lookup check", NULL, RDNS(PTR_MISSING_OR_MISMATCH), "exim"},
    {"no host name found for ip address", NULL, RDNS(PTR_MISSING), "exim"},
    /* Sendmail FEATURE(require_rdns). */
    {"fix reverse dns for", NULL, RDNS(PTR_MISSING), "sendmail"},
    {"client ip address", "does not resolve", RDNS(RDNS_TEMPFAIL), "sendmail"},
    {"possibly forged hostname for", NULL, RDNS(FCRDNS_FAILED), "sendmail"},
    {"can't resolve hostname just now", NULL, RDNS(RDNS_TEMPFAIL), "sendmail"},
    /* Providers' own words. */
    {"must have a ptr record with a valid reverse dns entry", NULL, RDNS(PTR_MISSING), "comcast"},
    {"bad dns ptr resource record", NULL, RDNS(PTR_MISSING_OR_MISMATCH), "gmx"},
    {"invalid dns ptr resource record", NULL, RDNS(PTR_MISSING_OR_MISMATCH), "gmx"},
    {"generic dns ptr-records", NULL, RDNS(GENERIC_PTR), "mailru"},
    {"custom reverse dns name from your isp", NULL, RDNS(GENERIC_PTR), "mailru"},
    {"dialup/transient ip not allowed", NULL, RDNS(GENERIC_PTR), "t-online"},
    {"check_dynamic_reverse_dns", NULL, RDNS(GENERIC_PTR), "magicspam"},
    {"forward-confirmed reverse dns failed", NULL, RDNS(FCRDNS_FAILED), NULL},
    {"no or mismatched reverse dns", NULL, RDNS(PTR_MISSING_OR_MISMATCH), "earthlink"},
    {"ib108", NULL, RDNS(PTR_MISSING_OR_MISMATCH), "godaddy"},
    /* Common phrasings of many smaller systems. */
    {"reverse dns for", "does not exist", RDNS(PTR_MISSING), NULL},
    {"reverse dns for", "failed", RDNS(PTR_MISSING_OR_MISMATCH), NULL},
    {"does not have a reverse (address-to-name) dns entry", NULL, RDNS(PTR_MISSING), NULL},
    {"does not resolve to an existing hostname", NULL, RDNS(PTR_MISSING), NULL},
    {"no proper reverse mapping", NULL, RDNS(PTR_MISSING), NULL},
    {"must have reverse lookup (dns ptr)", NULL, RDNS(PTR_MISSING), NULL},
    {"sender ip must resolve", NULL, RDNS(PTR_MISSING), NULL},
    {"does not have a valid reverse dns entry", NULL, RDNS(PTR_MISSING_OR_MISMATCH), NULL},
    {"reverse dns entry does not resolve", NULL, RDNS(FCRDNS_FAILED), NULL},
    {"missing reverse dns", NULL, RDNS(PTR_MISSING), NULL},
    {"reverse dns is missing", NULL, RDNS(PTR_MISSING), NULL},
    {"bad reverse dns", NULL, RDNS(PTR_MISSING_OR_MISMATCH), NULL},
    {"missing ptr", NULL, RDNS(PTR_MISSING), NULL},
    {"ip address does not properly resolve for reverse dns", NULL, RDNS(PTR_MISSING_OR_MISMATCH),
     NULL},
    {"have a reverse look name", NULL, RDNS(PTR_MISSING), NULL},
    {"valid ptr record", NULL, RDNS(PTR_MISSING_OR_MISMATCH), NULL},
    {"no reverse dns entry", NULL, RDNS(PTR_MISSING), NULL},
    {"no ptr record", NULL, RDNS(PTR_MISSING), NULL},
    {"ptr record not found", NULL, RDNS(PTR_MISSING), NULL},
    {"has no dns ptr record", NULL, RDNS(PTR_MISSING), NULL},
    {"no dns reverse for", NULL, RDNS(PTR_MISSING), NULL},
    {"no reverse dns", NULL, RDNS(PTR_MISSING), NULL},
    {"no rdns entry", NULL, RDNS(PTR_MISSING), NULL},
    {"ip name lookup failed", NULL, RDNS(PTR_MISSING), "sendmail"},
    {"ip name possibly forged", NULL, RDNS(FCRDNS_FAILED), "sendmail"},
    {"generic reverse dns", NULL, RDNS(GENERIC_PTR), NULL},
    {"generic ptr", NULL, RDNS(GENERIC_PTR), NULL},
    {"dynamic reverse dns", NULL, RDNS(GENERIC_PTR), NULL},
    {"reverse dns does not match", NULL, RDNS(FCRDNS_FAILED), NULL},
    {"reverse dns validation failed", NULL, RDNS(PTR_MISSING_OR_MISMATCH), NULL},
    {"reverse dns lookup failed", NULL, RDNS(PTR_MISSING_OR_MISMATCH), NULL},
    {"reverse dns failed", NULL, RDNS(PTR_MISSING_OR_MISMATCH), NULL},
    {"invalid rdns record", NULL, RDNS(PTR_MISSING_OR_MISMATCH), NULL},
    {"broken reverse dns", NULL, RDNS(PTR_MISSING_OR_MISMATCH), NULL},
    {"ptr lookup failure", NULL, RDNS(PTR_MISSING_OR_MISMATCH), NULL},
    {"invalid ptr record", NULL, RDNS(PTR_MISSING_OR_MISMATCH), NULL},

    /* Not reverse DNS. Blocklists before authentication: a DNSBL reply can
     * mention SPF or DMARC in its URL, never the other way round. */
    {"service unavailable; client host", "blocked using", OTHER(BLOCKLIST), "postfix"},
    {"blocked using", NULL, OTHER(BLOCKLIST), NULL},
    {"found on one or more dnsbls", NULL, OTHER(BLOCKLIST), "comcast"},
    {"on our block list", NULL, OTHER(BLOCKLIST), "microsoft"},
    {"spamhaus", NULL, OTHER(BLOCKLIST), NULL},
    {"ipcheck.proofpoint.com", NULL, OTHER(BLOCKLIST), "proofpoint"},
    {"barracuda reputation", NULL, OTHER(BLOCKLIST), "barracuda"},
    {"(bl)", NULL, OTHER(BLOCKLIST), "t-online"},
    {"dnsbl", NULL, OTHER(BLOCKLIST), NULL},
    {"blacklist", NULL, OTHER(BLOCKLIST), NULL},
    {"blocklist", NULL, OTHER(BLOCKLIST), NULL},
    {"block list", NULL, OTHER(BLOCKLIST), NULL},
    {"must pass either spf or dkim", NULL, OTHER(SPF_DMARC), "microsoft"},
    {"sender is unauthenticated", NULL, OTHER(SPF_DMARC), "gmail"},
    {"this mail is unauthenticated", NULL, OTHER(SPF_DMARC), "gmail"},
    {"authenticate with at least one of spf or dkim", NULL, OTHER(SPF_DMARC), "gmail"},
    {"dmarc", NULL, OTHER(SPF_DMARC), NULL},
    {"no passing dkim signature", NULL, OTHER(DKIM), NULL},
    {"dkim signature", NULL, OTHER(DKIM), NULL},
    {"spf", NULL, OTHER(SPF_DMARC), NULL},
    {"dkim", NULL, OTHER(DKIM), NULL},
    {"sending mta's poor reputation", NULL, OTHER(REPUTATION), "cisco"},
    {"(nowl)", NULL, OTHER(REPUTATION), "t-online"},
    {"permanently deferred", NULL, OTHER(REPUTATION), "yahoo"},
    {"temporarily deferred due to user complaints", NULL, OTHER(REPUTATION), "yahoo"},
    {"temporarily deferred - 4.16", NULL, OTHER(REPUTATION), "yahoo"},
    {"poor reputation", NULL, OTHER(REPUTATION), NULL},
    {"bad reputation", NULL, OTHER(REPUTATION), NULL},
    {"low reputation", NULL, OTHER(REPUTATION), NULL},
    {"greylist", NULL, OTHER(GREYLISTING), NULL},
    {"graylist", NULL, OTHER(GREYLISTING), NULL},
    {"unusual rate of unsolicited mail", NULL, OTHER(RATE_LIMIT), "gmail"},
    {"receiving mail at a rate", NULL, OTHER(RATE_LIMIT), "gmail"},
    {"receiving email at a rate", NULL, OTHER(RATE_LIMIT), "gmail"},
    {"too quickly", NULL, OTHER(RATE_LIMIT), NULL},
    {"unexpected volume or user complaints", NULL, OTHER(RATE_LIMIT), "yahoo"},
    {"deferred due to excessive volume", NULL, OTHER(RATE_LIMIT), "apple"},
    {"rate limited", NULL, OTHER(RATE_LIMIT), NULL},
    {"rate limit", NULL, OTHER(RATE_LIMIT), NULL},
    {"too many connections", NULL, OTHER(RATE_LIMIT), NULL},
    {"try again slower", NULL, OTHER(RATE_LIMIT), NULL},
    {"the email account that you tried to reach does not exist", NULL, OTHER(UNKNOWN_USER),
     "gmail"},
    {"user unknown", NULL, OTHER(UNKNOWN_USER), NULL},
    {"unknown user", NULL, OTHER(UNKNOWN_USER), NULL},
    {"no such user", NULL, OTHER(UNKNOWN_USER), NULL},
    {"user does not exist", NULL, OTHER(UNKNOWN_USER), NULL},
    {"recipient not found", NULL, OTHER(UNKNOWN_USER), NULL},
    {"recipnotfound", NULL, OTHER(UNKNOWN_USER), "microsoft"},
    {"mailbox not found", NULL, OTHER(UNKNOWN_USER), NULL},
    {"over quota", NULL, OTHER(MAILBOX_FULL), NULL},
    {"out of storage space", NULL, OTHER(MAILBOX_FULL), "gmail"},
    {"quota exceeded", NULL, OTHER(MAILBOX_FULL), NULL},
    {"mailbox is full", NULL, OTHER(MAILBOX_FULL), NULL},
    {"mailbox full", NULL, OTHER(MAILBOX_FULL), NULL},
    {"account that you tried to reach is disabled", NULL, OTHER(MAILBOX_DISABLED), "gmail"},
    {"relay access denied", NULL, OTHER(RELAY_DENIED), NULL},
    {"relaying denied", NULL, OTHER(RELAY_DENIED), NULL},
    {"relay not permitted", NULL, OTHER(RELAY_DENIED), NULL},
    {"unable to relay", NULL, OTHER(RELAY_DENIED), NULL},
    {"helo command rejected", NULL, OTHER(HELO), NULL},
    {"need fully-qualified hostname", NULL, OTHER(HELO), NULL},
    {"invalid helo", NULL, OTHER(HELO), NULL},
    {"does not accept mail (nullmx)", NULL, OTHER(SENDER_DOMAIN), "postfix"},
    {"sender address rejected: domain not found", NULL, OTHER(SENDER_DOMAIN), "postfix"},
    {"domain of sender address", "does not", OTHER(SENDER_DOMAIN), "sendmail"},
    {"message size exceeds", NULL, OTHER(MESSAGE_SIZE), NULL},
    {"message size limit", NULL, OTHER(MESSAGE_SIZE), NULL},
    {"message too big", NULL, OTHER(MESSAGE_SIZE), NULL},
    {"must issue a starttls", NULL, OTHER(TLS_REQUIRED), NULL},
    {"encryption is required", NULL, OTHER(TLS_REQUIRED), NULL},
    {"message rejected due to local policy", NULL, OTHER(SPAM_FILTER), NULL},
    {"message rejected under suspicion of spam", NULL, OTHER(SPAM_FILTER), "yandex"},
    {"high probability of spam", NULL, OTHER(SPAM_FILTER), NULL},
    {"spam message rejected", NULL, OTHER(SPAM_FILTER), NULL},
    {"rejected by header based anti-spoofing policy", NULL, OTHER(SPAM_FILTER), "mimecast"},
};

/* Replies that give two reasons at once: the primary one is what the
 * receiver refused for, the secondary one a further fault it names. */
struct mixed {
        const char *text, *then;
        struct bounce_verdict primary;
        enum bounce_class secondary_cls;
        enum bounce_problem secondary_problem;
};

static const struct mixed mixed_reasons[] = {
    /* sendmail's check_rcpt: it relays for hosts it knows by name, and could
     * not name this one, so the refusal is a relay denial. */
    {"relaying denied",
     "ip name lookup failed",
     {OTHER(RELAY_DENIED), "sendmail", "relaying denied", "ip name lookup failed"},
     RDNS(PTR_MISSING)},
    {"relaying denied",
     "ip name possibly forged",
     {OTHER(RELAY_DENIED), "sendmail", "relaying denied", "ip name possibly forged"},
     RDNS(FCRDNS_FAILED)},
    /* Gmail over IPv6: both the PTR and SPF/DKIM are required. */
    {"does not meet ipv6 sending guidelines regarding ptr records",
     "authentication",
     {RDNS(PTR_MISSING_OR_MISMATCH), "gmail",
      "does not meet ipv6 sending guidelines regarding ptr records", "authentication"},
     OTHER(SPF_DMARC)},
};

/* Enhanced status codes alone (RFC 3463, RFC 7372, Gmail's own). "x" is
 * either class digit; provider narrows a code to one system. */
struct code_rule {
        const char *code;
        const char *provider;
        enum bounce_class cls;
        enum bounce_problem problem;
};

static const struct code_rule code_rules[] = {
    {"x.7.25", NULL, RDNS(PTR_MISSING_OR_MISMATCH)}, /* RFC 7372: reverse DNS validation failed */
    {"4.7.23", "gmail", RDNS(PTR_MISSING_OR_MISMATCH)},
    {"x.7.23", NULL, OTHER(SPF_DMARC)}, /* SPF validation failed */
    {"x.7.24", NULL, OTHER(SPF_DMARC)},
    {"x.7.26", NULL, OTHER(SPF_DMARC)},
    {"x.7.27", NULL, OTHER(SPF_DMARC)},
    {"x.7.20", NULL, OTHER(DKIM)},
    {"x.7.21", NULL, OTHER(DKIM)},
    {"x.7.22", NULL, OTHER(DKIM)},
    {"4.7.28", NULL, OTHER(RATE_LIMIT)},
    {"x.1.1", NULL, OTHER(UNKNOWN_USER)},
    {"x.2.2", NULL, OTHER(MAILBOX_FULL)},
    {"x.2.1", NULL, OTHER(MAILBOX_DISABLED)},
    {"x.3.4", NULL, OTHER(MESSAGE_SIZE)},
    {"x.2.3", NULL, OTHER(MESSAGE_SIZE)},
};

static bool alnum(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Finds needle in lower-case text where it is not part of a longer word. */
static bool has_word(const char *text, size_t n, const char *needle)
{
        size_t m = strlen(needle);
        const char *end = text + n;
        const char *p = text;
        if (m == 0)
                return false;
        while (p < end && (p = btext_memmem(p, (size_t)(end - p), needle, m)) != NULL) {
                bool left_ok = p == text || !alnum(needle[0]) || !alnum(p[-1]);
                bool right_ok = p + m == end || !alnum(needle[m - 1]) || !alnum(p[m]);
                if (left_ok && right_ok)
                        return true;
                p++;
        }
        return false;
}

const struct bounce_provider *btable_provider_in(const char *lower, size_t n, bool strong_only)
{
        for (size_t i = 0; i < sizeof providers / sizeof providers[0]; i++) {
                const char *const *list = strong_only ? providers[i].strong : providers[i].markers;
                size_t max = strong_only ? 6 : 10;
                for (size_t j = 0; j < max && list[j]; j++)
                        if (has_word(lower, n, list[j]))
                                return &providers[i].p;
        }
        return NULL;
}

const struct bounce_provider *btable_provider(const char *name)
{
        for (size_t i = 0; i < sizeof providers / sizeof providers[0]; i++)
                if (strcmp(providers[i].p.name, name) == 0)
                        return &providers[i].p;
        for (size_t i = 0; i < sizeof software / sizeof software[0]; i++)
                if (strcmp(software[i].name, name) == 0)
                        return &software[i];
        return NULL;
}

/* Where the pattern (and its second part) occurs in flat, or NULL. */
static const char *reason_at(const struct reason *r, const char *flat, size_t n)
{
        size_t m = strlen(r->text);
        const char *end = flat + n;
        const char *p = flat;
        while (p < end && (p = btext_memmem(p, (size_t)(end - p), r->text, m)) != NULL) {
                if (r->then == NULL)
                        return p;
                const char *after = p + m;
                size_t window = (size_t)(end - after) < NEAR ? (size_t)(end - after) : NEAR;
                if (btext_memmem(after, window, r->then, strlen(r->then)))
                        return p;
                p++;
        }
        return NULL;
}

static void verdict_from(const struct reason *r, struct bounce_verdict *out)
{
        out->cls = r->cls;
        out->problem = r->problem;
        out->provider = r->provider;
        out->pattern = r->text;
        out->then = r->then;
}

bool btable_mixed(const char *flat, size_t n, struct bounce_verdict *out, enum bounce_class *cls2,
                  enum bounce_problem *problem2)
{
        for (size_t i = 0; i < sizeof mixed_reasons / sizeof mixed_reasons[0]; i++) {
                const struct mixed *m = &mixed_reasons[i];
                const struct reason r = {m->text, m->then, m->primary.cls, m->primary.problem,
                                         m->primary.provider};
                if (reason_at(&r, flat, n)) {
                        *out = m->primary;
                        *cls2 = m->secondary_cls;
                        *problem2 = m->secondary_problem;
                        return true;
                }
        }
        return false;
}

bool btable_reason(const char *flat, size_t n, struct bounce_verdict *out)
{
        for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
                if (reason_at(&reasons[i], flat, n)) {
                        verdict_from(&reasons[i], out);
                        return true;
                }
        }
        return false;
}

bool btable_verdict_in(const struct bounce_verdict *v, const char *flat, size_t n)
{
        const struct reason r = {v->pattern, v->then, v->cls, v->problem, v->provider};
        return v->pattern && reason_at(&r, flat, n) != NULL;
}

static bool code_matches(const char *rule, const char *code)
{
        if (strlen(rule) != strlen(code))
                return false;
        if (rule[0] != 'x' && rule[0] != code[0])
                return false;
        return strcmp(rule + 1, code + 1) == 0;
}

bool btable_code(const char *enhanced, const char *provider, struct bounce_verdict *out)
{
        for (size_t i = 0; i < sizeof code_rules / sizeof code_rules[0]; i++) {
                const struct code_rule *r = &code_rules[i];
                if (!code_matches(r->code, enhanced))
                        continue;
                if (r->provider && (!provider || strcmp(r->provider, provider) != 0))
                        continue;
                *out = (struct bounce_verdict){r->cls, r->problem, NULL, NULL, NULL};
                return true;
        }
        return false;
}
