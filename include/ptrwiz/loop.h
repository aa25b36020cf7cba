/* loop: the one poll loop. Keyboard, libunbound's sockets (ubevent.c), the
 * trace's and SMTP's are all watched here, with millisecond timers beside
 * them. */
#ifndef PTRWIZ_LOOP_H
#define PTRWIZ_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct loop;

/* revents are poll() bits (POLLIN, POLLOUT, POLLERR, POLLHUP). */
typedef void (*loop_io_cb)(int fd, short revents, void *arg);
typedef void (*loop_timer_cb)(void *arg);

struct loop *loop_new(void);
void loop_free(struct loop *lp);

/* One watcher per fd; watching an fd again replaces its events and callback. */
int loop_watch(struct loop *lp, int fd, short events, loop_io_cb cb, void *arg);
void loop_unwatch(struct loop *lp, int fd);

/* Returns a timer id > 0, or -1 when out of memory. */
long loop_timer_add(struct loop *lp, int64_t delay_ms, loop_timer_cb cb, void *arg);
void loop_timer_cancel(struct loop *lp, long id);

/* Waits at most max_wait_ms (-1: until something happens) and dispatches.
 * Returns the number of callbacks run, or -1 on a poll error other than EINTR. */
int loop_run_once(struct loop *lp, int max_wait_ms);

/* Milliseconds on a monotonic clock. */
int64_t loop_now_ms(void);

/* Descriptors: a run that opens more sockets than the process may have gets
 * EMFILE, which says nothing about any server. */
/* How many this process may still open: the soft RLIMIT_NOFILE (first
 * raised toward the hard limit, up to LOOP_FDS_WANTED) less those open now. */
#define LOOP_FDS_WANTED 8192
int loop_fds_free(void);
/* How many tasks to run at once when each may hold per_task descriptors:
 * wanted, or fewer so that all fit in loop_fds_free() beside a reserve for
 * the rest of the program; at least 1. */
int loop_fd_concurrency(int wanted, int per_task);

#endif
