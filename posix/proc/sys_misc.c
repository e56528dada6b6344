/* sys_misc.c - what single-process servers ask of the system: uname, sysconf, resource
 * limits, user and group ids (always root), the parent pid, the page size. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "mm/stack.h"
#include "mm/vm.h"
#include "posix/fs/files.h"
#include "posix/posix.h"

#define VMOS_RELEASE "0.1"

int uname(struct utsname *u)
{
	if (!u)
		return (int)posix_result(-EFAULT);
	memset(u, 0, sizeof(*u));
	strcpy(u->sysname, "VMOS");
	strcpy(u->nodename, "vmos");
	strcpy(u->release, VMOS_RELEASE);
	strcpy(u->version, "VMOS " VMOS_RELEASE);
	strcpy(u->machine, "x86_64");
	return 0;
}

long sysconf(int name)
{
	uint64_t total, free_pages;

	switch (name) {
	case _SC_PAGESIZE:
		return 4096;
	case _SC_CLK_TCK:
		return 1000; /* times() counts milliseconds (newlib's CLOCKS_PER_SEC) */
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
		return 1;
	case _SC_OPEN_MAX:
		return posix_fds.limit;
	case _SC_PHYS_PAGES:
		page_stats(&total, &free_pages);
		return (long)total;
	case _SC_AVPHYS_PAGES:
		page_stats(&total, &free_pages);
		return (long)free_pages;
	case _SC_ARG_MAX:
		return 4096;
	case _SC_CHILD_MAX:
		return 1;
	case _SC_HOST_NAME_MAX:
		return 64;
	case _SC_LINE_MAX:
		return 2048;
	default:
		return posix_result(-EINVAL);
	}
}

int getpagesize(void)
{
	return 4096;
}

static rlim_t stack_limit = STACK_DEFAULT_LIMIT;

/* RLIMIT_NOFILE's hard limit once set (0: the table's capacity), and Linux's default
 * /proc/sys/fs/nr_open, past which not even root may raise it. */
static rlim_t nofile_hard;
#define NR_OPEN 1048576

int getrlimit(int resource, struct rlimit *limit)
{
	if (!limit)
		return (int)posix_result(-EFAULT);
	switch (resource) {
	case RLIMIT_NOFILE:
		limit->rlim_cur = (rlim_t)posix_fds.limit;
		limit->rlim_max = nofile_hard ? nofile_hard : (rlim_t)posix_fds.capacity;
		return 0;
	case RLIMIT_STACK:
		limit->rlim_cur = stack_limit;
		limit->rlim_max = RLIM_INFINITY;
		return 0;
	case RLIMIT_CPU:
	case RLIMIT_FSIZE:
	case RLIMIT_DATA:
	case RLIMIT_CORE:
	case RLIMIT_AS:
		limit->rlim_cur = limit->rlim_max = RLIM_INFINITY;
		return 0;
	default:
		return (int)posix_result(-EINVAL);
	}
}

int setrlimit(int resource, const struct rlimit *limit)
{
	if (!limit)
		return (int)posix_result(-EFAULT);
	if (limit->rlim_cur > limit->rlim_max)
		return (int)posix_result(-EINVAL);
	switch (resource) {
	case RLIMIT_NOFILE: {
		/* As Linux: raising the hard limit takes privilege (an effective uid of 0 here)
		 * and stops at nr_open; the table grows to it. */
		rlim_t hard = nofile_hard ? nofile_hard : (rlim_t)posix_fds.capacity;
		if (limit->rlim_max > hard && (geteuid() != 0 || limit->rlim_max > NR_OPEN))
			return (int)posix_result(-EPERM);
		int err = fd_table_grow(&posix_fds, (int)limit->rlim_max);
		if (!err)
			err = fd_table_set_limit(&posix_fds, (int)limit->rlim_cur);
		if (!err)
			nofile_hard = limit->rlim_max;
		return (int)posix_result(err);
	}
	case RLIMIT_STACK:
		stack_limit = limit->rlim_cur;
		return 0;
	case RLIMIT_CPU:
	case RLIMIT_FSIZE:
	case RLIMIT_DATA:
	case RLIMIT_CORE:
	case RLIMIT_AS:
		/* Not enforced; raising past infinity is not possible, lowering is accepted. */
		return 0;
	default:
		return (int)posix_result(-EINVAL);
	}
}

pid_t getppid(void)
{
	return 0; /* started by the kernel, not by a process */
}
