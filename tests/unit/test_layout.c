/* test_layout.c - host unit tests for mm/layout.c (usable ranges and the linear layout). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mm/layout.h"

#define K4 PAGE_SIZE_4K
#define M2 PAGE_SIZE_2M
#define G1 PAGE_SIZE_1G

#define USABLE   BOOT_MEM_USABLE
#define RESERVED BOOT_MEM_RESERVED
#define ACPI     BOOT_MEM_ACPI

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Big outputs live here rather than on the stack. */
static struct linear_layout layout;
static struct phys_range ranges[LAYOUT_MAX_RANGES];
static size_t range_count;

struct expect_run {
	uint64_t virt_off;
	uint64_t phys;
	uint64_t length;
	enum page_class page_class;
};

static uint64_t class_size(enum page_class pc)
{
	return pc == PAGE_CLASS_1G ? G1 : pc == PAGE_CLASS_2M ? M2 : K4;
}

static void expect_ranges(const struct phys_range *got, size_t got_count,
                          const struct phys_range *want, size_t want_count)
{
	assert_int_equal(got_count, want_count);
	for (size_t i = 0; i < want_count; i++) {
		assert_int_equal(got[i].start, want[i].start);
		assert_int_equal(got[i].end, want[i].end);
	}
}

static void expect_runs(const struct linear_layout *l, const struct expect_run *want, size_t n)
{
	assert_int_equal(l->run_count, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(l->runs[i].virt_off, want[i].virt_off);
		assert_int_equal(l->runs[i].phys, want[i].phys);
		assert_int_equal(l->runs[i].length, want[i].length);
		assert_int_equal(l->runs[i].page_class, want[i].page_class);
	}
}

/* Whether [a, b) lies inside the union of the sorted ranges @u. */
static bool covered(const struct phys_range *u, size_t n, uint64_t a, uint64_t b)
{
	while (a < b) {
		size_t i;

		for (i = 0; i < n; i++) {
			if (u[i].start <= a && a < u[i].end)
				break;
		}
		if (i == n)
			return false;
		a = u[i].end < b ? u[i].end : b;
	}
	return true;
}

/* The layout, checked against a brute-force model of what it must contain: @domain bounds
 * the physical addresses used (0 skips the brute-force part, for addresses near 2^64). */
static void check_layout(const struct linear_layout *l, const struct phys_range *u, size_t n,
                         bool allow_1g, uint64_t domain)
{
	uint64_t usable_bytes = 0;
	uint64_t sum = 0;
	uint64_t per_class[PAGE_CLASS_COUNT] = {0, 0, 0};

	for (size_t i = 0; i < n; i++)
		usable_bytes += u[i].end - u[i].start;
	assert_true(l->run_count > 0 || l->total == 0);
	for (size_t i = 0; i < l->run_count; i++) {
		const struct linear_run *r = &l->runs[i];
		uint64_t size = class_size(r->page_class);

		/* Contiguous, aligned, largest class first, maximal merging. */
		assert_int_equal(r->virt_off, sum);
		assert_true(r->length > 0);
		assert_int_equal(r->virt_off % size, 0);
		assert_int_equal(r->phys % size, 0);
		assert_int_equal(r->length % size, 0);
		if (i > 0) {
			const struct linear_run *p = &l->runs[i - 1];

			assert_true(p->page_class >= r->page_class);
			if (p->page_class == r->page_class) {
				assert_true(p->phys + p->length < r->phys); /* physical order */
			}
		}
		/* Inside usable memory, disjoint from the other runs. */
		assert_true(covered(u, n, r->phys, r->phys + r->length));
		for (size_t j = 0; j < i; j++) {
			const struct linear_run *o = &l->runs[j];

			assert_false(o->phys < r->phys + r->length &&
			             r->phys < o->phys + o->length);
		}
		sum += r->length;
		per_class[r->page_class] += r->length;
	}
	assert_int_equal(l->total, sum);
	for (int c = 0; c < PAGE_CLASS_COUNT; c++)
		assert_int_equal(l->class_bytes[c], per_class[c]);
	/* Every usable byte is in the range: nothing is taken out (no boot stack page). */
	assert_int_equal(l->total, usable_bytes);

	/* Translations at every run boundary, both ways, and misses outside. */
	for (size_t i = 0; i < l->run_count; i++) {
		const struct linear_run *r = &l->runs[i];
		uint64_t offs[3] = {r->virt_off, r->virt_off + r->length / 2,
		                    r->virt_off + r->length - 1};

		for (int k = 0; k < 3; k++) {
			uint64_t phys = 0;
			uint64_t contig = 0;
			uint64_t back = 0;

			assert_int_equal(layout_virt_to_phys(l, offs[k], &phys, &contig), 0);
			assert_int_equal(phys, r->phys + (offs[k] - r->virt_off));
			assert_true(contig >= r->virt_off + r->length - offs[k]);
			assert_true(covered(u, n, phys, phys + contig));
			assert_int_equal(layout_virt_to_phys(l, offs[k], &phys, NULL), 0);
			assert_int_equal(layout_phys_to_virt(l, phys, &back), 0);
			assert_int_equal(back, offs[k]);
		}
	}
	{
		uint64_t phys = 0;
		uint64_t off = 0;

		assert_int_equal(layout_virt_to_phys(l, l->total, &phys, NULL), -EFAULT);
		assert_int_equal(layout_virt_to_phys(l, UINT64_MAX, &phys, NULL), -EFAULT);
		/* A byte that is not usable has no linear offset. */
		for (size_t i = 0; i + 1 < n; i++) {
			if (u[i].end < u[i + 1].start)
				assert_int_equal(layout_phys_to_virt(l, u[i].end, &off), -EFAULT);
		}
	}
	if (domain == 0)
		return;

	/* Brute force: count whole aligned pages of each size; the layout must agree exactly. */
	{
		uint64_t want[PAGE_CLASS_COUNT] = {0, 0, 0};

		for (uint64_t a = 0; a + G1 <= domain; a += G1) {
			if (allow_1g && covered(u, n, a, a + G1))
				want[PAGE_CLASS_1G] += G1;
		}
		for (uint64_t a = 0; a + M2 <= domain; a += M2) {
			uint64_t g = a & ~(G1 - 1);

			if (!covered(u, n, a, a + M2))
				continue;
			if (allow_1g && covered(u, n, g, g + G1))
				continue;
			want[PAGE_CLASS_2M] += M2;
		}
		want[PAGE_CLASS_4K] = usable_bytes - want[PAGE_CLASS_2M] - want[PAGE_CLASS_1G];
		for (int c = 0; c < PAGE_CLASS_COUNT; c++)
			assert_int_equal(l->class_bytes[c], want[c]);
	}
}

/* What QEMU's firmware reports for -m 16M. */
static const struct boot_mem_range qemu_16m[] = {
    {0x0, 0x9fc00, USABLE},          /* low memory */
    {0x9fc00, 0x400, RESERVED},      /* EBDA */
    {0xf0000, 0x10000, RESERVED},    /* BIOS ROM */
    {0x100000, 0xee0000, USABLE},    /* up to the ACPI tables */
    {0xfffc0000, 0x40000, RESERVED}, /* flash */
};

static void test_usable_qemu_16m(void **state)
{
	static const struct phys_range want[] = {{0x0, 0x9f000}, {0x100000, 0xfe0000}};

	(void)state;
	assert_int_equal(layout_usable_ranges(qemu_16m, ARRAY_LEN(qemu_16m), NULL, 0, ranges,
	                                      LAYOUT_MAX_RANGES, &range_count),
	                 0);
	expect_ranges(ranges, range_count, want, ARRAY_LEN(want));
}

static void test_build_qemu_16m(void **state)
{
	static const struct expect_run want[] = {
	    {0x0, 0x200000, 0xc00000, PAGE_CLASS_2M},
	    {0xc00000, 0x0, 0x9f000, PAGE_CLASS_4K},
	    {0xc9f000, 0x100000, 0x100000, PAGE_CLASS_4K},
	    {0xd9f000, 0xe00000, 0x1e0000, PAGE_CLASS_4K},
	};

	(void)state;
	assert_int_equal(layout_usable_ranges(qemu_16m, ARRAY_LEN(qemu_16m), NULL, 0, ranges,
	                                      LAYOUT_MAX_RANGES, &range_count),
	                 0);
	for (int allow = 0; allow < 2; allow++) {
		assert_int_equal(layout_build(ranges, range_count, allow, &layout), 0);
		assert_int_equal(layout.total, 0xf7f000);
		assert_int_equal(layout.class_bytes[PAGE_CLASS_1G], 0);
		assert_int_equal(layout.class_bytes[PAGE_CLASS_2M], 0xc00000);
		assert_int_equal(layout.class_bytes[PAGE_CLASS_4K], 0x37f000);
		expect_runs(&layout, want, ARRAY_LEN(want));
		check_layout(&layout, ranges, range_count, allow, 16 * M2 * 8);
	}
}

static const struct boot_mem_range map_5g[] = {
    {0x100000000, 0x80000000, USABLE}, /* unsorted on purpose */
    {0xc0000000, 0x40000000, RESERVED},
    {0x100000, 0xbff00000, USABLE},
};

static void build_5g(bool allow_1g)
{
	static const struct phys_range want[] = {{0x100000, 0xc0000000},
	                                         {0x100000000, 0x180000000}};

	assert_int_equal(layout_usable_ranges(map_5g, ARRAY_LEN(map_5g), NULL, 0, ranges,
	                                      LAYOUT_MAX_RANGES, &range_count),
	                 0);
	expect_ranges(ranges, range_count, want, ARRAY_LEN(want));
	assert_int_equal(layout_build(ranges, range_count, allow_1g, &layout), 0);
	check_layout(&layout, ranges, range_count, allow_1g, 0x180000000);
}

static void test_build_5g_with_1g(void **state)
{
	static const struct expect_run want[] = {
	    {0x0, 0x40000000, 0x80000000, PAGE_CLASS_1G},
	    {0x80000000, 0x100000000, 0x80000000, PAGE_CLASS_1G},
	    {0x100000000, 0x200000, 0x3fe00000, PAGE_CLASS_2M},
	    {0x13fe00000, 0x100000, 0x100000, PAGE_CLASS_4K},
	};
	uint64_t phys = 0;
	uint64_t contig = 0;

	(void)state;
	build_5g(true);
	expect_runs(&layout, want, ARRAY_LEN(want));
	assert_int_equal(layout.total, 0x13ff00000);
	assert_int_equal(layout.class_bytes[PAGE_CLASS_1G], 0x100000000);
	/* The last byte of the first 1 GiB run and the first of the second. */
	assert_int_equal(layout_virt_to_phys(&layout, 0x7fffffff, &phys, &contig), 0);
	assert_int_equal(phys, 0xbfffffff);
	assert_int_equal(contig, 1);
	assert_int_equal(layout_virt_to_phys(&layout, 0x80000000, &phys, &contig), 0);
	assert_int_equal(phys, 0x100000000);
	assert_int_equal(contig, 0x80000000);
}

static void test_build_5g_without_1g(void **state)
{
	static const struct expect_run want[] = {
	    {0x0, 0x200000, 0xbfe00000, PAGE_CLASS_2M},
	    {0xbfe00000, 0x100000000, 0x80000000, PAGE_CLASS_2M},
	    {0x13fe00000, 0x100000, 0x100000, PAGE_CLASS_4K},
	};

	(void)state;
	build_5g(false);
	expect_runs(&layout, want, ARRAY_LEN(want));
	assert_int_equal(layout.class_bytes[PAGE_CLASS_1G], 0);
	assert_int_equal(layout.total, 0x13ff00000);
}

/* Only 1 GiB pages: they stay whole (no page is split for a boot stack any more). */
static void test_build_only_1g(void **state)
{
	static const struct phys_range usable[] = {{0x40000000, 0xc0000000}};
	static const struct expect_run want[] = {
	    {0x0, 0x40000000, 0x80000000, PAGE_CLASS_1G},
	};

	(void)state;
	assert_int_equal(layout_build(usable, 1, true, &layout), 0);
	expect_runs(&layout, want, ARRAY_LEN(want));
	assert_int_equal(layout.class_bytes[PAGE_CLASS_2M], 0);
	check_layout(&layout, usable, 1, true, 0xc0000000);
}

/* A 1 GiB page with a 4 KiB page on either side; the 4 KiB pieces come last. */
static void test_build_1g_with_4k(void **state)
{
	static const struct phys_range usable[] = {{0x3ffff000, 0x80001000}};
	static const struct expect_run want[] = {
	    {0x0, 0x40000000, 0x40000000, PAGE_CLASS_1G},
	    {0x40000000, 0x3ffff000, 0x1000, PAGE_CLASS_4K},
	    {0x40001000, 0x80000000, 0x1000, PAGE_CLASS_4K},
	};

	(void)state;
	assert_int_equal(layout_build(usable, 1, true, &layout), 0);
	expect_runs(&layout, want, ARRAY_LEN(want));
	check_layout(&layout, usable, 1, true, 0x80001000);
	/* Without 1 GiB pages the same range is 512 pages of 2 MiB. */
	assert_int_equal(layout_build(usable, 1, false, &layout), 0);
	assert_int_equal(layout.class_bytes[PAGE_CLASS_2M], 512 * M2);
	check_layout(&layout, usable, 1, false, 0x80001000);
}

/* Runs of different classes that follow on physically count as one contiguous stretch. */
static void test_contig_across_classes(void **state)
{
	static const struct phys_range usable[] = {{0x40000000, 0xc0200000}};
	static const struct expect_run want[] = {
	    {0x0, 0x40000000, 0x80000000, PAGE_CLASS_1G},
	    {0x80000000, 0xc0000000, 0x200000, PAGE_CLASS_2M},
	};
	uint64_t phys = 0;
	uint64_t contig = 0;

	(void)state;
	assert_int_equal(layout_build(usable, 1, true, &layout), 0);
	expect_runs(&layout, want, ARRAY_LEN(want));
	assert_int_equal(layout_virt_to_phys(&layout, 0x7ffff000, &phys, &contig), 0);
	assert_int_equal(phys, 0xbffff000);
	assert_int_equal(contig, 0x1000 + M2);
	assert_int_equal(layout_virt_to_phys(&layout, 0, &phys, &contig), 0);
	assert_int_equal(contig, 0x80000000 + M2);
	check_layout(&layout, usable, 1, true, 0xc0200000);
}

/* Adjacent input ranges merge into one run per class. */
static void test_build_merges_adjacent_ranges(void **state)
{
	static const struct phys_range usable[] = {
	    {0x1000, 0x3000}, {0x3000, 0x5000}, {0x200000, 0x400000}, {0x400000, 0x800000}};
	static const struct expect_run want[] = {
	    {0x0, 0x200000, 0x600000, PAGE_CLASS_2M},
	    {0x600000, 0x1000, 0x4000, PAGE_CLASS_4K},
	};

	/* Touching ranges are one span for page splitting too: a 1 GiB page across them. */
	static const struct phys_range straddle[] = {{0x200000, 0x60000000},
	                                             {0x60000000, 0x80000000}};
	static const struct expect_run want_straddle[] = {
	    {0x0, 0x40000000, 0x40000000, PAGE_CLASS_1G},
	    {0x40000000, 0x200000, 0x3fe00000, PAGE_CLASS_2M},
	};

	(void)state;
	assert_int_equal(layout_build(usable, ARRAY_LEN(usable), true, &layout), 0);
	expect_runs(&layout, want, ARRAY_LEN(want));
	check_layout(&layout, usable, ARRAY_LEN(usable), true, 0x800000);
	assert_int_equal(layout_build(straddle, ARRAY_LEN(straddle), true, &layout), 0);
	expect_runs(&layout, want_straddle, ARRAY_LEN(want_straddle));
	check_layout(&layout, straddle, ARRAY_LEN(straddle), true, 0x80000000);
}

/* Ragged ends are shrunk to whole pages rather than mapped. */
static void test_build_unaligned_input(void **state)
{
	static const struct phys_range usable[] = {{0x1800, 0x400800}};
	static const struct phys_range aligned[] = {{0x2000, 0x400000}};
	static const struct expect_run want[] = {
	    {0x0, 0x200000, 0x200000, PAGE_CLASS_2M},
	    {0x200000, 0x2000, 0x1fe000, PAGE_CLASS_4K},
	};

	(void)state;
	assert_int_equal(layout_build(usable, 1, true, &layout), 0);
	expect_runs(&layout, want, ARRAY_LEN(want));
	check_layout(&layout, aligned, 1, true, 0x400000);
}

/* No whole 2 MiB page is no longer an error (there is no stack page to find): all of it
 * is mapped with 4 KiB pages. */
static void test_build_no_2m_page(void **state)
{
	/* 4 MiB of memory, but a page missing in each 2 MiB block. */
	static const struct phys_range usable[] = {{0x1000, 0x200000}, {0x201000, 0x400000}};
	static const struct expect_run want[] = {
	    {0x0, 0x1000, 0x1ff000, PAGE_CLASS_4K},
	    {0x1ff000, 0x201000, 0x1ff000, PAGE_CLASS_4K},
	};

	(void)state;
	for (int allow = 0; allow < 2; allow++) {
		assert_int_equal(layout_build(usable, 2, allow, &layout), 0);
		expect_runs(&layout, want, ARRAY_LEN(want));
		assert_int_equal(layout.total, 0x3fe000);
		check_layout(&layout, usable, 2, allow, 0x400000);
	}
}

/* -ENOMEM only when there is not one whole page; the layout is left empty. */
static void test_build_empty(void **state)
{
	static const struct phys_range ragged[] = {{0x1800, 0x1900}, {0x2001, 0x2fff}};

	(void)state;
	layout.run_count = 7;
	layout.total = 7;
	layout.class_bytes[PAGE_CLASS_4K] = 7;
	assert_int_equal(layout_build(ragged, 0, true, &layout), -ENOMEM);
	assert_int_equal(layout.run_count, 0);
	assert_int_equal(layout.total, 0);
	assert_int_equal(layout.class_bytes[PAGE_CLASS_4K], 0);
	assert_int_equal(layout_build(ragged, ARRAY_LEN(ragged), false, &layout), -ENOMEM);
	assert_int_equal(layout.run_count, 0);
}

/* What QEMU's firmware reports for -m 3 (pc machine, SeaBIOS): the VM the memory floor is
 * measured in. With only page 0 reserved, the low 632 KiB join the 1920 KiB above 1 MiB:
 * everything in 4 KiB pages, since no 2 MiB page is whole. */
static void test_build_qemu_3m(void **state)
{
	static const struct boot_mem_range qemu_3m[] = {
	    {0x0, 0x9fc00, USABLE},        {0x9fc00, 0x400, RESERVED},
	    {0xf0000, 0x10000, RESERVED},  {0x100000, 0x1e0000, USABLE},
	    {0x2e0000, 0x20000, RESERVED}, {0xfffc0000, 0x40000, RESERVED},
	};
	static const struct phys_range page0[] = {{0x0, 0x1000}};
	static const struct phys_range want_ranges[] = {{0x1000, 0x9f000}, {0x100000, 0x2e0000}};
	static const struct expect_run want[] = {
	    {0x0, 0x1000, 0x9e000, PAGE_CLASS_4K},
	    {0x9e000, 0x100000, 0x1e0000, PAGE_CLASS_4K},
	};
	uint64_t off = 0;

	(void)state;
	assert_int_equal(layout_usable_ranges(qemu_3m, ARRAY_LEN(qemu_3m), page0, 1, ranges,
	                                      LAYOUT_MAX_RANGES, &range_count),
	                 0);
	expect_ranges(ranges, range_count, want_ranges, ARRAY_LEN(want_ranges));
	assert_int_equal(layout_build(ranges, range_count, true, &layout), 0);
	expect_runs(&layout, want, ARRAY_LEN(want));
	assert_int_equal(layout.total, 2552 * 1024);
	assert_int_equal(layout_phys_to_virt(&layout, 0x0, &off), -EFAULT); /* page 0 */
	assert_int_equal(layout_phys_to_virt(&layout, 0x9f000, &off), -EFAULT);
	check_layout(&layout, ranges, range_count, true, 4 * M2);
}

static void test_build_too_many_runs(void **state)
{
	static struct phys_range usable[1 + 1100];
	size_t n = 0;

	(void)state;
	usable[n].start = M2; /* one 2 MiB run */
	usable[n++].end = 2 * M2;
	for (uint64_t i = 0; i < 1100; i++, n++) {
		usable[n].start = 4 * M2 + i * 2 * K4;
		usable[n].end = usable[n].start + K4;
	}
	assert_int_equal(layout_build(usable, n, true, &layout), -ENOSPC);
	assert_int_equal(layout.run_count, 0);
	assert_int_equal(layout.total, 0);
	/* Exactly LAYOUT_MAX_RUNS runs still fit: the 2 MiB one and the 4 KiB ones. */
	assert_int_equal(layout_build(usable, LAYOUT_MAX_RUNS, true, &layout), 0);
	assert_int_equal(layout.run_count, LAYOUT_MAX_RUNS);
	assert_int_equal(layout_build(usable, 1 + LAYOUT_MAX_RUNS, true, &layout), -ENOSPC);
	assert_int_equal(layout_build(usable, 1 + 500, true, &layout), 0);
	check_layout(&layout, usable, 1 + 500, true, 4 * M2 + 1000 * K4);
}

static void test_usable_overlapping_unsorted(void **state)
{
	static const struct boot_mem_range map[] = {
	    {0x800000, 0x800000, USABLE},   {0x0, 0x600000, USABLE},   {0x500000, 0x400000, USABLE},
	    {0xa00800, 0x1000, ACPI},       {0x300000, 0x0, RESERVED}, {0x0, 0x1000, RESERVED},
	    {0xf00000, 0x200000, RESERVED}, {0x1000000, 0x0, USABLE},
	};
	static const struct phys_range want[] = {{0x1000, 0xa00000}, {0xa02000, 0xf00000}};

	(void)state;
	assert_int_equal(layout_usable_ranges(map, ARRAY_LEN(map), NULL, 0, ranges,
	                                      LAYOUT_MAX_RANGES, &range_count),
	                 0);
	expect_ranges(ranges, range_count, want, ARRAY_LEN(want));
}

/* Usability is decided per byte, then each stretch is rounded inward: two usable entries
 * meeting inside a page still make that page usable. */
static void test_usable_rounding(void **state)
{
	static const struct boot_mem_range map[] = {
	    {0x0, 0x1800, USABLE},     {0x1800, 0x1800, USABLE},     {0x10800, 0x800, USABLE},
	    {0x10000, 0x800, USABLE},  {0x20010, 0x100, USABLE},     {0x30001, 0x2ffe, USABLE},
	    {0x40000, 0x3000, USABLE}, {0x41fff, 0x2, BOOT_MEM_BAD},
	};
	static const struct phys_range want[] = {
	    {0x0, 0x3000}, {0x10000, 0x11000}, {0x31000, 0x32000}, {0x40000, 0x41000}};

	(void)state;
	assert_int_equal(layout_usable_ranges(map, ARRAY_LEN(map), NULL, 0, ranges,
	                                      LAYOUT_MAX_RANGES, &range_count),
	                 0);
	expect_ranges(ranges, range_count, want, ARRAY_LEN(want));
}

static void test_usable_reserved_cuts(void **state)
{
	static const struct boot_mem_range map[] = {{0x0, 0x4000000, USABLE}};
	static const struct phys_range reserved[] = {
	    {0x1000123, 0x11fff00}, {0x2000000, 0x2000001}, {0x5000, 0x5000}, {0x9000, 0x8000}};
	static const struct phys_range want[] = {
	    {0x0, 0x1000000}, {0x1200000, 0x2000000}, {0x2001000, 0x4000000}};

	(void)state;
	assert_int_equal(layout_usable_ranges(map, 1, reserved, ARRAY_LEN(reserved), ranges,
	                                      LAYOUT_MAX_RANGES, &range_count),
	                 0);
	expect_ranges(ranges, range_count, want, ARRAY_LEN(want));
	/* The reserved ranges in the middle keep the runs out of them. */
	assert_int_equal(layout_build(ranges, range_count, true, &layout), 0);
	check_layout(&layout, ranges, range_count, true, 0x4000000);
}

static void test_usable_overflow(void **state)
{
	static const struct boot_mem_range map[] = {
	    {0xffffffff00000000, 0x200000000, USABLE},
	    {0xfffffffff0000000, UINT64_MAX, RESERVED},
	    {0x0, UINT64_MAX, ACPI}, /* overrides every usable byte */
	    {0x0, 0x1000, USABLE},
	};
	static const struct phys_range want_all[] = {{0xffffffff00000000, 0xfffffffffffff000}};
	static const struct phys_range want_cut[] = {{0xffffffff00000000, 0xfffffffff0000000}};

	(void)state;
	assert_int_equal(
	    layout_usable_ranges(map, 1, NULL, 0, ranges, LAYOUT_MAX_RANGES, &range_count), 0);
	expect_ranges(ranges, range_count, want_all, 1);
	assert_int_equal(
	    layout_usable_ranges(map, 2, NULL, 0, ranges, LAYOUT_MAX_RANGES, &range_count), 0);
	expect_ranges(ranges, range_count, want_cut, 1);
	assert_int_equal(
	    layout_usable_ranges(map, 4, NULL, 0, ranges, LAYOUT_MAX_RANGES, &range_count), 0);
	assert_int_equal(range_count, 0);
	/* Pages near the top still build (no brute force that high): 3 GiB of 1 GiB pages,
	 * then the 2 MiB pages above them. */
	assert_int_equal(layout_build(want_cut, 1, true, &layout), 0);
	assert_int_equal(layout.class_bytes[PAGE_CLASS_1G], 3 * G1);
	assert_int_equal(layout.class_bytes[PAGE_CLASS_2M], 0x30000000);
	check_layout(&layout, want_cut, 1, true, 0);
}

static void test_usable_enospc(void **state)
{
	static const struct boot_mem_range map[] = {
	    {0x0, 0x1000, USABLE}, {0x3000, 0x1000, USABLE}, {0x5000, 0x1000, USABLE}};

	(void)state;
	range_count = 99;
	assert_int_equal(layout_usable_ranges(map, 3, NULL, 0, ranges, 2, &range_count), -ENOSPC);
	assert_int_equal(range_count, 0);
	assert_int_equal(layout_usable_ranges(map, 3, NULL, 0, ranges, 3, &range_count), 0);
	assert_int_equal(range_count, 3);
	assert_int_equal(layout_usable_ranges(map, 0, NULL, 0, ranges, 0, &range_count), 0);
	assert_int_equal(range_count, 0);
	assert_int_equal(layout_usable_ranges(map, 3, NULL, 0, ranges, 0, &range_count), -ENOSPC);
}

static void test_virt_to_phys_out_of_range(void **state)
{
	uint64_t phys = 0x1234;
	uint64_t off = 0x5678;

	(void)state;
	assert_int_equal(layout_usable_ranges(qemu_16m, ARRAY_LEN(qemu_16m), NULL, 0, ranges,
	                                      LAYOUT_MAX_RANGES, &range_count),
	                 0);
	assert_int_equal(layout_build(ranges, range_count, false, &layout), 0);
	assert_int_equal(layout_virt_to_phys(&layout, layout.total, &phys, NULL), -EFAULT);
	assert_int_equal(layout_virt_to_phys(&layout, layout.total + 0x1000, &phys, NULL), -EFAULT);
	assert_int_equal(layout_virt_to_phys(&layout, layout.total - 1, &phys, &off), 0);
	assert_int_equal(phys, 0xfdffff);
	assert_int_equal(off, 1);
	assert_int_equal(layout_phys_to_virt(&layout, 0x9f000, &off), -EFAULT); /* a hole */
	assert_int_equal(layout_phys_to_virt(&layout, 0xfe0000, &off), -EFAULT);
	assert_int_equal(layout_phys_to_virt(&layout, 0x100000, &off), 0);
	assert_int_equal(off, 0xc9f000);
	/* An empty layout has nothing to translate. */
	layout.run_count = 0;
	layout.total = 0;
	assert_int_equal(layout_virt_to_phys(&layout, 0, &phys, NULL), -EFAULT);
	assert_int_equal(layout_phys_to_virt(&layout, 0, &off), -EFAULT);
}

/* Deterministic pseudo-random numbers (xorshift64). */
static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void paint(bool *model, uint64_t from, uint64_t to, bool usable)
{
	for (uint64_t u = from; u < to; u++)
		model[u] = usable;
}

/* Random maps over [0, units * unit): paint a unit-granular model (usable entries, then
 * holes) and compare layout_usable_ranges with the whole pages the model allows. */
static void random_maps(uint64_t unit, uint64_t units, int rounds)
{
	static bool model[1 << 17];
	static struct boot_mem_range map[24];
	static struct phys_range reserved[4];
	static struct phys_range want[LAYOUT_MAX_RANGES];

	assert_true(units <= ARRAY_LEN(model));
	for (int round = 0; round < rounds; round++) {
		size_t n = 1 + rng() % ARRAY_LEN(map);
		size_t nres = rng() % (ARRAY_LEN(reserved) + 1);
		size_t nwant = 0;
		uint64_t per_page = unit < K4 ? K4 / unit : 1;
		uint64_t page_units = unit < K4 ? per_page : 1;
		int err;

		memset(model, 0, sizeof(model));
		for (size_t i = 0; i < n; i++) {
			uint64_t a = rng() % units;
			uint64_t len = rng() % 4 == 0 ? rng() % 8 : rng() % (units / 2 + 1);

			if (rng() % 3 == 0)
				a &= ~(uint64_t)(per_page - 1); /* often page aligned */
			if (a + len > units)
				len = units - a;
			map[i].base = a * unit;
			map[i].length = len * unit;
			map[i].type = rng() % 5 < 3 ? USABLE : 2 + rng() % 4;
		}
		for (size_t i = 0; i < nres; i++) {
			uint64_t a = rng() % units;
			uint64_t len = rng() % (units / 16 + 1);

			if (a + len > units)
				len = units - a;
			reserved[i].start = a * unit;
			reserved[i].end = (a + len) * unit;
		}
		for (size_t i = 0; i < n; i++) {
			if (map[i].type != USABLE)
				continue;
			paint(model, map[i].base / unit, (map[i].base + map[i].length) / unit,
			      true);
		}
		for (size_t i = 0; i < n; i++) {
			if (map[i].type == USABLE)
				continue;
			paint(model, map[i].base / unit, (map[i].base + map[i].length) / unit,
			      false);
		}
		for (size_t i = 0; i < nres; i++)
			paint(model, reserved[i].start / unit, reserved[i].end / unit, false);
		/* Whole pages whose every unit is usable, merged into ranges. */
		for (uint64_t u = 0; u + page_units <= units; u += page_units) {
			bool ok = true;
			uint64_t start = u * unit;
			uint64_t end = (u + page_units) * unit;

			for (uint64_t k = 0; k < page_units; k++)
				ok = ok && model[u + k];
			if (!ok)
				continue;
			if (nwant > 0 && want[nwant - 1].end == start) {
				want[nwant - 1].end = end;
			} else {
				assert_true(nwant < ARRAY_LEN(want));
				want[nwant].start = start;
				want[nwant++].end = end;
			}
		}
		err = layout_usable_ranges(map, n, reserved, nres, ranges, LAYOUT_MAX_RANGES,
		                           &range_count);
		assert_int_equal(err, 0);
		expect_ranges(ranges, range_count, want, nwant);

		for (int allow = 0; allow < 2; allow++) {
			/* -ENOMEM exactly when there is no usable page at all. */
			err = layout_build(ranges, range_count, allow, &layout);
			if (range_count == 0) {
				assert_int_equal(err, -ENOMEM);
				continue;
			}
			assert_int_equal(err, 0);
			check_layout(&layout, ranges, range_count, allow, units * unit);
		}
	}
}

/* Byte-granular edges in a 16 MiB space: exercises the rounding. */
static void test_random_fine(void **state)
{
	(void)state;
	rng_state = 0x9e3779b97f4a7c15ull;
	random_maps(256, 1 << 16, 300);
}

/* 64 KiB-granular edges in an 8 GiB space: exercises all three page sizes. */
static void test_random_coarse(void **state)
{
	(void)state;
	rng_state = 0x2545f4914f6cdd1dull;
	random_maps(0x10000, 1 << 17, 60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_usable_qemu_16m),
	    cmocka_unit_test(test_build_qemu_16m),
	    cmocka_unit_test(test_build_5g_with_1g),
	    cmocka_unit_test(test_build_5g_without_1g),
	    cmocka_unit_test(test_build_only_1g),
	    cmocka_unit_test(test_build_1g_with_4k),
	    cmocka_unit_test(test_contig_across_classes),
	    cmocka_unit_test(test_build_merges_adjacent_ranges),
	    cmocka_unit_test(test_build_unaligned_input),
	    cmocka_unit_test(test_build_no_2m_page),
	    cmocka_unit_test(test_build_empty),
	    cmocka_unit_test(test_build_qemu_3m),
	    cmocka_unit_test(test_build_too_many_runs),
	    cmocka_unit_test(test_usable_overlapping_unsorted),
	    cmocka_unit_test(test_usable_rounding),
	    cmocka_unit_test(test_usable_reserved_cuts),
	    cmocka_unit_test(test_usable_overflow),
	    cmocka_unit_test(test_usable_enospc),
	    cmocka_unit_test(test_virt_to_phys_out_of_range),
	    cmocka_unit_test(test_random_fine),
	    cmocka_unit_test(test_random_coarse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
