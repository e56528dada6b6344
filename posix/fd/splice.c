/* splice.c - splice, tee and vmsplice over the descriptor table, with Linux's checks in
 * Linux's order. One end must be a pipe (both, for tee): otherwise EINVAL, as Linux. The
 * data is copied (there are no page references to move): splice reads up to 64 KiB from
 * one side and writes it to the other, tee copies what the first pipe holds without
 * consuming it, vmsplice writes the caller's buffers to a pipe (or reads them from it).
 * SPLICE_F_NONBLOCK makes the pipe side non-blocking for the call; SPLICE_F_MOVE,
 * SPLICE_F_MORE and SPLICE_F_GIFT are accepted and change nothing. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/uio.h>

#include "posix/fd/pipe.h"
#include "posix/fs/files.h"
#include "posix/posix.h"

#define SPLICE_F_ALL (SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT)
#define CHUNK        65536u
#define IOV_LIMIT    1024

static bool readable(const struct vfile *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static bool writable(const struct vfile *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY;
}

/* Whether @f has a file position (pread/pwrite at an offset work). */
static bool positional(const struct vfile *f)
{
	return f->ops->pread || f->ops->pwrite;
}

/* Move up to @len bytes (at most CHUNK) from @fd_in (vfile @in) to @fd_out (@out), at
 * the offsets given (NULL: the file offset, or the stream), which advance by what was
 * written; a pipe side is non-blocking for the call when @nonblock. Returns the count or
 * -errno. */
static ssize_t copy(int fd_in, off_t *off_in, int fd_out, off_t *off_out, size_t len,
                    struct vfile *in, struct vfile *out, bool nonblock)
{
	size_t n = len < CHUNK ? len : CHUNK;
	char *buf = malloc(n);
	int in_flags = in->flags, out_flags = out->flags;
	ssize_t got, put;

	if (!buf)
		return -ENOMEM;
	if (nonblock) {
		if (posix_pipe_id(in))
			in->flags |= O_NONBLOCK;
		if (posix_pipe_id(out))
			out->flags |= O_NONBLOCK;
	}
	off_t in_pos = off_in ? *off_in : in->offset;
	got = off_in || positional(in) ? fd_pread(&posix_fds, fd_in, buf, n, in_pos)
	                               : fd_read(&posix_fds, fd_in, buf, n);
	put = got;
	if (got > 0) {
		put = off_out ? fd_pwrite(&posix_fds, fd_out, buf, (size_t)got, *off_out)
		              : fd_write(&posix_fds, fd_out, buf, (size_t)got);
		if (put > 0 && off_out)
			*off_out += put;
		if (put > 0 && off_in)
			*off_in += put;
		else if (put > 0 && positional(in))
			in->offset = in_pos + put;
	}
	in->flags = (in->flags & ~O_NONBLOCK) | (in_flags & O_NONBLOCK);
	out->flags = (out->flags & ~O_NONBLOCK) | (out_flags & O_NONBLOCK);
	free(buf);
	return put;
}

static ssize_t do_splice(int fd_in, loff_t *off_in, int fd_out, loff_t *off_out, size_t len,
                         unsigned flags, struct vfile *in, struct vfile *out)
{
	const void *ipipe = posix_pipe_id(in), *opipe = posix_pipe_id(out);
	off_t oin, oout;

	if ((ipipe && off_in) || (opipe && off_out))
		return -ESPIPE;
	if (!readable(in) || !writable(out))
		return -EBADF;
	if (!ipipe && !opipe)
		return -EINVAL;
	if (ipipe && ipipe == opipe)
		return -EINVAL;
	if (off_in && (!positional(in) || *off_in < 0))
		return -EINVAL;
	if (off_out && (!positional(out) || *off_out < 0))
		return -EINVAL;
	if (ipipe && !opipe && (out->flags & O_APPEND))
		return -EINVAL;
	if (off_in)
		oin = (off_t)*off_in;
	if (off_out)
		oout = (off_t)*off_out;
	ssize_t r = copy(fd_in, off_in ? &oin : NULL, fd_out, off_out ? &oout : NULL, len, in, out,
	                 flags & SPLICE_F_NONBLOCK);
	if (r > 0 && off_in)
		*off_in = oin;
	if (r > 0 && off_out)
		*off_out = oout;
	return r;
}

/* The open files behind @fd_in and @fd_out, each with a reference: 0 or -EBADF. */
static int get_both(int fd_in, int fd_out, struct vfile **in, struct vfile **out)
{
	int err = fd_get(&posix_fds, fd_in, in);

	if (err)
		return err;
	err = fd_get(&posix_fds, fd_out, out);
	if (err)
		vfile_unref(*in);
	return err;
}

ssize_t splice(int fd_in, loff_t *off_in, int fd_out, loff_t *off_out, size_t len,
               unsigned int flags)
{
	struct vfile *in, *out;

	if (len == 0)
		return 0;
	if (flags & ~SPLICE_F_ALL)
		return posix_result(-EINVAL);
	int err = get_both(fd_in, fd_out, &in, &out);
	if (err)
		return posix_result(err);
	ssize_t r = do_splice(fd_in, off_in, fd_out, off_out, len, flags, in, out);
	vfile_unref(out);
	vfile_unref(in);
	return posix_result(r);
}

ssize_t tee(int fd_in, int fd_out, size_t len, unsigned int flags)
{
	struct vfile *in, *out;
	ssize_t r;

	if (flags & ~SPLICE_F_ALL)
		return posix_result(-EINVAL);
	if (len == 0)
		return 0;
	int err = get_both(fd_in, fd_out, &in, &out);
	if (err)
		return posix_result(err);
	const void *ipipe = posix_pipe_id(in), *opipe = posix_pipe_id(out);
	if (!readable(in) || !writable(out)) {
		r = -EBADF;
	} else if (!ipipe || !opipe || ipipe == opipe) {
		r = -EINVAL;
	} else {
		size_t n = len < CHUNK ? len : CHUNK;
		char *buf = malloc(n);
		r = buf ? posix_pipe_peek(in, buf, n, flags & SPLICE_F_NONBLOCK) : -ENOMEM;
		if (r > 0) {
			int out_flags = out->flags;
			if (flags & SPLICE_F_NONBLOCK)
				out->flags |= O_NONBLOCK;
			r = fd_write(&posix_fds, fd_out, buf, (size_t)r);
			out->flags = (out->flags & ~O_NONBLOCK) | (out_flags & O_NONBLOCK);
		}
		free(buf);
	}
	vfile_unref(out);
	vfile_unref(in);
	return posix_result(r);
}

ssize_t vmsplice(int fd, const struct iovec *iov, size_t nr_segs, unsigned int flags)
{
	struct vfile *f;
	size_t total = 0;
	ssize_t done = 0;

	if (flags & ~SPLICE_F_ALL)
		return posix_result(-EINVAL);
	int err = fd_get(&posix_fds, fd, &f);
	if (err)
		return posix_result(err);
	bool to_pipe = writable(f);
	if (nr_segs > IOV_LIMIT)
		err = -EINVAL;
	for (size_t i = 0; !err && i < nr_segs; i++)
		total += iov[i].iov_len;
	if (!err && total && !posix_pipe_id(f))
		err = -EBADF;
	int saved_flags = f->flags;
	if (flags & SPLICE_F_NONBLOCK)
		f->flags |= O_NONBLOCK;
	for (size_t i = 0; !err && total && i < nr_segs; i++) {
		if (iov[i].iov_len == 0)
			continue;
		ssize_t n = to_pipe ? fd_write(&posix_fds, fd, iov[i].iov_base, iov[i].iov_len)
		                    : fd_read(&posix_fds, fd, iov[i].iov_base, iov[i].iov_len);
		if (n < 0) {
			if (done == 0)
				err = (int)n;
			break;
		}
		done += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	f->flags = (f->flags & ~O_NONBLOCK) | (saved_flags & O_NONBLOCK);
	vfile_unref(f);
	return err ? posix_result(err) : done;
}
