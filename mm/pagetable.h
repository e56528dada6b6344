/* pagetable.h - x86-64 4-level page table entries: map one page, translate, walk.
 *
 * Tables are reached through a phys->pointer accessor and new tables come from an
 * allocator callback, both set by the caller: identity and the early allocator while
 * booting, the linear range and the page allocator afterwards. */
#ifndef MM_PAGETABLE_H
#define MM_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>

#define PTE_PRESENT   (1ull << 0)
#define PTE_WRITE     (1ull << 1)
#define PTE_PWT       (1ull << 3)
#define PTE_PCD       (1ull << 4)
#define PTE_LARGE     (1ull << 7)
#define PTE_NX        (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

struct pt_env {
	void *(*phys_to_ptr)(uint64_t phys);
	/* a zeroed 4 KiB page for a new table: 0 and its physical address, or -ENOMEM */
	int (*alloc_table)(uint64_t *phys);
	uint64_t nx_mask; /* PTE_NX when the CPU supports it, else 0 */
	/* drop one page's translation from the TLB (invlpg; a no-op in host tests) */
	void (*flush_page)(uint64_t virt);
};

/* pt_set_env - the accessor and allocator used by the functions below. */
void pt_set_env(const struct pt_env *env);

/* pt_map - map one page of @size (4 KiB, 2 MiB or 1 GiB; @virt and @phys aligned to it)
 * in the tables rooted at @root_phys with @flags (PTE_* bits; PTE_NX is dropped when the
 * CPU lacks it). Returns 0, -EINVAL for a bad size or alignment, -EEXIST when a larger
 * page already covers @virt, or -ENOMEM. */
int pt_map(uint64_t root_phys, uint64_t virt, uint64_t phys, uint64_t size, uint64_t flags);

/* pt_map_4k_run - map @pages consecutive 4 KiB pages, @virt to @phys on (both 4 KiB
 * aligned), all with @flags: what pt_map() does page by page, with one table walk per
 * page table instead of one per page (the boot maps thousands this way). Returns 0,
 * -EINVAL when unaligned, -EEXIST when a larger page covers part of the run, or -ENOMEM;
 * on error the pages before the failing table stay mapped. */
int pt_map_4k_run(uint64_t root_phys, uint64_t virt, uint64_t phys, uint64_t pages, uint64_t flags);

/* pt_translate - the physical address behind @virt, and the size of the page holding it.
 * Returns false when @virt is not mapped. */
bool pt_translate(uint64_t root_phys, uint64_t virt, uint64_t *phys, uint64_t *page_size);

/* pt_unmap_4k - remove the 4 KiB mapping of @virt and flush it from this CPU's TLB.
 * Stores the physical page it mapped in @phys. Returns 0, or -EFAULT when @virt is not
 * mapped by a 4 KiB page. Intermediate tables stay (they are reused). */
int pt_unmap_4k(uint64_t root_phys, uint64_t virt, uint64_t *phys);

/* pt_root_entry - pointer to entry @index of the top-level table at @root_phys. */
uint64_t *pt_root_entry(uint64_t root_phys, unsigned index);

#endif
