/* vblk_req.h - virtio-blk request bookkeeping (virtio 1.1, 5.2.6), free of any transport:
 * a request (read, write, flush, get-id) becomes one descriptor chain on a split virtqueue
 * (virtq.h): the 16-byte header the device reads, the data split wherever the buffer is not
 * physically contiguous or a segment would exceed the device's size_max, and the status
 * byte the device writes. Completions are matched back to their requests and the status
 * turned into 0 or -errno; a device that answers with an id, a length or a status it could
 * not have given is reported, never trusted.
 *
 * Memory only (the caller's translation function gives physical addresses), so it is
 * built and tested on the host against a fake device (tests/unit/test_vblk_req.c).
 * Not thread safe: one thread at a time (the cooperative scheduler) owns a queue. */
#ifndef VIRTIO_VBLK_REQ_H
#define VIRTIO_VBLK_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virtio/virtq.h"

/* Request types (5.2.6). */
#define VIRTIO_BLK_T_IN     0
#define VIRTIO_BLK_T_OUT    1
#define VIRTIO_BLK_T_FLUSH  4
#define VIRTIO_BLK_T_GET_ID 8
/* Status values (5.2.6). */
#define VIRTIO_BLK_S_OK     0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2

#define VBLK_SECTOR_BYTES 512 /* the unit of "sector", whatever the device's block size */
#define VBLK_ID_BYTES     20  /* GET_ID's answer: a serial, NUL-padded */
#define VBLK_SLOTS        64  /* requests in flight on one queue, at most */
#define VBLK_MAX_SEGS     64  /* data segments of one request, at most */

/* The header the device reads (struct virtio_blk_req's first fields, 5.2.6). */
struct vblk_wire_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/* One request, owned by its submitter until done. @bytes is a multiple of
 * VBLK_SECTOR_BYTES for reads and writes, 0 for a flush, VBLK_ID_BYTES for GET_ID. */
struct vblk_request {
	uint32_t type;
	uint64_t sector;
	void *buf;
	uint32_t bytes;
	int result; /* once done: 0, -EIO (the device failed it, or misbehaved), -EOPNOTSUPP */
	bool done;
};

/* vblk_to_phys_fn - the physical address of @virt and in @contig the physically
 * contiguous bytes from there (vm_virt_to_phys's contract). Returns 0 or -EFAULT. */
typedef int (*vblk_to_phys_fn)(const void *virt, uint64_t *phys, uint64_t *contig);

struct vblk_queue {
	struct virtq vq;            /* initialised by the caller (virtq_init) */
	struct vblk_wire_hdr *hdrs; /* VBLK_SLOTS headers, in DMA memory */
	volatile uint8_t *status;   /* VBLK_SLOTS status bytes, in DMA memory */
	uint64_t hdrs_phys, status_phys;
	struct vblk_request *slot_req[VBLK_SLOTS];
	uint16_t slot_free[VBLK_SLOTS]; /* stack of free slots */
	int slot_free_count;
	uint32_t seg_max;  /* data segments per request the device accepts */
	uint32_t size_max; /* bytes per segment the device accepts */
	vblk_to_phys_fn to_phys;
	uint64_t submitted, completed, device_errors;
};

/* vblkq_dma_bytes - DMA memory vblkq_init needs for the headers and status bytes. */
size_t vblkq_dma_bytes(void);

/* vblkq_init - set up @q's request table over its already initialised virtq: @dma
 * (vblkq_dma_bytes() bytes, physically contiguous, at @dma_phys), the device's limits
 * @seg_max (0: no limit but the ring's) and @size_max (0: none), @to_phys. Returns 0 or
 * -EINVAL. */
int vblkq_init(struct vblk_queue *q, void *dma, uint64_t dma_phys, uint32_t seg_max,
               uint32_t size_max, vblk_to_phys_fn to_phys);

/* vblkq_fit - how much of @bytes at @buf one request on @q can carry: the longest
 * prefix, a multiple of VBLK_SECTOR_BYTES, whose pieces (split where the memory is not
 * physically contiguous and at size_max) fit vblkq_max_segments. 0 when not even one
 * sector fits (or the buffer has no physical address). */
uint32_t vblkq_fit(const struct vblk_queue *q, const void *buf, uint32_t bytes);

/* vblkq_max_segments - data segments one request may have on @q. */
int vblkq_max_segments(const struct vblk_queue *q);

/* vblkq_submit - queue @r on @q (visible to the device after virtq_publish). Returns 0,
 * -EINVAL for a length its type cannot have, -EMSGSIZE when its buffer needs more segments
 * than vblkq_max_segments, -EFAULT for a buffer without a physical address, -ENOSPC when
 * no slot or not enough descriptors are free (nothing changed: retry after completions). */
int vblkq_submit(struct vblk_queue *q, struct vblk_request *r);

/* vblkq_complete - take every request the device has finished: each gets its result and
 * done. Returns how many, or -EIO when the device returned a used id that is not an
 * outstanding request (the queue is not usable after that: vblkq_fail_all). */
int vblkq_complete(struct vblk_queue *q);

/* vblkq_fail_all - end every outstanding request with @err (a device given up on). */
void vblkq_fail_all(struct vblk_queue *q, int err);

/* vblkq_in_flight - requests submitted and not yet completed. */
static inline int vblkq_in_flight(const struct vblk_queue *q)
{
	return VBLK_SLOTS - q->slot_free_count;
}

#endif
