/* virtq.h - split virtqueue bookkeeping (virtio 1.1 section 2.6), free of any transport.
 *
 * The caller gives one block of memory (virtual address and its physical address, which
 * must be physically contiguous for virtq_mem_bytes(size) bytes) and tells the transport
 * where the three rings are (vq->desc_phys, vq->avail_phys, vq->used_phys). This file
 * only reads and writes that memory, so it is built and tested on the host against a fake
 * device (tests/unit/test_virtq.c).
 *
 * Not thread safe: one thread (or a cooperative scheduler) owns a queue. */
#ifndef VIRTIO_VIRTQ_H
#define VIRTIO_VIRTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Descriptor flags (virtio 1.1, 2.6.5). */
#define VIRTQ_DESC_F_NEXT     1
#define VIRTQ_DESC_F_WRITE    2
#define VIRTQ_DESC_F_INDIRECT 4

/* Available ring flags (2.6.6, 2.6.7): the driver asks for no used-buffer notifications. */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
/* Used ring flags (2.6.8, 2.6.10): the device asks for no available-buffer notifications. */
#define VIRTQ_USED_F_NO_NOTIFY 1

#define VIRTQ_MAX_SIZE 32768

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

/* Followed by uint16_t used_event (only with VIRTIO_F_EVENT_IDX). */
struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

/* Followed by uint16_t avail_event (only with VIRTIO_F_EVENT_IDX). */
struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
};

/* One piece of a buffer: a physical address and a length. */
struct virtq_seg {
	uint64_t phys;
	uint32_t len;
};

struct virtq {
	uint16_t size; /* entries, a power of two */
	bool event_idx;
	struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	uint64_t desc_phys, avail_phys, used_phys;
	void **cookies;         /* per head descriptor: the caller's token; NULL when free */
	uint16_t free_head;     /* first free descriptor; free ones chain through .next */
	uint16_t num_free;      /* free descriptors */
	uint16_t avail_shadow;  /* avail->idx once the pending entries are published */
	uint16_t avail_kicked;  /* avail->idx at the last publish */
	uint16_t last_used;     /* next used entry to harvest */
	bool interrupts_wanted; /* the driver's side of notification suppression */
	void (*device_fence)(void *arg); /* virtq_set_device_fence; NULL: the CPU's fence */
	void *device_fence_arg;
};

/* virtq_need_event - the spec's rule (2.6.7, 2.6.10) for VIRTIO_F_EVENT_IDX: whether
 * moving an index from @old to @new passed the other side's @event. Both sides use it. */
static inline bool virtq_need_event(uint16_t event, uint16_t new_idx, uint16_t old_idx)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old_idx);
}

/* virtq_mem_bytes - bytes of memory a queue of @size entries needs (rings and the
 * driver's per-descriptor tokens), for memory aligned to 4096 bytes. */
size_t virtq_mem_bytes(uint16_t size);

/* virtq_init - lay out a queue of @size entries (a power of two up to VIRTQ_MAX_SIZE) in
 * @mem (virtq_mem_bytes(size) bytes, 4096-aligned, physical address @phys) and zero it;
 * @event_idx says whether VIRTIO_F_EVENT_IDX was negotiated. Used-buffer notifications
 * start enabled. Returns 0 or -EINVAL. */
int virtq_init(struct virtq *vq, uint16_t size, void *mem, uint64_t phys, bool event_idx);

/* virtq_add - queue one buffer made of @n_out device-readable segments followed by @n_in
 * device-writable ones (@segs holds both), with @cookie (not NULL) to get back from
 * virtq_harvest. The device sees it only after virtq_publish. Returns 0, -EINVAL for no
 * segments or a NULL cookie, or -ENOSPC when fewer than n_out + n_in descriptors are free
 * (nothing is changed then). */
int virtq_add(struct virtq *vq, const struct virtq_seg *segs, int n_out, int n_in, void *cookie);

/* virtq_publish - make the buffers added since the last call visible to the device
 * (with the barriers of 2.6.13) and say whether the device wants a notification for them
 * (VIRTQ_USED_F_NO_NOTIFY, or avail_event with VIRTIO_F_EVENT_IDX). The caller notifies
 * through its transport when this returns true. */
bool virtq_publish(struct virtq *vq);

/* virtq_harvest - take the next used buffer, in the order the device completed them
 * (which need not be the order they were added): its cookie and the bytes the device
 * wrote. Its descriptors become free. Returns 1 with a buffer, 0 when none is waiting,
 * -EIO when the device returned an id that is not an outstanding buffer. */
int virtq_harvest(struct virtq *vq, void **cookie, uint32_t *len);

/* virtq_has_used - whether virtq_harvest would find a buffer. */
bool virtq_has_used(const struct virtq *vq);

/* virtq_interrupts_off - ask the device not to notify on used buffers (a hint: it may
 * still do so). */
void virtq_interrupts_off(struct virtq *vq);

/* virtq_interrupts_on - ask for a notification on the next used buffer. Returns true
 * when used buffers arrived already (the caller harvests them instead of waiting). */
bool virtq_interrupts_on(struct virtq *vq);

/* virtq_set_device_fence - have @fn(@arg) run at the two points where a store of the
 * driver's must reach the device before the driver loads what the device stored (the
 * store-then-load handshakes of 2.6.13.4 and 2.6.7.2: avail idx then the device's
 * suppression fields in virtq_publish; used_event then used idx in virtq_interrupts_on).
 * The CPU's full fence is always issued there; @fn is for a VMM where that fence does
 * not order the driver with the device (QEMU's TCG with one vCPU emits no host fence for
 * it, while its device models run on another host thread): a read of a device register
 * does. NULL turns it off. */
void virtq_set_device_fence(struct virtq *vq, void (*fn)(void *arg), void *arg);

/* virtq_free_count - descriptors free for virtq_add. */
static inline uint16_t virtq_free_count(const struct virtq *vq)
{
	return vq->num_free;
}

#endif
