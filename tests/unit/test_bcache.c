/* test_bcache.c - host unit tests for posix/disk/bcache.c (the disks' page cache), over a
 * fake page allocator of POOL_PAGES pages whose reserve the test can squeeze. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mm/vm.h"
#include "posix/disk/bcache.h"

#define POOL_PAGES 2048 /* the cache's reserve is then 1024 pages */
#define P          BCACHE_PAGE

static uint64_t free_pages = POOL_PAGES;
static vm_reclaimer_fn reclaimer;

void page_stats(uint64_t *total, uint64_t *free_out)
{
	*total = POOL_PAGES;
	*free_out = free_pages;
}

#define MAX_RUNS 4096
static struct {
	uint8_t *start;
	uint64_t pages, left;
} runs[MAX_RUNS];

int page_alloc(uint64_t pages, uint64_t align_pages, void **out)
{
	(void)align_pages;
	if (pages > free_pages || !(*out = aligned_alloc(4096, pages * 4096)))
		return -ENOMEM;
	for (int i = 0; i < MAX_RUNS; i++) {
		if (!runs[i].start) {
			runs[i].start = *out;
			runs[i].pages = runs[i].left = pages;
			free_pages -= pages;
			return 0;
		}
	}
	fail_msg("fake allocator: too many runs");
	return -ENOMEM;
}

int page_alloc_cache(uint64_t pages, uint64_t reserve, void **out)
{
	if (free_pages < reserve + pages)
		return -ENOMEM;
	return page_alloc(pages, 0, out);
}

/* Runs are freed page by page (the cache frees each adopted page on its own): a run is
 * one malloc block, freed when its last page is. */
int page_free(void *addr, uint64_t pages)
{
	uint8_t *a = addr;
	for (int i = 0; i < MAX_RUNS; i++) {
		if (runs[i].start && a >= runs[i].start &&
		    a < runs[i].start + runs[i].pages * 4096) {
			assert_true(runs[i].left >= pages);
			runs[i].left -= pages;
			if (!runs[i].left) {
				free(runs[i].start);
				runs[i].start = NULL;
			}
			free_pages += pages;
			return 0;
		}
	}
	fail_msg("page_free of %p: not allocated", addr);
	return -EINVAL;
}

void vm_set_reclaimer(vm_reclaimer_fn fn)
{
	reclaimer = fn;
}

static int owner_a, owner_b; /* two disks */

/* A page whose every byte says which disk and page it is. */
static void pattern(uint8_t *buf, int owner, uint64_t page)
{
	for (unsigned i = 0; i < P; i++)
		buf[i] = (uint8_t)(owner * 31 + page * 7 + i);
}

static int reset(void **state)
{
	(void)state;
	bcache_forget(&owner_a);
	bcache_forget(&owner_b);
	return 0;
}

static struct bcache_stats stats(void)
{
	struct bcache_stats s;
	bcache_get_stats(&s);
	return s;
}

/* Whole pages read come back, partial reads from inside them too; a read that touches a
 * page not cached copies nothing. */
static void test_fill_and_read(void **state)
{
	(void)state;
	uint8_t src[4 * P], got[4 * P], want[P];
	for (int i = 0; i < 4; i++)
		pattern(src + i * P, 1, 10 + (uint64_t)i);
	assert_false(bcache_read(&owner_a, 10 * P, got, P)); /* empty, not even set up */
	bcache_fill(&owner_a, 10 * P, src, sizeof(src));
	assert_int_equal(stats().pages, 4);
	assert_non_null(reclaimer);
	assert_true(bcache_read(&owner_a, 10 * P, got, sizeof(got)));
	assert_memory_equal(got, src, sizeof(got));
	assert_true(bcache_read(&owner_a, 11 * P + 100, got, P + 7)); /* across two pages */
	assert_memory_equal(got, src + P + 100, P + 7);
	memset(got, 0xee, sizeof(got));
	assert_false(bcache_read(&owner_a, 13 * P, got, 2 * P)); /* page 14 is not there */
	assert_int_equal(got[0], 0xee);
	assert_false(bcache_read(&owner_b, 10 * P, got, P)); /* another disk's page 10 */
	pattern(want, 1, 12);
	assert_true(bcache_read(&owner_a, 12 * P, got, P));
	assert_memory_equal(got, want, P);
}

/* Only whole pages of a fill are kept: a fill from the middle of one leaves it out. */
static void test_partial_fill(void **state)
{
	(void)state;
	uint8_t src[3 * P], got[P];
	memset(src, 5, sizeof(src));
	bcache_fill(&owner_a, 2 * P + 512, src, 2 * P); /* touches 2, 3, 4; only 3 is whole */
	assert_int_equal(stats().pages, 1);
	assert_true(bcache_read(&owner_a, 3 * P, got, P));
	assert_false(bcache_read(&owner_a, 2 * P + 512, got, 512));
	bcache_fill(&owner_a, 7 * P + 1, src, P); /* no whole page */
	assert_int_equal(stats().pages, 1);
}

/* A write updates the cached pages it touches and adds none; a failed one drops them. */
static void test_write_and_drop(void **state)
{
	(void)state;
	uint8_t src[2 * P], got[2 * P], patch[300];
	memset(src, 1, sizeof(src));
	memset(patch, 9, sizeof(patch));
	bcache_fill(&owner_a, 0, src, sizeof(src));
	bcache_write(&owner_a, P - 100, patch, sizeof(patch)); /* across pages 0 and 1 */
	bcache_write(&owner_a, 5 * P, patch, sizeof(patch));   /* page 5 not cached */
	assert_int_equal(stats().pages, 2);
	assert_true(bcache_read(&owner_a, 0, got, sizeof(got)));
	memcpy(src + P - 100, patch, sizeof(patch));
	assert_memory_equal(got, src, sizeof(got));
	bcache_drop(&owner_a, P + 10, 1);
	assert_int_equal(stats().pages, 1);
	assert_false(bcache_read(&owner_a, P, got, 1));
	assert_true(bcache_read(&owner_a, 0, got, P));
}

/* Forgetting a disk leaves the other's pages alone and gives the pages back. */
static void test_forget(void **state)
{
	(void)state;
	uint8_t src[8 * P], got[P];
	memset(src, 3, sizeof(src));
	uint64_t before = free_pages;
	bcache_fill(&owner_a, 0, src, sizeof(src));
	bcache_fill(&owner_b, 0, src, 2 * P);
	assert_int_equal(stats().pages, 10);
	assert_int_equal(free_pages, before - 10);
	bcache_forget(&owner_a);
	assert_int_equal(stats().pages, 2);
	assert_int_equal(free_pages, before - 2);
	assert_false(bcache_read(&owner_a, 0, got, P));
	assert_true(bcache_read(&owner_b, P, got, P));
}

/* At the reserve the cache recycles its least recently used page, and a read counts as
 * a use; a squeeze (the allocator's reclaimer) gives back the oldest pages first. */
static void test_lru_and_reclaim(void **state)
{
	(void)state;
	uint8_t page[P], got[P];
	uint64_t n = 0;
	/* Fill until the reserve stops new pages: the count stays, pages are recycled. */
	for (; n < POOL_PAGES; n++) {
		pattern(page, 1, n);
		bcache_fill(&owner_a, n * P, page, P);
	}
	uint64_t cached = stats().pages;
	assert_true(cached > 900 && cached <= POOL_PAGES - 1024);
	assert_true(free_pages <= 1024 + 1);
	uint64_t oldest = POOL_PAGES - cached; /* pages [oldest, POOL_PAGES) are held */
	assert_false(bcache_read(&owner_a, (oldest - 1) * P, got, P));
	assert_true(bcache_read(&owner_a, oldest * P, got, P)); /* now the newest */
	pattern(page, 1, oldest);
	assert_memory_equal(got, page, P);
	pattern(page, 1, 5000);
	bcache_fill(&owner_a, 5000 * P, page, P); /* recycles oldest + 1, not oldest */
	assert_int_equal(stats().pages, cached);
	assert_true(bcache_read(&owner_a, oldest * P, got, P));
	assert_false(bcache_read(&owner_a, (oldest + 1) * P, got, P));
	/* Squeezed for 10 pages: the 10 least recently used go, the allocator gets them. */
	uint64_t before = free_pages;
	assert_int_equal(reclaimer(10, 0, 0), 10);
	assert_int_equal(free_pages, before + 10);
	assert_int_equal(stats().pages, cached - 10);
	assert_false(bcache_read(&owner_a, (oldest + 11) * P, got, P));
	assert_true(bcache_read(&owner_a, (oldest + 12) * P, got, P));
	assert_true(bcache_read(&owner_a, oldest * P, got, P));
	/* Asked for more than it has: everything, then nothing left to give. */
	assert_int_equal(reclaimer(1u << 20, 0, 0), cached - 10);
	assert_int_equal(stats().pages, 0);
	assert_int_equal(reclaimer(1, 0, 0), 0);
	assert_true(stats().reclaimed >= cached);
}

/* A run read straight from the disk becomes cached pages (replacing older copies) with no
 * copy; a run not adopted goes back whole. */
static void test_adopt(void **state)
{
	(void)state;
	uint8_t old[P], got[P], want[P];
	memset(old, 1, P);
	bcache_fill(&owner_a, 34 * P, old, P);
	uint64_t before = free_pages + 1; /* page 34's copy is replaced */
	uint8_t *run = bcache_take_run(8);
	assert_non_null(run);
	assert_int_equal(free_pages, before - 1 - 8);
	for (int i = 0; i < 8; i++)
		pattern(run + i * P, 1, 32 + (uint64_t)i);
	bcache_adopt(&owner_a, 32 * P, run, 8);
	assert_int_equal(stats().pages, 8);
	assert_int_equal(free_pages, before - 8);
	for (uint64_t p = 32; p < 40; p++) {
		pattern(want, 1, p);
		assert_true(bcache_read(&owner_a, p * P, got, P));
		assert_memory_equal(got, want, P);
	}
	bcache_forget(&owner_a);
	assert_int_equal(free_pages, before);
	run = bcache_take_run(64);
	assert_non_null(run);
	bcache_return_run(run, 64);
	assert_int_equal(free_pages, before);
	/* At the reserve there is no run. */
	uint64_t squeeze = free_pages - 1024 - 3;
	void *hold;
	assert_int_equal(page_alloc(squeeze, 0, &hold), 0);
	assert_null(bcache_take_run(4));
	assert_non_null(run = bcache_take_run(3));
	bcache_return_run(run, 3);
	page_free(hold, squeeze);
}

/* A squeeze by address (where a heap grows) frees exactly the cached pages there. */
static void test_reclaim_range(void **state)
{
	(void)state;
	uint8_t got[P];
	uint8_t *run = bcache_take_run(8);
	assert_non_null(run);
	bcache_adopt(&owner_b, 0, run, 8);
	uint64_t lo = (uint64_t)(uintptr_t)(run + 2 * P), hi = (uint64_t)(uintptr_t)(run + 5 * P);
	assert_int_equal(reclaimer(0, lo, hi), 3);
	for (uint64_t p = 0; p < 8; p++)
		assert_int_equal(bcache_read(&owner_b, p * P, got, P), p < 2 || p >= 5);
	assert_int_equal(reclaimer(0, lo, hi), 0);
	assert_int_equal(stats().pages, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_fill_and_read, reset),
	    cmocka_unit_test_teardown(test_partial_fill, reset),
	    cmocka_unit_test_teardown(test_write_and_drop, reset),
	    cmocka_unit_test_teardown(test_forget, reset),
	    cmocka_unit_test_teardown(test_lru_and_reclaim, reset),
	    cmocka_unit_test_teardown(test_adopt, reset),
	    cmocka_unit_test_teardown(test_reclaim_range, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
