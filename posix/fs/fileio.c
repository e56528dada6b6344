/* fileio.c - positional vector I/O and the hints a server gives about its files:
 * preadv/pwritev (a pread or pwrite per buffer, stopping at the first short one, which in
 * one cooperative address space nothing can interleave with), posix_fadvise and
 * sync_file_range (the RAM filesystem has no cache to advise nor disk to flush: they check
 * their arguments as Linux does and succeed). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "posix/fd/fdtable.h"
#include "posix/fs/files.h"
#include "posix/posix.h"

static ssize_t vector_io(int fd, const struct iovec *iov, int count, off_t off, int writing)
{
	ssize_t total = 0;

	if (count < 0 || count > IOV_MAX || off < 0)
		return posix_result(-EINVAL);
	for (int i = 0; i < count; i++) {
		ssize_t n =
		    writing
		        ? fd_pwrite(&posix_fds, fd, iov[i].iov_base, iov[i].iov_len, off + total)
		        : fd_pread(&posix_fds, fd, iov[i].iov_base, iov[i].iov_len, off + total);
		if (n < 0)
			return total ? total : posix_result(n);
		total += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	if (count == 0) { /* still checks the descriptor, as Linux */
		ssize_t n = writing ? fd_pwrite(&posix_fds, fd, "", 0, off)
		                    : fd_pread(&posix_fds, fd, NULL, 0, off);
		if (n < 0)
			return posix_result(n);
	}
	return total;
}

ssize_t preadv(int fd, const struct iovec *iov, int count, off_t off)
{
	return vector_io(fd, iov, count, off, 0);
}

ssize_t pwritev(int fd, const struct iovec *iov, int count, off_t off)
{
	return vector_io(fd, iov, count, off, 1);
}

/* The descriptor's kind: 0 for a RAM-filesystem file, -EBADF, or -ESPIPE for a pipe,
 * socket or the console. */
static int regular_or_error(int fd)
{
	struct vfile *f;
	int err = fd_get(&posix_fds, fd, &f);

	if (err)
		return err;
	int file = posix_file_node(f) != NULL;
	vfile_unref(f);
	return file ? 0 : -ESPIPE;
}

/* Returns an error number, not -1 and errno, as POSIX says. */
int posix_fadvise(int fd, off_t offset, off_t len, int advice)
{
	(void)offset;
	int err = regular_or_error(fd);

	if (err)
		return -err;
	if (len < 0 || advice < POSIX_FADV_NORMAL || advice > POSIX_FADV_NOREUSE)
		return EINVAL;
	return 0;
}

int sync_file_range(int fd, off_t offset, off_t nbytes, unsigned int flags)
{
	if (flags &
	    ~(SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER))
		return (int)posix_result(-EINVAL);
	if (offset < 0 || nbytes < 0)
		return (int)posix_result(-EINVAL);
	int err = regular_or_error(fd);
	return (int)posix_result(err);
}
