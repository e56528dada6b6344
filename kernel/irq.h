/* irq.h - interrupts as wake-up calls. Handlers do no work: the vector is recorded and
 * acknowledged, and the idle loop (kernel/sched.c) acts on it in thread context. So the
 * kernel runs with interrupts off everywhere else and needs no locks against them. */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdbool.h>
#include <stdint.h>

/* irq_take - whether @vector fired since the last call (clears it). */
bool irq_take(unsigned vector);

/* irq_count - how many times @vector fired since boot. */
uint64_t irq_count(unsigned vector);

#endif
