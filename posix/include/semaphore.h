/* semaphore.h - POSIX unnamed semaphores (posix/thread/semaphore.c); newlib has no such header.
 * A semaphore is a count and a kernel wait queue: sem_wait blocks in the kernel while the
 * count is 0. Named semaphores (sem_open) are not provided. Functions return 0 or -1 with
 * errno set, as POSIX says. */
#ifndef VMOS_SEMAPHORE_H
#define VMOS_SEMAPHORE_H

#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SEM_VALUE_MAX 2147483647
#define SEM_FAILED    ((sem_t *)0)

typedef struct {
	unsigned int __value;
	struct __pthread_waiters __waiters; /* the kernel's struct wait_queue */
} sem_t;

int sem_init(sem_t *sem, int pshared, unsigned int value);
int sem_destroy(sem_t *sem);
int sem_wait(sem_t *sem);
int sem_trywait(sem_t *sem);
int sem_timedwait(sem_t *__restrict sem, const struct timespec *__restrict abstime);
int sem_post(sem_t *sem);
int sem_getvalue(sem_t *__restrict sem, int *__restrict value);

#ifdef __cplusplus
}
#endif

#endif
