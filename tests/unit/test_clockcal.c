/* test_clockcal.c - host unit tests for kernel/clockcal.c: fake clocks, some of whose
 * reads stall as a descheduled vCPU's or a read that waits for the hypervisor does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/clockcal.h"

/* Time in TSC ticks; the counter runs at counter_per_tsc (as a fraction) of it. */
struct fake {
	uint64_t now;
	uint64_t start; /* when the counter was loaded */
	uint32_t initial;
	uint64_t num, den; /* counter ticks per TSC tick = num / den */
	uint64_t read_cost;
	/* Every stall_every-th counter read waits stall_ticks before it samples. */
	unsigned reads, stall_every;
	uint64_t stall_ticks;
	/* Stall after the counter is sampled instead (the pause lands in the bracket's
	 * second half). */
	int stall_after;
};

static uint64_t fake_tsc(void *ctx)
{
	struct fake *f = ctx;
	f->now += f->read_cost;
	return f->now;
}

static uint32_t fake_counter(void *ctx)
{
	struct fake *f = ctx;
	f->reads++;
	int stall = f->stall_every && f->reads % f->stall_every == 0;
	if (stall && !f->stall_after)
		f->now += f->stall_ticks;
	f->now += f->read_cost;
	uint64_t counted = (f->now - f->start) * f->num / f->den;
	if (stall && f->stall_after)
		f->now += f->stall_ticks;
	return counted >= f->initial ? 0 : (uint32_t)(f->initial - counted);
}

static uint64_t measure(struct fake *f, uint32_t span)
{
	const struct clockcal_source src = {fake_tsc, fake_counter, f};
	return clockcal_rate_q16(&src, span);
}

/* The rate within @permille of num/den in Q16. */
static void assert_rate(uint64_t rate, const struct fake *f, unsigned permille)
{
	uint64_t want = (f->num << 16) / f->den;
	uint64_t diff = rate > want ? rate - want : want - rate;
	if (diff * 1000 > want * permille)
		fail_msg("rate %lu, want %lu within %u permille", (unsigned long)rate,
		         (unsigned long)want, permille);
}

static void test_steady_clock(void **state)
{
	(void)state;
	/* QEMU's 1 GHz APIC against a 2.5 GHz TSC; a counter read costs 1 us. */
	struct fake f = {.now = 1000,
	                 .start = 1000,
	                 .initial = 0xffffffffu,
	                 .num = 2,
	                 .den = 5,
	                 .read_cost = 2500};
	assert_rate(measure(&f, 100000), &f, 35);
}

static void test_stall_before_a_read(void **state)
{
	(void)state;
	/* Every 5th read waits 20 ms: the old measurement (one reading each end over 0.1 ms)
	 * was off by up to 200 times with such a pause. */
	for (unsigned every = 1; every <= 7; every++) {
		struct fake f = {.now = 7,
		                 .start = 7,
		                 .initial = 0xffffffffu,
		                 .num = 2,
		                 .den = 5,
		                 .read_cost = 2500,
		                 .stall_every = every + 1,
		                 .stall_ticks = 50000000};
		assert_rate(measure(&f, 100000), &f, 35);
		f = (struct fake){.now = 7,
		                  .start = 7,
		                  .initial = 0xffffffffu,
		                  .num = 2,
		                  .den = 5,
		                  .read_cost = 2500,
		                  .stall_every = every + 1,
		                  .stall_ticks = 50000000,
		                  .stall_after = 1};
		assert_rate(measure(&f, 100000), &f, 35);
	}
}

static void test_counter_faster_than_tsc(void **state)
{
	(void)state;
	/* An APIC at 1 GHz against a 100 MHz TSC (the slowest tsc.c believes). */
	struct fake f = {.initial = 0xffffffffu,
	                 .num = 10,
	                 .den = 1,
	                 .read_cost = 100,
	                 .stall_every = 3,
	                 .stall_ticks = 1000000};
	assert_rate(measure(&f, 100000), &f, 35);
}

static void test_counter_runs_out(void **state)
{
	(void)state;
	/* Loaded with little: it reaches 0 and stays there; nothing trustworthy. */
	struct fake f = {.initial = 1000, .num = 2, .den = 5, .read_cost = 2500};
	assert_int_equal(measure(&f, 100000), 0);
}

static void test_counter_stopped(void **state)
{
	(void)state;
	/* A counter that never moves (num 0): no rate, and the measurement ends. */
	struct fake f = {.initial = 0xffffffffu, .num = 0, .den = 1, .read_cost = 10};
	assert_int_equal(measure(&f, 100000), 0);
}

static void test_every_read_stalls(void **state)
{
	(void)state;
	/* Every read equally slow: the narrowest bracket is slow too, the rate still right. */
	struct fake f = {.initial = 0xffffffffu,
	                 .num = 2,
	                 .den = 5,
	                 .read_cost = 2500,
	                 .stall_every = 1,
	                 .stall_ticks = 40000};
	assert_rate(measure(&f, 100000), &f, 35);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_steady_clock),
	    cmocka_unit_test(test_stall_before_a_read),
	    cmocka_unit_test(test_counter_faster_than_tsc),
	    cmocka_unit_test(test_counter_runs_out),
	    cmocka_unit_test(test_counter_stopped),
	    cmocka_unit_test(test_every_read_stalls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
