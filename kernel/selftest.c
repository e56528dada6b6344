/* selftest.c - deliberate faults that the boot tests expect to see reported by name. */
#include <stdint.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/selftest.h"

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
	} else if (!strcmp(name, "panic")) {
		panic("selftest: deliberate panic");
	} else {
		kprintf("selftest: unknown test '%s' (known: null-deref stack-overflow "
		        "invalid-opcode panic)\n",
		        name);
		return;
	}
	panic("selftest %s did not fault", name);
}
