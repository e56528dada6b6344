/* kernel.h - the kernel's own entry points, exit paths and boot milestones. */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdint.h>

#include "boot/boot_info.h"
#include "kernel/console.h"

/* Exit statuses handed to the VMM (QEMU's isa-debug-exit turns status s into exit code
 * 2*s+1). 0 is success; a panic uses KERNEL_EXIT_PANIC. */
#define KERNEL_EXIT_PANIC 0x70

/* kernel_start - first C code of the kernel proper, still at the load address. Sets up
 * traps and memory, moves the kernel into the linear range and continues there. */
__attribute__((noreturn)) void kernel_start(const struct boot_info *bi);

/* kernel_boot_failed - report a boot that cannot go on (bad handoff, no memory) and
 * stop the VM with KERNEL_EXIT_PANIC. */
__attribute__((noreturn)) void kernel_boot_failed(const char *why);

/* panic - print "PANIC: <message>", a backtrace of the caller, and stop the VM with
 * KERNEL_EXIT_PANIC. For broken invariants and failed boots only. */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* kernel_exit - stop the VM with @status: through QEMU's isa-debug-exit when present
 * (so a test reads the status; 0-127 intact, larger ones as 127), else an ACPI power-off,
 * else halt. */
__attribute__((noreturn)) void kernel_exit(int status);

/* power_vm_ready - tell the exit path that it may map ACPI tables (after vm_boot_finish). */
void power_vm_ready(void);

/* Boot milestones, recorded as TSC readings and printed with "bootstats". */
enum milestone { MILESTONE_ENTRY, MILESTONE_PAGING, MILESTONE_MAIN, MILESTONE_COUNT };
void milestone_record(enum milestone m, uint64_t tsc);
void milestone_report(void);

/* The boot info as the kernel sees it once it runs in the linear range. */
const struct boot_info *kernel_boot_info(void);

#endif
