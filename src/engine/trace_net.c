/* trace_net: the trace's own sockets. One connected, non-blocking UDP
 * socket per query (a fresh source port each, and the kernel drops other
 * sources and reports ICMP errors); TCP after TC=1, connected without
 * blocking. Everything is driven by the shared loop. */
#include "trace_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define DNS_MAX_MSG 65535

static socklen_t sockaddr_of(const struct tquery *q, struct sockaddr_storage *ss)
{
        memset(ss, 0, sizeof(*ss));
        int port = trace_port(q->t);
        if (q->addr.family == AF_INET6) {
                struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
                s6->sin6_family = AF_INET6;
                s6->sin6_port = htons((uint16_t)port);
                memcpy(&s6->sin6_addr, q->addr.bytes, 16);
                return sizeof(*s6);
        }
        struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
        memcpy(&s4->sin_addr, q->addr.bytes, 4);
        return sizeof(*s4);
}

/* The kernel filters a connected socket already; this is the belt to its braces. */
static bool from_server(const struct tquery *q, const struct sockaddr_storage *from)
{
        struct sockaddr_storage want;
        socklen_t len = sockaddr_of(q, &want);
        if (from->ss_family != want.ss_family)
                return false;
        if (want.ss_family == AF_INET6) {
                const struct sockaddr_in6 *a = (const void *)from, *b = (const void *)&want;
                return a->sin6_port == b->sin6_port &&
                       memcmp(&a->sin6_addr, &b->sin6_addr, 16) == 0;
        }
        const struct sockaddr_in *a = (const void *)from, *b = (const void *)&want;
        (void)len;
        return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
}

/* Errors that mean this host cannot reach the address at all. */
static bool local_errno(int e)
{
        return e == ENETUNREACH || e == EADDRNOTAVAIL || e == EAFNOSUPPORT || e == EPERM ||
               e == EACCES;
}

/* This host is out of descriptors, buffers or memory: nothing to do with
 * the server, and over once other queries close their sockets. */
static bool resource_errno(int e)
{
        return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM;
}

static void fail_errno(struct tquery *q, const char *what, int e)
{
        char why[160];
        if (resource_errno(e)) {
                trace_query_backoff(q, what, e);
                return;
        }
        if (e == EPERM || e == EACCES) {
                /* A local firewall rule (iptables REJECT, seccomp, SELinux). */
                snprintf(why, sizeof(why), "%s: blocked on this host, a firewall? (%s)", what,
                         strerror(e));
                trace_local_error(q->t, why);
                trace_query_fail(q, TRACE_UNREACHABLE, true, why);
                return;
        }
        if (e == ECONNREFUSED)
                snprintf(why, sizeof(why), "%s: port unreachable (nothing listens on port %d)",
                         what, trace_port(q->t));
        else if (local_errno(e))
                snprintf(why, sizeof(why), "%s: no route from this host (%s)", what, strerror(e));
        else
                snprintf(why, sizeof(why), "%s: %s", what, strerror(e));
        trace_query_fail(q, TRACE_UNREACHABLE, local_errno(e), why);
}

void trace_net_stop(struct tquery *q)
{
        struct loop *lp = trace_loop(q->t);
        if (q->fd >= 0) {
                loop_unwatch(lp, q->fd);
                close(q->fd);
                q->fd = -1;
        }
        if (q->timer > 0)
                loop_timer_cancel(lp, q->timer);
        if (q->resend > 0)
                loop_timer_cancel(lp, q->resend);
        q->timer = q->resend = 0;
}

/* ------------------------------------------------------------ timing */

static struct rtt_est *rtt_host(struct trace *t, const struct addr *a, bool add)
{
        for (size_t i = 0; i < t->nrtts; i++)
                if (addr_equal(&t->rtts[i].addr, a))
                        return &t->rtts[i].est;
        if (!add || t->nrtts == TRACE_MAX_RTT_HOSTS)
                return NULL;
        if (t->nrtts == t->caprtts) {
                size_t cap = t->caprtts ? 2 * t->caprtts : 8;
                struct rtt_host *n = realloc(t->rtts, cap * sizeof(*n));
                if (!n)
                        return NULL;
                t->rtts = n;
                t->caprtts = cap;
        }
        struct rtt_host *h = &t->rtts[t->nrtts++];
        h->addr = *a;
        h->est = (struct rtt_est){0};
        return &h->est;
}

static void rtt_update(struct rtt_est *e, int64_t ms)
{
        if (!e->sampled) {
                e->srtt = ms;
                e->rttvar = ms / 2;
                e->sampled = true;
                return;
        }
        int64_t delta = ms - e->srtt;
        e->srtt += delta / 8;
        e->rttvar += ((delta < 0 ? -delta : delta) - e->rttvar) / 4;
}

void trace_net_rtt_sample(struct trace *t, const struct addr *a, int64_t ms)
{
        struct rtt_est *e = rtt_host(t, a, true);
        if (e)
                rtt_update(e, ms);
        rtt_update(&t->rtt_all, ms);
}

/* The first resend interval for q's server: its own estimate, else the
 * trace's (far servers are usually all far), else unbound's guess. */
static int64_t rto_of(struct trace *t, const struct addr *a)
{
        const struct rtt_est *e = rtt_host(t, a, false);
        if (!e || !e->sampled)
                e = &t->rtt_all;
        int64_t rto = e->sampled ? e->srtt + 4 * e->rttvar : TRACE_UNKNOWN_RTO_MS;
        return rto < TRACE_MIN_RTO_MS ? TRACE_MIN_RTO_MS : rto;
}

/* How long one query waits for its server: room for every try at the
 * estimate, at least TRACE_MIN_WAIT_MS, at most --timeout. */
static int64_t wait_of(int64_t rto, int64_t cap)
{
        int64_t wait = rto * ((1 << TRACE_MAX_TRIES) - 1);
        if (wait < TRACE_MIN_WAIT_MS)
                wait = TRACE_MIN_WAIT_MS;
        return wait > cap ? cap : wait;
}

static void on_timeout(void *arg)
{
        struct tquery *q = arg;
        struct trace *t = q->t;
        char why[96];
        q->timer = 0;
        if (q->state == QS_UDP)
                snprintf(why, sizeof(why), "no reply within %lld ms (%d %s)", (long long)q->wait_ms,
                         q->tries, q->tries == 1 ? "try" : "tries");
        else
                snprintf(why, sizeof(why), "no reply within %d ms over TCP", trace_timeout_ms(t));
        trace_enter(t);
        trace_query_fail(q, TRACE_TIMEOUT, false, why);
        trace_leave(t);
}

/* Resends at the estimate, doubling, while the wait has room: a lost
 * datagram must not make a healthy server look dead, and a far one must
 * not be flooded. */
static void on_resend(void *arg)
{
        struct tquery *q = arg;
        q->resend = 0;
        if (q->state != QS_UDP || send(q->fd, q->wire, q->wlen, 0) < 0)
                return;
        trace_count_sent(q->t);
        q->tries++;
        q->rto *= 2;
        int64_t left = q->sent_ms + q->wait_ms - loop_now_ms();
        if (q->tries < TRACE_MAX_TRIES && q->rto < left)
                q->resend = loop_timer_add(trace_loop(q->t), q->rto, on_resend, q);
        if (q->resend < 0)
                q->resend = 0; /* out of memory: the timeout still ends it */
}

static void udp_readable(int fd, short revents, void *arg)
{
        struct tquery *q = arg;
        struct trace *t = q->t;
        uint8_t buf[DNS_MAX_MSG];
        trace_enter(t);
        for (;;) {
                struct sockaddr_storage from;
                socklen_t flen = sizeof(from);
                ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
                if (n < 0) {
                        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                                fail_errno(q, "UDP", errno);
                        break;
                }
                if (!from_server(q, &from)) {
                        trace_query_ignored(q, IGNORED_SOURCE);
                        continue;
                }
                if (trace_query_got(q, buf, (size_t)n))
                        break; /* q is answered (and maybe freed) or moved to TCP */
        }
        trace_leave(t);
}

void trace_net_send(struct tquery *q)
{
        struct sockaddr_storage ss;
        socklen_t len = sockaddr_of(q, &ss);
        q->fd = socket(q->addr.family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (q->fd < 0) {
                fail_errno(q, "socket", errno);
                return;
        }
        q->sent_ms = loop_now_ms();
        if (connect(q->fd, (struct sockaddr *)&ss, len) < 0 ||
            send(q->fd, q->wire, q->wlen, 0) < 0) {
                fail_errno(q, "UDP", errno);
                return;
        }
        trace_count_sent(q->t);
        q->state = QS_UDP;
        q->tries = 1;
        q->rto = rto_of(q->t, &q->addr);
        q->wait_ms = wait_of(q->rto, trace_timeout_ms(q->t));
        struct loop *lp = trace_loop(q->t);
        q->timer = loop_timer_add(lp, q->wait_ms, on_timeout, q);
        q->resend = q->rto < q->wait_ms ? loop_timer_add(lp, q->rto, on_resend, q) : 0;
        if (loop_watch(lp, q->fd, POLLIN, udp_readable, q) < 0 || q->timer < 0 || q->resend < 0)
                trace_query_fail(q, TRACE_NOT_ASKED, true, "out of memory");
}

static void tcp_fail_closed(struct tquery *q)
{
        trace_query_fail(q, TRACE_MALFORMED, false,
                         "the TCP connection closed before a whole reply arrived");
}

/* Reads the two-byte length and the message; true when the query is over. */
static bool tcp_read(struct tquery *q)
{
        for (;;) {
                size_t want = q->blen < 2 ? 2 : 2 + (size_t)(q->buf[0] << 8 | q->buf[1]);
                if (q->blen >= 2 && q->blen == want)
                        return trace_query_got(q, q->buf + 2, want - 2);
                ssize_t n = recv(q->fd, q->buf + q->blen, want - q->blen, 0);
                if (n == 0) {
                        tcp_fail_closed(q);
                        return true;
                }
                if (n < 0) {
                        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                                return false;
                        fail_errno(q, "TCP", errno);
                        return true;
                }
                q->blen += (size_t)n;
        }
}

/* Writes what is left of the query; true when all of it is out. */
static int tcp_write(struct tquery *q)
{
        while (q->woff < q->wlen + 2) {
                uint8_t prefix[2] = {(uint8_t)(q->wlen >> 8), (uint8_t)q->wlen};
                const uint8_t *from = q->woff < 2 ? prefix + q->woff : q->wire + (q->woff - 2);
                size_t left = q->woff < 2 ? 2 - q->woff : q->wlen + 2 - q->woff;
                ssize_t n = send(q->fd, from, left, MSG_NOSIGNAL);
                if (n < 0) {
                        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                                return 0;
                        fail_errno(q, "TCP", errno);
                        return -1;
                }
                q->woff += (size_t)n;
        }
        return 1;
}

static void tcp_event(int fd, short revents, void *arg)
{
        struct tquery *q = arg;
        struct trace *t = q->t;
        trace_enter(t);
        if (q->state == QS_TCP_CONNECT) {
                int err = 0;
                socklen_t elen = sizeof(err);
                if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
                        err = errno;
                if (err) {
                        fail_errno(q, "TCP connect", err);
                        goto out;
                }
                q->state = QS_TCP_WRITE;
        }
        if (q->state == QS_TCP_WRITE) {
                int rc = tcp_write(q);
                if (rc <= 0)
                        goto out;
                q->state = QS_TCP_READ;
                q->blen = 0;
                loop_watch(trace_loop(t), fd, POLLIN, tcp_event, q);
                goto out; /* the reply comes later */
        }
        if (q->state == QS_TCP_READ)
                tcp_read(q);
out:
        trace_leave(t);
}

void trace_net_tcp(struct tquery *q)
{
        struct loop *lp = trace_loop(q->t);
        trace_net_stop(q);
        q->want_tcp = true; /* a retry after a backoff is over TCP too */
        free(q->buf);
        q->buf = malloc(DNS_MAX_MSG + 2);
        q->blen = q->woff = 0;
        if (!q->buf) {
                trace_query_fail(q, TRACE_NOT_ASKED, true, "out of memory");
                return;
        }
        struct sockaddr_storage ss;
        socklen_t len = sockaddr_of(q, &ss);
        q->fd = socket(q->addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (q->fd < 0) {
                fail_errno(q, "socket", errno);
                return;
        }
        if (connect(q->fd, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS) {
                fail_errno(q, "TCP connect", errno);
                return;
        }
        trace_count_sent(q->t);
        q->state = QS_TCP_CONNECT;
        q->timer = loop_timer_add(lp, trace_timeout_ms(q->t), on_timeout, q);
        if (loop_watch(lp, q->fd, POLLOUT, tcp_event, q) < 0 || q->timer < 0)
                trace_query_fail(q, TRACE_NOT_ASKED, true, "out of memory");
}
