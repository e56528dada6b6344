/* vm.c - the running half of the memory manager: page allocation over the linear range,
 * virtual-to-physical lookups for DMA, MMIO mappings in the scratch area, and the queries
 * fault reports need. Called from the kernel and drivers on the one vCPU; not locked. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "kernel/cpu.h"
#include "kernel/kernel.h"
#include "mm/pagetable.h"
#include "mm/pmm.h"
#include "mm/vm.h"
#include "mm/vm_internal.h"

struct vm_state vm;

static void *linear_ptr(uint64_t phys)
{
	uint64_t off;

	if (layout_phys_to_virt(&vm.layout, phys, &off))
		return NULL;
	return (void *)(uintptr_t)(VM_LINEAR_BASE + off);
}

static int runtime_alloc_table(uint64_t *phys)
{
	void *page;
	int err = page_alloc(1, 0, &page);

	if (err)
		return err;
	memset(page, 0, PAGE_SIZE_4K);
	return vm_virt_to_phys(page, phys, NULL);
}

void vm_boot_finish(void)
{
	struct pt_env env = {linear_ptr, runtime_alloc_table, vm.nx_mask, invlpg};

	pt_set_env(&env);
	*pt_root_entry(vm.root_phys, 0) = 0; /* no more identity map: NULL faults */
	write_cr3(vm.root_phys);
	write_cr0(read_cr0() | CR0_WP); /* read-only pages are read-only for us too */

	uint64_t pages = vm.layout.total / PAGE_SIZE_4K;
	pmm_init(&vm.pmm, VM_LINEAR_BASE, pages,
	         (uint64_t *)(uintptr_t)(VM_LINEAR_BASE + vm.bitmap_off));
	pmm_mark_free(&vm.pmm, VM_LINEAR_BASE, pages);
	for (int i = 0; i < vm.boot_extent_count; i++)
		pmm_mark_used(&vm.pmm, VM_LINEAR_BASE + vm.boot_extents[i].off,
		              vm.boot_extents[i].len / PAGE_SIZE_4K);
}

const struct linear_layout *vm_layout(void)
{
	return &vm.layout;
}

const struct vm_boot_stats *vm_stats(void)
{
	return &vm.stats;
}

int vm_virt_to_phys(const void *addr, uint64_t *phys, uint64_t *contig)
{
	uint64_t a = (uint64_t)(uintptr_t)addr;

	if (a < VM_LINEAR_BASE || a >= VM_LINEAR_BASE + vm.layout.total)
		return -EFAULT;
	return layout_virt_to_phys(&vm.layout, a - VM_LINEAR_BASE, phys, contig);
}

/* The allocator's bookkeeping must not be interrupted by itself: a stack slot grows on
 * first touch, from a page fault whose handler takes a page from this same allocator.
 * A fault in the middle of vm_page_claim (between its check and its mark) or of pmm_alloc
 * (between finding a run and marking it) would hand one page to two owners: the heap and
 * a stack (seen as SQLite's schema corrupted by the shell's own stack). So every entry
 * point first makes sure the stack below it is mapped, by reading STACK_HEADROOM bytes
 * down: any growth happens there, before the bookkeeping starts. The allocator's own
 * frames need far less. */
#define STACK_HEADROOM 4096

static inline void stack_headroom(void)
{
	uint8_t probe;

	__asm__ volatile("movb -%c1(%%rsp), %0" : "=r"(probe) : "i"(STACK_HEADROOM) : "memory");
	(void)probe;
}

static vm_reclaimer_fn reclaimer;

void vm_set_reclaimer(vm_reclaimer_fn fn)
{
	reclaimer = fn;
}

/* Cached pages cleared from [lo, lo + pages pages), and this much more: a heap grows
 * through them a piece at a time. */
#define RECLAIM_SPAN_PAGES 1024

static uint64_t reclaim_from(uint64_t lo, uint64_t pages)
{
	uint64_t span = (pages > RECLAIM_SPAN_PAGES ? pages : RECLAIM_SPAN_PAGES) * PAGE_SIZE_4K;

	return reclaimer ? reclaimer(0, lo, lo + span) : 0;
}

int page_alloc(uint64_t pages, uint64_t align_pages, void **out)
{
	stack_headroom();
	uint64_t addr;
	int err = pmm_alloc(&vm.pmm, pages, align_pages, &addr);

	while (err == -ENOMEM && reclaimer && reclaimer(pages, 0, 0))
		err = pmm_alloc(&vm.pmm, pages, align_pages, &addr);
	if (err)
		return err;
	*out = (void *)(uintptr_t)addr;
	return 0;
}

int page_alloc_above(uint64_t pages, const void *min, void **out)
{
	stack_headroom();
	uint64_t addr;
	int err = pmm_alloc_above(&vm.pmm, pages, (uint64_t)(uintptr_t)min, &addr);

	/* Room above @min, cleared from the bottom: the heap stays as low as it can. */
	uint64_t end = VM_LINEAR_BASE + vm.layout.total;
	for (uint64_t lo = (uint64_t)(uintptr_t)min; err == -ENOMEM && reclaimer && lo < end;
	     lo += RECLAIM_SPAN_PAGES * PAGE_SIZE_4K) {
		if (reclaim_from(lo < vm.pmm.base ? vm.pmm.base : lo, pages))
			err = pmm_alloc_above(&vm.pmm, pages, (uint64_t)(uintptr_t)min, &addr);
	}
	if (err)
		return err;
	*out = (void *)(uintptr_t)addr;
	return 0;
}

int page_alloc_cache(uint64_t pages, uint64_t reserve, void **out)
{
	stack_headroom();
	uint64_t addr;

	if (vm.pmm.free_pages < reserve + pages)
		return -ENOMEM;
	int err = pmm_alloc_high(&vm.pmm, pages, &addr);
	if (err)
		return err;
	*out = (void *)(uintptr_t)addr;
	return 0;
}

int vm_dma_alloc(uint64_t bytes, void **virt, uint64_t *phys)
{
	uint64_t pages = (bytes + PAGE_SIZE_4K - 1) / PAGE_SIZE_4K;
	uint64_t contig;
	int err = page_alloc(pages, 1, virt);

	if (err)
		return err;
	if (vm_virt_to_phys(*virt, phys, &contig) || contig < bytes) {
		page_free(*virt, pages);
		return -ENOMEM;
	}
	memset(*virt, 0, pages * PAGE_SIZE_4K);
	return 0;
}

int page_free(void *addr, uint64_t pages)
{
	stack_headroom();
	return pmm_free(&vm.pmm, (uint64_t)(uintptr_t)addr, pages);
}

bool vm_page_in_use(const void *addr)
{
	uint64_t a = (uint64_t)(uintptr_t)addr;

	if (a < VM_LINEAR_BASE || a >= VM_LINEAR_BASE + vm.layout.total)
		return true;
	return pmm_is_used(&vm.pmm, a);
}

int vm_page_claim(void *addr, uint64_t pages)
{
	stack_headroom();
	uint64_t a = (uint64_t)(uintptr_t)addr & ~(PAGE_SIZE_4K - 1);

	for (int tries = 0; tries < 2; tries++) {
		uint64_t i = 0;
		while (i < pages && !vm_page_in_use((void *)(uintptr_t)(a + i * PAGE_SIZE_4K)))
			i++;
		if (i == pages)
			return pmm_mark_used(&vm.pmm, a, pages) ? -ENOMEM : 0;
		if (tries || !reclaim_from(a, pages))
			break;
	}
	return -ENOMEM;
}

void page_stats(uint64_t *total, uint64_t *free_pages)
{
	*total = vm.pmm.page_count;
	*free_pages = vm.pmm.free_pages;
}

int mmio_map(uint64_t phys, uint64_t size, volatile void **out)
{
	if (size == 0)
		return -EINVAL;
	uint64_t first = phys & ~(PAGE_SIZE_4K - 1);
	uint64_t last = (phys + size + PAGE_SIZE_4K - 1) & ~(PAGE_SIZE_4K - 1);
	if (last < first || last - first > VM_SCRATCH_END - vm.scratch_next)
		return -ENOMEM;
	uint64_t virt = vm.scratch_next;
	for (uint64_t p = first; p < last; p += PAGE_SIZE_4K) {
		int err = pt_map(vm.root_phys, virt + (p - first), p, PAGE_SIZE_4K,
		                 PTE_WRITE | PTE_PCD | PTE_PWT | PTE_NX);
		if (err)
			return err; /* the scratch range stays reserved; nothing else leaks */
	}
	vm.scratch_next = virt + (last - first);
	*out = (volatile void *)(uintptr_t)(virt + (phys - first));
	return 0;
}

bool vm_is_mapped(uint64_t addr, uint64_t len)
{
	uint64_t end = addr + len;

	if (end < addr)
		return false;
	for (uint64_t p = addr & ~(PAGE_SIZE_4K - 1); p < end; p += PAGE_SIZE_4K)
		if (!pt_translate(read_cr3() & PTE_ADDR_MASK, p, NULL, NULL))
			return false;
	return true;
}

int vm_stack_slot_of(uint64_t addr)
{
	if (addr < VM_STACK_BASE)
		return -1;
	return (int)((addr - VM_STACK_BASE) / VM_STACK_SLOT_SIZE);
}
