/* mman.c - mmap over the page allocator: anonymous mappings are fresh zeroed pages of the
 * linear range; a private file mapping is such pages filled from the file; munmap gives
 * pages back, also part of a mapping; mremap shrinks in place and grows by moving
 * (MREMAP_MAYMOVE: a new run of pages, the contents copied). Shared file mappings and MAP_FIXED are
 * refused (EINVAL); page protections are accepted but not enforced (the linear range is read-write
 * for the kernel and the application alike). */
#define _GNU_SOURCE /* mremap */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mm/vm.h"
#include "posix/fs/files.h"
#include "posix/posix.h"

#define PAGE 4096u

/* The mappings handed out: munmap frees only pages that belong to one of them, so a
 * wrong address cannot give away the heap's or the kernel's pages. */
struct mapping {
	uintptr_t start;
	uintptr_t end;
	struct mapping *next;
};

static struct mapping *mappings;

static size_t pages_of(size_t length)
{
	return (length + PAGE - 1) / PAGE;
}

static int remember(uintptr_t start, uintptr_t end)
{
	struct mapping *m = malloc(sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->start = start;
	m->end = end;
	m->next = mappings;
	mappings = m;
	return 0;
}

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	void *pages;
	struct vfile *f = NULL;

	(void)addr; /* a hint; the kernel chooses */
	(void)prot;
	if (length == 0 || (offset & (PAGE - 1)) || (flags & MAP_FIXED) ||
	    !(flags & (MAP_PRIVATE | MAP_SHARED)) ||
	    (flags & (MAP_PRIVATE | MAP_SHARED)) == (MAP_PRIVATE | MAP_SHARED)) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	if (!(flags & MAP_ANONYMOUS)) {
		int err = fd_get(&posix_fds, fd, &f);
		if (err || !posix_file_node(f) || (flags & MAP_SHARED)) {
			if (f)
				vfile_unref(f);
			errno = err ? EBADF : (flags & MAP_SHARED) ? EINVAL : ENODEV;
			return MAP_FAILED;
		}
	}
	if (length > SIZE_MAX - PAGE || page_alloc(pages_of(length), 0, &pages)) {
		if (f)
			vfile_unref(f);
		errno = ENOMEM;
		return MAP_FAILED;
	}
	if (remember((uintptr_t)pages, (uintptr_t)pages + pages_of(length) * PAGE)) {
		page_free(pages, pages_of(length));
		if (f)
			vfile_unref(f);
		errno = ENOMEM;
		return MAP_FAILED;
	}
	memset(pages, 0, pages_of(length) * PAGE);
	if (f) {
		ssize_t n = f->ops->pread(f, pages, length, offset);
		vfile_unref(f);
		if (n < 0) {
			munmap(pages, length);
			errno = (int)-n;
			return MAP_FAILED;
		}
	}
	return pages;
}

int munmap(void *addr, size_t length)
{
	uintptr_t a = (uintptr_t)addr;

	if ((a & (PAGE - 1)) || length == 0)
		return (int)posix_result(-EINVAL);
	if (length > SIZE_MAX - PAGE)
		return (int)posix_result(-EINVAL);
	uintptr_t end = a + pages_of(length) * PAGE;
	/* Like Linux, unmapping what is not mapped is not an error. */
	for (struct mapping **link = &mappings, *m; (m = *link);) {
		uintptr_t lo = m->start > a ? m->start : a;
		uintptr_t hi = m->end < end ? m->end : end;
		if (lo >= hi) {
			link = &m->next;
			continue;
		}
		if (lo > m->start && hi < m->end && remember(hi, m->end))
			return (int)posix_result(-ENOMEM); /* a hole would need a second record */
		page_free((void *)lo, (hi - lo) / PAGE);
		if (lo == m->start && hi == m->end) { /* all of it */
			*link = m->next;
			free(m);
			continue;
		}
		if (lo > m->start && hi < m->end) { /* a hole: the tail was recorded above */
			m->end = lo;
		} else if (lo == m->start) {
			m->start = hi;
		} else {
			m->end = lo;
		}
		link = &m->next;
	}
	return 0;
}

/* The mapping holding [@a, @a + @len), or NULL. */
static struct mapping *mapping_of(uintptr_t a, size_t len)
{
	for (struct mapping *m = mappings; m; m = m->next)
		if (a >= m->start && a < m->end && len <= m->end - a)
			return m;
	return NULL;
}

/* mremap - Linux's checks in Linux's order: flags (EINVAL), alignment and a zero new size
 * (EINVAL), a range that is not one mapping (EFAULT), a zero old size (EINVAL: only
 * shared mappings can be duplicated, and there are none). A smaller size gives the tail
 * back and keeps the address; a larger one cannot grow in place (the page allocator
 * places runs itself): ENOMEM without MREMAP_MAYMOVE, else a new run with the old
 * contents and zeros after them, and the old pages are given back (MREMAP_DONTUNMAP: kept
 * mapped and zeroed, as Linux leaves an anonymous source empty). MREMAP_FIXED fails with
 * EINVAL, as MAP_FIXED does. */
void *mremap(void *old_address, size_t old_size, size_t new_size, int flags, ...)
{
	uintptr_t a = (uintptr_t)old_address;
	int err = 0;

	if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) ||
	    ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) ||
	    ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_size != new_size)) ||
	    (a & (PAGE - 1)) || old_size > SIZE_MAX - PAGE || new_size > SIZE_MAX - PAGE ||
	    new_size == 0 || (flags & MREMAP_FIXED))
		err = EINVAL;
	size_t old_len = pages_of(old_size) * PAGE, new_len = pages_of(new_size) * PAGE;
	if (!err && !mapping_of(a, old_len ? old_len : 1))
		err = EFAULT;
	if (!err && old_len == 0)
		err = EINVAL;
	if (err) {
		errno = err;
		return MAP_FAILED;
	}
	if (new_len <= old_len && !(flags & MREMAP_DONTUNMAP)) {
		if (new_len < old_len)
			munmap((void *)(a + new_len), old_len - new_len);
		return old_address;
	}
	if (!(flags & MREMAP_MAYMOVE)) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	void *pages;
	if (page_alloc(new_len / PAGE, 0, &pages)) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	if (remember((uintptr_t)pages, (uintptr_t)pages + new_len)) {
		page_free(pages, new_len / PAGE);
		errno = ENOMEM;
		return MAP_FAILED;
	}
	memcpy(pages, old_address, old_len);
	memset((char *)pages + old_len, 0, new_len - old_len);
	if (flags & MREMAP_DONTUNMAP)
		memset(old_address, 0, old_len);
	else
		munmap(old_address, old_len);
	return pages;
}

int mprotect(void *addr, size_t length, int prot)
{
	(void)length;
	(void)prot;
	return (int)posix_result(((uintptr_t)addr & (PAGE - 1)) ? -EINVAL : 0);
}

int madvise(void *addr, size_t length, int advice)
{
	(void)length;
	if ((uintptr_t)addr & (PAGE - 1))
		return (int)posix_result(-EINVAL);
	if (advice < MADV_NORMAL || advice > MADV_DONTNEED)
		return (int)posix_result(-EINVAL);
	return 0;
}

int msync(void *addr, size_t length, int flags)
{
	(void)length;
	if (((uintptr_t)addr & (PAGE - 1)) || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)))
		return (int)posix_result(-EINVAL);
	return 0;
}

/* Memory is never paged out in a VM without swap: locking succeeds and changes nothing,
 * as on a Linux host with no swap (for a root process). Flags are checked as Linux. */
int mlock(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	return 0;
}

int munlock(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	return 0;
}

int mlockall(int flags)
{
	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return (int)posix_result(-EINVAL);
	return 0;
}

int munlockall(void)
{
	return 0;
}
