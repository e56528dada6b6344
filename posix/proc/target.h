/* target.h - which process and thread ids exist, for the calls that name one
 * (setpriority, sched_setaffinity...): the process (pid 1) and its live threads. */
#ifndef POSIX_PROC_TARGET_H
#define POSIX_PROC_TARGET_H

#include <stdbool.h>
#include <sys/types.h>
#include <unistd.h>

#include "posix/thread/pthread_internal.h"

/* posix_pid_exists - whether @pid names the caller (0), the process (its pid, also the
 * main thread's id) or one of its threads that has not ended. */
static inline bool posix_pid_exists(pid_t pid)
{
	return pid == 0 || pid == getpid() || (pid > 0 && posix_thread_by_tid(pid));
}

#endif
