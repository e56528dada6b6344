/* affinity.c - CPU affinity on a VM with one CPU: sched_getaffinity, sched_setaffinity,
 * their pthread forms and sched_getcpu. The mask is always CPU 0 alone: setting one that
 * holds CPU 0 succeeds (the other bits name CPUs that do not exist, which Linux ignores
 * too), one without it fails with EINVAL, as Linux fails a mask of no online CPU. Sizes
 * follow Linux's system call: a mask read needs a multiple of 8 bytes holding at least
 * the one CPU, a mask written may have any size (missing bytes count as zeros). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "posix/posix.h"
#include "posix/proc/target.h"
#include "posix/thread/pthread_internal.h"

/* 0, or -EINVAL when the @size-byte mask at @mask does not hold CPU 0. */
static int set_mask(size_t size, const cpu_set_t *mask)
{
	if (size == 0 || !(((const unsigned char *)mask)[0] & 1))
		return -EINVAL;
	return 0;
}

/* Fill @size bytes at @mask with CPU 0 alone; 0, or -EINVAL for a size the system call
 * refuses. */
static int get_mask(size_t size, cpu_set_t *mask)
{
	if (size == 0 || (size & (sizeof(unsigned long) - 1)))
		return -EINVAL;
	memset(mask, 0, size);
	((unsigned char *)mask)[0] = 1;
	return 0;
}

int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask)
{
	if (!posix_pid_exists(pid))
		return (int)posix_result(-ESRCH);
	return (int)posix_result(set_mask(cpusetsize, mask));
}

int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask)
{
	if (cpusetsize == 0 || (cpusetsize & (sizeof(unsigned long) - 1)))
		return (int)posix_result(-EINVAL);
	if (!posix_pid_exists(pid))
		return (int)posix_result(-ESRCH);
	return (int)posix_result(get_mask(cpusetsize, mask));
}

/* The pthread forms return the error number: ESRCH for a thread that has ended. */
int pthread_setaffinity_np(pthread_t thread, size_t cpusetsize, const cpu_set_t *cpuset)
{
	if (!posix_thread_tid(thread))
		return ESRCH;
	return -set_mask(cpusetsize, cpuset);
}

int pthread_getaffinity_np(pthread_t thread, size_t cpusetsize, cpu_set_t *cpuset)
{
	if (!posix_thread_tid(thread))
		return ESRCH;
	return -get_mask(cpusetsize, cpuset);
}

int sched_getcpu(void)
{
	return 0;
}
