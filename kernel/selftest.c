/* selftest.c - deliberate faults that the boot tests expect to see reported by name. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "kernel/cpu.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "kernel/selftest.h"
#include "kernel/tsc.h"
#include "mm/stack.h"
#include "mm/vm.h"
#include "virtio/vnet_selftest.h"

/* Deeper than any stack: the guard page below the slot's mapped top stops it. */
static volatile uint64_t recursion_limit = ~0ull;

__attribute__((noinline)) static uint64_t recurse(uint64_t depth)
{
	volatile uint8_t frame[512];

	frame[0] = (uint8_t)depth;
	if (depth >= recursion_limit)
		return 0;
	return recurse(depth + 1) + frame[0]; /* not a tail call: every level keeps its frame */
}

/* A second stack slot: touching below its mapped top grows it page by page, and freeing
 * it returns every page (but the page tables, which stay for the slot's next user; so
 * the second round must end where it started). Returns what went wrong, or NULL. */
static const char *stack_slot_round(void)
{
	uint64_t total, free_before, free_during, free_after, top;
	int slot;

	page_stats(&total, &free_before);
	if (stack_slot_alloc(64 * 1024, 4096, &slot, &top))
		return "allocating a slot failed";
	if (slot == 0 || stack_slot_mapped_bytes(slot) != 4096)
		return "a new slot has the wrong slot number or mapping";
	volatile uint8_t *deep = (volatile uint8_t *)(uintptr_t)(top - 40000);
	*deep = 0x5a; /* five pages below the mapped top: grows on the fault */
	if (*deep != 0x5a || stack_slot_mapped_bytes(slot) != 40960)
		return "the slot did not grow to the touched page";
	page_stats(&total, &free_during);
	if (free_before - free_during < 10)
		return "growing took no pages";
	if (stack_slot_free(slot) || stack_slot_free(slot) != -EINVAL)
		return "freeing the slot (once, then twice) misbehaved";
	page_stats(&total, &free_after);
	if (free_after != free_before)
		return "freeing the slot did not return its pages";
	return NULL;
}

static const char *stack_slot_check(void)
{
	uint64_t total, free_start, free_end;

	stack_slot_round(); /* builds the slot's page tables */
	page_stats(&total, &free_start);
	const char *err = stack_slot_round();
	page_stats(&total, &free_end);
	if (!err && free_end != free_start)
		err = "a second round did not end with the pages it started with";
	return err;
}

/* Ping-pong between two threads over two wait queues: the output order proves the hand-off. */
static struct wait_queue ping_wq = WAIT_QUEUE_INIT, pong_wq = WAIT_QUEUE_INIT;
static int ball; /* whose turn: 0 ping, 1 pong */

static void *ping_pong(void *arg)
{
	int me = (int)(uintptr_t)arg;

	for (int round = 0; round < 3; round++) {
		while (ball != me)
			wait_queue_wait(me ? &pong_wq : &ping_wq, 0);
		kprintf("selftest: %s %d\n", me ? "pong" : "ping", round);
		ball = !me;
		wait_queue_wake_one(me ? &ping_wq : &pong_wq);
	}
	return (void *)(uintptr_t)(100 + me);
}

static void *short_lived(void *arg)
{
	(void)arg;
	sched_yield();
	return NULL;
}

static __attribute__((noinline)) uint64_t thread_recurse(uint64_t depth)
{
	return recurse(depth);
}

static void *overflowing(void *arg)
{
	(void)arg;
	return (void *)(uintptr_t)thread_recurse(0);
}

static const char *threads_check(void)
{
	struct thread *a, *b, *d;
	void *ra, *rb;
	uint64_t total, free_before, free_after;
	const char *source;
	uint64_t hz = tsc_frequency(&source);

	page_stats(&total, &free_before);
	if (thread_create(ping_pong, (void *)0, 0, &a) ||
	    thread_create(ping_pong, (void *)1, 0, &b))
		return "thread_create failed";
	if (thread_join(a, &ra) || thread_join(b, &rb))
		return "thread_join failed";
	if (ra != (void *)100 || rb != (void *)101)
		return "join returned the wrong values";
	if (thread_join(thread_self(), NULL) != -EDEADLK)
		return "joining oneself did not give EDEADLK";

	if (thread_create(short_lived, NULL, 0, &d) || thread_detach(d))
		return "detached thread set-up failed";
	sched_yield(); /* it runs, yields back... */
	sched_yield(); /* ...ends, and is reaped at the next switch */
	sched_yield();
	if (sched_thread_count() != 1)
		return "threads were not reaped";

	if (hz) {
		uint64_t halts = sched_idle_halts();
		uint64_t start = rdtsc();
		sched_sleep_until(start + hz / 50); /* 20 ms */
		uint64_t slept = rdtsc() - start;
		halts = sched_idle_halts() - halts;
		if (slept < hz / 50)
			return "sleep returned early";
		/* The CPU halts until the timer's interrupt: one halt, a few with stray ones. */
		if (halts == 0 || halts > 10)
			return "a sleep did not halt the CPU until the timer fired";
		kprintf("selftest: slept 20 ms: woke after %lu us, %lu halt(s)\n",
		        (unsigned long)tsc_to_us(slept, hz), (unsigned long)halts);
		struct wait_queue nobody = WAIT_QUEUE_INIT;
		start = rdtsc();
		if (wait_queue_wait(&nobody, start + hz / 100) != -ETIMEDOUT ||
		    rdtsc() - start < hz / 100)
			return "a timed wait did not time out after its deadline";
	}
	page_stats(&total, &free_after);
	if (free_after != free_before)
		kprintf("selftest: note: %ld pages kept for page tables of new stack slots\n",
		        (long)(free_before - free_after));
	return NULL;
}

void selftest_run(const char *name)
{
	kprintf("selftest: %s\n", name);
	if (!strcmp(name, "null-deref")) {
		volatile uint64_t *null = (volatile uint64_t *)(uintptr_t)0;
		kprintf("selftest: read %lu\n", (unsigned long)*null);
	} else if (!strcmp(name, "stack-overflow")) {
		kprintf("selftest: %lu\n", (unsigned long)recurse(0));
	} else if (!strcmp(name, "invalid-opcode")) {
		__asm__ volatile("ud2");
	} else if (!strcmp(name, "stack-slots")) {
		const char *err = stack_slot_check();
		if (err)
			panic("selftest stack-slots: %s", err);
		kprintf("selftest: stack slots ok\n");
		return;
	} else if (!strcmp(name, "threads")) {
		const char *err = threads_check();
		if (err)
			panic("selftest threads: %s", err);
		kprintf("selftest: threads ok\n");
		return;
	} else if (!strcmp(name, "thread-overflow")) {
		struct thread *t;
		if (thread_create(overflowing, NULL, 64 * 1024, &t) == 0)
			thread_join(t, NULL);
	} else if (!strcmp(name, "virtio-net")) {
		int err = vnet_selftest_arp();
		if (err)
			panic("selftest virtio-net: failed with %d", err);
		kprintf("selftest: virtio-net ok\n");
		return;
	} else if (!strcmp(name, "panic")) {
		panic("selftest: deliberate panic");
	} else {
		kprintf("selftest: unknown test '%s' (known: null-deref stack-overflow stack-slots "
		        "threads thread-overflow virtio-net "
		        "invalid-opcode panic)\n",
		        name);
		return;
	}
	panic("selftest %s did not fault", name);
}
