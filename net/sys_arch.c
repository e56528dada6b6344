/* sys_arch.c - lwIP's operating-system layer over the kernel's cooperative scheduler
 * (kernel/sched.h): time, semaphores, mutexes, mailboxes and threads. A waiter blocks on
 * a kernel wait queue (with a TSC deadline when lwIP gives a timeout), so other threads
 * run and an idle system halts. Nothing here is called from interrupt handlers, and no
 * thread is preempted, so the objects need no further locking. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "kernel/clock.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "lwip/opt.h"
#include "lwip/priv/tcpip_priv.h"
#include "lwip/sys.h"

#define NS_PER_MS 1000000ull

void sys_init(void)
{
}

u32_t sys_now(void)
{
	return (u32_t)(clock_monotonic_ns() / NS_PER_MS);
}

u32_t sys_jiffies(void)
{
	return sys_now();
}

/* The TSC deadline @ms milliseconds from now; 0 (no deadline) for @ms == 0. */
static uint64_t deadline_in(u32_t ms)
{
	if (ms == 0)
		return 0;
	return clock_ns_to_tsc(clock_monotonic_ns() + (uint64_t)ms * NS_PER_MS) + 1;
}

/* Milliseconds since @start_ns (what the sys_arch_*_wait calls return). */
static u32_t waited_ms(uint64_t start_ns)
{
	return (u32_t)((clock_monotonic_ns() - start_ns) / NS_PER_MS);
}

void vmos_lwip_assert(const char *msg, int line, const char *file)
{
	panic("lwIP assertion \"%s\" failed at %s:%d", msg, file, line);
}

void vmos_lwip_assert_core_locked(void)
{
	/* Before tcpip_init creates the lock, lwip_init runs alone. */
	if (sys_mutex_valid(&lock_tcpip_core) && !lock_tcpip_core.locked)
		panic("lwIP: the core is used without the tcpip core lock");
}

unsigned vmos_lwip_rand(void)
{
	unsigned v;

	if (getentropy(&v, sizeof(v)) != 0)
		v = (unsigned)rand();
	return v;
}

/* ---- semaphores ---- */

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
	sem->valid = true;
	sem->count = count;
	sem->waiters.head = sem->waiters.tail = NULL;
	return ERR_OK;
}

void sys_sem_signal(sys_sem_t *sem)
{
	sem->count++;
	wait_queue_wake_one(&sem->waiters);
}

u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout)
{
	uint64_t start = clock_monotonic_ns();
	uint64_t deadline = deadline_in(timeout);

	while (sem->count == 0)
		if (wait_queue_wait(&sem->waiters, deadline) == -ETIMEDOUT && sem->count == 0)
			return SYS_ARCH_TIMEOUT;
	sem->count--;
	return waited_ms(start);
}

void sys_sem_free(sys_sem_t *sem)
{
	sem->valid = false;
}

/* ---- mutexes (the tcpip core lock among them): never held across a block by lwIP ---- */

err_t sys_mutex_new(sys_mutex_t *mutex)
{
	mutex->valid = true;
	mutex->locked = false;
	mutex->waiters.head = mutex->waiters.tail = NULL;
	return ERR_OK;
}

void sys_mutex_lock(sys_mutex_t *mutex)
{
	while (mutex->locked)
		wait_queue_wait(&mutex->waiters, 0);
	mutex->locked = true;
}

void sys_mutex_unlock(sys_mutex_t *mutex)
{
	mutex->locked = false;
	if (mutex->waiters.head)
		wait_queue_wake_one(&mutex->waiters);
}

static void (*core_unlock_hook)(void);
static uint64_t core_locked_ns; /* when the core lock was taken */

void vmos_set_core_unlock_hook(void (*fn)(void))
{
	core_unlock_hook = fn;
}

void vmos_lock_tcpip_core(void)
{
	sys_mutex_lock(&lock_tcpip_core);
	core_locked_ns = clock_monotonic_ns();
}

uint64_t vmos_core_lock_held_ns(void)
{
	if (!lock_tcpip_core.locked)
		return 0;
	return clock_monotonic_ns() - core_locked_ns;
}

void vmos_unlock_tcpip_core(void)
{
	if (core_unlock_hook)
		core_unlock_hook();
	sys_mutex_unlock(&lock_tcpip_core);
}

void sys_mutex_free(sys_mutex_t *mutex)
{
	mutex->valid = false;
}

/* ---- mailboxes: a ring of @size messages ---- */

err_t sys_mbox_new(sys_mbox_t *mbox, int size)
{
	if (size <= 0)
		size = 256;
	mbox->slots = calloc((size_t)size, sizeof(void *));
	if (!mbox->slots)
		return ERR_MEM;
	mbox->size = (unsigned)size;
	mbox->head = mbox->used = 0;
	mbox->not_empty.head = mbox->not_empty.tail = NULL;
	mbox->not_full.head = mbox->not_full.tail = NULL;
	return ERR_OK;
}

static void mbox_put(sys_mbox_t *mbox, void *msg)
{
	mbox->slots[(mbox->head + mbox->used) % mbox->size] = msg;
	mbox->used++;
	wait_queue_wake_one(&mbox->not_empty);
}

static void *mbox_take(sys_mbox_t *mbox)
{
	void *msg = mbox->slots[mbox->head];

	mbox->head = (mbox->head + 1) % mbox->size;
	mbox->used--;
	wait_queue_wake_one(&mbox->not_full);
	return msg;
}

void sys_mbox_post(sys_mbox_t *mbox, void *msg)
{
	while (mbox->used == mbox->size)
		wait_queue_wait(&mbox->not_full, 0);
	mbox_put(mbox, msg);
}

err_t sys_mbox_trypost(sys_mbox_t *mbox, void *msg)
{
	if (mbox->used == mbox->size)
		return ERR_MEM;
	mbox_put(mbox, msg);
	return ERR_OK;
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t *mbox, void *msg)
{
	return sys_mbox_trypost(mbox, msg);
}

static bool (*fetch_abandoned)(void);

void vmos_set_mbox_abandon_hook(bool (*fn)(void))
{
	fetch_abandoned = fn;
}

/* A wait that thread_interrupt ends (-EINTR) comes back to the hook, which says whether
 * the caller gives up: lwIP then sees a timeout (ERR_TIMEOUT), which it undoes cleanly. */
u32_t sys_arch_mbox_fetch(sys_mbox_t *mbox, void **msg, u32_t timeout)
{
	uint64_t start = clock_monotonic_ns();
	uint64_t deadline = deadline_in(timeout);

	while (mbox->used == 0) {
		if (fetch_abandoned && fetch_abandoned())
			return SYS_ARCH_TIMEOUT;
		if (wait_queue_wait(&mbox->not_empty, deadline) == -ETIMEDOUT && mbox->used == 0)
			return SYS_ARCH_TIMEOUT;
	}
	void *m = mbox_take(mbox);
	if (msg)
		*msg = m;
	return waited_ms(start);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mbox, void **msg)
{
	if (mbox->used == 0)
		return SYS_MBOX_EMPTY;
	void *m = mbox_take(mbox);
	if (msg)
		*msg = m;
	return 0;
}

void sys_mbox_free(sys_mbox_t *mbox)
{
	free(mbox->slots);
	mbox->slots = NULL;
}

/* ---- threads: kernel threads, detached (nobody joins lwIP's threads) ---- */

struct thread_start {
	lwip_thread_fn fn;
	void *arg;
};

static void *thread_entry(void *arg)
{
	struct thread_start start = *(struct thread_start *)arg;

	free(arg);
	start.fn(start.arg);
	return NULL;
}

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg, int stacksize, int prio)
{
	struct thread_start *start = malloc(sizeof(*start));
	struct thread *t;

	(void)prio;
	if (!start)
		panic("lwIP: no memory for thread %s", name);
	start->fn = fn;
	start->arg = arg;
	int err = thread_create(thread_entry, start, stacksize > 0 ? (uint64_t)stacksize : 0, &t);
	if (err)
		panic("lwIP: cannot start thread %s (%d)", name, err);
	thread_detach(t);
	return t;
}
