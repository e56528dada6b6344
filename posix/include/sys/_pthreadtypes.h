/* sys/_pthreadtypes.h - VMOS's POSIX thread types, in place of newlib's header of the same
 * name (newlib's <sys/types.h> includes it; this folder is searched first). newlib's types
 * are 32-bit handles meant for RTEMS; these are plain structures that posix/pthread*.c
 * and posix/thread/semaphore.c work on directly, so static initialisers need no allocation.
 * The fields are private: two-pointer __waiters fields are the kernel's struct wait_queue
 * (kernel/sched.h), owners are kernel struct thread pointers. Constants and functions are
 * in <pthread.h>. */
#ifndef _SYS__PTHREADTYPES_H_
#define _SYS__PTHREADTYPES_H_

#define __need_size_t
#include <stddef.h>
#include <sys/sched.h>

/* A thread: the address of its record in the POSIX layer (an integer, as in glibc). */
typedef unsigned long pthread_t;

typedef struct {
	int __detachstate;
	int __scope;
	int __inheritsched;
	int __schedpolicy;
	struct sched_param __schedparam;
	size_t __stacksize;
	size_t __guardsize;
	void *__stackaddr;
} pthread_attr_t;

struct __pthread_waiters {
	void *__head;
	void *__tail;
};

typedef struct {
	void *__owner; /* struct thread *, NULL when unlocked */
	unsigned int __count;
	int __type;
	struct __pthread_waiters __waiters;
} pthread_mutex_t;

typedef struct {
	int __type;
	int __pshared;
	int __protocol;
} pthread_mutexattr_t;

typedef struct {
	struct __pthread_waiters __waiters;
	int __monotonic; /* deadlines on CLOCK_MONOTONIC instead of CLOCK_REALTIME */
} pthread_cond_t;

typedef struct {
	int __clock;
	int __pshared;
} pthread_condattr_t;

typedef int pthread_once_t;
typedef unsigned int pthread_key_t;

typedef struct {
	void *__writer; /* struct thread *, NULL when no writer holds it */
	unsigned int __readers;
	struct __pthread_waiters __readers_waiting;
	struct __pthread_waiters __writers_waiting;
} pthread_rwlock_t;

typedef struct {
	int __pshared;
} pthread_rwlockattr_t;

typedef struct {
	unsigned int __count;
	unsigned int __arrived;
	unsigned int __cycle;
	struct __pthread_waiters __waiters;
} pthread_barrier_t;

typedef struct {
	int __pshared;
} pthread_barrierattr_t;

typedef volatile int pthread_spinlock_t;

#endif
