/* sched.h - threads on one vCPU, scheduled cooperatively.
 *
 * A thread runs until it blocks (waits on a wait queue, sleeps, joins) or yields; there is
 * no preemption, so kernel and POSIX-layer data need no locks. Each thread has its own
 * stack slot (mm/stack.h). When nothing can run, the idle loop arms the APIC timer for the
 * earliest sleeper and halts with interrupts on; an interrupt only wakes it up, and a
 * device interrupt's handler then runs there, in thread context (kernel/irq.h), and may
 * wake a wait queue.
 * Times are TSC ticks (kernel/tsc.h converts). */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct thread;

struct wait_queue {
	struct thread *head;
	struct thread *tail;
};

#define WAIT_QUEUE_INIT                                                                            \
	{                                                                                          \
		0, 0                                                                               \
	}

/* sched_init - make the boot thread (stack slot 0) the current thread and start the APIC
 * timer. Called once from kernel_high. Returns 0 or -errno from apic_init. */
int sched_init(void);

/* thread_create - a new runnable thread running @fn(@arg) on a stack that may grow to
 * @stack_bytes (0: the default 8 MiB). Returns 0 and the thread in @out, -EAGAIN when no
 * stack slot is free, -ENOMEM when memory runs out. */
int thread_create(void *(*fn)(void *), void *arg, uint64_t stack_bytes, struct thread **out);

/* thread_exit - end the current thread with @retval (its stack is freed by whoever
 * joins or reaps it). The boot thread may not exit this way. */
__attribute__((noreturn)) void thread_exit(void *retval);

/* thread_join - wait until @t ended, store its return value in @retval (may be NULL) and
 * free it. Returns 0, -EDEADLK for joining oneself, -EINVAL if @t is detached or joined,
 * -EINTR when thread_interrupt woke the caller first (@t stays joinable). */
int thread_join(struct thread *t, void **retval);

/* thread_detach - @t frees itself when it ends. Returns 0 or -EINVAL. */
int thread_detach(struct thread *t);

struct thread *thread_self(void);

/* thread_local_get / thread_local_set - one pointer of per-thread state for the POSIX
 * layer (its newlib reentrancy structure); NULL until set. */
void *thread_local_get(void);
void thread_local_set(struct thread *t, void *value);
uint64_t thread_id(const struct thread *t);

/* thread_posix_get / thread_posix_set - a second per-thread pointer: the POSIX layer's
 * thread record (posix/thread/pthread.c, which owns and frees it); NULL until set. */
void *thread_posix_get(void);
void thread_posix_set(struct thread *t, void *record);

/* sched_yield - wake the sleepers whose time has come, then let every other runnable
 * thread run once. Returns 0: it is also POSIX's sched_yield, which applications call. */
int sched_yield(void);

/* sched_sleep_until - block until the TSC reaches @deadline_tsc. Returns 0, or -EINTR
 * when thread_interrupt woke the thread first. */
int sched_sleep_until(uint64_t deadline_tsc);

/* wait_queue_wait - block on @wq until woken or, when @deadline_tsc is not 0, until the
 * TSC reaches it. Returns 0 when woken, -ETIMEDOUT when the deadline passed first, -EINTR
 * when thread_interrupt woke it. */
int wait_queue_wait(struct wait_queue *wq, uint64_t deadline_tsc);

/* thread_interrupt - wake @t out of the wait_queue_wait or sched_sleep_until it is
 * blocked in (taking it off the queue and the sleep list); that call returns -EINTR.
 * Returns 0, or -EAGAIN when @t is not blocked in one of them (running, runnable, dead).
 * Only for waits whose callers expect -EINTR (posix/thread/cancel.c). */
int thread_interrupt(struct thread *t);

/* wait_queue_wake_one / _all - make the first / every waiter runnable. Return how many. */
int wait_queue_wake_one(struct wait_queue *wq);
int wait_queue_wake_all(struct wait_queue *wq);

/* sched_thread_count - threads alive (not yet reaped), the boot thread included. */
int sched_thread_count(void);

/* thread_cpu_tsc - TSC ticks @t has run (its time on the CPU, the current stretch
 * included); sched_cpu_tsc - the same summed over every thread that ever ran, ended ones
 * included: the process's CPU time. Time in the idle loop (halts, the device handlers it
 * runs) belongs to no thread. */
uint64_t thread_cpu_tsc(const struct thread *t);
uint64_t sched_cpu_tsc(void);

/* sched_runnable_count - threads running or ready to run now: the caller and the run
 * queue (for the load average). */
int sched_runnable_count(void);

/* sched_idle_halts - how many times the idle loop has halted the CPU (each halt ends with
 * an interrupt): a sleep costs a halt or two, not a busy loop. */
uint64_t sched_idle_halts(void);

#endif
