/* layout.c - usable RAM ranges and the page-size-ordered linear range built from them. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/layout.h"

/* Half-open end of [base, base + length), clipped to UINT64_MAX when it would pass 2^64.
 * The clip loses only the very last byte of the address space, which can never be part of
 * a whole page in a range whose end has to fit in 64 bits anyway. */
static uint64_t clipped_end(uint64_t base, uint64_t length)
{
	if (length > UINT64_MAX - base)
		return UINT64_MAX;
	return base + length;
}

/* One interval of the inputs to layout_usable_ranges(): entry @i counts the memory map
 * first, then the reserved ranges. @usable tells whether it adds or removes memory. */
struct interval {
	uint64_t start;
	uint64_t end;
	bool usable;
};

static struct interval input_interval(const struct boot_mem_range *map, size_t map_count,
                                      const struct phys_range *reserved, size_t i)
{
	struct interval iv;

	if (i < map_count) {
		iv.start = map[i].base;
		iv.end = clipped_end(map[i].base, map[i].length);
		iv.usable = map[i].type == BOOT_MEM_USABLE;
	} else {
		iv.start = reserved[i - map_count].start;
		iv.end = reserved[i - map_count].end;
		iv.usable = false;
	}
	if (iv.end < iv.start)
		iv.end = iv.start; /* a malformed reserved range removes nothing */
	return iv;
}

/* The smallest interval boundary strictly above @after (any boundary when @first), in
 * @next. Returns false when there is none. */
static bool next_boundary(const struct boot_mem_range *map, size_t map_count,
                          const struct phys_range *reserved, size_t total, bool first,
                          uint64_t after, uint64_t *next)
{
	bool found = false;
	uint64_t best = 0;

	for (size_t i = 0; i < total; i++) {
		struct interval iv = input_interval(map, map_count, reserved, i);
		uint64_t points[2] = {iv.start, iv.end};

		if (iv.start == iv.end)
			continue; /* empty entries contribute no boundaries */
		for (int k = 0; k < 2; k++) {
			if (!first && points[k] <= after)
				continue;
			if (!found || points[k] < best) {
				best = points[k];
				found = true;
			}
		}
	}
	*next = best;
	return found;
}

/* Whether the byte at @addr is usable: inside some usable entry and inside no other one.
 * No boundary lies inside an elementary interval, so its first byte speaks for all. */
static bool byte_usable(const struct boot_mem_range *map, size_t map_count,
                        const struct phys_range *reserved, size_t total, uint64_t addr)
{
	bool in_usable = false;

	for (size_t i = 0; i < total; i++) {
		struct interval iv = input_interval(map, map_count, reserved, i);

		if (addr < iv.start || addr >= iv.end)
			continue;
		if (!iv.usable)
			return false;
		in_usable = true;
	}
	return in_usable;
}

/* Round the maximal usable range [start, end) inward to whole pages and append it. */
static int emit_usable(uint64_t start, uint64_t end, struct phys_range *out, size_t max_out,
                       size_t *count)
{
	const uint64_t mask = PAGE_SIZE_4K - 1;

	if (start > UINT64_MAX - mask)
		return 0; /* no whole page starts at or above here */
	start = (start + mask) & ~mask;
	end &= ~mask;
	if (start >= end)
		return 0;
	if (*count >= max_out)
		return -ENOSPC;
	out[*count].start = start;
	out[*count].end = end;
	(*count)++;
	return 0;
}

/* Sweep the elementary intervals between consecutive boundaries in ascending order,
 * growing a pending maximal usable range and emitting it when a non-usable interval (or
 * the end) closes it. Maximal ranges are separated by at least one byte, so their rounded
 * versions are sorted, disjoint and never adjacent: no separate sort or merge is needed.
 * O(n^2) in the entry count and no scratch memory beyond @out. *@out_count is 0 on error. */
int layout_usable_ranges(const struct boot_mem_range *map, size_t map_count,
                         const struct phys_range *reserved, size_t reserved_count,
                         struct phys_range *out, size_t max_out, size_t *out_count)
{
	size_t total = map_count + reserved_count;
	size_t count = 0;
	bool pending = false;
	uint64_t pending_start = 0;
	uint64_t pending_end = 0;
	uint64_t cur;
	uint64_t next;
	int err;

	*out_count = 0;
	if (!next_boundary(map, map_count, reserved, total, true, 0, &cur))
		return 0;
	while (next_boundary(map, map_count, reserved, total, false, cur, &next)) {
		if (byte_usable(map, map_count, reserved, total, cur)) {
			if (!pending)
				pending_start = cur;
			pending = true;
			pending_end = next;
		} else if (pending) {
			err = emit_usable(pending_start, pending_end, out, max_out, &count);
			if (err)
				return err;
			pending = false;
		}
		cur = next;
	}
	if (pending) {
		err = emit_usable(pending_start, pending_end, out, max_out, &count);
		if (err)
			return err;
	}
	*out_count = count;
	return 0;
}

/* The parts of one range that are mapped with one page size, in ascending address order:
 * a 4 KiB head, a 2 MiB head, the 1 GiB middle, a 2 MiB tail and a 4 KiB tail. Any of them
 * may be empty. */
#define SPLIT_PARTS 5

struct split {
	uint64_t start[SPLIT_PARTS];
	uint64_t end[SPLIT_PARTS];
	enum page_class page_class[SPLIT_PARTS];
};

/* @x rounded up to a multiple of @size (a power of two) in @out; false on overflow. */
static bool align_up(uint64_t x, uint64_t size, uint64_t *out)
{
	if (x > UINT64_MAX - (size - 1))
		return false;
	*out = (x + size - 1) & ~(size - 1);
	return true;
}

/* Split [s, e) (4 KiB aligned) into maximal aligned pages as described above. */
static void split_range(uint64_t s, uint64_t e, bool allow_1g, struct split *sp)
{
	uint64_t s2;
	uint64_t e2 = e & ~(PAGE_SIZE_2M - 1);
	uint64_t s1;
	uint64_t e1;

	for (int i = 0; i < SPLIT_PARTS; i++) {
		sp->start[i] = s;
		sp->end[i] = s;
	}
	sp->page_class[0] = PAGE_CLASS_4K;
	sp->page_class[1] = PAGE_CLASS_2M;
	sp->page_class[2] = PAGE_CLASS_1G;
	sp->page_class[3] = PAGE_CLASS_2M;
	sp->page_class[4] = PAGE_CLASS_4K;

	if (!align_up(s, PAGE_SIZE_2M, &s2) || s2 >= e2) {
		sp->end[0] = e; /* not one whole 2 MiB page: all 4 KiB */
		return;
	}
	sp->end[0] = s2;
	sp->start[4] = e2;
	sp->end[4] = e;

	e1 = e2 & ~(PAGE_SIZE_1G - 1);
	if (!allow_1g || !align_up(s2, PAGE_SIZE_1G, &s1) || s1 >= e1) {
		sp->start[1] = s2; /* 2 MiB pages cover the whole middle */
		sp->end[1] = e2;
		sp->start[2] = sp->end[2] = sp->start[3] = sp->end[3] = e2;
		return;
	}
	sp->start[1] = s2;
	sp->end[1] = s1;
	sp->start[2] = s1;
	sp->end[2] = e1;
	sp->start[3] = e1;
	sp->end[3] = e2;
}

/* Split the next span of usable memory, from range *@r on, into @sp and advance *@r past
 * it. Ranges that touch are joined first (so pages may straddle them), and the span is
 * shrunk to whole 4 KiB pages in case the caller passed ragged ends. Returns false when no
 * range with a whole page is left. */
static bool next_span(const struct phys_range *usable, size_t count, size_t *r, bool allow_1g,
                      struct split *sp)
{
	while (*r < count) {
		uint64_t s = usable[*r].start;
		uint64_t e = usable[*r].end;

		for ((*r)++; *r < count && usable[*r].start == e && usable[*r].end > e; (*r)++)
			e = usable[*r].end;
		e &= ~(PAGE_SIZE_4K - 1);
		if (align_up(s, PAGE_SIZE_4K, &s) && s < e) {
			split_range(s, e, allow_1g, sp);
			return true;
		}
	}
	return false;
}

/* Append [phys, phys + length) of class @pc at the end of the linear range, extending the
 * last run when it has the same class and ends where this starts physically. */
static int emit_run(struct linear_layout *out, enum page_class pc, uint64_t phys, uint64_t length)
{
	struct linear_run *last = out->run_count ? &out->runs[out->run_count - 1] : NULL;

	if (length == 0)
		return 0;
	if (last && last->page_class == pc && last->phys + last->length == phys) {
		last->length += length;
	} else {
		if (out->run_count >= LAYOUT_MAX_RUNS)
			return -ENOSPC;
		out->runs[out->run_count].virt_off = out->total;
		out->runs[out->run_count].phys = phys;
		out->runs[out->run_count].length = length;
		out->runs[out->run_count].page_class = pc;
		out->run_count++;
	}
	out->total += length;
	out->class_bytes[pc] += length;
	return 0;
}

/* Emit every part of class @pc in physical order. */
static int emit_class(const struct phys_range *usable, size_t count, bool allow_1g,
                      enum page_class pc, struct linear_layout *out)
{
	struct split sp;
	size_t r = 0;
	int err;

	while (next_span(usable, count, &r, allow_1g, &sp)) {
		for (int i = 0; i < SPLIT_PARTS; i++) {
			if (sp.page_class[i] != pc || sp.start[i] == sp.end[i])
				continue;
			err = emit_run(out, pc, sp.start[i], sp.end[i] - sp.start[i]);
			if (err)
				return err;
		}
	}
	return 0;
}

static void layout_clear(struct linear_layout *out)
{
	out->run_count = 0;
	out->total = 0;
	for (int c = 0; c < PAGE_CLASS_COUNT; c++)
		out->class_bytes[c] = 0;
}

int layout_build(const struct phys_range *usable, size_t count, bool allow_1g,
                 struct linear_layout *out)
{
	int err = 0;

	layout_clear(out);
	/* Largest pages first: each class then starts at an offset that is a multiple of its
	 * page size, because every earlier run is a multiple of a larger page size. */
	for (int c = PAGE_CLASS_COUNT - 1; c >= 0 && !err; c--)
		err = emit_class(usable, count, allow_1g, (enum page_class)c, out);
	if (!err && out->total == 0)
		err = -ENOMEM;
	if (err)
		layout_clear(out);
	return err;
}

int layout_virt_to_phys(const struct linear_layout *layout, uint64_t virt_off, uint64_t *phys,
                        uint64_t *contig)
{
	size_t lo = 0;
	size_t hi = layout->run_count;
	const struct linear_run *run;
	uint64_t into;
	uint64_t more;

	if (virt_off >= layout->total || layout->run_count == 0)
		return -EFAULT;
	/* The last run whose virt_off is <= @virt_off; runs have no gaps, so it holds it. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (layout->runs[mid].virt_off <= virt_off)
			lo = mid;
		else
			hi = mid;
	}
	run = &layout->runs[lo];
	into = virt_off - run->virt_off;
	if (into >= run->length)
		return -EFAULT;
	*phys = run->phys + into;
	if (contig) {
		/* Runs that follow on physically (only possible where the class changes) extend
		 * the contiguous stretch. */
		more = run->length - into;
		for (size_t i = lo + 1; i < layout->run_count; i++) {
			const struct linear_run *prev = &layout->runs[i - 1];

			if (layout->runs[i].phys != prev->phys + prev->length)
				break;
			more += layout->runs[i].length;
		}
		*contig = more;
	}
	return 0;
}

int layout_phys_to_virt(const struct linear_layout *layout, uint64_t phys, uint64_t *virt_off)
{
	for (size_t i = 0; i < layout->run_count; i++) {
		const struct linear_run *run = &layout->runs[i];

		if (phys >= run->phys && phys - run->phys < run->length) {
			*virt_off = run->virt_off + (phys - run->phys);
			return 0;
		}
	}
	return -EFAULT;
}
