/* semaphore.c - POSIX unnamed semaphores (<semaphore.h>): a count and a kernel wait
 * queue. sem_post wakes one waiter, which takes the count if no running thread took it
 * first (then it waits again); sem_timedwait's deadline is on CLOCK_REALTIME. Errors are
 * -1 with errno, as POSIX says. */
#include <errno.h>
#include <semaphore.h>

#include "posix/posix.h"
#include "posix/thread/pthread_internal.h"

int sem_init(sem_t *sem, int pshared, unsigned int value)
{
	(void)pshared; /* one process per VM: shared or not is the same */
	if (value > SEM_VALUE_MAX)
		return (int)posix_result(-EINVAL);
	sem->__value = value;
	sem->__waiters.__head = sem->__waiters.__tail = NULL;
	return 0;
}

int sem_destroy(sem_t *sem)
{
	(void)sem;
	return 0;
}

/* Take one from @sem: at once, or (unless @try) after blocking until there is one or
 * @abstime passes (NULL: no limit). Returns 0 or -errno. */
static int sem_take(sem_t *sem, const struct timespec *abstime, bool try)
{
	struct posix_deadline deadline, *d = NULL;

	if (!sem->__value) {
		if (try)
			return -EAGAIN;
		if (abstime) {
			if (posix_deadline_abs(&deadline, CLOCK_REALTIME, abstime))
				return -EINVAL;
			d = &deadline;
		}
		while (!sem->__value) {
			int err = posix_cancel_wait(posix_wq(&sem->__waiters), d);
			if (err == -ECANCELED)
				posix_cancel_act();
			if (err == -ETIMEDOUT && !sem->__value)
				return -ETIMEDOUT;
		}
	}
	sem->__value--;
	return 0;
}

int sem_wait(sem_t *sem)
{
	return (int)posix_result(sem_take(sem, NULL, false));
}

int sem_trywait(sem_t *sem)
{
	return (int)posix_result(sem_take(sem, NULL, true));
}

int sem_timedwait(sem_t *sem, const struct timespec *abstime)
{
	return (int)posix_result(sem_take(sem, abstime, false));
}

int sem_post(sem_t *sem)
{
	if (sem->__value == SEM_VALUE_MAX)
		return (int)posix_result(-EOVERFLOW);
	sem->__value++;
	wait_queue_wake_one(posix_wq(&sem->__waiters));
	return 0;
}

int sem_getvalue(sem_t *sem, int *value)
{
	*value = (int)sem->__value;
	return 0;
}
