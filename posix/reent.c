/* reent.c - newlib's per-thread state and locks over the kernel's scheduler.
 * Each thread gets its own struct _reent (errno, strtok state...) on first use; the boot
 * thread uses newlib's global one. Locks are cooperative: a holder keeps running until it
 * blocks, so a lock only needs an owner, a depth and a wait queue. */
#include <stdlib.h>
#include <sys/lock.h>
#include <sys/reent.h>

#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "posix/posix.h"

/* A thread's C library state: newlib's, then ours. posix/thread/pthread.c frees it as a
 * struct _reent, so that comes first. */
struct posix_reent {
	struct _reent newlib;
	char text[POSIX_THREAD_TEXT_SIZE];
};

static char boot_thread_text[POSIX_THREAD_TEXT_SIZE];

struct _reent *__getreent(void)
{
	struct posix_reent *r = thread_local_get();

	if (r)
		return &r->newlib;
	if (thread_id(thread_self()) == 0)
		return _global_impure_ptr;
	/* First use on a new thread: its own state, from the global one's allocator. */
	r = _malloc_r(_global_impure_ptr, sizeof(*r));
	if (!r)
		panic("posix: no memory for a thread's C library state");
	_REENT_INIT_PTR(&r->newlib);
	r->text[0] = '\0';
	thread_local_set(thread_self(), r);
	return &r->newlib;
}

char *posix_thread_text(void)
{
	struct _reent *r = __getreent();

	if (r == _global_impure_ptr)
		return boot_thread_text;
	return ((struct posix_reent *)r)->text;
}

struct __lock {
	struct thread *owner;
	unsigned depth;
	struct wait_queue waiters;
};

/* The lock objects newlib's own code names (sys/lock.h: __LOCK_INIT). */
struct __lock __lock___sinit_recursive_mutex, __lock___sfp_recursive_mutex,
    __lock___atexit_recursive_mutex, __lock___malloc_recursive_mutex, __lock___env_recursive_mutex,
    __lock___at_quick_exit_mutex, __lock___tz_mutex, __lock___arc4random_mutex;

static void lock_acquire(struct __lock *lock, int recursive)
{
	struct thread *self = thread_self();

	if (lock->owner == self) {
		if (!recursive)
			panic("posix: a thread took a non-recursive C library lock twice");
		lock->depth++;
		return;
	}
	while (lock->owner)
		wait_queue_wait(&lock->waiters, 0);
	lock->owner = self;
	lock->depth = 1;
}

static int lock_try(struct __lock *lock, int recursive)
{
	struct thread *self = thread_self();

	if (lock->owner == self && recursive) {
		lock->depth++;
		return 0;
	}
	if (lock->owner)
		return -1;
	lock->owner = self;
	lock->depth = 1;
	return 0;
}

static void lock_release(struct __lock *lock)
{
	if (lock->owner != thread_self())
		panic("posix: a C library lock released by a thread that does not hold it");
	if (--lock->depth == 0) {
		lock->owner = NULL;
		wait_queue_wake_one(&lock->waiters);
	}
}

static void lock_new(_LOCK_T *lock)
{
	*lock = calloc(1, sizeof(struct __lock));
	if (!*lock)
		panic("posix: no memory for a C library lock");
}

void __retarget_lock_init(_LOCK_T *lock)
{
	lock_new(lock);
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	lock_new(lock);
}

void __retarget_lock_close(_LOCK_T lock)
{
	free(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	free(lock);
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	lock_acquire(lock, 0);
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	lock_acquire(lock, 1);
}

int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return lock_try(lock, 0);
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	return lock_try(lock, 1);
}

void __retarget_lock_release(_LOCK_T lock)
{
	lock_release(lock);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	lock_release(lock);
}
