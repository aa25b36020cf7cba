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

/* qmail names the remote server bare: "Giving up on IP." and "IP does not
 * like recipient." */
static bool qmail_remote(const char *s, size_t from, size_t pos, size_t end, size_t limit)
{
        static const char before[] = "giving up on ";
        size_t n = sizeof before - 1;
        if (pos - from >= n && btext_prefix_ci(s + pos - n, n, before))
                return true;
        return end < limit && btext_prefix_ci(s + end, limit - end, " does not like recipient");
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

/* In a returned Received header: in its "from" part, or elsewhere. by_name
 * gets the host after "by" when there is one. */
static bool in_received_from(const struct bounce_text *t, size_t pos, char *by_name, size_t blen)
{
        const char *s = t->raw;
        size_t ls = btext_line_start(s, pos, 1024);
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
        if (by && by_name) {
                const char *b = by + 4;
                size_t n = 0;
                while (b + n < s + hend && name_char(b[n]) && n + 1 < blen)
                        n++;
                memcpy(by_name, b, n);
                by_name[n] = '\0';
        }
        return by == NULL || s + pos < by;
}

struct judged {
        enum bounce_ip_role role;
        char by_name[128]; /* for RECEIVED_FROM: the host that received it */
};

static void judge(const struct bounce_text *t, const struct bounce_reply *replies, size_t nr,
                  const struct token *tok, struct judged *j)
{
        const char *s = t->raw;
        size_t pos = tok->start;
        j->by_name[0] = '\0';
        j->role = BOUNCE_IP_MENTIONED;

        if (pos >= t->report_end) {
                if (in_received_from(t, pos, j->by_name, sizeof j->by_name))
                        j->role = BOUNCE_IP_RECEIVED_FROM;
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
        if (btext_prefix_ci(s + ls, pos - ls, "received-from-mta:") ||
            btext_prefix_ci(s + ls, pos - ls, "reporting-mta:")) {
                j->role = BOUNCE_IP_DSN_FIELD;
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
                static const char *const receiver_words[] = {"host", "relay=", "to"};
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
        if (in_reply(replies, nr, pos))
                j->role = BOUNCE_IP_NAMED_IN_REPLY;
}

/* ---- ranking and choosing ---- */

/* Lower is better; 0 means never the sending IP. */
static int rank(enum bounce_ip_role role, bool internal)
{
        static const int public_rank[] = {
            [BOUNCE_IP_NAMED_IN_REPLY] = 1, [BOUNCE_IP_CLIENT_IN_LOG] = 2,
            [BOUNCE_IP_DSN_FIELD] = 3,      [BOUNCE_IP_RECEIVED_FROM] = 4,
            [BOUNCE_IP_RECEIVER] = 0,       [BOUNCE_IP_MENTIONED] = 7,
        };
        static const int internal_rank[] = {
            [BOUNCE_IP_NAMED_IN_REPLY] = 5, [BOUNCE_IP_CLIENT_IN_LOG] = 6,
            [BOUNCE_IP_DSN_FIELD] = 0,      [BOUNCE_IP_RECEIVED_FROM] = 0,
            [BOUNCE_IP_RECEIVER] = 0,       [BOUNCE_IP_MENTIONED] = 0,
        };
        return internal ? internal_rank[role] : public_rank[role];
}

/* An address seen twice keeps its most telling role: what the receiver
 * says beats "the receiving server", which beats a bare mention. */
static bool better_role(enum bounce_ip_role a, enum bounce_ip_role b, bool internal)
{
        int wa = a == BOUNCE_IP_MENTIONED ? 0 : a == BOUNCE_IP_RECEIVER ? 1 : 2;
        int wb = b == BOUNCE_IP_MENTIONED ? 0 : b == BOUNCE_IP_RECEIVER ? 1 : 2;
        return wa > wb || (wa == 2 && wb == 2 && rank(a, internal) < rank(b, internal));
}

struct seen {
        char by_name[BOUNCE_MAX_IPS][128]; /* per address, for RECEIVED_FROM */
};

static void remember(struct bounce_result *res, struct seen *seen, const struct token *tok,
                     const struct judged *j)
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
        snprintf(seen->by_name[k], sizeof seen->by_name[k], "%s", j->by_name);
}

struct pick {
        int rank;
        size_t index;
        const char *by_name;
        size_t mentioned; /* public addresses only mentioned */
};

/* The best-ranked address, the first one seen on a tie. Bare mentions only
 * count when there is exactly one: of several, none can be told apart. */
static struct pick choose(const struct bounce_result *res, const struct seen *seen)
{
        struct pick pk = {0};
        for (size_t k = 0; k < res->nips; k++) {
                int r = rank(res->ips[k].role, res->ips[k].internal);
                pk.mentioned += r == 7;
                if (r > 0 && (pk.rank == 0 || r < pk.rank)) {
                        pk.rank = r;
                        pk.index = k;
                        pk.by_name = seen->by_name[k];
                }
        }
        if (pk.rank == 7 && pk.mentioned > 1)
                pk.rank = 0;
        return pk;
}

static char *reason_text(const struct bounce_result *res, const struct pick *pk)
{
        const struct bounce_ip *ip = &res->ips[pk->index];
        const char *by_raw = pk->by_name ? pk->by_name : "";
        char *by = escape_dup(by_raw, strlen(by_raw), 0);
        char *out = NULL;
        const char *range = addr_special_range(&ip->addr);

        if (by == NULL)
                return NULL;
        switch (pk->rank) {
        case 1:
                out = bounce_strdupf("named by the receiving system in its rejection");
                break;
        case 2:
                out = bounce_strdupf("the client address in the receiving server's log line");
                break;
        case 3:
                out = bounce_strdupf("from the delivery report (Reporting-MTA or "
                                     "Received-From-MTA)");
                break;
        case 4:
                out = bounce_strdupf("a guess: the newest public address in the Received headers "
                                     "of the returned message (%s received the message from "
                                     "it); if your mail server sends from another address, "
                                     "check that one",
                                     by[0] ? by : "the next server");
                break;
        case 5:
        case 6:
                out = bounce_strdupf("named in the rejection, but it is a %s address: the receiver "
                                     "saw your mail arrive through its own network or NAT, so the "
                                     "public address of your mail server is the one to check",
                                     range ? range : "special-purpose");
                break;
        default:
                out = bounce_strdupf("the only address in the text that is not the receiving "
                                     "server's; the text does not say whose it is");
                break;
        }
        free(by);
        return out;
}

static void find_remote_name(const struct bounce_text *t, struct bounce_result *res)
{
        char name[256];
        if (breply_dsn_field(t, "remote-mta", name, sizeof name)) {
                res->remote_mta = escape_dup(name, strlen(name), 0);
                return;
        }
        static const char *const intros[] = {"host ", "relay=", "talking to "};
        for (size_t i = 0; i < sizeof intros / sizeof intros[0]; i++) {
                const char *p = btext_find_ci(t->raw, t->report_end, intros[i]);
                while (p) {
                        const char *n = p + strlen(intros[i]);
                        size_t k = 0;
                        while (n + k < t->raw + t->report_end && name_char(n[k]) && k < 255)
                                k++;
                        /* A host name, not "host rejected" or an address. */
                        if (k > 3 && memchr(n, '.', k) && is_alpha(n[k - 1 - (n[k - 1] == '.')])) {
                                size_t len = n[k - 1] == '.' ? k - 1 : k;
                                res->remote_mta = escape_dup(n, len, 0);
                                return;
                        }
                        size_t off = (size_t)(p - t->raw) + 1;
                        p = btext_find_ci(t->raw + off, t->report_end - off, intros[i]);
                }
        }
}

int bip_collect(const struct bounce_text *t, const struct bounce_reply *replies, size_t nreplies,
                struct bounce_result *res)
{
        struct seen *seen = calloc(1, sizeof *seen);
        struct token tok;
        struct judged j;

        if (seen == NULL)
                return -1;
        for (size_t i = next_token(t->raw, t->len, 0, &tok); i < t->len;
             i = next_token(t->raw, t->len, tok.end, &tok)) {
                judge(t, replies, nreplies, &tok, &j);
                remember(res, seen, &tok, &j);
        }
        find_remote_name(t, res);

        struct pick pk = choose(res, seen);
        if (pk.rank > 0) {
                snprintf(res->ip, sizeof res->ip, "%s", res->ips[pk.index].text);
                res->ip_reason = reason_text(res, &pk);
        } else if (pk.mentioned > 1) {
                res->ip_reason = bounce_strdupf("several addresses appear, and nothing in the text "
                                                "says which one is the sending server's");
        } else {
                res->ip_reason = bounce_strdupf(
                    "no address in the text is the sending server's%s",
                    res->nips ? " (the ones seen belong to the receiving side or are private)"
                              : "");
        }
        free(seen);
        return res->ip_reason ? 0 : -1;
}
