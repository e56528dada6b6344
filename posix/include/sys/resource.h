/* sys/resource.h - resource limits, usage and priorities, in place of newlib's header
 * (whose struct rusage has only the two times; Linux's layout here, so programs reading
 * ru_maxrss or ru_nvcsw compile). posix/proc/sys_misc.c implements the limits:
 * RLIMIT_NOFILE is the descriptor table's limit, RLIMIT_STACK the default stack of new
 * threads; others report RLIM_INFINITY. posix/proc/cputime.c implements getrusage,
 * posix/proc/priority.c getpriority and setpriority. */
#ifndef VMOS_SYS_RESOURCE_H
#define VMOS_SYS_RESOURCE_H

/* newlib's header is not used: this one replaces it. */
#define _SYS_RESOURCE_H_

#include <sys/time.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned long rlim_t;

#define RLIM_INFINITY  (~0UL)
#define RLIM_SAVED_MAX RLIM_INFINITY
#define RLIM_SAVED_CUR RLIM_INFINITY

#define RLIMIT_CPU    0
#define RLIMIT_FSIZE  1
#define RLIMIT_DATA   2
#define RLIMIT_STACK  3
#define RLIMIT_CORE   4
#define RLIMIT_NOFILE 7
#define RLIMIT_AS     9
#define RLIM_NLIMITS  16

struct rlimit {
	rlim_t rlim_cur;
	rlim_t rlim_max;
};

int getrlimit(int resource, struct rlimit *limit);
int setrlimit(int resource, const struct rlimit *limit);

#define RUSAGE_SELF     0
#define RUSAGE_CHILDREN (-1)
#if __GNU_VISIBLE
#define RUSAGE_THREAD 1
#endif

struct rusage {
	struct timeval ru_utime; /* user time used */
	struct timeval ru_stime; /* system time used */
	long ru_maxrss;          /* KiB */
	long ru_ixrss;
	long ru_idrss;
	long ru_isrss;
	long ru_minflt;
	long ru_majflt;
	long ru_nswap;
	long ru_inblock;
	long ru_oublock;
	long ru_msgsnd;
	long ru_msgrcv;
	long ru_nsignals;
	long ru_nvcsw;
	long ru_nivcsw;
};

int getrusage(int who, struct rusage *usage);

#define PRIO_MIN     (-20)
#define PRIO_MAX     20
#define PRIO_PROCESS 0
#define PRIO_PGRP    1
#define PRIO_USER    2

int getpriority(int which, id_t who);
int setpriority(int which, id_t who, int prio);

#ifdef __cplusplus
}
#endif

#endif
