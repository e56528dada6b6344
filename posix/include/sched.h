/* sched.h - newlib's <sched.h> plus sched_yield, which newlib declares only with
 * _POSIX_THREADS or _POSIX_PRIORITY_SCHEDULING. It is the kernel's own sched_yield
 * (kernel/sched.h): the caller lets every other runnable thread run once. */
#include_next <sched.h>

#ifndef VMOS_SCHED_H
#define VMOS_SCHED_H

#ifdef __cplusplus
extern "C" {
#endif

int sched_yield(void);

#ifdef __cplusplus
}
#endif

#endif
