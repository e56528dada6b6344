/* pvclock.c - reading KVM's paravirtual clock record and turning its scale factor into
 * a TSC frequency. See pvclock.h; the MSR side is in tsc.c. */
#include <errno.h>
#include <stdint.h>

#include "kernel/pvclock.h"

#define NSEC_PER_SEC  1000000000ull
#define READ_ATTEMPTS 4096

int pvclock_read_scale(const volatile struct pvclock_vcpu_time_info *ti, uint32_t *mul,
                       int8_t *shift)
{
	for (int i = 0; i < READ_ATTEMPTS; i++) {
		uint32_t before = ti->version;
		/* x86 keeps loads in order; the compiler must too. */
		__asm__ volatile("" ::: "memory");
		uint32_t m = ti->tsc_to_system_mul;
		int8_t s = ti->tsc_shift;
		__asm__ volatile("" ::: "memory");
		if (!(before & 1) && ti->version == before) {
			*mul = m;
			*shift = s;
			return 0;
		}
	}
	return -EAGAIN;
}

uint64_t pvclock_tsc_hz(uint32_t mul, int8_t shift)
{
	/* hz = 10^9 * 2^e / mul with e = 32 - shift. */
	int e = 32 - shift;

	if (!mul)
		return 0;
	if (e < 0) {
		/* mul << -e >= 2^30 > 10^9 once -e reaches 30: far below 1 Hz. */
		if (e <= -30)
			return 0;
		uint64_t den = (uint64_t)mul << -e;
		return (NSEC_PER_SEC + den / 2) / den;
	}
	/* Binary long division: the quotient takes one bit of 2^e at a time, the remainder
	 * stays below mul (< 2^32), so nothing overflows unless the quotient itself does. */
	uint64_t q = NSEC_PER_SEC / mul, r = NSEC_PER_SEC % mul;
	for (int i = 0; i < e; i++) {
		if (q >> 63)
			return 0;
		q <<= 1;
		r <<= 1;
		if (r >= mul) {
			r -= mul;
			q |= 1;
		}
	}
	if (2 * r >= mul) {
		if (q == UINT64_MAX)
			return 0;
		q++;
	}
	return q;
}
