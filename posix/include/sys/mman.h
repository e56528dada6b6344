/* sys/mman.h - memory mappings (missing from newlib); posix/mem/mman.c implements anonymous
 * and private file mappings over the kernel's page allocator. Flag values are Linux's. */
#ifndef VMOS_SYS_MMAN_H
#define VMOS_SYS_MMAN_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PROT_NONE  0x0
#define PROT_READ  0x1
#define PROT_WRITE 0x2
#define PROT_EXEC  0x4

#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON      MAP_ANONYMOUS
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE  0x8000
#define MAP_FAILED    ((void *)-1)

#define MADV_NORMAL     0
#define MADV_RANDOM     1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED   3
#define MADV_DONTNEED   4

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
int munmap(void *addr, size_t length);
int mprotect(void *addr, size_t length, int prot);
int madvise(void *addr, size_t length, int advice);
int msync(void *addr, size_t length, int flags);

#if __GNU_VISIBLE
#define MREMAP_MAYMOVE   1
#define MREMAP_FIXED     2
#define MREMAP_DONTUNMAP 4
/* The fifth argument (MREMAP_FIXED's new address) is never used: MREMAP_FIXED fails. */
void *mremap(void *old_address, size_t old_size, size_t new_size, int flags, ...);
#endif

#define MCL_CURRENT 1
#define MCL_FUTURE  2
#define MCL_ONFAULT 4
int mlock(const void *addr, size_t len);
int munlock(const void *addr, size_t len);
int mlockall(int flags);
int munlockall(void);

#ifdef __cplusplus
}
#endif

#endif
