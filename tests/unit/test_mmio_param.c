/* test_mmio_param.c - host unit tests for virtio/mmio_param.c ("virtio_mmio.device="
 * values in Linux's form). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "virtio/mmio_param.h"

static void expect_ok(const char *text, uint64_t size, uint64_t base, uint32_t irq)
{
	struct mmio_param p = {0};
	const char *why = NULL;

	assert_int_equal(mmio_param_parse(text, &p, &why), 0);
	assert_null(why);
	assert_int_equal(p.size, size);
	assert_int_equal(p.base, base);
	assert_int_equal(p.irq, irq);
}

static void expect_bad(const char *text, const char *reason)
{
	struct mmio_param p = {1, 2, 3};
	const char *why = NULL;

	assert_int_equal(mmio_param_parse(text, &p, &why), -EINVAL);
	assert_non_null(why);
	assert_string_equal(why, reason);
	/* Untouched on failure. */
	assert_int_equal(p.base, 1);
	assert_int_equal(p.size, 2);
	assert_int_equal(p.irq, 3);
}

/* What QEMU's microvm appends (hw/i386/microvm.c: "512@0x%lx:%ld"). */
static void test_microvm_form(void **state)
{
	(void)state;
	expect_ok("512@0xfeb00e00:12", 512, 0xfeb00e00, 12);
	expect_ok("512@0xfeb00000:5", 512, 0xfeb00000, 5);
	expect_ok("512@0xFEB00C00:47", 512, 0xfeb00c00, 47);
}

static void test_suffixes(void **state)
{
	(void)state;
	expect_ok("4K@0xd0000000:3", 4096, 0xd0000000, 3);
	expect_ok("4k@0xd0000000:3", 4096, 0xd0000000, 3);
	expect_ok("1M@0x100000000:9", 1ull << 20, 0x100000000ull, 9);
	expect_ok("2g@0x0:1", 2ull << 30, 0, 1);
	expect_ok("1T@0x0:1", 1ull << 40, 0, 1);
	expect_ok("1P@4096:1", 1ull << 50, 4096, 1);
	expect_ok("1e@0:1", 1ull << 60, 0, 1);
	expect_bad("16E@0:1", "size too large");
	expect_bad("4X@0x1000:1", "no '@' after the size");
}

/* Sizes and bases are C integers (Linux: memparse, %lli); the IRQ and ID are decimal. */
static void test_radixes(void **state)
{
	(void)state;
	expect_ok("0x200@4096:10", 512, 4096, 10);
	expect_ok("01000@010000:10", 512, 4096, 10);
	expect_ok("512@0x1000:010", 512, 0x1000, 10); /* 010 is ten, as %u reads it */
	expect_ok("512@0x1000:12:0", 512, 0x1000, 12);
	expect_ok("512@0x1000:12:7", 512, 0x1000, 12);
	expect_bad("512@0x1000:0x12", "unexpected text after the IRQ");
	expect_bad("0x@0x1000:1", "no '@' after the size"); /* "0" then "x" */
	expect_bad("512@0x:1", "no ':' after the base address");
	expect_bad("512@08:1", "no ':' after the base address"); /* 8 is not octal */
}

static void test_malformed(void **state)
{
	(void)state;
	expect_bad("", "bad size");
	expect_bad(NULL, "bad size");
	expect_bad("@0x1000:1", "bad size");
	expect_bad("-512@0x1000:1", "bad size");
	expect_bad("512", "no '@' after the size");
	expect_bad("512@", "bad base address");
	expect_bad("512@0x1000", "no ':' after the base address");
	expect_bad("512@0x1000:", "bad IRQ");
	expect_bad("512@0x1000:-1", "bad IRQ");
	expect_bad("512@0x1000:12:", "bad device ID");
	expect_bad("512@0x1000:12:3x", "unexpected text after the IRQ");
	expect_bad("512@0x1000:12 ", "unexpected text after the IRQ");
	expect_bad("512 @0x1000:12", "no '@' after the size");
}

static void test_limits(void **state)
{
	(void)state;
	expect_ok("256@0x1000:0", 256, 0x1000, 0);
	expect_bad("255@0x1000:1", "size smaller than the register block (0x100)");
	expect_bad("0@0x1000:1", "size smaller than the register block (0x100)");
	expect_bad("512@0x1002:1", "base address not 4-byte aligned");
	expect_ok("512@0xfffffffffffffe00:1", 512, 0xfffffffffffffe00ull, 1);
	expect_bad("1K@0xfffffffffffffe00:1", "range past the end of the address space");
	expect_bad("512@0x10000000000000000:1", "bad base address"); /* 2^64 */
	expect_bad("99999999999999999999@0:1", "bad size");
	expect_ok("512@0x1000:255", 512, 0x1000, 255);
	expect_bad("512@0x1000:256", "IRQ out of range");
	expect_bad("512@0x1000:99999999999999999999", "bad IRQ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_microvm_form), cmocka_unit_test(test_suffixes),
	    cmocka_unit_test(test_radixes),      cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
