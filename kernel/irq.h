/* irq.h - interrupts as wake-up calls. Handlers do no work: the vector is recorded and
 * acknowledged, and the idle loop (kernel/sched.c) acts on it in thread context. So the
 * kernel runs with interrupts off everywhere else and needs no locks against them.
 *
 * Device interrupts follow the same rule: a driver takes a vector with irq_alloc and
 * gives a handler; when the vector fires, the idle loop calls the handler in thread
 * context, with interrupts off, right after the halt it interrupted. A handler typically
 * acknowledges its device and wakes a wait queue (kernel/sched.h); it must not block.
 * Interrupts arrive only while every thread waits: a thread that polls sees its device's
 * work by polling, and its handler runs at the next idle. */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdbool.h>
#include <stdint.h>

/* Vectors irq_alloc hands out: above the timer, below the spurious vector. */
#define IRQ_FIRST_DEVICE_VECTOR 0x30
#define IRQ_LAST_DEVICE_VECTOR  0xef

/* irq_take - whether @vector fired since the last call (clears it). */
bool irq_take(unsigned vector);

/* irq_count - how many times @vector fired since boot. */
uint64_t irq_count(unsigned vector);

/* irq_alloc - a free device vector whose interrupts run @fn(@arg) in thread context (see
 * above). Returns 0 and the vector in @vector, or -EBUSY when all are taken. */
int irq_alloc(void (*fn)(void *), void *arg, unsigned *vector);

/* irq_route_level - deliver the level-triggered I/O APIC input @gsi (a PCI INTx line)
 * to @vector from irq_alloc. The input is masked from the interrupt's arrival until the
 * handler ran (the handler must make the device drop the line). Returns 0 or -errno from
 * ioapic_route (-ENODEV: no I/O APIC). */
int irq_route_level(unsigned gsi, unsigned vector);

/* irq_route_edge - deliver the edge-triggered (rising, active high) I/O APIC input
 * @gsi to @vector from irq_alloc. Nothing is masked: an edge while the handler is
 * pending just makes it run again. The handler must leave the device's line low (or
 * expect no further edge): a line that stays high gives no new interrupt. Returns 0 or
 * -errno from ioapic_route (-ENODEV: no I/O APIC). */
int irq_route_edge(unsigned gsi, unsigned vector);

/* irq_msi_message - the address and data an MSI or MSI-X entry needs to raise @vector on
 * this CPU (edge-triggered, fixed delivery). */
void irq_msi_message(unsigned vector, uint64_t *addr, uint32_t *data);

/* irq_dispatch - run the handlers of the device vectors that fired. Called by the idle
 * loop after each halt, in thread context with interrupts off. */
void irq_dispatch(void);

#endif
