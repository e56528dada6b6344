/* test_pmm.c - host unit tests for mm/pmm.c (bitmap page allocator). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mm/pmm.h"

#define PAGE 0x1000ull

static struct pmm pmm;
static uint64_t *bitmap;

/* A fresh allocator over @pages pages at @base, all used; the bitmap is poisoned first so
 * that pmm_init has to set every word. */
static void setup(uint64_t base, uint64_t pages)
{
	uint64_t bytes = pmm_bitmap_bytes(pages);

	free(bitmap);
	bitmap = malloc(bytes ? bytes : 8);
	assert_non_null(bitmap);
	memset(bitmap, 0, bytes);
	pmm_init(&pmm, base, pages, bitmap);
}

static int teardown(void **state)
{
	(void)state;
	free(bitmap);
	bitmap = NULL;
	return 0;
}

/* Free pages counted the slow way. */
static uint64_t count_free(void)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < pmm.page_count; i++)
		n += !pmm_is_used(&pmm, pmm.base + i * PAGE);
	return n;
}

static void test_bitmap_bytes(void **state)
{
	(void)state;
	assert_int_equal(pmm_bitmap_bytes(0), 0);
	assert_int_equal(pmm_bitmap_bytes(1), 8);
	assert_int_equal(pmm_bitmap_bytes(64), 8);
	assert_int_equal(pmm_bitmap_bytes(65), 16);
	assert_int_equal(pmm_bitmap_bytes(1310720), 163840);
	assert_int_equal(pmm_bitmap_bytes(UINT64_MAX), (UINT64_MAX / 64 + 1) * 8);
}

static void test_init_all_used(void **state)
{
	uint64_t addr = 0;

	(void)state;
	setup(0x200000, 100);
	assert_int_equal(pmm.free_pages, 0);
	assert_int_equal(pmm.page_count, 100);
	assert_int_equal(pmm.base, 0x200000);
	for (uint64_t i = 0; i < 100; i++)
		assert_true(pmm_is_used(&pmm, 0x200000 + i * PAGE));
	assert_int_equal(pmm_alloc(&pmm, 1, 0, &addr), -ENOMEM);
	/* Zero pages is an empty allocator, not a crash. */
	setup(0x200000, 0);
	assert_int_equal(pmm_alloc(&pmm, 1, 0, &addr), -ENOMEM);
	assert_false(pmm_is_used(&pmm, 0x200000));
}

static void test_alloc_free_basic(void **state)
{
	uint64_t a = 0;
	uint64_t b = 0;
	uint64_t c = 0;

	(void)state;
	setup(0x200000, 100);
	assert_int_equal(pmm_mark_free(&pmm, 0x200000, 100), 0);
	assert_int_equal(pmm.free_pages, 100);
	assert_int_equal(pmm_alloc(&pmm, 1, 0, &a), 0);
	assert_int_equal(a, 0x200000);
	assert_int_equal(pmm_alloc(&pmm, 1, 1, &b), 0);
	assert_int_equal(b, 0x201000);
	assert_int_equal(pmm_alloc(&pmm, 10, 0, &c), 0);
	assert_int_equal(c, 0x202000);
	assert_int_equal(pmm.free_pages, 88);
	assert_true(pmm_is_used(&pmm, c));
	assert_true(pmm_is_used(&pmm, c + 10 * PAGE - 1)); /* any byte of the page */
	assert_false(pmm_is_used(&pmm, c + 10 * PAGE));
	assert_false(pmm_is_used(&pmm, 0x200000 + 100 * PAGE)); /* padding bits are set */
	assert_false(pmm_is_used(&pmm, 0x1ff000));
	assert_int_equal(pmm_free(&pmm, b, 1), 0);
	assert_false(pmm_is_used(&pmm, b));
	assert_int_equal(pmm_free(&pmm, c, 10), 0);
	assert_int_equal(pmm_free(&pmm, a, 1), 0);
	assert_int_equal(pmm.free_pages, 100);
	assert_int_equal(count_free(), 100);
	/* Next fit: the search goes on after the last allocation, not from the start. */
	assert_int_equal(pmm_alloc(&pmm, 1, 0, &a), 0);
	assert_int_equal(a, 0x20c000);
}

static void test_alignment(void **state)
{
	uint64_t addr = 0;

	(void)state;
	setup(0x1000, 1024); /* page 0 is at 4 KiB: index alignment != address alignment */
	assert_int_equal(pmm_mark_free(&pmm, 0x1000, 1024), 0);
	assert_int_equal(pmm_alloc(&pmm, 1, 8, &addr), 0);
	assert_int_equal(addr, 0x8000);
	assert_int_equal(pmm_alloc(&pmm, 3, 16, &addr), 0);
	assert_int_equal(addr, 0x10000);
	assert_int_equal(pmm_alloc(&pmm, 1, 0, &addr), 0);
	assert_int_equal(addr, 0x13000);
	assert_int_equal(pmm_alloc(&pmm, 512, 512, &addr), 0);
	assert_int_equal(addr, 0x200000);
	assert_int_equal(pmm.free_pages, 1024 - 517);
	/* The pages skipped for alignment stay free. */
	assert_false(pmm_is_used(&pmm, 0x1000));
	assert_false(pmm_is_used(&pmm, 0x7000));
	assert_false(pmm_is_used(&pmm, 0x14000));
	/* Another 512-aligned run of 512 pages does not exist below 0x401000. */
	assert_int_equal(pmm_alloc(&pmm, 512, 512, &addr), -ENOMEM);
	assert_int_equal(pmm_alloc(&pmm, 1, 1ull << 40, &addr), -ENOMEM);
	assert_int_equal(pmm_alloc(&pmm, 1, 1ull << 63, &addr), -ENOMEM);
	assert_int_equal(pmm.free_pages, 1024 - 517);
	assert_int_equal(count_free(), 1024 - 517);
}

static void test_bad_arguments(void **state)
{
	uint64_t addr = 0;

	(void)state;
	setup(0x100000, 64);
	assert_int_equal(pmm_mark_free(&pmm, 0x100000, 64), 0);
	assert_int_equal(pmm_alloc(&pmm, 0, 0, &addr), -EINVAL);
	assert_int_equal(pmm_alloc(&pmm, 1, 3, &addr), -EINVAL);
	assert_int_equal(pmm_alloc(&pmm, 1, 6, &addr), -EINVAL);
	assert_int_equal(pmm_alloc(&pmm, 1, UINT64_MAX, &addr), -EINVAL);
	assert_int_equal(pmm_alloc(&pmm, 65, 0, &addr), -ENOMEM);
	assert_int_equal(pmm_alloc(&pmm, UINT64_MAX, 0, &addr), -ENOMEM);

	/* Spans that are unaligned or leave the range, for every call that takes one. */
	int (*const fns[])(struct pmm *, uint64_t, uint64_t) = {pmm_mark_free, pmm_mark_used,
	                                                        pmm_free};
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		assert_int_equal(fns[i](&pmm, 0x100800, 1), -EINVAL);
		assert_int_equal(fns[i](&pmm, 0xff000, 1), -EINVAL);
		assert_int_equal(fns[i](&pmm, 0x100000 + 64 * PAGE, 1), -EINVAL);
		assert_int_equal(fns[i](&pmm, 0x100000 + 63 * PAGE, 2), -EINVAL);
		assert_int_equal(fns[i](&pmm, 0x100000, 65), -EINVAL);
		assert_int_equal(fns[i](&pmm, 0x100000 + PAGE, UINT64_MAX), -EINVAL);
		assert_int_equal(fns[i](&pmm, UINT64_MAX & ~(PAGE - 1), 1), -EINVAL);
	}
	assert_int_equal(pmm.free_pages, 64);
	assert_int_equal(count_free(), 64);
	/* An empty span is fine to mark but not to free. */
	assert_int_equal(pmm_mark_used(&pmm, 0x100000 + 64 * PAGE, 0), 0);
	assert_int_equal(pmm_mark_free(&pmm, 0x100000, 0), 0);
	assert_int_equal(pmm_free(&pmm, 0x100000, 0), -EINVAL);
	assert_int_equal(pmm.free_pages, 64);
}

static void test_exhaustion(void **state)
{
	uint64_t addr = 0;

	(void)state;
	setup(0x0, 16);
	assert_int_equal(pmm_mark_free(&pmm, 0, 16), 0);
	assert_int_equal(pmm_alloc(&pmm, 16, 0, &addr), 0);
	assert_int_equal(addr, 0);
	assert_int_equal(pmm.free_pages, 0);
	assert_int_equal(pmm_alloc(&pmm, 1, 0, &addr), -ENOMEM);
	/* Three free pages, but not three in a row. */
	assert_int_equal(pmm_free(&pmm, 2 * PAGE, 2), 0);
	assert_int_equal(pmm_free(&pmm, 7 * PAGE, 1), 0);
	assert_int_equal(pmm.free_pages, 3);
	addr = 0x1234;
	assert_int_equal(pmm_alloc(&pmm, 3, 0, &addr), -ENOMEM);
	assert_int_equal(addr, 0x1234);
	assert_int_equal(pmm.free_pages, 3);
	assert_int_equal(pmm_alloc(&pmm, 2, 4, &addr), -ENOMEM); /* pages 4-5 are used */
	assert_int_equal(pmm_alloc(&pmm, 2, 2, &addr), 0);
	assert_int_equal(addr, 2 * PAGE);
	assert_int_equal(pmm_alloc(&pmm, 1, 0, &addr), 0);
	assert_int_equal(addr, 7 * PAGE);
	assert_int_equal(pmm.free_pages, 0);
	assert_int_equal(count_free(), 0);
}

static void test_double_free(void **state)
{
	uint64_t a = 0;
	uint64_t b = 0;
	uint64_t words = pmm_bitmap_bytes(256) / 8;
	uint64_t snapshot[4];
	struct pmm before;

	(void)state;
	setup(0x400000, 256);
	assert_int_equal(pmm_mark_free(&pmm, 0x400000, 256), 0);
	assert_int_equal(pmm_alloc(&pmm, 4, 0, &a), 0);
	assert_int_equal(pmm_alloc(&pmm, 100, 0, &b), 0);
	assert_int_equal(pmm_free(&pmm, a, 4), 0);

	memcpy(snapshot, bitmap, words * 8);
	before = pmm;
	assert_int_equal(pmm_free(&pmm, a, 4), -EINVAL);
	assert_int_equal(pmm_free(&pmm, a + PAGE, 1), -EINVAL);
	/* Partly used, partly free: also refused, and the used part stays used. */
	assert_int_equal(pmm_free(&pmm, a, 5), -EINVAL);
	assert_int_equal(pmm_free(&pmm, b + 99 * PAGE, 2), -EINVAL);
	assert_int_equal(pmm_free(&pmm, b + 50 * PAGE, 100), -EINVAL);
	assert_memory_equal(snapshot, bitmap, words * 8);
	assert_memory_equal(&before, &pmm, sizeof(pmm));
	assert_true(pmm_is_used(&pmm, b));

	/* A hole inside an allocation makes freeing the whole of it a double free. */
	assert_int_equal(pmm_free(&pmm, b + 64 * PAGE, 1), 0);
	memcpy(snapshot, bitmap, words * 8);
	before = pmm;
	assert_int_equal(pmm_free(&pmm, b, 100), -EINVAL);
	assert_memory_equal(snapshot, bitmap, words * 8);
	assert_memory_equal(&before, &pmm, sizeof(pmm));
	assert_int_equal(pmm_free(&pmm, b, 64), 0);
	assert_int_equal(pmm_free(&pmm, b + 65 * PAGE, 35), 0);
	assert_int_equal(pmm.free_pages, 256);
	assert_int_equal(count_free(), 256);
}

static void test_hint_wraparound(void **state)
{
	uint64_t addr = 0;

	(void)state;
	setup(0x0, 64);
	assert_int_equal(pmm_mark_free(&pmm, 0, 64), 0);
	assert_int_equal(pmm_alloc(&pmm, 60, 0, &addr), 0);
	assert_int_equal(pmm.hint, 60);
	assert_int_equal(pmm_free(&pmm, 0, 10), 0);
	/* 4 pages at the end, 10 at the start: 8 only fit after wrapping. */
	assert_int_equal(pmm_alloc(&pmm, 8, 0, &addr), 0);
	assert_int_equal(addr, 0);
	assert_int_equal(pmm.hint, 8);
	/* Next fit again: from the hint, not the lowest free page. */
	assert_int_equal(pmm_free(&pmm, 0, 8), 0);
	assert_int_equal(pmm_alloc(&pmm, 2, 0, &addr), 0);
	assert_int_equal(addr, 8 * PAGE);
	assert_int_equal(pmm_alloc(&pmm, 4, 0, &addr), 0);
	assert_int_equal(addr, 60 * PAGE);
	assert_int_equal(pmm.hint, 0); /* the run ended at the last page */
	assert_int_equal(pmm_alloc(&pmm, 1, 0, &addr), 0);
	assert_int_equal(addr, 0);

	/* A run that starts before the hint and extends past it is found on the wrap. */
	setup(0x0, 64);
	assert_int_equal(pmm_mark_free(&pmm, 0, 20), 0);
	pmm.hint = 10;
	assert_int_equal(pmm_alloc(&pmm, 15, 0, &addr), 0);
	assert_int_equal(addr, 0);
	assert_int_equal(pmm.free_pages, 5);
	/* A hint past the end (a caller poking it) is treated as 0. */
	pmm.hint = 1000;
	assert_int_equal(pmm_alloc(&pmm, 5, 0, &addr), 0);
	assert_int_equal(addr, 15 * PAGE);
}

/* pmm_alloc_above: the lowest run at or above an address, never below it (a heap that
 * grows upwards), whatever the next-fit hint says. */
static void test_alloc_above(void **state)
{
	uint64_t addr = 0;

	(void)state;
	setup(0x100000, 64);
	assert_int_equal(pmm_mark_free(&pmm, 0x100000, 64), 0);
	assert_int_equal(pmm_alloc_above(&pmm, 4, 0, &addr), 0);
	assert_int_equal(addr, 0x100000); /* the lowest run */
	assert_int_equal(pmm_alloc_above(&pmm, 4, 0x100000 + 20 * PAGE, &addr), 0);
	assert_int_equal(addr, 0x100000 + 20 * PAGE);
	/* An unaligned minimum rounds up to the next page. */
	assert_int_equal(pmm_alloc_above(&pmm, 1, 0x100000 + 30 * PAGE + 1, &addr), 0);
	assert_int_equal(addr, 0x100000 + 31 * PAGE);
	/* Free pages below the minimum are never used: 8 asked above page 50, where 13 are
	 * free in pieces of 9 and 4 (page 59 taken), then 5 that fit only below. */
	assert_int_equal(pmm_mark_used(&pmm, 0x100000 + 59 * PAGE, 1), 0);
	assert_int_equal(pmm_alloc_above(&pmm, 8, 0x100000 + 50 * PAGE, &addr), 0);
	assert_int_equal(addr, 0x100000 + 50 * PAGE);
	assert_int_equal(pmm_alloc_above(&pmm, 5, 0x100000 + 50 * PAGE, &addr), -ENOMEM);
	assert_int_equal(pmm_alloc_above(&pmm, 4, 0x100000 + 50 * PAGE, &addr), 0);
	assert_int_equal(addr, 0x100000 + 60 * PAGE);
	assert_int_equal(pmm_alloc_above(&pmm, 1, 0x100000 + 64 * PAGE, &addr), -ENOMEM);
	assert_int_equal(pmm_alloc_above(&pmm, 0, 0, &addr), -EINVAL);
	/* The next-fit hint is not moved. */
	uint64_t hint = pmm.hint;
	assert_int_equal(pmm_alloc_above(&pmm, 1, 0, &addr), 0);
	assert_int_equal(addr, 0x100000 + 4 * PAGE);
	assert_int_equal(pmm.hint, hint);
}

/* pmm_alloc_high: the highest free page each time, whatever the hint; a partial last
 * word is not read past the last page. */
static void test_alloc_high(void **state)
{
	uint64_t addr = 0;

	(void)state;
	setup(0x100000, 100);
	assert_int_equal(pmm_alloc_high(&pmm, 1, &addr), -ENOMEM);
	assert_int_equal(pmm_mark_free(&pmm, 0x100000, 100), 0);
	assert_int_equal(pmm_alloc_high(&pmm, 1, &addr), 0);
	assert_int_equal(addr, 0x100000 + 99 * PAGE);
	assert_int_equal(pmm_alloc_high(&pmm, 1, &addr), 0);
	assert_int_equal(addr, 0x100000 + 98 * PAGE);
	assert_int_equal(pmm_mark_used(&pmm, 0x100000 + 20 * PAGE, 78), 0);
	assert_int_equal(pmm_alloc_high(&pmm, 1, &addr), 0);
	assert_int_equal(addr, 0x100000 + 19 * PAGE);
	assert_int_equal(pmm_free(&pmm, 0x100000 + 98 * PAGE, 1), 0);
	uint64_t hint = pmm.hint;
	assert_int_equal(pmm_alloc_high(&pmm, 1, &addr), 0);
	assert_int_equal(addr, 0x100000 + 98 * PAGE);
	assert_int_equal(pmm.hint, hint);
	while (pmm.free_pages)
		assert_int_equal(pmm_alloc_high(&pmm, 1, &addr), 0);
	assert_int_equal(addr, 0x100000);
	assert_int_equal(pmm_alloc_high(&pmm, 1, &addr), -ENOMEM);
	assert_int_equal(count_free(), 0);
	/* Runs: the highest that fits inside one word of 64 pages. */
	setup(0x100000, 200);
	assert_int_equal(pmm_alloc_high(&pmm, 0, &addr), -EINVAL);
	assert_int_equal(pmm_alloc_high(&pmm, 65, &addr), -EINVAL);
	assert_int_equal(pmm_mark_free(&pmm, 0x100000, 200), 0);
	assert_int_equal(pmm_alloc_high(&pmm, 64, &addr), 0); /* pages 192-199 do not make one */
	assert_int_equal(addr, 0x100000 + 128 * PAGE);
	assert_int_equal(pmm_alloc_high(&pmm, 8, &addr), 0);
	assert_int_equal(addr, 0x100000 + 192 * PAGE);
	assert_int_equal(pmm_mark_used(&pmm, 0x100000 + 120 * PAGE, 1), 0);
	assert_int_equal(pmm_alloc_high(&pmm, 8, &addr), 0); /* 121-127 are 7 */
	assert_int_equal(addr, 0x100000 + 112 * PAGE);
	assert_int_equal(pmm_alloc_high(&pmm, 7, &addr), 0);
	assert_int_equal(addr, 0x100000 + 121 * PAGE);
	assert_int_equal(pmm_alloc_high(&pmm, 64, &addr), 0);
	assert_int_equal(addr, 0x100000);
	assert_int_equal(pmm_alloc_high(&pmm, 64, &addr), -ENOMEM); /* 48 left in word 1 */
	assert_int_equal(pmm_alloc_high(&pmm, 48, &addr), 0);
	assert_int_equal(addr, 0x100000 + 64 * PAGE);
	assert_int_equal(pmm.free_pages, 0);
	assert_int_equal(count_free(), 0);
}

static void test_mark_accounting(void **state)
{
	(void)state;
	setup(0x0, 200);
	assert_int_equal(pmm_mark_free(&pmm, 0, 64), 0);
	assert_int_equal(pmm.free_pages, 64);
	assert_int_equal(pmm_mark_free(&pmm, 32 * PAGE, 64), 0); /* half already free */
	assert_int_equal(pmm.free_pages, 96);
	assert_int_equal(pmm_mark_used(&pmm, 80 * PAGE, 120), 0); /* part already used */
	assert_int_equal(pmm.free_pages, 80);
	assert_int_equal(pmm_mark_used(&pmm, 80 * PAGE, 120), 0);
	assert_int_equal(pmm.free_pages, 80);
	assert_int_equal(count_free(), 80);
	assert_int_equal(pmm_mark_free(&pmm, 3 * PAGE, 190), 0);
	assert_int_equal(pmm.free_pages, 193);
	assert_int_equal(pmm_mark_free(&pmm, 0, 200), 0);
	assert_int_equal(pmm.free_pages, 200);
	assert_int_equal(count_free(), 200);
	assert_int_equal(pmm_mark_used(&pmm, 0, 200), 0);
	assert_int_equal(pmm.free_pages, 0);
	assert_int_equal(count_free(), 0);
}

/* 5 GiB worth of pages, almost all used, with the only free run at the very end. */
static void test_large_bitmap(void **state)
{
	const uint64_t pages = 1310720;
	const uint64_t base = 0x40000000;
	uint64_t addr = 0;

	(void)state;
	setup(base, pages);
	assert_int_equal(pmm_mark_free(&pmm, base, pages), 0);
	assert_int_equal(pmm.free_pages, pages);
	assert_int_equal(pmm_mark_used(&pmm, base, pages - 512), 0);
	assert_int_equal(pmm.free_pages, 512);
	assert_int_equal(pmm_alloc(&pmm, 513, 0, &addr), -ENOMEM);
	assert_int_equal(pmm_alloc(&pmm, 512, 0, &addr), 0);
	assert_int_equal(addr, base + (pages - 512) * PAGE);
	assert_int_equal(pmm.free_pages, 0);
	assert_int_equal(pmm_alloc(&pmm, 1, 0, &addr), -ENOMEM);

	/* 513 free pages, the first one 512-unaligned: the aligned run is the last 512. Scan
	 * the whole bitmap many times over, from the start, as a cheap speed check. */
	assert_int_equal(pmm_free(&pmm, addr, 512), 0);
	assert_int_equal(pmm_mark_free(&pmm, addr - PAGE, 1), 0);
	for (int i = 0; i < 200; i++) {
		pmm.hint = 0;
		assert_int_equal(pmm_alloc(&pmm, 512, 512, &addr), 0);
		assert_int_equal(addr, base + (pages - 512) * PAGE);
		assert_int_equal(pmm_free(&pmm, addr, 512), 0);
		pmm.hint = 0;
		assert_int_equal(pmm_alloc(&pmm, 2, 0, &addr), 0);
		assert_int_equal(addr, base + (pages - 513) * PAGE);
		assert_int_equal(pmm_free(&pmm, addr, 2), 0);
	}
	assert_int_equal(pmm.free_pages, 513);
	assert_true(pmm_is_used(&pmm, base + (pages - 514) * PAGE));
	assert_false(pmm_is_used(&pmm, base + (pages - 1) * PAGE));
	assert_false(pmm_is_used(&pmm, base + pages * PAGE));
	assert_false(pmm_is_used(&pmm, base - 1));
}

/* Deterministic pseudo-random numbers (xorshift64). */
static uint64_t rng_state = 0x853c49e6748fea9bull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

#define MODEL_PAGES 1000

/* Random operations checked against a one-bool-per-page model, including exactly which
 * run next fit must pick (first fitting aligned start from the hint, then from 0). */
static void test_random_against_model(void **state)
{
	static bool used[MODEL_PAGES];
	static const uint64_t aligns[] = {0, 1, 2, 4, 8, 16, 64};
	const uint64_t base = 0x3000; /* page number 3: alignment is by address */
	uint64_t model_free = 0;

	(void)state;
	setup(base, MODEL_PAGES);
	for (size_t i = 0; i < MODEL_PAGES; i++)
		used[i] = true;
	for (int step = 0; step < 20000; step++) {
		uint64_t op = rng() % 10;
		uint64_t first = rng() % MODEL_PAGES;
		uint64_t n = 1 + rng() % (rng() % 8 == 0 ? 200 : 20);
		uint64_t addr = 0;
		int err;

		if (first + n > MODEL_PAGES)
			n = MODEL_PAGES - first;
		if (op == 4) {
			uint64_t want = MODEL_PAGES;

			for (uint64_t k = MODEL_PAGES; k-- > 0 && want == MODEL_PAGES;)
				if (!used[k])
					want = k;
			err = pmm_alloc_high(&pmm, 1, &addr);
			if (rng() % 2) {
				/* A run of n within one word (64 pages), the highest. */
				uint64_t w = n > 64 ? 64 : n;
				want = MODEL_PAGES;
				for (uint64_t k = MODEL_PAGES - w + 1;
				     k-- > 0 && want == MODEL_PAGES;) {
					bool ok = k / 64 == (k + w - 1) / 64;
					for (uint64_t j = k; ok && j < k + w; j++)
						ok = !used[j];
					if (ok)
						want = k;
				}
				if (err == 0) /* undo the single page first */
					assert_int_equal(pmm_free(&pmm, addr, 1), 0);
				err = pmm_alloc_high(&pmm, w, &addr);
				if (want == MODEL_PAGES) {
					assert_int_equal(err, -ENOMEM);
				} else {
					assert_int_equal(err, 0);
					assert_int_equal(addr, base + want * PAGE);
					for (uint64_t j = want; j < want + w; j++)
						used[j] = true;
					model_free -= w;
				}
			} else if (want == MODEL_PAGES) {
				assert_int_equal(err, -ENOMEM);
			} else {
				assert_int_equal(err, 0);
				assert_int_equal(addr, base + want * PAGE);
				used[want] = true;
				model_free--;
			}
		} else if (op < 5) {
			uint64_t align = aligns[rng() % 7];
			uint64_t a = align ? align : 1;
			uint64_t hint = pmm.hint < MODEL_PAGES ? pmm.hint : 0;
			uint64_t want = UINT64_MAX;

			for (uint64_t k = 0; k < MODEL_PAGES && want == UINT64_MAX; k++) {
				uint64_t s = (hint + k) % MODEL_PAGES;
				bool ok = (3 + s) % a == 0 && s + n <= MODEL_PAGES;

				for (uint64_t j = s; ok && j < s + n; j++)
					ok = !used[j];
				if (ok)
					want = s;
			}
			err = pmm_alloc(&pmm, n, align, &addr);
			if (want == UINT64_MAX) {
				assert_int_equal(err, -ENOMEM);
			} else {
				assert_int_equal(err, 0);
				assert_int_equal(addr, base + want * PAGE);
				for (uint64_t j = want; j < want + n; j++)
					used[j] = true;
				model_free -= n;
			}
		} else if (op < 8) {
			bool all_used = true;

			for (uint64_t j = first; j < first + n; j++)
				all_used = all_used && used[j];
			err = pmm_free(&pmm, base + first * PAGE, n);
			assert_int_equal(err, all_used ? 0 : -EINVAL);
			if (all_used) {
				for (uint64_t j = first; j < first + n; j++)
					used[j] = false;
				model_free += n;
			}
		} else {
			bool to_used = op == 9;

			err = to_used ? pmm_mark_used(&pmm, base + first * PAGE, n)
			              : pmm_mark_free(&pmm, base + first * PAGE, n);
			assert_int_equal(err, 0);
			for (uint64_t j = first; j < first + n; j++) {
				if (used[j] != to_used)
					model_free += to_used ? -1 : 1;
				used[j] = to_used;
			}
		}
		assert_int_equal(pmm.free_pages, model_free);
		if (step % 64 == 0) {
			for (uint64_t j = 0; j < MODEL_PAGES; j++)
				assert_int_equal(pmm_is_used(&pmm, base + j * PAGE), used[j]);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_bitmap_bytes, teardown),
	    cmocka_unit_test_teardown(test_init_all_used, teardown),
	    cmocka_unit_test_teardown(test_alloc_free_basic, teardown),
	    cmocka_unit_test_teardown(test_alignment, teardown),
	    cmocka_unit_test_teardown(test_bad_arguments, teardown),
	    cmocka_unit_test_teardown(test_exhaustion, teardown),
	    cmocka_unit_test_teardown(test_double_free, teardown),
	    cmocka_unit_test_teardown(test_hint_wraparound, teardown),
	    cmocka_unit_test_teardown(test_alloc_above, teardown),
	    cmocka_unit_test_teardown(test_alloc_high, teardown),
	    cmocka_unit_test_teardown(test_mark_accounting, teardown),
	    cmocka_unit_test_teardown(test_large_bitmap, teardown),
	    cmocka_unit_test_teardown(test_random_against_model, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
