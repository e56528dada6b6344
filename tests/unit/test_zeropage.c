/* test_zeropage.c - host unit tests for boot/zeropage.c: zero pages built here the way
 * Firecracker fills them (setup header signatures, e820 table, command line and initrd
 * addresses), and the malformed ones a 64-bit entry must refuse. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "boot/zeropage.h"

static uint8_t page[ZEROPAGE_SIZE];
static struct zeropage_info info;

static void put(size_t offset, uint64_t value, size_t bytes)
{
	memcpy(page + offset, &value, bytes);
}

static void put_range(int i, uint64_t base, uint64_t length, uint32_t type)
{
	put(0x2d0 + (size_t)i * 20, base, 8);
	put(0x2d0 + (size_t)i * 20 + 8, length, 8);
	put(0x2d0 + (size_t)i * 20 + 16, type, 4);
}

/* A zero page as Firecracker writes it for a 128 MiB VM with a command line at 0x20000. */
static void firecracker_page(void)
{
	memset(page, 0, sizeof(page));
	put(0x1fe, 0xaa55, 2);
	put(0x202, 0x53726448, 4); /* "HdrS" */
	put(0x210, 0xff, 1);       /* type_of_loader: undefined */
	put(0x228, 0x20000, 4);
	put(0x238, 2048, 4);
	put(0x1e8, 2, 1);
	put_range(0, 0, 0x9fc00, 1);
	put_range(1, 0x100000, 128ull << 20, 1);
}

static void test_firecracker_page(void **state)
{
	const char *why = NULL;

	(void)state;
	firecracker_page();
	assert_true(zeropage_looks_valid(page));
	assert_int_equal(zeropage_parse(page, &info, &why), 0);
	assert_int_equal(info.range_count, 2);
	assert_int_equal(info.ranges[0].base, 0);
	assert_int_equal(info.ranges[0].length, 0x9fc00);
	assert_int_equal(info.ranges[1].base, 0x100000);
	assert_int_equal(info.ranges[1].length, 128ull << 20);
	assert_int_equal(info.ranges[1].type, 1);
	assert_int_equal(info.cmdline_phys, 0x20000);
	assert_int_equal(info.cmdline_size, 2048);
	assert_int_equal(info.initrd_phys, 0);
	assert_int_equal(info.initrd_size, 0);
	assert_int_equal(info.rsdp_phys, 0);
}

static void test_initrd_and_high_halves(void **state)
{
	(void)state;
	firecracker_page();
	put(0x218, 0x7f00000, 4);
	put(0x21c, 0x123456, 4);
	assert_int_equal(zeropage_parse(page, &info, NULL), 0);
	assert_int_equal(info.initrd_phys, 0x7f00000);
	assert_int_equal(info.initrd_size, 0x123456);
	/* The ext_ fields carry bits 32-63 of addresses above 4 GiB. */
	put(0x0c0, 0x1, 4);
	put(0x0c4, 0x2, 4);
	put(0x0c8, 0x3, 4);
	assert_int_equal(zeropage_parse(page, &info, NULL), 0);
	assert_int_equal(info.initrd_phys, 0x107f00000ull);
	assert_int_equal(info.initrd_size, 0x200123456ull);
	assert_int_equal(info.cmdline_phys, 0x300020000ull);
	/* An initrd address without a size is no initrd. */
	put(0x21c, 0, 4);
	put(0x0c4, 0, 4);
	assert_int_equal(zeropage_parse(page, &info, NULL), 0);
	assert_int_equal(info.initrd_phys, 0);
}

static void test_rsdp_only_from_protocol_2_14(void **state)
{
	(void)state;
	firecracker_page();
	put(0x070, 0xe0000, 8);
	assert_int_equal(zeropage_parse(page, &info, NULL), 0);
	assert_int_equal(info.rsdp_phys, 0); /* no version: the field may be junk */
	put(0x206, 0x020d, 2);
	assert_int_equal(zeropage_parse(page, &info, NULL), 0);
	assert_int_equal(info.rsdp_phys, 0);
	put(0x206, 0x020f, 2);
	assert_int_equal(zeropage_parse(page, &info, NULL), 0);
	assert_int_equal(info.protocol, 0x020f);
	assert_int_equal(info.rsdp_phys, 0xe0000);
}

static void test_full_table(void **state)
{
	(void)state;
	firecracker_page();
	put(0x1e8, 128, 1);
	for (int i = 0; i < 128; i++)
		put_range(i, (uint64_t)i << 30, 4096, (uint32_t)(i % 5) + 1);
	assert_int_equal(zeropage_parse(page, &info, NULL), 0);
	assert_int_equal(info.range_count, 128);
	assert_int_equal(info.ranges[127].base, 127ull << 30);
	assert_int_equal(info.ranges[127].type, 3);
}

static void test_refused_pages(void **state)
{
	const char *why;

	(void)state;
	firecracker_page();
	put(0x1fe, 0, 2);
	assert_false(zeropage_looks_valid(page));
	why = NULL;
	assert_int_equal(zeropage_parse(page, &info, &why), -EINVAL);
	assert_non_null(why);

	firecracker_page();
	put(0x202, 0x53726449, 4);
	assert_false(zeropage_looks_valid(page));
	assert_int_equal(zeropage_parse(page, &info, NULL), -EINVAL);

	firecracker_page();
	put(0x1e8, 0, 1);
	why = NULL;
	assert_int_equal(zeropage_parse(page, &info, &why), -EINVAL);
	assert_non_null(strstr(why, "no memory map"));

	firecracker_page();
	put(0x1e8, 129, 1);
	why = NULL;
	assert_int_equal(zeropage_parse(page, &info, &why), -EINVAL);
	assert_non_null(strstr(why, "128"));
	assert_int_equal(info.range_count, 0); /* nothing half-filled */
}

/* A page of other data (the BIOS loader's handoff, say) is not taken for a zero page. */
static void test_other_handoffs_are_not_zero_pages(void **state)
{
	(void)state;
	memset(page, 0, sizeof(page));
	put(0, 0x534f4d56, 4); /* the BIOS loader's "VMOS" magic */
	assert_false(zeropage_looks_valid(page));
	memset(page, 0xff, sizeof(page));
	assert_false(zeropage_looks_valid(page));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_firecracker_page),
	    cmocka_unit_test(test_initrd_and_high_halves),
	    cmocka_unit_test(test_rsdp_only_from_protocol_2_14),
	    cmocka_unit_test(test_full_table),
	    cmocka_unit_test(test_refused_pages),
	    cmocka_unit_test(test_other_handoffs_are_not_zero_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
