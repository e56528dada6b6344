/* vm.h - the kernel's virtual memory: the layout from the notes, made real.
 *
 *   0xFFFF800000000000 - 0xFFFFC00000000000  scratch: MMIO, mapped uncached (mmio_map)
 *   0xFFFFC00000000000 - 0xFFFFFF0000000000  linear usable memory (mm/layout.h)
 *   0xFFFFFF0000000000 - 2^64                1024 stack slots of 1 GiB; slot 0 = boot stack
 *
 * Every slot, slot 0 included, maps only the top of its stack and grows on demand from
 * 4 KiB pages of the linear range (mm/stack.h); slot 0's top VM_BOOT_STACK_BYTES come
 * from the boot, the rest from the page allocator. Physical memory outside the linear
 * range: page 0 and the initrd, nothing else.
 *
 * The linear range is contiguous virtually but not physically: DMA addresses come from
 * vm_virt_to_phys(), never from an offset. The page allocator hands out linear addresses.
 */
#ifndef MM_VM_H
#define MM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/boot_info.h"
#include "mm/layout.h"

/* VM_BOOT_STACK_BYTES: slot 0's top, mapped by the boot before the page allocator exists,
 * enough for the code that runs on it up to vm_boot_finish(); below it slot 0 grows on
 * demand like any slot. */
#define VM_SCRATCH_BASE     0xFFFF800000000000ull
#define VM_SCRATCH_END      0xFFFFC00000000000ull
#define VM_LINEAR_BASE      0xFFFFC00000000000ull
#define VM_LINEAR_END       0xFFFFFF0000000000ull
#define VM_STACK_BASE       0xFFFFFF0000000000ull
#define VM_STACK_SLOT_SIZE  (1ull << 30)
#define VM_STACK_SLOTS      1024
#define VM_BOOT_STACK_BYTES (4 * PAGE_SIZE_4K)

/* Reasons the boot left physical memory out of the linear range, for the boot report. */
struct vm_boot_stats {
	uint64_t usable_bytes;    /* usable RAM in the memory map as found */
	uint64_t usable_ranges;   /* in how many ranges */
	uint64_t low_reserved;    /* usable bytes in page 0, never used */
	uint64_t initrd_reserved; /* usable bytes under the initrd */
	uint64_t unaligned_bytes; /* usable bytes lost to rounding ranges to whole pages */
	uint64_t image_linear;    /* where the kernel image lives in the linear range */
	uint64_t image_bytes;
	uint64_t boot_alloc_bytes;  /* page tables, bitmap, image and slot 0's top taken at boot */
	uint64_t boot_stack_linear; /* where slot 0's first VM_BOOT_STACK_BYTES live */
	bool one_gib_pages;         /* the CPU offered them and the layout used them */
	bool nx;                    /* no-execute in use */
};

/* vm_boot - build the final page tables from @bi's memory map, copy the running image into
 * the linear range, re-apply its relocations there and continue at @next (the same
 * function's address in the copy) on stack slot 0, with @arg translated to the copy when
 * it points into the image. Called once, at the load address; does not return.
 * Panics with the reason when memory is too small or the map unusable. */
__attribute__((noreturn)) void vm_boot(const struct boot_info *bi, void (*next)(void *), void *arg);

/* vm_boot_finish - first call after the move: drop the low identity mapping (NULL then
 * faults), enforce read-only text (CR0.WP) and start the page allocator. */
void vm_boot_finish(void);

const struct linear_layout *vm_layout(void);
const struct vm_boot_stats *vm_stats(void);

/* vm_virt_to_phys - physical address of a linear-range address, and in @contig (may be
 * NULL) the physically contiguous bytes from there. Returns 0 or -EFAULT. */
int vm_virt_to_phys(const void *addr, uint64_t *phys, uint64_t *contig);

/* page_alloc - @pages contiguous 4 KiB pages from the linear range, aligned to
 * @align_pages pages (0 or a power of two). Returns 0 and the address in @out, or
 * -ENOMEM / -EINVAL. The memory is not zeroed. */
int page_alloc(uint64_t pages, uint64_t align_pages, void **out);

/* vm_dma_alloc - zeroed pages for @bytes that are physically contiguous (device rings,
 * request tables): their address in @virt, the physical one in @phys. Returns 0 or
 * -ENOMEM (no run, or one that is not contiguous in physical memory). */
int vm_dma_alloc(uint64_t bytes, void **virt, uint64_t *phys);

/* page_alloc_above - @pages pages at the lowest address at or above @min (a heap that
 * grows upwards: newlib's malloc takes a new sbrk region only above its old end).
 * Returns 0 or -ENOMEM. */
int page_alloc_above(uint64_t pages, const void *min, void **out);

/* page_alloc_cache - @pages pages (1 to 64, in one run) for a cache that gives them back
 * when memory runs short (vm_set_reclaimer): the highest free run, never through the
 * reclaimer, and only while more than @reserve pages stay free. Returns 0 or -ENOMEM
 * (-EINVAL for a bad count). */
int page_alloc_cache(uint64_t pages, uint64_t reserve, void **out);

/* vm_set_reclaimer - @fn frees pages of a cache when an allocation finds no room. With
 * @hi zero it gives back at least @pages pages, least recently used first; otherwise every
 * cached page in [@lo, @hi) (where a heap wants to grow). It returns how many it freed
 * (0: none left there). page_alloc asks for pages until its run fits; page_alloc_above
 * and vm_page_claim clear the pages they want, from the bottom up. @fn runs inside the
 * allocation, maybe from a page fault: it may only page_free. One reclaimer; NULL
 * removes it. */
typedef uint64_t (*vm_reclaimer_fn)(uint64_t pages, uint64_t lo, uint64_t hi);
void vm_set_reclaimer(vm_reclaimer_fn fn);

/* page_free - return pages from page_alloc. Returns 0 or -EINVAL (not allocated). */
int page_free(void *addr, uint64_t pages);

/* vm_page_in_use - whether the page holding @addr is allocated (or outside the range). */
bool vm_page_in_use(const void *addr);

/* vm_page_claim - allocate exactly the @pages pages at @addr, which must all be free.
 * Returns 0, or -ENOMEM when one of them is not (nothing is taken then). */
int vm_page_claim(void *addr, uint64_t pages);

/* page_stats - pages managed and pages free. */
void page_stats(uint64_t *total, uint64_t *free_pages);

/* mmio_map - map @size bytes of device memory at physical @phys into the scratch area,
 * uncached, read-write, no-execute. Returns 0 and the virtual address of @phys in @out,
 * -EINVAL for a zero size, or -ENOMEM when the area or the page tables run out. Mappings
 * are permanent. */
int mmio_map(uint64_t phys, uint64_t size, volatile void **out);

/* vm_is_mapped - whether every byte of [addr, addr+len) is mapped (for fault reports). */
bool vm_is_mapped(uint64_t addr, uint64_t len);

/* vm_stack_slot_of - the stack slot @addr falls in, or -1 outside the stack area. */
int vm_stack_slot_of(uint64_t addr);

#endif
