/* pmm.c - bitmap page allocator over the linear usable range (next-fit, word at a time). */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/pmm.h"

#define PMM_PAGE_SHIFT 12
#define PMM_PAGE_SIZE  (1ull << PMM_PAGE_SHIFT)
#define WORD_BITS      64
#define ALL_USED       (~0ull)

/* Number of set bits. Written out rather than __builtin_popcountll, which without
 * -mpopcnt becomes a call into libgcc, and the kernel does not link libgcc. */
static uint64_t popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (x * 0x0101010101010101ull) >> 56;
}

/* Bits [lo, hi) of one word, 0 <= lo < hi <= 64. */
static uint64_t bit_mask(unsigned lo, unsigned hi)
{
	uint64_t upper = hi == WORD_BITS ? ALL_USED : (1ull << hi) - 1;

	return upper & ~((1ull << lo) - 1);
}

uint64_t pmm_bitmap_bytes(uint64_t page_count)
{
	return (page_count / WORD_BITS + (page_count % WORD_BITS != 0)) * sizeof(uint64_t);
}

void pmm_init(struct pmm *pmm, uint64_t base, uint64_t page_count, uint64_t *bitmap)
{
	uint64_t words = pmm_bitmap_bytes(page_count) / sizeof(uint64_t);

	pmm->bitmap = bitmap;
	pmm->base = base;
	pmm->page_count = page_count;
	pmm->free_pages = 0;
	pmm->hint = 0;
	pmm->high_words = 0;
	/* Everything used, including the padding bits past page_count in the last word,
	 * which stay set for good so the word-at-a-time scans never see them as free. */
	for (uint64_t i = 0; i < words; i++)
		bitmap[i] = ALL_USED;
}

/* The page index of the span [@addr, @addr + @pages pages) in @first, or -EINVAL when the
 * span is unaligned or leaves the managed range. */
static int span_index(const struct pmm *pmm, uint64_t addr, uint64_t pages, uint64_t *first)
{
	uint64_t index;

	if (addr & (PMM_PAGE_SIZE - 1) || addr < pmm->base)
		return -EINVAL;
	index = (addr - pmm->base) >> PMM_PAGE_SHIFT;
	if (index > pmm->page_count || pages > pmm->page_count - index)
		return -EINVAL;
	*first = index;
	return 0;
}

/* Set bits [first, first + count) to @used. Returns how many bits actually changed, so
 * free_pages stays exact when part of the span was already in that state. */
static uint64_t set_bits(uint64_t *bitmap, uint64_t first, uint64_t count, bool used)
{
	uint64_t changed = 0;
	uint64_t end = first + count;

	while (first < end) {
		uint64_t word = first / WORD_BITS;
		unsigned lo = first % WORD_BITS;
		uint64_t left = end - word * WORD_BITS;
		unsigned hi = left >= WORD_BITS ? WORD_BITS : (unsigned)left;
		uint64_t mask = bit_mask(lo, hi);
		uint64_t w = bitmap[word];

		if (used) {
			changed += popcount64(~w & mask);
			bitmap[word] = w | mask;
		} else {
			changed += popcount64(w & mask);
			bitmap[word] = w & ~mask;
		}
		first = word * WORD_BITS + hi;
	}
	return changed;
}

/* Pages [first, first + pages) became free: pmm_alloc_high must look that high. */
static void note_freed(struct pmm *pmm, uint64_t first, uint64_t pages)
{
	uint64_t words = pages ? (first + pages - 1) / WORD_BITS + 1 : 0;

	if (words > pmm->high_words)
		pmm->high_words = words;
}

/* The first index in [from, end) whose bit equals @used, or @end when there is none.
 * Skips whole words that cannot contain such a bit. */
static uint64_t find_bit(const uint64_t *bitmap, uint64_t from, uint64_t end, bool used)
{
	uint64_t word;
	uint64_t w;

	if (from >= end)
		return end;
	word = from / WORD_BITS;
	w = used ? bitmap[word] : ~bitmap[word];
	w &= ~((1ull << (from % WORD_BITS)) - 1);
	for (;;) {
		if (w) {
			uint64_t index = word * WORD_BITS + (uint64_t)__builtin_ctzll(w);

			return index < end ? index : end;
		}
		word++;
		if (word * WORD_BITS >= end)
			return end;
		w = used ? bitmap[word] : ~bitmap[word];
	}
}

int pmm_mark_free(struct pmm *pmm, uint64_t addr, uint64_t pages)
{
	uint64_t first;
	int err = span_index(pmm, addr, pages, &first);

	if (err)
		return err;
	pmm->free_pages += set_bits(pmm->bitmap, first, pages, false);
	note_freed(pmm, first, pages);
	return 0;
}

int pmm_mark_used(struct pmm *pmm, uint64_t addr, uint64_t pages)
{
	uint64_t first;
	int err = span_index(pmm, addr, pages, &first);

	if (err)
		return err;
	pmm->free_pages -= set_bits(pmm->bitmap, first, pages, true);
	return 0;
}

/* The lowest index in [from, limit) that is aligned (page number of base + index a
 * multiple of @align) and starts @pages free pages that end within the range; sets
 * @found. The scan alternates "next free bit" and "next used bit inside the candidate",
 * and never looks at a bit twice, so it is linear in the span. */
static bool find_run(const struct pmm *pmm, uint64_t from, uint64_t limit, uint64_t pages,
                     uint64_t align, uint64_t *found)
{
	uint64_t base_pfn = pmm->base >> PMM_PAGE_SHIFT;
	uint64_t pos = from;

	while (pos < limit) {
		uint64_t start = find_bit(pmm->bitmap, pos, limit, false);
		uint64_t used;

		if (start >= limit)
			return false;
		/* Round up so that base_pfn + start is a multiple of align. */
		start += (align - ((base_pfn + start) & (align - 1))) & (align - 1);
		if (start >= limit || start > pmm->page_count || pages > pmm->page_count - start)
			return false;
		used = find_bit(pmm->bitmap, start, start + pages, true);
		if (used == start + pages) {
			*found = start;
			return true;
		}
		pos = used + 1;
	}
	return false;
}

int pmm_alloc(struct pmm *pmm, uint64_t pages, uint64_t align_pages, uint64_t *addr)
{
	uint64_t hint = pmm->hint < pmm->page_count ? pmm->hint : 0;
	uint64_t start;

	if (pages == 0 || (align_pages & (align_pages - 1)))
		return -EINVAL;
	if (align_pages == 0)
		align_pages = 1;
	if (pages > pmm->free_pages)
		return -ENOMEM;
	/* Next fit: from the hint to the end, then once more from the start for runs that
	 * start before the hint (they may run past it). */
	if (!find_run(pmm, hint, pmm->page_count, pages, align_pages, &start) &&
	    !find_run(pmm, 0, hint, pages, align_pages, &start))
		return -ENOMEM;
	set_bits(pmm->bitmap, start, pages, true);
	pmm->free_pages -= pages;
	pmm->hint = start + pages < pmm->page_count ? start + pages : 0;
	*addr = pmm->base + (start << PMM_PAGE_SHIFT);
	return 0;
}

int pmm_alloc_above(struct pmm *pmm, uint64_t pages, uint64_t min_addr, uint64_t *addr)
{
	uint64_t from = 0, start;

	if (pages == 0)
		return -EINVAL;
	if (pages > pmm->free_pages)
		return -ENOMEM;
	if (min_addr > pmm->base)
		from = (min_addr - pmm->base + (1u << PMM_PAGE_SHIFT) - 1) >> PMM_PAGE_SHIFT;
	if (from >= pmm->page_count || !find_run(pmm, from, pmm->page_count, pages, 1, &start))
		return -ENOMEM;
	set_bits(pmm->bitmap, start, pages, true);
	pmm->free_pages -= pages;
	*addr = pmm->base + (start << PMM_PAGE_SHIFT);
	return 0;
}

/* The bits of @free_bits that start @pages set bits in a row (pages >= 1). */
static uint64_t run_starts(uint64_t free_bits, uint64_t pages)
{
	uint64_t starts = free_bits;

	for (uint64_t have = 1; have < pages && starts;) {
		uint64_t step = have < pages - have ? have : pages - have;

		starts &= starts >> step;
		have += step;
	}
	return starts;
}

int pmm_alloc_high(struct pmm *pmm, uint64_t pages, uint64_t *addr)
{
	if (pages == 0 || pages > WORD_BITS)
		return -EINVAL;
	if (pmm->free_pages < pages)
		return -ENOMEM;
	bool below_all_full = true; /* every word above the current one is full */
	for (uint64_t word = pmm->high_words; word-- > 0;) {
		uint64_t free_bits = ~pmm->bitmap[word]; /* padding bits are always used */
		uint64_t starts = run_starts(free_bits, pages);

		if (starts) {
			uint64_t index = word * WORD_BITS + 63 - (uint64_t)__builtin_clzll(starts);

			set_bits(pmm->bitmap, index, pages, true);
			pmm->free_pages -= pages;
			if (below_all_full)
				pmm->high_words = word + 1;
			*addr = pmm->base + (index << PMM_PAGE_SHIFT);
			return 0;
		}
		below_all_full = below_all_full && !free_bits;
	}
	if (below_all_full)
		pmm->high_words = 0;
	return -ENOMEM;
}

int pmm_free(struct pmm *pmm, uint64_t addr, uint64_t pages)
{
	uint64_t first;
	int err;

	if (pages == 0)
		return -EINVAL;
	err = span_index(pmm, addr, pages, &first);
	if (err)
		return err;
	/* A free page inside the span is a double free: refuse before touching anything. */
	if (find_bit(pmm->bitmap, first, first + pages, false) != first + pages)
		return -EINVAL;
	set_bits(pmm->bitmap, first, pages, false);
	pmm->free_pages += pages;
	note_freed(pmm, first, pages);
	return 0;
}

bool pmm_is_used(const struct pmm *pmm, uint64_t addr)
{
	uint64_t index;

	if (addr < pmm->base)
		return false;
	index = (addr - pmm->base) >> PMM_PAGE_SHIFT;
	if (index >= pmm->page_count)
		return false;
	return pmm->bitmap[index / WORD_BITS] >> (index % WORD_BITS) & 1;
}
