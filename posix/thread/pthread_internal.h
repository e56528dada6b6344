/* pthread_internal.h - shared by the POSIX layer's threads, synchronisation objects,
 * semaphores and clocks (posix/pthread*.c, posix/thread/semaphore.c, posix/signal/time.c): the
 * kernel wait queue inside the public types, and deadlines on the POSIX clocks. */
#ifndef POSIX_PTHREAD_INTERNAL_H
#define POSIX_PTHREAD_INTERNAL_H

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "kernel/sched.h"

/* The public types' __waiters fields (<sys/_pthreadtypes.h>) are kernel wait queues: two
 * pointers in the same places (checked below), reached only through posix_wq. */
typedef struct wait_queue posix_wait_queue;

_Static_assert(sizeof(struct __pthread_waiters) == sizeof(struct wait_queue),
               "__pthread_waiters must have struct wait_queue's layout");
_Static_assert(offsetof(struct __pthread_waiters, __tail) == offsetof(struct wait_queue, tail),
               "__pthread_waiters must have struct wait_queue's layout");

static inline posix_wait_queue *posix_wq(struct __pthread_waiters *w)
{
	return (posix_wait_queue *)(void *)w;
}

/* Thread ids as Linux's: the main thread's is the process id (1), the others' the
 * kernel's thread number plus one. posix_thread_tid - @thread's id, 0 once it ended (or
 * for NULL). posix_thread_by_tid - the kernel thread of a thread that has not ended, the
 * caller included, or NULL. */
pid_t posix_thread_tid(pthread_t thread);
struct thread *posix_thread_by_tid(pid_t tid);

/* posix_set_pshared - store @pshared in an attribute's @field: 0, or EINVAL unless it is
 * PTHREAD_PROCESS_PRIVATE or _SHARED (one process per VM: both mean the same here). */
static inline int posix_set_pshared(int *field, int pshared)
{
	if (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED)
		return EINVAL;
	*field = pshared;
	return 0;
}

/* posix_thread_ended - whether @thread (a live or unjoined thread) has run pthread_exit
 * (posix/thread/pthread.c). */
bool posix_thread_ended(pthread_t thread);

/* A deadline: @ns nanoseconds on @clock (CLOCK_REALTIME or CLOCK_MONOTONIC). */
struct posix_deadline {
	clockid_t clock;
	uint64_t ns;
};

/* posix_deadline_abs - the absolute time @abs on @clock as a deadline. Returns 0, or
 * -EINVAL when abs->tv_nsec is not in [0, 1e9). Times before the epoch are past. */
int posix_deadline_abs(struct posix_deadline *d, clockid_t clock, const struct timespec *abs);

/* posix_deadline_passed - whether @d's clock has reached it. */
bool posix_deadline_passed(const struct posix_deadline *d);

/* posix_wait - block on @wq until woken or until @d (NULL: none) passes. Returns 0 when
 * woken, -ETIMEDOUT once the clock has reached @d (never earlier). A return of 0 may also
 * mean a wake-up a little before the deadline: callers re-check what they wait for. */
int posix_wait(posix_wait_queue *wq, const struct posix_deadline *d);

/* posix_sleep - block until @d passes. */
void posix_sleep(const struct posix_deadline *d);

#endif
