/* time.h - newlib's <time.h> plus what VMOS provides beyond it (posix/signal/time.c): newlib
 * declares clock_gettime, clock_getres and nanosleep only with _POSIX_TIMERS, and
 * CLOCK_MONOTONIC only with _POSIX_MONOTONIC_CLOCK, which its x86_64-elf build does not
 * define; nor the POSIX timers (timer_create and friends, posix/signal/timers.c).
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

#if __SVID_VISIBLE || __XSI_VISIBLE
/* glibc's names for newlib's _timezone and _daylight, set by tzset (the image's linker
 * script makes them the same objects, kernel/kernel.ld). */
extern long timezone;
extern int daylight;
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
/* For timerfd_create only (posix/fd/timerfd.c): the clock_* calls refuse them. */
#ifndef CLOCK_REALTIME_ALARM
#define CLOCK_REALTIME_ALARM ((clockid_t)8)
#endif
#ifndef CLOCK_BOOTTIME_ALARM
#define CLOCK_BOOTTIME_ALARM ((clockid_t)9)
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

/* POSIX timers on CLOCK_REALTIME, CLOCK_MONOTONIC and CLOCK_BOOTTIME (struct sigevent is
 * in <signal.h>). */
struct sigevent;
int timer_create(clockid_t clock_id, struct sigevent *__restrict evp, timer_t *__restrict timerid);
int timer_delete(timer_t timerid);
int timer_settime(timer_t timerid, int flags, const struct itimerspec *__restrict value,
                  struct itimerspec *__restrict ovalue);
int timer_gettime(timer_t timerid, struct itimerspec *value);
int timer_getoverrun(timer_t timerid);

#ifdef __cplusplus
}
#endif

#endif
