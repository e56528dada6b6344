/* malloc.h - newlib's, with mallinfo as glibc declares it (int fields) and glibc's
 * mallinfo2 (size_t fields); posix/mem/heap.c. newlib 3.3's header gives its mallinfo
 * size_t fields while the library fills ints, so a program reading it got garbage: here
 * the name is routed to a function that returns what the header says. */
#include_next <malloc.h>

#ifndef VMOS_MALLOC_H
#define VMOS_MALLOC_H
#ifdef __cplusplus
extern "C" {
#endif

/* glibc's struct mallinfo: every field an int. */
struct vmos_mallinfo {
	int arena;    /* bytes taken from the system (sbrk) */
	int ordblks;  /* free chunks */
	int smblks;   /* 0 */
	int hblks;    /* mmapped regions: 0 */
	int hblkhd;   /* bytes in mmapped regions: 0 */
	int usmblks;  /* 0 */
	int fsmblks;  /* 0 */
	int uordblks; /* bytes allocated */
	int fordblks; /* bytes free */
	int keepcost; /* releasable at the top */
};
#define mallinfo vmos_mallinfo
struct vmos_mallinfo vmos_mallinfo(void);

struct mallinfo2 {
	size_t arena;
	size_t ordblks;
	size_t smblks;
	size_t hblks;
	size_t hblkhd;
	size_t usmblks;
	size_t fsmblks;
	size_t uordblks;
	size_t fordblks;
	size_t keepcost;
};
struct mallinfo2 mallinfo2(void);

#ifdef __cplusplus
}
#endif
#endif
