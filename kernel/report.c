/* report.c - prints the boot report (see report.h). One fact per line, "key: value",
 * so that tests can read it. */
#include <stdint.h>

#include "kernel/apic.h"
#include "kernel/clock.h"
#include "kernel/cpufeat.h"
#include "kernel/kernel.h"
#include "kernel/report.h"
#include "kernel/tsc.h"
#include "mm/stack.h"
#include "mm/vm.h"

static const char *mem_type_name(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_USABLE:
		return "usable";
	case BOOT_MEM_RESERVED:
		return "reserved";
	case BOOT_MEM_ACPI:
		return "acpi-reclaimable";
	case BOOT_MEM_NVS:
		return "acpi-nvs";
	case BOOT_MEM_BAD:
		return "bad";
	default:
		return "other";
	}
}

static void report_memory_map(const struct boot_info *bi)
{
	kprintf("memory map: %u entries\n", bi->range_count);
	for (uint32_t i = 0; i < bi->range_count; i++) {
		const struct boot_mem_range *r = &bi->ranges[i];
		kprintf("  map 0x%012lx-0x%012lx %-16s %lu KiB\n", (unsigned long)r->base,
		        (unsigned long)(r->base + r->length), mem_type_name(r->type),
		        (unsigned long)(r->length >> 10));
	}
}

static void report_linear(void)
{
	static const char *const class_names[PAGE_CLASS_COUNT] = {"4K", "2M", "1G"};
	static const uint64_t class_sizes[PAGE_CLASS_COUNT] = {PAGE_SIZE_4K, PAGE_SIZE_2M,
	                                                       PAGE_SIZE_1G};
	const struct linear_layout *l = vm_layout();
	const struct vm_boot_stats *s = vm_stats();

	kprintf("usable ram: %lu bytes in %lu ranges\n", (unsigned long)s->usable_bytes,
	        (unsigned long)s->usable_ranges);
	kprintf("boot reserved: %lu bytes (page 0 %lu, initrd %lu)\n",
	        (unsigned long)(s->low_reserved + s->initrd_reserved),
	        (unsigned long)s->low_reserved, (unsigned long)s->initrd_reserved);
	kprintf("linear range: %#lx-%#lx %lu bytes, %s\n", (unsigned long)VM_LINEAR_BASE,
	        (unsigned long)(VM_LINEAR_BASE + l->total), (unsigned long)l->total,
	        "virtually contiguous");
	for (size_t i = 0; i < l->run_count; i++) {
		const struct linear_run *r = &l->runs[i];
		kprintf("  run %#lx-%#lx -> phys %#lx-%#lx %s\n",
		        (unsigned long)(VM_LINEAR_BASE + r->virt_off),
		        (unsigned long)(VM_LINEAR_BASE + r->virt_off + r->length),
		        (unsigned long)r->phys, (unsigned long)(r->phys + r->length),
		        class_names[r->page_class]);
	}
	kprintf("page sizes:");
	for (int c = PAGE_CLASS_COUNT - 1; c >= 0; c--)
		kprintf(" %s=%lu", class_names[c],
		        (unsigned long)(l->class_bytes[c] / class_sizes[c]));
	kprintf(" (1G pages %s)\n", s->one_gib_pages           ? "used"
	                            : cpu_features()->pages_1g ? "offered, none fit"
	                                                       : "not offered by the CPU");
	kprintf("kernel image: %#lx, %lu bytes, text r-x, rodata r--, data rw- (nx %s)\n",
	        (unsigned long)s->image_linear, (unsigned long)s->image_bytes,
	        s->nx ? "on" : "off");
	kprintf("stack slot 0: %#lx-%#lx mapped (%lu KiB at boot, from %#lx), grows on demand "
	        "down to %#lx\n",
	        (unsigned long)(VM_STACK_BASE + VM_STACK_SLOT_SIZE - stack_slot_mapped_bytes(0)),
	        (unsigned long)(VM_STACK_BASE + VM_STACK_SLOT_SIZE),
	        (unsigned long)(VM_BOOT_STACK_BYTES >> 10), (unsigned long)s->boot_stack_linear,
	        (unsigned long)stack_slot_limit_of(0));
}

static void report_allocator(void)
{
	uint64_t total, free_pages, phys = 0;
	void *page;

	page_stats(&total, &free_pages);
	kprintf("page allocator: %lu of %lu pages free (boot took %lu bytes)\n",
	        (unsigned long)free_pages, (unsigned long)total,
	        (unsigned long)vm_stats()->boot_alloc_bytes);
	if (page_alloc(1, 0, &page) == 0) {
		*(volatile uint64_t *)page = 0x564d4f53;
		vm_virt_to_phys(page, &phys, NULL);
		kprintf("page allocator: test page %p -> phys %#lx\n", page, (unsigned long)phys);
		page_free(page, 1);
	}
}

static void report_lapic(void)
{
	volatile void *lapic;
	int err = mmio_map(0xfee00000ull, 0x1000, &lapic);

	if (err) {
		kprintf("mmio: mapping the local APIC failed (%d)\n", err);
		return;
	}
	uint32_t version = *(volatile uint32_t *)((volatile uint8_t *)lapic + 0x30);
	kprintf("mmio: local APIC at %p, version register %#x, timer %s\n", (void *)lapic, version,
	        apic_timer_mode());
	const char *source;
	uint64_t tsc_hz = tsc_frequency(&source);
	uint64_t timer_hz = apic_timer_hz(tsc_hz);
	if (timer_hz)
		kprintf("timer: one-shot counter at %lu kHz, measured against the TSC's %lu kHz\n",
		        (unsigned long)(timer_hz / 1000), (unsigned long)(tsc_hz / 1000));
}

void report_boot(const struct boot_info *bi, const struct cmdline *cl)
{
	const struct cpu_features *cpu = cpu_features();

	kprintf("VMOS boot report\n");
	kprintf("boot path: %s\n", bi->path == BOOT_PATH_PVH     ? "pvh"
	                           : bi->path == BOOT_PATH_LINUX ? "linux (zero page)"
	                                                         : "bios");
	kprintf("command line: \"%s\" (%d words)\n", bi->cmdline, cl->word_count);
	kprintf("cpu: %s nx=%d 1g-pages=%d x2apic=%d tsc-deadline=%d invariant-tsc=%d rdrand=%d "
	        "rdseed=%d pcid=%d hypervisor=%d (\"%s\")\n",
	        cpu->vendor, cpu->nx, cpu->pages_1g, cpu->x2apic, cpu->tsc_deadline,
	        cpu->invariant_tsc, cpu->rdrand, cpu->rdseed, cpu->pcid, cpu->hypervisor,
	        cpu->hypervisor_signature);
	report_memory_map(bi);
	report_linear();
	report_allocator();
	report_lapic();
	kprintf("clock: wall time %lu s since the epoch, monotonic %lu ns\n",
	        (unsigned long)(clock_realtime_ns() / 1000000000ull),
	        (unsigned long)clock_monotonic_ns());
}
