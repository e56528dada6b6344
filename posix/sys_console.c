/* sys_console.c - the descriptors that exist before the file-descriptor table does:
 * 0, 1 and 2 on the serial console. Output goes to the kernel console; the console has
 * no input yet, so reading fd 0 gives end-of-file. Other descriptors are EBADF, and the
 * file calls (open, stat, link, unlink, mkdir) report ENOSYS until the RAM filesystem
 * is linked in. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/console.h"
#include "posix/posix.h"

static int is_console(int fd)
{
	return fd >= 0 && fd <= 2;
}

ssize_t write(int fd, const void *buf, size_t len)
{
	if (!is_console(fd))
		return posix_result(-EBADF);
	console_write(buf, len);
	return (ssize_t)len;
}

ssize_t read(int fd, void *buf, size_t len)
{
	(void)buf;
	(void)len;
	if (!is_console(fd))
		return posix_result(-EBADF);
	return 0;
}

int close(int fd)
{
	return (int)posix_result(is_console(fd) ? 0 : -EBADF);
}

off_t lseek(int fd, off_t offset, int whence)
{
	(void)offset;
	(void)whence;
	return posix_result(is_console(fd) ? -ESPIPE : -EBADF);
}

int isatty(int fd)
{
	if (is_console(fd))
		return 1;
	errno = EBADF;
	return 0;
}

int fstat(int fd, struct stat *st)
{
	if (!is_console(fd))
		return (int)posix_result(-EBADF);
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0620;
	st->st_nlink = 1;
	st->st_blksize = 1024;
	return 0;
}

int fcntl(int fd, int cmd, ...)
{
	if (!is_console(fd))
		return (int)posix_result(-EBADF);
	switch (cmd) {
	case F_GETFL:
		return O_RDWR;
	case F_GETFD:
	case F_SETFD:
	case F_SETFL:
		return 0;
	default:
		return (int)posix_result(-EINVAL);
	}
}

int open(const char *path, int flags, ...)
{
	(void)path;
	(void)flags;
	return (int)posix_result(-ENOSYS);
}

int stat(const char *path, struct stat *st)
{
	(void)path;
	(void)st;
	return (int)posix_result(-ENOSYS);
}

int link(const char *old, const char *new)
{
	(void)old;
	(void)new;
	return (int)posix_result(-ENOSYS);
}

int unlink(const char *path)
{
	(void)path;
	return (int)posix_result(-ENOSYS);
}

int mkdir(const char *path, mode_t mode)
{
	(void)path;
	(void)mode;
	return (int)posix_result(-ENOSYS);
}
