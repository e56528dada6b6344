/* test_format.c - host unit tests for kernel/format.c (the kernel log's printf). Each case
 * is checked against the host C library's snprintf, which defines the expected output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/console.h"

/* kvprintf writes through the console; capture it instead of a UART. */
static char captured[1024];
static size_t captured_len;

void console_write(const char *s, size_t len)
{
	if (captured_len + len < sizeof(captured)) {
		memcpy(captured + captured_len, s, len);
		captured_len += len;
		captured[captured_len] = '\0';
	}
}

#define SAME_AS_LIBC(...)                                                                          \
	do {                                                                                       \
		char want[256], got[256];                                                          \
		int wn = snprintf(want, sizeof(want), __VA_ARGS__);                                \
		int gn = ksnprintf(got, sizeof(got), __VA_ARGS__);                                 \
		assert_string_equal(got, want);                                                    \
		assert_int_equal(gn, wn);                                                          \
	} while (0)

static void test_integers(void **state)
{
	(void)state;
	SAME_AS_LIBC("%d %i %u", -42, 7, 4000000000u);
	SAME_AS_LIBC("%ld %lu", (long)INT64_MIN, (unsigned long)UINT64_MAX);
	SAME_AS_LIBC("%x %X %o", 0xbeefu, 0xbeefu, 8u);
	SAME_AS_LIBC("%lx", (unsigned long)0xffffc00000000000ull);
	SAME_AS_LIBC("%zu %zx", (size_t)12345, (size_t)0xabc);
	SAME_AS_LIBC("%hhu %hu %hhd %hd", 300, 70000, 200, 40000);
}

static void test_width_and_flags(void **state)
{
	(void)state;
	SAME_AS_LIBC("[%5d] [%-5d] [%05d] [%05d]", 42, 42, 42, -42);
	SAME_AS_LIBC("[%#x] [%#lx] [%#x]", 255u, 0x1000ul, 0u);
	SAME_AS_LIBC("[%#010x] [%016lx]", 0xabcu, 0x1234ul);
	SAME_AS_LIBC("[%*d] [%-*d]", 6, 1, 6, 1);
	SAME_AS_LIBC("[%8s] [%-8s] [%.3s] [%.*s]", "ab", "ab", "abcdef", 2, "xyz");
	SAME_AS_LIBC("[%c] [%3c] [%%]", 'z', 'y');
	SAME_AS_LIBC("%p", (void *)0xffffc00000001000ull);
}

static void test_truncation(void **state)
{
	(void)state;
	char buf[8];
	int n = ksnprintf(buf, sizeof(buf), "%s", "0123456789");

	assert_int_equal(n, 10);
	assert_string_equal(buf, "0123456");
	n = ksnprintf(buf, 1, "%d", 12345);
	assert_int_equal(n, 5);
	assert_string_equal(buf, "");
	n = ksnprintf(NULL, 0, "abc");
	assert_int_equal(n, 3);
}

static void test_null_string_and_unknown_conversion(void **state)
{
	(void)state;
	char buf[32];
	/* Through variables: the compiler would (rightly) refuse these as literals. */
	const char *volatile null_string = NULL;
	const char *volatile unknown = "a%qb";
	const char *volatile trailing = "end%";

	ksnprintf(buf, sizeof(buf), "%s", null_string);
	assert_string_equal(buf, "(null)");
	ksnprintf(buf, sizeof(buf), unknown);
	assert_string_equal(buf, "a%qb");
	ksnprintf(buf, sizeof(buf), trailing);
	assert_string_equal(buf, "end");
}

static void test_kprintf_goes_to_console(void **state)
{
	(void)state;
	captured_len = 0;
	int n = kprintf("boot %s %d\n", "ok", 3);
	assert_int_equal(n, 10);
	assert_string_equal(captured, "boot ok 3\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_integers),
	    cmocka_unit_test(test_width_and_flags),
	    cmocka_unit_test(test_truncation),
	    cmocka_unit_test(test_null_string_and_unknown_conversion),
	    cmocka_unit_test(test_kprintf_goes_to_console),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
