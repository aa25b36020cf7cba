/* ticket: the message for whoever must act, built from the one diagnosis
 * (check_result) so that `check --ticket`, the wizard and its report say
 * the same. Every string in it comes from the result or the caller,
 * already escaped. */
#include "ptrwiz/ticket.h"

#include <ctype.h>
#include <sys/socket.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define QUOTE_MAX 240 /* of the rejection: its first sentences are the point */

void ticket_free(struct ticket *t)
{
        if (!t)
                return;
        free(t->to);
        free(t->to_who);
        free(t->subject);
        free(t->text);
        free(t);
}

int ticket_soa_rname(const char *soa, char *out, size_t len)
{
        /* owner ttl class SOA mname rname serial ...: the 6th field */
        const char *p = soa;
        for (int field = 0; field < 5 && p; field++) {
                p = strpbrk(p, " \t");
                if (p)
                        p += strspn(p, " \t");
        }
        if (!p || !*p)
                return -1;
        size_t n = strcspn(p, " \t");
        if (n == 0 || n >= len)
                return -1;
        memcpy(out, p, n);
        out[n] = '\0';
        return 0;
}

int ticket_rname_to_mail(const char *rname, char *out, size_t len)
{
        size_t o = 0;
        bool at = false;
        for (const char *p = rname; *p; p++) {
                if (o + 5 >= len)
                        return -1;
                if (*p == '\\' && p[1] == '.' && !at) {
                        out[o++] = '.'; /* a dot inside the local part */
                        p++;
                } else if (*p == '\\' && p[1]) {
                        out[o++] = *p++; /* \DDD and \X stay escaped */
                        out[o++] = *p;
                } else if (*p == '.' && !at) {
                        out[o++] = '@';
                        at = true;
                } else {
                        out[o++] = *p;
                }
        }
        if (o > 0 && out[o - 1] == '.')
                o--; /* the domain's final dot */
        out[o] = '\0';
        /* a local part and a domain with a dot or at least a label */
        return at && out[0] != '@' && out[o - 1] != '@' ? 0 : -1;
}

/* Prose, wrapped at TICKET_WIDTH at spaces. */
static void para(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void para(FILE *f, const char *fmt, ...)
{
        char buf[2048];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        const char *p = buf;
        while (*p) {
                size_t n = strlen(p);
                if (n <= TICKET_WIDTH) {
                        fprintf(f, "%s\n", p);
                        break;
                }
                size_t cut = TICKET_WIDTH;
                while (cut > 0 && p[cut] != ' ')
                        cut--;
                if (cut == 0) /* one long word (a name): never broken */
                        cut = strcspn(p, " ");
                fprintf(f, "%.*s\n", (int)cut, p);
                p += cut;
                while (*p == ' ')
                        p++;
        }
}

/* A record or a field: on its own line, indented, never wrapped. */
static void line(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(FILE *f, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        fputs("    ", f);
        vfprintf(f, fmt, ap);
        fputc('\n', f);
        va_end(ap);
}

enum kind { K_NONE, K_DELEGATE, K_CREATE, K_CHANGE, K_SERVERS, K_FORWARD };

static enum kind kind_of(const struct findings *fs, const struct finding **which)
{
        static const struct {
                enum finding_code code;
                enum kind kind;
        } order[] = {
            {FINDING_ZONE_NOT_DELEGATED_TO_EXPECTED_NS, K_DELEGATE},
            {FINDING_PTR_MISSING, K_CREATE},
            {FINDING_PTR_NODATA, K_CREATE},
            {FINDING_PTR_MISSING_FINAL_DOT, K_CHANGE},
            {FINDING_PTR_INVALID_HOSTNAME, K_CHANGE},
            {FINDING_PTR_GENERIC, K_CHANGE},
            {FINDING_DELEGATION_LAME, K_SERVERS},
            {FINDING_DELEGATION_UNREACHABLE, K_SERVERS},
            {FINDING_DELEGATION_INCONSISTENT, K_SERVERS},
            {FINDING_DELEGATION_LOOP, K_SERVERS},
            {FINDING_CNAME_LOOP, K_SERVERS},
            {FINDING_DELEGATION_NS_MISMATCH, K_SERVERS},
            {FINDING_FCRDNS_MISMATCH, K_FORWARD},
            {FINDING_FCRDNS_NO_ADDRESS, K_FORWARD},
        };
        if (findings_has(fs, FINDING_IP_NOT_PUBLIC))
                return K_NONE; /* the user's own fix: find the public address */
        for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
                for (size_t k = 0; k < fs->n; k++)
                        if (fs->v[k].code == order[i].code) {
                                *which = &fs->v[k];
                                return order[i].kind;
                        }
        return K_NONE;
}

static const char *zone_of(const struct check_result *res)
{
        return res->zone ? res->zone : res->names.cuts[res->names.conventional].zone;
}

/* The trace's cut for the reverse zone, or NULL. */
static const struct trace_zone *reverse_cut(const struct check_result *res)
{
        const struct trace_result *t = res->trace;
        for (size_t i = 0; t && i < t->nzones; i++)
                if (strcasecmp(t->zones[i].zone, zone_of(res)) == 0)
                        return &t->zones[i];
        return NULL;
}

/* What the servers where the user made the PTR answer (--expect-ns). */
static const char *probe_answer(const struct check_result *res)
{
        const struct trace_zone *p = res->trace ? res->trace->probe : NULL;
        for (size_t i = 0; p && i < p->nservers; i++)
                if (p->servers[i].nanswer > 0)
                        return p->servers[i].answer[0];
        return NULL;
}

static const struct provider *find_provider(const struct check_result *res, const char *rname)
{
        const char *names[64];
        size_t n = 0;
        const struct trace_zone *z = reverse_cut(res);
        for (size_t i = 0; z && i < z->nservers && n < 40; i++)
                names[n++] = z->servers[i].ns_name;
        if (rname)
                names[n++] = rname;
        char mname[300];
        const char *soa = check_zone_soa(res);
        /* the SOA's MNAME is the field before the RNAME */
        if (soa) {
                const char *p = soa;
                for (int field = 0; field < 4 && p; field++) {
                        p = strpbrk(p, " \t");
                        if (p)
                                p += strspn(p, " \t");
                }
                if (p && strcspn(p, " \t") < sizeof(mname)) {
                        snprintf(mname, sizeof(mname), "%.*s", (int)strcspn(p, " \t"), p);
                        names[n++] = mname;
                }
        }
        /* a provider's default PTR name says whose address it is */
        for (size_t i = 0; res->ptr && res->ptr->status == RES_OK && i < res->ptr->ndata && n < 64;
             i++)
                names[n++] = res->ptr->data[i];
        return provider_find(names, n);
}

static void quote_rejection(FILE *f, const char *rej)
{
        if (!rej || !*rej)
                return;
        char q[QUOTE_MAX + 8];
        size_t n = strlen(rej);
        if (n > QUOTE_MAX) {
                n = QUOTE_MAX;
                while (n > QUOTE_MAX / 2 && rej[n] != ' ')
                        n--;
        }
        snprintf(q, sizeof(q), "%.*s%s", (int)n, rej, n < strlen(rej) ? " [...]" : "");
        fputc('\n', f);
        para(f, "The receiving server rejected our mail with:");
        fputc('\n', f);
        para(f, "> %s", q);
}

static void ns_list(const struct check_result *res, char *buf, size_t len)
{
        const struct trace_zone *p = res->trace ? res->trace->probe : NULL;
        size_t o = 0;
        buf[0] = '\0';
        for (size_t i = 0; p && i < p->nservers && o < len; i++) {
                bool dup = false;
                for (size_t k = 0; k < i; k++)
                        dup |= strcasecmp(p->servers[k].ns_name, p->servers[i].ns_name) == 0;
                if (!dup)
                        o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? " " : "",
                                              p->servers[i].ns_name);
        }
}

static void body(FILE *f, const struct check_result *res, const struct ticket_opts *o, enum kind k,
                 const struct finding *fd, const char *host)
{
        const char *ip = res->ip_text, *zone = zone_of(res), *owner = res->names.owner;
        bool v6 = res->ip.family == AF_INET6;
        char names[1200];
        switch (k) {
        case K_DELEGATE:
                ns_list(res, names, sizeof(names));
                para(f,
                     "we created the PTR record for our mail server's address %s at our DNS "
                     "provider, but the reverse zone %s is delegated to other servers, so no "
                     "resolver ever sees it. Please delegate the zone to our provider's name "
                     "servers:",
                     ip, zone);
                fputc('\n', f);
                for (char *save = NULL, *n = strtok_r(names, " ", &save); n;
                     n = strtok_r(NULL, " ", &save))
                        line(f, "%s IN NS %s", zone, n);
                fputc('\n', f);
                para(f, "Or, if you prefer, create the record in the zone on your own servers:");
                fputc('\n', f);
                line(f, "%s IN PTR %s", owner, host);
                break;
        case K_CREATE:
                para(f,
                     "mail from our server %s is rejected because the address has no reverse "
                     "DNS (PTR) record. Please create this record in the reverse zone %s:",
                     ip, zone);
                fputc('\n', f);
                line(f, "%s IN PTR %s", owner, host);
                break;
        case K_CHANGE:
                para(f,
                     "mail from our server %s is rejected or junked because of its reverse DNS "
                     "(PTR) record: %s Please replace the record in the reverse zone %s with:",
                     ip, fd->message, zone);
                fputc('\n', f);
                line(f, "%s IN PTR %s", owner, host);
                break;
        case K_SERVERS:
                para(f,
                     "the reverse DNS of our mail server's address %s fails at the servers of "
                     "the reverse zone %s:",
                     ip, zone);
                fputc('\n', f);
                para(f, "%s", fd->message);
                if (fd->fix && fd->fix[0]) {
                        fputc('\n', f);
                        para(f, "What would fix it: %s", fd->fix);
                }
                break;
        case K_FORWARD:
                para(f,
                     "the address %s has the PTR record %s, but that name does not lead back to "
                     "the address, so receivers reject our mail (%s). Please add to the zone of "
                     "that name:",
                     ip, host, fd->message);
                fputc('\n', f);
                line(f, "%s IN %s %s", host, v6 ? "AAAA" : "A", ip);
                break;
        default:
                break;
        }
        if (k == K_CREATE || k == K_CHANGE || k == K_DELEGATE) {
                fputc('\n', f);
                line(f, "Owner name: %s", owner);
                line(f, "Type:       PTR");
                line(f, "Target:     %s", host);
                if (o->host == NULL && k != K_DELEGATE) {
                        fputc('\n', f);
                        para(f,
                             "(Replace the target with our mail server's full host name; its "
                             "%s record points to %s.)",
                             v6 ? "AAAA" : "A", ip);
                }
        }
        quote_rejection(f, o->rejection);
}

static char *who_of(enum kind k, const struct check_result *res)
{
        char buf[600];
        const char *zone = zone_of(res);
        const struct trace_zone *z = reverse_cut(res);
        const char *ns = z && z->nservers ? z->servers[0].ns_name : NULL;
        if (k == K_FORWARD)
                snprintf(buf, sizeof(buf), "the DNS provider of the PTR name's domain");
        else if (k == K_DELEGATE)
                snprintf(buf, sizeof(buf), "the holder of the IP block (it delegates %s%s%s)", zone,
                         ns ? ", today to " : "", ns ? ns : "");
        else
                snprintf(buf, sizeof(buf),
                         "the operator of the reverse zone %s%s%s (the ISP or hosting provider)",
                         zone, ns ? " on " : "", ns ? ns : "");
        return strdup(buf);
}

static char *subject_of(enum kind k, const char *ip)
{
        char buf[300];
        snprintf(buf, sizeof(buf), "%s %s",
                 k == K_DELEGATE  ? "Please delegate the reverse DNS zone of"
                 : k == K_CREATE  ? "Please create the reverse DNS (PTR) record for"
                 : k == K_CHANGE  ? "Please change the reverse DNS (PTR) record of"
                 : k == K_FORWARD ? "Please add the forward DNS record for"
                                  : "The reverse DNS servers fail for",
                 ip);
        return strdup(buf);
}

struct ticket *ticket_build(const struct check_result *res, const struct ticket_opts *opts)
{
        static const struct ticket_opts none = {0};
        const struct ticket_opts *o = opts ? opts : &none;
        const struct finding *fd = NULL;
        enum kind k = res ? kind_of(&res->findings, &fd) : K_NONE;
        if (k == K_NONE)
                return NULL;
        struct ticket *t = calloc(1, sizeof(*t));
        if (!t)
                return NULL;
        char rname[300], mail[320];
        const char *soa = check_zone_soa(res);
        bool has_rname = soa && ticket_soa_rname(soa, rname, sizeof(rname)) == 0;
        if (has_rname && k != K_FORWARD && ticket_rname_to_mail(rname, mail, sizeof(mail)) == 0)
                t->to = strdup(mail);
        t->provider = k == K_FORWARD ? NULL : find_provider(res, has_rname ? rname : NULL);
        t->to_who = who_of(k, res);
        t->code = fd->code;
        t->subject = subject_of(k, res->ip_text);
        /* the name the PTR should give: what the user said, what the
         * provider where it was made answers, else a placeholder */
        const char *host = o->host ? o->host : probe_answer(res);
        if (k == K_FORWARD && res->ptr && res->ptr->ndata)
                host = res->ptr->data[0];
        if (!host)
                host = "mail.your-domain.example.";
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        if (!f || !t->to_who || !t->subject) {
                if (f)
                        fclose(f);
                free(text);
                ticket_free(t);
                return NULL;
        }
        fprintf(f, "To: %s\n", t->to ? t->to : "(the contact of the reverse zone: not known)");
        fprintf(f, "Subject: %s\n\n", t->subject);
        fprintf(f, "Hello,\n\n");
        body(f, res, o, k, fd, host);
        if (t->provider) {
                fputc('\n', f);
                para(f, "(Customers of %s: %s Source: %s)", t->provider->name, t->provider->where,
                     t->provider->source);
        }
        char stamp[64] = "";
        time_t now = time(NULL);
        struct tm tm;
        if (gmtime_r(&now, &tm))
                strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
        fputc('\n', f);
        para(f,
             "Checked with ptrwiz at %s: the check asks every server of every zone cut "
             "from the root.",
             stamp);
        fprintf(f, "\nThank you.\n");
        fclose(f);
        t->text = text;
        return t;
}
