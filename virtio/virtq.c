/* virtq.c - split virtqueue bookkeeping (see virtq.h). Memory only: no port or MMIO
 * access, so the same file runs in the kernel and in the host unit tests.
 *
 * Layout of the caller's block (virtio 1.1, 2.6: descriptors 16-byte aligned, available
 * ring 2, used ring 4; the used ring starts on its own page as the legacy layout wants):
 *   descriptor table | available ring + used_event | pad | used ring + avail_event | tokens
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "virtio/virtq.h"

/* The device runs on another CPU (or in the VMM): x86 keeps stores in order and loads in
 * order, so only the store-then-load case needs a real fence; the others stop the compiler
 * from reordering. */
#define virtq_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define virtq_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define virtq_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static size_t avail_offset(uint16_t size)
{
	return sizeof(struct virtq_desc) * size;
}

static size_t used_offset(uint16_t size)
{
	return align_up(avail_offset(size) + 4 + 2u * size + 2, 4096);
}

static size_t cookies_offset(uint16_t size)
{
	return align_up(used_offset(size) + 4 + sizeof(struct virtq_used_elem) * size + 2, 8);
}

size_t virtq_mem_bytes(uint16_t size)
{
	return cookies_offset(size) + sizeof(void *) * size;
}

/* used_event sits after the available ring's entries, avail_event after the used ring's. */
static volatile uint16_t *used_event(struct virtq *vq)
{
	return &vq->avail->ring[vq->size];
}

static volatile uint16_t *avail_event(const struct virtq *vq)
{
	return (volatile uint16_t *)&vq->used->ring[vq->size];
}

int virtq_init(struct virtq *vq, uint16_t size, void *mem, uint64_t phys, bool event_idx)
{
	if (!size || (size & (size - 1)) || size > VIRTQ_MAX_SIZE || !mem ||
	    ((uintptr_t)mem & 4095) || (phys & 4095))
		return -EINVAL;
	uint8_t *base = mem;
	memset(base, 0, virtq_mem_bytes(size));
	memset(vq, 0, sizeof(*vq));
	vq->size = size;
	vq->event_idx = event_idx;
	vq->desc = (struct virtq_desc *)base;
	vq->avail = (volatile struct virtq_avail *)(base + avail_offset(size));
	vq->used = (volatile struct virtq_used *)(base + used_offset(size));
	vq->cookies = (void **)(base + cookies_offset(size));
	vq->desc_phys = phys;
	vq->avail_phys = phys + avail_offset(size);
	vq->used_phys = phys + used_offset(size);
	/* Every descriptor is free; the free list runs through .next (2.6.5: the device
	 * never writes descriptors, so the driver may keep its list there). */
	for (uint16_t i = 0; i < size; i++)
		vq->desc[i].next = (uint16_t)(i + 1 < size ? i + 1 : 0);
	vq->num_free = size;
	vq->free_head = 0;
	vq->interrupts_wanted = true;
	return 0;
}

int virtq_add(struct virtq *vq, const struct virtq_seg *segs, int n_out, int n_in, void *cookie)
{
	if (n_out < 0 || n_in < 0 || n_out + n_in == 0 || !cookie)
		return -EINVAL;
	int n = n_out + n_in;
	if (n > vq->num_free)
		return -ENOSPC;

	/* 2.6.13.1: place the buffer in free descriptors. Free descriptors are linked in
	 * the order they are taken, so .next already chains them; the last one's .next is
	 * the rest of the free list. */
	uint16_t head = vq->free_head;
	uint16_t i = head, last = head;
	for (int k = 0; k < n; k++) {
		struct virtq_desc *d = &vq->desc[i];
		d->addr = segs[k].phys;
		d->len = segs[k].len;
		d->flags = (uint16_t)((k >= n_out ? VIRTQ_DESC_F_WRITE : 0) |
		                      (k + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		last = i;
		i = d->next;
	}
	vq->free_head = vq->desc[last].next;
	vq->num_free = (uint16_t)(vq->num_free - n);
	vq->cookies[head] = cookie;

	/* 2.6.13.2: the head goes into the next available ring entry; idx moves later. */
	vq->avail->ring[vq->avail_shadow & (vq->size - 1)] = head;
	vq->avail_shadow++;
	return 0;
}

/* A full fence between the driver's store and its load of the device's field (above). */
static void store_load_fence(struct virtq *vq)
{
	virtq_mb();
	if (vq->device_fence)
		vq->device_fence(vq->device_fence_arg);
}

void virtq_set_device_fence(struct virtq *vq, void (*fn)(void *arg), void *arg)
{
	vq->device_fence = fn;
	vq->device_fence_arg = arg;
}

bool virtq_publish(struct virtq *vq)
{
	uint16_t old = vq->avail_kicked;
	uint16_t new_idx = vq->avail_shadow;

	if (old == new_idx)
		return false;
	/* 2.6.13.3: descriptors and ring entries before idx. */
	virtq_wmb();
	vq->avail->idx = new_idx;
	vq->avail_kicked = new_idx;
	/* 2.6.13.4: idx before reading the device's suppression fields. */
	store_load_fence(vq);
	if (vq->event_idx)
		return virtq_need_event(*avail_event(vq), new_idx, old);
	return !(vq->used->flags & VIRTQ_USED_F_NO_NOTIFY);
}

bool virtq_has_used(const struct virtq *vq)
{
	return vq->used->idx != vq->last_used;
}

int virtq_harvest(struct virtq *vq, void **cookie, uint32_t *len)
{
	if (vq->used->idx == vq->last_used)
		return 0;
	/* 2.6.14: read the entry only after seeing idx move. */
	virtq_rmb();
	volatile struct virtq_used_elem *e = &vq->used->ring[vq->last_used & (vq->size - 1)];
	uint32_t id = e->id;
	uint32_t written = e->len;
	if (id >= vq->size || !vq->cookies[id])
		return -EIO;

	/* Give the chain back to the free list. */
	uint16_t n = 1, i = (uint16_t)id;
	while ((vq->desc[i].flags & VIRTQ_DESC_F_NEXT) && n < vq->size) {
		i = vq->desc[i].next;
		n++;
	}
	vq->desc[i].next = vq->free_head;
	vq->free_head = (uint16_t)id;
	vq->num_free = (uint16_t)(vq->num_free + n);
	*cookie = vq->cookies[id];
	vq->cookies[id] = NULL;
	*len = written;
	vq->last_used++;
	/* With EVENT_IDX, wanting interrupts means "after the entry I will read next". */
	if (vq->event_idx && vq->interrupts_wanted)
		*used_event(vq) = vq->last_used;
	return 1;
}

void virtq_interrupts_off(struct virtq *vq)
{
	vq->interrupts_wanted = false;
	if (vq->event_idx)
		/* An event index just behind what was read: reached again only after the
		 * device went 65535 entries further (2.6.7). */
		*used_event(vq) = (uint16_t)(vq->last_used - 1);
	else
		vq->avail->flags |= VIRTQ_AVAIL_F_NO_INTERRUPT;
}

bool virtq_interrupts_on(struct virtq *vq)
{
	vq->interrupts_wanted = true;
	if (vq->event_idx)
		*used_event(vq) = vq->last_used;
	else
		vq->avail->flags &= (uint16_t)~VIRTQ_AVAIL_F_NO_INTERRUPT;
	/* The request before the check: a buffer used in between is seen here, or the
	 * device sees the request and notifies. */
	store_load_fence(vq);
	return virtq_has_used(vq);
}
