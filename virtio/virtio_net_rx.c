/* virtio_net_rx.c - virtio-net receive (5.1.6.3-5.1.6.4): buffers kept posted, frames
 * (mergeable ones gathered) handed up, waiting for the card, the counters and the
 * watchdog's check. */
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

int vnet_rx_post(struct vnet *v, int index)
{
	struct virtq_seg seg = {v->rx_phys[index], BUF_BYTES};
	int err = virtq_add(&v->rx, &seg, 0, 1, (void *)(uintptr_t)(index + 1));
	if (err)
		return err;
	v->rx_posted++;
	v->rx_unpublished++;
	return 0;
}

void vnet_rx_publish(struct vnet *v)
{
	v->rx_unpublished = 0;
	if (virtq_publish(&v->rx))
		v->dev->ops->notify(v->dev, RXQ);
}

/* One received frame in buffer @index (@len bytes with the header). With MRG_RXBUF the
 * header says how many buffers the frame spans (5.1.6.4); the rest are gathered into
 * reasm. Every buffer is posted again. Returns 1 when a frame went up, 0 when dropped,
 * -EIO on a ring error. */
static int rx_one(struct vnet *v, int index, uint32_t len)
{
	uint8_t *buf = v->rx_buf + (size_t)index * BUF_BYTES;
	struct vnet_hdr hdr;
	int delivered = 0;

	v->rx_posted--;
	v->rx_taken++;
	if (len < sizeof(hdr) || len > BUF_BYTES) {
		v->rx_dropped++;
		vnet_rx_post(v, index);
		return 0;
	}
	memcpy(&hdr, buf, sizeof(hdr));
	uint8_t *frame = buf + sizeof(hdr);
	uint32_t flen = len - (uint32_t)sizeof(hdr);
	bool fits = true;
	if (has(v, VIRTIO_NET_F_MRG_RXBUF) && hdr.num_buffers > 1) {
		memcpy(v->reasm, frame, flen);
		for (uint16_t k = 1; k < hdr.num_buffers; k++) {
			void *cookie;
			uint32_t more;
			int r = virtq_harvest(&v->rx, &cookie, &more);
			if (r != 1) {
				vnet_rx_post(v, index);
				return r < 0 ? r : -EIO; /* the device promised more buffers */
			}
			int next = (int)((uintptr_t)cookie - 1);
			v->rx_posted--;
			v->rx_taken++;
			if (more > BUF_BYTES || flen + more > sizeof(v->reasm))
				fits = false;
			else
				memcpy(v->reasm + flen, v->rx_buf + (size_t)next * BUF_BYTES, more);
			flen += more;
			vnet_rx_post(v, next);
		}
		frame = v->reasm;
	}
	bool valid = false;
	if (fits && (hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
		/* A partial checksum (5.1.6.4.1): finish it here, the stack cannot. */
		if ((uint32_t)hdr.csum_start + hdr.csum_offset + 2 <= flen) {
			struct vnet_seg whole = {frame, flen};
			vnet_csum_finish_segs(&whole, 1, hdr.csum_start, hdr.csum_offset);
			valid = true;
		} else {
			fits = false;
		}
	} else if (hdr.flags & VIRTIO_NET_HDR_F_DATA_VALID) {
		valid = true;
	}
	if (fits && flen >= VNET_ETH_HLEN && v->rx_fn) {
		v->rx_fn(v->rx_arg, frame, flen, valid);
		v->rx_frames++;
		delivered = 1;
	} else {
		v->rx_dropped++;
	}
	vnet_rx_post(v, index);
	return delivered;
}

int vnet_poll(struct vnet *v, int budget)
{
	int frames = 0;
	void *cookie;
	uint32_t len;
	int r = 0;

	vnet_tx_reclaim(v);
	while (budget <= 0 || frames < budget) {
		r = virtq_harvest(&v->rx, &cookie, &len);
		if (r <= 0)
			break;
		r = rx_one(v, (int)((uintptr_t)cookie - 1), len);
		if (r < 0)
			break;
		frames += r;
		if (v->rx_unpublished >= RX_BATCH)
			vnet_rx_publish(v);
	}
	if (v->rx_unpublished)
		vnet_rx_publish(v);
	if (r < 0) {
		kprintf("vnet: %s broke the receive ring protocol\n", v->dev->name);
		return -EIO;
	}
	return frames;
}

/* Whether a sender may be waiting for transmit room (a slot, descriptors or a copy
 * buffer running low). */
static bool tx_starved(const struct vnet *v)
{
	return !v->tx_slot_free_count || !v->tx_copy_free_count ||
	       virtq_free_count(&v->tx) < TX_MAX_PIECES;
}

/* Work for vnet_poll: a received frame, or sent buffers to reclaim when none is free. */
static bool work_waiting(struct vnet *v)
{
	return virtq_has_used(&v->rx) || (tx_starved(v) && virtq_has_used(&v->tx));
}

int vnet_wait(struct vnet *v, uint64_t deadline_tsc)
{
	if (work_waiting(v))
		return 0;
	/* Ask for interrupts, then look again: whatever arrived in between is seen now,
	 * or raises the interrupt (delivered at the next halt, after we queued up). */
	bool tx_wanted = tx_starved(v);
	bool ready = virtq_interrupts_on(&v->rx);
	if (tx_wanted)
		ready |= virtq_interrupts_on(&v->tx);
	int err = 0;
	if (!ready) {
		v->rx_waiting = true;
		err = wait_queue_wait(&v->wq, deadline_tsc);
		v->rx_waiting = false;
	}
	virtq_interrupts_off(&v->rx);
	if (tx_wanted)
		virtq_interrupts_off(&v->tx);
	return err;
}

void vnet_get_info(const struct vnet *v, struct vnet_info *out)
{
	out->device = v->dev->name;
	out->irq_mode = v->dev->irq_mode;
	out->features = v->features;
	out->rx_queue_size = v->rx.size;
	out->tx_queue_size = v->tx.size;
	out->rx_posted = (uint16_t)v->rx_posted;
	out->rx_pending = (uint16_t)(v->rx.used->idx - v->rx.last_used);
	out->tx_inflight = (uint16_t)(TX_SLOTS - v->tx_slot_free_count);
	out->device_fence = v->device_fence;
	out->rx_waiting = v->rx_waiting;
	out->interrupts = v->interrupts;
	out->rx_frames = v->rx_frames;
	out->rx_dropped = v->rx_dropped;
	out->tx_frames = v->tx_frames;
	out->rx_lost_notifications = v->rx_lost_notifications;
	out->rx_stuck_busy = v->rx_stuck_busy;
	out->tx_renotified = v->tx_renotified;
}

int vnet_check(struct vnet *v)
{
	uint16_t rx_used = v->rx.used->idx, tx_used = v->tx.used->idx;
	int found = 0;

	/* Receive: buffers were waiting at the last check too, and none was taken since.
	 * (Counts, not ring indexes: these wrap in well under a second at full speed.) */
	uint16_t pending = (uint16_t)(rx_used - v->rx.last_used);
	if (pending && v->checked_rx_pending && v->rx_taken == v->checked_rx_taken) {
		if (v->rx_waiting) {
			found |= VNET_CHECK_RX_LOST_NOTIFICATION;
			v->rx_lost_notifications++;
			wait_queue_wake_all(&v->wq);
		} else {
			found |= VNET_CHECK_RX_STUCK_BUSY;
			v->rx_stuck_busy++;
		}
		if (pending >= v->rx_posted)
			found |= VNET_CHECK_RX_RING_EMPTY;
	}
	/* The device took no receive buffer in a whole interval: idle, or it waits for a
	 * notification that was lost; one more costs the VMM one exit a second. */
	if (rx_used == v->checked_rx_used && v->rx_posted > pending)
		v->dev->ops->notify(v->dev, RXQ);
	/* Transmit: frames were waiting at the last check, and none completed since. */
	uint16_t tx_waiting = (uint16_t)(v->tx.avail_kicked - tx_used);
	if (tx_waiting && v->checked_tx_waiting && tx_used == v->checked_tx_used) {
		found |= VNET_CHECK_TX_RENOTIFIED;
		v->tx_renotified++;
		v->dev->ops->notify(v->dev, TXQ);
	}
	v->checked_rx_pending = pending;
	v->checked_rx_taken = v->rx_taken;
	v->checked_rx_used = rx_used;
	v->checked_tx_used = tx_used;
	v->checked_tx_waiting = tx_waiting;
	return found;
}
