/* lab-hostile: a small authoritative DNS server that misbehaves on command,
 * for the paths a zone file in NSD cannot make (tests/lab/test_faults.sh,
 * test_trace.sh).
 *
 * usage: lab-hostile [-e DIRECTIVE]... [FILE]...
 * Directives come from FILEs (one a line, '#' starts a comment) and -e:
 *
 *   zone ADDR ZONEFILE   ADDR answers from ZONEFILE (any zone-file syntax
 *                        ldns reads, \DDD escapes included); with an SOA it
 *                        refuses names outside it and refers at every NS set
 *                        below the SOA; without one it serves every name and
 *                        every NS set is a referral (a loop, when it refers a
 *                        name to the zone itself or above it)
 *   listen ADDR          a socket on ADDR that serves no data (REFUSED), e.g.
 *                        the source of replies "from another address"
 *   rule ADDR NAME [do] [first=N] [STEP...] [tcp=STEP]
 *                        queries to ADDR (or * for any) for NAME or a name
 *                        under it (or * for any) get these UDP datagrams,
 *                        in order (none given: answer), and this reply over
 *                        TCP (default: answer). The first rule that matches
 *                        applies. do: only queries with the DNSSEC OK bit
 *                        (a validating resolver's); first=N: only the first
 *                        N queries it matches, later ones go to the next.
 *
 * Steps (each sends at most one message):
 *   answer          the zone's answer (referral, data, NODATA, NXDOMAIN);
 *                   over UDP TC=1 when it exceeds the query's buffer size
 *   wrong-id        the answer with another id
 *   wrong-question  the answer to another name
 *   from=ADDR       ADDR's answer, sent from ADDR's socket
 *   tc              TC=1 and nothing else (over TCP too: TC forever)
 *   rcode=NAME      that rcode (REFUSED, SERVFAIL, NXDOMAIN, FORMERR...)
 *   formerr-edns    FORMERR when the query has EDNS, else the answer
 *   garbage         bytes that are not DNS, with the query's id
 *   ptr-loop        a reply whose answer owner is a compression pointer to
 *                   itself
 *   delay=MS        the following steps leave MS ms later (UDP)
 *   silent          nothing (over TCP: the connection is held, never answered)
 *   close           TCP only: the connection is closed without an answer
 * Without a matching rule a query gets "answer" over UDP and TCP.
 *
 * Port 53, or $LAB_PORT. Prints "ready" once bound, then one line per query
 * ("query ADDR udp|tcp NAME TYPE rule N", and " do" with the DO bit); runs
 * until killed. Every message
 * is built with ldns, except garbage and ptr-loop, which are meant to be
 * malformed. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ldns/ldns.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_LISTENERS 32
#define MAX_RULES     256
#define MAX_STEPS     8
#define MAX_CONNS     256
#define MAX_MSG       65535
#define DEFAULT_TTL   300

enum step_kind {
        STEP_ANSWER,
        STEP_WRONG_ID,
        STEP_WRONG_QUESTION,
        STEP_FROM,
        STEP_TC,
        STEP_RCODE,
        STEP_FORMERR_EDNS,
        STEP_GARBAGE,
        STEP_PTR_LOOP,
        STEP_DELAY,
        STEP_SILENT,
        STEP_CLOSE,
};

struct step {
        enum step_kind kind;
        int arg; /* rcode, delay in ms, or the listener of from= */
};

/* A zone file's records; the SOA's owner is the apex (NULL: serves all). */
struct zone_data {
        ldns_rr_list *rrs;
        const ldns_rdf *apex;
        const ldns_rr *soa;
};

struct listener {
        char text[INET_ADDRSTRLEN];
        struct in_addr addr;
        int udp, tcp;
        struct zone_data *zone;
};

struct rule {
        int listener;   /* -1: any */
        ldns_rdf *name; /* NULL: any */
        bool do_only;   /* only queries with the DO bit */
        int first;      /* > 0: only the first this many queries */
        int used;       /* queries it matched */
        struct step udp[MAX_STEPS];
        int nudp;
        struct step tcp;
};

struct conn {
        int fd, listener; /* fd -1: the slot is free */
        uint8_t in[2 + MAX_MSG];
        size_t inlen;
        uint8_t *out;
        size_t outlen, outoff;
};

/* A datagram waiting for its time. */
struct pending {
        struct pending *next;
        int64_t due;
        int fd;
        struct sockaddr_in to;
        size_t len;
        uint8_t data[];
};

struct server {
        struct listener ls[MAX_LISTENERS];
        int nls;
        struct rule rules[MAX_RULES];
        int nrules;
        struct conn conns[MAX_CONNS];
        struct pending *pending; /* sorted by due */
        int port;
};

static int64_t now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        fprintf(stderr, "lab-hostile: ");
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
        exit(1);
}

/* ------------------------------------------------------------- the data */

static struct zone_data *zone_load(const char *path)
{
        FILE *f = fopen(path, "r");
        if (!f)
                die("%s: %s", path, strerror(errno));
        ldns_zone *z = NULL;
        int line = 0;
        ldns_rdf *origin = ldns_dname_new_frm_str(".");
        ldns_status st =
            ldns_zone_new_frm_fp_l(&z, f, origin, DEFAULT_TTL, LDNS_RR_CLASS_IN, &line);
        fclose(f);
        ldns_rdf_deep_free(origin);
        if (st != LDNS_STATUS_OK) {
                die("%s line %d: %s", path, line, ldns_get_errorstr_by_id(st));
        }
        struct zone_data *d = calloc(1, sizeof *d);
        d->rrs = ldns_rr_list_clone(ldns_zone_rrs(z));
        if (ldns_zone_soa(z)) {
                ldns_rr *soa = ldns_rr_clone(ldns_zone_soa(z));
                ldns_rr_list_push_rr(d->rrs, soa);
                d->soa = soa;
                d->apex = ldns_rr_owner(soa);
        }
        ldns_zone_deep_free(z);
        return d;
}

static bool name_under(const ldns_rdf *name, const ldns_rdf *zone)
{
        return ldns_dname_compare(name, zone) == 0 || ldns_dname_is_subdomain(name, zone);
}

static void push_clone(ldns_pkt *p, ldns_pkt_section sec, const ldns_rr *rr)
{
        ldns_pkt_push_rr(p, sec, ldns_rr_clone(rr));
}

/* The deepest delegation (NS set other than the apex's) at or above qname. */
static const ldns_rdf *zone_cut(const struct zone_data *z, const ldns_rdf *qname)
{
        const ldns_rdf *best = NULL;
        for (size_t i = 0; i < ldns_rr_list_rr_count(z->rrs); i++) {
                const ldns_rr *rr = ldns_rr_list_rr(z->rrs, i);
                const ldns_rdf *owner = ldns_rr_owner(rr);
                if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NS || !name_under(qname, owner) ||
                    (z->apex && ldns_dname_compare(owner, z->apex) == 0))
                        continue;
                if (!best || ldns_dname_label_count(owner) > ldns_dname_label_count(best))
                        best = owner;
        }
        return best;
}

static void add_referral(ldns_pkt *p, const struct zone_data *z, const ldns_rdf *cut)
{
        const ldns_rr_list *rrs = z->rrs;
        for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
                const ldns_rr *rr = ldns_rr_list_rr(rrs, i);
                if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NS &&
                    ldns_dname_compare(ldns_rr_owner(rr), cut) == 0)
                        push_clone(p, LDNS_SECTION_AUTHORITY, rr);
        }
        const ldns_rr_list *ns = ldns_pkt_authority(p);
        for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
                const ldns_rr *rr = ldns_rr_list_rr(rrs, i);
                ldns_rr_type t = ldns_rr_get_type(rr);
                if (t != LDNS_RR_TYPE_A && t != LDNS_RR_TYPE_AAAA)
                        continue;
                for (size_t k = 0; k < ldns_rr_list_rr_count(ns); k++)
                        if (ldns_dname_compare(ldns_rr_owner(rr),
                                               ldns_rr_rdf(ldns_rr_list_rr(ns, k), 0)) == 0) {
                                push_clone(p, LDNS_SECTION_ADDITIONAL, rr);
                                break;
                        }
        }
}

/* Data for qname: of qtype, else its CNAME. Returns how many were added. */
static size_t add_data(ldns_pkt *p, const struct zone_data *z, const ldns_rdf *qname,
                       ldns_rr_type qtype)
{
        size_t n = 0;
        for (int pass = 0; pass < 2 && n == 0; pass++)
                for (size_t i = 0; i < ldns_rr_list_rr_count(z->rrs); i++) {
                        const ldns_rr *rr = ldns_rr_list_rr(z->rrs, i);
                        ldns_rr_type t = ldns_rr_get_type(rr);
                        bool want = pass == 0 ? t == qtype || qtype == LDNS_RR_TYPE_ANY
                                              : t == LDNS_RR_TYPE_CNAME;
                        if (want && ldns_dname_compare(ldns_rr_owner(rr), qname) == 0) {
                                push_clone(p, LDNS_SECTION_ANSWER, rr);
                                n++;
                        }
                }
        return n;
}

/* True when qname owns records or has names below it (an empty non-terminal). */
static bool name_exists(const struct zone_data *z, const ldns_rdf *qname)
{
        for (size_t i = 0; i < ldns_rr_list_rr_count(z->rrs); i++)
                if (name_under(ldns_rr_owner(ldns_rr_list_rr(z->rrs, i)), qname))
                        return true;
        return false;
}

/* The answer a plain authoritative server would give. */
static void zone_answer(ldns_pkt *p, const struct zone_data *z, const ldns_rr *q)
{
        const ldns_rdf *qname = ldns_rr_owner(q);
        if (!z || (z->apex && !name_under(qname, z->apex))) {
                ldns_pkt_set_rcode(p, LDNS_RCODE_REFUSED);
                return;
        }
        const ldns_rdf *cut = zone_cut(z, qname);
        if (cut) {
                add_referral(p, z, cut);
                return;
        }
        ldns_pkt_set_aa(p, true);
        if (add_data(p, z, qname, ldns_rr_get_type(q)) > 0)
                return;
        if (!name_exists(z, qname))
                ldns_pkt_set_rcode(p, LDNS_RCODE_NXDOMAIN);
        if (z->soa)
                push_clone(p, LDNS_SECTION_AUTHORITY, z->soa);
}

/* ------------------------------------------------------------ messages */

/* The reply's header and question, taken from the query. */
static ldns_pkt *reply_new(const ldns_pkt *q, bool edns)
{
        ldns_pkt *p = ldns_pkt_new();
        ldns_pkt_set_id(p, ldns_pkt_id(q));
        ldns_pkt_set_qr(p, true);
        ldns_pkt_set_opcode(p, LDNS_PACKET_QUERY);
        ldns_pkt_set_rd(p, ldns_pkt_rd(q));
        push_clone(p, LDNS_SECTION_QUESTION, ldns_rr_list_rr(ldns_pkt_question(q), 0));
        if (edns && ldns_pkt_edns(q))
                ldns_pkt_set_edns_udp_size(p, 1232);
        return p;
}

static size_t udp_limit(const ldns_pkt *q)
{
        size_t size = ldns_pkt_edns(q) ? ldns_pkt_edns_udp_size(q) : 512;
        return size < 512 ? 512 : size;
}

static uint8_t *to_wire(ldns_pkt *p, size_t *len)
{
        uint8_t *wire = NULL;
        if (ldns_pkt2wire(&wire, p, len) != LDNS_STATUS_OK) {
                fprintf(stderr, "lab-hostile: cannot build a reply\n");
                return NULL;
        }
        return wire;
}

/* Over UDP, a reply too big for the client's buffer: TC=1, question only. */
static uint8_t *truncated(const ldns_pkt *q, const ldns_pkt *full, size_t *len)
{
        ldns_pkt *p = reply_new(q, true);
        ldns_pkt_set_aa(p, ldns_pkt_aa(full));
        ldns_pkt_set_tc(p, true);
        uint8_t *wire = to_wire(p, len);
        ldns_pkt_free(p);
        return wire;
}

/* The query's id and a header that claims five answers that are not there. */
static uint8_t *garbage(const ldns_pkt *q, size_t *len)
{
        static const uint8_t tail[] = {0x81, 0x80, 0x00, 0x01, 0x00, 0x05, 0xff, 0xff, 0x3f, 0x00};
        uint8_t *b = malloc(2 + sizeof tail);
        b[0] = (uint8_t)(ldns_pkt_id(q) >> 8);
        b[1] = (uint8_t)ldns_pkt_id(q);
        memcpy(b + 2, tail, sizeof tail);
        *len = 2 + sizeof tail;
        return b;
}

/* A valid header and question, then one answer whose owner name is a
 * compression pointer to itself. */
static uint8_t *ptr_loop(const ldns_pkt *q, size_t *len)
{
        ldns_pkt *p = reply_new(q, false); /* no OPT record after the answer */
        ldns_pkt_set_aa(p, true);
        size_t head = 0;
        uint8_t *wire = to_wire(p, &head);
        ldns_pkt_free(p);
        if (!wire || head > 0x3fff)
                return wire;
        static const uint8_t rr_tail[] = {0x00, 0x0c, 0x00, 0x01, 0x00, 0x00,
                                          0x01, 0x2c, 0x00, 0x02, 0xc0, 0x0c};
        uint8_t *b = realloc(wire, head + 2 + sizeof rr_tail);
        b[6] = 0;
        b[7] = 1; /* ANCOUNT 1 */
        b[head] = (uint8_t)(0xc0 | head >> 8);
        b[head + 1] = (uint8_t)head;
        memcpy(b + head + 2, rr_tail, sizeof rr_tail);
        *len = head + 2 + sizeof rr_tail;
        return b;
}

/* The message of one step (NULL: nothing to send). */
static uint8_t *step_message(const struct server *s, const struct step *st, const ldns_pkt *q,
                             int listener, bool tcp, size_t *len)
{
        const ldns_rr *qrr = ldns_rr_list_rr(ldns_pkt_question(q), 0);
        switch (st->kind) {
        case STEP_GARBAGE:
                return garbage(q, len);
        case STEP_PTR_LOOP:
                return ptr_loop(q, len);
        case STEP_DELAY:
        case STEP_SILENT:
        case STEP_CLOSE:
                return NULL;
        default:
                break;
        }
        ldns_pkt *p = reply_new(q, true);
        if (st->kind == STEP_TC) {
                ldns_pkt_set_tc(p, true);
        } else if (st->kind == STEP_RCODE) {
                ldns_pkt_set_rcode(p, (uint8_t)st->arg);
        } else if (st->kind == STEP_FORMERR_EDNS && ldns_pkt_edns(q)) {
                ldns_pkt_set_rcode(p, LDNS_RCODE_FORMERR);
        } else {
                int from = st->kind == STEP_FROM ? st->arg : listener;
                zone_answer(p, s->ls[from].zone, qrr);
        }
        if (st->kind == STEP_WRONG_ID)
                ldns_pkt_set_id(p, ldns_pkt_id(q) ^ 0xff00);
        if (st->kind == STEP_WRONG_QUESTION) {
                ldns_rr *other = ldns_rr_list_rr(ldns_pkt_question(p), 0);
                ldns_rdf *label = ldns_dname_new_frm_str("wrong-question");
                ldns_rdf *name = ldns_dname_cat_clone(label, ldns_rr_owner(other));
                ldns_rdf_deep_free(label);
                ldns_rdf_deep_free(ldns_rr_owner(other));
                ldns_rr_set_owner(other, name);
        }
        uint8_t *wire = to_wire(p, len);
        if (wire && !tcp && *len > udp_limit(q)) {
                free(wire);
                wire = truncated(q, p, len);
        }
        ldns_pkt_free(p);
        return wire;
}

/* --------------------------------------------------------------- rules */

static const struct rule *rule_find(struct server *s, int listener, const ldns_pkt *q)
{
        const ldns_rdf *qname = ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(q), 0));
        for (int i = 0; i < s->nrules; i++) {
                struct rule *r = &s->rules[i];
                if ((r->listener < 0 || r->listener == listener) &&
                    (!r->name || name_under(qname, r->name)) &&
                    (!r->do_only || ldns_pkt_edns_do(q)) && (r->first == 0 || r->used < r->first)) {
                        r->used++;
                        return r;
                }
        }
        return NULL;
}

static const struct rule default_rule = {
    .nudp = 1, .udp = {{STEP_ANSWER, 0}}, .tcp = {STEP_ANSWER, 0}};

static void log_query(const struct server *s, int listener, bool tcp, const ldns_pkt *q,
                      const struct rule *r)
{
        const ldns_rr *qrr = ldns_rr_list_rr(ldns_pkt_question(q), 0);
        char *name = ldns_rdf2str(ldns_rr_owner(qrr));
        char *type = ldns_rr_type2str(ldns_rr_get_type(qrr));
        printf("query %s %s %s %s rule %d%s\n", s->ls[listener].text, tcp ? "tcp" : "udp",
               name ? name : "?", type ? type : "?",
               r == &default_rule ? 0 : (int)(r - s->rules) + 1, ldns_pkt_edns_do(q) ? " do" : "");
        free(name);
        free(type);
}

/* The query, when it is one we answer: parsed, one question. */
static ldns_pkt *query_parse(const uint8_t *buf, size_t len)
{
        ldns_pkt *q = NULL;
        if (ldns_wire2pkt(&q, buf, len) != LDNS_STATUS_OK)
                return NULL;
        if (ldns_pkt_qr(q) || ldns_rr_list_rr_count(ldns_pkt_question(q)) != 1) {
                ldns_pkt_free(q);
                return NULL;
        }
        return q;
}

static const struct rule *rule_for(struct server *s, int listener, bool tcp, const ldns_pkt *q)
{
        const struct rule *r = rule_find(s, listener, q);
        if (!r)
                r = &default_rule;
        log_query(s, listener, tcp, q, r);
        return r;
}

/* ----------------------------------------------------------------- UDP */

static void pending_add(struct server *s, int64_t due, int fd, const struct sockaddr_in *to,
                        uint8_t *msg, size_t len)
{
        struct pending *p = malloc(sizeof *p + len);
        p->due = due;
        p->fd = fd;
        p->to = *to;
        p->len = len;
        memcpy(p->data, msg, len);
        struct pending **at = &s->pending;
        while (*at && (*at)->due <= due)
                at = &(*at)->next;
        p->next = *at;
        *at = p;
}

static void pending_flush(struct server *s)
{
        int64_t now = now_ms();
        while (s->pending && s->pending->due <= now) {
                struct pending *p = s->pending;
                s->pending = p->next;
                sendto(p->fd, p->data, p->len, 0, (struct sockaddr *)&p->to, sizeof p->to);
                free(p);
        }
}

static void udp_query(struct server *s, int listener)
{
        uint8_t buf[MAX_MSG];
        struct sockaddr_in from;
        socklen_t flen = sizeof from;
        ssize_t n = recvfrom(s->ls[listener].udp, buf, sizeof buf, MSG_DONTWAIT,
                             (struct sockaddr *)&from, &flen);
        ldns_pkt *q = n > 0 ? query_parse(buf, (size_t)n) : NULL;
        if (!q)
                return;
        const struct rule *r = rule_for(s, listener, false, q);
        int64_t due = now_ms();
        for (int i = 0; i < r->nudp; i++) {
                const struct step *st = &r->udp[i];
                if (st->kind == STEP_DELAY)
                        due += st->arg;
                size_t len = 0;
                uint8_t *msg = step_message(s, st, q, listener, false, &len);
                if (!msg)
                        continue;
                int fd = st->kind == STEP_FROM ? s->ls[st->arg].udp : s->ls[listener].udp;
                pending_add(s, due, fd, &from, msg, len);
                free(msg);
        }
        ldns_pkt_free(q);
}

/* ----------------------------------------------------------------- TCP */

static void conn_close(struct conn *c)
{
        close(c->fd);
        free(c->out);
        c->fd = -1;
        c->out = NULL;
        c->inlen = c->outlen = c->outoff = 0;
}

static void tcp_accept(struct server *s, int listener)
{
        int fd = accept(s->ls[listener].tcp, NULL, NULL);
        if (fd < 0)
                return;
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        for (int i = 0; i < MAX_CONNS; i++)
                if (s->conns[i].fd < 0) {
                        s->conns[i].fd = fd;
                        s->conns[i].listener = listener;
                        return;
                }
        close(fd); /* full: the client sees a reset */
}

static void conn_queue(struct conn *c, const uint8_t *msg, size_t len)
{
        if (len > MAX_MSG) {
                fprintf(stderr, "lab-hostile: a reply of %zu bytes does not fit TCP\n", len);
                return;
        }
        c->out = realloc(c->out, c->outlen + 2 + len);
        c->out[c->outlen] = (uint8_t)(len >> 8);
        c->out[c->outlen + 1] = (uint8_t)len;
        memcpy(c->out + c->outlen + 2, msg, len);
        c->outlen += 2 + len;
}

/* Answers every whole query in the buffer; false when the connection ends. */
static bool conn_process(struct server *s, struct conn *c)
{
        while (c->inlen >= 2) {
                size_t need = 2 + (size_t)(c->in[0] << 8 | c->in[1]);
                if (c->inlen < need)
                        return true;
                ldns_pkt *q = query_parse(c->in + 2, need - 2);
                memmove(c->in, c->in + need, c->inlen - need);
                c->inlen -= need;
                if (!q)
                        continue;
                const struct rule *r = rule_for(s, c->listener, true, q);
                size_t len = 0;
                uint8_t *msg = step_message(s, &r->tcp, q, c->listener, true, &len);
                ldns_pkt_free(q);
                if (r->tcp.kind == STEP_CLOSE)
                        return false;
                if (msg)
                        conn_queue(c, msg, len);
                free(msg);
        }
        return true;
}

static void conn_event(struct server *s, struct conn *c, short revents)
{
        if (revents & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t n = recv(c->fd, c->in + c->inlen, sizeof c->in - c->inlen, 0);
                if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
                        conn_close(c);
                        return;
                }
                if (n > 0) {
                        c->inlen += (size_t)n;
                        if (!conn_process(s, c)) {
                                conn_close(c);
                                return;
                        }
                }
        }
        if (c->outoff < c->outlen) {
                ssize_t n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff, MSG_NOSIGNAL);
                if (n < 0 && errno != EAGAIN && errno != EINTR) {
                        conn_close(c);
                        return;
                }
                if (n > 0)
                        c->outoff += (size_t)n;
        }
        if (c->outoff == c->outlen)
                c->outoff = c->outlen = 0;
}

/* --------------------------------------------------------- configuration */

static int listener_find(const struct server *s, const char *text)
{
        for (int i = 0; i < s->nls; i++)
                if (strcmp(s->ls[i].text, text) == 0)
                        return i;
        return -1;
}

static int socket_bound(const struct server *s, struct in_addr addr, int type, const char *text)
{
        struct sockaddr_in sa = {
            .sin_family = AF_INET, .sin_port = htons((uint16_t)s->port), .sin_addr = addr};
        int on = 1;
        int fd = socket(AF_INET, type | SOCK_NONBLOCK, 0);
        if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0 ||
            bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
            (type == SOCK_STREAM && listen(fd, 64) < 0))
                die("%s: %s", text, strerror(errno));
        return fd;
}

static int listener_add(struct server *s, const char *text)
{
        int i = listener_find(s, text);
        if (i >= 0)
                return i;
        if (s->nls == MAX_LISTENERS)
                die("%s: too many addresses", text);
        struct listener *l = &s->ls[s->nls];
        if (inet_pton(AF_INET, text, &l->addr) != 1)
                die("%s: not an IPv4 address", text);
        snprintf(l->text, sizeof l->text, "%s", text);
        l->udp = socket_bound(s, l->addr, SOCK_DGRAM, text);
        l->tcp = socket_bound(s, l->addr, SOCK_STREAM, text);
        return s->nls++;
}

static int rcode_parse(const char *name)
{
        static const char *const names[] = {"NOERROR",  "FORMERR", "SERVFAIL",
                                            "NXDOMAIN", "NOTIMP",  "REFUSED"};
        for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
                if (strcasecmp(name, names[i]) == 0)
                        return i;
        die("unknown rcode %s", name);
        return -1;
}

static struct step step_parse(struct server *s, const char *word)
{
        static const struct {
                const char *name;
                enum step_kind kind;
        } plain[] = {
            {"answer", STEP_ANSWER},
            {"wrong-id", STEP_WRONG_ID},
            {"wrong-question", STEP_WRONG_QUESTION},
            {"tc", STEP_TC},
            {"formerr-edns", STEP_FORMERR_EDNS},
            {"garbage", STEP_GARBAGE},
            {"ptr-loop", STEP_PTR_LOOP},
            {"silent", STEP_SILENT},
            {"close", STEP_CLOSE},
        };
        for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
                if (strcmp(word, plain[i].name) == 0)
                        return (struct step){plain[i].kind, 0};
        if (strncmp(word, "rcode=", 6) == 0)
                return (struct step){STEP_RCODE, rcode_parse(word + 6)};
        if (strncmp(word, "delay=", 6) == 0)
                return (struct step){STEP_DELAY, atoi(word + 6)};
        if (strncmp(word, "from=", 5) == 0)
                return (struct step){STEP_FROM, listener_add(s, word + 5)};
        die("unknown step %s", word);
        return (struct step){STEP_SILENT, 0};
}

static void rule_parse(struct server *s, char **w, int n, int line)
{
        if (n < 3)
                die("line %d: rule: want ADDR NAME STEP...", line);
        if (s->nrules == MAX_RULES)
                die("too many rules");
        struct rule *r = &s->rules[s->nrules++];
        *r = (struct rule){.listener = -1, .tcp = {STEP_ANSWER, 0}};
        if (strcmp(w[1], "*") != 0)
                r->listener = listener_add(s, w[1]);
        if (strcmp(w[2], "*") != 0 && !(r->name = ldns_dname_new_frm_str(w[2])))
                die("rule: bad name %s", w[2]);
        for (int i = 3; i < n; i++) {
                if (strcmp(w[i], "do") == 0)
                        r->do_only = true;
                else if (strncmp(w[i], "first=", 6) == 0)
                        r->first = atoi(w[i] + 6);
                else if (strncmp(w[i], "tcp=", 4) == 0)
                        r->tcp = step_parse(s, w[i] + 4);
                else if (r->nudp < MAX_STEPS)
                        r->udp[r->nudp++] = step_parse(s, w[i]);
        }
        if (r->nudp == 0)
                r->udp[r->nudp++] = (struct step){STEP_ANSWER, 0};
}

static void directive(struct server *s, char *text, int line)
{
        char *w[MAX_STEPS + 8];
        int n = 0;
        char *save = NULL;
        char *hash = strchr(text, '#');
        if (hash)
                *hash = '\0';
        for (char *t = strtok_r(text, " \t\r\n", &save); t && n < (int)(sizeof w / sizeof w[0]);
             t = strtok_r(NULL, " \t\r\n", &save))
                w[n++] = t;
        if (n == 0)
                return;
        if (strcmp(w[0], "zone") == 0 && n == 3)
                s->ls[listener_add(s, w[1])].zone = zone_load(w[2]);
        else if (strcmp(w[0], "listen") == 0 && n == 2)
                listener_add(s, w[1]);
        else if (strcmp(w[0], "rule") == 0)
                rule_parse(s, w, n, line);
        else
                die("unknown directive: %s", w[0]);
}

static void config_file(struct server *s, const char *path)
{
        FILE *f = fopen(path, "r");
        if (!f)
                die("%s: %s", path, strerror(errno));
        char buf[1024];
        int line = 0;
        while (fgets(buf, sizeof buf, f))
                directive(s, buf, ++line);
        fclose(f);
}

/* ---------------------------------------------------------------- main */

static int poll_timeout(const struct server *s)
{
        if (!s->pending)
                return -1;
        int64_t wait = s->pending->due - now_ms();
        return wait < 0 ? 0 : (int)wait + 1; /* rounded up: never early */
}

static void serve(struct server *s)
{
        struct pollfd fds[2 * MAX_LISTENERS + MAX_CONNS];
        for (;;) {
                int n = 0;
                for (int i = 0; i < s->nls; i++) {
                        fds[n++] = (struct pollfd){.fd = s->ls[i].udp, .events = POLLIN};
                        fds[n++] = (struct pollfd){.fd = s->ls[i].tcp, .events = POLLIN};
                }
                for (int i = 0; i < MAX_CONNS; i++) {
                        struct conn *c = &s->conns[i];
                        short ev = c->outoff < c->outlen ? POLLIN | POLLOUT : POLLIN;
                        fds[n++] = (struct pollfd){.fd = c->fd, .events = ev};
                }
                if (poll(fds, (nfds_t)n, poll_timeout(s)) < 0 && errno != EINTR)
                        die("poll: %s", strerror(errno));
                for (int i = 0; i < s->nls; i++) {
                        if (fds[2 * i].revents)
                                udp_query(s, i);
                        if (fds[2 * i + 1].revents)
                                tcp_accept(s, i);
                }
                for (int i = 0; i < MAX_CONNS; i++) {
                        short re = fds[2 * s->nls + i].revents;
                        if (s->conns[i].fd >= 0 && re)
                                conn_event(s, &s->conns[i], re);
                }
                pending_flush(s);
        }
}

int main(int argc, char **argv)
{
        static struct server s;
        const char *p = getenv("LAB_PORT");
        s.port = p && *p ? atoi(p) : 53;
        for (int i = 0; i < MAX_CONNS; i++)
                s.conns[i].fd = -1;
        if (argc < 2) {
                fprintf(stderr, "usage: lab-hostile [-e DIRECTIVE]... [FILE]...\n");
                return 2;
        }
        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "-e") == 0 && i + 1 < argc)
                        directive(&s, argv[++i], 0);
                else
                        config_file(&s, argv[i]);
        }
        signal(SIGPIPE, SIG_IGN);
        setvbuf(stdout, NULL, _IOLBF, 0);
        printf("ready\n");
        serve(&s);
}
