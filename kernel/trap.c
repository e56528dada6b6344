/* trap.c - what happens on a CPU exception: a report that names the cause, the faulting
 * address, the registers and a backtrace, then the VM stops with KERNEL_EXIT_PANIC.
 * Runs on an IST stack (kernel/desc.c). */
#include <stdint.h>

#include "kernel/cpu.h"
#include "kernel/kernel.h"
#include "kernel/symbols.h"
#include "kernel/trap.h"
#include "mm/reloc.h"
#include "mm/stack.h"
#include "mm/vm.h"

extern char __image_start[], __image_end[];

static const char *const exception_names[32] = {
    "divide error (#DE)",
    "debug (#DB)",
    "non-maskable interrupt (NMI)",
    "breakpoint (#BP)",
    "overflow (#OF)",
    "bound range exceeded (#BR)",
    "invalid opcode (#UD)",
    "device not available (#NM)",
    "double fault (#DF)",
    "coprocessor segment overrun",
    "invalid TSS (#TS)",
    "segment not present (#NP)",
    "stack-segment fault (#SS)",
    "general protection fault (#GP)",
    "page fault (#PF)",
    "reserved vector 15",
    "x87 floating-point error (#MF)",
    "alignment check (#AC)",
    "machine check (#MC)",
    "SIMD floating-point error (#XM)",
    "virtualization exception (#VE)",
    "control protection (#CP)",
    "reserved vector 22",
    "reserved vector 23",
    "reserved vector 24",
    "reserved vector 25",
    "reserved vector 26",
    "reserved vector 27",
    "hypervisor injection (#HV)",
    "VMM communication (#VC)",
    "security exception (#SX)",
    "reserved vector 31",
};

static volatile int in_trap;

static void print_link_address(uint64_t addr)
{
	uint64_t base = (uint64_t)(uintptr_t)__image_start;
	uint64_t end = (uint64_t)(uintptr_t)__image_end;

	struct kernel_symbol sym;

	if (addr >= base && addr < end)
		kprintf(" (link %#lx)", (unsigned long)(addr - base + IMAGE_LINK_BASE));
	if (symbol_at((uintptr_t)addr, &sym))
		kprintf(" %s+%#lx", sym.name, (unsigned long)(addr - sym.address));
}

void backtrace_print(uint64_t rip, uint64_t rbp)
{
	kprintf("backtrace (file and line: addr2line -f -e <image>.elf <link address>):\n");
	kprintf("  #0  0x%016lx", (unsigned long)rip);
	print_link_address(rip);
	kprintf("\n");
	for (int depth = 1; depth < 32 && rbp; depth++) {
		if ((rbp & 7) || !vm_is_mapped(rbp, 16)) {
			kprintf("  (frame pointer %#lx is not readable; stopping)\n",
			        (unsigned long)rbp);
			return;
		}
		const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
		uint64_t ret = frame[1];
		if (!ret)
			return;
		kprintf("  #%-2d 0x%016lx", depth, (unsigned long)ret);
		print_link_address(ret);
		kprintf("\n");
		if (frame[0] <= rbp)
			return; /* chains only go up the stack */
		rbp = frame[0];
	}
}

static void describe_page_fault(const struct trap_frame *f, uint64_t cr2)
{
	const char *access = (f->error & 0x10) ? "instruction fetch"
	                     : (f->error & 2)  ? "write"
	                                       : "read";
	const char *kind = (f->error & 1) ? "protection violation" : "page not present";
	int slot = vm_stack_slot_of(cr2);

	uint64_t limit = slot >= 0 ? stack_slot_limit_of(slot) : 0;
	uint64_t total, free_pages;

	page_stats(&total, &free_pages);
	if (slot >= 0 && !(f->error & 1) && limit && cr2 >= limit)
		/* Within the limit: the slot could not grow (see stack_slot_grow). */
		kprintf("PANIC: out of memory growing stack slot %d: %s at %#lx (%lu of %lu pages "
		        "free)\n",
		        slot, access, (unsigned long)cr2, (unsigned long)free_pages,
		        (unsigned long)total);
	else if (slot >= 0 && !(f->error & 1))
		kprintf(
		    "PANIC: stack overflow in stack slot %d: %s at %#lx, below the stack's limit "
		    "%#lx\n",
		    slot, access, (unsigned long)cr2, (unsigned long)limit);
	else if (cr2 < 0x1000)
		kprintf("PANIC: NULL pointer access: %s at %#lx (%s)\n", access, (unsigned long)cr2,
		        kind);
	else
		kprintf("PANIC: page fault: %s at %#lx (%s)\n", access, (unsigned long)cr2, kind);
}

void trap_dispatch(struct trap_frame *f)
{
	uint64_t cr2 = read_cr2();

	/* A stack touching a not-yet-mapped page above its limit grows; nothing to report. */
	if (f->vector == 14 && !(f->error & 1) && !in_trap && stack_slot_grow(cr2))
		return;

	if (in_trap++) {
		kprintf("PANIC: exception %lu while reporting an exception; stopping\n",
		        (unsigned long)f->vector);
		kernel_exit(KERNEL_EXIT_PANIC);
	}
	if (f->vector == 14) {
		describe_page_fault(f, cr2);
	} else if (f->vector == 8 && vm_stack_slot_of(f->rsp) >= 0 &&
	           !vm_is_mapped(f->rsp - 8, 8)) {
		kprintf("PANIC: stack overflow in stack slot %d (double fault, rsp %#lx)\n",
		        vm_stack_slot_of(f->rsp), (unsigned long)f->rsp);
	} else {
		kprintf("PANIC: CPU exception %lu: %s\n", (unsigned long)f->vector,
		        f->vector < 32 ? exception_names[f->vector] : "unknown");
	}
	kprintf("  vector %lu (%s) error code %#lx  faulting address (cr2) 0x%016lx\n",
	        (unsigned long)f->vector, f->vector < 32 ? exception_names[f->vector] : "?",
	        (unsigned long)f->error, (unsigned long)cr2);
	kprintf("  rip 0x%016lx", (unsigned long)f->rip);
	print_link_address(f->rip);
	kprintf("  cs %#lx  rflags %#lx  rsp 0x%016lx  ss %#lx\n", (unsigned long)f->cs,
	        (unsigned long)f->rflags, (unsigned long)f->rsp, (unsigned long)f->ss);
	kprintf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", (unsigned long)f->rax,
	        (unsigned long)f->rbx, (unsigned long)f->rcx, (unsigned long)f->rdx);
	kprintf("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", (unsigned long)f->rsi,
	        (unsigned long)f->rdi, (unsigned long)f->rbp, (unsigned long)f->r8);
	kprintf("  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", (unsigned long)f->r9,
	        (unsigned long)f->r10, (unsigned long)f->r11, (unsigned long)f->r12);
	kprintf("  r13 %016lx r14 %016lx r15 %016lx cr3 %016lx\n", (unsigned long)f->r13,
	        (unsigned long)f->r14, (unsigned long)f->r15, (unsigned long)read_cr3());
	backtrace_print(f->rip, f->rbp);
	kernel_exit(KERNEL_EXIT_PANIC);
}
