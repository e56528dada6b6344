/* vmboot.c - the boot half of the memory manager: from the memory map to the final page
 * tables, then the move of the running image into the linear range (the notes' "reload").
 *
 * Runs once, at the load address, with the boot's identity map of the first 1 GiB. Until
 * the page allocator exists, memory comes from a bump allocator that walks the linear
 * layout and skips what it may not touch yet: pages above the identity limit, the running
 * image and the boot's identity-map tables (still in use until vm_boot_finish()). The rest
 * of the first MiB is fair game: by now boot_main() has copied the handoff, memory map and
 * command line into struct boot_info, trap_init() has replaced the loader's GDT, and the
 * loader's stack was left for the image's own. What the bump allocator hands out is
 * recorded so the page allocator can keep it; everything else in the linear range, the
 * skipped pages and the old image included, is the page allocator's from vm_boot_finish()
 * on.
 *
 * Memory floor: every usable page but page 0 and the initrd is in the linear range, and
 * stack slot 0 starts with VM_BOOT_STACK_BYTES mapped (it grows on demand like the other
 * slots), so boot needs the image twice (running and copy) plus a few pages, and after the
 * move the old image's pages are free again. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "kernel/cpu.h"
#include "kernel/cpufeat.h"
#include "kernel/kernel.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/reloc.h"
#include "mm/vm.h"
#include "mm/vm_internal.h"

#define BOOT_IDENTITY_LIMIT (1ull << 30)
#define LOW_RESERVED_END    0x1000ull /* page 0 (real-mode IVT, BIOS data): never used */
#define MAX_FORBIDDEN       8

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];
extern const struct elf64_rela __rela_start[], __rela_end[];

void boot_jump_high(void (*entry)(void *), uint64_t stack_top, void *arg);

static struct phys_range usable[LAYOUT_MAX_RANGES];
static struct phys_range forbidden[MAX_FORBIDDEN];
static int forbidden_count;
static uint64_t early_cursor;
static uint64_t image_off; /* linear offset of the image's new home */

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static void *identity_ptr(uint64_t phys)
{
	return phys < BOOT_IDENTITY_LIMIT ? (void *)(uintptr_t)phys : NULL;
}

/* How many bytes from linear offset @off on may be used early; 0 means "skip @skip". */
static uint64_t early_usable_span(uint64_t off, uint64_t *skip)
{
	uint64_t phys, contig;

	layout_virt_to_phys(&vm.layout, off, &phys, &contig);
	if (phys >= BOOT_IDENTITY_LIMIT) {
		*skip = contig;
		return 0;
	}
	if (phys + contig > BOOT_IDENTITY_LIMIT)
		contig = BOOT_IDENTITY_LIMIT - phys;
	for (int i = 0; i < forbidden_count; i++) {
		const struct phys_range *f = &forbidden[i];
		if (phys >= f->start && phys < f->end) {
			uint64_t past = f->end - phys;
			*skip = past < contig ? past : contig;
			return 0;
		}
		if (f->start > phys && f->start < phys + contig)
			contig = f->start - phys;
	}
	return contig;
}

static void record_extent(uint64_t off, uint64_t len)
{
	int n = vm.boot_extent_count;

	if (n > 0 && vm.boot_extents[n - 1].off + vm.boot_extents[n - 1].len == off) {
		vm.boot_extents[n - 1].len += len;
		return;
	}
	if (n == VM_BOOT_MAX_EXTENTS)
		panic("boot memory: more than %d separate boot allocations", VM_BOOT_MAX_EXTENTS);
	vm.boot_extents[n].off = off;
	vm.boot_extents[n].len = len;
	vm.boot_extent_count = n + 1;
}

/* early_try_alloc - @pages pages, contiguous in the linear range and at an offset aligned
 * to @align, from the boot's bump allocator; zeroed when @zero (not the image's new home,
 * which the copy fills). Stores their linear offset in @out; false (nothing taken) when no
 * such stretch is left. */
static bool early_try_alloc(uint64_t pages, uint64_t align, bool zero, uint64_t *out)
{
	uint64_t len = pages * PAGE_SIZE_4K;
	uint64_t off = align_up(early_cursor, align);

	while (off + len <= vm.layout.total) {
		uint64_t done = 0, skip = 0;
		while (done < len) {
			uint64_t span = early_usable_span(off + done, &skip);
			if (!span)
				break;
			done += span;
		}
		if (done >= len) {
			for (uint64_t at = 0; zero && at < len;) {
				uint64_t phys, contig;
				layout_virt_to_phys(&vm.layout, off + at, &phys, &contig);
				if (contig > len - at)
					contig = len - at;
				memset(identity_ptr(phys), 0, contig);
				at += contig;
			}
			record_extent(off, len);
			vm.stats.boot_alloc_bytes += len;
			early_cursor = off + len;
			*out = off;
			return true;
		}
		off = align_up(off + done + skip, align);
	}
	return false;
}

/* early_alloc - as early_try_alloc(), page aligned or more; panics when memory runs out,
 * with what the boot has taken and what it may not touch. */
static uint64_t early_alloc(uint64_t pages, uint64_t align)
{
	uint64_t off;

	if (early_try_alloc(pages, align, true, &off))
		return off;
	panic("boot memory: no room for %lu more pages below 1 GiB (linear range %lu KiB, "
	      "boot took %lu KiB; the running image at %#lx, %lu KiB, and the boot's page "
	      "tables are off limits until the move)",
	      (unsigned long)pages, (unsigned long)(vm.layout.total >> 10),
	      (unsigned long)(vm.stats.boot_alloc_bytes >> 10), (unsigned long)forbidden[0].start,
	      (unsigned long)((forbidden[0].end - forbidden[0].start) >> 10));
}

static int early_alloc_table(uint64_t *phys)
{
	uint64_t contig;
	return layout_virt_to_phys(&vm.layout, early_alloc(1, PAGE_SIZE_4K), phys, &contig);
}

/* Page rights for a linear offset: the image's own sections get theirs, the rest is data. */
static uint64_t linear_flags(uint64_t off)
{
	uint64_t image_bytes = (uint64_t)(__image_end - __image_start);

	if (off >= image_off && off < image_off + image_bytes) {
		uint64_t in = off - image_off;
		if (in < (uint64_t)(__text_end - __image_start))
			return 0; /* text: read, execute */
		if (in < (uint64_t)(__rodata_end - __image_start))
			return PTE_NX;
	}
	return PTE_WRITE | PTE_NX;
}

static bool overlaps_image_window(uint64_t off, uint64_t len)
{
	uint64_t image_bytes = (uint64_t)(__image_end - __image_start);
	return off < image_off + image_bytes && image_off < off + len;
}

static void map_or_panic(uint64_t virt, uint64_t phys, uint64_t size, uint64_t flags)
{
	int err = pt_map(vm.root_phys, virt, phys, size, flags);
	if (err)
		panic("boot memory: mapping %#lx -> %#lx (%lu bytes) failed: %d",
		      (unsigned long)virt, (unsigned long)phys, (unsigned long)size, err);
}

/* The next offset above @off where linear_flags() may change: a page's rights follow from
 * where it starts, so the image's section ends, rounded up to pages, and its start. */
static uint64_t next_rights_change(uint64_t off)
{
	const uint64_t ends[4] = {0, (uint64_t)(__text_end - __image_start),
	                          (uint64_t)(__rodata_end - __image_start),
	                          (uint64_t)(__image_end - __image_start)};
	uint64_t next = UINT64_MAX;

	for (int i = 0; i < 4; i++) {
		uint64_t b = image_off + align_up(ends[i], PAGE_SIZE_4K);
		if (b > off && b < next)
			next = b;
	}
	return next;
}

/* Map [off, off + len) of the linear range with 4 KiB pages, @phys on: one pt_map_4k_run()
 * per stretch of equal rights, so one table walk per page table rather than per page. */
static void map_4k_span(uint64_t off, uint64_t phys, uint64_t len)
{
	while (len) {
		uint64_t n = next_rights_change(off) - off;
		if (n > len)
			n = len;
		int err = pt_map_4k_run(vm.root_phys, VM_LINEAR_BASE + off, phys, n / PAGE_SIZE_4K,
		                        linear_flags(off));
		if (err)
			panic("boot memory: mapping %#lx -> %#lx (%lu bytes of 4 KiB pages) "
			      "failed: %d",
			      (unsigned long)(VM_LINEAR_BASE + off), (unsigned long)phys,
			      (unsigned long)n, err);
		off += n;
		phys += n;
		len -= n;
	}
}

static void map_linear_range(void)
{
	static const uint64_t class_size[PAGE_CLASS_COUNT] = {PAGE_SIZE_4K, PAGE_SIZE_2M,
	                                                      PAGE_SIZE_1G};

	for (size_t r = 0; r < vm.layout.run_count; r++) {
		const struct linear_run *run = &vm.layout.runs[r];
		uint64_t size = class_size[run->page_class];
		if (size == PAGE_SIZE_4K) {
			map_4k_span(run->virt_off, run->phys, run->length);
			continue;
		}
		for (uint64_t at = 0; at < run->length; at += size) {
			uint64_t off = run->virt_off + at;
			if (overlaps_image_window(off, size)) {
				/* Per-section rights need 4 KiB pages around the image. */
				map_4k_span(off, run->phys + at, size);
				continue;
			}
			map_or_panic(VM_LINEAR_BASE + off, run->phys + at, size, linear_flags(off));
		}
	}
}

static void add_forbidden(uint64_t start, uint64_t end)
{
	if (forbidden_count < MAX_FORBIDDEN && end > start) {
		forbidden[forbidden_count].start = start & ~(PAGE_SIZE_4K - 1);
		forbidden[forbidden_count].end = align_up(end, PAGE_SIZE_4K);
		forbidden_count++;
	}
}

/* The boot's identity map: the PML4 in CR3, the PDPT of its entry 0 and the PD of that
 * one's entry 0 (every boot path maps the first 1 GiB with 2 MiB pages). Live until
 * vm_boot_finish() drops entry 0, so the bump allocator may not reuse their pages. */
static void forbid_boot_tables(void)
{
	uint64_t table = read_cr3() & PTE_ADDR_MASK;

	for (int level = 3; level >= 1; level--) {
		const uint64_t *entries = identity_ptr(table);

		add_forbidden(table, table + PAGE_SIZE_4K);
		if (!entries || !(entries[0] & PTE_PRESENT) || (entries[0] & PTE_LARGE) ||
		    level == 1)
			return;
		table = entries[0] & PTE_ADDR_MASK;
	}
}

static void account_reserved(const struct boot_info *bi, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		uint64_t s = usable[i].start, e = usable[i].end;
		vm.stats.usable_bytes += e - s;
		if (s < LOW_RESERVED_END)
			vm.stats.low_reserved += (e < LOW_RESERVED_END ? e : LOW_RESERVED_END) - s;
		if (bi->initrd_size) {
			uint64_t is = bi->initrd_phys & ~(PAGE_SIZE_4K - 1);
			uint64_t ie = align_up(bi->initrd_phys + bi->initrd_size, PAGE_SIZE_4K);
			uint64_t lo = s > is ? s : is, hi = e < ie ? e : ie;
			if (lo < ie && hi > lo && lo >= LOW_RESERVED_END)
				vm.stats.initrd_reserved += hi - lo;
		}
	}
	vm.stats.usable_ranges = count;
}

void vm_boot(const struct boot_info *bi, void (*next)(void *), void *arg)
{
	const struct cpu_features *cpu = cpu_features();
	struct phys_range reserved[2];
	size_t nreserved = 0, count;
	int err;

	vm.nx_mask = cpu->nx ? PTE_NX : 0;
	struct pt_env env = {identity_ptr, early_alloc_table, vm.nx_mask, invlpg};
	pt_set_env(&env);

	/* Usable RAM as found, then minus what is never ours: page 0 and the initrd. The rest
	 * of the first MiB is in the linear range like any usable RAM. */
	err = layout_usable_ranges(bi->ranges, bi->range_count, NULL, 0, usable, LAYOUT_MAX_RANGES,
	                           &count);
	if (err)
		panic("memory map: too many usable ranges (%d)", err);
	account_reserved(bi, count);
	reserved[nreserved++] = (struct phys_range){0, LOW_RESERVED_END};
	if (bi->initrd_size)
		reserved[nreserved++] =
		    (struct phys_range){bi->initrd_phys, bi->initrd_phys + bi->initrd_size};
	err = layout_usable_ranges(bi->ranges, bi->range_count, reserved, nreserved, usable,
	                           LAYOUT_MAX_RANGES, &count);
	if (err)
		panic("memory map: too many usable ranges (%d)", err);
	err = layout_build(usable, count, cpu->pages_1g, &vm.layout);
	if (err == -ENOMEM)
		panic("memory map: no usable page outside page 0 and the initrd (%lu KiB usable)",
		      (unsigned long)(vm.stats.usable_bytes >> 10));
	if (err)
		panic("memory map: cannot lay out the linear range (%d)", err);
	vm.stats.one_gib_pages = vm.layout.class_bytes[PAGE_CLASS_1G] > 0;
	vm.stats.nx = cpu->nx;

	/* The running image may not be overwritten before it has been copied (forbidden[0],
	 * named by early_alloc's panic), nor the page tables the CPU is walking. */
	add_forbidden(bi->image_phys, bi->image_phys + bi->image_size);
	forbid_boot_tables();

	/* The image's new home: on a 2 MiB boundary when there are 2 MiB pages (they come
	 * first in the range, so the bump allocator still has the rest after it; only the
	 * pages under the image are split into 4 KiB ones), else the first room that fits. */
	uint64_t image_bytes = (uint64_t)(__image_end - __image_start);
	uint64_t image_pages = align_up(image_bytes, PAGE_SIZE_4K) / PAGE_SIZE_4K;
	if (!vm.layout.class_bytes[PAGE_CLASS_2M] ||
	    !early_try_alloc(image_pages, PAGE_SIZE_2M, false, &image_off)) {
		if (!early_try_alloc(image_pages, PAGE_SIZE_4K, false, &image_off))
			early_alloc(image_pages, PAGE_SIZE_4K); /* panics, saying why */
	}
	vm.stats.image_linear = VM_LINEAR_BASE + image_off;
	vm.stats.image_bytes = image_bytes;

	uint64_t total_pages = vm.layout.total / PAGE_SIZE_4K;
	uint64_t bitmap_pages =
	    align_up(pmm_bitmap_bytes(total_pages), PAGE_SIZE_4K) / PAGE_SIZE_4K;
	vm.bitmap_off = early_alloc(bitmap_pages, PAGE_SIZE_4K);

	uint64_t contig;
	layout_virt_to_phys(&vm.layout, early_alloc(1, PAGE_SIZE_4K), &vm.root_phys, &contig);
	map_linear_range();
	/* Stack slot 0: its top pages now, the rest on first touch (mm/stack.c). */
	uint64_t stack_off = early_alloc(VM_BOOT_STACK_BYTES / PAGE_SIZE_4K, PAGE_SIZE_4K);
	for (uint64_t at = 0; at < VM_BOOT_STACK_BYTES; at += PAGE_SIZE_4K) {
		uint64_t phys;
		layout_virt_to_phys(&vm.layout, stack_off + at, &phys, &contig);
		map_or_panic(VM_STACK_BASE + VM_STACK_SLOT_SIZE - VM_BOOT_STACK_BYTES + at, phys,
		             PAGE_SIZE_4K, PTE_WRITE | PTE_NX);
	}
	vm.stats.boot_stack_linear = VM_LINEAR_BASE + stack_off;
	/* Keep the boot's identity map until we run from the copy. */
	*pt_root_entry(vm.root_phys, 0) = *(uint64_t *)identity_ptr(read_cr3() & PTE_ADDR_MASK);
	vm.scratch_next = VM_SCRATCH_BASE;

	if (cpu->nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	write_cr0(read_cr0() & ~CR0_WP); /* the copy goes into read-only text pages */
	write_cr3(vm.root_phys);

	/* From here on the old image's data is frozen: the copy carries it. */
	uint64_t new_base = VM_LINEAR_BASE + image_off;
	uint64_t old_base = (uint64_t)(uintptr_t)__image_start;
	memcpy((void *)(uintptr_t)new_base, __image_start, image_bytes);
	memset((void *)(uintptr_t)(new_base + image_bytes), 0,
	       image_pages * PAGE_SIZE_4K - image_bytes); /* the last page's tail */
	const struct elf64_rela *rela =
	    (const struct elf64_rela *)(uintptr_t)(new_base +
	                                           ((uint64_t)(uintptr_t)__rela_start - old_base));
	err = reloc_apply(rela, (size_t)(__rela_end - __rela_start), (void *)(uintptr_t)new_base,
	                  image_bytes, new_base);
	if (err)
		panic("moving the kernel: its relocations cannot be applied (%d)", err);

	uint64_t entry = (uint64_t)(uintptr_t)next - old_base + new_base;
	uint64_t a = (uint64_t)(uintptr_t)arg;
	if (a >= old_base && a < old_base + image_bytes)
		a = a - old_base + new_base;
	boot_jump_high((void (*)(void *))(uintptr_t)entry, VM_STACK_BASE + VM_STACK_SLOT_SIZE,
	               (void *)(uintptr_t)a);
	__builtin_unreachable();
}
