/* fail_alloc.h - allocation failures on demand for the host unit tests: included by one
 * test file, it wraps glibc's malloc family in the test binary and fails every call from
 * the one fail_countdown reaches 0 on (never while it is negative), so that each
 * allocation a module makes can be made to fail in turn. Its free is glibc's. */
#ifndef TESTS_UNIT_FAIL_ALLOC_H
#define TESTS_UNIT_FAIL_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);

static volatile long fail_countdown = -1; /* volatile: GCC assumes malloc reads no globals */
static volatile long realloc_calls;       /* every realloc, failed or not */

static bool should_fail(void)
{
	if (fail_countdown < 0)
		return false;
	if (fail_countdown == 0)
		return true;
	fail_countdown--;
	return false;
}

void *malloc(size_t size)
{
	return should_fail() ? NULL : __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	return should_fail() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	realloc_calls++;
	return should_fail() ? NULL : __libc_realloc(p, size);
}

void free(void *p)
{
	__libc_free(p);
}

/* alloc_fails - make allocation number @n from now (0: the next one) and all later ones
 * fail. Returns false when the wrappers are not in use (the test should then skip). */
static bool alloc_fails(long n)
{
	void *volatile p;

	fail_countdown = 0;
	p = malloc(1);
	if (p) {
		free(p);
		fail_countdown = -1;
		return false;
	}
	fail_countdown = n;
	return true;
}

#endif
