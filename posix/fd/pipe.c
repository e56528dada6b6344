/* pipe.c - pipes between threads: a 64 KiB ring, readers and writers blocking on wait
 * queues (or EAGAIN with O_NONBLOCK). Writes of at most PIPE_BUF bytes are atomic; a
 * write with no reader left fails with EPIPE (no SIGPIPE is raised: signals are not
 * delivered asynchronously). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/sched.h"
#include "posix/fd/pipe.h"
#include "posix/fd/pollwait.h"
#include "posix/fs/files.h"
#include "posix/posix.h"
#include "posix/thread/pthread_internal.h"

#define PIPE_CAPACITY 65536u

struct pipe {
	char *buf;
	size_t head; /* next byte to read */
	size_t used;
	int readers;
	int writers;
	struct wait_queue can_read;
	struct wait_queue can_write;
};

struct pipe_end {
	struct pipe *pipe;
	bool writer;
};

static void pipe_put(struct pipe *p)
{
	if (p->readers == 0 && p->writers == 0) {
		free(p->buf);
		free(p);
	}
}

static ssize_t pipe_read(struct vfile *f, void *out, size_t len)
{
	struct pipe *p = ((struct pipe_end *)f->priv)->pipe;

	if (len == 0)
		return 0;
	while (p->used == 0) {
		if (p->writers == 0)
			return 0; /* end of file */
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (posix_cancel_wait(&p->can_read, NULL) == -ECANCELED)
			return -ECANCELED; /* read() acts on it once the file is let go */
	}
	size_t n = len < p->used ? len : p->used;
	for (size_t i = 0; i < n; i++)
		((char *)out)[i] = p->buf[(p->head + i) % PIPE_CAPACITY];
	p->head = (p->head + n) % PIPE_CAPACITY;
	p->used -= n;
	wait_queue_wake_all(&p->can_write);
	posix_poll_notify();
	return (ssize_t)n;
}

static ssize_t pipe_write(struct vfile *f, const void *in, size_t len)
{
	struct pipe *p = ((struct pipe_end *)f->priv)->pipe;
	size_t done = 0;

	while (done < len) {
		if (p->readers == 0)
			return done ? (ssize_t)done : -EPIPE;
		size_t room = PIPE_CAPACITY - p->used;
		/* Up to PIPE_BUF bytes go in one piece or not at all. */
		bool atomic = len - done <= PIPE_BUF;
		if (room == 0 || (atomic && room < len - done)) {
			if (f->flags & O_NONBLOCK)
				return done ? (ssize_t)done : -EAGAIN;
			if (posix_cancel_wait(&p->can_write, NULL) == -ECANCELED)
				return done ? (ssize_t)done : -ECANCELED;
			continue;
		}
		size_t n = len - done < room ? len - done : room;
		for (size_t i = 0; i < n; i++)
			p->buf[(p->head + p->used + i) % PIPE_CAPACITY] =
			    ((const char *)in)[done + i];
		p->used += n;
		done += n;
		wait_queue_wake_all(&p->can_read);
		posix_poll_notify();
	}
	return (ssize_t)done;
}

static int pipe_getattr(struct vfile *f, struct stat *st)
{
	(void)f;
	st->st_mode = S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_blksize = PIPE_BUF;
	return 0;
}

static int pipe_release(struct vfile *f)
{
	struct pipe_end *end = f->priv;
	struct pipe *p = end->pipe;

	if (end->writer) {
		p->writers--;
		wait_queue_wake_all(&p->can_read);
	} else {
		p->readers--;
		wait_queue_wake_all(&p->can_write);
	}
	free(end);
	pipe_put(p);
	posix_poll_notify();
	return 0;
}

/* Readable with data or no writer left (end of file, POLLHUP); writable with room for
 * PIPE_BUF bytes; POLLERR on a write end whose readers are gone. */
static unsigned pipe_poll(struct vfile *f)
{
	struct pipe_end *end = f->priv;
	struct pipe *p = end->pipe;

	if (end->writer) {
		if (p->readers == 0)
			return POLLOUT | POLLERR;
		return PIPE_CAPACITY - p->used >= PIPE_BUF ? POLLOUT : 0;
	}
	if (p->writers == 0)
		return p->used ? POLLIN | POLLHUP : POLLHUP;
	return p->used ? POLLIN : 0;
}

static const struct vfile_ops pipe_ops = {
    .read = pipe_read,
    .write = pipe_write,
    .getattr = pipe_getattr,
    .poll = pipe_poll,
    .release = pipe_release,
};

const void *posix_pipe_id(struct vfile *f)
{
	return f->ops == &pipe_ops ? ((struct pipe_end *)f->priv)->pipe : NULL;
}

ssize_t posix_pipe_peek(struct vfile *f, void *out, size_t len, bool nonblock)
{
	struct pipe *p = ((struct pipe_end *)f->priv)->pipe;

	if (len == 0)
		return 0;
	while (p->used == 0) {
		if (p->writers == 0)
			return 0;
		if (nonblock || (f->flags & O_NONBLOCK))
			return -EAGAIN;
		wait_queue_wait(&p->can_read, 0);
	}
	size_t n = len < p->used ? len : p->used;
	for (size_t i = 0; i < n; i++)
		((char *)out)[i] = p->buf[(p->head + i) % PIPE_CAPACITY];
	return (ssize_t)n;
}

static int open_end(struct pipe *p, bool writer, int flags, struct vfile **out)
{
	struct pipe_end *end = malloc(sizeof(*end));

	if (!end)
		return -ENOMEM;
	end->pipe = p;
	end->writer = writer;
	int err = vfile_new(&pipe_ops, end, (writer ? O_WRONLY : O_RDONLY) | flags, out);
	if (err) {
		free(end);
		return err;
	}
	if (writer)
		p->writers++;
	else
		p->readers++;
	return 0;
}

int pipe2(int fds[2], int flags)
{
	struct vfile *r = NULL, *w = NULL;
	int err = 0;

	if (flags & ~(O_NONBLOCK | O_CLOEXEC))
		return (int)posix_result(-EINVAL);
	struct pipe *p = calloc(1, sizeof(*p));
	if (!p || !(p->buf = malloc(PIPE_CAPACITY))) {
		free(p);
		return (int)posix_result(-ENOMEM);
	}
	err = open_end(p, false, flags & O_NONBLOCK, &r);
	if (!err)
		err = open_end(p, true, flags & O_NONBLOCK, &w);
	if (err)
		goto out_unref;
	fds[0] = fd_install(&posix_fds, r, 0, flags & O_CLOEXEC);
	if (fds[0] < 0) {
		err = fds[0];
		goto out_unref;
	}
	fds[1] = fd_install(&posix_fds, w, 0, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		err = fds[1];
		fd_close(&posix_fds, fds[0]);
	}
out_unref:
	/* The table holds its own references; drop ours (frees everything on failure). */
	if (r)
		vfile_unref(r);
	if (w)
		vfile_unref(w);
	if (!r && !w)
		pipe_put(p);
	return (int)posix_result(err);
}

int pipe(int fds[2])
{
	return pipe2(fds, 0);
}
