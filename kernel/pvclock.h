/* pvclock.h - the arithmetic of KVM's paravirtual clock (kvmclock): the per-vCPU time
 * record the hypervisor fills in, and the TSC frequency its scale factor encodes. Pure
 * logic, no MSRs: kernel/tsc.c registers the record, this file reads it (host-tested). */
#ifndef KERNEL_PVCLOCK_H
#define KERNEL_PVCLOCK_H

#include <stdint.h>

/* The record the hypervisor writes at the guest-physical address given to the system-time
 * MSR: 32 bytes, at least 4-byte aligned. Nanoseconds since boot are
 *   system_time + ((tsc - tsc_timestamp) << tsc_shift (>> -tsc_shift if negative))
 *                  * tsc_to_system_mul >> 32. */
struct pvclock_vcpu_time_info {
	uint32_t version; /* odd while the hypervisor updates the record */
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
} __attribute__((packed));

_Static_assert(sizeof(struct pvclock_vcpu_time_info) == 32, "pvclock record is 32 bytes");

/* pvclock_read_scale - copy the scale factor out of @ti with the version protocol: retry
 * while the version is odd or changed across the read, at most a few thousand times.
 * Returns 0 with @mul and @shift set, or -EAGAIN when the record never settled. */
int pvclock_read_scale(const volatile struct pvclock_vcpu_time_info *ti, uint32_t *mul,
                       int8_t *shift);

/* pvclock_tsc_hz - the TSC frequency in Hz that @mul and @shift encode, i.e.
 * 10^9 * 2^32 / mul / 2^shift, rounded to the nearest Hz, exact for every shift.
 * Returns 0 (no frequency) for mul 0 or a result that does not fit 64 bits. */
uint64_t pvclock_tsc_hz(uint32_t mul, int8_t shift);

#endif
