/* stack.h - stack slots: 1024 slots of 1 GiB at the top of the address space, one per
 * thread. A slot maps only the top of its stack; below that, pages are mapped on first
 * touch (a page fault) down to the slot's limit, and a touch below the limit is reported
 * as "stack overflow in stack slot N" (and a page that cannot be had then as "out of memory
 * growing stack slot N"). Slot 0 is the boot thread's: its top VM_BOOT_STACK_BYTES (16 KiB)
 * are mapped by the boot, the rest grows on demand like any slot, down to its limit,
 * STACK_DEFAULT_LIMIT. */
#ifndef MM_STACK_H
#define MM_STACK_H

#include <stdbool.h>
#include <stdint.h>

#define STACK_DEFAULT_LIMIT (8ull << 20) /* like Linux's default RLIMIT_STACK */
#define STACK_MIN_BYTES     16384ull

/* stack_slot_alloc - take a free slot whose stack may grow to @limit bytes (rounded up to
 * pages; STACK_MIN_BYTES at least, less than the slot size), with its top @initial bytes
 * mapped now (at least one page, at most @limit). Returns 0 with the slot number in @slot
 * and the stack top (the address just above the stack) in @top; -EINVAL for a bad size;
 * -EAGAIN when all slots are in use (pthread_create's error); -ENOMEM when pages run out. */
int stack_slot_alloc(uint64_t limit, uint64_t initial, int *slot, uint64_t *top);

/* stack_slot_free - unmap every page of @slot and give them back; the slot becomes free.
 * Must not be called on the stack in use. Returns 0 or -EINVAL (slot 0, or not in use). */
int stack_slot_free(int slot);

/* stack_slot_grow - page-fault hook: when @addr lies in a live slot between its limit and
 * its mapped part, map a zeroed page there and return true. False means a real fault (for
 * a slot address: a stack overflow). Called from the #PF handler. */
bool stack_slot_grow(uint64_t addr);

/* stack_slot_limit_of - the lowest address slot @slot may grow to, or 0 if not in use. */
uint64_t stack_slot_limit_of(int slot);

/* stack_slot_mapped_bytes - bytes currently mapped in @slot (for tests and reports). */
uint64_t stack_slot_mapped_bytes(int slot);

#endif
