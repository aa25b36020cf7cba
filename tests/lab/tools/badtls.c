/* lab-badtls: an SMTP receiver whose STARTTLS is broken, as some are: it
 * offers STARTTLS and says 220 to it, then sends bytes that are not TLS
 * and hangs up. Everything else it accepts (250 to MAIL, RCPT, the data),
 * so a client that falls back to plain SMTP, as an MTA with opportunistic
 * TLS does, gets through on its next connection.
 *
 * usage: lab-badtls ADDR [PORT]   (default port 25)
 * Prints "ready" once listening; serves one connection at a time (a
 * connection silent for 30 s is dropped); exits on SIGTERM. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define IDLE_MS 30000

static void say(int fd, const char *s)
{
        size_t len = strlen(s), off = 0;
        while (off < len) {
                ssize_t n = send(fd, s + off, len - off, MSG_NOSIGNAL);
                if (n <= 0)
                        return;
                off += (size_t)n;
        }
}

/* One line without its CRLF into buf; false when the client is gone. */
static bool read_line(int fd, char *buf, size_t len)
{
        size_t n = 0;
        for (;;) {
                struct pollfd p = {.fd = fd, .events = POLLIN};
                if (poll(&p, 1, IDLE_MS) <= 0)
                        return false;
                char c;
                if (recv(fd, &c, 1, 0) != 1)
                        return false;
                if (c == '\n') {
                        if (n && buf[n - 1] == '\r')
                                n--;
                        buf[n] = '\0';
                        return true;
                }
                if (n + 1 < len)
                        buf[n++] = c;
        }
}

static bool is(const char *line, const char *verb)
{
        return strncasecmp(line, verb, strlen(verb)) == 0;
}

static void serve(int fd)
{
        char line[1024];
        say(fd, "220 badtls.lab ESMTP (STARTTLS is broken here)\r\n");
        while (read_line(fd, line, sizeof(line))) {
                if (is(line, "EHLO")) {
                        say(fd, "250-badtls.lab\r\n250-STARTTLS\r\n250 8BITMIME\r\n");
                } else if (is(line, "HELO") || is(line, "RSET") || is(line, "NOOP")) {
                        say(fd, "250 2.0.0 Ok\r\n");
                } else if (is(line, "STARTTLS")) {
                        say(fd, "220 2.0.0 Ready to start TLS\r\n");
                        say(fd, "this is not a TLS server hello\r\n");
                        return;
                } else if (is(line, "MAIL")) {
                        say(fd, "250 2.1.0 Ok\r\n");
                } else if (is(line, "RCPT")) {
                        say(fd, "250 2.1.5 Ok\r\n");
                } else if (is(line, "DATA")) {
                        say(fd, "354 End data with <CR><LF>.<CR><LF>\r\n");
                        while (read_line(fd, line, sizeof(line)) && strcmp(line, ".") != 0)
                                ;
                        say(fd, "250 2.0.0 Ok: queued\r\n");
                } else if (is(line, "QUIT")) {
                        say(fd, "221 2.0.0 Bye\r\n");
                        return;
                } else {
                        say(fd, "502 5.5.2 Error: command not recognized\r\n");
                }
        }
}

int main(int argc, char **argv)
{
        struct sockaddr_in sa = {.sin_family = AF_INET};
        if (argc < 2 || argc > 3 || inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
                fprintf(stderr, "usage: lab-badtls ADDR [PORT]\n");
                return 2;
        }
        sa.sin_port = htons(argc == 3 ? (unsigned short)atoi(argv[2]) : 25);
        int one = 1, lfd = socket(AF_INET, SOCK_STREAM, 0);
        if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
            bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 16) < 0) {
                perror("lab-badtls");
                return 1;
        }
        printf("ready\n");
        fflush(stdout);
        for (;;) {
                int fd = accept(lfd, NULL, NULL);
                if (fd < 0)
                        continue;
                serve(fd);
                close(fd);
        }
}
