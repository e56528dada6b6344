/* virtio_net_tx.c - virtio-net transmit (5.1.6.2): frames by reference or by copy, the
 * header's checksum and segmentation fields, batches published at once, reclaim. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/cpufeat.h"
#include "kernel/sched.h"
#include "mm/vm.h"
#include "virtio/pci.h"
#include "virtio/transport.h"
#include "virtio/virtio.h"
#include "virtio/virtio_mmio.h"
#include "virtio/virtio_net.h"
#include "virtio/virtio_net_internal.h"
#include "virtio/virtio_pci.h"
#include "virtio/virtq.h"

/* The ones' complement sum of a frame's bytes from @start to its end, the frame being the
 * concatenation of @segs (16-bit big-endian words counted from @start), unfolded. */
static uint64_t segs_sum(const struct vnet_seg *segs, int nsegs, uint32_t start)
{
	uint64_t sum = 0;
	uint32_t at = 0;

	for (int i = 0; i < nsegs; at += segs[i].len, i++) {
		const uint8_t *p = segs[i].data;
		for (uint32_t k = at < start ? start - at : 0; k < segs[i].len; k++)
			sum += ((at + k - start) & 1) ? p[k] : (uint32_t)p[k] << 8;
	}
	return sum;
}

/* Store the byte @b at offset @pos of the frame made of @segs. */
static void segs_put(const struct vnet_seg *segs, uint32_t pos, uint8_t b)
{
	while (pos >= segs->len)
		pos -= segs++->len;
	((uint8_t *)(uintptr_t)segs->data)[pos] = b;
}

/* What a device does for VIRTIO_NET_HDR_F_NEEDS_CSUM (5.1.6.2): the sum from @start to
 * the end, folded and inverted, stored at @start + @offset (the field already holds the
 * pseudo-header's sum, which is thereby included). */
void vnet_csum_finish_segs(const struct vnet_seg *segs, int nsegs, uint32_t start, uint32_t offset)
{
	uint64_t sum = segs_sum(segs, nsegs, start);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	uint16_t c = (uint16_t)~sum;
	segs_put(segs, start + offset, (uint8_t)(c >> 8));
	segs_put(segs, start + offset + 1, (uint8_t)c);
}

static void tx_publish(struct vnet *v)
{
	v->tx_unpublished = 0;
	if (virtq_publish(&v->tx))
		v->dev->ops->notify(v->dev, TXQ);
}

void vnet_flush(struct vnet *v)
{
	if (v->tx_unpublished)
		tx_publish(v);
}

void vnet_tx_reclaim(struct vnet *v)
{
	void *cookie;
	uint32_t len;

	while (virtq_harvest(&v->tx, &cookie, &len) == 1) {
		int slot = (int)((uintptr_t)cookie - 1);
		void *token = v->tx_token[slot];
		if (v->tx_copy_of[slot] >= 0)
			v->tx_copy_free[v->tx_copy_free_count++] = (uint16_t)v->tx_copy_of[slot];
		v->tx_slot_free[v->tx_slot_free_count++] = (uint16_t)slot;
		if (token && v->tx_done_fn)
			v->tx_done_fn(v->tx_done_arg, token);
	}
}

void vnet_set_tx_done(struct vnet *v, vnet_tx_done_fn fn, void *arg)
{
	v->tx_done_fn = fn;
	v->tx_done_arg = arg;
}

/* The frame's physical pieces after the header descriptor at @pieces[0]: each segment
 * split where its memory is not physically contiguous. Returns the number of pieces, or
 * -EFAULT for memory outside the linear range (a stack, say) or more than TX_MAX_PIECES. */
static int tx_pieces(const struct vnet_seg *segs, int nsegs, struct virtq_seg *pieces)
{
	int n = 1;

	for (int i = 0; i < nsegs; i++) {
		const uint8_t *p = segs[i].data;
		uint32_t left = segs[i].len;
		while (left) {
			uint64_t phys, contig;
			if (n == TX_MAX_PIECES || vm_virt_to_phys(p, &phys, &contig))
				return -EFAULT;
			uint32_t take = contig < left ? (uint32_t)contig : left;
			pieces[n++] = (struct virtq_seg){phys, take};
			p += take;
			left -= take;
		}
	}
	return n;
}

/* 5.1.6.2: a header, then the frame. A copied frame shares one buffer with its header; a
 * referenced one gets its header from the slot and a descriptor per physical piece
 * (VIRTIO_F_VERSION_1 allows any layout). */
int vnet_transmit(struct vnet *v, const struct vnet_seg *segs, int nsegs,
                  const struct vnet_tx_offload *off, void *token)
{
	uint32_t total = 0;
	bool gso = off && off->gso_size;
	uint32_t limit = gso ? VNET_MAX_GSO + VNET_ETH_HLEN : (uint32_t)v->mtu + VNET_ETH_HLEN;

	if (nsegs < 1 || nsegs > VNET_MAX_SEGS)
		return -EINVAL;
	if (gso && (!has(v, VIRTIO_NET_F_HOST_TSO4) || !token || !off->hdr_len))
		return -EINVAL;
	for (int i = 0; i < nsegs; i++) {
		if (segs[i].len > VNET_MAX_GSO)
			return -EINVAL;
		total += segs[i].len;
		if (total > limit)
			return -EINVAL; /* checked as it grows: the sum cannot wrap */
	}
	if (total == 0)
		return -EINVAL;
	if (off && ((uint32_t)off->csum_start + off->csum_offset + 2 > total))
		return -EINVAL;

	struct virtq_seg pieces[TX_MAX_PIECES];
	int npieces = 1;
	if (token) {
		npieces = tx_pieces(segs, nsegs, pieces);
		if (npieces < 0)
			return npieces;
	}
	bool room = v->tx_slot_free_count && virtq_free_count(&v->tx) >= npieces &&
	            (token || v->tx_copy_free_count);
	if (!room) {
		vnet_tx_reclaim(v);
		room = v->tx_slot_free_count && virtq_free_count(&v->tx) >= npieces &&
		       (token || v->tx_copy_free_count);
	}
	if (!room) {
		vnet_flush(v); /* the device works on what it has while the caller waits */
		return -EAGAIN;
	}

	int slot = v->tx_slot_free[--v->tx_slot_free_count];
	struct vnet_hdr *hdr;
	struct vnet_seg copied;
	const struct vnet_seg *final = segs;
	int nfinal = nsegs;
	if (token) {
		hdr = &v->tx_hdrs[slot];
		pieces[0] = (struct virtq_seg){v->tx_hdrs_phys + (uint64_t)slot * sizeof(*hdr),
		                               (uint32_t)sizeof(*hdr)};
		v->tx_copy_of[slot] = -1;
	} else {
		int index = v->tx_copy_free[--v->tx_copy_free_count];
		uint8_t *buf = v->tx_buf + (size_t)index * BUF_BYTES;
		hdr = (struct vnet_hdr *)buf;
		uint8_t *frame = buf + sizeof(*hdr);
		for (int i = 0, at = 0; i < nsegs; at += (int)segs[i].len, i++)
			memcpy(frame + at, segs[i].data, segs[i].len);
		pieces[0] = (struct virtq_seg){v->tx_phys[index], (uint32_t)sizeof(*hdr) + total};
		v->tx_copy_of[slot] = (int16_t)index;
		copied = (struct vnet_seg){frame, total};
		final = &copied;
		nfinal = 1;
	}
	memset(hdr, 0, sizeof(*hdr));
	hdr->gso_type = VIRTIO_NET_HDR_GSO_NONE;
	if (off && has(v, VIRTIO_NET_F_CSUM)) {
		hdr->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		hdr->csum_start = off->csum_start;
		hdr->csum_offset = off->csum_offset;
	} else if (off) {
		vnet_csum_finish_segs(final, nfinal, off->csum_start, off->csum_offset);
	}
	if (gso) {
		hdr->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
		hdr->gso_size = off->gso_size;
		hdr->hdr_len = off->hdr_len;
	}
	v->tx_token[slot] = token;

	int err = virtq_add(&v->tx, pieces, npieces, 0, (void *)(uintptr_t)(slot + 1));
	if (err) { /* cannot happen: room was checked */
		if (v->tx_copy_of[slot] >= 0)
			v->tx_copy_free[v->tx_copy_free_count++] = (uint16_t)v->tx_copy_of[slot];
		v->tx_slot_free[v->tx_slot_free_count++] = (uint16_t)slot;
		return -EAGAIN;
	}
	v->tx_frames++;
	if (++v->tx_unpublished >= TX_BATCH)
		tx_publish(v);
	return 0;
}
