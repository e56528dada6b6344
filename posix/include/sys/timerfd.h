/* sys/timerfd.h - timers as descriptors (missing from newlib), Linux's values;
 * posix/fd/timerfd.c implements them. Clocks: CLOCK_REALTIME, CLOCK_MONOTONIC and
 * CLOCK_BOOTTIME (the monotonic clock: a VM is never suspended). */
#ifndef VMOS_SYS_TIMERFD_H
#define VMOS_SYS_TIMERFD_H

#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TFD_TIMER_ABSTIME       (1 << 0)
#define TFD_TIMER_CANCEL_ON_SET (1 << 1)
#define TFD_NONBLOCK            00004000
#define TFD_CLOEXEC             02000000

int timerfd_create(int clockid, int flags);
int timerfd_settime(int fd, int flags, const struct itimerspec *new_value,
                    struct itimerspec *old_value);
int timerfd_gettime(int fd, struct itimerspec *curr_value);

#ifdef __cplusplus
}
#endif

#endif
