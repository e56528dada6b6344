/* heap.c - sbrk for newlib's malloc, over the kernel's page allocator.
 * The break grows in place while the pages after it are free; otherwise sbrk hands out a
 * new run above the old end, which newlib's malloc takes as a separate region (it accepts
 * a non-contiguous sbrk only upwards: a region below its old end makes that malloc fail,
 * and the region would be lost). The first region is the lowest run that fits, so that
 * the heap has the most room above it. Shrinking gives whole pages back. Out of memory is
 * ENOMEM. */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <unistd.h>

#include "mm/vm.h"
#include "posix/posix.h"

#define PAGE 4096u

static uintptr_t region_start; /* the current region: [region_start, brk) */
static uintptr_t brk_now;

static uintptr_t page_up(uintptr_t v)
{
	return (v + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
}

void *sbrk(ptrdiff_t increment)
{
	uintptr_t old = brk_now;

	if (increment == 0)
		return (void *)(brk_now ? brk_now : VM_LINEAR_BASE);
	if (increment < 0) {
		uintptr_t shrink = (uintptr_t)-increment;
		if (!brk_now || shrink > brk_now - region_start) {
			errno = EINVAL;
			return (void *)-1;
		}
		uintptr_t new_brk = brk_now - shrink;
		uintptr_t first_free = page_up(new_brk), end = page_up(brk_now);
		if (end > first_free)
			page_free((void *)first_free, (end - first_free) / PAGE);
		brk_now = new_brk;
		return (void *)old;
	}
	uintptr_t end = page_up(brk_now);
	uintptr_t need = brk_now ? brk_now + (uintptr_t)increment : 0;
	if (brk_now && need <= end) {
		brk_now = need;
		return (void *)old;
	}
	if (brk_now && vm_page_claim((void *)end, (page_up(need) - end) / PAGE) == 0) {
		brk_now = need;
		return (void *)old;
	}
	/* A new region, above the old one. */
	void *run;
	uintptr_t pages = page_up((uintptr_t)increment) / PAGE;
	if (page_alloc_above(pages, (void *)end, &run)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	region_start = (uintptr_t)run;
	brk_now = region_start + (uintptr_t)increment;
	return run;
}

int posix_memalign(void **out, size_t alignment, size_t size)
{
	if (alignment < sizeof(void *) || (alignment & (alignment - 1)))
		return EINVAL;
	void *p = memalign(alignment, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

/* newlib's own mallinfo, which fills ten ints whatever its header says. */
struct newlib_mallinfo {
	int arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
};
struct newlib_mallinfo newlib_mallinfo(void) __asm__("mallinfo");

struct vmos_mallinfo vmos_mallinfo(void)
{
	struct newlib_mallinfo m = newlib_mallinfo();
	struct vmos_mallinfo r = {
	    .arena = m.arena,
	    .ordblks = m.ordblks,
	    .smblks = m.smblks,
	    .hblks = m.hblks,
	    .hblkhd = m.hblkhd,
	    .usmblks = m.usmblks,
	    .fsmblks = m.fsmblks,
	    .uordblks = m.uordblks,
	    .fordblks = m.fordblks,
	    .keepcost = m.keepcost,
	};
	return r;
}

struct mallinfo2 mallinfo2(void)
{
	struct newlib_mallinfo m = newlib_mallinfo();
	struct mallinfo2 r = {
	    .arena = (unsigned)m.arena,
	    .ordblks = (unsigned)m.ordblks,
	    .smblks = (unsigned)m.smblks,
	    .hblks = (unsigned)m.hblks,
	    .hblkhd = (unsigned)m.hblkhd,
	    .usmblks = (unsigned)m.usmblks,
	    .fsmblks = (unsigned)m.fsmblks,
	    .uordblks = (unsigned)m.uordblks,
	    .fordblks = (unsigned)m.fordblks,
	    .keepcost = (unsigned)m.keepcost,
	};
	return r;
}
