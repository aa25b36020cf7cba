/* ubevent: libunbound's pluggable event API (unbound-event.h) on the one
 * loop. libunbound's sockets and timers are watched by loop.c itself, so
 * lookups run in this thread: no worker thread, and no pipe with a message
 * (and its fcntl calls) for every question and every answer. Internal to
 * the resolver module. */
#ifndef PTRWIZ_UBEVENT_H
#define PTRWIZ_UBEVENT_H

struct loop;
struct ub_event_base;

/* An event base for ub_ctx_create_ub_event(); it must outlive the context
 * (ub_ctx_delete frees its events through it). NULL when out of memory. */
struct ub_event_base *ubevent_base_new(struct loop *lp);
void ubevent_base_free(struct ub_event_base *base);

#endif
