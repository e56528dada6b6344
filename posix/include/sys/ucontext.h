/* sys/ucontext.h - glibc's x86-64 machine context types: what a SA_SIGINFO handler's
 * third argument points to (posix/signal/signals.c passes a zeroed one: a signal sent
 * inside the process saves no registers), read by servers' crash reports (redis's
 * logRegisters reads gregs[REG_RIP]...). Field names, order and the REG_ indexes are
 * glibc's; uc_sigmask is newlib's sigset_t, so the size is not glibc's. */
#ifndef VMOS_SYS_UCONTEXT_H
#define VMOS_SYS_UCONTEXT_H

#include <signal.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef long long int greg_t;
#define __NGREG 23
#define NGREG   __NGREG
typedef greg_t gregset_t[__NGREG];

#if __GNU_VISIBLE
/* Indexes into gregset_t, as the kernel's struct sigcontext orders the registers. */
enum {
	REG_R8 = 0,
	REG_R9,
	REG_R10,
	REG_R11,
	REG_R12,
	REG_R13,
	REG_R14,
	REG_R15,
	REG_RDI,
	REG_RSI,
	REG_RBP,
	REG_RBX,
	REG_RDX,
	REG_RAX,
	REG_RCX,
	REG_RSP,
	REG_RIP,
	REG_EFL,
	REG_CSGSFS,
	REG_ERR,
	REG_TRAPNO,
	REG_OLDMASK,
	REG_CR2
};
#endif

struct _libc_fpxreg {
	unsigned short int significand[4];
	unsigned short int exponent;
	unsigned short int __glibc_reserved1[3];
};

struct _libc_xmmreg {
	uint32_t element[4];
};

/* The FXSAVE area. */
struct _libc_fpstate {
	uint16_t cwd;
	uint16_t swd;
	uint16_t ftw;
	uint16_t fop;
	uint64_t rip;
	uint64_t rdp;
	uint32_t mxcsr;
	uint32_t mxcr_mask;
	struct _libc_fpxreg _st[8];
	struct _libc_xmmreg _xmm[16];
	uint32_t __glibc_reserved1[24];
};

typedef struct _libc_fpstate *fpregset_t;

typedef struct {
	gregset_t gregs;
	fpregset_t fpregs; /* NULL in a VMOS signal context */
	unsigned long long __reserved1[8];
} mcontext_t;

typedef struct ucontext_t {
	unsigned long int uc_flags;
	struct ucontext_t *uc_link;
	stack_t uc_stack;
	mcontext_t uc_mcontext;
	sigset_t uc_sigmask;
	struct _libc_fpstate __fpregs_mem;
	unsigned long long int __ssp[4];
} ucontext_t;

#ifdef __cplusplus
}
#endif

#endif
