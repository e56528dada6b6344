/* cputime.h - the CPU-time clocks for posix/signal/time.c (posix/proc/cputime.c). */
#ifndef POSIX_PROC_CPUTIME_H
#define POSIX_PROC_CPUTIME_H

#include <stdint.h>
#include <time.h>

/* posix_cpu_clock_ns - the CPU time @clock measures, in nanoseconds: the process's
 * (CLOCK_PROCESS_CPUTIME_ID, or Linux's clock id of process 0 or 1), the calling thread's
 * (CLOCK_THREAD_CPUTIME_ID) or a live thread's (the id pthread_getcpuclockid gives).
 * Returns 0, or -EINVAL when @clock is none of them. */
int posix_cpu_clock_ns(clockid_t clock, uint64_t *ns);

#endif
