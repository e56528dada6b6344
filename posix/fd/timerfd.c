/* timerfd.c - timers as descriptors (timerfd_create, timerfd_settime, timerfd_gettime),
 * as Linux has them: an 8-byte read returns how many expirations happened since the last
 * read or setting (blocking until there is one, EAGAIN with TFD_NONBLOCK). The count is
 * worked out from the clock when asked (posix/signal/timerq.h); an event on the timer
 * queue only tells poll, select and epoll that the descriptor became readable.
 * TFD_TIMER_CANCEL_ON_SET is accepted and never cancels: nothing sets the wall clock. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/timerfd.h>

#include "kernel/clock.h"
#include "kernel/sched.h"
#include "posix/fd/pollwait.h"
#include "posix/fs/files.h"
#include "posix/posix.h"
#include "posix/signal/timerq.h"

/* The longest single wait of a blocked read (a later expiry is waited for in steps). */
#define MAX_WAIT_NS (1000000000ll * 86400)

struct timerfd {
	struct posix_timer_event event; /* first: the event's address is the timerfd's */
	clockid_t clock;                /* CLOCK_REALTIME or CLOCK_MONOTONIC */
	struct posix_itimer sched;
	uint64_t ticks; /* expirations counted and not read yet */
	struct wait_queue readers;
};

/* Count the expirations passed by now into ticks; queue the event for the next one. */
static void catch_up(struct timerfd *t)
{
	t->ticks += posix_itimer_advance(&t->sched, posix_mono_now());
	if (t->sched.armed)
		posix_timerq_arm(&t->event, t->sched.due_ns);
	else
		posix_timerq_cancel(&t->event);
}

static void timerfd_fire(struct posix_timer_event *ev)
{
	struct timerfd *t = (struct timerfd *)ev;

	wait_queue_wake_all(&t->readers);
	posix_poll_notify();
}

static ssize_t timerfd_op_read(struct vfile *f, void *buf, size_t len)
{
	struct timerfd *t = f->priv;

	if (len < sizeof(uint64_t))
		return -EINVAL;
	for (;;) {
		catch_up(t);
		if (t->ticks)
			break;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		uint64_t deadline = 0;
		if (t->sched.armed) {
			int64_t now = posix_mono_now(), wait = t->sched.due_ns - now;
			if (wait > MAX_WAIT_NS)
				wait = MAX_WAIT_NS;
			deadline = clock_ns_to_tsc((uint64_t)(now + wait) + 1) + 1;
		}
		wait_queue_wait(&t->readers, deadline);
	}
	memcpy(buf, &t->ticks, sizeof(t->ticks));
	t->ticks = 0;
	return sizeof(uint64_t);
}

/* Linux's timerfd files seek nowhere: lseek succeeds and reports offset 0. */
static off_t timerfd_op_lseek(struct vfile *f, off_t off, int whence)
{
	(void)f;
	(void)off;
	(void)whence;
	return 0;
}

static int timerfd_op_getattr(struct vfile *f, struct stat *st)
{
	(void)f;
	st->st_mode = 0600; /* an anonymous inode, as Linux's */
	st->st_nlink = 1;
	return 0;
}

static unsigned timerfd_op_poll(struct vfile *f)
{
	struct timerfd *t = f->priv;

	if (t->ticks || (t->sched.armed && t->sched.due_ns <= posix_mono_now()))
		return POLLIN;
	return 0;
}

static int timerfd_op_release(struct vfile *f)
{
	struct timerfd *t = f->priv;

	posix_timerq_cancel(&t->event);
	free(t);
	return 0;
}

static const struct vfile_ops timerfd_ops = {
    .read = timerfd_op_read,
    .lseek = timerfd_op_lseek,
    .getattr = timerfd_op_getattr,
    .poll = timerfd_op_poll,
    .release = timerfd_op_release,
};

/* timerfd_create - a disarmed timer on @clockid (CLOCK_REALTIME, CLOCK_MONOTONIC,
 * CLOCK_BOOTTIME or their _ALARM forms) as a descriptor (O_RDWR, as Linux opens it; write gives
 * EINVAL). Returns it, or -1 with errno EINVAL for another clock or flags other than TFD_NONBLOCK
 * and TFD_CLOEXEC, EMFILE or ENOMEM. */
int timerfd_create(int clockid, int flags)
{
	struct vfile *f;
	clockid_t clock;

	if (flags & ~(TFD_NONBLOCK | TFD_CLOEXEC))
		return (int)posix_result(-EINVAL);
	if (clockid == CLOCK_REALTIME || clockid == CLOCK_REALTIME_ALARM)
		clock = CLOCK_REALTIME;
	else if (clockid == CLOCK_MONOTONIC || clockid == CLOCK_BOOTTIME ||
	         clockid == CLOCK_BOOTTIME_ALARM)
		clock = CLOCK_MONOTONIC;
	else
		return (int)posix_result(-EINVAL);
	struct timerfd *t = calloc(1, sizeof(*t));
	if (!t)
		return (int)posix_result(-ENOMEM);
	t->clock = clock;
	t->event.fire = timerfd_fire;
	int err = vfile_new(&timerfd_ops, t, O_RDWR | (flags & TFD_NONBLOCK ? O_NONBLOCK : 0), &f);
	if (err) {
		free(t);
		return (int)posix_result(err);
	}
	int fd = fd_install(&posix_fds, f, 0, flags & TFD_CLOEXEC);
	vfile_unref(f);
	return (int)posix_result(fd);
}

/* The timerfd behind @fd with a reference, or -EBADF / -EINVAL (another kind of file). */
static int get_timerfd(int fd, struct vfile **out)
{
	int err = fd_get(&posix_fds, fd, out);

	if (err)
		return err;
	if ((*out)->ops != &timerfd_ops) {
		vfile_unref(*out);
		return -EINVAL;
	}
	return 0;
}

static void current(struct timerfd *t, struct itimerspec *cur)
{
	posix_itimer_get(&t->sched, posix_mono_now(), &cur->it_value, &cur->it_interval);
}

/* timerfd_settime - arm the timer of @fd with @new_value (relative, or absolute with
 * TFD_TIMER_ABSTIME; a zero it_value disarms), the count of unread expirations starting
 * again at 0; what it was set to before goes to @old_value (may be NULL). Returns 0, or -1
 * with errno EFAULT (NULL @new_value), EINVAL (unknown flags, a negative or unnormalised
 * time, or @fd not a timerfd), EBADF. */
int timerfd_settime(int fd, int flags, const struct itimerspec *new_value,
                    struct itimerspec *old_value)
{
	struct vfile *f;

	if (!new_value)
		return (int)posix_result(-EFAULT);
	if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) ||
	    !posix_timespec_valid(&new_value->it_value) ||
	    !posix_timespec_valid(&new_value->it_interval))
		return (int)posix_result(-EINVAL);
	int err = get_timerfd(fd, &f);
	if (err)
		return (int)posix_result(err);
	struct timerfd *t = f->priv;
	struct itimerspec value = *new_value; /* @new_value may be @old_value */
	if (old_value)
		current(t, old_value);
	posix_itimer_set(&t->sched, t->clock, flags & TFD_TIMER_ABSTIME, &value.it_value,
	                 &value.it_interval);
	t->ticks = 0;
	if (t->sched.armed)
		posix_timerq_arm(&t->event, t->sched.due_ns);
	else
		posix_timerq_cancel(&t->event);
	wait_queue_wake_all(&t->readers); /* a blocked read waits for the new expiry */
	posix_poll_notify();
	vfile_unref(f);
	return 0;
}

/* timerfd_gettime - the time to the next expiry of @fd's timer (0: disarmed) and its
 * interval. Returns 0, or -1 with errno EBADF, EINVAL (not a timerfd) or EFAULT. */
int timerfd_gettime(int fd, struct itimerspec *curr_value)
{
	struct vfile *f;
	int err = get_timerfd(fd, &f);

	if (err)
		return (int)posix_result(err);
	if (curr_value)
		current(f->priv, curr_value);
	vfile_unref(f);
	return (int)posix_result(curr_value ? 0 : -EFAULT);
}
