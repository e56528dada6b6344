/* layout.h - how physical memory becomes the linear usable range.
 *
 * The notes' mapping process: split every usable RAM range into maximal aligned 1 GiB,
 * 2 MiB and 4 KiB pages and lay them out back to back from linear offset 0: all 1 GiB
 * pages first, then all 2 MiB pages, then all 4 KiB pages. Ordering by size keeps every
 * page aligned in the virtual range too, so the range is contiguous in virtual memory with
 * no holes even though physical memory has them. (The notes also took one 2 MiB page out
 * for the initial stack; stack slot 0 now grows on demand like the other slots, from 4 KiB
 * pages of the linear range, so a VM of 2-3 MiB does not lose most of its memory to it.)
 * Pure logic: no hardware, unit-tested on the host.
 */
#ifndef MM_LAYOUT_H
#define MM_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/boot_info.h"

#define PAGE_SIZE_4K 0x1000ull
#define PAGE_SIZE_2M 0x200000ull
#define PAGE_SIZE_1G 0x40000000ull

enum page_class { PAGE_CLASS_4K = 0, PAGE_CLASS_2M = 1, PAGE_CLASS_1G = 2, PAGE_CLASS_COUNT = 3 };

#define LAYOUT_MAX_RANGES 256
#define LAYOUT_MAX_RUNS   1024

/* A half-open physical range [start, end). */
struct phys_range {
	uint64_t start;
	uint64_t end;
};

/* One stretch of the linear range that is contiguous both virtually and physically and
 * mapped with one page size. */
struct linear_run {
	uint64_t virt_off; /* offset from the start of the linear range */
	uint64_t phys;
	uint64_t length;
	enum page_class page_class;
};

struct linear_layout {
	struct linear_run runs[LAYOUT_MAX_RUNS]; /* sorted by virt_off, no gaps */
	size_t run_count;
	uint64_t total;                         /* bytes in the linear range */
	uint64_t class_bytes[PAGE_CLASS_COUNT]; /* bytes mapped with each page size */
};

/* layout_usable_ranges - the usable RAM of a memory map, minus reserved ranges.
 * Keeps entries of type BOOT_MEM_USABLE, shrinks each to whole 4 KiB pages, removes every
 * byte that lies in a range of another type (firmware maps may overlap) or in @reserved,
 * and returns the result sorted and merged in @out.
 * Returns 0, or -ENOSPC when more than @max_out ranges would be needed. */
int layout_usable_ranges(const struct boot_mem_range *map, size_t map_count,
                         const struct phys_range *reserved, size_t reserved_count,
                         struct phys_range *out, size_t max_out, size_t *out_count);

/* layout_build - split sorted, disjoint, page-aligned @usable ranges into maximal pages
 * (1 GiB ones only when @allow_1g) and lay them all out as described above.
 * Physically adjacent pages of one class are merged into one run.
 * Returns 0, -ENOMEM when there is not one whole 4 KiB page, or -ENOSPC when the runs do
 * not fit in LAYOUT_MAX_RUNS; the layout is empty on error. */
int layout_build(const struct phys_range *usable, size_t count, bool allow_1g,
                 struct linear_layout *out);

/* layout_virt_to_phys - the physical address behind linear offset @virt_off, and in
 * @contig (when not NULL) how many bytes from there on are physically contiguous.
 * Binary search over the runs. Returns 0, or -EFAULT when the offset is outside the range. */
int layout_virt_to_phys(const struct linear_layout *layout, uint64_t virt_off, uint64_t *phys,
                        uint64_t *contig);

/* layout_phys_to_virt - the linear offset of physical address @phys.
 * Returns 0, or -EFAULT when @phys is not in the linear range. Linear in the run count;
 * for diagnostics and boot, not for hot paths. */
int layout_phys_to_virt(const struct linear_layout *layout, uint64_t phys, uint64_t *virt_off);

#endif
