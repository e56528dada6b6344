/* main.c - the kernel's life: start at the load address, move into the linear range,
 * start the scheduler, run the payload (kernel/app.h), exit with its status. */
#include <errno.h>
#include <stdint.h>

#include "kernel/app.h"
#include "kernel/cmdline.h"
#include "kernel/cpu.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "kernel/trap.h"
#include "mm/vm.h"

static const struct boot_info *boot_info_high;
static struct cmdline cmdline;

const struct boot_info *kernel_boot_info(void)
{
	return boot_info_high;
}

/* The memory floor's budget, with bootstats: what the boot took, what is left for the
 * program (the network card's buffers, lwIP, malloc, thread stacks). */
static void report_memory_at_main(void)
{
	uint64_t total, free_pages;

	page_stats(&total, &free_pages);
	kprintf("bootstats: memory: %lu KiB in the linear range, %lu KiB free at main (boot took "
	        "%lu KiB, the image %lu KiB)\n",
	        (unsigned long)(total * 4), (unsigned long)(free_pages * 4),
	        (unsigned long)(vm_stats()->boot_alloc_bytes >> 10),
	        (unsigned long)(vm_stats()->image_bytes >> 10));
}

static void kernel_high(void *arg)
{
	trap_init();
	vm_boot_finish();
	power_vm_ready();
	milestone_record(MILESTONE_PAGING, rdtsc());
	boot_info_high = arg;
	int sched_err = sched_init();
	if (sched_err)
		kprintf("kernel: no local APIC (%d): sleeping threads will not wake\n", sched_err);

	int err = cmdline_parse(boot_info_high->cmdline, &cmdline);
	if (err)
		kprintf("kernel: command line ignored: %s\n", err == -E2BIG
		                                                  ? "too long or too many words"
		                                                  : "unterminated quote or escape");
	milestone_record(MILESTONE_MAIN, rdtsc());

	if (cmdline_option(&cmdline, "bootstats", NULL)) {
		milestone_report();
		report_memory_at_main();
	}
	int status = app_run(boot_info_high, &cmdline);
	kprintf("kernel: exit %d\n", status);
	kernel_exit(status);
}

void kernel_start(const struct boot_info *bi)
{
	milestone_record(MILESTONE_ENTRY, bi->tsc_entry);
	trap_init();
	vm_boot(bi, kernel_high, (void *)bi);
}
