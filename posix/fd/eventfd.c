/* eventfd.c - event counters as descriptors (eventfd, eventfd_read, eventfd_write), as
 * Linux has them: a read of 8 bytes or more returns the counter and zeroes it
 * (EFD_SEMAPHORE: returns 1 and decrements it), blocking while it is 0 (EAGAIN with
 * EFD_NONBLOCK); a write of exactly 8 bytes adds to it, blocking while the sum would pass
 * 0xfffffffffffffffe. Readable while the counter is not 0, writable while 1 more fits;
 * poll, select and epoll see both. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/sched.h"
#include "posix/fd/pollwait.h"
#include "posix/fs/files.h"
#include "posix/posix.h"

#define EVENTFD_MAX UINT64_C(0xfffffffffffffffe)

struct eventfd {
	uint64_t count;
	bool semaphore;
	struct wait_queue can_read;
	struct wait_queue can_write;
};

static ssize_t eventfd_op_read(struct vfile *f, void *buf, size_t len)
{
	struct eventfd *e = f->priv;

	if (len < sizeof(uint64_t))
		return -EINVAL;
	while (e->count == 0) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		wait_queue_wait(&e->can_read, 0);
	}
	uint64_t value = e->semaphore ? 1 : e->count;
	e->count -= value;
	memcpy(buf, &value, sizeof(value));
	wait_queue_wake_all(&e->can_write);
	posix_poll_notify();
	return sizeof(value);
}

static ssize_t eventfd_op_write(struct vfile *f, const void *buf, size_t len)
{
	struct eventfd *e = f->priv;
	uint64_t value;

	if (len != sizeof(value))
		return -EINVAL; /* longer writes too, as the Linux these tests run against */
	memcpy(&value, buf, sizeof(value));
	if (value == UINT64_MAX)
		return -EINVAL;
	while (EVENTFD_MAX - e->count < value) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		wait_queue_wait(&e->can_write, 0);
	}
	e->count += value;
	if (value) {
		wait_queue_wake_all(&e->can_read);
		posix_poll_notify();
	}
	return sizeof(value);
}

/* Linux's eventfd files seek nowhere: lseek succeeds and reports offset 0. */
static off_t eventfd_op_lseek(struct vfile *f, off_t off, int whence)
{
	(void)f;
	(void)off;
	(void)whence;
	return 0;
}

static int eventfd_op_getattr(struct vfile *f, struct stat *st)
{
	(void)f;
	st->st_mode = 0600; /* an anonymous inode, as Linux's */
	st->st_nlink = 1;
	return 0;
}

static unsigned eventfd_op_poll(struct vfile *f)
{
	struct eventfd *e = f->priv;
	unsigned r = 0;

	if (e->count > 0)
		r |= POLLIN;
	if (e->count < EVENTFD_MAX)
		r |= POLLOUT;
	return r;
}

static int eventfd_op_release(struct vfile *f)
{
	free(f->priv);
	return 0;
}

static const struct vfile_ops eventfd_ops = {
    .read = eventfd_op_read,
    .write = eventfd_op_write,
    .lseek = eventfd_op_lseek,
    .getattr = eventfd_op_getattr,
    .poll = eventfd_op_poll,
    .release = eventfd_op_release,
};

/* eventfd - a new descriptor (O_RDWR) on a counter starting at @initval. Returns it, or
 * -1 with errno EINVAL for flags other than EFD_CLOEXEC, EFD_NONBLOCK and EFD_SEMAPHORE,
 * EMFILE, or ENOMEM. */
int eventfd(unsigned int initval, int flags)
{
	struct vfile *f;

	if (flags & ~(EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE))
		return (int)posix_result(-EINVAL);
	struct eventfd *e = calloc(1, sizeof(*e));
	if (!e)
		return (int)posix_result(-ENOMEM);
	e->count = initval;
	e->semaphore = flags & EFD_SEMAPHORE;
	int err = vfile_new(&eventfd_ops, e, O_RDWR | (flags & EFD_NONBLOCK ? O_NONBLOCK : 0), &f);
	if (err) {
		free(e);
		return (int)posix_result(err);
	}
	int fd = fd_install(&posix_fds, f, 0, flags & EFD_CLOEXEC);
	vfile_unref(f);
	return (int)posix_result(fd);
}

/* eventfd_read / eventfd_write - glibc's helpers: one 8-byte read into @value / write of
 * @value. Return 0, or -1 with read's / write's errno. */
int eventfd_read(int fd, eventfd_t *value)
{
	return read(fd, value, sizeof(*value)) == sizeof(*value) ? 0 : -1;
}

int eventfd_write(int fd, eventfd_t value)
{
	return write(fd, &value, sizeof(value)) == sizeof(value) ? 0 : -1;
}
