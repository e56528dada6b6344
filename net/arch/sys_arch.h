/* arch/sys_arch.h - lwIP's operating-system types over the kernel's cooperative
 * scheduler (kernel/sched.h): semaphores, mutexes and mailboxes are a count or a ring plus
 * wait queues, embedded in the objects lwIP declares (no allocation). net/sys_arch.c
 * implements them. */
#ifndef VMOS_LWIP_ARCH_SYS_ARCH_H
#define VMOS_LWIP_ARCH_SYS_ARCH_H

#include <stdbool.h>

#include "kernel/sched.h"

typedef struct {
	bool valid;
	unsigned count;
	struct wait_queue waiters;
} sys_sem_t;

typedef struct {
	bool valid;
	bool locked;
	struct wait_queue waiters;
} sys_mutex_t;

typedef struct {
	void **slots; /* NULL: not valid */
	unsigned size;
	unsigned head;
	unsigned used;
	struct wait_queue not_empty;
	struct wait_queue not_full;
} sys_mbox_t;

typedef struct thread *sys_thread_t;

/* No preemption and no lwIP in interrupt handlers: nothing to protect. */
typedef int sys_prot_t;

#define sys_sem_valid(s)         ((s)->valid)
#define sys_sem_set_invalid(s)   ((s)->valid = false)
#define sys_mutex_valid(m)       ((m)->valid)
#define sys_mutex_set_invalid(m) ((m)->valid = false)
#define sys_mbox_valid(m)        ((m)->slots != NULL)
#define sys_mbox_set_invalid(m)  ((m)->slots = NULL)

#endif
