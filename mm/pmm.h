/* pmm.h - the page allocator over the linear usable range.
 *
 * One bit per 4 KiB page of the linear range (set = in use). Addresses handed out are
 * linear virtual addresses; layout_virt_to_phys() turns them into physical ones for DMA.
 * Runs of pages are found by a next-fit scan from a hint. Pure logic: unit-tested on the
 * host. Not locked: callers serialise (one vCPU, interrupts do not allocate).
 */
#ifndef MM_PMM_H
#define MM_PMM_H

#include <stdbool.h>
#include <stdint.h>

struct pmm {
	uint64_t *bitmap;    /* page_count bits, 1 = used */
	uint64_t base;       /* address of page 0 */
	uint64_t page_count; /* pages managed */
	uint64_t free_pages; /* pages currently free */
	uint64_t hint;       /* page index where the next search starts */
	uint64_t high_words; /* bitmap words from 0 that may hold a free page (the rest
	                      * are full): where pmm_alloc_high starts */
};

/* Bytes of bitmap storage needed for @page_count pages (a multiple of 8). */
uint64_t pmm_bitmap_bytes(uint64_t page_count);

/* pmm_init - manage @page_count pages starting at @base (4 KiB aligned), with
 * @bitmap of pmm_bitmap_bytes(page_count) bytes. Every page starts out used; the caller
 * frees what is available with pmm_mark_free(). */
void pmm_init(struct pmm *pmm, uint64_t base, uint64_t page_count, uint64_t *bitmap);

/* pmm_mark_free / pmm_mark_used - set the state of @pages pages from @addr, whatever it
 * was (boot-time bookkeeping). Returns 0, or -EINVAL when the span is unaligned or leaves
 * the managed range. */
int pmm_mark_free(struct pmm *pmm, uint64_t addr, uint64_t pages);
int pmm_mark_used(struct pmm *pmm, uint64_t addr, uint64_t pages);

/* pmm_alloc - find @pages contiguous free pages whose address is a multiple of
 * @align_pages pages (0 or 1: no constraint; otherwise a power of two), mark them used
 * and store their address in @addr.
 * Returns 0, -EINVAL for zero pages or a bad alignment, -ENOMEM when no run fits. */
int pmm_alloc(struct pmm *pmm, uint64_t pages, uint64_t align_pages, uint64_t *addr);

/* pmm_alloc_above - the lowest run of @pages free pages at or above @min_addr (no wrap
 * around): for a heap that may only grow upwards. Marks them used, address in @addr.
 * Returns 0, -EINVAL for zero pages, -ENOMEM when no run above fits. */
int pmm_alloc_above(struct pmm *pmm, uint64_t pages, uint64_t min_addr, uint64_t *addr);

/* pmm_alloc_high - the highest run of @pages free pages (1 to 64) that lies within one
 * bitmap word (64 pages): for caches that give their pages back under pressure, kept
 * away from the low end where heaps grow. Marks it used, address in @addr. Returns 0,
 * -EINVAL for a bad count, -ENOMEM when no such run is free. */
int pmm_alloc_high(struct pmm *pmm, uint64_t pages, uint64_t *addr);

/* pmm_free - give back @pages pages from @addr, all of which must be in use.
 * Returns 0, or -EINVAL (and changes nothing) for an unaligned or out-of-range span or
 * one that contains a free page (a double free). */
int pmm_free(struct pmm *pmm, uint64_t addr, uint64_t pages);

/* pmm_is_used - whether the page holding @addr is in use (false outside the range). */
bool pmm_is_used(const struct pmm *pmm, uint64_t addr);

#endif
