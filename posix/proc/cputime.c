/* cputime.c - CPU time from the scheduler's accounting (kernel/sched.h: the TSC ticks each
 * thread ran): getrusage, the CPU-time clocks (CLOCK_PROCESS_CPUTIME_ID,
 * CLOCK_THREAD_CPUTIME_ID and the per-thread and per-process clock ids Linux encodes,
 * which pthread_getcpuclockid and clock_getcpuclockid return) for posix/signal/time.c.
 * Everything runs in ring 0 as plain calls: all CPU time is user time, system time is 0.
 * There are no children: RUSAGE_CHILDREN is all zeros, as on Linux for a process whose
 * children were never waited for. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "kernel/clock.h"
#include "kernel/sched.h"
#include "mm/vm.h"
#include "posix/posix.h"
#include "posix/proc/cputime.h"
#include "posix/thread/pthread_internal.h"

/* Linux's encoding of CPU-time clock ids (negative): ~pid << 3 | per-thread 4 | kind. */
#define CPUCLOCK_SCHED     2
#define CPUCLOCK_PERTHREAD 4
#define CPUCLOCK_KIND_MASK 3

static clockid_t make_cpuclock(pid_t id, int per_thread)
{
	int v = (int)((unsigned)~id << 3) | (per_thread ? CPUCLOCK_PERTHREAD : 0) | CPUCLOCK_SCHED;

	return (clockid_t)(long)v;
}

int posix_cpu_clock_ns(clockid_t clock, uint64_t *ns)
{
	if (clock == CLOCK_PROCESS_CPUTIME_ID) {
		*ns = clock_tsc_to_ns(sched_cpu_tsc());
		return 0;
	}
	if (clock == CLOCK_THREAD_CPUTIME_ID) {
		*ns = clock_tsc_to_ns(thread_cpu_tsc(thread_self()));
		return 0;
	}
	int v = (int)(long)clock;
	if (v >= 0 || (v & CPUCLOCK_KIND_MASK) == CPUCLOCK_KIND_MASK)
		return -EINVAL;
	pid_t id = ~(v >> 3);
	if (v & CPUCLOCK_PERTHREAD) {
		struct thread *t = posix_thread_by_tid(id ? id : gettid());
		if (!t)
			return -EINVAL;
		*ns = clock_tsc_to_ns(thread_cpu_tsc(t));
		return 0;
	}
	if (id != 0 && id != getpid())
		return -EINVAL;
	*ns = clock_tsc_to_ns(sched_cpu_tsc());
	return 0;
}

int pthread_getcpuclockid(pthread_t thread, clockid_t *clock)
{
	pid_t tid = posix_thread_tid(thread);

	if (!tid)
		return ESRCH;
	*clock = make_cpuclock(tid, 1);
	return 0;
}

/* glibc's answers: Linux's clock id of the process for 0 or its pid; ESRCH for another
 * process, none of which exists. */
int clock_getcpuclockid(pid_t pid, clockid_t *clock)
{
	if (pid == 0 || pid == getpid()) {
		*clock = make_cpuclock(pid, 0);
		return 0;
	}
	return ESRCH;
}

static struct timeval timeval_of(uint64_t ns)
{
	return (struct timeval){.tv_sec = (time_t)(ns / 1000000000u),
	                        .tv_usec = (suseconds_t)(ns % 1000000000u / 1000u)};
}

/* getrusage - CPU time as user time; ru_maxrss is the most memory in use (pages the
 * allocator handed out: a VM's resident set) seen by these calls, in KiB, for
 * RUSAGE_SELF and RUSAGE_THREAD;
 * the other counters (faults, context switches...) are not kept and stay 0. Returns 0,
 * or -1 with EINVAL for another @who. */
int getrusage(int who, struct rusage *usage)
{
	static uint64_t peak_pages;
	uint64_t ns, total, free_pages;

	switch (who) {
	case RUSAGE_SELF:
		ns = clock_tsc_to_ns(sched_cpu_tsc());
		break;
	case RUSAGE_THREAD:
		ns = clock_tsc_to_ns(thread_cpu_tsc(thread_self()));
		break;
	case RUSAGE_CHILDREN:
		memset(usage, 0, sizeof(*usage));
		return 0;
	default:
		return (int)posix_result(-EINVAL);
	}
	memset(usage, 0, sizeof(*usage));
	usage->ru_utime = timeval_of(ns);
	page_stats(&total, &free_pages);
	if (total - free_pages > peak_pages)
		peak_pages = total - free_pages;
	usage->ru_maxrss = (long)(peak_pages * 4);
	return 0;
}
