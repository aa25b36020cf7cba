/* sender: what this machine sends (see sender.h). The local settings are
 * read at start (postconf, exim -bP, /etc/hosts: local programs and files,
 * no network); the checks of the source addresses and the HELO name's
 * lookups then run on the loop, and the findings come at the end. */
#include "ptrwiz/sender.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <ldns/ldns.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "ptrwiz/escape.h"
#include "ptrwiz/hostname.h"
#include "ptrwiz/report.h"

/* Where the route lookups point when no receiver is given: documentation
 * addresses take the default route like any receiver, and nothing is sent. */
static const char *const default_toward[2] = {"192.0.2.25", "2001:db8::25"};

struct sender {
        struct resolver *r;
        struct sender_opts o;
        sender_done_cb cb;
        void *arg;
        struct sender_result *res;
        struct check *checks[2];
        long qa, qaaaa;
        long timer;
        int pending;
};

/* ---------------------------------------------------------------- local programs */

static char *dup_escaped(const char *s)
{
        return s ? escape_dup(s, strlen(s), ESCAPE_KEEP_SPACE | ESCAPE_KEEP_UTF8) : NULL;
}

/* Runs argv (no shell) and returns its standard output, NULL when it
 * cannot run or exits non-zero. Its stderr goes nowhere. */
static char *run_capture(char *const argv[])
{
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) < 0)
                return NULL;
        pid_t pid = fork();
        if (pid < 0) {
                close(fds[0]);
                close(fds[1]);
                return NULL;
        }
        if (pid == 0) {
                int devnull = open("/dev/null", O_RDWR);
                dup2(fds[1], 1);
                if (devnull >= 0) {
                        dup2(devnull, 0);
                        dup2(devnull, 2);
                }
                execvp(argv[0], argv);
                _exit(127);
        }
        close(fds[1]);
        size_t len = 0, cap = 4096;
        char *buf = malloc(cap);
        ssize_t n;
        while (buf && (n = read(fds[0], buf + len, cap - len - 1)) != 0) {
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                len += (size_t)n;
                if (len + 1 == cap) {
                        if (cap >= 256 * 1024)
                                break; /* enough of anyone's configuration */
                        char *nb = realloc(buf, cap * 2);
                        if (!nb)
                                break;
                        buf = nb;
                        cap *= 2;
                }
        }
        close(fds[0]);
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        if (!buf || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                free(buf);
                return NULL;
        }
        buf[len] = '\0';
        return buf;
}

static bool in_path(const char *prog)
{
        const char *path = getenv("PATH");
        char dir[4096], file[4200];
        if (!path)
                path = "/usr/sbin:/usr/bin:/sbin:/bin";
        while (*path) {
                size_t n = strcspn(path, ":");
                snprintf(dir, sizeof(dir), "%.*s", (int)n, path);
                snprintf(file, sizeof(file), "%s/%s", dir[0] ? dir : ".", prog);
                if (access(file, X_OK) == 0)
                        return true;
                path += n + (path[n] == ':');
        }
        return false;
}

static void add_note(struct sender_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add_note(struct sender_result *res, const char *fmt, ...)
{
        char buf[512], *joined = NULL;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        char *e = dup_escaped(buf);
        if (!e)
                return;
        if (asprintf(&joined, "%s%s%s", res->notes ? res->notes : "", res->notes ? "; " : "", e) >=
            0) {
                free(res->notes);
                res->notes = joined;
        }
        free(e);
}

/* postconf -c DIR -hx NAME...: one value a line, in order. */
static void read_postfix(struct sender_result *res, const char *dir)
{
        static const char *names[] = {"inet_protocols",    "smtp_address_preference",
                                      "myhostname",        "smtp_helo_name",
                                      "smtp_bind_address", "smtp_bind_address6"};
        char *argv[12];
        int n = 0;
        argv[n++] = "postconf";
        if (dir) {
                argv[n++] = "-c";
                argv[n++] = (char *)dir;
        }
        argv[n++] = "-hx";
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                argv[n++] = (char *)names[i];
        argv[n] = NULL;
        if (!dir && access("/etc/postfix/main.cf", R_OK) != 0)
                return; /* no Postfix set up here */
        if (!in_path("postconf")) {
                if (dir)
                        add_note(res, "postconf is not installed: cannot read %s", dir);
                return;
        }
        char *out = run_capture(argv);
        if (!out) {
                add_note(res, "postconf -c %s failed (no main.cf there?)",
                         dir ? dir : "/etc/postfix");
                return;
        }
        char **fields[] = {&res->inet_protocols, &res->address_preference,
                           &res->myhostname,     &res->helo_name,
                           &res->bind4,          &res->bind6};
        char *line = out, *next;
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]) && line; i++, line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                *fields[i] = dup_escaped(line);
        }
        free(out);
        res->postfix = true;
        res->postfix_dir = dup_escaped(dir);
}

/* The value of "name = value" among exim -bP's lines, unescaped: it may
 * still be an expansion. */
static char *exim_setting(const char *out, const char *name)
{
        size_t n = strlen(name);
        for (const char *line = out; line && *line;) {
                const char *nl = strchr(line, '\n');
                while (*line == ' ')
                        line++;
                if (strncmp(line, name, n) == 0 && strncmp(line + n, " = ", 3) == 0) {
                        line += n + 3;
                        return strndup(line, nl ? (size_t)(nl - line) : strlen(line));
                }
                line = nl ? nl + 1 : NULL;
        }
        return NULL;
}

static char *exim_run(const char *exim, const char *opt, const char *a1, const char *a2)
{
        char *argv[] = {(char *)exim, (char *)opt, (char *)a1, (char *)a2, NULL};
        return run_capture(argv);
}

/* The transport that sends to the Internet: Debian's remote_smtp, else the
 * first smtp transport. Returns exim -bP's lines for it. */
static char *exim_transport(const char *exim)
{
        char *t = exim_run(exim, "-bP", "transport", "remote_smtp");
        if (t && strstr(t, "driver = smtp"))
                return t;
        free(t);
        char *list = exim_run(exim, "-bP", "transport_list", NULL), *found = NULL;
        for (char *save = NULL, *name = list ? strtok_r(list, "\n", &save) : NULL; name && !found;
             name = strtok_r(NULL, "\n", &save)) {
                t = exim_run(exim, "-bP", "transport", name);
                if (t && strstr(t, "driver = smtp"))
                        found = t;
                else
                        free(t);
        }
        free(list);
        return found;
}

/* helo_data is an expansion string; its default is "$primary_hostname".
 * exim -be expands it as a connection would, without one: what depends on
 * the connection ($sending_ip_address...) comes out empty, so say so. */
static void exim_helo(struct sender_result *res, const char *exim, const char *raw)
{
        if (!strchr(raw, '$')) {
                res->exim_helo = dup_escaped(raw);
                return;
        }
        if (!strcmp(raw, "$primary_hostname") || !strcmp(raw, "${primary_hostname}")) {
                res->exim_helo = res->exim_hostname ? strdup(res->exim_hostname) : NULL;
                return;
        }
        char *out = exim_run(exim, "-be", raw, NULL);
        if (out)
                out[strcspn(out, "\n")] = '\0';
        char *e = dup_escaped(raw);
        if (!out || !out[0] || !strncmp(out, "Failed:", 7)) {
                char *why = dup_escaped(out && out[0] ? out : "it expands to nothing");
                add_note(res,
                         "Exim's helo_data (%s) cannot be expanded here (%s): the check uses "
                         "primary_hostname",
                         e ? e : "?", why ? why : "?");
                free(why);
        } else {
                res->exim_helo = dup_escaped(out);
                if (strstr(raw, "sending_") || strstr(raw, "$host") || strstr(raw, "{host"))
                        add_note(res,
                                 "Exim's helo_data (%s) depends on the connection: it gives %s "
                                 "without one",
                                 e ? e : "?", res->exim_helo ? res->exim_helo : "?");
        }
        free(e);
        free(out);
}

static void read_exim(struct sender_result *res)
{
        const char *exim = in_path("exim4") ? "exim4" : in_path("exim") ? "exim" : NULL;
        if (!exim)
                return;
        char *out = exim_run(exim, "-bP", "primary_hostname", NULL);
        char *v = out ? exim_setting(out, "primary_hostname") : NULL;
        res->exim_hostname = dup_escaped(v);
        free(v);
        free(out);
        if (!res->exim_hostname) {
                add_note(res, "%s -bP failed: Exim's settings are not read", exim);
                return;
        }
        res->exim = true;
        out = exim_transport(exim);
        char *raw = out ? exim_setting(out, "helo_data") : NULL;
        exim_helo(res, exim, raw ? raw : "$primary_hostname");
        free(raw);
        free(out);
}

/* What hostname -f prints, from /etc/hosts (its first source), without
 * asking the DNS: the first name of the line that lists the short name. */
static char *hosts_fqdn(const char *shortname)
{
        FILE *f = fopen("/etc/hosts", "r");
        char line[1024], *found = NULL;
        while (f && !found && fgets(line, sizeof(line), f)) {
                line[strcspn(line, "#\n")] = '\0';
                char *save = NULL, *tok = strtok_r(line, " \t", &save);
                char *first = NULL;
                if (!tok)
                        continue;
                while ((tok = strtok_r(NULL, " \t", &save))) {
                        if (!first)
                                first = tok;
                        if (strcasecmp(tok, shortname) == 0 ||
                            (strncasecmp(tok, shortname, strlen(shortname)) == 0 &&
                             tok[strlen(shortname)] == '.')) {
                                const char *full = strchr(first, '.') ? first
                                                   : strchr(tok, '.') ? tok
                                                                      : NULL;
                                found = dup_escaped(full);
                                break;
                        }
                }
        }
        if (f)
                fclose(f);
        return found;
}

/* ---------------------------------------------------------------- sources */

/* The kernel's choice of source toward the receiver: a UDP socket
 * connected to it (connect() on UDP sends nothing) and getsockname(). */
static void route_source(struct sender_source *s, const struct addr *toward)
{
        struct sockaddr_storage ss;
        socklen_t sl = addr_sockaddr(toward, 25, &ss);
        int fd = socket(toward->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        char why[200];
        if (fd < 0) {
                snprintf(why, sizeof(why), "no %s socket: %s",
                         toward->family == AF_INET ? "IPv4" : "IPv6", strerror(errno));
                s->error = dup_escaped(why);
                return;
        }
        if (connect(fd, (struct sockaddr *)&ss, sl) < 0) {
                snprintf(why, sizeof(why), "no route to %s: %s", s->toward, strerror(errno));
                s->error = dup_escaped(why);
                close(fd);
                return;
        }
        sl = sizeof(ss);
        struct addr local;
        if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0 &&
            addr_from_sockaddr((struct sockaddr *)&ss, &local) == 0) {
                addr_format(&local, s->ip, sizeof(s->ip));
                s->how = "route";
        }
        close(fd);
}

/* smtp_bind_address(6) wins over the route when set. */
static void bind_source(struct sender_source *s, const char *bind, const char *param)
{
        struct addr a;
        char err[128];
        if (!bind || !bind[0] || addr_parse(bind, &a, err, sizeof(err)) < 0)
                return;
        addr_format(&a, s->ip, sizeof(s->ip));
        s->how = param;
        free(s->error);
        s->error = NULL;
}

static bool family_used(const struct sender_result *res, int family)
{
        const char *p = res->inet_protocols;
        if (!res->postfix || !p)
                return true; /* no MTA settings: whatever has a route */
        if (strstr(p, "all"))
                return true;
        return strstr(p, family == AF_INET ? "ipv4" : "ipv6") != NULL;
}

static void find_sources(struct sender *sn)
{
        struct sender_result *res = sn->res;
        for (int i = 0; i < 2; i++) {
                struct sender_source *s = &res->src[i];
                s->family = i == 0 ? AF_INET : AF_INET6;
                const char *toward = NULL;
                struct addr a;
                char err[128];
                for (int k = 0; k < 2 && !toward; k++)
                        if (sn->o.toward[k] &&
                            addr_parse(sn->o.toward[k], &a, err, sizeof(err)) == 0 &&
                            a.family == s->family)
                                toward = sn->o.toward[k];
                if (!toward)
                        toward = default_toward[i];
                addr_parse(toward, &a, err, sizeof(err));
                addr_format(&a, s->toward, sizeof(s->toward));
                route_source(s, &a);
                bind_source(s, i == 0 ? res->bind4 : res->bind6,
                            i == 0 ? "smtp_bind_address" : "smtp_bind_address6");
                s->used = s->ip[0] && family_used(res, s->family);
                if (s->ip[0] && addr_parse(s->ip, &a, err, sizeof(err)) == 0) {
                        s->special = addr_special_range(&a);
                        s->nat = s->special &&
                                 (strstr(s->special, "private") || strstr(s->special, "CGNAT") ||
                                  strstr(s->special, "unique local"));
                }
        }
}

/* ---------------------------------------------------------------- evaluation */

static bool source_passes(const struct sender_source *s)
{
        return s->check && (s->check->verdict == VERDICT_PASS || s->check->verdict == VERDICT_WARN);
}

/* The PTR names of a checked source (presentation format, final dot). */
static bool helo_is_ptr(const struct sender_source *s, const char *helo)
{
        if (!s->check)
                return false;
        for (size_t i = 0; i < s->check->nforward; i++)
                if (hostname_in_domain(s->check->forward[i].name, helo) &&
                    hostname_in_domain(helo, s->check->forward[i].name))
                        return true;
        return false;
}

static void evaluate(struct sender_result *res)
{
        struct findings *f = &res->findings;
        struct sender_source *v4 = &res->src[0], *v6 = &res->src[1];
        char fix[900];
        for (int i = 0; i < 2; i++) {
                struct sender_source *s = &res->src[i];
                if (!s->used || !s->nat)
                        continue;
                snprintf(fix, sizeof(fix),
                         "The receiver sees the public address of the NAT (router or firewall) in "
                         "front of this machine, not %s: find it in a receiver's log or the "
                         "Received header of a mail you sent, or ask your provider, and check "
                         "that address (ptrwiz check IP); its PTR is set by whoever owns it",
                         s->ip);
                findings_add(f, FINDING_SENDER_BEHIND_NAT, fix,
                             "this machine sends from %s, a %s address: a NAT is in front of it",
                             s->ip, s->special);
        }
        bool v6_fails = v6->used && v6->check && !source_passes(v6);
        if (v6_fails && source_passes(v4)) {
                snprintf(fix, sizeof(fix),
                         "Ask whoever runs the reverse zone of %s (the provider of this IPv6 "
                         "network) for a PTR to this machine's name with a matching AAAA "
                         "record; until then make the MTA send over IPv4 only (Postfix: "
                         "inet_protocols = ipv4, or smtp_address_preference = ipv4; Exim: "
                         "disable_ipv6 = true)",
                         v6->ip);
                findings_add(f, FINDING_SENDER_IPV6_NO_PTR, fix,
                             "this machine would send over IPv6 from %s, whose reverse DNS fails "
                             "(%s), while IPv4 from %s passes",
                             v6->ip, verdict_name(v6->check->verdict), v4->ip);
        }
        for (int i = 0; i < 2; i++) {
                struct sender_source *s = &res->src[i];
                if (!s->used || !s->check || source_passes(s) ||
                    (i == 1 && v6_fails && source_passes(v4)))
                        continue;
                findings_add(f, FINDING_SENDER_SOURCE_FAILS,
                             "See ptrwiz check for this address: its findings say what to fix "
                             "and who must fix it",
                             "this machine sends from %s, whose reverse DNS fails", s->ip);
        }
        if (res->helo) {
                struct hostname_verdict hv;
                char dotted[300];
                size_t n = strlen(res->helo);
                snprintf(dotted, sizeof(dotted), "%s%s", res->helo,
                         n && res->helo[n - 1] == '.' ? "" : ".");
                hostname_check(dotted, &hv);
                bool fqdn = hv.valid && strchr(res->helo, '.') &&
                            strchr(res->helo, '.') != res->helo + n - 1;
                const struct sender_source *named = source_passes(v4) ? v4 : v6;
                const char *ptrname =
                    named->check && named->check->nforward ? named->check->forward[0].name : NULL;
                snprintf(fix, sizeof(fix),
                         "Greet with this machine's fully qualified name, the one its PTR points "
                         "at%s%s (Postfix: smtp_helo_name or myhostname in main.cf; Exim: "
                         "primary_hostname or helo_data)",
                         ptrname ? ": " : "", ptrname ? ptrname : "");
                if (!fqdn) {
                        findings_add(f, FINDING_SENDER_HELO_NOT_FQDN, fix,
                                     "the HELO name %s (%s) is not a fully qualified host name%s%s",
                                     res->helo, res->helo_from, hv.valid ? "" : ": ",
                                     hv.valid ? "" : hv.reason);
                } else {
                        bool resolves = (res->helo_a && res->helo_a->status == RES_OK) ||
                                        (res->helo_aaaa && res->helo_aaaa->status == RES_OK);
                        if (!resolves)
                                findings_add(f, FINDING_SENDER_HELO_NO_ADDRESS, fix,
                                             "the HELO name %s (%s) has no A or AAAA record",
                                             res->helo, res->helo_from);
                        else if (ptrname && !helo_is_ptr(named, res->helo))
                                findings_add(f, FINDING_SENDER_HELO_PTR_MISMATCH, fix,
                                             "the HELO name %s is not the PTR name %s of %s",
                                             res->helo, ptrname, named->ip);
                }
        }
        res->verdict = verdict_from_findings(f);
        for (int i = 0; i < 2; i++)
                if (res->src[i].used && res->src[i].check &&
                    res->src[i].check->verdict > res->verdict)
                        res->verdict = res->src[i].check->verdict;
}

/* ---------------------------------------------------------------- lifecycle */

static void deliver(void *arg)
{
        struct sender *sn = arg;
        sn->timer = 0;
        evaluate(sn->res);
        struct sender_result *res = sn->res;
        sender_done_cb cb = sn->cb;
        void *cbarg = sn->arg;
        free(sn);
        cb(cbarg, res);
}

static void one_done(struct sender *sn)
{
        if (--sn->pending == 0)
                sn->timer = loop_timer_add(resolver_loop(sn->r), 0, deliver, sn);
}

static void check_done(void *arg, struct check_result *cr)
{
        struct sender *sn = arg;
        int i = cr->ip.family == AF_INET ? 0 : 1;
        sn->checks[i] = NULL;
        sn->res->src[i].check = cr;
        one_done(sn);
}

static void helo_answer(void *arg, struct resolver_answer *ans)
{
        struct sender *sn = arg;
        if (ans->qtype == LDNS_RR_TYPE_A) {
                sn->qa = 0;
                sn->res->helo_a = ans;
        } else {
                sn->qaaaa = 0;
                sn->res->helo_aaaa = ans;
        }
        one_done(sn);
}

static void pick_helo(struct sender_result *res, const char *override)
{
        if (override) {
                res->helo = dup_escaped(override);
                res->helo_from = "--helo";
        } else if (res->postfix && res->helo_name && res->helo_name[0]) {
                res->helo = strdup(res->helo_name);
                res->helo_from = "smtp_helo_name (Postfix)";
        } else if (res->exim && (res->exim_helo || res->exim_hostname)) {
                res->helo = strdup(res->exim_helo ? res->exim_helo : res->exim_hostname);
                res->helo_from = res->exim_helo ? "helo_data (Exim)" : "primary_hostname (Exim)";
        } else if (res->hostname) {
                res->helo = strdup(res->hostname_f ? res->hostname_f : res->hostname);
                res->helo_from = res->hostname_f ? "hostname -f" : "hostname";
        }
}

struct sender *sender_start(struct resolver *r, const struct sender_opts *o, sender_done_cb cb,
                            void *arg, char *err, size_t errlen)
{
        struct sender *sn = calloc(1, sizeof(*sn));
        if (sn)
                sn->res = calloc(1, sizeof(*sn->res));
        if (!sn || !sn->res) {
                free(sn);
                snprintf(err, errlen, "out of memory");
                return NULL;
        }
        sn->r = r;
        sn->o = *o;
        sn->cb = cb;
        sn->arg = arg;
        struct sender_result *res = sn->res;
        read_postfix(res, o->postfix_config);
        read_exim(res);
        char host[256] = "";
        if (gethostname(host, sizeof(host) - 1) == 0 && host[0]) {
                res->hostname = dup_escaped(host);
                if (!strchr(host, '.'))
                        res->hostname_f = hosts_fqdn(host);
        }
        pick_helo(res, o->helo);
        find_sources(sn);
        sn->pending = 1; /* released below, so nothing ends before all started */
        for (int i = 0; i < 2; i++) {
                struct sender_source *s = &res->src[i];
                struct addr a;
                char e[128];
                if (!s->used || s->nat || addr_parse(s->ip, &a, e, sizeof(e)) < 0)
                        continue;
                sn->pending++;
                sn->checks[i] = check_start(r, &a, &o->check, NULL, check_done, sn);
                if (!sn->checks[i])
                        sn->pending--;
        }
        if (res->helo && strchr(res->helo, '.')) {
                char e[256];
                sn->pending += 2;
                sn->qa =
                    resolver_query(r, res->helo, LDNS_RR_TYPE_A, helo_answer, sn, e, sizeof(e));
                if (sn->qa < 0) {
                        sn->qa = 0;
                        sn->pending--;
                }
                sn->qaaaa =
                    resolver_query(r, res->helo, LDNS_RR_TYPE_AAAA, helo_answer, sn, e, sizeof(e));
                if (sn->qaaaa < 0) {
                        sn->qaaaa = 0;
                        sn->pending--;
                }
        }
        one_done(sn);
        return sn;
}

void sender_cancel(struct sender *sn)
{
        if (!sn)
                return;
        for (int i = 0; i < 2; i++)
                if (sn->checks[i])
                        check_cancel(sn->checks[i]);
        if (sn->qa)
                resolver_cancel(sn->r, sn->qa);
        if (sn->qaaaa)
                resolver_cancel(sn->r, sn->qaaaa);
        if (sn->timer > 0)
                loop_timer_cancel(resolver_loop(sn->r), sn->timer);
        sender_result_free(sn->res);
        free(sn);
}

void sender_result_free(struct sender_result *res)
{
        if (!res)
                return;
        for (int i = 0; i < 2; i++) {
                free(res->src[i].error);
                check_result_free(res->src[i].check);
        }
        char *strs[] = {res->postfix_dir, res->inet_protocols, res->address_preference,
                        res->myhostname,  res->helo_name,      res->bind4,
                        res->bind6,       res->exim_hostname,  res->exim_helo,
                        res->hostname,    res->hostname_f,     res->helo,
                        res->notes};
        for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
                free(strs[i]);
        resolver_answer_free(res->helo_a);
        resolver_answer_free(res->helo_aaaa);
        findings_clear(&res->findings);
        free(res);
}

/* ---------------------------------------------------------------- JSON */

static json_t *jstr(const char *s)
{
        return s ? json_string(s) : json_null();
}

char *sender_result_json(const struct sender_result *res)
{
        json_t *o = json_object(), *srcs = json_array();
        if (!o || !srcs) {
                json_decref(o);
                json_decref(srcs);
                return NULL;
        }
        for (int i = 0; i < 2; i++) {
                const struct sender_source *s = &res->src[i];
                json_t *so = json_object();
                json_object_set_new(so, "family", json_string(i == 0 ? "ipv4" : "ipv6"));
                json_object_set_new(so, "toward", json_string(s->toward));
                json_object_set_new(so, "ip", s->ip[0] ? json_string(s->ip) : json_null());
                json_object_set_new(so, "how", jstr(s->how));
                json_object_set_new(so, "error", jstr(s->error));
                json_object_set_new(so, "used", json_boolean(s->used));
                json_object_set_new(so, "special", jstr(s->special));
                json_object_set_new(so, "nat", json_boolean(s->nat));
                json_object_set_new(so, "verdict",
                                    s->check ? json_string(verdict_name(s->check->verdict))
                                             : json_null());
                json_t *ptr = json_array();
                for (size_t k = 0; s->check && k < s->check->nforward; k++)
                        json_array_append_new(ptr, json_string(s->check->forward[k].name));
                json_object_set_new(so, "ptr", ptr);
                json_object_set_new(so, "findings",
                                    s->check ? report_findings_json(&s->check->findings)
                                             : json_array());
                json_array_append_new(srcs, so);
        }
        json_object_set_new(o, "sources", srcs);
        json_t *pf = json_null();
        if (res->postfix)
                pf = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "config_directory",
                               jstr(res->postfix_dir), "inet_protocols", jstr(res->inet_protocols),
                               "smtp_address_preference", jstr(res->address_preference),
                               "myhostname", jstr(res->myhostname), "smtp_helo_name",
                               jstr(res->helo_name), "smtp_bind_address", jstr(res->bind4),
                               "smtp_bind_address6", jstr(res->bind6));
        json_object_set_new(o, "postfix", pf);
        json_object_set_new(o, "exim",
                            res->exim ? json_pack("{s:o,s:o}", "primary_hostname",
                                                  jstr(res->exim_hostname), "helo_data",
                                                  jstr(res->exim_helo))
                                      : json_null());
        json_object_set_new(o, "hostname", jstr(res->hostname));
        json_object_set_new(o, "hostname_f", jstr(res->hostname_f));
        json_object_set_new(o, "helo", jstr(res->helo));
        json_object_set_new(o, "helo_from", jstr(res->helo_from));
        json_t *ha = json_array();
        const struct resolver_answer *as[2] = {res->helo_a, res->helo_aaaa};
        for (int k = 0; k < 2; k++)
                for (size_t j = 0; as[k] && as[k]->status == RES_OK && j < as[k]->ndata; j++)
                        json_array_append_new(ha, json_string(as[k]->data[j]));
        json_object_set_new(o, "helo_addresses", ha);
        json_object_set_new(o, "notes", jstr(res->notes));
        json_object_set_new(o, "findings", report_findings_json(&res->findings));
        json_object_set_new(o, "verdict", json_string(verdict_name(res->verdict)));
        char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        return s;
}
