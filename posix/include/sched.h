/* sched.h - newlib's <sched.h> plus sched_yield, which newlib declares only with
 * _POSIX_THREADS or _POSIX_PRIORITY_SCHEDULING. It is the kernel's own sched_yield
 * (kernel/sched.h): the caller lets every other runnable thread run once.
 * With _GNU_SOURCE: glibc's cpu_set_t and CPU_* macros and the affinity calls
 * (posix/proc/affinity.c): a VM has one CPU, CPU 0. */
#include_next <sched.h>

#ifndef VMOS_SCHED_H
#define VMOS_SCHED_H

#ifdef __cplusplus
extern "C" {
#endif

int sched_yield(void);

#if __GNU_VISIBLE
#include <stddef.h>
#include <stdlib.h>

#define CPU_SETSIZE 1024
typedef unsigned long __cpu_mask;
#define __NCPUBITS (8 * sizeof(__cpu_mask))
typedef struct {
	__cpu_mask __bits[CPU_SETSIZE / __NCPUBITS];
} cpu_set_t;

#define __CPUELT(cpu)  ((size_t)(cpu) / __NCPUBITS)
#define __CPUMASK(cpu) ((__cpu_mask)1 << ((size_t)(cpu) % __NCPUBITS))

static __inline int __vmos_cpu_count(size_t setsize, const cpu_set_t *set)
{
	int n = 0;

	for (size_t i = 0; i < setsize / sizeof(__cpu_mask); i++)
		n += __builtin_popcountl(set->__bits[i]);
	return n;
}

static __inline int __vmos_cpu_equal(size_t setsize, const cpu_set_t *a, const cpu_set_t *b)
{
	for (size_t i = 0; i < setsize / sizeof(__cpu_mask); i++)
		if (a->__bits[i] != b->__bits[i])
			return 0;
	return 1;
}

#define __VMOS_CPU_OP(setsize, dest, a, b, op)                                                     \
	do {                                                                                       \
		for (size_t __i = 0; __i < (setsize) / sizeof(__cpu_mask); __i++)                  \
			(dest)->__bits[__i] = (a)->__bits[__i] op(b)->__bits[__i];                 \
	} while (0)

#define CPU_ALLOC_SIZE(count)                                                                      \
	((((size_t)(count) + __NCPUBITS - 1) / __NCPUBITS) * sizeof(__cpu_mask))
#define CPU_ALLOC(count) ((cpu_set_t *)malloc(CPU_ALLOC_SIZE(count)))
#define CPU_FREE(set)    free(set)

#define CPU_ZERO_S(setsize, set) __builtin_memset((set), 0, (setsize))
#define CPU_SET_S(cpu, setsize, set)                                                               \
	((size_t)(cpu) / 8 < (setsize) ? ((set)->__bits[__CPUELT(cpu)] |= __CPUMASK(cpu)) : 0)
#define CPU_CLR_S(cpu, setsize, set)                                                               \
	((size_t)(cpu) / 8 < (setsize) ? ((set)->__bits[__CPUELT(cpu)] &= ~__CPUMASK(cpu)) : 0)
#define CPU_ISSET_S(cpu, setsize, set)                                                             \
	((size_t)(cpu) / 8 < (setsize) ? ((set)->__bits[__CPUELT(cpu)] & __CPUMASK(cpu)) != 0 : 0)
#define CPU_COUNT_S(setsize, set)   __vmos_cpu_count((setsize), (set))
#define CPU_EQUAL_S(setsize, a, b)  __vmos_cpu_equal((setsize), (a), (b))
#define CPU_AND_S(setsize, d, a, b) __VMOS_CPU_OP(setsize, d, a, b, &)
#define CPU_OR_S(setsize, d, a, b)  __VMOS_CPU_OP(setsize, d, a, b, |)
#define CPU_XOR_S(setsize, d, a, b) __VMOS_CPU_OP(setsize, d, a, b, ^)

#define CPU_ZERO(set)       CPU_ZERO_S(sizeof(cpu_set_t), set)
#define CPU_SET(cpu, set)   CPU_SET_S(cpu, sizeof(cpu_set_t), set)
#define CPU_CLR(cpu, set)   CPU_CLR_S(cpu, sizeof(cpu_set_t), set)
#define CPU_ISSET(cpu, set) CPU_ISSET_S(cpu, sizeof(cpu_set_t), set)
#define CPU_COUNT(set)      CPU_COUNT_S(sizeof(cpu_set_t), set)
#define CPU_EQUAL(a, b)     CPU_EQUAL_S(sizeof(cpu_set_t), a, b)
#define CPU_AND(d, a, b)    CPU_AND_S(sizeof(cpu_set_t), d, a, b)
#define CPU_OR(d, a, b)     CPU_OR_S(sizeof(cpu_set_t), d, a, b)
#define CPU_XOR(d, a, b)    CPU_XOR_S(sizeof(cpu_set_t), d, a, b)

int sched_getcpu(void);

/* Namespaces: there are none (posix/libc/unavailable.c): setns fails with EINVAL. */
#define CLONE_NEWTIME   0x00000080
#define CLONE_NEWNS     0x00020000
#define CLONE_NEWCGROUP 0x02000000
#define CLONE_NEWUTS    0x04000000
#define CLONE_NEWIPC    0x08000000
#define CLONE_NEWUSER   0x10000000
#define CLONE_NEWPID    0x20000000
#define CLONE_NEWNET    0x40000000
int setns(int fd, int nstype);

int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask);
int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask);
#endif

#ifdef __cplusplus
}
#endif

#endif
