/* pthread_rwlock.c - read-write locks, barriers and spin locks (<pthread.h>) over kernel
 * wait queues. Read-write locks prefer readers, like glibc's default: a reader gets in
 * whenever no writer holds the lock, so a thread's nested read locks never deadlock.
 * Waiters woken when the lock frees compete for it and wait again if they lose. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>

#include "posix/thread/pthread_internal.h"

int pthread_rwlockattr_init(pthread_rwlockattr_t *attr)
{
	attr->__pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_rwlockattr_setpshared(pthread_rwlockattr_t *attr, int pshared)
{
	return posix_set_pshared(&attr->__pshared, pshared);
}

int pthread_rwlockattr_getpshared(const pthread_rwlockattr_t *attr, int *pshared)
{
	*pshared = attr->__pshared;
	return 0;
}

int pthread_rwlock_init(pthread_rwlock_t *rwlock, const pthread_rwlockattr_t *attr)
{
	pthread_rwlock_t fresh = PTHREAD_RWLOCK_INITIALIZER;

	(void)attr;
	*rwlock = fresh;
	return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *rwlock)
{
	return rwlock->__writer || rwlock->__readers ? EBUSY : 0;
}

static bool busy_for(const pthread_rwlock_t *rw, bool writer)
{
	return rw->__writer || (writer && rw->__readers);
}

/* Take @rw for reading or writing: at once, or (unless @try) after blocking until it is
 * free enough or @abstime on CLOCK_REALTIME passes (NULL: no limit). */
static int rwlock_acquire(pthread_rwlock_t *rw, bool writer, const struct timespec *abstime,
                          bool try)
{
	struct posix_deadline deadline, *d = NULL;
	posix_wait_queue *wq = posix_wq(writer ? &rw->__writers_waiting : &rw->__readers_waiting);

	if (rw->__writer == thread_self())
		return try ? EBUSY : EDEADLK;
	if (busy_for(rw, writer)) {
		if (try)
			return EBUSY;
		if (abstime) {
			if (posix_deadline_abs(&deadline, CLOCK_REALTIME, abstime))
				return EINVAL;
			d = &deadline;
		}
		while (busy_for(rw, writer))
			if (posix_wait(wq, d) == -ETIMEDOUT && busy_for(rw, writer))
				return ETIMEDOUT;
	}
	if (writer) {
		rw->__writer = thread_self();
	} else {
		if (rw->__readers == UINT_MAX)
			return EAGAIN;
		rw->__readers++;
	}
	return 0;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *rwlock)
{
	return rwlock_acquire(rwlock, false, NULL, false);
}

int pthread_rwlock_wrlock(pthread_rwlock_t *rwlock)
{
	return rwlock_acquire(rwlock, true, NULL, false);
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *rwlock)
{
	return rwlock_acquire(rwlock, false, NULL, true);
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *rwlock)
{
	return rwlock_acquire(rwlock, true, NULL, true);
}

int pthread_rwlock_timedrdlock(pthread_rwlock_t *rwlock, const struct timespec *abstime)
{
	return rwlock_acquire(rwlock, false, abstime, false);
}

int pthread_rwlock_timedwrlock(pthread_rwlock_t *rwlock, const struct timespec *abstime)
{
	return rwlock_acquire(rwlock, true, abstime, false);
}

/* The writer's unlock, or one reader's (readers are not told apart: EPERM only when
 * nobody holds the lock). Once no writer holds it every waiting reader may go in; once
 * nobody does, one waiting writer. */
int pthread_rwlock_unlock(pthread_rwlock_t *rwlock)
{
	if (rwlock->__writer == thread_self())
		rwlock->__writer = NULL;
	else if (rwlock->__readers)
		rwlock->__readers--;
	else
		return EPERM;
	if (!rwlock->__writer) {
		wait_queue_wake_all(posix_wq(&rwlock->__readers_waiting));
		if (!rwlock->__readers)
			wait_queue_wake_one(posix_wq(&rwlock->__writers_waiting));
	}
	return 0;
}

int pthread_barrierattr_init(pthread_barrierattr_t *attr)
{
	attr->__pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_barrierattr_destroy(pthread_barrierattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_barrierattr_setpshared(pthread_barrierattr_t *attr, int pshared)
{
	return posix_set_pshared(&attr->__pshared, pshared);
}

int pthread_barrierattr_getpshared(const pthread_barrierattr_t *attr, int *pshared)
{
	*pshared = attr->__pshared;
	return 0;
}

int pthread_barrier_init(pthread_barrier_t *barrier, const pthread_barrierattr_t *attr,
                         unsigned int count)
{
	(void)attr;
	if (count == 0)
		return EINVAL;
	barrier->__count = count;
	barrier->__arrived = 0;
	barrier->__cycle = 0;
	barrier->__waiters.__head = barrier->__waiters.__tail = NULL;
	return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *barrier)
{
	return barrier->__arrived ? EBUSY : 0;
}

/* The last thread to arrive releases the others and gets PTHREAD_BARRIER_SERIAL_THREAD. */
int pthread_barrier_wait(pthread_barrier_t *barrier)
{
	posix_wait_queue *wq = posix_wq(&barrier->__waiters);

	if (++barrier->__arrived == barrier->__count) {
		barrier->__arrived = 0;
		barrier->__cycle++;
		wait_queue_wake_all(wq);
		return PTHREAD_BARRIER_SERIAL_THREAD;
	}
	unsigned cycle = barrier->__cycle;
	while (barrier->__cycle == cycle)
		wait_queue_wait(wq, 0);
	return 0;
}

/* Spin locks: a contended one blocks (on one queue shared by all spin locks) rather than
 * spinning, which on one cooperative CPU would never let the holder run. */
static struct wait_queue spin_waiters = WAIT_QUEUE_INIT;

int pthread_spin_init(pthread_spinlock_t *lock, int pshared)
{
	(void)pshared;
	*lock = 0;
	return 0;
}

int pthread_spin_destroy(pthread_spinlock_t *lock)
{
	(void)lock;
	return 0;
}

int pthread_spin_lock(pthread_spinlock_t *lock)
{
	while (*lock)
		wait_queue_wait(&spin_waiters, 0);
	*lock = 1;
	return 0;
}

int pthread_spin_trylock(pthread_spinlock_t *lock)
{
	if (*lock)
		return EBUSY;
	*lock = 1;
	return 0;
}

int pthread_spin_unlock(pthread_spinlock_t *lock)
{
	*lock = 0;
	wait_queue_wake_all(&spin_waiters);
	return 0;
}
