/* test_httpd_date.c - host unit tests of ports/httpd's HTTP dates: IMF-fixdate output,
 * the three input formats, invalid dates, checked against the host's gmtime/timegm. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ports/httpd/http_date.h"

static int parse(const char *text, time_t *out)
{
	return http_date_parse(text, strlen(text), out);
}

static void test_format(void **state)
{
	(void)state;
	char out[HTTP_DATE_LEN + 1];
	assert_int_equal(http_date_format(784111777, out), 0);
	assert_string_equal(out, "Sun, 06 Nov 1994 08:49:37 GMT");
	assert_int_equal(http_date_format(0, out), 0);
	assert_string_equal(out, "Thu, 01 Jan 1970 00:00:00 GMT");
	assert_int_equal(http_date_format(951782400, out), 0);
	assert_string_equal(out, "Tue, 29 Feb 2000 00:00:00 GMT");
	assert_int_equal(http_date_format(253402300799LL, out), 0);
	assert_string_equal(out, "Fri, 31 Dec 9999 23:59:59 GMT");
	assert_int_equal(strlen(out), HTTP_DATE_LEN);
	assert_int_equal(http_date_format(-1, out), -EOVERFLOW);
	assert_int_equal(http_date_format(253402300800LL, out), -EOVERFLOW);
}

static void test_three_formats(void **state)
{
	(void)state;
	time_t t;
	assert_int_equal(parse("Sun, 06 Nov 1994 08:49:37 GMT", &t), 0);
	assert_int_equal(t, 784111777);
	assert_int_equal(parse("Sunday, 06-Nov-94 08:49:37 GMT", &t), 0);
	assert_int_equal(t, 784111777);
	assert_int_equal(parse("Sun Nov  6 08:49:37 1994", &t), 0);
	assert_int_equal(t, 784111777);
	assert_int_equal(parse("Wed Nov 16 08:49:37 1994", &t), 0);
	assert_int_equal(t, 784111777 + 10 * 86400);
	assert_int_equal(parse("  Sun, 06 Nov 1994 08:49:37 GMT\t", &t), 0);
	assert_int_equal(t, 784111777);
	/* RFC 850 two-digit years: below 70 are 20xx. */
	assert_int_equal(parse("Tuesday, 01-Jan-30 00:00:00 GMT", &t), 0);
	assert_int_equal(t, 1893456000);
}

static void test_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "",
	    "yesterday",
	    "Sun, 06 Nov 1994 08:49:37",
	    "Sun, 06 Nov 1994 08:49:37 UTC",
	    "Sun, 6 Nov 1994 08:49:37 GMT",
	    "sun, 06 Nov 1994 08:49:37 GMT",
	    "Sun, 06 nov 1994 08:49:37 GMT",
	    "Sun, 06 Nov 94 08:49:37 GMT",
	    "Sun, 32 Oct 1994 08:49:37 GMT",
	    "Sun, 29 Feb 1900 08:49:37 GMT",
	    "Sun, 06 Nov 1994 24:00:00 GMT",
	    "Sun, 06 Nov 1994 08:60:00 GMT",
	    "Sun, 06 Nov 1969 08:49:37 GMT",
	    "Sun, 06 Nov 1994 08:49:37 GMTx",
	    "Sun Nov 6 08:49:37 1994",
	    "Sunday, 06-Nov-1994 08:49:37 GMT",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		time_t t;
		if (parse(bad[i], &t) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
	}
	time_t t;
	assert_int_equal(parse("Tue, 29 Feb 2000 00:00:00 GMT", &t), 0);
	/* Only the given length counts. */
	assert_int_equal(http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT garbage", 29, &t), 0);
	assert_int_equal(t, 784111777);
}

/* Formatting then parsing gives the time back, and agrees with the C library. */
static void test_round_trip(void **state)
{
	(void)state;
	for (int64_t step = 0; step < 20000; step++) {
		time_t t = (time_t)(step * 654321 + step % 61);
		char out[HTTP_DATE_LEN + 1];
		assert_int_equal(http_date_format(t, out), 0);
		struct tm tm;
		gmtime_r(&t, &tm);
		char want[64];
		strftime(want, sizeof(want), "%a, %d %b %Y %H:%M:%S GMT", &tm);
		assert_string_equal(out, want);
		time_t back;
		assert_int_equal(parse(out, &back), 0);
		assert_int_equal(back, t);
	}
}

static void test_days_from_civil(void **state)
{
	(void)state;
	assert_int_equal(http_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(http_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(http_days_from_civil(2000, 3, 1), 11017);
	for (int64_t day = 0; day < 200 * 366; day += 7) {
		time_t t = (time_t)(day * 86400);
		struct tm tm;
		gmtime_r(&t, &tm);
		assert_int_equal(http_days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
		                                      (unsigned)tm.tm_mday),
		                 day);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format),          cmocka_unit_test(test_three_formats),
	    cmocka_unit_test(test_invalid),         cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_days_from_civil),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
