/* test_pvclock.c - host unit tests for kernel/pvclock.c: the TSC frequency that KVM's
 * scale factor (tsc_to_system_mul, tsc_shift) encodes, and the version-protocol read. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/pvclock.h"

/* The scale factor as KVM derives it for a TSC of @hz: the shift that puts the rate,
 * hz * 2^shift (low bits dropped when shifting right), in (10^9, 2 * 10^9], so that
 * mul = 10^9 * 2^32 / that rate, truncated, has its top bit set. */
static void kvm_encode(uint64_t hz, uint32_t *mul, int8_t *shift)
{
	uint64_t rate = hz;
	int s = 0;

	while (rate > 2000000000ull) {
		rate >>= 1;
		s--;
	}
	while (rate <= 1000000000ull) {
		rate <<= 1;
		s++;
	}
	*mul = (uint32_t)(((unsigned __int128)1000000000ull << 32) / rate);
	*shift = (int8_t)s;
}

static void assert_within_1khz(uint64_t got, uint64_t want)
{
	uint64_t diff = got > want ? got - want : want - got;
	if (diff > 1000)
		fail_msg("got %llu Hz, want %llu Hz", (unsigned long long)got,
		         (unsigned long long)want);
}

static void test_known_pairs(void **state)
{
	(void)state;
	uint32_t mul;
	int8_t shift;

	/* 1 GHz: rate 10^9 doubles once to 2 * 10^9, mul = 2^31 exactly. */
	kvm_encode(1000000000ull, &mul, &shift);
	assert_int_equal(shift, 1);
	assert_int_equal(mul, 0x80000000u);
	assert_int_equal(pvclock_tsc_hz(mul, shift), 1000000000ull);

	/* 2.5 GHz: halved to 1.25 GHz, mul = 0.8 * 2^32 truncated. */
	kvm_encode(2500000000ull, &mul, &shift);
	assert_int_equal(shift, -1);
	assert_int_equal(mul, 3435973836u);
	assert_within_1khz(pvclock_tsc_hz(mul, shift), 2500000000ull);

	/* 3 GHz: halved to 1.5 GHz, mul = 2/3 * 2^32 truncated. */
	kvm_encode(3000000000ull, &mul, &shift);
	assert_int_equal(shift, -1);
	assert_int_equal(mul, 2863311530u);
	assert_within_1khz(pvclock_tsc_hz(mul, shift), 3000000000ull);
}

static void test_shifts(void **state)
{
	(void)state;
	uint32_t mul;
	int8_t shift;

	/* Positive shifts: slow TSCs. 100 MHz needs 2^4 to pass 10^9. */
	kvm_encode(100000000ull, &mul, &shift);
	assert_int_equal(shift, 4);
	assert_within_1khz(pvclock_tsc_hz(mul, shift), 100000000ull);
	kvm_encode(600000000ull, &mul, &shift);
	assert_int_equal(shift, 1);
	assert_within_1khz(pvclock_tsc_hz(mul, shift), 600000000ull);
	/* Shift 0 and a larger negative one. */
	kvm_encode(1500000000ull, &mul, &shift);
	assert_int_equal(shift, 0);
	assert_within_1khz(pvclock_tsc_hz(mul, shift), 1500000000ull);
	kvm_encode(5200000000ull, &mul, &shift);
	assert_int_equal(shift, -2);
	assert_within_1khz(pvclock_tsc_hz(mul, shift), 5200000000ull);
}

static void test_sweep(void **state)
{
	(void)state;
	/* Every 1.37 MHz-ish step from 50 MHz to 10 GHz, odd figures included. */
	for (uint64_t hz = 50000000ull; hz <= 10000000000ull; hz += 1370111ull) {
		uint32_t mul;
		int8_t shift;
		kvm_encode(hz, &mul, &shift);
		assert_true(mul & 0x80000000u);
		assert_within_1khz(pvclock_tsc_hz(mul, shift), hz);
	}
}

static void test_edges(void **state)
{
	(void)state;
	/* No scale factor: no frequency, the caller falls through. */
	assert_int_equal(pvclock_tsc_hz(0, 0), 0);
	assert_int_equal(pvclock_tsc_hz(0, -1), 0);
	/* Exact values far from KVM's normal range, both shift directions. */
	assert_int_equal(pvclock_tsc_hz(1, 0), 1000000000ull << 32);
	assert_int_equal(pvclock_tsc_hz(0x80000000u, -32), 1000000000ull << 33);
	assert_int_equal(pvclock_tsc_hz(0x80000000u, 33), 0); /* 0.23 Hz */
	assert_int_equal(pvclock_tsc_hz(0x80000000u, 32), 0); /* 0.47 Hz */
	assert_int_equal(pvclock_tsc_hz(0x80000000u, 31), 1); /* 0.93 Hz, rounded */
	assert_int_equal(pvclock_tsc_hz(1000000000u, 32), 1);
	assert_int_equal(pvclock_tsc_hz(1000000000u, 40), 0);
	/* Too fast to fit 64 bits, and shifts at the ends of their range. */
	assert_int_equal(pvclock_tsc_hz(0x80000000u, -34), 0);
	assert_int_equal(pvclock_tsc_hz(1, -128), 0);
	assert_int_equal(pvclock_tsc_hz(0xffffffffu, 127), 0);
}

static void test_read_scale(void **state)
{
	(void)state;
	struct pvclock_vcpu_time_info ti;
	uint32_t mul = 7;
	int8_t shift = 7;

	memset(&ti, 0, sizeof(ti));
	ti.version = 2;
	ti.tsc_to_system_mul = 3435973836u;
	ti.tsc_shift = -1;
	assert_int_equal(pvclock_read_scale(&ti, &mul, &shift), 0);
	assert_int_equal(mul, 3435973836u);
	assert_int_equal(shift, -1);

	/* An update that never finishes: bounded, and the outputs are left alone. */
	ti.version = 3;
	mul = 7;
	shift = 7;
	assert_int_equal(pvclock_read_scale(&ti, &mul, &shift), -EAGAIN);
	assert_int_equal(mul, 7);
	assert_int_equal(shift, 7);
}

static void test_layout(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct pvclock_vcpu_time_info, tsc_timestamp), 8);
	assert_int_equal(offsetof(struct pvclock_vcpu_time_info, system_time), 16);
	assert_int_equal(offsetof(struct pvclock_vcpu_time_info, tsc_to_system_mul), 24);
	assert_int_equal(offsetof(struct pvclock_vcpu_time_info, tsc_shift), 28);
	assert_int_equal(offsetof(struct pvclock_vcpu_time_info, flags), 29);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_pairs), cmocka_unit_test(test_shifts),
	    cmocka_unit_test(test_sweep),       cmocka_unit_test(test_edges),
	    cmocka_unit_test(test_read_scale),  cmocka_unit_test(test_layout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
