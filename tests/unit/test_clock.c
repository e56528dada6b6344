/* test_clock.c - host unit tests for the calendar arithmetic of kernel/clock.c, checked
 * against the host's timegm(). */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "kernel/clock.h"
#include "kernel/tsc.h"

/* clock.c's TSC side is not under test here. */
uint64_t tsc_frequency(const char **source)
{
	*source = "test";
	return 1000000000ull;
}

static void test_known_dates(void **state)
{
	(void)state;
	assert_int_equal(clock_civil_to_epoch(1970, 1, 1, 0, 0, 0), 0);
	assert_int_equal(clock_civil_to_epoch(2000, 3, 1, 0, 0, 0), 951868800);
	assert_int_equal(clock_civil_to_epoch(2026, 11, 25, 10, 0, 0), 1795600800);
	assert_int_equal(clock_civil_to_epoch(1969, 12, 31, 23, 59, 59), -1);
}

static void test_against_timegm(void **state)
{
	(void)state;
	/* Every day from 1970 to 2100 at a time that varies with the day. */
	for (int64_t day = 0; day < 130 * 366; day += 1) {
		time_t t = (time_t)(day * 86400 + (day * 3671) % 86400);
		struct tm tm;
		gmtime_r(&t, &tm);
		assert_int_equal(clock_civil_to_epoch(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		                                      tm.tm_hour, tm.tm_min, tm.tm_sec),
		                 (int64_t)t);
	}
}

static void test_bcd(void **state)
{
	(void)state;
	assert_int_equal(clock_bcd(0x00), 0);
	assert_int_equal(clock_bcd(0x59), 59);
	assert_int_equal(clock_bcd(0x12), 12);
	assert_int_equal(clock_bcd(0x99), 99);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_dates),
	    cmocka_unit_test(test_against_timegm),
	    cmocka_unit_test(test_bcd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
