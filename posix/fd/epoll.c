/* epoll.c - epoll over every kind of descriptor. An epoll instance is a descriptor whose
 * object holds the interest list (descriptor, its vfile, events, data). epoll_wait scans
 * the list and asks each object for its readiness (as poll does, posix/fd/poll.c); when
 * nothing is ready it sleeps on the poll wait queue (posix/fd/pollwait.h).
 *
 * Like Linux, an entry does not keep its file open: a scan drops entries whose descriptor
 * was closed or now names another file. EPOLLET reports a readiness bit when it appears
 * (was clear at the previous scan), EPOLLONESHOT disarms the entry after one report. The
 * scan is linear in the number of entries. An epoll descriptor is itself pollable. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <time.h>

#include "kernel/clock.h"
#include "posix/fd/pollwait.h"
#include "posix/fs/files.h"
#include "posix/posix.h"
#include "posix/thread/pthread_internal.h"

struct epoll_entry {
	int fd;
	struct vfile *file; /* identity only: no reference is held */
	uint32_t events;
	epoll_data_t data;
	uint32_t last; /* readiness at the previous scan (EPOLLET) */
	bool disarmed; /* EPOLLONESHOT fired */
};

struct epoll {
	struct epoll_entry *entries;
	int count;
	int capacity;
};

#define ALWAYS_REPORTED (EPOLLERR | EPOLLHUP)

static int epoll_release(struct vfile *f)
{
	struct epoll *ep = f->priv;

	free(ep->entries);
	free(ep);
	return 0;
}

static int epoll_getattr(struct vfile *f, struct stat *st)
{
	(void)f;
	st->st_mode = 0600;
	st->st_nlink = 1;
	return 0;
}

static unsigned epoll_poll(struct vfile *f);

static const struct vfile_ops epoll_ops = {
    .getattr = epoll_getattr,
    .poll = epoll_poll,
    .release = epoll_release,
};

int epoll_create1(int flags)
{
	struct vfile *f;

	if (flags & ~EPOLL_CLOEXEC)
		return (int)posix_result(-EINVAL);
	struct epoll *ep = calloc(1, sizeof(*ep));
	if (!ep)
		return (int)posix_result(-ENOMEM);
	int err = vfile_new(&epoll_ops, ep, O_RDONLY, &f);
	if (err) {
		free(ep);
		return (int)posix_result(err);
	}
	int fd = fd_install(&posix_fds, f, 0, flags & EPOLL_CLOEXEC);
	vfile_unref(f);
	return (int)posix_result(fd);
}

int epoll_create(int size)
{
	if (size <= 0)
		return (int)posix_result(-EINVAL);
	return epoll_create1(0);
}

static struct epoll_entry *find(struct epoll *ep, int fd)
{
	for (int i = 0; i < ep->count; i++)
		if (ep->entries[i].fd == fd)
			return &ep->entries[i];
	return NULL;
}

static void remove_entry(struct epoll *ep, struct epoll_entry *e)
{
	*e = ep->entries[--ep->count];
}

static int ctl(struct epoll *ep, int op, int fd, struct vfile *target, struct epoll_event *event)
{
	struct epoll_entry *e = find(ep, fd);

	if (e && e->file != target) { /* a stale entry for a reused descriptor */
		remove_entry(ep, e);
		e = NULL;
	}
	if (op != EPOLL_CTL_DEL && !event)
		return -EFAULT;
	switch (op) {
	case EPOLL_CTL_ADD:
		if (e)
			return -EEXIST;
		if (ep->count == ep->capacity) {
			int cap = ep->capacity ? ep->capacity * 2 : 16;
			struct epoll_entry *n = realloc(ep->entries, (size_t)cap * sizeof(*n));
			if (!n)
				return -ENOMEM;
			ep->entries = n;
			ep->capacity = cap;
		}
		e = &ep->entries[ep->count++];
		e->fd = fd;
		e->file = target;
		e->last = 0;
		break;
	case EPOLL_CTL_MOD:
		if (!e)
			return -ENOENT;
		break;
	case EPOLL_CTL_DEL:
		if (!e)
			return -ENOENT;
		remove_entry(ep, e);
		return 0;
	default:
		return -EINVAL;
	}
	e->events = event->events;
	e->data = event->data;
	e->disarmed = false;
	e->last = 0;
	posix_poll_notify(); /* a waiter on this instance rescans */
	return 0;
}

int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)
{
	struct vfile *epf, *target;
	int err = fd_get(&posix_fds, epfd, &epf);

	if (err)
		return (int)posix_result(err);
	err = fd_get(&posix_fds, fd, &target);
	if (err) {
		vfile_unref(epf);
		return (int)posix_result(err);
	}
	if (epf->ops != &epoll_ops || epf == target)
		err = -EINVAL;
	else if (target->ops->poll == NULL)
		err = -EPERM; /* regular files and directories, as on Linux */
	else
		err = ctl(epf->priv, op, fd, target, event);
	vfile_unref(target);
	vfile_unref(epf);
	return (int)posix_result(err);
}

/* One pass: store up to @max ready events in @out (NULL: only count). */
static int scan(struct epoll *ep, struct epoll_event *out, int max)
{
	int n = 0;

	for (int i = 0; i < ep->count && n < max;) {
		struct epoll_entry *e = &ep->entries[i];
		struct vfile *f;
		int gone = fd_get(&posix_fds, e->fd, &f);
		if (gone || f != e->file) {
			if (!gone)
				vfile_unref(f);
			remove_entry(ep, e); /* closed: Linux forgets it too */
			continue;
		}
		uint32_t have = posix_vfile_poll(f);
		vfile_unref(f);
		if (have & POLLIN)
			have |= EPOLLRDNORM;
		if (have & POLLOUT)
			have |= EPOLLWRNORM;
		uint32_t ready = have & (e->events | ALWAYS_REPORTED);
		if (e->events & EPOLLET) {
			uint32_t rising = ready & ~e->last;
			e->last = ready;
			ready = rising;
		}
		i++;
		if (!ready || e->disarmed)
			continue;
		if (out) {
			out[n].events = ready;
			out[n].data = e->data;
			if (e->events & EPOLLONESHOT)
				e->disarmed = true;
		}
		n++;
	}
	return n;
}

static unsigned epoll_poll(struct vfile *f)
{
	struct epoll *ep = f->priv;
	int ready = 0;

	for (int i = 0; i < ep->count && !ready; i++) {
		struct epoll_entry *e = &ep->entries[i];
		struct vfile *t;
		if (e->disarmed || fd_get(&posix_fds, e->fd, &t) != 0)
			continue;
		if (t == e->file && t != f)
			ready = (posix_vfile_poll(t) & (e->events | ALWAYS_REPORTED)) != 0;
		vfile_unref(t);
	}
	return ready ? POLLIN : 0;
}

int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)
{
	struct vfile *f;
	struct posix_deadline d;
	int err = fd_get(&posix_fds, epfd, &f);

	if (err)
		return (int)posix_result(err);
	if (f->ops != &epoll_ops || maxevents <= 0) {
		vfile_unref(f);
		return (int)posix_result(-EINVAL);
	}
	if (!events) {
		vfile_unref(f);
		return (int)posix_result(-EFAULT);
	}
	if (timeout > 0) {
		d.clock = CLOCK_MONOTONIC;
		d.ns = clock_monotonic_ns() + (uint64_t)timeout * 1000000ull;
	}
	int n;
	for (;;) {
		n = scan(f->priv, events, maxevents);
		if (n || timeout == 0)
			break;
		int err = posix_cancel_wait(&posix_poll_wq, timeout > 0 ? &d : NULL);
		if (err == -ECANCELED) {
			vfile_unref(f);
			posix_cancel_act();
		}
		if (err == -ETIMEDOUT) {
			n = scan(f->priv, events, maxevents);
			break;
		}
	}
	vfile_unref(f);
	return n;
}

int epoll_pwait(int epfd, struct epoll_event *events, int maxevents, int timeout,
                const sigset_t *sigmask)
{
	(void)sigmask; /* signals are not delivered asynchronously */
	return epoll_wait(epfd, events, maxevents, timeout);
}
