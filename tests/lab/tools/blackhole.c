/* lab-blackhole: a DNS server that never answers, for real timeouts in the
 * lab (a closed port would make the kernel answer, which is not a timeout).
 *
 * usage: lab-blackhole ADDR [ADDR...]
 * Binds UDP and TCP port 53 (or $LAB_PORT) on every ADDR, prints "ready",
 * then reads and drops everything until SIGTERM. TCP connections are
 * accepted and held open without a reply. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_ADDRS 16
#define MAX_FDS   512

struct sink {
        struct pollfd fds[MAX_FDS];
        int kind[MAX_FDS]; /* what each fd is, see enum below */
        int count;
};

enum { FD_UDP, FD_LISTEN, FD_CONN };

static int sink_port(void)
{
        const char *p = getenv("LAB_PORT");
        return p && *p ? atoi(p) : 53;
}

static int socket_bound(const char *addr, int type)
{
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(sink_port())};
        if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
                fprintf(stderr, "lab-blackhole: bad IPv4 address %s\n", addr);
                return -1;
        }
        int fd = socket(AF_INET, type, 0);
        int on = 1;
        if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0 ||
            bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
            (type == SOCK_STREAM && listen(fd, 64) < 0)) {
                fprintf(stderr, "lab-blackhole: %s:%d: %s\n", addr, sink_port(), strerror(errno));
                return -1;
        }
        return fd;
}

static void sink_add(struct sink *s, int fd, int kind)
{
        if (s->count == MAX_FDS) {
                close(fd); /* full: the client sees a reset, not worth more code */
                return;
        }
        s->fds[s->count] = (struct pollfd){.fd = fd, .events = POLLIN};
        s->kind[s->count] = kind;
        s->count++;
}

static void sink_remove(struct sink *s, int i)
{
        close(s->fds[i].fd);
        s->count--;
        s->fds[i] = s->fds[s->count];
        s->kind[i] = s->kind[s->count];
}

/* Reads whatever is there and drops it; returns false when the fd is done. */
static int sink_drain(struct sink *s, int i)
{
        char buf[4096];
        int fd = s->fds[i].fd;
        if (s->kind[i] == FD_LISTEN) {
                int c = accept(fd, NULL, NULL);
                if (c >= 0)
                        sink_add(s, c, FD_CONN);
                return 1;
        }
        ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (s->kind[i] == FD_CONN && (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)))
                return 0;
        return 1;
}

int main(int argc, char **argv)
{
        static struct sink s;
        if (argc < 2 || argc - 1 > MAX_ADDRS) {
                fprintf(stderr, "usage: lab-blackhole ADDR [ADDR...]\n");
                return 2;
        }
        for (int a = 1; a < argc; a++) {
                int u = socket_bound(argv[a], SOCK_DGRAM);
                int t = socket_bound(argv[a], SOCK_STREAM);
                if (u < 0 || t < 0)
                        return 1;
                sink_add(&s, u, FD_UDP);
                sink_add(&s, t, FD_LISTEN);
        }
        printf("ready\n");
        fflush(stdout);
        for (;;) {
                if (poll(s.fds, s.count, -1) < 0 && errno != EINTR)
                        return 1;
                for (int i = s.count - 1; i >= 0; i--) {
                        if (s.fds[i].revents && !sink_drain(&s, i))
                                sink_remove(&s, i);
                }
        }
}
