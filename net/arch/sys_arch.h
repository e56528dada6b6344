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

/* The tcpip core lock (lwipopts.h points LOCK_TCPIP_CORE/UNLOCK_TCPIP_CORE here). */
void vmos_lock_tcpip_core(void);
void vmos_unlock_tcpip_core(void);

/* vmos_set_core_unlock_hook - run @fn each time the core lock is about to be let go,
 * still holding it: a network driver sends the frames it queued during the hold then, in
 * one batch (one at most; NULL removes it). */
void vmos_set_core_unlock_hook(void (*fn)(void));

/* vmos_set_mbox_abandon_hook - let @fn end a caller's wait for a mailbox message (a
 * socket's receive or accept queue): before each wait, and after thread_interrupt woke
 * it, sys_arch_mbox_fetch asks @fn and, when it says true, returns SYS_ARCH_TIMEOUT, so
 * that the socket call fails with EWOULDBLOCK. The POSIX layer says true for a thread
 * canceled while blocked in a socket call (posix/thread/cancel.c). NULL removes it. */
void vmos_set_mbox_abandon_hook(bool (*fn)(void));

/* vmos_core_lock_held_ns - how long the core lock has been held by its current holder
 * (0 when it is free), for the network watchdog's reports (net/netwatch.h). */
uint64_t vmos_core_lock_held_ns(void);

#endif
