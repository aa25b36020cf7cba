/* lab-delayproxy: a DNS forwarder that delays every reply, so lab servers
 * behave like servers far away (this kernel has no netem).
 *
 * usage: lab-delayproxy LISTEN_ADDR UPSTREAM_ADDR DELAY_MS
 * Listens on LISTEN_ADDR port 53 (or $LAB_PORT), UDP and TCP, forwards each
 * query to UPSTREAM_ADDR on the same port and sends the reply back DELAY_MS
 * after it arrived. UDP: one upstream socket per query, so the reply finds its
 * client without rewriting IDs. TCP: one upstream connection per client
 * connection, upstream bytes delayed. Single-threaded, poll-based; prints
 * "ready" once bound and exits on SIGTERM. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_UDP_QUERIES 2048
#define MAX_TCP_CONNS   128
#define UDP_QUERY_TTL   10000 /* ms an upstream UDP socket waits for its reply */
#define MAX_MSG         65535
#define BUF_SIZE        (MAX_MSG + 2)
#define UDP_BURST       256       /* queries read per poll round */
#define SOCKET_BUFFER   (4 << 20) /* a burst of queries must not overflow */

/* A UDP query sent upstream, waiting for its reply. */
struct udp_query {
        int fd; /* connected to upstream; -1 when the slot is free */
        struct sockaddr_in client;
        int64_t expires;
};

/* A TCP client and its upstream connection. */
struct tcp_conn {
        int cfd, ufd;               /* -1 when the slot is free */
        unsigned gen;               /* tells a delayed chunk whether its connection still exists */
        unsigned char up[BUF_SIZE]; /* client bytes not yet written upstream */
        size_t up_len;
        unsigned char down[BUF_SIZE]; /* due upstream bytes not yet written to the client */
        size_t down_len;
        int upstream_eof;
        int pending; /* delayed chunks still queued for this connection */
};

/* A reply held back until due. */
struct delayed {
        struct delayed *next;
        int64_t due;
        int conn; /* TCP connection index, or -1 for a UDP reply */
        unsigned gen;
        struct sockaddr_in client;
        size_t len;
        unsigned char data[];
};

struct proxy {
        int udp_fd, listen_fd;
        struct sockaddr_in upstream;
        int delay_ms;
        struct udp_query udp[MAX_UDP_QUERIES];
        int udp_next; /* where the search for a free slot starts */
        struct tcp_conn tcp[MAX_TCP_CONNS];
        struct delayed *head, *tail; /* FIFO: one fixed delay keeps it sorted by due */
};

static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
        (void)sig;
        stopping = 1;
}

/* Monotonic nanoseconds: a held reply is due at arrival + delay exactly, and
 * poll waits are rounded up, so no reply ever leaves early. */
static int64_t now_ns(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#define NS_PER_MS 1000000

static int set_nonblocking(int fd)
{
        int fl = fcntl(fd, F_GETFL);
        return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int parse_addr(const char *s, struct sockaddr_in *sa)
{
        const char *p = getenv("LAB_PORT");
        *sa =
            (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons(p && *p ? atoi(p) : 53)};
        return inet_pton(AF_INET, s, &sa->sin_addr) == 1 ? 0 : -1;
}

/* Bigger buffers where allowed (FORCE works for root in the lab's namespace). */
static void socket_grow_buffers(int fd)
{
        int size = SOCKET_BUFFER;
        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
        if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) < 0)
                setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
}

static int socket_listening(const struct sockaddr_in *sa, int type)
{
        int on = 1;
        int fd = socket(AF_INET, type, 0);
        if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0 ||
            bind(fd, (const struct sockaddr *)sa, sizeof *sa) < 0 ||
            (type == SOCK_STREAM && listen(fd, 64) < 0) || set_nonblocking(fd) < 0) {
                perror("lab-delayproxy: bind");
                return -1;
        }
        if (type == SOCK_DGRAM)
                socket_grow_buffers(fd);
        return fd;
}

static int socket_to_upstream(const struct proxy *px, int type)
{
        int fd = socket(AF_INET, type, 0);
        if (fd < 0)
                return -1;
        if (set_nonblocking(fd) < 0 ||
            (connect(fd, (const struct sockaddr *)&px->upstream, sizeof px->upstream) < 0 &&
             errno != EINPROGRESS)) {
                close(fd);
                return -1;
        }
        return fd;
}

static void delay_push(struct proxy *px, int conn, const struct sockaddr_in *client,
                       const void *data, size_t len)
{
        struct delayed *d = malloc(sizeof *d + len);
        if (!d)
                return; /* dropping a reply is what a slow server may do anyway */
        d->next = NULL;
        d->due = now_ns() + (int64_t)px->delay_ms * NS_PER_MS;
        d->conn = conn;
        d->gen = conn >= 0 ? px->tcp[conn].gen : 0;
        if (client)
                d->client = *client;
        d->len = len;
        memcpy(d->data, data, len);
        if (conn >= 0)
                px->tcp[conn].pending++;
        if (px->tail)
                px->tail->next = d;
        else
                px->head = d;
        px->tail = d;
}

static void tcp_close(struct proxy *px, int i)
{
        struct tcp_conn *c = &px->tcp[i];
        close(c->cfd);
        if (c->ufd >= 0)
                close(c->ufd);
        c->cfd = c->ufd = -1;
        c->gen++;
        c->up_len = c->down_len = 0;
        c->upstream_eof = 0;
        c->pending = 0;
}

/* Moves every due reply to its client. */
static void delay_release(struct proxy *px)
{
        int64_t now = now_ns();
        while (px->head && px->head->due <= now) {
                struct delayed *d = px->head;
                px->head = d->next;
                if (!px->head)
                        px->tail = NULL;
                if (d->conn < 0) {
                        sendto(px->udp_fd, d->data, d->len, 0, (struct sockaddr *)&d->client,
                               sizeof d->client);
                } else if (px->tcp[d->conn].gen == d->gen) {
                        struct tcp_conn *c = &px->tcp[d->conn];
                        size_t room = sizeof c->down - c->down_len;
                        size_t n = d->len < room ? d->len : room;
                        memcpy(c->down + c->down_len, d->data, n);
                        c->down_len += n;
                        c->pending--;
                }
                free(d);
        }
}

/* Returns 0 when there was nothing left to read. */
static int udp_accept_query(struct proxy *px)
{
        unsigned char buf[MAX_MSG];
        struct sockaddr_in client;
        socklen_t alen = sizeof client;
        ssize_t n = recvfrom(px->udp_fd, buf, sizeof buf, 0, (struct sockaddr *)&client, &alen);
        if (n <= 0)
                return 0;
        for (int i = px->udp_next, k = 0; k < MAX_UDP_QUERIES; k++, i = (i + 1) % MAX_UDP_QUERIES) {
                struct udp_query *q = &px->udp[i];
                if (q->fd >= 0)
                        continue;
                q->fd = socket_to_upstream(px, SOCK_DGRAM);
                if (q->fd < 0)
                        return 1;
                q->client = client;
                q->expires = now_ns() + (int64_t)UDP_QUERY_TTL * NS_PER_MS;
                if (send(q->fd, buf, n, 0) < 0) {
                        close(q->fd);
                        q->fd = -1;
                }
                px->udp_next = (i + 1) % MAX_UDP_QUERIES;
                return 1;
        }
        return 1; /* every slot busy: dropped, like an overloaded server */
}

/* Reads a burst at a time: one query per poll round would overflow the
 * socket when a client sends hundreds at once. */
static void udp_accept_burst(struct proxy *px)
{
        for (int b = 0; b < UDP_BURST; b++) {
                if (!udp_accept_query(px))
                        return;
        }
}

static void udp_take_reply(struct proxy *px, struct udp_query *q)
{
        unsigned char buf[MAX_MSG];
        ssize_t n = recv(q->fd, buf, sizeof buf, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
                return;
        if (n > 0)
                delay_push(px, -1, &q->client, buf, n);
        close(q->fd);
        q->fd = -1;
}

static void tcp_accept_conn(struct proxy *px)
{
        int cfd = accept(px->listen_fd, NULL, NULL);
        if (cfd < 0)
                return;
        for (int i = 0; i < MAX_TCP_CONNS; i++) {
                struct tcp_conn *c = &px->tcp[i];
                if (c->cfd >= 0)
                        continue;
                c->ufd = socket_to_upstream(px, SOCK_STREAM);
                if (c->ufd < 0 || set_nonblocking(cfd) < 0)
                        break;
                c->cfd = cfd;
                return;
        }
        close(cfd);
}

/* Writes as much of buf as the socket takes; returns -1 on a broken socket. */
static int flush_buffer(int fd, unsigned char *buf, size_t *len)
{
        if (*len == 0)
                return 0;
        ssize_t n = send(fd, buf, *len, MSG_NOSIGNAL);
        if (n < 0)
                return errno == EAGAIN || errno == EINTR ? 0 : -1;
        memmove(buf, buf + n, *len - n);
        *len -= n;
        return 0;
}

/* Handles poll results for one connection; returns -1 when it is finished. */
static int tcp_service(struct proxy *px, int i, short crev, short urev)
{
        struct tcp_conn *c = &px->tcp[i];
        unsigned char buf[MAX_MSG];
        if (crev & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t n = recv(c->cfd, c->up + c->up_len, sizeof c->up - c->up_len, 0);
                if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                        return -1;
                if (n > 0)
                        c->up_len += n;
        }
        if (c->ufd >= 0 && (urev & (POLLIN | POLLHUP | POLLERR))) {
                ssize_t n = recv(c->ufd, buf, sizeof buf, 0);
                if (n > 0) {
                        delay_push(px, i, NULL, buf, n);
                } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                        close(c->ufd);
                        c->ufd = -1;
                        c->upstream_eof = 1;
                }
        }
        if (c->ufd >= 0 && flush_buffer(c->ufd, c->up, &c->up_len) < 0)
                return -1;
        if (flush_buffer(c->cfd, c->down, &c->down_len) < 0)
                return -1;
        if (c->upstream_eof && c->pending == 0 && c->down_len == 0)
                return -1;
        return 0;
}

static int poll_timeout(const struct proxy *px)
{
        int64_t now = now_ns();
        int64_t next = now + 1000 * (int64_t)NS_PER_MS;
        if (px->head && px->head->due < next)
                next = px->head->due;
        /* Round up: waking a little late is harmless, early would spin or
         * (with a truncated clock) release a reply before it is due. */
        return next > now ? (int)((next - now + NS_PER_MS - 1) / NS_PER_MS) : 0;
}

/* Index bookkeeping for one poll round: what each pollfd belongs to. */
enum { SLOT_UDP_LISTEN, SLOT_TCP_LISTEN, SLOT_UDP_QUERY, SLOT_TCP_CLIENT, SLOT_TCP_UPSTREAM };

struct poll_set {
        struct pollfd fds[2 + MAX_UDP_QUERIES + 2 * MAX_TCP_CONNS];
        int what[2 + MAX_UDP_QUERIES + 2 * MAX_TCP_CONNS];
        int index[2 + MAX_UDP_QUERIES + 2 * MAX_TCP_CONNS];
        int count;
};

static void poll_add(struct poll_set *ps, int fd, short events, int what, int index)
{
        ps->fds[ps->count] = (struct pollfd){.fd = fd, .events = events};
        ps->what[ps->count] = what;
        ps->index[ps->count] = index;
        ps->count++;
}

static void poll_build(const struct proxy *px, struct poll_set *ps)
{
        ps->count = 0;
        poll_add(ps, px->udp_fd, POLLIN, SLOT_UDP_LISTEN, -1);
        poll_add(ps, px->listen_fd, POLLIN, SLOT_TCP_LISTEN, -1);
        for (int i = 0; i < MAX_UDP_QUERIES; i++) {
                if (px->udp[i].fd >= 0)
                        poll_add(ps, px->udp[i].fd, POLLIN, SLOT_UDP_QUERY, i);
        }
        for (int i = 0; i < MAX_TCP_CONNS; i++) {
                const struct tcp_conn *c = &px->tcp[i];
                if (c->cfd < 0)
                        continue;
                poll_add(ps, c->cfd, POLLIN | (c->down_len ? POLLOUT : 0), SLOT_TCP_CLIENT, i);
                if (c->ufd >= 0)
                        poll_add(ps, c->ufd, POLLIN | (c->up_len ? POLLOUT : 0), SLOT_TCP_UPSTREAM,
                                 i);
        }
}

static void expire_udp_queries(struct proxy *px)
{
        int64_t now = now_ns();
        for (int i = 0; i < MAX_UDP_QUERIES; i++) {
                if (px->udp[i].fd >= 0 && px->udp[i].expires <= now) {
                        close(px->udp[i].fd);
                        px->udp[i].fd = -1;
                }
        }
}

static void proxy_round(struct proxy *px, struct poll_set *ps)
{
        static short crev[MAX_TCP_CONNS], urev[MAX_TCP_CONNS];
        poll_build(px, ps);
        if (poll(ps->fds, ps->count, poll_timeout(px)) < 0 && errno != EINTR)
                return;
        memset(crev, 0, sizeof crev);
        memset(urev, 0, sizeof urev);
        for (int k = 0; k < ps->count; k++) {
                short rev = ps->fds[k].revents;
                int i = ps->index[k];
                if (!rev)
                        continue;
                if (ps->what[k] == SLOT_UDP_LISTEN)
                        udp_accept_burst(px);
                else if (ps->what[k] == SLOT_TCP_LISTEN)
                        tcp_accept_conn(px);
                else if (ps->what[k] == SLOT_UDP_QUERY)
                        udp_take_reply(px, &px->udp[i]);
                else if (ps->what[k] == SLOT_TCP_CLIENT)
                        crev[i] = rev;
                else
                        urev[i] = rev;
        }
        delay_release(px);
        for (int i = 0; i < MAX_TCP_CONNS; i++) {
                if (px->tcp[i].cfd >= 0 && tcp_service(px, i, crev[i], urev[i]) < 0)
                        tcp_close(px, i);
        }
        expire_udp_queries(px);
}

int main(int argc, char **argv)
{
        static struct proxy px;
        static struct poll_set ps;
        struct sockaddr_in listen_sa;
        if (argc != 4 || parse_addr(argv[1], &listen_sa) < 0 ||
            parse_addr(argv[2], &px.upstream) < 0) {
                fprintf(stderr, "usage: lab-delayproxy LISTEN_ADDR UPSTREAM_ADDR DELAY_MS\n");
                return 2;
        }
        px.delay_ms = atoi(argv[3]);
        /* one fd per UDP query in flight */
        struct rlimit rl;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
                rl.rlim_cur = rl.rlim_max;
                setrlimit(RLIMIT_NOFILE, &rl);
        }
        for (int i = 0; i < MAX_UDP_QUERIES; i++)
                px.udp[i].fd = -1;
        for (int i = 0; i < MAX_TCP_CONNS; i++)
                px.tcp[i].cfd = px.tcp[i].ufd = -1;
        px.udp_fd = socket_listening(&listen_sa, SOCK_DGRAM);
        px.listen_fd = socket_listening(&listen_sa, SOCK_STREAM);
        if (px.udp_fd < 0 || px.listen_fd < 0)
                return 1;
        struct sigaction sa = {.sa_handler = on_term};
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        printf("ready\n");
        fflush(stdout);
        while (!stopping)
                proxy_round(&px, &ps);
        return 0;
}
