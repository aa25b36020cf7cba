/* The breakdown pane: how the IP becomes the PTR's owner name, where that
 * name can be cut into zones, which cuts are real, and the record's name
 * inside its zone (plus the RFC 2317 CNAME hop when there is one). */
#include "wizard/wiz.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

static bool in_trace(const struct trace_result *t, const char *zone)
{
        for (size_t i = 0; t && i < t->nzones; i++)
                if (strcasecmp(t->zones[i].zone, zone) == 0)
                        return true;
        return false;
}

static void address_lines(struct doc *d, const struct wiz *w, const struct revname_breakdown *b)
{
        const uint8_t *x = w->ip.bytes;
        doc_field(d, "IP address", TONE_NONE, "%s", w->ip_text);
        if (w->ip.family == AF_INET) {
                doc_field(d, "Reversed", TONE_NONE, "%u.%u.%u.%u", x[3], x[2], x[1], x[0]);
                doc_field(d, "+ suffix", TONE_NONE, "in-addr.arpa.");
        } else {
                char full[40];
                for (int i = 0; i < 8; i++)
                        snprintf(full + i * 5, sizeof(full) - (size_t)i * 5, "%02x%02x%s", x[2 * i],
                                 x[2 * i + 1], i < 7 ? ":" : "");
                doc_field(d, "Written out", TONE_NONE, "%s", full);
                doc_field(d, "Nibbles", TONE_NONE, "%.*s", 63, b->owner);
                doc_field(d, "+ suffix", TONE_NONE, "ip6.arpa.");
        }
        doc_field(d, "Owner name", TONE_NONE, "%s", b->owner);
        doc_add(d, DOC_DIM, TONE_NONE, NULL,
                w->ip.family == AF_INET
                    ? "DNS names read from the most specific label to the least, so the "
                      "four numbers of the address come last first."
                    : "Each hex digit (nibble) of the address is one label, last digit "
                      "first.");
}

/* IPv6 has 34 cuts: show the common ones and every real one. */
static bool cut_shown(const struct wiz *w, const struct revname_cut *c, bool real, bool usual)
{
        if (w->ip.family == AF_INET || real || usual)
                return true;
        return c->prefix_len == 0 || (c->prefix_len % 16 == 0 && c->prefix_len <= 64);
}

static void cuts(struct doc *d, const struct wiz *w, const struct revname_breakdown *b,
                 const struct check_result *res, const struct trace_result *t)
{
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "Where the name can be cut into zones");
        int zw = 0;
        for (int i = 0; i < b->ncuts && w->ip.family == AF_INET; i++)
                if ((int)strlen(b->cuts[i].zone) > zw)
                        zw = (int)strlen(b->cuts[i].zone);
        for (int i = 0; i < b->ncuts; i++) {
                const struct revname_cut *c = &b->cuts[i];
                bool soa = res && res->zone && strcasecmp(res->zone, c->zone) == 0;
                bool hop = res && res->cname_zone && strcasecmp(res->cname_zone, c->zone) == 0;
                bool real = soa || hop || in_trace(t, c->zone);
                bool usual = i == b->conventional;
                if (!cut_shown(w, c, real, usual))
                        continue;
                char prefix[8] = "";
                if (c->prefix_len > 0)
                        snprintf(prefix, sizeof(prefix), "/%d", c->prefix_len);
                const char *note = soa     ? "  <- the PTR's zone"
                                   : hop   ? "  <- holds the CNAME"
                                   : usual ? "  (the usual zone)"
                                           : "";
                if (w->ip.family == AF_INET) {
                        doc_add(d, DOC_MARK, real ? TONE_GOOD : TONE_NONE, NULL,
                                "%-4s %-*s  name \"%s\"%s", prefix, zw, c->zone, c->label, note);
                        continue;
                }
                /* Nibble names are long: the record's name gets a line of its own. */
                doc_add(d, DOC_MARK, real ? TONE_GOOD : TONE_NONE, NULL, "%-4s %s%s", prefix,
                        c->zone, note);
                doc_add(d, DOC_INDENT, TONE_NONE, NULL, "name \"%s\"", c->label);
        }
        doc_add(d, DOC_DIM, TONE_NONE, NULL,
                "%s marks a real zone cut (seen by the trace or the SOA lookup); the others "
                "are places where a zone could start but does not.",
                doc_for_report ? "[ok]" : w->ui.g->pass); /* the report's one mark */
}

static void record_name(struct doc *d, const struct revname_breakdown *b,
                        const struct check_result *res)
{
        if (!res || !res->zone || (res->ptr && res->ptr->ncname))
                return; /* classless() says where a CNAME leads */
        int cut = revname_find_cut(b, res->zone);
        doc_blank(d);
        if (cut >= 0)
                doc_text(d,
                         "So the PTR record is the name \"%s\" inside the zone %s; whoever "
                         "runs that zone can set it.",
                         b->cuts[cut].label, res->zone);
        else
                doc_text(d, "The PTR record lives in the zone %s", res->zone);
}

static void classless(struct doc *d, const struct check_result *res)
{
        const struct resolver_answer *p = res ? res->ptr : NULL;
        if (!p || p->ncname == 0)
                return;
        doc_blank(d);
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "The CNAME hop (RFC 2317)");
        for (size_t i = 0; i < p->ncname; i++)
                doc_add(d, DOC_CODE, TONE_NONE, NULL, "%s CNAME %s", p->cname_from[i],
                        p->cname_to[i]);
        doc_text(d, "The block is smaller than a /24, so the /24's zone only points each "
                    "address at a name in a zone of the block's own, run by whoever uses the "
                    "block. The PTR is set there.");
        if (res->cname_zone)
                doc_field(d, "CNAME in", TONE_NONE, "%s", res->cname_zone);
        if (!res->zone)
                return;
        char label[REVNAME_MAX];
        revname_label_in_zone(p->cname_to[p->ncname - 1], res->zone, label, sizeof(label));
        if (label[0])
                doc_field(d, "PTR in", TONE_NONE, "%s, where the record's name is \"%s\"",
                          res->zone, label);
        else
                doc_field(d, "PTR in", TONE_NONE, "%s", res->zone);
        if (p->status == RES_NXDOMAIN || p->status == RES_NODATA)
                doc_add(d, DOC_MARK, TONE_BAD, NULL,
                        "The PTR %s is missing there: whoever runs %s adds it, not the /24's "
                        "operator.",
                        p->cname_to[p->ncname - 1], res->zone);
}

void breakdown_doc(const struct wiz *w, struct doc *d)
{
        if (!w->has_ip) {
                doc_text(d, "Once an address is chosen this pane shows how it becomes a DNS "
                            "name, and which zone holds its PTR record.");
                return;
        }
        struct revname_breakdown b;
        revname_breakdown(&w->ip, &b);
        const struct check_result *res = session_check(w);
        const struct trace_result *t = session_trace(w);
        address_lines(d, w, &b);
        doc_blank(d);
        cuts(d, w, &b, res, t);
        record_name(d, &b, res);
        classless(d, res);
}

static void breakdown_title(const struct wiz *w, char *buf, size_t len)
{
        snprintf(buf, len, "Breakdown of the name");
}

static void breakdown_draw(struct wiz *w, struct pane *p, struct rect inner)
{
        struct doc d = {0};
        breakdown_doc(w, &d);
        pane_doc_draw(w, p, inner, &d);
        doc_clear(&d);
}

const struct pane_ops pane_breakdown_ops = {
    .name = "breakdown",
    .title = breakdown_title,
    .draw = breakdown_draw,
    .key = NULL,
};
