/* loop: one poll() over every watched fd, with timers. Small on purpose: a
 * trace has at most a few hundred sockets, so linear scans are fine. */
#include "ptrwiz/loop.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* Descriptors kept free for what is not a task: the terminal, files the
 * run writes, libunbound's own pipes. */
#define FDS_RESERVE 24

struct watch {
        int fd;
        short events;
        loop_io_cb cb;
        void *arg;
};

struct timer {
        long id;
        int64_t due;
        loop_timer_cb cb;
        void *arg;
};

struct loop {
        struct watch *w;
        size_t nw, capw;
        struct timer *t;
        size_t nt, capt;
        long next_id;
        struct pollfd *pfd; /* scratch, capw entries */
};

int64_t loop_now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct loop *loop_new(void)
{
        struct loop *lp = calloc(1, sizeof(*lp));
        if (lp)
                lp->next_id = 1;
        return lp;
}

void loop_free(struct loop *lp)
{
        if (!lp)
                return;
        free(lp->w);
        free(lp->t);
        free(lp->pfd);
        free(lp);
}

static struct watch *watch_find(struct loop *lp, int fd)
{
        for (size_t i = 0; i < lp->nw; i++)
                if (lp->w[i].fd == fd)
                        return &lp->w[i];
        return NULL;
}

int loop_watch(struct loop *lp, int fd, short events, loop_io_cb cb, void *arg)
{
        struct watch *w = watch_find(lp, fd);
        if (!w) {
                if (lp->nw == lp->capw) {
                        size_t cap = lp->capw ? lp->capw * 2 : 16;
                        struct watch *nw = realloc(lp->w, cap * sizeof(*nw));
                        if (!nw)
                                return -1;
                        lp->w = nw;
                        struct pollfd *np = realloc(lp->pfd, cap * sizeof(*np));
                        if (!np)
                                return -1;
                        lp->pfd = np;
                        lp->capw = cap;
                }
                w = &lp->w[lp->nw++];
        }
        w->fd = fd;
        w->events = events;
        w->cb = cb;
        w->arg = arg;
        return 0;
}

void loop_unwatch(struct loop *lp, int fd)
{
        struct watch *w = watch_find(lp, fd);
        if (!w)
                return;
        /* Mark instead of compacting: a callback may unwatch during dispatch. */
        w->fd = -1;
        w->cb = NULL;
}

static void watch_compact(struct loop *lp)
{
        size_t j = 0;
        for (size_t i = 0; i < lp->nw; i++)
                if (lp->w[i].fd >= 0)
                        lp->w[j++] = lp->w[i];
        lp->nw = j;
}

long loop_timer_add(struct loop *lp, int64_t delay_ms, loop_timer_cb cb, void *arg)
{
        if (lp->nt == lp->capt) {
                size_t cap = lp->capt ? lp->capt * 2 : 16;
                struct timer *nt = realloc(lp->t, cap * sizeof(*nt));
                if (!nt)
                        return -1;
                lp->t = nt;
                lp->capt = cap;
        }
        struct timer *t = &lp->t[lp->nt++];
        t->id = lp->next_id++;
        t->due = loop_now_ms() + (delay_ms > 0 ? delay_ms : 0);
        t->cb = cb;
        t->arg = arg;
        return t->id;
}

void loop_timer_cancel(struct loop *lp, long id)
{
        for (size_t i = 0; i < lp->nt; i++) {
                if (lp->t[i].id == id) {
                        lp->t[i] = lp->t[--lp->nt];
                        return;
                }
        }
}

static int timers_wait(const struct loop *lp, int max_wait_ms)
{
        if (lp->nt == 0)
                return max_wait_ms;
        int64_t now = loop_now_ms();
        int64_t first = lp->t[0].due;
        for (size_t i = 1; i < lp->nt; i++)
                if (lp->t[i].due < first)
                        first = lp->t[i].due;
        int64_t wait = first - now;
        if (wait < 0)
                wait = 0;
        if (max_wait_ms >= 0 && wait > max_wait_ms)
                wait = max_wait_ms;
        return (int)wait;
}

/* Runs every timer that is due; a callback may add or cancel timers. */
static int timers_run(struct loop *lp)
{
        int ran = 0;
        int64_t now = loop_now_ms();
        for (;;) {
                size_t i;
                for (i = 0; i < lp->nt; i++)
                        if (lp->t[i].due <= now)
                                break;
                if (i == lp->nt)
                        break;
                struct timer t = lp->t[i];
                lp->t[i] = lp->t[--lp->nt];
                t.cb(t.arg);
                ran++;
        }
        return ran;
}

int loop_run_once(struct loop *lp, int max_wait_ms)
{
        watch_compact(lp);
        size_t n = lp->nw;
        for (size_t i = 0; i < n; i++) {
                lp->pfd[i].fd = lp->w[i].fd;
                lp->pfd[i].events = lp->w[i].events;
                lp->pfd[i].revents = 0;
        }
        int wait = timers_wait(lp, max_wait_ms);
        int rc = poll(lp->pfd, n, wait);
        if (rc < 0 && errno != EINTR)
                return -1;
        int ran = 0;
        for (size_t i = 0; rc > 0 && i < n; i++) {
                if (!lp->pfd[i].revents)
                        continue;
                /* The watch may have been removed or replaced by an earlier callback. */
                struct watch *w = watch_find(lp, lp->pfd[i].fd);
                if (!w || !w->cb)
                        continue;
                w->cb(w->fd, lp->pfd[i].revents, w->arg);
                ran++;
        }
        return ran + timers_run(lp);
}

/* Open descriptors, from /proc/self/fd; a guess without /proc. */
static int fds_open(void)
{
        DIR *d = opendir("/proc/self/fd");
        if (!d)
                return FDS_RESERVE;
        int n = -1; /* the directory's own descriptor */
        struct dirent *e;
        while ((e = readdir(d)))
                if (e->d_name[0] != '.')
                        n++;
        closedir(d);
        return n;
}

int loop_fds_free(void)
{
        struct rlimit rl;
        if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                return 1024 - fds_open();
        rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > LOOP_FDS_WANTED
                          ? LOOP_FDS_WANTED
                          : rl.rlim_max;
        if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
                struct rlimit raised = {want, rl.rlim_max};
                if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
                        rl.rlim_cur = want;
        }
        long limit = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > LOOP_FDS_WANTED
                         ? LOOP_FDS_WANTED
                         : (long)rl.rlim_cur;
        long left = limit - fds_open();
        return left > 0 ? (int)left : 0;
}

int loop_fd_concurrency(int wanted, int per_task)
{
        int room = (loop_fds_free() - FDS_RESERVE) / (per_task > 0 ? per_task : 1);
        if (room < 1)
                room = 1;
        return wanted < room ? wanted : room;
}
