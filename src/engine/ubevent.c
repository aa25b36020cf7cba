/* ubevent: libunbound's events on loop.c. An event is libevent-like: made
 * inactive, armed by add() with its fd bits and an optional timeout, fired
 * once unless it persists; libunbound may free it from its own callback. */
#include "ubevent.h"

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unbound-event.h>

#include "ptrwiz/loop.h"

struct ubev;

struct ubev_base {
        struct ub_event_base super; /* first: libunbound holds this pointer */
        struct loop *lp;
        struct ubev **owner; /* fd -> the event that watches it now */
        size_t nowner;
};

struct ubev {
        struct ub_event super; /* first, as above */
        struct ubev_base *b;
        int fd;
        short bits;
        void (*cb)(int, short, void *);
        void *arg;
        long timer;
        int64_t timeout_ms; /* of the last add(), for a persistent event; -1 none */
};

static struct ubev *ev_of(struct ub_event *e)
{
        return (struct ubev *)e;
}

static int64_t tv_ms(const struct timeval *tv)
{
        return (int64_t)tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000;
}

static bool watching(const struct ubev *ev)
{
        return ev->fd >= 0 && (size_t)ev->fd < ev->b->nowner && ev->b->owner[ev->fd] == ev;
}

static void deactivate(struct ubev *ev)
{
        if (ev->timer > 0)
                loop_timer_cancel(ev->b->lp, ev->timer);
        ev->timer = 0;
        /* The fd may have been closed and reused by a newer event: only
         * its own watch is removed. */
        if (watching(ev)) {
                loop_unwatch(ev->b->lp, ev->fd);
                ev->b->owner[ev->fd] = NULL;
        }
}

static void timeout_cb(void *arg);

static int arm_timer(struct ubev *ev, int64_t ms)
{
        ev->timer = loop_timer_add(ev->b->lp, ms, timeout_cb, ev);
        if (ev->timer < 0) {
                ev->timer = 0;
                return -1;
        }
        return 0;
}

static void timeout_cb(void *arg)
{
        struct ubev *ev = arg;
        ev->timer = 0;
        if (!(ev->bits & UB_EV_PERSIST))
                deactivate(ev);
        else if (ev->timeout_ms >= 0)
                arm_timer(ev, ev->timeout_ms);
        ev->cb(ev->fd, UB_EV_TIMEOUT, ev->arg); /* may free ev */
}

static void io_cb(int fd, short revents, void *arg)
{
        struct ubev *ev = arg;
        short fired = 0;
        if ((ev->bits & UB_EV_READ) && (revents & (POLLIN | POLLHUP | POLLERR)))
                fired |= UB_EV_READ;
        if ((ev->bits & UB_EV_WRITE) && (revents & (POLLOUT | POLLHUP | POLLERR)))
                fired |= UB_EV_WRITE;
        if (!fired)
                return;
        if (!(ev->bits & UB_EV_PERSIST)) {
                deactivate(ev);
        } else if (ev->timer > 0) { /* activity restarts a persistent timeout */
                loop_timer_cancel(ev->b->lp, ev->timer);
                arm_timer(ev, ev->timeout_ms);
        }
        ev->cb(fd, fired, ev->arg); /* may free ev */
}

static int own_fd(struct ubev *ev)
{
        struct ubev_base *b = ev->b;
        if ((size_t)ev->fd >= b->nowner) {
                size_t n = (size_t)ev->fd + 64;
                struct ubev **no = realloc(b->owner, n * sizeof(*no));
                if (!no)
                        return -1;
                for (size_t i = b->nowner; i < n; i++)
                        no[i] = NULL;
                b->owner = no;
                b->nowner = n;
        }
        b->owner[ev->fd] = ev;
        return 0;
}

/* ------------------------------------------------------------ the event vmt */

static void ev_add_bits(struct ub_event *e, short bits)
{
        ev_of(e)->bits |= bits;
}

static void ev_del_bits(struct ub_event *e, short bits)
{
        ev_of(e)->bits &= (short)~bits;
}

static void ev_set_fd(struct ub_event *e, int fd)
{
        ev_of(e)->fd = fd;
}

static void ev_free(struct ub_event *e)
{
        if (!e)
                return;
        deactivate(ev_of(e));
        free(e);
}

static int ev_add(struct ub_event *e, struct timeval *tv)
{
        struct ubev *ev = ev_of(e);
        deactivate(ev);
        short events = (short)(((ev->bits & UB_EV_READ) ? POLLIN : 0) |
                               ((ev->bits & UB_EV_WRITE) ? POLLOUT : 0));
        if (events && ev->fd >= 0) {
                if (own_fd(ev) < 0 || loop_watch(ev->b->lp, ev->fd, events, io_cb, ev) < 0) {
                        if ((size_t)ev->fd < ev->b->nowner)
                                ev->b->owner[ev->fd] = NULL;
                        return -1;
                }
        }
        ev->timeout_ms = tv ? tv_ms(tv) : -1;
        if (tv && arm_timer(ev, ev->timeout_ms) < 0) {
                deactivate(ev);
                return -1;
        }
        return 0;
}

static int ev_del(struct ub_event *e)
{
        deactivate(ev_of(e));
        return 0;
}

static int ev_add_timer(struct ub_event *e, struct ub_event_base *base,
                        void (*cb)(int, short, void *), void *arg, struct timeval *tv)
{
        (void)base;
        struct ubev *ev = ev_of(e);
        deactivate(ev);
        ev->cb = cb;
        ev->arg = arg;
        ev->bits = UB_EV_TIMEOUT;
        ev->timeout_ms = tv ? tv_ms(tv) : 0;
        return arm_timer(ev, ev->timeout_ms);
}

static int ev_del_timer(struct ub_event *e)
{
        deactivate(ev_of(e));
        return 0;
}

static int ev_signal_unused(struct ub_event *e, struct timeval *tv)
{
        (void)e;
        (void)tv;
        return -1;
}

static int ev_del_signal_unused(struct ub_event *e)
{
        (void)e;
        return -1;
}

static void ev_wsa_unused(struct ub_event *e)
{
        (void)e;
}

static void ev_wouldblock_unused(struct ub_event *e, int bits)
{
        (void)e;
        (void)bits;
}

static struct ub_event_vmt event_vmt = {
    .add_bits = ev_add_bits,
    .del_bits = ev_del_bits,
    .set_fd = ev_set_fd,
    .free = ev_free,
    .add = ev_add,
    .del = ev_del,
    .add_timer = ev_add_timer,
    .del_timer = ev_del_timer,
    .add_signal = ev_signal_unused,
    .del_signal = ev_del_signal_unused,
    .winsock_unregister_wsaevent = ev_wsa_unused,
    .winsock_tcp_wouldblock = ev_wouldblock_unused,
};

/* ------------------------------------------------------------- the base vmt */

static struct ub_event *base_new_event(struct ub_event_base *base, int fd, short bits,
                                       void (*cb)(int, short, void *), void *arg)
{
        struct ubev *ev = calloc(1, sizeof(*ev));
        if (!ev)
                return NULL;
        ev->super.magic = UB_EVENT_MAGIC;
        ev->super.vmt = &event_vmt;
        ev->b = (struct ubev_base *)base;
        ev->fd = fd;
        ev->bits = bits;
        ev->cb = cb;
        ev->arg = arg;
        ev->timeout_ms = -1;
        return &ev->super;
}

/* libunbound runs its events in the caller's loop with ub_resolve_event:
 * it never dispatches, asks for signals or frees the base. */
static void base_free_unused(struct ub_event_base *base)
{
        (void)base;
}

static int base_dispatch_unused(struct ub_event_base *base)
{
        (void)base;
        return -1;
}

static int base_loopexit(struct ub_event_base *base, struct timeval *tv)
{
        (void)base;
        (void)tv;
        return 0;
}

static struct ub_event *base_new_signal_unused(struct ub_event_base *base, int fd,
                                               void (*cb)(int, short, void *), void *arg)
{
        (void)base;
        (void)fd;
        (void)cb;
        (void)arg;
        return NULL;
}

static struct ub_event *base_wsa_unused(struct ub_event_base *base, void *wsaevent,
                                        void (*cb)(int, short, void *), void *arg)
{
        (void)base;
        (void)wsaevent;
        (void)cb;
        (void)arg;
        return NULL;
}

static struct ub_event_base_vmt base_vmt = {
    .free = base_free_unused,
    .dispatch = base_dispatch_unused,
    .loopexit = base_loopexit,
    .new_event = base_new_event,
    .new_signal = base_new_signal_unused,
    .winsock_register_wsaevent = base_wsa_unused,
};

struct ub_event_base *ubevent_base_new(struct loop *lp)
{
        struct ubev_base *b = calloc(1, sizeof(*b));
        if (!b)
                return NULL;
        b->super.magic = UB_EVENT_MAGIC;
        b->super.vmt = &base_vmt;
        b->lp = lp;
        return &b->super;
}

void ubevent_base_free(struct ub_event_base *base)
{
        struct ubev_base *b = (struct ubev_base *)base;
        if (!b)
                return;
        free(b->owner);
        free(b);
}
