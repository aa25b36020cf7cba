/* The breakdown pane: how the IP becomes the PTR's owner name, where that
 * name can be cut into zones, which cuts are real, and the record's name
 * inside its zone (plus the RFC 2317 CNAME hop when there is one). */
#include "wizard/wiz.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

static bool owner_held(const struct trace_server *v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (v[i].outcome == TRACE_ANSWER || v[i].outcome == TRACE_NODATA ||
                    v[i].outcome == TRACE_NXDOMAIN)
                        return true;
        return false;
}

/* What the check and the trace have said so far about each place. */
static void known_cuts(const struct revname_breakdown *b, const struct check_result *res,
                       const struct trace_result *t, enum revname_cut_state *st)
{
        struct revname_link links[REVNAME_CUTS + 2];
        size_t n = 0;
        const char *holder = res ? (res->cname_zone ? res->cname_zone : res->zone) : NULL;
        for (size_t i = 0; t && i < t->nzones && n < sizeof(links) / sizeof(links[0]); i++) {
                const struct trace_zone *z = &t->zones[i];
                links[n++] = (struct revname_link){z->zone, z->parent};
                /* The zone whose servers answer for the owner itself holds it. */
                if (z->qname && strcasecmp(z->qname, b->owner) == 0 &&
                    owner_held(z->servers, z->nservers))
                        holder = z->zone;
        }
        revname_cuts_known(b, links, n, holder, st);
}

/* Why a place is not known: the trace still runs, stopped short, or none ran. */
static const char *unknown_why(const struct wiz *w)
{
        if (session_tracing(w))
                return "not known yet: the trace will tell";
        if (session_trace(w))
                return "not known: the trace did not get this far";
        return session_busy(w) ? "not known yet" : "not known: no trace ran";
}

static void address_lines(struct doc *d, const struct wiz *w, const struct revname_breakdown *b)
{
        const uint8_t *x = w->ip.bytes;
        doc_field(d, "IP address", TONE_NONE, "%s", w->ip_text);
        if (w->ip.family == AF_INET) {
                doc_field(d, "Reversed", TONE_NONE, "%u.%u.%u.%u", x[3], x[2], x[1], x[0]);
                doc_field(d, "Then add", TONE_NONE, "in-addr.arpa.");
        } else {
                char full[40];
                for (int i = 0; i < 8; i++)
                        snprintf(full + i * 5, sizeof(full) - (size_t)i * 5, "%02x%02x%s", x[2 * i],
                                 x[2 * i + 1], i < 7 ? ":" : "");
                doc_field(d, "Written out", TONE_NONE, "%s", full);
                doc_field(d, "Nibbles", TONE_NONE, "%.*s", 63, b->owner);
                doc_field(d, "Then add", TONE_NONE, "ip6.arpa.");
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

static const char *cut_note(const struct wiz *w, const struct revname_cut *c,
                            const struct check_result *res, enum revname_cut_state st, bool usual)
{
        if (res && res->zone && strcasecmp(res->zone, c->zone) == 0)
                return "<- the PTR's zone";
        if (res && res->cname_zone && strcasecmp(res->cname_zone, c->zone) == 0)
                return "<- holds the CNAME";
        switch (st) {
        case REVNAME_CUT:
                return usual ? "a zone cut (the usual one)" : "a zone cut";
        case REVNAME_NO_CUT:
                return usual ? "no cut (often one here; not for this address)" : "no cut";
        default:
                return unknown_why(w);
        }
}

static enum doc_tone cut_tone(const struct wiz *w, enum revname_cut_state st)
{
        if (st == REVNAME_CUT)
                return TONE_GOOD;
        if (st == REVNAME_NO_CUT)
                return TONE_NONE;
        return session_busy(w) ? TONE_BUSY : TONE_WARN;
}

static void cuts(struct doc *d, const struct wiz *w, const struct revname_breakdown *b,
                 const struct check_result *res, const struct trace_result *t)
{
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "Where the name can be cut into zones");
        enum revname_cut_state st[REVNAME_CUTS];
        known_cuts(b, res, t, st);
        int zw = 0, unknown = 0;
        for (int i = 0; i < b->ncuts && w->ip.family == AF_INET; i++)
                if ((int)strlen(b->cuts[i].zone) > zw)
                        zw = (int)strlen(b->cuts[i].zone);
        for (int i = 0; i < b->ncuts; i++) {
                const struct revname_cut *c = &b->cuts[i];
                bool usual = i == b->conventional;
                if (!cut_shown(w, c, st[i] == REVNAME_CUT, usual))
                        continue;
                unknown += st[i] == REVNAME_UNKNOWN;
                char prefix[8] = "";
                if (c->prefix_len > 0)
                        snprintf(prefix, sizeof(prefix), "/%d", c->prefix_len);
                const char *note = cut_note(w, c, res, st[i], usual);
                enum doc_tone tone = cut_tone(w, st[i]);
                if (w->ip.family == AF_INET) {
                        doc_add(d, DOC_MARK, tone, NULL, "%-4s %-*s  name \"%s\"  %s", prefix, zw,
                                c->zone, c->label, note);
                        continue;
                }
                /* Nibble names are long: the record's name gets a line of its own. */
                doc_add(d, DOC_MARK, tone, NULL, "%-4s %s  %s", prefix, c->zone, note);
                doc_add(d, DOC_INDENT, TONE_NONE, NULL, "name \"%s\"", c->label);
        }
        doc_add(d, DOC_DIM, TONE_NONE, NULL,
                "%s a zone cut: the zone above delegates it (the trace was referred there, "
                "or the SOA lookup named it). %s no cut: the name stays in the zone above.",
                /* the report's marks: [ok] and none */
                doc_for_report ? "[ok]" : w->ui.g->pass,
                doc_for_report ? "No mark:" : w->ui.g->todo);
        if (unknown)
                doc_add(d, DOC_DIM, TONE_NONE, NULL,
                        "%d %s not known yet: only the trace, asking each zone's servers in "
                        "turn from the root, can tell.",
                        unknown, unknown == 1 ? "place is" : "places are");
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

/* What the classless label means: the block, who has it, and the path. */
static void classless_words(struct doc *d, const struct wiz *w, const struct check_result *res,
                            const struct resolver_answer *p)
{
        unsigned first, last;
        const uint8_t *x = w->ip.bytes;
        const char *zone = res->zone;
        if (w->ip.family != AF_INET || !zone || revname_classless(zone, &first, &last) < 0)
                return;
        const char *dot = strchr(zone, '.');
        doc_text(d,
                 "The label \"%.*s\" names the block: %s, so the addresses %u.%u.%u.%u to "
                 "%u.%u.%u.%u (%u of them), delegated to the customer who uses them.",
                 (int)(dot - zone), zone,
                 strchr(zone, '/') ? "its first address, then how many leading bits all share"
                                   : "its first and its last address",
                 x[0], x[1], x[2], first, x[0], x[1], x[2], last, last - first + 1);
        doc_text(d,
                 /* names end in a dot: no sentence ends right after one */
                 "The name a receiver asks, %s, still lives in the /24's zone (%s); there a "
                 "CNAME leads to %s, in the customer's zone, and the PTR record there is the "
                 "one that is answered.",
                 p->cname_from[0], res->cname_zone ? res->cname_zone : "(the /24)",
                 p->cname_to[p->ncname - 1]);
}

static void classless(struct doc *d, const struct wiz *w, const struct check_result *res)
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
        classless_words(d, w, res, p);
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
        classless(d, w, res);
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
