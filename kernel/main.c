/* main.c - the kernel's life: start at the load address, move into the linear range,
 * report, run what the command line asks, exit. */
#include <errno.h>
#include <stdint.h>

#include "kernel/cmdline.h"
#include "kernel/cpu.h"
#include "kernel/kernel.h"
#include "kernel/report.h"
#include "kernel/sched.h"
#include "kernel/selftest.h"
#include "kernel/trap.h"
#include "mm/vm.h"

static const struct boot_info *boot_info_high;
static struct cmdline cmdline;

const struct boot_info *kernel_boot_info(void)
{
	return boot_info_high;
}

/* parse_status - the exit status given as "exit=N" (0..127), default 0. */
static int parse_status(const char *text)
{
	int v = 0;

	if (!*text)
		return -EINVAL;
	for (; *text; text++) {
		if (*text < '0' || *text > '9' || v > 127)
			return -EINVAL;
		v = v * 10 + (*text - '0');
	}
	return v > 127 ? -EINVAL : v;
}

static void kernel_high(void *arg)
{
	const char *value;
	int status = 0;

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

	report_boot(boot_info_high, &cmdline);
	if (cmdline_option(&cmdline, "bootstats", NULL))
		milestone_report();
	if (cmdline_option(&cmdline, "selftest", &value))
		selftest_run(value);
	if (cmdline_option(&cmdline, "exit", &value)) {
		status = parse_status(value);
		if (status < 0) {
			kprintf("kernel: exit=%s is not a status from 0 to 127; exiting with 1\n",
			        value);
			status = 1;
		}
	}
	kprintf("kernel: exit %d\n", status);
	kernel_exit(status);
}

void kernel_start(const struct boot_info *bi)
{
	milestone_record(MILESTONE_ENTRY, bi->tsc_entry);
	trap_init();
	vm_boot(bi, kernel_high, (void *)bi);
}
