/* pagetable.c - mapping and translating single pages in x86-64 4-level page tables. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/layout.h"
#include "mm/pagetable.h"

static struct pt_env env;

void pt_set_env(const struct pt_env *e)
{
	env = *e;
}

static unsigned level_index(uint64_t virt, int level)
{
	/* level 3 = PML4, 2 = PDPT, 1 = PD, 0 = PT */
	return (virt >> (12 + 9 * level)) & 0x1ff;
}

int pt_unmap_4k(uint64_t root_phys, uint64_t virt, uint64_t *phys)
{
	uint64_t table_phys = root_phys;

	for (int level = 3; level > 0; level--) {
		uint64_t *table = env.phys_to_ptr(table_phys);
		uint64_t entry = table ? table[level_index(virt, level)] : 0;
		if (!(entry & PTE_PRESENT) || (entry & PTE_LARGE))
			return -EFAULT;
		table_phys = entry & PTE_ADDR_MASK;
	}
	uint64_t *table = env.phys_to_ptr(table_phys);
	uint64_t *leaf = &table[level_index(virt, 0)];
	if (!(*leaf & PTE_PRESENT))
		return -EFAULT;
	*phys = *leaf & PTE_ADDR_MASK;
	*leaf = 0;
	env.flush_page(virt);
	return 0;
}

uint64_t *pt_root_entry(uint64_t root_phys, unsigned index)
{
	uint64_t *table = env.phys_to_ptr(root_phys);
	return &table[index & 0x1ff];
}

/* The table at @leaf_level (0 = PT, 1 = PD, 2 = PDPT) that holds @virt's entry, in
 * @out, creating the tables above it as needed. -EEXIST when a larger page covers @virt. */
static int table_for(uint64_t root_phys, uint64_t virt, int leaf_level, uint64_t **out)
{
	uint64_t table_phys = root_phys;

	for (int level = 3; level > leaf_level; level--) {
		uint64_t *table = env.phys_to_ptr(table_phys);
		uint64_t *entry = &table[level_index(virt, level)];
		if (!(*entry & PTE_PRESENT)) {
			uint64_t new_phys;
			int err = env.alloc_table(&new_phys);
			if (err)
				return err;
			/* Intermediate entries grant everything; the leaf decides. */
			*entry = new_phys | PTE_PRESENT | PTE_WRITE;
		} else if (*entry & PTE_LARGE) {
			return -EEXIST;
		}
		table_phys = *entry & PTE_ADDR_MASK;
	}
	*out = env.phys_to_ptr(table_phys);
	return 0;
}

static uint64_t leaf_flags(uint64_t flags)
{
	if (!(flags & PTE_NX) || !env.nx_mask)
		flags &= ~PTE_NX;
	return flags | PTE_PRESENT;
}

int pt_map(uint64_t root_phys, uint64_t virt, uint64_t phys, uint64_t size, uint64_t flags)
{
	int leaf_level;
	uint64_t *table;

	if (size == PAGE_SIZE_4K)
		leaf_level = 0;
	else if (size == PAGE_SIZE_2M)
		leaf_level = 1;
	else if (size == PAGE_SIZE_1G)
		leaf_level = 2;
	else
		return -EINVAL;
	if ((virt | phys) & (size - 1))
		return -EINVAL;

	int err = table_for(root_phys, virt, leaf_level, &table);
	if (err)
		return err;
	uint64_t leaf = phys | leaf_flags(flags);
	if (leaf_level > 0)
		leaf |= PTE_LARGE;
	table[level_index(virt, leaf_level)] = leaf;
	return 0;
}

int pt_map_4k_run(uint64_t root_phys, uint64_t virt, uint64_t phys, uint64_t pages, uint64_t flags)
{
	if ((virt | phys) & (PAGE_SIZE_4K - 1))
		return -EINVAL;
	flags = leaf_flags(flags);
	while (pages) {
		uint64_t *table;
		int err = table_for(root_phys, virt, 0, &table);
		if (err)
			return err;
		/* Fill this table's entries from @virt's on: one walk per 2 MiB of virtual space.
		 */
		unsigned first = level_index(virt, 0);
		uint64_t n = 512 - first < pages ? 512 - first : pages;
		for (uint64_t i = 0; i < n; i++)
			table[first + i] = (phys + i * PAGE_SIZE_4K) | flags;
		virt += n * PAGE_SIZE_4K;
		phys += n * PAGE_SIZE_4K;
		pages -= n;
	}
	return 0;
}

bool pt_translate(uint64_t root_phys, uint64_t virt, uint64_t *phys, uint64_t *page_size)
{
	uint64_t table_phys = root_phys;

	for (int level = 3; level >= 0; level--) {
		uint64_t *table = env.phys_to_ptr(table_phys);
		if (!table)
			return false;
		uint64_t entry = table[level_index(virt, level)];
		if (!(entry & PTE_PRESENT))
			return false;
		uint64_t span = 1ull << (12 + 9 * level);
		if (level == 0 || (level < 3 && (entry & PTE_LARGE))) {
			uint64_t base = entry & PTE_ADDR_MASK & ~(span - 1);
			if (phys)
				*phys = base + (virt & (span - 1));
			if (page_size)
				*page_size = span;
			return true;
		}
		table_phys = entry & PTE_ADDR_MASK;
	}
	return false;
}
