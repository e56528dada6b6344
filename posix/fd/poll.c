/* poll.c - poll and select over every kind of descriptor: each scan asks the objects
 * for their readiness (vfile_ops.poll); when none is ready the caller sleeps on the one
 * wait queue that pipes and sockets wake when their state changes (posix/fd/pollwait.h),
 * until the timeout. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>

#include "kernel/clock.h"
#include "posix/fd/pollwait.h"
#include "posix/fs/files.h"
#include "posix/posix.h"
#include "posix/thread/pthread_internal.h"

struct wait_queue posix_poll_wq = WAIT_QUEUE_INIT;

unsigned posix_vfile_poll(struct vfile *f)
{
	return f->ops->poll ? f->ops->poll(f) : POLLIN | POLLOUT;
}

/* A deadline @ms milliseconds from now (CLOCK_MONOTONIC). */
static void deadline_ms(struct posix_deadline *d, uint64_t ms)
{
	d->clock = CLOCK_MONOTONIC;
	d->ns = clock_monotonic_ns() + ms * 1000000ull;
}

/* One pass over @fds: fill revents, return how many have some. */
static int poll_scan(struct pollfd *fds, nfds_t nfds)
{
	int ready = 0;

	for (nfds_t i = 0; i < nfds; i++) {
		struct vfile *f;
		unsigned r = 0;
		if (fds[i].fd >= 0) {
			if (fd_get(&posix_fds, fds[i].fd, &f) != 0) {
				r = POLLNVAL;
			} else {
				unsigned want = (unsigned short)fds[i].events | POLLERR | POLLHUP;
				unsigned have = posix_vfile_poll(f);
				if (have & POLLIN)
					have |= POLLRDNORM;
				if (have & POLLOUT)
					have |= POLLWRNORM;
				r = have & want;
				vfile_unref(f);
			}
		}
		fds[i].revents = (short)r;
		if (r)
			ready++;
	}
	return ready;
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	struct posix_deadline d;

	if (nfds > (nfds_t)posix_fds.capacity)
		return (int)posix_result(-EINVAL);
	if (nfds && !fds)
		return (int)posix_result(-EFAULT);
	if (timeout > 0)
		deadline_ms(&d, (uint64_t)timeout);
	for (;;) {
		int ready = poll_scan(fds, nfds);
		if (ready || timeout == 0)
			return ready;
		int err = posix_cancel_wait(&posix_poll_wq, timeout > 0 ? &d : NULL);
		if (err == -ECANCELED)
			posix_cancel_act();
		if (err == -ETIMEDOUT)
			return poll_scan(fds, nfds);
	}
}

/* ---- select ---- */

static int select_scan(int nfds, fd_set *in, fd_set *out, fd_set *ex, fd_set *rin, fd_set *rout,
                       fd_set *rex, bool *bad)
{
	int ready = 0;

	for (int fd = 0; fd < nfds; fd++) {
		bool r = in && FD_ISSET(fd, in), w = out && FD_ISSET(fd, out);
		bool e = ex && FD_ISSET(fd, ex);
		struct vfile *f;
		if (!r && !w && !e)
			continue;
		if (fd_get(&posix_fds, fd, &f) != 0) {
			*bad = true;
			return 0;
		}
		unsigned have = posix_vfile_poll(f);
		vfile_unref(f);
		/* As Linux: an error or hang-up makes a descriptor readable and writable. */
		if (r && (have & (POLLIN | POLLHUP | POLLERR))) {
			FD_SET(fd, rin);
			ready++;
		}
		if (w && (have & (POLLOUT | POLLERR))) {
			FD_SET(fd, rout);
			ready++;
		}
		if (e && (have & POLLPRI)) {
			FD_SET(fd, rex);
			ready++;
		}
	}
	return ready;
}

static int do_select(int nfds, fd_set *in, fd_set *out, fd_set *ex, const struct posix_deadline *d,
                     bool no_wait)
{
	fd_set rin, rout, rex;
	bool bad = false;

	if (nfds < 0 || nfds > FD_SETSIZE)
		return (int)posix_result(-EINVAL);
	for (;;) {
		FD_ZERO(&rin);
		FD_ZERO(&rout);
		FD_ZERO(&rex);
		int ready = select_scan(nfds, in, out, ex, &rin, &rout, &rex, &bad);
		if (bad)
			return (int)posix_result(-EBADF);
		bool timed_out = false;
		if (!ready && !no_wait) {
			int err = posix_cancel_wait(&posix_poll_wq, d);
			if (err == -ECANCELED)
				posix_cancel_act();
			timed_out = err == -ETIMEDOUT;
		}
		if (ready || no_wait || timed_out) {
			size_t bytes = (size_t)(nfds + NFDBITS - 1) / NFDBITS * sizeof(fd_mask);
			if (in)
				memcpy(in, &rin, bytes);
			if (out)
				memcpy(out, &rout, bytes);
			if (ex)
				memcpy(ex, &rex, bytes);
			return ready;
		}
	}
}

int select(int nfds, fd_set *in, fd_set *out, fd_set *ex, struct timeval *timeout)
{
	struct posix_deadline d;

	if (timeout) {
		if (timeout->tv_sec < 0 || timeout->tv_usec < 0 || timeout->tv_usec >= 1000000)
			return (int)posix_result(-EINVAL);
		d.clock = CLOCK_MONOTONIC;
		d.ns = clock_monotonic_ns() + (uint64_t)timeout->tv_sec * 1000000000ull +
		       (uint64_t)timeout->tv_usec * 1000ull;
	}
	bool no_wait = timeout && timeout->tv_sec == 0 && timeout->tv_usec == 0;
	int r = do_select(nfds, in, out, ex, timeout ? &d : NULL, no_wait);
	if (r >= 0 && timeout) {
		/* Linux leaves the time not slept in *timeout. */
		uint64_t now = clock_monotonic_ns();
		uint64_t left = now >= d.ns ? 0 : d.ns - now;
		timeout->tv_sec = (time_t)(left / 1000000000ull);
		timeout->tv_usec = (suseconds_t)(left % 1000000000ull / 1000);
	}
	return r;
}

int pselect(int nfds, fd_set *in, fd_set *out, fd_set *ex, const struct timespec *timeout,
            const sigset_t *mask)
{
	struct posix_deadline d;

	(void)mask; /* signals are not delivered asynchronously */
	if (timeout) {
		if (timeout->tv_sec < 0 || timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000)
			return (int)posix_result(-EINVAL);
		d.clock = CLOCK_MONOTONIC;
		d.ns = clock_monotonic_ns() + (uint64_t)timeout->tv_sec * 1000000000ull +
		       (uint64_t)timeout->tv_nsec;
	}
	bool no_wait = timeout && timeout->tv_sec == 0 && timeout->tv_nsec == 0;
	return do_select(nfds, in, out, ex, timeout ? &d : NULL, no_wait);
}
