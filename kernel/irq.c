/* irq.c - the C half of the interrupt stubs (kernel/isr.asm), and the device vectors'
 * handlers, run later in thread context (irq.h). Built without SSE: irq_note runs
 * between any two instructions of the idle loop and must not touch vector registers. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/apic.h"
#include "kernel/irq.h"

static volatile uint64_t pending[4];
static volatile uint64_t counts[256];

/* Device vectors: the thread-context handler, and the level-triggered I/O APIC input
 * behind the vector plus one (0: none), which stays masked until the handler ran. */
static struct {
	void (*fn)(void *);
	void *arg;
	unsigned level_gsi_plus1;
} handlers[256];

void irq_note(uint64_t vector);

void irq_note(uint64_t vector)
{
	if (vector == APIC_SPURIOUS_VECTOR)
		return; /* spurious interrupts are not acknowledged */
	pending[vector / 64] |= 1ull << (vector % 64);
	counts[vector & 0xff]++;
	/* A level-triggered line stays asserted until the handler quiets the device: mask
	 * it, or the EOI below would bring the interrupt straight back. */
	if (handlers[vector & 0xff].level_gsi_plus1)
		ioapic_mask(handlers[vector & 0xff].level_gsi_plus1 - 1, true);
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

int irq_alloc(void (*fn)(void *), void *arg, unsigned *vector)
{
	for (unsigned v = IRQ_FIRST_DEVICE_VECTOR; v <= IRQ_LAST_DEVICE_VECTOR; v++) {
		if (handlers[v].fn)
			continue;
		handlers[v].fn = fn;
		handlers[v].arg = arg;
		handlers[v].level_gsi_plus1 = 0;
		irq_take(v);
		*vector = v;
		return 0;
	}
	return -EBUSY;
}

int irq_route_level(unsigned gsi, unsigned vector)
{
	if (vector < IRQ_FIRST_DEVICE_VECTOR || vector > IRQ_LAST_DEVICE_VECTOR ||
	    !handlers[vector].fn)
		return -EINVAL;
	int err = ioapic_route(gsi, vector, true);
	if (err)
		return err;
	handlers[vector].level_gsi_plus1 = gsi + 1;
	ioapic_mask(gsi, false);
	return 0;
}

int irq_route_edge(unsigned gsi, unsigned vector)
{
	if (vector < IRQ_FIRST_DEVICE_VECTOR || vector > IRQ_LAST_DEVICE_VECTOR ||
	    !handlers[vector].fn)
		return -EINVAL;
	int err = ioapic_route(gsi, vector, false);
	if (err)
		return err;
	ioapic_mask(gsi, false);
	return 0;
}

void irq_msi_message(unsigned vector, uint64_t *addr, uint32_t *data)
{
	/* Intel SDM vol. 3, 11.11: 0xFEE in the top bits, the destination APIC ID in bits
	 * 19:12; the data is the vector with fixed delivery, edge trigger. */
	*addr = 0xfee00000ull | (uint64_t)(apic_id() & 0xff) << 12;
	*data = vector & 0xff;
}

void irq_dispatch(void)
{
	for (unsigned w = IRQ_FIRST_DEVICE_VECTOR / 64; w <= IRQ_LAST_DEVICE_VECTOR / 64; w++) {
		while (pending[w]) {
			unsigned v = w * 64 + (unsigned)__builtin_ctzll(pending[w]);
			irq_take(v);
			if (!handlers[v].fn)
				continue;
			handlers[v].fn(handlers[v].arg);
			if (handlers[v].level_gsi_plus1)
				ioapic_mask(handlers[v].level_gsi_plus1 - 1, false);
		}
	}
}
