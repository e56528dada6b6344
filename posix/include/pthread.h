/* pthread.h - POSIX threads for VMOS applications, in place of newlib's pthread.h (which
 * declares nothing here: newlib's x86_64-elf build does not define _POSIX_THREADS).
 * The types are in <sys/_pthreadtypes.h> (this folder's, reached through <sys/types.h>);
 * the functions are in posix/thread/pthread.c (threads, keys, once), posix/thread/pthread_attr.c,
 * posix/thread/pthread_mutex.c (mutexes, condition variables) and posix/thread/pthread_rwlock.c
 * (read-write locks, barriers, spin locks), posix/thread/cancel.c (cancellation). Error numbers are
 * returned, as POSIX says, in newlib's numbering (<errno.h>).
 *
 * Threads are the kernel's cooperative threads (kernel/sched.h), one per stack slot:
 * a stack grows on demand up to the attribute's stack size (8 MiB by default); touching
 * below it stops the VM with "stack overflow in stack slot N". Waiting threads block in
 * the kernel on wait queues with TSC deadlines; nothing spins.
 *
 * Where cooperative scheduling differs observably from Linux:
 *  - No preemption and one CPU: a thread runs until it blocks (a lock, a condition
 *    variable, a semaphore, join, a sleep, I/O) or calls sched_yield(). A thread that
 *    busy-waits on a variable another thread sets, without blocking or yielding, hangs
 *    the VM; so does a thread that computes for long without blocking (others wait).
 *  - pthread_create() makes the new thread runnable; it first runs when the creator
 *    blocks or yields (Linux may run it at once on another CPU).
 *  - Unlocking a mutex that has waiters hands it to the first waiter (FIFO), so a thread
 *    that unlocks and relocks at once blocks behind it; semaphores and read-write locks
 *    wake waiters that then compete. Read-write locks prefer readers (glibc's default).
 *  - Timed waits and sleeps end at their deadline or later, never earlier; how much later
 *    depends on when the running thread next blocks.
 *  - pthread_exit() in main waits for the other threads to end, then calls exit(0)
 *    (atexit handlers run, stdio is flushed), as Linux does when the last thread ends.
 *  - Cancellation (posix/thread/cancel.c) is deferred, as Linux's default: a cancel acts
 *    at cancellation points (pthread_testcancel, condition waits, join, sem_wait, sleeps,
 *    pause/sigsuspend/sigwait*, poll/select/epoll_wait, read/write, accept/send/recv),
 *    and a thread blocked in one is woken. PTHREAD_CANCEL_ASYNCHRONOUS cannot interrupt
 *    a running thread: it acts at those points, in pthread_yield, and when it is set with
 *    a cancel pending. A thread waiting in accept, recv/recvfrom/recvmsg or read on a
 *    socket is woken too; one blocked inside lwIP's connect, or a send waiting for room,
 *    is not: the cancel acts when that call returns with an error, or at the next point.
 *    Cancellation does not unwind the stack (no C++ destructors): cleanup handlers and
 *    key destructors run, as in C on glibc.
 *  - Not provided: signals directed at one thread (the mask is the process's; pthread_kill
 *    to another thread sends a process signal: posix/signal/sigwait.c), process-shared
 *    objects other than in the one process (PTHREAD_PROCESS_SHARED is accepted: a VM runs
 *    one process), priorities (scheduling attributes are stored, not used), and a
 *    caller-supplied stack memory
 *    (pthread_attr_setstack's size is used, its address is not: threads run on stack
 *    slots). pthread_atfork's handlers never run: fork() fails with ENOSYS. */
#ifndef VMOS_PTHREAD_H
#define VMOS_PTHREAD_H

#include <sched.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef PTHREAD_STACK_MIN
#define PTHREAD_STACK_MIN 16384 /* mm/stack.h's STACK_MIN_BYTES */
#endif
#ifndef PTHREAD_KEYS_MAX
#define PTHREAD_KEYS_MAX 1024
#endif
#ifndef PTHREAD_DESTRUCTOR_ITERATIONS
#define PTHREAD_DESTRUCTOR_ITERATIONS 4
#endif

/* Values as in glibc, so that programs printing or storing them see the same numbers. */
#define PTHREAD_CREATE_JOINABLE 0
#define PTHREAD_CREATE_DETACHED 1

#define PTHREAD_INHERIT_SCHED  0
#define PTHREAD_EXPLICIT_SCHED 1

#define PTHREAD_SCOPE_SYSTEM  0
#define PTHREAD_SCOPE_PROCESS 1

#define PTHREAD_PROCESS_PRIVATE 0
#define PTHREAD_PROCESS_SHARED  1

#define PTHREAD_MUTEX_NORMAL     0
#define PTHREAD_MUTEX_RECURSIVE  1
#define PTHREAD_MUTEX_ERRORCHECK 2
#define PTHREAD_MUTEX_DEFAULT    PTHREAD_MUTEX_NORMAL

#define PTHREAD_PRIO_NONE    0
#define PTHREAD_PRIO_INHERIT 1
#define PTHREAD_PRIO_PROTECT 2

#define PTHREAD_CANCEL_ENABLE       0
#define PTHREAD_CANCEL_DISABLE      1
#define PTHREAD_CANCEL_DEFERRED     0
#define PTHREAD_CANCEL_ASYNCHRONOUS 1
#define PTHREAD_CANCELED            ((void *)-1)

#define PTHREAD_BARRIER_SERIAL_THREAD (-1)

#define PTHREAD_ONCE_INIT 0

#define PTHREAD_MUTEX_INITIALIZER                                                                  \
	{                                                                                          \
		0, 0, PTHREAD_MUTEX_NORMAL,                                                        \
		{                                                                                  \
			0, 0                                                                       \
		}                                                                                  \
	}
#define PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP                                                     \
	{                                                                                          \
		0, 0, PTHREAD_MUTEX_RECURSIVE,                                                     \
		{                                                                                  \
			0, 0                                                                       \
		}                                                                                  \
	}
#define PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP                                                    \
	{                                                                                          \
		0, 0, PTHREAD_MUTEX_ERRORCHECK,                                                    \
		{                                                                                  \
			0, 0                                                                       \
		}                                                                                  \
	}
#define PTHREAD_COND_INITIALIZER                                                                   \
	{                                                                                          \
		{0, 0}, 0                                                                          \
	}
#define PTHREAD_RWLOCK_INITIALIZER                                                                 \
	{                                                                                          \
		0, 0, {0, 0},                                                                      \
		{                                                                                  \
			0, 0                                                                       \
		}                                                                                  \
	}

/* Threads */
int pthread_create(pthread_t *__restrict thread, const pthread_attr_t *__restrict attr,
                   void *(*start)(void *), void *__restrict arg);
int pthread_join(pthread_t thread, void **retval);
int pthread_detach(pthread_t thread);
pthread_t pthread_self(void);
int pthread_equal(pthread_t a, pthread_t b);
void pthread_exit(void *retval) __attribute__((__noreturn__));
int pthread_once(pthread_once_t *once, void (*init)(void));
int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void));
int pthread_cancel(pthread_t thread);
int pthread_setcancelstate(int state, int *oldstate);
int pthread_setcanceltype(int type, int *oldtype);
void pthread_testcancel(void);
int pthread_getconcurrency(void);
int pthread_setconcurrency(int level);
int pthread_setschedparam(pthread_t thread, int policy, const struct sched_param *param);
int pthread_getschedparam(pthread_t thread, int *__restrict policy,
                          struct sched_param *__restrict param);
#if __GNU_VISIBLE
int pthread_setname_np(pthread_t thread, const char *name);
int pthread_getname_np(pthread_t thread, char *name, size_t len);
int pthread_yield(void);
/* One CPU (posix/proc/affinity.c): masks must hold CPU 0. */
int pthread_setaffinity_np(pthread_t thread, size_t cpusetsize, const cpu_set_t *cpuset);
int pthread_getaffinity_np(pthread_t thread, size_t cpusetsize, cpu_set_t *cpuset);
#endif
/* The thread's CPU-time clock (posix/proc/cputime.c). */
int pthread_getcpuclockid(pthread_t thread, clockid_t *clock_id);

/* Thread attributes */
int pthread_attr_init(pthread_attr_t *attr);
int pthread_attr_destroy(pthread_attr_t *attr);
int pthread_attr_setdetachstate(pthread_attr_t *attr, int state);
int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state);
int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size);
int pthread_attr_getstacksize(const pthread_attr_t *__restrict attr, size_t *__restrict size);
int pthread_attr_setstack(pthread_attr_t *attr, void *addr, size_t size);
int pthread_attr_getstack(const pthread_attr_t *__restrict attr, void **__restrict addr,
                          size_t *__restrict size);
int pthread_attr_setguardsize(pthread_attr_t *attr, size_t size);
int pthread_attr_getguardsize(const pthread_attr_t *__restrict attr, size_t *__restrict size);
int pthread_attr_setscope(pthread_attr_t *attr, int scope);
int pthread_attr_getscope(const pthread_attr_t *__restrict attr, int *__restrict scope);
int pthread_attr_setinheritsched(pthread_attr_t *attr, int inherit);
int pthread_attr_getinheritsched(const pthread_attr_t *__restrict attr, int *__restrict inherit);
int pthread_attr_setschedpolicy(pthread_attr_t *attr, int policy);
int pthread_attr_getschedpolicy(const pthread_attr_t *__restrict attr, int *__restrict policy);
int pthread_attr_setschedparam(pthread_attr_t *__restrict attr,
                               const struct sched_param *__restrict param);
int pthread_attr_getschedparam(const pthread_attr_t *__restrict attr,
                               struct sched_param *__restrict param);

/* Cleanup handlers: run by pthread_exit (newest first) or by pthread_cleanup_pop(1). */
struct __pthread_cleanup {
	void (*__routine)(void *);
	void *__arg;
	struct __pthread_cleanup *__previous;
};
void __pthread_cleanup_push(struct __pthread_cleanup *frame, void (*routine)(void *), void *arg);
void __pthread_cleanup_pop(struct __pthread_cleanup *frame, int execute);
#define pthread_cleanup_push(routine, arg)                                                         \
	do {                                                                                       \
		struct __pthread_cleanup __pthread_cleanup_frame;                                  \
	__pthread_cleanup_push(&__pthread_cleanup_frame, (routine), (arg))
#define pthread_cleanup_pop(execute)                                                               \
	__pthread_cleanup_pop(&__pthread_cleanup_frame, (execute));                                \
	}                                                                                          \
	while (0)

/* Thread-specific data */
int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int pthread_key_delete(pthread_key_t key);
void *pthread_getspecific(pthread_key_t key);
int pthread_setspecific(pthread_key_t key, const void *value);

/* Mutexes */
int pthread_mutexattr_init(pthread_mutexattr_t *attr);
int pthread_mutexattr_destroy(pthread_mutexattr_t *attr);
int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type);
int pthread_mutexattr_gettype(const pthread_mutexattr_t *__restrict attr, int *__restrict type);
int pthread_mutexattr_setpshared(pthread_mutexattr_t *attr, int pshared);
int pthread_mutexattr_getpshared(const pthread_mutexattr_t *__restrict attr,
                                 int *__restrict pshared);
int pthread_mutexattr_setprotocol(pthread_mutexattr_t *attr, int protocol);
int pthread_mutexattr_getprotocol(const pthread_mutexattr_t *__restrict attr,
                                  int *__restrict protocol);
int pthread_mutex_init(pthread_mutex_t *__restrict mutex,
                       const pthread_mutexattr_t *__restrict attr);
int pthread_mutex_destroy(pthread_mutex_t *mutex);
int pthread_mutex_lock(pthread_mutex_t *mutex);
int pthread_mutex_trylock(pthread_mutex_t *mutex);
int pthread_mutex_timedlock(pthread_mutex_t *__restrict mutex,
                            const struct timespec *__restrict abstime);
int pthread_mutex_unlock(pthread_mutex_t *mutex);

/* Condition variables */
int pthread_condattr_init(pthread_condattr_t *attr);
int pthread_condattr_destroy(pthread_condattr_t *attr);
int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock);
int pthread_condattr_getclock(const pthread_condattr_t *__restrict attr,
                              clockid_t *__restrict clock);
int pthread_condattr_setpshared(pthread_condattr_t *attr, int pshared);
int pthread_condattr_getpshared(const pthread_condattr_t *__restrict attr, int *__restrict pshared);
int pthread_cond_init(pthread_cond_t *__restrict cond, const pthread_condattr_t *__restrict attr);
int pthread_cond_destroy(pthread_cond_t *cond);
int pthread_cond_wait(pthread_cond_t *__restrict cond, pthread_mutex_t *__restrict mutex);
int pthread_cond_timedwait(pthread_cond_t *__restrict cond, pthread_mutex_t *__restrict mutex,
                           const struct timespec *__restrict abstime);
int pthread_cond_signal(pthread_cond_t *cond);
int pthread_cond_broadcast(pthread_cond_t *cond);

/* Read-write locks */
int pthread_rwlockattr_init(pthread_rwlockattr_t *attr);
int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr);
int pthread_rwlockattr_setpshared(pthread_rwlockattr_t *attr, int pshared);
int pthread_rwlockattr_getpshared(const pthread_rwlockattr_t *__restrict attr,
                                  int *__restrict pshared);
int pthread_rwlock_init(pthread_rwlock_t *__restrict rwlock,
                        const pthread_rwlockattr_t *__restrict attr);
int pthread_rwlock_destroy(pthread_rwlock_t *rwlock);
int pthread_rwlock_rdlock(pthread_rwlock_t *rwlock);
int pthread_rwlock_wrlock(pthread_rwlock_t *rwlock);
int pthread_rwlock_tryrdlock(pthread_rwlock_t *rwlock);
int pthread_rwlock_trywrlock(pthread_rwlock_t *rwlock);
int pthread_rwlock_timedrdlock(pthread_rwlock_t *__restrict rwlock,
                               const struct timespec *__restrict abstime);
int pthread_rwlock_timedwrlock(pthread_rwlock_t *__restrict rwlock,
                               const struct timespec *__restrict abstime);
int pthread_rwlock_unlock(pthread_rwlock_t *rwlock);

/* Barriers */
int pthread_barrierattr_init(pthread_barrierattr_t *attr);
int pthread_barrierattr_destroy(pthread_barrierattr_t *attr);
int pthread_barrierattr_setpshared(pthread_barrierattr_t *attr, int pshared);
int pthread_barrierattr_getpshared(const pthread_barrierattr_t *__restrict attr,
                                   int *__restrict pshared);
int pthread_barrier_init(pthread_barrier_t *__restrict barrier,
                         const pthread_barrierattr_t *__restrict attr, unsigned int count);
int pthread_barrier_destroy(pthread_barrier_t *barrier);
int pthread_barrier_wait(pthread_barrier_t *barrier);

/* Spin locks: on one cooperative CPU a contended one blocks instead of spinning. */
int pthread_spin_init(pthread_spinlock_t *lock, int pshared);
int pthread_spin_destroy(pthread_spinlock_t *lock);
int pthread_spin_lock(pthread_spinlock_t *lock);
int pthread_spin_trylock(pthread_spinlock_t *lock);
int pthread_spin_unlock(pthread_spinlock_t *lock);

#ifdef __cplusplus
}
#endif

#endif
