/* bounce_ip: the addresses in a bounce, whose each one is, and which one is
 * the sending IP.
 *
 * An address is judged by the words right before it: "host mx.example[IP]
 * said" is the receiving server, "RCPT from name[IP]" in a receiving
 * server's log is the client, an address inside the rejection text is the
 * one the receiver names, and a "from" in a returned Received header is the
 * host that handed the message on. The sending IP is the best-ranked of
 * these; private and loopback addresses never win over public ones. */
#include "bounce_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ptrwiz/escape.h"

#define LOOKBACK 120  /* bytes before an address that decide its role */
#define WINDOW   2048 /* the most of a line or header looked at around an address */

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
        return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_alpha(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool name_char(char c)
{
        return is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '_';
}

char *bounce_strdupf(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0)
                return NULL;
        char *s = malloc((size_t)n + 1);
        if (s == NULL)
                return NULL;
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
        return s;
}

/* ---- finding address tokens ---- */

struct token {
        size_t start, end;
        struct addr addr;
};

/* "4.3.2.1.in-addr.arpa" names 1.2.3.4. */
static void reverse_v4(struct addr *a)
{
        uint8_t b[4] = {a->bytes[3], a->bytes[2], a->bytes[1], a->bytes[0]};
        memcpy(a->bytes, b, 4);
}

static bool parse_token(const char *s, size_t n, struct addr *out)
{
        char buf[64];
        char err[128];
        if (n == 0 || n >= sizeof buf)
                return false;
        memcpy(buf, s, n);
        buf[n] = '\0';
        return addr_parse(buf, out, err, sizeof err) == 0;
}

static size_t scan_v4(const char *s, size_t len, size_t i, struct token *tok)
{
        size_t n = btext_dotted(s + i, len - i, 4);
        size_t j = i + n;
        if (n == 0)
                return 0;
        if (j < len && (is_digit(s[j]) || is_alpha(s[j])))
                return 0;
        bool more = j + 1 < len && s[j] == '.' && is_digit(s[j + 1]);
        bool reverse = btext_prefix_ci(s + j, len - j, ".in-addr.arpa");
        if (more || !parse_token(s + i, j - i, &tok->addr))
                return 0;
        if (reverse) {
                reverse_v4(&tok->addr);
                j += strlen(".in-addr.arpa");
        }
        tok->start = i;
        tok->end = j;
        return j - i;
}

static size_t scan_v6(const char *s, size_t len, size_t i, struct token *tok)
{
        size_t j = i;
        int colons = 0;
        while (j < len && j - i < 46 && (is_hex(s[j]) || s[j] == ':' || s[j] == '.')) {
                colons += s[j] == ':';
                j++;
        }
        if (colons < 2 || (j < len && (is_alpha(s[j]) || is_digit(s[j]))))
                return 0;
        /* "[2001:db8::1]:25" ends at the bracket; a trailing dot or colon
         * belongs to the sentence. */
        while (j > i && (s[j - 1] == '.' || (s[j - 1] == ':' && !(j - i >= 2 && s[j - 2] == ':'))))
                j--;
        /* An IPv4-mapped ::ffff:a.b.c.d comes back as the IPv4 address. */
        if (!parse_token(s + i, j - i, &tok->addr))
                return 0;
        tok->start = i;
        tok->end = j;
        return j - i;
}

/* Where an address may start: not inside a word, a number or an address. */
static bool token_may_start(const char *s, size_t i)
{
        if (i == 0)
                return true;
        char p = s[i - 1];
        if (p == ':' && i >= 5 && btext_prefix_ci(s + i - 5, 5, "ipv6:"))
                return true; /* Postfix and Exim write [IPv6:2001:db8::1] */
        return !(name_char(p) || p == ':');
}

static size_t next_token(const char *s, size_t len, size_t i, struct token *tok)
{
        for (; i < len; i++) {
                if (!is_hex(s[i]) && s[i] != ':')
                        continue;
                if (!token_may_start(s, i))
                        continue;
                if (is_digit(s[i]) && scan_v4(s, len, i, tok))
                        return i;
                if (scan_v6(s, len, i, tok))
                        return i;
        }
        return len;
}

/* ---- judging a token ---- */

/* Special-purpose addresses a receiver on the Internet never sees as a
 * client. Documentation ranges stand in for real addresses in published
 * examples, so they count as public. */
static bool is_internal(const struct addr *a)
{
        const char *what = addr_special_range(a);
        return what != NULL && strncmp(what, "documentation", 13) != 0;
}

/* For "host mx.example[IP]", "host mx.example [IP]", "relay=mx.example[IP]"
 * or "host: mx.example (IP)": the word before the host name, lower case,
 * with a trailing '=' kept. */
static bool word_before_name(const char *s, size_t from, size_t pos, char *word, size_t wlen)
{
        size_t i = pos;
        if (i <= from || (s[i - 1] != '[' && s[i - 1] != '('))
                return false;
        i--;
        if (i > from && s[i - 1] == ' ')
                i--;
        size_t name_end = i;
        while (i > from && name_char(s[i - 1]))
                i--;
        if (i == name_end || i == from || (s[i - 1] != ' ' && s[i - 1] != '='))
                return false;
        bool eq = s[i - 1] == '=';
        i--;
        if (!eq && i > from && s[i - 1] == ':')
                i--;
        size_t w_end = i;
        while (i > from && is_alpha(s[i - 1]))
                i--;
        size_t n = w_end - i;
        if (n == 0 || n + 2 > wlen)
                return false;
        for (size_t k = 0; k < n; k++)
                word[k] = (char)(s[i + k] | 0x20);
        if (eq)
                word[n++] = '=';
        word[n] = '\0';
        return true;
}

/* qmail names the remote server bare: "Connected to IP but ...", "Giving
 * up on IP." and "IP does not like recipient." */
static bool qmail_remote(const char *s, size_t from, size_t pos, size_t end, size_t limit)
{
        static const char *const before[] = {"giving up on ", "connected to "};
        for (size_t i = 0; i < sizeof before / sizeof before[0]; i++) {
                size_t n = strlen(before[i]);
                if (pos - from >= n && btext_prefix_ci(s + pos - n, n, before[i]))
                        return true;
        }
        return end < limit && btext_prefix_ci(s + end, limit - end, " does not like recipient");
}

/* Whether the words right before an address (over '[' or '(' and spaces)
 * end with one of these: "client [IP]", "no DNS reverse for IP", "Messages
 * from IP". They name the connecting client, the sending IP. */
static bool client_words_before(const char *s, size_t from, size_t pos)
{
        static const char *const words[] = {
            "client",        "client host", "client ip",       "client address",  "sending ip",
            "sender ip",     "ip address",  "reverse for",     "dns reverse for", "reverse dns for",
            "messages from", "from",        "connection from", "connect from",    "ip",
        };
        size_t i = pos;
        /* "?ip=IP" in a receiver's lookup link names the client. */
        if (pos - from >= 3 && btext_prefix_ci(s + pos - 3, 3, "ip=") &&
            (pos - from == 3 || s[pos - 4] == '?' || s[pos - 4] == '&'))
                return true;
        while (i > from && (s[i - 1] == '[' || s[i - 1] == '(' || s[i - 1] == ' '))
                i--;
        for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
                size_t n = strlen(words[k]);
                if (i - from >= n && btext_prefix_ci(s + i - n, n, words[k]) &&
                    (i - from == n || !is_alpha(s[i - n - 1])))
                        return i < pos; /* "client1.2.3.4" is no phrase */
        }
        return false;
}

/* Yahoo's deferral codes look like addresses: "temporarily deferred -
 * 4.16.55.1". A dotted quad starting 4.16 or 5.16 right after a dash is
 * one of those, not an address. */
static bool provider_code(const char *s, const struct token *tok)
{
        const char *p = s + tok->start;
        if (!((p[0] == '4' || p[0] == '5') && p[1] == '.' && p[2] == '1' && p[3] == '6' &&
              p[4] == '.'))
                return false;
        size_t i = tok->start;
        for (int k = 0; k < 4 && i > 0; k++) {
                i--;
                if (s[i] == '-' || (unsigned char)s[i] == 0x93) /* "-" or the end of "–" */
                        return true;
                if (s[i] != ' ')
                        break;
        }
        return false;
}

/* Whether the line around pos says needle: a bounded window (Exim puts its
 * markers just before or after "H="), so a megabyte-long line costs no
 * more than a short one. */
static bool near_has(const char *s, size_t ls, size_t le, size_t pos, const char *needle)
{
        size_t a = pos - ls > 256 ? pos - 256 : ls;
        size_t b = le - pos > 128 ? pos + 128 : le;
        return btext_find_ci(s + a, b - a, needle) != NULL;
}

/* Exim: "H=name [IP]" is the remote server on a delivery line ("**", "==",
 * "=>", "SMTP error from remote mail server") and the client on a reception
 * or reject line. */
static bool exim_host_role(const char *s, size_t from, size_t ls, size_t le, size_t pos,
                           enum bounce_ip_role *role)
{
        const char *h = NULL;
        for (const char *p = s + from; p + 2 <= s + pos; p++)
                if (p[0] == 'H' && p[1] == '=' && (p == s + ls || p[-1] == ' '))
                        h = p;
        if (h == NULL || memchr(h, '[', (size_t)(s + pos - h)) == NULL)
                return false;
        static const char *const delivery[] = {" ** ", " == ", " => ",
                                               " -> ", " *> ", "error from remote mail server"};
        *role = BOUNCE_IP_CLIENT_IN_LOG;
        for (size_t i = 0; i < sizeof delivery / sizeof delivery[0]; i++)
                if (near_has(s, ls, le, pos, delivery[i]))
                        *role = BOUNCE_IP_RECEIVER;
        return true;
}

static bool in_reply(const struct bounce_reply *replies, size_t n, size_t pos)
{
        for (size_t i = 0; i < n; i++)
                if (pos >= replies[i].start && pos < replies[i].end)
                        return true;
        return false;
}

/* ---- the sender's own host ---- */

/* A host name at p (letters, digits, dots, dashes) that has a dot and ends
 * in a letter; its length without a trailing dot, or 0. */
static size_t host_name_at(const char *p, size_t left)
{
        size_t k = 0;
        while (k < left && k < 255 && name_char(p[k]) && p[k] != '_')
                k++;
        while (k > 0 && p[k - 1] == '.')
                k--;
        if (k < 4 || memchr(p, '.', k) == NULL || !is_alpha(p[k - 1]))
                return 0;
        return k;
}

/* The host the report says it comes from: the Reporting-MTA field, or the
 * stock first lines of Postfix ("This is the mail system at host X."),
 * qmail ("This is the qmail-send program at X.") and the MAILER-DAEMON
 * address of an Exim or sendmail bounce. That is the sender's own server,
 * the one the receiver refused. */
static void find_sending_host(const struct bounce_text *t, char *out, size_t outlen,
                              const char **how)
{
        char field[256];
        out[0] = '\0';
        *how = NULL;
        if (breply_dsn_field(t, "reporting-mta", field, sizeof field)) {
                size_t n = host_name_at(field, strlen(field));
                if (n > 0 && n < outlen) {
                        memcpy(out, field, n);
                        out[n] = '\0';
                        *how = "reporting_mta_name";
                        return;
                }
        }
        static const struct {
                const char *intro, *how;
        } intros[] = {
            {"this is the mail system at host ", "mail_system_host_name"},
            {"this is the qmail-send program at ", "mail_system_host_name"},
            {"mailer-daemon@", "mailer_daemon_host"},
        };
        for (size_t i = 0; i < sizeof intros / sizeof intros[0]; i++) {
                const char *p = btext_find_ci(t->raw, t->report_end, intros[i].intro);
                if (p == NULL)
                        continue;
                p += strlen(intros[i].intro);
                size_t n = host_name_at(p, (size_t)(t->raw + t->report_end - p));
                if (n > 0 && n < outlen) {
                        memcpy(out, p, n);
                        out[n] = '\0';
                        *how = intros[i].how;
                        return;
                }
        }
}

/* a (alen bytes, maybe with a trailing dot) and b name the same host. */
static bool same_host(const char *a, size_t alen, const char *b)
{
        size_t blen = strlen(b);
        while (alen > 0 && a[alen - 1] == '.')
                alen--;
        if (blen == 0 || alen != blen)
                return false;
        for (size_t i = 0; i < alen; i++)
                if ((a[i] | 0x20) != (b[i] | 0x20))
                        return false;
        return true;
}

/* ---- Received headers ---- */

struct received {
        bool in_from;      /* the address is in the "from" part */
        bool names_sender; /* the part it is in names the sending host */
        char by_name[128]; /* the host after "by" */
};

/* Whether pos is in a Received header; fills r. sender: the sending host's
 * name, or "". */
static bool in_received(const struct bounce_text *t, size_t pos, const char *sender,
                        struct received *r)
{
        const char *s = t->raw;
        size_t ls = btext_line_start(s, pos, 1024);
        memset(r, 0, sizeof *r);
        /* Back over folded continuation lines to the header's first line. */
        for (int lines = 0; lines < 8 && ls > 0 && (s[ls] == ' ' || s[ls] == '\t'); lines++)
                ls = btext_line_start(s, ls - 1, 1024);
        if (!btext_prefix_ci(s + ls, t->len - ls, "received:"))
                return false;
        /* A header is a few lines; look no further than a window. */
        size_t limit = ls + WINDOW < t->len ? ls + WINDOW : t->len;
        size_t hend = pos;
        while (hend < limit && s[hend] != '\n')
                hend++;
        while (hend + 1 < limit && (s[hend + 1] == ' ' || s[hend + 1] == '\t'))
                for (hend++; hend < limit && s[hend] != '\n';)
                        hend++;
        const char *by = btext_find_ci(s + ls, hend - ls, " by ");
        if (by == NULL)
                by = btext_find_ci(s + ls, hend - ls, "\tby ");
        if (by == NULL)
                by = btext_find_ci(s + ls, hend - ls, "\nby ");
        const char *b = by ? by + 4 : NULL;
        size_t bn = b ? host_name_at(b, (size_t)(s + hend - b)) : 0;
        if (bn > 0 && bn < sizeof r->by_name) {
                memcpy(r->by_name, b, bn);
                r->by_name[bn] = '\0';
        }
        r->in_from = by == NULL || s + pos < by;
        if (sender[0] == '\0')
                return true;
        if (!r->in_from) {
                r->names_sender = same_host(r->by_name, strlen(r->by_name), sender);
                return true;
        }
        /* "from NAME (RDNS [IP])": either name may be the sending host's. */
        const char *f = btext_find_ci(s + ls, (size_t)(s + pos - (s + ls)), "from ");
        for (const char *p = f; p && p < s + pos; p++) {
                if (p != f && !(p[-1] == '(' || p[-1] == ' '))
                        continue;
                if (p == f)
                        p += 5;
                size_t n = host_name_at(p, (size_t)(s + pos - p));
                if (n > 0 && same_host(p, n, sender)) {
                        r->names_sender = true;
                        break;
                }
        }
        return true;
}

struct judged {
        enum bounce_ip_role role;
        bool skip; /* not an address at all (a provider's code) */
};

static void judge(const struct bounce_text *t, const struct bounce_reply *replies, size_t nr,
                  const struct token *tok, const char *sender, struct judged *j)
{
        const char *s = t->raw;
        size_t pos = tok->start;
        struct received rcv;
        j->role = BOUNCE_IP_MENTIONED;
        j->skip = provider_code(s, tok);
        if (j->skip)
                return;

        if (pos >= t->report_end) {
                /* The returned message: its Received headers are the way in
                 * to the reporting MTA (the submitting client and before),
                 * never the address the receiver refused. */
                if (in_received(t, pos, "", &rcv) && rcv.in_from)
                        j->role = BOUNCE_IP_SUBMITTER;
                return;
        }
        size_t ls = btext_line_start(s, pos, 256);
        size_t le = pos + WINDOW < t->report_end ? pos + WINDOW : t->report_end;
        const char *nl = memchr(s + pos, '\n', le - pos);
        le = nl ? (size_t)(nl - s) : le;
        if (btext_prefix_ci(s + ls, pos - ls, "remote-mta:")) {
                j->role = BOUNCE_IP_RECEIVER;
                return;
        }
        if (btext_prefix_ci(s + ls, pos - ls, "reporting-mta:")) {
                j->role = BOUNCE_IP_REPORTING_MTA;
                return;
        }
        if (btext_prefix_ci(s + ls, pos - ls, "received-from-mta:")) {
                j->role = BOUNCE_IP_SUBMITTER;
                return;
        }
        /* The bounce's own Received headers: the one the sending host wrote
         * or is named in shows its address. */
        if (in_received(t, pos, sender, &rcv)) {
                if (rcv.names_sender)
                        j->role = BOUNCE_IP_REPORTING_MTA;
                return;
        }
        size_t from = pos > LOOKBACK ? pos - LOOKBACK : 0;
        from = from > ls ? from : ls;
        if (exim_host_role(s, from, ls, le, pos, &j->role))
                return;
        if (qmail_remote(s, from, pos, tok->end, t->report_end)) {
                j->role = BOUNCE_IP_RECEIVER;
                return;
        }
        char word[16];
        if (word_before_name(s, from, pos, word, sizeof word)) {
                static const char *const receiver_words[] = {"host", "relay=", "to", "server"};
                static const char *const client_words[] = {"from", "client="};
                for (size_t i = 0; i < sizeof receiver_words / sizeof receiver_words[0]; i++)
                        if (strcmp(word, receiver_words[i]) == 0) {
                                j->role = BOUNCE_IP_RECEIVER;
                                return;
                        }
                for (size_t i = 0; i < sizeof client_words / sizeof client_words[0]; i++)
                        if (strcmp(word, client_words[i]) == 0) {
                                j->role = BOUNCE_IP_CLIENT_IN_LOG;
                                return;
                        }
        }
        if (btext_find_ci(s + from, pos - from, "no host name found for ip address")) {
                j->role = BOUNCE_IP_CLIENT_IN_LOG;
                return;
        }
        if (in_reply(replies, nr, pos) || client_words_before(s, from, pos))
                j->role = BOUNCE_IP_NAMED_IN_REPLY;
}

/* ---- ranking and choosing ---- */

bool bounce_ip_role_is_sender(enum bounce_ip_role role)
{
        return role == BOUNCE_IP_NAMED_IN_REPLY || role == BOUNCE_IP_CLIENT_IN_LOG ||
               role == BOUNCE_IP_REPORTING_MTA;
}

/* Lower is better; 0 means never the sending IP. */
static int rank(enum bounce_ip_role role, bool internal)
{
        static const int public_rank[] = {
            [BOUNCE_IP_NAMED_IN_REPLY] = 1, [BOUNCE_IP_CLIENT_IN_LOG] = 2,
            [BOUNCE_IP_REPORTING_MTA] = 3,  [BOUNCE_IP_SUBMITTER] = 0,
            [BOUNCE_IP_RECEIVER] = 0,       [BOUNCE_IP_MENTIONED] = 0,
        };
        static const int internal_rank[] = {
            [BOUNCE_IP_NAMED_IN_REPLY] = 5, [BOUNCE_IP_CLIENT_IN_LOG] = 6,
            [BOUNCE_IP_REPORTING_MTA] = 0,  [BOUNCE_IP_SUBMITTER] = 0,
            [BOUNCE_IP_RECEIVER] = 0,       [BOUNCE_IP_MENTIONED] = 0,
        };
        return internal ? internal_rank[role] : public_rank[role];
}

/* An address seen twice keeps its most telling role: the receiving server
 * beats everything (an address the text once shows as the receiver's is
 * never offered), then what the receiver says, then the rest. */
static int weight(enum bounce_ip_role r)
{
        switch (r) {
        case BOUNCE_IP_RECEIVER:
                return 4;
        case BOUNCE_IP_NAMED_IN_REPLY:
        case BOUNCE_IP_CLIENT_IN_LOG:
        case BOUNCE_IP_REPORTING_MTA:
                return 3;
        case BOUNCE_IP_SUBMITTER:
                return 2;
        case BOUNCE_IP_MENTIONED:
                break;
        }
        return 1;
}

static bool better_role(enum bounce_ip_role a, enum bounce_ip_role b, bool internal)
{
        int wa = weight(a), wb = weight(b);
        return wa > wb || (wa == 3 && wb == 3 && rank(a, internal) < rank(b, internal));
}

static void remember(struct bounce_result *res, const struct token *tok, const struct judged *j)
{
        size_t k;
        for (k = 0; k < res->nips; k++)
                if (addr_equal(&res->ips[k].addr, &tok->addr))
                        break;
        if (k == res->nips) {
                if (res->nips == BOUNCE_MAX_IPS)
                        return;
                struct bounce_ip *ip = &res->ips[res->nips++];
                ip->addr = tok->addr;
                addr_format(&tok->addr, ip->text, sizeof ip->text);
                ip->internal = is_internal(&tok->addr);
        } else if (!better_role(j->role, res->ips[k].role, res->ips[k].internal)) {
                return;
        }
        res->ips[k].role = j->role;
}

struct pick {
        int rank;
        size_t index;
        size_t receivers, others; /* addresses of the receiving side, and the rest */
};

/* The best-ranked address, the first one seen on a tie. */
static struct pick choose(const struct bounce_result *res)
{
        struct pick pk = {0};
        for (size_t k = 0; k < res->nips; k++) {
                int r = rank(res->ips[k].role, res->ips[k].internal);
                if (res->ips[k].role == BOUNCE_IP_RECEIVER)
                        pk.receivers++;
                else if (r == 0)
                        pk.others++;
                if (r > 0 && (pk.rank == 0 || r < pk.rank)) {
                        pk.rank = r;
                        pk.index = k;
                }
        }
        return pk;
}

static char *reason_text(const struct bounce_result *res, const struct pick *pk)
{
        const struct bounce_ip *ip = &res->ips[pk->index];
        const char *range = addr_special_range(&ip->addr);

        switch (pk->rank) {
        case 1:
                return bounce_strdupf("named by the receiving system in its rejection");
        case 2:
                return bounce_strdupf("the client address in the receiving server's log line");
        case 3:
                return bounce_strdupf("the address of %s, the server that sent the bounce "
                                      "(the delivery report's Reporting-MTA), as the bounce's "
                                      "own headers show it",
                                      res->sending_host ? res->sending_host : "the host");
        default:
                return bounce_strdupf(
                    "named in the rejection, but it is a %s address: the receiver "
                    "saw your mail arrive through its own network or NAT, so the "
                    "public address of your mail server is the one to check",
                    range ? range : "special-purpose");
        }
}

static char *no_ip_reason(const struct bounce_result *res, const struct pick *pk)
{
        const char *seen = pk->receivers && pk->others ? " (the addresses in it are the receiving "
                                                         "server's and other machines')"
                           : pk->receivers             ? " (the address in it is the receiving "
                                                         "server's, not yours)"
                           : pk->others ? " (the addresses in it belong to other machines: the "
                                          "submitting client or hops on the way, not the "
                                          "server the receiver refused)"
                                        : "";
        if (res->sending_host)
                return bounce_strdupf("the sending IP is not in the text%s; the report names "
                                      "your sending server %s: resolve that name to find it",
                                      seen, res->sending_host);
        return bounce_strdupf("the sending IP is not in the text%s", seen);
}

/* ---- the receiving servers ---- */

static size_t addr_token_at(const char *s, size_t len, size_t i, struct token *tok)
{
        if (i < len && (s[i] == '[' || s[i] == '('))
                i++;
        if (i + 5 < len && btext_prefix_ci(s + i, len - i, "ipv6:"))
                i += 5;
        if (i < len && is_digit(s[i]) && scan_v4(s, len, i, tok))
                return tok->end;
        if (i < len && (is_hex(s[i]) || s[i] == ':') && scan_v6(s, len, i, tok))
                return tok->end;
        return 0;
}

/* The recipient named on the line of pos or the two before it: the last
 * "user@domain" there. */
static char *recipient_before(const struct bounce_text *t, size_t pos)
{
        const char *s = t->raw;
        size_t ls = btext_line_start(s, pos, 512);
        for (int k = 0; k < 2 && ls > 0; k++)
                ls = btext_line_start(s, ls - 1, 512);
        const char *best = NULL;
        size_t bestn = 0;
        for (size_t i = ls; i < pos; i++) {
                if (s[i] != '@' || i == ls)
                        continue;
                size_t a = i;
                while (a > ls && (name_char(s[a - 1]) || s[a - 1] == '+'))
                        a--;
                size_t n = host_name_at(s + i + 1, pos - i - 1);
                if (a < i && n > 0) {
                        best = s + a;
                        bestn = i + 1 + n - a;
                }
        }
        return best ? escape_dup(best, bestn, 0) : NULL;
}

/* The first reply that starts in [from, to). */
static const struct bounce_reply *reply_after(const struct bounce_reply *r, size_t n, size_t from,
                                              size_t to)
{
        for (size_t i = 0; i < n; i++)
                if (r[i].start >= from && r[i].start < to)
                        return &r[i];
        return NULL;
}

static int add_receiver(const struct bounce_text *t, const struct bounce_reply *replies, size_t nr,
                        struct bounce_result *res, const char *name, size_t namelen,
                        const struct addr *a, size_t pos)
{
        char ip[ADDR_STRLEN] = "";
        if (a)
                addr_format(a, ip, sizeof ip);
        struct bounce_receiver *rc = NULL;
        for (size_t i = 0; i < res->nreceivers && !rc; i++) {
                struct bounce_receiver *c = &res->receivers[i];
                if (name && c->name && same_host(name, namelen, c->name))
                        rc = c;
                else if (ip[0] && strcmp(c->ip, ip) == 0)
                        rc = c;
        }
        if (rc == NULL) {
                if (res->nreceivers == BOUNCE_MAX_RECEIVERS)
                        return 0;
                rc = &res->receivers[res->nreceivers++];
                rc->cls = BOUNCE_NOT_REVERSE_DNS;
                rc->problem = BOUNCE_PROBLEM_UNKNOWN;
        }
        if (name && rc->name == NULL && (rc->name = escape_dup(name, namelen, 0)) == NULL)
                return -1;
        if (ip[0] && rc->ip[0] == '\0')
                snprintf(rc->ip, sizeof rc->ip, "%s", ip);
        if (rc->recipient == NULL)
                rc->recipient = recipient_before(t, pos);
        /* Its reply follows; qmail names the server after the reply too. */
        const struct bounce_reply *r =
            rc->smtp_code
                ? NULL
                : reply_after(replies, nr, name ? pos : (pos > 300 ? pos - 300 : 0), pos + 600);
        if (r) {
                rc->smtp_code = r->code;
                snprintf(rc->enhanced_code, sizeof rc->enhanced_code, "%s", r->enhanced);
                char *flat = malloc(r->end - r->start + 1);
                if (flat == NULL)
                        return -1;
                size_t n = btext_flatten(t->raw + r->start, r->end - r->start, false, flat);
                struct bounce_verdict v;
                if (btable_reason(flat, n, &v) ||
                    (r->enhanced[0] && btable_code(r->enhanced, NULL, &v))) {
                        rc->cls = v.cls;
                        rc->problem = v.problem;
                }
                free(flat);
                /* The sending IP this reply names. */
                struct token tok;
                for (size_t i = next_token(t->raw, r->end, r->start, &tok);
                     i < r->end && !rc->sending_ip[0];
                     i = next_token(t->raw, r->end, tok.end, &tok))
                        for (size_t k = 0; k < res->nips; k++)
                                if (addr_equal(&res->ips[k].addr, &tok.addr) &&
                                    bounce_ip_role_is_sender(res->ips[k].role))
                                        snprintf(rc->sending_ip, sizeof rc->sending_ip, "%s",
                                                 res->ips[k].text);
        }
        return 0;
}

/* Every receiving server the report names: "host NAME[IP] said:", Exim's
 * "host NAME [IP]:", "relay=NAME[IP]", "Remote-MTA: dns; NAME", qmail's
 * "Connected to IP but". Each with its recipient and its own reply. */
static int find_receivers(const struct bounce_text *t, const struct bounce_reply *replies,
                          size_t nr, struct bounce_result *res)
{
        enum kind { HOST, NAMED, FIELD, BARE };
        static const struct {
                const char *intro;
                enum kind kind;
        } intros[] = {
            {"host ", HOST},         {"host: ", NAMED},
            {"relay=", NAMED},       {"remote-mta: dns;", FIELD},
            {"connected to ", BARE}, {"giving up on ", BARE},
            {"h=", NAMED},
        };
        const char *s = t->raw;
        size_t len = t->report_end;
        for (size_t i = 0; i < len && res->nreceivers < BOUNCE_MAX_RECEIVERS; i++) {
                char c = s[i] | 0x20;
                if (c != 'h' && c != 'r' && c != 'c' && c != 'g')
                        continue;
                if (i > 0 && (is_alpha(s[i - 1]) || s[i - 1] == '-' || s[i - 1] == '_'))
                        continue;
                size_t k;
                for (k = 0; k < sizeof intros / sizeof intros[0]; k++)
                        if (btext_prefix_ci(s + i, len - i, intros[k].intro))
                                break;
                if (k == sizeof intros / sizeof intros[0])
                        continue;
                enum kind kind = intros[k].kind;
                /* Exim's H= is the remote server only on a delivery line. */
                if (k == 6) {
                        static const char *const delivery[] = {
                            " ** ", " == ", " => ",
                            " -> ", " *> ", "error from remote mail server"};
                        size_t ls = btext_line_start(s, i, 256), le = btext_line_end(s, len, i);
                        bool remote = false;
                        if (s[i] != 'H' || (i > 0 && s[i - 1] != ' '))
                                continue;
                        for (size_t d = 0; d < sizeof delivery / sizeof delivery[0]; d++)
                                remote = remote || near_has(s, ls, le, i, delivery[d]);
                        if (!remote)
                                continue;
                }
                /* Postfix's own "This is the mail system at host X" is the sender. */
                if (kind == HOST && i >= 15 && btext_prefix_ci(s + i - 15, 15, "mail system at "))
                        continue;
                size_t p = i + strlen(intros[k].intro);
                while (p < len && s[p] == ' ')
                        p++;
                struct token tok;
                size_t n = kind == BARE ? 0 : host_name_at(s + p, len - p);
                if (n == 0) { /* "Remote-MTA: dns; [IP]", qmail's "Connected to IP" */
                        if ((kind == FIELD || kind == BARE) && addr_token_at(s, len, p, &tok) &&
                            add_receiver(t, replies, nr, res, NULL, 0, &tok.addr, i) < 0)
                                return -1;
                        continue;
                }
                size_t q = p + n;
                while (q < len && s[q] == '.')
                        q++;
                while (q < len && s[q] == ' ')
                        q++;
                bool have =
                    q < len && (s[q] == '[' || s[q] == '(') && addr_token_at(s, len, q, &tok);
                /* "host NAME said" counts without an address; a bare "host
                 * NAME" in prose does not. */
                if (!have && kind == HOST && !btext_prefix_ci(s + q, len - q, "said") &&
                    !btext_prefix_ci(s + q, len - q, "refused"))
                        continue;
                if (add_receiver(t, replies, nr, res, s + p, n, have ? &tok.addr : NULL, i) < 0)
                        return -1;
                i = q;
        }
        return 0;
}

int bip_collect(const struct bounce_text *t, const struct bounce_reply *replies, size_t nreplies,
                struct bounce_result *res)
{
        struct token tok;
        struct judged j;
        char sender[256];

        find_sending_host(t, sender, sizeof sender, &res->sending_host_how);
        if (sender[0] && (res->sending_host = escape_dup(sender, strlen(sender), 0)) == NULL)
                return -1;
        for (size_t i = next_token(t->raw, t->len, 0, &tok); i < t->len;
             i = next_token(t->raw, t->len, tok.end, &tok)) {
                judge(t, replies, nreplies, &tok, sender, &j);
                if (!j.skip)
                        remember(res, &tok, &j);
        }
        if (find_receivers(t, replies, nreplies, res) < 0)
                return -1;
        for (size_t i = 0; !res->remote_mta && i < res->nreceivers; i++)
                if (res->receivers[i].name &&
                    (res->remote_mta = strdup(res->receivers[i].name)) == NULL)
                        return -1;

        struct pick pk = choose(res);
        static const char *const hows[] = {
            NULL, "named_in_reply", "client_in_log", "reporting_mta_address",
            NULL, "named_in_reply", "client_in_log"};
        if (pk.rank > 0) {
                snprintf(res->ip, sizeof res->ip, "%s", res->ips[pk.index].text);
                res->ip_how = hows[pk.rank];
                res->ip_reason = reason_text(res, &pk);
        } else {
                res->ip_reason = no_ip_reason(res, &pk);
        }
        return res->ip_reason ? 0 : -1;
}
