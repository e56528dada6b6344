/* sched.c - cooperative threads on one vCPU, sleeping, wait queues and the idle loop
 * (see sched.h). Interrupts stay off except inside the idle loop's halt; device
 * interrupts taken there run their handlers (kernel/irq.h) before the loop looks for a
 * runnable thread again. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernel/apic.h"
#include "kernel/cpu.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "mm/stack.h"

enum thread_state { THREAD_RUNNING, THREAD_RUNNABLE, THREAD_BLOCKED, THREAD_DEAD };

struct thread {
	uint64_t saved_rsp; /* while switched out */
	enum thread_state state;
	uint64_t id;
	int slot;
	bool detached;
	bool joined;
	bool timed_out;
	bool interrupted; /* woken by thread_interrupt */
	void *(*fn)(void *);
	void *arg;
	void *retval;
	struct thread *next;       /* run queue or wait queue */
	struct wait_queue *queued; /* the wait queue it is on, if any */
	struct thread *sleep_next; /* sleep list, sorted by wake_tsc */
	bool sleeping;
	uint64_t wake_tsc;
	struct wait_queue join_wq;
	struct thread *dead_next; /* detached threads waiting to be reaped */
	void *local;              /* the POSIX layer's per-thread state */
	void *posix;              /* the POSIX layer's thread record */
	uint64_t cpu_tsc;         /* TSC ticks it ran, up to its last switch out */
};

void sched_switch(uint64_t *save_rsp, uint64_t next_rsp);
void thread_start(void);
void thread_entry(struct thread *t);

static struct thread boot_thread;
static struct thread *current = &boot_thread;
static struct wait_queue run_queue;
static struct thread *sleepers;
static struct thread *reap_list;
static uint64_t next_id = 1;
static int thread_count = 1;
static uint64_t idle_halts;
/* CPU time: when the running thread was switched in, and the ticks every thread ran
 * before its last switch out (the idle loop's halts and the handlers it runs count for
 * nobody). */
static uint64_t run_start_tsc;
static uint64_t process_cpu_tsc;
/* The deadline the APIC timer is armed for; 0 when it is not running. */
static uint64_t timer_armed_tsc;

static void queue_push(struct wait_queue *q, struct thread *t)
{
	t->next = NULL;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
}

static struct thread *queue_pop(struct wait_queue *q)
{
	struct thread *t = q->head;

	if (t) {
		q->head = t->next;
		if (!q->head)
			q->tail = NULL;
		t->next = NULL;
	}
	return t;
}

static void queue_remove(struct wait_queue *q, struct thread *t)
{
	struct thread *prev = NULL;

	for (struct thread *p = q->head; p; prev = p, p = p->next) {
		if (p != t)
			continue;
		if (prev)
			prev->next = p->next;
		else
			q->head = p->next;
		if (q->tail == p)
			q->tail = prev;
		p->next = NULL;
		return;
	}
}

static void make_runnable(struct thread *t)
{
	t->state = THREAD_RUNNABLE;
	queue_push(&run_queue, t);
}

static void sleep_insert(struct thread *t, uint64_t wake_tsc)
{
	struct thread **p = &sleepers;

	t->wake_tsc = wake_tsc;
	t->sleeping = true;
	while (*p && (*p)->wake_tsc <= wake_tsc)
		p = &(*p)->sleep_next;
	t->sleep_next = *p;
	*p = t;
}

static void sleep_remove(struct thread *t)
{
	for (struct thread **p = &sleepers; *p; p = &(*p)->sleep_next) {
		if (*p == t) {
			*p = t->sleep_next;
			break;
		}
	}
	t->sleeping = false;
	t->sleep_next = NULL;
}

static void wake_expired(uint64_t now)
{
	while (sleepers && sleepers->wake_tsc <= now) {
		struct thread *t = sleepers;
		sleep_remove(t);
		if (t->queued) {
			queue_remove(t->queued, t);
			t->queued = NULL;
			t->timed_out = true;
		}
		make_runnable(t);
	}
}

/* The next thread to run; halts (interrupts on) while there is none. */
static struct thread *pick_next(void)
{
	for (;;) {
		wake_expired(rdtsc());
		struct thread *t = queue_pop(&run_queue);
		if (t)
			return t;
		/* The timer is reprogrammed only for an earlier deadline (each arm is a trap
		 * to the hypervisor): a later one is left to the wake-up at the armed time,
		 * which finds nothing due and arms again. */
		uint64_t due = sleepers ? sleepers->wake_tsc : 0;
		if (due && (!timer_armed_tsc || due < timer_armed_tsc)) {
			apic_timer_arm(due);
			timer_armed_tsc = due;
		}
		/* sti takes effect after hlt starts: no wake-up is lost in between. */
		__asm__ volatile("sti; hlt; cli" ::: "memory");
		idle_halts++;
		if (irq_take(APIC_TIMER_VECTOR))
			timer_armed_tsc = 0; /* one-shot: it has stopped */
		/* Device handlers (irq.h) may make threads runnable. */
		irq_dispatch();
	}
}

static void reap_detached(void)
{
	while (reap_list && reap_list != current) {
		struct thread *t = reap_list;
		reap_list = t->dead_next;
		thread_count--;
		stack_slot_free(t->slot);
	}
}

/* Switch to the next runnable thread; the caller has already queued or parked current. */
static void schedule(void)
{
	struct thread *prev = current;
	uint64_t ran = rdtsc() - run_start_tsc;

	prev->cpu_tsc += ran;
	process_cpu_tsc += ran;
	struct thread *next = pick_next();
	run_start_tsc = rdtsc();

	if (next != prev) {
		current = next;
		next->state = THREAD_RUNNING;
		sched_switch(&prev->saved_rsp, next->saved_rsp);
	} else {
		prev->state = THREAD_RUNNING;
	}
	reap_detached();
}

int sched_init(void)
{
	boot_thread.state = THREAD_RUNNING;
	boot_thread.id = 0;
	boot_thread.slot = 0;
	run_start_tsc = rdtsc();
	return apic_init();
}

void thread_entry(struct thread *t)
{
	thread_exit(t->fn(t->arg));
}

int thread_create(void *(*fn)(void *), void *arg, uint64_t stack_bytes, struct thread **out)
{
	int slot;
	uint64_t top;
	int err =
	    stack_slot_alloc(stack_bytes ? stack_bytes : STACK_DEFAULT_LIMIT, 4096, &slot, &top);
	if (err)
		return err;
	/* The thread's own record sits at the top of its stack: no allocator needed. */
	struct thread *t = (struct thread *)(uintptr_t)((top - sizeof(struct thread)) & ~63ull);
	memset(t, 0, sizeof(*t));
	t->id = next_id++;
	t->slot = slot;
	t->fn = fn;
	t->arg = arg;

	/* thread_start is entered by sched_switch's ret with rsp 16-byte aligned, so that its
	 * call leaves thread_entry the ABI's rsp = 8 (mod 16): the return address sits at an
	 * address that is 8 (mod 16). (SSE spills in a thread's first frames fault otherwise.) */
	uint64_t *sp = (uint64_t *)(uintptr_t)((uint64_t)(uintptr_t)t & ~15ull);
	*--sp = (uint64_t)(uintptr_t)thread_start; /* return address of sched_switch */
	*--sp = 0;                                 /* rbp */
	*--sp = 0;                                 /* rbx */
	*--sp = (uint64_t)(uintptr_t)t;            /* r12: thread_start's argument */
	*--sp = 0;                                 /* r13 */
	*--sp = 0;                                 /* r14 */
	*--sp = 0;                                 /* r15 */
	*--sp = 0x037full << 32 | 0x1f80;          /* x87 control word, MXCSR: defaults */
	t->saved_rsp = (uint64_t)(uintptr_t)sp;

	thread_count++;
	make_runnable(t);
	*out = t;
	return 0;
}

void thread_exit(void *retval)
{
	struct thread *t = current;

	if (t == &boot_thread)
		panic("thread_exit called on the boot thread");
	t->retval = retval;
	t->state = THREAD_DEAD;
	if (t->detached) {
		t->dead_next = reap_list;
		reap_list = t;
	} else {
		wait_queue_wake_all(&t->join_wq);
	}
	schedule();
	panic("a dead thread was scheduled");
}

int thread_join(struct thread *t, void **retval)
{
	if (t == current)
		return -EDEADLK;
	if (t->detached || t->joined)
		return -EINVAL;
	t->joined = true;
	while (t->state != THREAD_DEAD) {
		if (wait_queue_wait(&t->join_wq, 0) == -EINTR) {
			t->joined = false;
			return -EINTR;
		}
	}
	if (retval)
		*retval = t->retval;
	thread_count--;
	stack_slot_free(t->slot); /* t itself lived there */
	return 0;
}

int thread_detach(struct thread *t)
{
	if (t->detached || t->joined)
		return -EINVAL;
	t->detached = true;
	if (t->state == THREAD_DEAD) {
		t->dead_next = reap_list;
		reap_list = t;
		reap_detached();
	}
	return 0;
}

struct thread *thread_self(void)
{
	return current;
}

void *thread_local_get(void)
{
	return current->local;
}

void thread_local_set(struct thread *t, void *value)
{
	t->local = value;
}

uint64_t thread_id(const struct thread *t)
{
	return t->id;
}

void *thread_posix_get(void)
{
	return current->posix;
}

void thread_posix_set(struct thread *t, void *record)
{
	t->posix = record;
}

int sched_yield(void)
{
	/* A thread that polls with sched_yield must let expired sleepers run. */
	wake_expired(rdtsc());
	if (!run_queue.head)
		return 0;
	make_runnable(current);
	schedule();
	return 0;
}

int sched_sleep_until(uint64_t deadline_tsc)
{
	if (deadline_tsc <= rdtsc())
		return 0;
	current->interrupted = false;
	current->state = THREAD_BLOCKED;
	sleep_insert(current, deadline_tsc);
	schedule();
	return current->interrupted ? -EINTR : 0;
}

int wait_queue_wait(struct wait_queue *wq, uint64_t deadline_tsc)
{
	struct thread *t = current;

	t->timed_out = false;
	t->interrupted = false;
	t->state = THREAD_BLOCKED;
	t->queued = wq;
	queue_push(wq, t);
	if (deadline_tsc)
		sleep_insert(t, deadline_tsc);
	schedule();
	if (t->interrupted)
		return -EINTR;
	return t->timed_out ? -ETIMEDOUT : 0;
}

int thread_interrupt(struct thread *t)
{
	if (t->state != THREAD_BLOCKED || (!t->queued && !t->sleeping))
		return -EAGAIN;
	if (t->queued) {
		queue_remove(t->queued, t);
		t->queued = NULL;
	}
	if (t->sleeping)
		sleep_remove(t);
	t->interrupted = true;
	make_runnable(t);
	return 0;
}

int wait_queue_wake_one(struct wait_queue *wq)
{
	struct thread *t = queue_pop(wq);

	if (!t)
		return 0;
	t->queued = NULL;
	if (t->sleeping)
		sleep_remove(t);
	make_runnable(t);
	return 1;
}

int wait_queue_wake_all(struct wait_queue *wq)
{
	int n = 0;

	while (wait_queue_wake_one(wq))
		n++;
	return n;
}

int sched_thread_count(void)
{
	return thread_count;
}

uint64_t thread_cpu_tsc(const struct thread *t)
{
	return t->cpu_tsc + (t == current ? rdtsc() - run_start_tsc : 0);
}

uint64_t sched_cpu_tsc(void)
{
	return process_cpu_tsc + (rdtsc() - run_start_tsc);
}

int sched_runnable_count(void)
{
	int n = 1; /* the caller runs */

	for (struct thread *t = run_queue.head; t; t = t->next)
		n++;
	return n;
}

uint64_t sched_idle_halts(void)
{
	return idle_halts;
}
