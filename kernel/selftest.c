/* selftest.c - deliberate faults that the boot tests expect to see reported by name. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/selftest.h"
#include "mm/stack.h"
#include "mm/vm.h"

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
	} else if (!strcmp(name, "panic")) {
		panic("selftest: deliberate panic");
	} else {
		kprintf("selftest: unknown test '%s' (known: null-deref stack-overflow stack-slots "
		        "invalid-opcode panic)\n",
		        name);
		return;
	}
	panic("selftest %s did not fault", name);
}
