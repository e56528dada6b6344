/* pthread_mutex.c - mutexes and condition variables (<pthread.h>) over kernel wait
 * queues. A mutex is its owner (a kernel struct thread), a depth for the recursive kind
 * and a wait queue. Unlocking with waiters hands the mutex to the first of them, so that
 * a thread that unlocks and relocks at once cannot starve them (nothing preempts it).
 * Timed operations take absolute times: CLOCK_REALTIME for mutexes, the condition
 * variable's clock (CLOCK_REALTIME unless pthread_condattr_setclock) for waits. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>

#include "posix/thread/pthread_internal.h"

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
	attr->__type = PTHREAD_MUTEX_DEFAULT;
	attr->__pshared = PTHREAD_PROCESS_PRIVATE;
	attr->__protocol = PTHREAD_PRIO_NONE;
	return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type)
{
	if (type != PTHREAD_MUTEX_NORMAL && type != PTHREAD_MUTEX_RECURSIVE &&
	    type != PTHREAD_MUTEX_ERRORCHECK)
		return EINVAL;
	attr->__type = type;
	return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type)
{
	*type = attr->__type;
	return 0;
}

/* One process per VM: a "shared" mutex is an ordinary one. */
int pthread_mutexattr_setpshared(pthread_mutexattr_t *attr, int pshared)
{
	return posix_set_pshared(&attr->__pshared, pshared);
}

int pthread_mutexattr_getpshared(const pthread_mutexattr_t *attr, int *pshared)
{
	*pshared = attr->__pshared;
	return 0;
}

/* Priorities do not exist here: every protocol behaves as PTHREAD_PRIO_NONE. */
int pthread_mutexattr_setprotocol(pthread_mutexattr_t *attr, int protocol)
{
	if (protocol != PTHREAD_PRIO_NONE && protocol != PTHREAD_PRIO_INHERIT &&
	    protocol != PTHREAD_PRIO_PROTECT)
		return EINVAL;
	attr->__protocol = protocol;
	return 0;
}

int pthread_mutexattr_getprotocol(const pthread_mutexattr_t *attr, int *protocol)
{
	*protocol = attr->__protocol;
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr)
{
	pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;

	if (attr)
		fresh.__type = attr->__type;
	*mutex = fresh;
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *mutex)
{
	if (mutex->__owner || posix_wq(&mutex->__waiters)->head)
		return EBUSY;
	return 0;
}

/* Lock @m: at once, or (unless @try) blocking until it is handed over or free, or until
 * @abstime on CLOCK_REALTIME (NULL: no limit). Returns 0 or an error number. */
static int mutex_acquire(pthread_mutex_t *m, const struct timespec *abstime, bool try)
{
	struct thread *self = thread_self();
	struct posix_deadline deadline, *d = NULL;

	if (m->__owner == self) {
		if (m->__type == PTHREAD_MUTEX_RECURSIVE) {
			if (m->__count == UINT_MAX)
				return EAGAIN;
			m->__count++;
			return 0;
		}
		if (try)
			return EBUSY;
		if (m->__type == PTHREAD_MUTEX_ERRORCHECK)
			return EDEADLK;
	} else if (!m->__owner) {
		m->__owner = self;
		m->__count = 1;
		return 0;
	} else if (try) {
		return EBUSY;
	}
	if (abstime) {
		if (posix_deadline_abs(&deadline, CLOCK_REALTIME, abstime))
			return EINVAL;
		d = &deadline;
	}
	if (m->__owner == self) {
		/* A normal mutex relocked by its owner: a deadlock, as on Linux. */
		static struct wait_queue never = WAIT_QUEUE_INIT;
		while (posix_wait(&never, d) == 0)
			;
		return ETIMEDOUT;
	}
	for (;;) {
		int err = posix_wait(posix_wq(&m->__waiters), d);
		if (m->__owner == self)
			return 0; /* handed over by the unlocking thread */
		if (!m->__owner) {
			m->__owner = self;
			m->__count = 1;
			return 0;
		}
		if (err == -ETIMEDOUT)
			return ETIMEDOUT;
	}
}

/* Release @m entirely: to its first waiter, or free. */
static void mutex_release(pthread_mutex_t *m)
{
	posix_wait_queue *wq = posix_wq(&m->__waiters);
	struct thread *next = wq->head;

	m->__owner = next;
	m->__count = next ? 1 : 0;
	if (next)
		wait_queue_wake_one(wq);
}

int pthread_mutex_lock(pthread_mutex_t *mutex)
{
	return mutex_acquire(mutex, NULL, false);
}

int pthread_mutex_trylock(pthread_mutex_t *mutex)
{
	return mutex_acquire(mutex, NULL, true);
}

int pthread_mutex_timedlock(pthread_mutex_t *mutex, const struct timespec *abstime)
{
	return mutex_acquire(mutex, abstime, false);
}

/* Recursive and error-checking mutexes must be unlocked by their owner (EPERM). A normal
 * one is released whoever unlocks it, and unlocking it when free does nothing (glibc). */
int pthread_mutex_unlock(pthread_mutex_t *mutex)
{
	if (mutex->__owner != thread_self()) {
		if (mutex->__type != PTHREAD_MUTEX_NORMAL)
			return EPERM;
		if (!mutex->__owner)
			return 0;
	} else if (mutex->__count > 1) {
		mutex->__count--;
		return 0;
	}
	mutex_release(mutex);
	return 0;
}

int pthread_condattr_init(pthread_condattr_t *attr)
{
	attr->__clock = CLOCK_REALTIME;
	attr->__pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock)
{
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
		return EINVAL;
	attr->__clock = (int)clock;
	return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock)
{
	*clock = (clockid_t)attr->__clock;
	return 0;
}

int pthread_condattr_setpshared(pthread_condattr_t *attr, int pshared)
{
	return posix_set_pshared(&attr->__pshared, pshared);
}

int pthread_condattr_getpshared(const pthread_condattr_t *attr, int *pshared)
{
	*pshared = attr->__pshared;
	return 0;
}

int pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr)
{
	pthread_cond_t fresh = PTHREAD_COND_INITIALIZER;

	fresh.__monotonic = attr && attr->__clock == (int)CLOCK_MONOTONIC;
	*cond = fresh;
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *cond)
{
	return posix_wq(&cond->__waiters)->head ? EBUSY : 0;
}

/* Release @m (held by the caller, at any depth), wait on @c until signalled or @d passes,
 * take @m back at the same depth. Nothing runs between the release and the wait: no
 * signal can be missed. A cancellation point: a cancel takes @m back first, so the
 * cleanup handlers run with it held. */
static int cond_wait(pthread_cond_t *c, pthread_mutex_t *m, const struct posix_deadline *d)
{
	if (m->__owner != thread_self())
		return EPERM;
	unsigned depth = m->__count;
	mutex_release(m);
	int err = posix_cancel_wait(posix_wq(&c->__waiters), d);
	mutex_acquire(m, NULL, false);
	m->__count = depth;
	if (err == -ECANCELED)
		posix_cancel_act();
	return err == -ETIMEDOUT ? ETIMEDOUT : 0;
}

int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
	return cond_wait(cond, mutex, NULL);
}

int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                           const struct timespec *abstime)
{
	struct posix_deadline d;

	if (posix_deadline_abs(&d, cond->__monotonic ? CLOCK_MONOTONIC : CLOCK_REALTIME, abstime))
		return EINVAL;
	return cond_wait(cond, mutex, &d);
}

int pthread_cond_signal(pthread_cond_t *cond)
{
	wait_queue_wake_one(posix_wq(&cond->__waiters));
	return 0;
}

int pthread_cond_broadcast(pthread_cond_t *cond)
{
	wait_queue_wake_all(posix_wq(&cond->__waiters));
	return 0;
}
