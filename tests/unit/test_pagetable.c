/* test_pagetable.c - host unit tests for mm/pagetable.c against fake physical memory. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mm/layout.h"
#include "mm/pagetable.h"

#define FAKE_PAGES 64
#define FAKE_BASE  0x200000ull /* physical address of the first fake page */

static uint8_t *arena;
static uint64_t last_flushed;
static unsigned flush_count;

static void fake_flush_page(uint64_t virt)
{
	last_flushed = virt;
	flush_count++;
}
static unsigned next_page;
static unsigned alloc_limit;

static void *fake_phys_to_ptr(uint64_t phys)
{
	if (phys < FAKE_BASE || phys >= FAKE_BASE + FAKE_PAGES * PAGE_SIZE_4K)
		return NULL;
	return arena + (phys - FAKE_BASE);
}

static int fake_alloc_table(uint64_t *phys)
{
	if (next_page >= alloc_limit)
		return -ENOMEM;
	memset(arena + next_page * PAGE_SIZE_4K, 0, PAGE_SIZE_4K);
	*phys = FAKE_BASE + next_page * PAGE_SIZE_4K;
	next_page++;
	return 0;
}

/* A fresh fake memory with an empty root table in page 0; NX supported or not. */
static uint64_t fresh(uint64_t nx_mask)
{
	struct pt_env env = {fake_phys_to_ptr, fake_alloc_table, nx_mask, fake_flush_page};
	uint64_t root;

	free(arena);
	arena = aligned_alloc(PAGE_SIZE_4K, FAKE_PAGES * PAGE_SIZE_4K);
	assert_non_null(arena);
	next_page = 0;
	alloc_limit = FAKE_PAGES;
	flush_count = 0;
	pt_set_env(&env);
	assert_int_equal(fake_alloc_table(&root), 0);
	return root;
}

static int teardown(void **state)
{
	(void)state;
	free(arena);
	arena = NULL;
	return 0;
}

static void test_map_and_translate_each_size(void **state)
{
	(void)state;
	uint64_t root = fresh(PTE_NX);
	uint64_t phys, size;

	assert_int_equal(
	    pt_map(root, 0xffffc00000000000ull, 0x40000000ull, PAGE_SIZE_1G, PTE_WRITE), 0);
	assert_int_equal(pt_map(root, 0xffffc00040000000ull, 0x600000ull, PAGE_SIZE_2M, PTE_WRITE),
	                 0);
	assert_int_equal(pt_map(root, 0xffffc00040200000ull, 0x7000ull, PAGE_SIZE_4K, PTE_NX), 0);

	assert_true(pt_translate(root, 0xffffc00000123456ull, &phys, &size));
	assert_int_equal(phys, 0x40123456ull);
	assert_int_equal(size, PAGE_SIZE_1G);
	assert_true(pt_translate(root, 0xffffc000401fffffull, &phys, &size));
	assert_int_equal(phys, 0x7fffffull);
	assert_int_equal(size, PAGE_SIZE_2M);
	assert_true(pt_translate(root, 0xffffc00040200abcull, &phys, &size));
	assert_int_equal(phys, 0x7abcull);
	assert_int_equal(size, PAGE_SIZE_4K);
	/* The next 4 KiB page and the lower half are not mapped. */
	assert_false(pt_translate(root, 0xffffc00040201000ull, &phys, &size));
	assert_false(pt_translate(root, 0, &phys, &size));
}

static void test_leaf_flags(void **state)
{
	(void)state;
	uint64_t root = fresh(PTE_NX);
	uint64_t virt = 0xffff800000001000ull;

	assert_int_equal(
	    pt_map(root, virt, 0xfee00000ull, PAGE_SIZE_4K, PTE_WRITE | PTE_PCD | PTE_PWT | PTE_NX),
	    0);
	/* Walk by hand: PML4 -> PDPT -> PD -> PT. */
	uint64_t *t = fake_phys_to_ptr(root);
	for (int level = 3; level > 0; level--) {
		uint64_t e = t[(virt >> (12 + 9 * level)) & 0x1ff];
		assert_true(e & PTE_PRESENT);
		assert_false(e & PTE_LARGE);
		t = fake_phys_to_ptr(e & PTE_ADDR_MASK);
		assert_non_null(t);
	}
	uint64_t leaf = t[(virt >> 12) & 0x1ff];
	assert_int_equal(leaf & PTE_ADDR_MASK, 0xfee00000ull);
	assert_true(leaf & PTE_PCD);
	assert_true(leaf & PTE_PWT);
	assert_true(leaf & PTE_NX);
	assert_true(leaf & PTE_WRITE);
}

static void test_nx_dropped_without_cpu_support(void **state)
{
	(void)state;
	uint64_t root = fresh(0);
	uint64_t virt = 0x1000;

	assert_int_equal(pt_map(root, virt, 0x5000, PAGE_SIZE_4K, PTE_WRITE | PTE_NX), 0);
	uint64_t *t = fake_phys_to_ptr(root);
	for (int level = 3; level > 0; level--)
		t = fake_phys_to_ptr(t[(virt >> (12 + 9 * level)) & 0x1ff] & PTE_ADDR_MASK);
	assert_false(t[1] & PTE_NX); /* a reserved bit without EFER.NXE: must not be set */
}

static void test_bad_size_and_alignment(void **state)
{
	(void)state;
	uint64_t root = fresh(PTE_NX);

	assert_int_equal(pt_map(root, 0x1000, 0x1000, 0x3000, 0), -EINVAL);
	assert_int_equal(pt_map(root, 0x1000, 0x200000, PAGE_SIZE_2M, 0), -EINVAL);
	assert_int_equal(pt_map(root, 0x200000, 0x1000, PAGE_SIZE_2M, 0), -EINVAL);
	assert_int_equal(pt_map(root, 0x40000000, 0x200000, PAGE_SIZE_1G, 0), -EINVAL);
	assert_int_equal(next_page, 1); /* nothing was allocated for the refused calls */
}

static void test_small_page_under_large_is_refused(void **state)
{
	(void)state;
	uint64_t root = fresh(PTE_NX);

	assert_int_equal(pt_map(root, 0x200000, 0x400000, PAGE_SIZE_2M, PTE_WRITE), 0);
	assert_int_equal(pt_map(root, 0x201000, 0x9000, PAGE_SIZE_4K, PTE_WRITE), -EEXIST);
	uint64_t phys;
	assert_true(pt_translate(root, 0x201000, &phys, NULL));
	assert_int_equal(phys, 0x401000); /* the large page is untouched */
}

static void test_out_of_table_memory(void **state)
{
	(void)state;
	uint64_t root = fresh(PTE_NX);

	alloc_limit = 2; /* root + one more table: not enough for a 4 KiB mapping */
	assert_int_equal(pt_map(root, 0x1000, 0x1000, PAGE_SIZE_4K, 0), -ENOMEM);
	assert_false(pt_translate(root, 0x1000, NULL, NULL));
}

static void test_root_entry(void **state)
{
	(void)state;
	uint64_t root = fresh(PTE_NX);

	assert_int_equal(pt_map(root, 0xffffff003fe00000ull, 0x800000, PAGE_SIZE_2M, PTE_WRITE), 0);
	assert_true(*pt_root_entry(root, 510) & PTE_PRESENT);
	assert_int_equal(*pt_root_entry(root, 0), 0);
	*pt_root_entry(root, 510) = 0;
	assert_false(pt_translate(root, 0xffffff003fe00000ull, NULL, NULL));
}

static void test_unmap_4k(void **state)
{
	(void)state;
	uint64_t root = fresh(PTE_NX);
	uint64_t phys = 0;

	assert_int_equal(pt_map(root, 0xffffff0000fff000ull, 0x9000, PAGE_SIZE_4K, PTE_WRITE), 0);
	assert_int_equal(pt_map(root, 0xffffff0000ffe000ull, 0xa000, PAGE_SIZE_4K, PTE_WRITE), 0);
	assert_int_equal(pt_unmap_4k(root, 0xffffff0000fff000ull, &phys), 0);
	assert_int_equal(phys, 0x9000);
	assert_int_equal(flush_count, 1);
	assert_int_equal(last_flushed, 0xffffff0000fff000ull);
	assert_false(pt_translate(root, 0xffffff0000fff000ull, NULL, NULL));
	assert_true(
	    pt_translate(root, 0xffffff0000ffe000ull, NULL, NULL)); /* its neighbour stays */
	/* Unmapping what is not mapped, or a large page, is refused. */
	assert_int_equal(pt_unmap_4k(root, 0xffffff0000fff000ull, &phys), -EFAULT);
	assert_int_equal(pt_map(root, 0x200000, 0x400000, PAGE_SIZE_2M, PTE_WRITE), 0);
	assert_int_equal(pt_unmap_4k(root, 0x200000, &phys), -EFAULT);
	assert_true(pt_translate(root, 0x200000, NULL, NULL));
	assert_int_equal(flush_count, 1);
}

/* The leaf entry behind a 4 KiB mapping, walked by hand (0 when a level is missing). */
static uint64_t leaf_of(uint64_t root, uint64_t virt)
{
	uint64_t *t = fake_phys_to_ptr(root);

	for (int level = 3; level > 0; level--) {
		uint64_t e = t[(virt >> (12 + 9 * level)) & 0x1ff];
		if (!(e & PTE_PRESENT) || (e & PTE_LARGE))
			return 0;
		t = fake_phys_to_ptr(e & PTE_ADDR_MASK);
	}
	return t[(virt >> 12) & 0x1ff];
}

/* A run across two page-table boundaries: the same entries pt_map() writes page by page, with
 * one table per 2 MiB of virtual space. */
static void test_map_4k_run(void **state)
{
	(void)state;
	const uint64_t virt = 0xffffc000001fe000ull, phys = 0x300000ull, pages = 600;
	uint64_t root = fresh(PTE_NX);

	assert_int_equal(pt_map_4k_run(root, virt, phys, pages, PTE_WRITE | PTE_NX), 0);
	assert_int_equal(next_page, 6); /* root, PDPT, PD, three PTs (2 + 512 + 86 pages) */
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t got, size;
		assert_true(pt_translate(root, virt + i * PAGE_SIZE_4K + 0x123, &got, &size));
		assert_int_equal(got, phys + i * PAGE_SIZE_4K + 0x123);
		assert_int_equal(size, PAGE_SIZE_4K);
		assert_int_equal(leaf_of(root, virt + i * PAGE_SIZE_4K),
		                 (phys + i * PAGE_SIZE_4K) | PTE_PRESENT | PTE_WRITE | PTE_NX);
	}
	assert_false(pt_translate(root, virt - PAGE_SIZE_4K, NULL, NULL));
	assert_false(pt_translate(root, virt + pages * PAGE_SIZE_4K, NULL, NULL));

	/* The same page by page gives the same entries (read-only here: no PTE_WRITE). */
	uint64_t root2 = fresh(PTE_NX);
	assert_int_equal(pt_map_4k_run(root2, 0x7000, 0x9000, 3, 0), 0);
	uint64_t run_leaf = leaf_of(root2, 0x8000);
	assert_int_equal(pt_map(root2, 0x8000, 0xa000, PAGE_SIZE_4K, 0), 0);
	assert_int_equal(leaf_of(root2, 0x8000), run_leaf);
	assert_int_equal(run_leaf, 0xa000 | PTE_PRESENT);
	/* Zero pages map nothing. */
	assert_int_equal(pt_map_4k_run(root2, 0x400000, 0x9000, 0, PTE_WRITE), 0);
	assert_false(pt_translate(root2, 0x400000, NULL, NULL));
}

static void test_map_4k_run_errors(void **state)
{
	(void)state;
	uint64_t root = fresh(0);

	assert_int_equal(pt_map_4k_run(root, 0x1800, 0x2000, 1, 0), -EINVAL);
	assert_int_equal(pt_map_4k_run(root, 0x1000, 0x2800, 1, 0), -EINVAL);
	assert_int_equal(next_page, 1);
	/* NX is dropped without CPU support, as pt_map does. */
	assert_int_equal(pt_map_4k_run(root, 0x1000, 0x2000, 2, PTE_WRITE | PTE_NX), 0);
	assert_false(leaf_of(root, 0x2000) & PTE_NX);
	/* A 2 MiB page in the way: the pages before it are mapped, then -EEXIST. */
	assert_int_equal(pt_map(root, 0x400000, 0x800000, PAGE_SIZE_2M, PTE_WRITE), 0);
	assert_int_equal(pt_map_4k_run(root, 0x3ff000, 0x5000, 2, PTE_WRITE), -EEXIST);
	assert_true(pt_translate(root, 0x3ff000, NULL, NULL));
	uint64_t phys;
	assert_true(pt_translate(root, 0x400000, &phys, NULL));
	assert_int_equal(phys, 0x800000); /* the large page is untouched */
	/* Out of table memory. */
	root = fresh(PTE_NX);
	alloc_limit = 3; /* root, PDPT, PD: no page table */
	assert_int_equal(pt_map_4k_run(root, 0x1000, 0x1000, 4, 0), -ENOMEM);
	assert_false(pt_translate(root, 0x1000, NULL, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_map_and_translate_each_size, teardown),
	    cmocka_unit_test_teardown(test_leaf_flags, teardown),
	    cmocka_unit_test_teardown(test_nx_dropped_without_cpu_support, teardown),
	    cmocka_unit_test_teardown(test_bad_size_and_alignment, teardown),
	    cmocka_unit_test_teardown(test_small_page_under_large_is_refused, teardown),
	    cmocka_unit_test_teardown(test_out_of_table_memory, teardown),
	    cmocka_unit_test_teardown(test_root_entry, teardown),
	    cmocka_unit_test_teardown(test_unmap_4k, teardown),
	    cmocka_unit_test_teardown(test_map_4k_run, teardown),
	    cmocka_unit_test_teardown(test_map_4k_run_errors, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
