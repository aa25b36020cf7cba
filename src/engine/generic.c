/* generic: does a PTR name look like an ISP's or a cloud's default name?
 *
 * Receivers (Gmail, Outlook, T-Online) treat such a name like no PTR at all.
 * The evidence, strongest first: a provider's default domain, the IP written
 * into the name (or any address-like a-b-c-d), a placeholder (localhost, a
 * private top-level name), then words ISPs use. Words count only left of
 * the registered domain, found with the Public Suffix List: in
 * server.home.co.uk, "home" is part of someone's domain and says nothing.
 * Words for how an address is assigned or that it is mobile (dyn, pool,
 * static, lte) count anywhere there; ISP jargon for the line or the
 * subscriber (dsl, ftth, customer) not beside a label that names a mail
 * server (smtp.dsl.isp.example is the ISP's relay); ordinary words ISPs use
 * too (home, client) only beside a number as well (home-17, not
 * home.example.com). Reasons hold only our own text and digits. */
#include "ptrwiz/generic.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ptrwiz/finaldot.h"
#include "ptrwiz/hostname.h"
#include "ptrwiz/suffix.h"

#define NAME_BUF 1024
#define FORM_BUF 80
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Domains under which every name is a provider's default. */
static const struct {
        const char *suffix;
        const char *what;
} provider_defaults[] = {
    {"compute.amazonaws.com", "Amazon EC2's default name"},
    {"compute-1.amazonaws.com", "Amazon EC2's default name"},
    {"bc.googleusercontent.com", "Google Cloud's default name"},
    {"cloudapp.azure.com", "a Microsoft Azure default name"},
    {"cloudapp.net", "a Microsoft Azure default name"},
    {"vultrusercontent.com", "Vultr's default name"},
    {"linodeusercontent.com", "Linode's default name"},
    {"members.linode.com", "Linode's default name"},
    {"clients.your-server.de", "Hetzner's default name"},
    {"static.hetzner.com", "Hetzner's default name"},
    {"contaboserver.net", "Contabo's default name"},
    {"vps.ovh.net", "OVH's default VPS name"},
    {"vps.ovh.ca", "OVH's default VPS name"},
    {"vps.ovh.us", "OVH's default VPS name"},
    {"rev.poneytelecom.eu", "Scaleway's default name"},
    {"instances.scw.cloud", "Scaleway's default name"},
    {"dedibox.fr", "Scaleway's default name"},
    {"ip.secureserver.net", "GoDaddy's default name"},
    {"dip0.t-ipconnect.de", "a Deutsche Telekom dynamic address"},
    {"abo.wanadoo.fr", "an Orange broadband address"},
    {"btcentralplus.com", "a BT broadband address"},
    {"shawcable.net", "a Shaw cable address"},
    {"res.rr.com", "a Spectrum residential address"},
    {"fios.verizon.net", "a Verizon Fios residential address"},
};

/* Words for how an address is assigned, that it is a placeholder, or that
 * it is on a mobile network. They count at token boundaries ("dyn123" and
 * "adsl-pool" count, "poolside" and "dynamics" do not). Longer words first:
 * the reason names "static-ip", not "static". */
static const char *const assignment_words[] = {
    "dynamicip", "dynamic",   "dynip",    "dyn",      "pools",   "pool",       "dhcp",
    "pppoe",     "pptp",      "ppp",      "dialup",   "dial-up", "dialin",     "dial",
    "dip",       "static-ip", "staticip", "static",   "fixip",   "unassigned", "unused-addr",
    "unused",    "not-set",   "unknown",  "homeuser", "mobile",  "wireless",   "wifi",
    "wlan",      "wimax",     "gprs",     "cdma",     "umts",    "lte",        "3g",
    "4g",        "5g",
};

/* ISPs' words for the access line or the subscriber. */
static const char *const subscriber_words[] = {
    "cablemodem",  "cable",      "catv",      "docsis",   "broadband", "bredband",    "kabel",
    "adsl",        "vdsl",       "xdsl",      "sdsl",     "dsl",       "ftth",        "fttx",
    "fttb",        "fttc",       "fttp",      "fiber",    "fibre",     "gpon",        "epon",
    "subscribers", "subscriber", "customers", "customer", "cust",      "residential", "resnet",
    "cpe",         "hsd",        "hsi",       "reverse",  "fbx",
};

/* Ordinary words ISPs use too. An ISP numbers each address, so they count
 * only beside a number: "home-17", not "home.theory" or "home.example.com". */
static const char *const plain_words[] = {
    "home",   "users",    "user", "clientes", "cliente", "clients",
    "client", "resident", "res",  "rev",      "nat",     "modem",
};

/* Private-use top-level names: no such name is anyone's on the Internet. */
static const char *const private_tlds[] = {
    "localhost", "localdomain", "local", "lan",     "home",    "internal",
    "intranet",  "intra",       "priv",  "private", "invalid", "home.arpa",
};

/* Tokens of a label that name a mail server (mx1, smtp-out, mail-02). */
static const char *const mail_words[] = {
    "mail",    "mx",       "smtp",      "mta",      "out",    "outbound",  "relay",
    "mailout", "mout",     "email",     "post",     "mailer", "bounce",    "bounces",
    "send",    "sender",   "smtpout",   "exchange", "mailgw", "mailrelay", "mxout",
    "outmail", "mailhost", "smarthost", "postfix",  "exim",
};

/* How the address is written into a name: which units (octets, hextets or
 * nibbles), in which order, with which separator and number format. */
enum unit { OCTETS, HEXTETS, NIBBLES };
enum number { DEC, DEC3, HEX, HEX2, HEX4 }; /* %u, %03u, %x, %02x, %04x */

struct ip_form {
        const char *how; /* "the IP appears dashed" */
        enum unit unit;
        int first, count;
        bool reversed;
        const char *sep;
        enum number number;
};

static const struct ip_form v4_forms[] = {
    {"the IP appears dashed", OCTETS, 0, 4, false, "-", DEC},
    {"the IP appears reversed and dashed", OCTETS, 0, 4, true, "-", DEC},
    {"the IP appears dotted", OCTETS, 0, 4, false, ".", DEC},
    {"the IP appears reversed and dotted", OCTETS, 0, 4, true, ".", DEC},
    {"the IP appears with underscores", OCTETS, 0, 4, false, "_", DEC},
    {"the IP appears zero-padded", OCTETS, 0, 4, false, "", DEC3},
    {"the IP appears reversed and zero-padded", OCTETS, 0, 4, true, "", DEC3},
    {"the IP appears zero-padded", OCTETS, 0, 4, false, "-", DEC3},
    {"the IP appears zero-padded", OCTETS, 0, 4, false, ".", DEC3},
    {"the IP appears in hex", OCTETS, 0, 4, false, "", HEX2},
    {"the IP appears reversed in hex", OCTETS, 0, 4, true, "", HEX2},
    {"three octets of the IP appear", OCTETS, 0, 3, false, "-", DEC},
    {"three octets of the IP appear", OCTETS, 0, 3, false, ".", DEC},
    {"three octets of the IP appear", OCTETS, 1, 3, false, "-", DEC},
    {"three octets of the IP appear", OCTETS, 1, 3, false, ".", DEC},
    {"three octets of the IP appear reversed", OCTETS, 1, 3, true, "-", DEC},
    {"three octets of the IP appear reversed", OCTETS, 1, 3, true, ".", DEC},
    {"three octets of the IP appear reversed", OCTETS, 0, 3, true, "-", DEC},
    {"three octets of the IP appear reversed", OCTETS, 0, 3, true, ".", DEC},
};

static const struct ip_form v6_forms[] = {
    {"the IP appears dashed", HEXTETS, 0, 8, false, "-", HEX},
    {"the IP appears dashed", HEXTETS, 0, 8, false, "-", HEX4},
    {"the IP appears dotted", HEXTETS, 0, 8, false, ".", HEX},
    {"the IP appears in hex", HEXTETS, 0, 8, false, "", HEX4},
    {"the IP appears as reversed nibbles", NIBBLES, 0, 32, true, ".", HEX},
    {"the IP's /64 prefix appears", HEXTETS, 0, 4, false, "-", HEX},
    {"the IP's /64 prefix appears", HEXTETS, 0, 4, false, "-", HEX4},
    {"the IP's /64 prefix appears in hex", HEXTETS, 0, 4, false, "", HEX4},
};

/* Units of the address: octets of IPv4, hextets or nibbles of IPv6. */
static size_t addr_units(const struct addr *ip, enum unit unit, unsigned *v)
{
        size_t n = ip->family == AF_INET ? 4 : 16;

        if (unit == OCTETS) {
                for (size_t i = 0; i < n; i++)
                        v[i] = ip->bytes[i];
                return n;
        }
        if (unit == HEXTETS) {
                for (size_t i = 0; i < 8; i++)
                        v[i] = (unsigned)ip->bytes[2 * i] << 8 | ip->bytes[2 * i + 1];
                return 8;
        }
        for (size_t i = 0; i < 16; i++) {
                v[2 * i] = ip->bytes[i] >> 4;
                v[2 * i + 1] = ip->bytes[i] & 0x0f;
        }
        return 32;
}

static int number_print(char *buf, size_t len, enum number number, unsigned v)
{
        switch (number) {
        case DEC:
                return snprintf(buf, len, "%u", v);
        case DEC3:
                return snprintf(buf, len, "%03u", v);
        case HEX:
                return snprintf(buf, len, "%x", v);
        case HEX2:
                return snprintf(buf, len, "%02x", v);
        case HEX4:
                return snprintf(buf, len, "%04x", v);
        }
        return 0;
}

static bool number_is_hex(enum number number)
{
        return number == HEX || number == HEX2 || number == HEX4;
}

/* The text a form makes of the address, e.g. "198-18-1-15". */
static void form_render(const struct addr *ip, const struct ip_form *f, char *buf, size_t len)
{
        unsigned v[32];
        size_t w = 0;

        addr_units(ip, f->unit, v);
        buf[0] = '\0';
        for (int i = 0; i < f->count && w < len; i++) {
                int k = f->reversed ? f->first + f->count - 1 - i : f->first + i;
                if (i > 0)
                        w += (size_t)snprintf(buf + w, len - w, "%s", f->sep);
                if (w < len)
                        w += (size_t)number_print(buf + w, len - w, f->number, v[k]);
        }
}

static bool is_digit_of(char c, bool hex)
{
        return hex ? isxdigit((unsigned char)c) : isdigit((unsigned char)c);
}

/* Finds needle in name where no digit of its kind touches it on either
 * side, so "1-2-3-4" is not found inside "11-2-3-45". */
static const char *find_bounded(const char *name, const char *needle, bool hex)
{
        size_t n = strlen(needle);

        for (const char *p = strstr(name, needle); p != NULL; p = strstr(p + 1, needle)) {
                bool left = p == name || !is_digit_of(p[-1], hex);
                bool right = !is_digit_of(p[n], hex);
                if (left && right)
                        return p;
        }
        return NULL;
}

static bool try_forms(const char *name, const struct addr *ip, const struct ip_form *forms,
                      size_t n, struct generic_verdict *out)
{
        char text[FORM_BUF];

        for (size_t i = 0; i < n; i++) {
                form_render(ip, &forms[i], text, sizeof text);
                if (find_bounded(name, text, number_is_hex(forms[i].number)) != NULL) {
                        snprintf(out->reason, sizeof out->reason, "%s (%s)", forms[i].how, text);
                        return true;
                }
        }
        return false;
}

/* IPv4 as one 32-bit number (3323068687); only long numbers, short ones
 * turn up in names by chance. */
static bool try_v4_integer(const char *name, const struct addr *ip, struct generic_verdict *out)
{
        uint32_t v = (uint32_t)ip->bytes[0] << 24 | (uint32_t)ip->bytes[1] << 16 |
                     (uint32_t)ip->bytes[2] << 8 | ip->bytes[3];
        char text[16];

        if (v < 10000000)
                return false;
        snprintf(text, sizeof text, "%u", (unsigned)v);
        if (find_bounded(name, text, false) == NULL)
                return false;
        snprintf(out->reason, sizeof out->reason, "the IP appears as one number (%s)", text);
        return true;
}

/* IPv4 split in two halves, as Orange writes "...-1-10-44.w86-195...". */
static bool try_v4_halves(const char *name, const struct addr *ip, struct generic_verdict *out)
{
        const uint8_t *b = ip->bytes;
        char front[2][16], back[2][16];
        const char *f = NULL, *k = NULL;

        snprintf(front[0], sizeof front[0], "%u-%u", b[0], b[1]);
        snprintf(front[1], sizeof front[1], "%u-%u", b[1], b[0]);
        snprintf(back[0], sizeof back[0], "%u-%u", b[2], b[3]);
        snprintf(back[1], sizeof back[1], "%u-%u", b[3], b[2]);
        for (int i = 0; i < 2 && f == NULL; i++)
                f = find_bounded(name, front[i], false) ? front[i] : NULL;
        for (int i = 0; i < 2 && k == NULL; i++)
                k = find_bounded(name, back[i], false) ? back[i] : NULL;
        if (f == NULL || k == NULL)
                return false;
        snprintf(out->reason, sizeof out->reason, "the IP appears in two halves (%s, %s)", f, k);
        return true;
}

/* IPv6 in its compressed text form with dashes (2001-db8--1). */
static bool try_v6_compressed(const char *name, const struct addr *ip, struct generic_verdict *out)
{
        char text[64];

        if (inet_ntop(AF_INET6, ip->bytes, text, sizeof text) == NULL)
                return false;
        for (char *p = text; *p != '\0'; p++) {
                if (*p == ':')
                        *p = '-';
        }
        if (find_bounded(name, text, true) == NULL)
                return false;
        snprintf(out->reason, sizeof out->reason, "the IP appears dashed (%s)", text);
        return true;
}

/* Reads a number 0..255 of 1-3 digits at p; returns its length or 0. */
static size_t octet_at(const char *p)
{
        size_t n = 0;
        unsigned v = 0;

        while (n < 3 && isdigit((unsigned char)p[n]))
                v = v * 10 + (unsigned)(p[n++] - '0');
        return n > 0 && v <= 255 && !isdigit((unsigned char)p[n]) ? n : 0;
}

/* Length of "a-b-c-d" or "a.b.c.d" (numbers 0..255, one separator) at p. */
static size_t quad_at(const char *p)
{
        size_t w = 0;
        char sep = 0;

        for (int i = 0; i < 4; i++) {
                size_t n = octet_at(p + w);
                if (n == 0)
                        return 0;
                w += n;
                if (i == 3)
                        break;
                if (p[w] != '-' && p[w] != '.')
                        return 0;
                if (sep == 0)
                        sep = p[w];
                if (p[w] != sep)
                        return 0;
                w++;
        }
        return w;
}

/* Some IPv4 address, maybe a neighbour's, written into the name: receivers'
 * patterns flag it whatever the address is. */
static bool try_any_quad(const char *name, struct generic_verdict *out)
{
        for (const char *p = name; *p != '\0'; p++) {
                if (p > name && isdigit((unsigned char)p[-1]))
                        continue;
                size_t n = quad_at(p);
                if (n > 0) {
                        snprintf(out->reason, sizeof out->reason,
                                 "the name has an address written into it (%.*s)", (int)n, p);
                        return true;
                }
        }
        return false;
}

static bool ip_embedded(const char *name, const struct addr *ip, struct generic_verdict *out)
{
        if (ip->family == AF_INET)
                return try_forms(name, ip, v4_forms, COUNT(v4_forms), out) ||
                       try_v4_integer(name, ip, out) || try_v4_halves(name, ip, out);
        if (ip->family == AF_INET6)
                return try_v6_compressed(name, ip, out) ||
                       try_forms(name, ip, v6_forms, COUNT(v6_forms), out);
        return false;
}

/* The entry whose domain name lies strictly under, or -1. */
static int provider_default(const char *name)
{
        for (size_t i = 0; i < COUNT(provider_defaults); i++) {
                const char *suffix = provider_defaults[i].suffix;
                if (strcmp(name, suffix) != 0 && hostname_in_domain(name, suffix))
                        return (int)i;
        }
        return -1;
}

/* neighbour ends a token at a word's edge character: not a letter beside a
 * letter ("poolside"), not a letter or digit beside a digit ("13g"). */
static bool token_edge(char neighbour, char edge)
{
        if (isdigit((unsigned char)edge))
                return !isalnum((unsigned char)neighbour);
        return !isalpha((unsigned char)neighbour);
}

/* The word from the list at a token boundary in text[0..len), or NULL. */
static const char *find_word(const char *text, size_t len, const char *const *words, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                size_t wl = strlen(words[i]);
                for (size_t k = 0; k + wl <= len; k++) {
                        if (memcmp(text + k, words[i], wl) != 0)
                                continue;
                        bool left = k == 0 || token_edge(text[k - 1], words[i][0]);
                        bool right = k + wl == len || token_edge(text[k + wl], words[i][wl - 1]);
                        if (left && right)
                                return words[i];
                }
        }
        return NULL;
}

static const char *any_word(const char *host, size_t len)
{
        const char *w = find_word(host, len, assignment_words, COUNT(assignment_words));

        if (w == NULL)
                w = find_word(host, len, subscriber_words, COUNT(subscriber_words));
        return w ? w : find_word(host, len, plain_words, COUNT(plain_words));
}

/* Some label of host[0..len) names a mail server (clients.mail, mx1.dsl). */
static bool has_mail_label(const char *host, size_t len)
{
        for (size_t start = 0; start < len;) {
                size_t l = strcspn(host + start, ".");
                if (start + l > len)
                        l = len - start;
                if (find_word(host + start, l, mail_words, COUNT(mail_words)) != NULL)
                        return true;
                start += l + 1;
        }
        return false;
}

static bool has_digit(const char *text, size_t len)
{
        for (size_t i = 0; i < len; i++) {
                if (isdigit((unsigned char)text[i]))
                        return true;
        }
        return false;
}

/* The word that makes a name generic without an address in it, or NULL.
 * host: the labels left of the registered domain. Beside a label that names
 * a mail server (clients.mail, smtp.dsl), only the assignment words count. */
static const char *generic_word(const char *host, size_t len)
{
        const char *w = find_word(host, len, assignment_words, COUNT(assignment_words));

        if (w != NULL)
                return w;
        if (has_mail_label(host, len))
                return NULL;
        w = find_word(host, len, subscriber_words, COUNT(subscriber_words));
        if (w != NULL)
                return w;
        w = find_word(host, len, plain_words, COUNT(plain_words));
        return w != NULL && has_digit(host, len) ? w : NULL;
}

/* localhost, or a name under a private-use top-level name. */
static bool try_placeholder(const char *name, struct generic_verdict *out)
{
        if (strcmp(name, "localhost") == 0 || strncmp(name, "localhost.", 10) == 0) {
                snprintf(out->reason, sizeof out->reason,
                         "the name is a machine's name for itself (localhost)");
                return true;
        }
        for (size_t i = 0; i < COUNT(private_tlds); i++) {
                if (hostname_in_domain(name, private_tlds[i])) {
                        snprintf(out->reason, sizeof out->reason,
                                 "the name is under .%s, a private-use name that is nobody's on "
                                 "the Internet",
                                 private_tlds[i]);
                        return true;
                }
        }
        return false;
}

/* Lower case, without the trailing dot. */
static void name_normalize(const char *in, char *out, size_t outlen)
{
        size_t n = 0;

        for (; in[n] != '\0' && n + 1 < outlen; n++)
                out[n] = (char)tolower((unsigned char)in[n]);
        if (n > 0 && out[n - 1] == '.')
                n--;
        out[n] = '\0';
}

void generic_check(const char *name, const struct addr *ip, struct generic_verdict *out)
{
        char n[NAME_BUF];
        struct finaldot_verdict dot;
        const char *word;
        size_t host;
        int provider;

        memset(out, 0, sizeof *out);
        name_normalize(name, n, sizeof n);
        /* mail.example.com.2.18.198.in-addr.arpa: judge the name meant. */
        if (finaldot_check(n, NULL, &dot))
                snprintf(n, sizeof n, "%s", dot.written);
        host = suffix_host_len(n);
        provider = provider_default(n);
        if (provider >= 0) {
                snprintf(out->reason, sizeof out->reason, "%s (under %s)",
                         provider_defaults[provider].what, provider_defaults[provider].suffix);
                out->generic = true;
        } else if ((ip != NULL && ip_embedded(n, ip, out)) || try_any_quad(n, out)) {
                out->generic = true;
                word = any_word(n, host);
                if (word != NULL) {
                        size_t w = strlen(out->reason);
                        snprintf(out->reason + w, sizeof out->reason - w, ", next to the word '%s'",
                                 word);
                }
        } else if (try_placeholder(n, out)) {
                out->generic = true;
        } else if ((word = generic_word(n, host)) != NULL) {
                snprintf(out->reason, sizeof out->reason, "the name has the word '%s'", word);
                out->generic = true;
        }
}
