/* arch/cc.h - lwIP's compiler and C library environment: gcc on x86-64 with newlib.
 * Included by lwIP's arch.h before anything else of lwIP. */
#ifndef VMOS_LWIP_ARCH_CC_H
#define VMOS_LWIP_ARCH_CC_H

#include <errno.h>
#include <fcntl.h> /* lwIP must use newlib's O_NONBLOCK, not its own value */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>

/* newlib has no SSIZE_MAX; without it lwIP would typedef its own (int) ssize_t. */
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

/* Byte order (newlib says little-endian): compiler built-ins; htons and friends come from
 * <netinet/in.h>. */
#define lwip_htons(x)                         ((u16_t)__builtin_bswap16(x))
#define lwip_htonl(x)                         ((u32_t)__builtin_bswap32(x))
#define LWIP_DONT_PROVIDE_BYTEORDER_FUNCTIONS 1
/* errno and its values are newlib's (Linux's names); struct timeval is newlib's. */
#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_TIMEVAL_PRIVATE  0

/* An lwIP assertion is a broken invariant: stop with the reason (kernel panic). */
void vmos_lwip_assert(const char *msg, int line, const char *file) __attribute__((noreturn));
#define LWIP_PLATFORM_ASSERT(x) vmos_lwip_assert((x), __LINE__, __FILE__)
#define LWIP_PLATFORM_DIAG(x)                                                                      \
	do {                                                                                       \
		printf x;                                                                          \
	} while (0)

#endif
