/* stack.c - stack slots with on-demand growth down to a per-slot limit (see stack.h). */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "kernel/cpu.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/stack.h"
#include "mm/vm.h"
#include "mm/vm_internal.h"

struct slot_state {
	uint64_t limit;  /* bytes the stack may grow to; 0 = slot free */
	uint64_t mapped; /* bytes mapped from the top (slot 0: its boot pages included) */
};

static struct slot_state slots[VM_STACK_SLOTS];

static uint64_t slot_top(int slot)
{
	return VM_STACK_BASE + (uint64_t)(slot + 1) * VM_STACK_SLOT_SIZE;
}

static uint64_t round_pages(uint64_t bytes)
{
	return (bytes + PAGE_SIZE_4K - 1) & ~(PAGE_SIZE_4K - 1);
}

static void boot_slot_init(void)
{
	if (!slots[0].limit) {
		slots[0].limit = STACK_DEFAULT_LIMIT;
		slots[0].mapped = VM_BOOT_STACK_BYTES;
	}
}

/* Map one zeroed page at @virt from the page allocator. */
static int map_fresh_page(uint64_t virt)
{
	void *page;
	uint64_t phys;
	int err = page_alloc(1, 0, &page);

	if (err)
		return err;
	memset(page, 0, PAGE_SIZE_4K);
	vm_virt_to_phys(page, &phys, NULL);
	err = pt_map(vm.root_phys, virt, phys, PAGE_SIZE_4K, PTE_WRITE | PTE_NX);
	if (err)
		page_free(page, 1);
	return err;
}

static void unmap_range(uint64_t low, uint64_t high)
{
	for (uint64_t v = low; v < high; v += PAGE_SIZE_4K) {
		uint64_t phys, off;
		if (pt_unmap_4k(vm.root_phys, v, &phys) == 0 &&
		    layout_phys_to_virt(&vm.layout, phys, &off) == 0)
			page_free((void *)(uintptr_t)(VM_LINEAR_BASE + off), 1);
	}
}

int stack_slot_alloc(uint64_t limit, uint64_t initial, int *slot, uint64_t *top)
{
	limit = round_pages(limit < STACK_MIN_BYTES ? STACK_MIN_BYTES : limit);
	initial = round_pages(initial ? initial : PAGE_SIZE_4K);
	if (limit >= VM_STACK_SLOT_SIZE || initial > limit)
		return -EINVAL;
	boot_slot_init();
	/* The lowest free slot: a reused slot finds its page tables already there. */
	for (int s = 1; s < VM_STACK_SLOTS; s++) {
		if (slots[s].limit)
			continue;
		uint64_t t = slot_top(s);
		for (uint64_t v = t - initial; v < t; v += PAGE_SIZE_4K) {
			int err = map_fresh_page(v);
			if (err) {
				unmap_range(t - initial, v);
				return err;
			}
		}
		slots[s].limit = limit;
		slots[s].mapped = initial;
		*slot = s;
		*top = t;
		return 0;
	}
	return -EAGAIN;
}

int stack_slot_free(int slot)
{
	if (slot <= 0 || slot >= VM_STACK_SLOTS || !slots[slot].limit)
		return -EINVAL;
	uint64_t t = slot_top(slot);
	unmap_range(t - slots[slot].mapped, t);
	slots[slot].limit = 0;
	slots[slot].mapped = 0;
	return 0;
}

bool stack_slot_grow(uint64_t addr)
{
	int slot = vm_stack_slot_of(addr);

	if (slot < 0 || slot >= VM_STACK_SLOTS)
		return false;
	boot_slot_init();
	struct slot_state *s = &slots[slot];
	uint64_t t = slot_top(slot);
	if (!s->limit || addr < t - s->limit || addr >= t - s->mapped)
		return false;
	/* Map everything between the touched page and the mapped part: stacks grow down
	 * contiguously, and the bookkeeping stays one number. */
	uint64_t low = addr & ~(PAGE_SIZE_4K - 1);
	for (uint64_t v = t - s->mapped - PAGE_SIZE_4K; v >= low; v -= PAGE_SIZE_4K) {
		if (map_fresh_page(v))
			return false;
		s->mapped += PAGE_SIZE_4K;
		if (v == low)
			break;
	}
	return true;
}

uint64_t stack_slot_limit_of(int slot)
{
	boot_slot_init();
	if (slot < 0 || slot >= VM_STACK_SLOTS || !slots[slot].limit)
		return 0;
	return slot_top(slot) - slots[slot].limit;
}

uint64_t stack_slot_mapped_bytes(int slot)
{
	boot_slot_init();
	if (slot < 0 || slot >= VM_STACK_SLOTS)
		return 0;
	return slots[slot].mapped;
}
