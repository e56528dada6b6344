/* irq.c - the C half of the interrupt stubs (kernel/isr.asm). Built without SSE: it runs
 * between any two instructions of the idle loop and must not touch vector registers. */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/apic.h"
#include "kernel/irq.h"

static volatile uint64_t pending[4];
static volatile uint64_t counts[256];

void irq_note(uint64_t vector);

void irq_note(uint64_t vector)
{
	if (vector == APIC_SPURIOUS_VECTOR)
		return; /* spurious interrupts are not acknowledged */
	pending[vector / 64] |= 1ull << (vector % 64);
	counts[vector & 0xff]++;
	apic_eoi();
}

bool irq_take(unsigned vector)
{
	uint64_t bit = 1ull << (vector % 64);
	bool was = pending[vector / 64 % 4] & bit;

	pending[vector / 64 % 4] &= ~bit; /* interrupts are off outside idle: no race */
	return was;
}

uint64_t irq_count(unsigned vector)
{
	return counts[vector & 0xff];
}
