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
 * woken, -ETIMEDOUT once the clock has reached @d (never earlier), -EINTR when
 * thread_interrupt woke it (only posix_cancel_wait's waits). A return of 0 may also
 * mean a wake-up a little before the deadline: callers re-check what they wait for. */
int posix_wait(posix_wait_queue *wq, const struct posix_deadline *d);

/* posix_sleep - block until @d passes. Returns 0, or -EINTR as posix_wait. */
int posix_sleep(const struct posix_deadline *d);

/* Cancellation (posix/thread/cancel.c). Cancellation points call posix_cancel_point at
 * entry; blocking ones wait with posix_cancel_wait / _sleep (or bracket a kernel wait
 * with posix_cancel_begin / _end), which a pthread_cancel wakes, and on -ECANCELED put
 * back what they hold (a mutex, a file reference) and call posix_cancel_act.
 *
 * struct posix_cancel - a thread's cancellation state, in its record (pthread.c). */
struct posix_cancel {
	bool requested;    /* pthread_cancel was called */
	bool disabled;     /* PTHREAD_CANCEL_DISABLE */
	bool asynchronous; /* PTHREAD_CANCEL_ASYNCHRONOUS (acts at the same places) */
	bool blocked;      /* in a cancellable wait: pthread_cancel interrupts it */
};

/* posix_cancel_of - @thread's state and kernel thread (in @kt, may be NULL) if @thread
 * is a thread not yet joined or freed (it may have ended), else NULL (pthread.c). */
struct posix_cancel *posix_cancel_of(pthread_t thread, struct thread **kt);

/* posix_cancel_self_known - the caller's state if it has a record already (it is a
 * pthread or called one of the pthread calls), else NULL; creates none (pthread.c). */
struct posix_cancel *posix_cancel_self_known(void);

/* posix_cancel_hook_sockets - let a cancel end a wait inside a socket call (lwIP's
 * receive and accept queues, net/arch/sys_arch.h) of a thread blocked there between
 * posix_cancel_begin and posix_cancel_end; called once at start (posix/start.c). */
void posix_cancel_hook_sockets(void);

/* posix_cancel_pending - whether the caller has a cancel to act on now (requested and
 * enabled). */
bool posix_cancel_pending(void);

/* posix_cancel_act - end the caller as canceled: pthread_exit(PTHREAD_CANCELED). */
__attribute__((noreturn)) void posix_cancel_act(void);

/* posix_cancel_point - act on a pending cancel, else return. */
void posix_cancel_point(void);

/* posix_cancel_begin - act on a pending cancel, else mark the caller as blocked at a
 * cancellation point until posix_cancel_end: pthread_cancel then thread_interrupts it.
 * posix_cancel_end - leave that state; returns whether a cancel is pending (the caller
 * then cleans up and calls posix_cancel_act). */
void posix_cancel_begin(void);
bool posix_cancel_end(void);

/* posix_cancel_wait / posix_cancel_sleep - posix_wait / posix_sleep at a cancellation
 * point: act on a pending cancel first; return -ECANCELED (acting is the caller's) when
 * a cancel arrived during the wait, else what posix_wait / posix_sleep returned. */
int posix_cancel_wait(posix_wait_queue *wq, const struct posix_deadline *d);
int posix_cancel_sleep(const struct posix_deadline *d);

#endif
