/* vblk_req.c - virtio-blk request bookkeeping (see vblk_req.h). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "virtio/vblk_req.h"
#include "virtio/virtq.h"

/* A status byte no device writes: a completion that leaves it is a device's fault. */
#define STATUS_UNWRITTEN 0xff

size_t vblkq_dma_bytes(void)
{
	return VBLK_SLOTS * sizeof(struct vblk_wire_hdr) + VBLK_SLOTS;
}

int vblkq_init(struct vblk_queue *q, void *dma, uint64_t dma_phys, uint32_t seg_max,
               uint32_t size_max, vblk_to_phys_fn to_phys)
{
	if (!dma || !to_phys || ((uintptr_t)dma & 15))
		return -EINVAL;
	q->hdrs = dma;
	q->hdrs_phys = dma_phys;
	q->status = (volatile uint8_t *)dma + VBLK_SLOTS * sizeof(struct vblk_wire_hdr);
	q->status_phys = dma_phys + VBLK_SLOTS * sizeof(struct vblk_wire_hdr);
	memset(dma, 0, vblkq_dma_bytes());
	for (int i = 0; i < VBLK_SLOTS; i++) {
		q->slot_req[i] = NULL;
		q->slot_free[i] = (uint16_t)(VBLK_SLOTS - 1 - i);
	}
	q->slot_free_count = VBLK_SLOTS;
	q->seg_max = seg_max;
	q->size_max = size_max;
	q->to_phys = to_phys;
	q->submitted = q->completed = q->device_errors = 0;
	return 0;
}

int vblkq_max_segments(const struct vblk_queue *q)
{
	/* Header and status take a descriptor each (5.2.6); 5.2.4: seg_max counts data
	 * segments. */
	int n = q->vq.size - 2;
	if (n > VBLK_MAX_SEGS)
		n = VBLK_MAX_SEGS;
	if (q->seg_max && q->seg_max < (uint32_t)n)
		n = (int)q->seg_max;
	return n;
}

/* The segments of @buf: into @segs (at most @room of them). Returns the count, -EFAULT,
 * or -EMSGSIZE past @room; @fitted (may be NULL) gets the bytes the first @room segments
 * cover. */
static int split(const struct vblk_queue *q, const void *buf, uint32_t bytes,
                 struct virtq_seg *segs, int room, uint32_t *fitted)
{
	const uint8_t *p = buf;
	int n = 0;
	uint32_t covered = 0;

	if (fitted)
		*fitted = 0;
	while (covered < bytes) {
		uint64_t phys, contig;
		if (q->to_phys(p + covered, &phys, &contig) || !contig)
			return -EFAULT;
		uint32_t len = contig < bytes - covered ? (uint32_t)contig : bytes - covered;
		if (q->size_max && len > q->size_max)
			len = q->size_max;
		/* A piece that merely continues the last one physically joins it. */
		if (n && segs[n - 1].phys + segs[n - 1].len == phys &&
		    (!q->size_max || segs[n - 1].len + len <= q->size_max)) {
			segs[n - 1].len += len;
		} else {
			if (n == room)
				return -EMSGSIZE;
			segs[n++] = (struct virtq_seg){phys, len};
		}
		covered += len;
		if (fitted)
			*fitted = covered;
	}
	return n;
}

uint32_t vblkq_fit(const struct vblk_queue *q, const void *buf, uint32_t bytes)
{
	struct virtq_seg segs[VBLK_MAX_SEGS];
	uint32_t fitted;
	int n = split(q, buf, bytes, segs, vblkq_max_segments(q), &fitted);

	if (n == -EFAULT)
		return 0;
	return fitted - fitted % VBLK_SECTOR_BYTES;
}

static bool length_fits_type(const struct vblk_request *r)
{
	switch (r->type) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_OUT:
		return r->bytes && r->bytes % VBLK_SECTOR_BYTES == 0 && r->buf;
	case VIRTIO_BLK_T_FLUSH:
		return r->bytes == 0;
	case VIRTIO_BLK_T_GET_ID:
		return r->bytes == VBLK_ID_BYTES && r->buf;
	default:
		return false;
	}
}

int vblkq_submit(struct vblk_queue *q, struct vblk_request *r)
{
	struct virtq_seg segs[VBLK_MAX_SEGS + 2];

	if (!length_fits_type(r))
		return -EINVAL;
	if (!q->slot_free_count)
		return -ENOSPC;
	int slot = q->slot_free[q->slot_free_count - 1];
	int n = split(q, r->buf, r->bytes, segs + 1, vblkq_max_segments(q), NULL);
	if (n < 0)
		return n;

	/* 5.2.6: header (device-readable), data (readable for OUT, writable otherwise),
	 * status (writable); the sector field is 0 for requests other than IN and OUT. */
	struct vblk_wire_hdr *h = &q->hdrs[slot];
	h->type = r->type;
	h->reserved = 0;
	h->sector = r->type == VIRTIO_BLK_T_IN || r->type == VIRTIO_BLK_T_OUT ? r->sector : 0;
	q->status[slot] = STATUS_UNWRITTEN;
	segs[0] = (struct virtq_seg){q->hdrs_phys + (uint64_t)slot * sizeof(*h), sizeof(*h)};
	segs[n + 1] = (struct virtq_seg){q->status_phys + (uint64_t)slot, 1};
	int n_out = r->type == VIRTIO_BLK_T_OUT ? 1 + n : 1;
	int n_in = n + 2 - n_out;
	int err = virtq_add(&q->vq, segs, n_out, n_in, (void *)(uintptr_t)(slot + 1));
	if (err)
		return err; /* -ENOSPC: the ring is short of descriptors */

	q->slot_free_count--;
	q->slot_req[slot] = r;
	r->done = false;
	r->result = -EINPROGRESS;
	q->submitted++;
	return 0;
}

/* The result of a completion: the status the device wrote, unless what it says it wrote
 * (@written: bytes into the writable part, data and status) cannot be. */
static int completion_result(const struct vblk_request *r, uint8_t status, uint32_t written)
{
	uint32_t writable = (r->type == VIRTIO_BLK_T_OUT ? 0 : r->bytes) + 1;

	if (written > writable)
		return -EIO;
	switch (status) {
	case VIRTIO_BLK_S_OK:
		return 0;
	case VIRTIO_BLK_S_UNSUPP:
		return -EOPNOTSUPP;
	default: /* IOERR, or a value no device may write (STATUS_UNWRITTEN among them) */
		return -EIO;
	}
}

int vblkq_complete(struct vblk_queue *q)
{
	int count = 0;
	void *cookie;
	uint32_t written;
	int got;

	while ((got = virtq_harvest(&q->vq, &cookie, &written)) == 1) {
		int slot = (int)((uintptr_t)cookie - 1);
		struct vblk_request *r = q->slot_req[slot];
		uint8_t status = q->status[slot];
		r->result = completion_result(r, status, written);
		if (r->result == -EIO && status != VIRTIO_BLK_S_IOERR)
			q->device_errors++;
		r->done = true;
		q->slot_req[slot] = NULL;
		q->slot_free[q->slot_free_count++] = (uint16_t)slot;
		q->completed++;
		count++;
	}
	if (got < 0) {
		q->device_errors++;
		return -EIO;
	}
	return count;
}

void vblkq_fail_all(struct vblk_queue *q, int err)
{
	for (int slot = 0; slot < VBLK_SLOTS; slot++) {
		struct vblk_request *r = q->slot_req[slot];
		if (!r)
			continue;
		r->result = err;
		r->done = true;
		q->slot_req[slot] = NULL;
		q->slot_free[q->slot_free_count++] = (uint16_t)slot;
	}
}
