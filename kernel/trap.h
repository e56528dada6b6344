/* trap.h - CPU exceptions: GDT/TSS/IDT set-up and the fault reports.
 *
 * Every exception runs on an IST stack of its own (interrupted code may use the red zone,
 * and a stack overflow must still be reportable). A fault prints the vector, error code,
 * CR2, registers and a frame-pointer backtrace, names NULL accesses and stack overflows,
 * and stops the VM. */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* trap_init - load a GDT with a TSS and an IDT covering the 32 exception vectors. Called
 * once at the load address and again after the move into the linear range (the tables
 * live in the image). */
void trap_init(void);

/* backtrace_print - walk the frame-pointer chain from @rbp and print return addresses
 * (with their link-time addresses, for addr2line). Stops at an unmapped frame. */
void backtrace_print(uint64_t rip, uint64_t rbp);

#endif
