/* pollwait.h - how poll, select and epoll_wait (posix/fd/poll.c, posix/fd/epoll.c) learn that
 * a descriptor may have become ready: every object whose readiness changes (a pipe, a
 * socket) calls posix_poll_notify(), which wakes every thread waiting in one of them;
 * they scan their descriptors again (vfile_ops.poll). One cooperative CPU: nothing can
 * change between a waiter's scan and its sleep, so no wake-up is lost. */
#ifndef POSIX_POLLWAIT_H
#define POSIX_POLLWAIT_H

#include "kernel/sched.h"
#include "posix/fd/fdtable.h"

extern struct wait_queue posix_poll_wq;

static inline void posix_poll_notify(void)
{
	if (posix_poll_wq.head)
		wait_queue_wake_all(&posix_poll_wq);
}

/* posix_vfile_poll - @f's readiness (<poll.h> bits): its poll op, or POLLIN | POLLOUT. */
unsigned posix_vfile_poll(struct vfile *f);

#endif
