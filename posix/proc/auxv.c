/* auxv.c - getauxval: the values Linux's ELF loader gives a process, for the one process
 * of an image (no loader ran, so they are made here): page size, clock ticks, glibc's
 * hardware-capability word, 16 random bytes, the ids, the platform and the program's name. Any
 * other type is 0 with ENOENT, as glibc. */
#include <errno.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "posix/posix.h"

/* What glibc's getauxval gives for AT_HWCAP on x86-64: not the kernel's CPUID word but
 * glibc's own HWCAP_X86_64 bit (programs read CPU features through CPUID or
 * __builtin_cpu_supports). glibc adds HWCAP_X86_AVX512_1 on Intel CPUs with AVX-512. */
#define HWCAP_X86_64 (1ul << 1)

static const unsigned char *random_bytes(void)
{
	static unsigned char bytes[16];
	static int made;

	if (!made) {
		getentropy(bytes, sizeof(bytes));
		made = 1;
	}
	return bytes;
}

unsigned long getauxval(unsigned long type)
{
	switch (type) {
	case AT_PAGESZ:
		return 4096;
	case AT_CLKTCK:
		return (unsigned long)sysconf(_SC_CLK_TCK);
	case AT_HWCAP:
		return HWCAP_X86_64;
	case AT_HWCAP2:
		return 0; /* Linux: bit 1 when the kernel enables FSGSBASE for user code */
	case AT_RANDOM:
		return (unsigned long)(uintptr_t)random_bytes();
	case AT_SECURE:
		return 0;
	case AT_UID:
		return getuid();
	case AT_EUID:
		return geteuid();
	case AT_GID:
		return getgid();
	case AT_EGID:
		return getegid();
	case AT_PLATFORM:
		return (unsigned long)(uintptr_t) "x86_64";
	case AT_EXECFN:
		return (unsigned long)(uintptr_t)posix_program_name;
	default:
		errno = ENOENT;
		return 0;
	}
}
