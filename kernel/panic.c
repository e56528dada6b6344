/* panic.c - stopping the kernel with a reason: panic() for broken invariants, and
 * kernel_boot_failed() for a boot that cannot continue. */
#include <stdarg.h>
#include <stdint.h>

#include "kernel/kernel.h"
#include "kernel/trap.h"

void panic(const char *fmt, ...)
{
	va_list ap;

	kprintf("PANIC: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	/* Start at our caller: its return address and the frame pointer it saved. */
	const uint64_t *frame = __builtin_frame_address(0);
	backtrace_print((uint64_t)(uintptr_t)__builtin_return_address(0), frame[0]);
	kernel_exit(KERNEL_EXIT_PANIC);
}

void kernel_boot_failed(const char *why)
{
	kprintf("PANIC: boot failed: %s\n", why);
	kernel_exit(KERNEL_EXIT_PANIC);
}
