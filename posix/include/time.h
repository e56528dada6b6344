/* time.h - newlib's <time.h> plus what VMOS provides beyond it (posix/signal/time.c): newlib
 * declares clock_gettime, clock_getres and nanosleep only with _POSIX_TIMERS, and
 * CLOCK_MONOTONIC only with _POSIX_MONOTONIC_CLOCK, which its x86_64-elf build does not
 * define (the rest of _POSIX_TIMERS, timer_create and friends, is not provided).
 * Clock numbers are newlib's. Supported clocks: CLOCK_REALTIME, CLOCK_MONOTONIC, their
 * _COARSE variants (the same clocks here) and CLOCK_MONOTONIC_RAW / CLOCK_BOOTTIME (the
 * monotonic clock: a VM is never suspended), and the CPU-time clocks
 * CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID and those pthread_getcpuclockid and
 * clock_getcpuclockid give (posix/proc/cputime.c); the others give EINVAL. */
#include_next <time.h>

#ifndef VMOS_TIME_H
#define VMOS_TIME_H

#ifdef __cplusplus
extern "C" {
#endif

#ifndef CLOCK_REALTIME_COARSE
#define CLOCK_REALTIME_COARSE ((clockid_t)0)
#endif
#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC ((clockid_t)4)
#endif
#ifndef CLOCK_MONOTONIC_RAW
#define CLOCK_MONOTONIC_RAW ((clockid_t)5)
#endif
#ifndef CLOCK_MONOTONIC_COARSE
#define CLOCK_MONOTONIC_COARSE ((clockid_t)6)
#endif
#ifndef CLOCK_BOOTTIME
#define CLOCK_BOOTTIME ((clockid_t)7)
#endif

#ifndef CLOCK_PROCESS_CPUTIME_ID
#define CLOCK_PROCESS_CPUTIME_ID ((clockid_t)2)
#endif
#ifndef CLOCK_THREAD_CPUTIME_ID
#define CLOCK_THREAD_CPUTIME_ID ((clockid_t)3)
#endif
int clock_getcpuclockid(pid_t pid, clockid_t *clock_id);

#if __BSD_VISIBLE || __GNU_VISIBLE
/* The inverse of gmtime (posix/libc/timegm.c). */
time_t timegm(struct tm *tm);
#endif

int clock_gettime(clockid_t clock_id, struct timespec *tp);
int clock_getres(clockid_t clock_id, struct timespec *res);
int nanosleep(const struct timespec *req, struct timespec *rem);
/* clock_nanosleep returns an error number (0 on success), as POSIX says. */
int clock_nanosleep(clockid_t clock_id, int flags, const struct timespec *req,
                    struct timespec *rem);

#ifdef __cplusplus
}
#endif

#endif
