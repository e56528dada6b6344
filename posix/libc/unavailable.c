/* unavailable.c - calls a one-process VM cannot serve, failing at run time as Linux fails
 * them when the feature is absent (the README's table): popen (no fork, no shell),
 * setns (no namespaces), inotify (ENOSYS: a Linux built without it), and syscall(),
 * which has no system-call layer behind it and serves only a few numbers through the
 * C-library functions of the same name. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "posix/fs/files.h"
#include "posix/posix.h"

/* popen - NULL with EINVAL for a mode other than "r" or "w" (with glibc's 'e'), else
 * NULL with ENOSYS: the child would need fork, which fails so (there is no shell to run
 * either). */
FILE *popen(const char *command, const char *mode)
{
	(void)command;
	if ((mode[0] != 'r' && mode[0] != 'w') || strspn(mode + 1, "e") != strlen(mode + 1)) {
		errno = EINVAL;
		return NULL;
	}
	errno = ENOSYS;
	return NULL;
}

/* pclose - popen never gives a stream, so @stream is an ordinary one: glibc's pclose
 * closes such a stream as fclose does, and so does this. */
int pclose(FILE *stream)
{
	return fclose(stream);
}

/* setns - EBADF for a closed @fd; any open one is not a namespace (there are none):
 * EINVAL, as Linux answers for a descriptor that is not a namespace file. */
int setns(int fd, int nstype)
{
	struct vfile *f;
	(void)nstype;
	int err = fd_get(&posix_fds, fd, &f);

	if (err)
		return (int)posix_result(err);
	vfile_unref(f);
	return (int)posix_result(-EINVAL);
}

int inotify_init(void)
{
	return (int)posix_result(-ENOSYS);
}

int inotify_init1(int flags)
{
	(void)flags;
	return (int)posix_result(-ENOSYS);
}

int inotify_add_watch(int fd, const char *pathname, uint32_t mask)
{
	(void)fd;
	(void)pathname;
	(void)mask;
	return (int)posix_result(-ENOSYS);
}

int inotify_rm_watch(int fd, int wd)
{
	(void)fd;
	(void)wd;
	return (int)posix_result(-ENOSYS);
}

/* syscall - the numbers served: read, write, close, getpid, gettid, getppid, getuid,
 * geteuid, getgid, getegid, sched_yield (each through its C-library function, which
 * sets errno); any other number fails with ENOSYS, as Linux fails a number it does not
 * know. */
long syscall(long number, ...)
{
	va_list ap;
	long a[3];

	va_start(ap, number);
	for (int i = 0; i < 3; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	switch (number) {
	case SYS_read:
		return read((int)a[0], (void *)a[1], (size_t)a[2]);
	case SYS_write:
		return write((int)a[0], (const void *)a[1], (size_t)a[2]);
	case SYS_close:
		return close((int)a[0]);
	case SYS_getpid:
		return getpid();
	case SYS_gettid:
		return gettid();
	case SYS_getppid:
		return getppid();
	case SYS_getuid:
		return getuid();
	case SYS_geteuid:
		return geteuid();
	case SYS_getgid:
		return getgid();
	case SYS_getegid:
		return getegid();
	case SYS_sched_yield:
		return sched_yield();
	default:
		return posix_result(-ENOSYS);
	}
}
