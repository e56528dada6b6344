/* common.h - helpers for the differential POSIX test programs: each program prints what
 * it observes, the same source runs on the Linux host and in a VMOS image, and the two
 * outputs must be identical. errno values differ between glibc and newlib, so errors are
 * printed by name. */
#ifndef TESTS_POSIX_COMMON_H
#define TESTS_POSIX_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static inline const char *errname(int e)
{
	switch (e) {
	case 0:
		return "0";
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "ENOENT";
	case EIO:
		return "EIO";
	case E2BIG:
		return "E2BIG";
	case EBADF:
		return "EBADF";
	case EAGAIN:
		return "EAGAIN";
	case ENOMEM:
		return "ENOMEM";
	case EACCES:
		return "EACCES";
	case EFAULT:
		return "EFAULT";
	case EBUSY:
		return "EBUSY";
	case EEXIST:
		return "EEXIST";
	case ENOTDIR:
		return "ENOTDIR";
	case EISDIR:
		return "EISDIR";
	case EINVAL:
		return "EINVAL";
	case EMFILE:
		return "EMFILE";
	case ENOTTY:
		return "ENOTTY";
	case ENOSPC:
		return "ENOSPC";
	case ESPIPE:
		return "ESPIPE";
	case ERANGE:
		return "ERANGE";
	case EDEADLK:
		return "EDEADLK";
	case ENAMETOOLONG:
		return "ENAMETOOLONG";
	case ENOSYS:
		return "ENOSYS";
	case ENOTEMPTY:
		return "ENOTEMPTY";
	case ETIMEDOUT:
		return "ETIMEDOUT";
	case EOVERFLOW:
		return "EOVERFLOW";
	case ECHILD:
		return "ECHILD";
	case ESRCH:
		return "ESRCH";
	case EINTR:
		return "EINTR";
	case ELOOP:
		return "ELOOP";
	case ENODEV:
		return "ENODEV";
	case ENXIO:
		return "ENXIO";
	case EOPNOTSUPP:
		return "EOPNOTSUPP";
	case ENODATA:
		return "ENODATA";
	case ENOLCK:
		return "ENOLCK";
	case ENOBUFS:
		return "ENOBUFS";
	default:
		return "E?";
	}
}

/* CHECK(call) - print the call, its result and errno's name after it. */
#define CHECK(call)                                                                                \
	do {                                                                                       \
		errno = 0;                                                                         \
		long check_result_ = (long)(call);                                                 \
		printf("%s = %ld %s\n", #call, check_result_, errname(errno));                     \
	} while (0)

#endif
