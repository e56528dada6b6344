/* vm_internal.h - state shared by mm/vmboot.c (building it) and mm/vm.c (using it).
 * Not for callers outside mm/. */
#ifndef MM_VM_INTERNAL_H
#define MM_VM_INTERNAL_H

#include <stdint.h>

#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/vm.h"

#define VM_BOOT_MAX_EXTENTS 32

/* A stretch of the linear range taken by the boot before the page allocator existed. */
struct vm_extent {
	uint64_t off;
	uint64_t len;
};

struct vm_state {
	struct linear_layout layout;
	struct vm_boot_stats stats;
	struct pmm pmm;
	uint64_t root_phys;  /* the kernel's PML4 */
	uint64_t bitmap_off; /* linear offset of the page allocator's bitmap */
	struct vm_extent boot_extents[VM_BOOT_MAX_EXTENTS];
	int boot_extent_count;
	uint64_t scratch_next; /* next free address in the scratch area */
	uint64_t nx_mask;
};

extern struct vm_state vm;

#endif
