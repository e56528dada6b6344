/* apic.h - the local APIC: interrupt acknowledgement and the one-shot timer the scheduler
 * uses to wake from idle. x2APIC (MSRs) when the CPU has it, xAPIC (MMIO in the scratch
 * area) otherwise; TSC-deadline mode when offered, else the APIC's own one-shot counter
 * with its rate measured against the TSC. The legacy 8259 PIC, if any, is masked. */
#ifndef KERNEL_APIC_H
#define KERNEL_APIC_H

#include <stdbool.h>
#include <stdint.h>

#define APIC_TIMER_VECTOR    0x20
#define APIC_SPURIOUS_VECTOR 0xff

/* apic_init - enable the local APIC, mask the PIC, set up the timer (masked until
 * armed). Returns 0 or -ENODEV when there is no APIC. Called once after vm_boot_finish. */
int apic_init(void);

/* apic_eoi - acknowledge the interrupt being handled. Interrupt context; no SSE. */
void apic_eoi(void);

/* apic_timer_arm - raise APIC_TIMER_VECTOR once the TSC reaches @deadline_tsc (at once if
 * it already has); 0 disarms. Replaces any earlier deadline. */
void apic_timer_arm(uint64_t deadline_tsc);

/* apic_timer_mode - "tsc-deadline" or "one-shot", for reports. */
const char *apic_timer_mode(void);

/* apic_timer_hz - the one-shot counter's rate in Hz given the TSC's @tsc_hz (measured at
 * the first call or the first arm), for reports; 0 in TSC-deadline mode. */
uint64_t apic_timer_hz(uint64_t tsc_hz);

/* apic_id - this CPU's local APIC ID (the destination of MSI messages). */
uint32_t apic_id(void);

/* The I/O APIC, for devices without MSI (PCI INTx). It is assumed at its usual address,
 * 0xFEC00000, where QEMU's pc and q35 machines put it (the ACPI MADT is not read), and is
 * accepted only if its version register reads sensibly there. ISA IRQ n is GSI n except 0.
 *
 * ioapic_route - deliver input @gsi to @vector on this CPU, active high, level-triggered
 * (@level: QEMU's MADT declares PCI interrupts so) or edge-triggered, masked until
 * ioapic_mask(gsi, false). Returns 0, -ENODEV when there is no I/O APIC, -EINVAL for an
 * input it lacks. */
int ioapic_route(unsigned gsi, unsigned vector, bool level);

/* ioapic_mask - mask or unmask input @gsi (routed before). Interrupt context; no SSE. */
void ioapic_mask(unsigned gsi, bool masked);

#endif
