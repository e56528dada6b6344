/* virtio_net_internal.h - what the virtio-net driver's files share: virtio_net.c (bring-up,
 * 5.1.5, and the card's properties), virtio_net_tx.c (transmit) and virtio_net_rx.c
 * (receive, waiting, the counters and the watchdog's check). */
#ifndef VIRTIO_VIRTIO_NET_INTERNAL_H
#define VIRTIO_VIRTIO_NET_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/sched.h"
#include "virtio/virtio.h"
#include "virtio/virtio_net.h"
#include "virtio/virtq.h"

/* Feature bits (5.1.3). */
#define VIRTIO_NET_F_CSUM       0
#define VIRTIO_NET_F_GUEST_CSUM 1
#define VIRTIO_NET_F_MTU        3
#define VIRTIO_NET_F_MAC        5
#define VIRTIO_NET_F_HOST_TSO4  11
#define VIRTIO_NET_F_MRG_RXBUF  15
#define VIRTIO_NET_F_STATUS     16

/* Device configuration (5.1.4). */
#define CONFIG_MAC           0
#define CONFIG_STATUS        6
#define CONFIG_MTU           10
#define VIRTIO_NET_S_LINK_UP 1

/* struct virtio_net_hdr (5.1.6): 12 bytes once VIRTIO_F_VERSION_1 is negotiated. */
struct vnet_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
};
#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1
#define VIRTIO_NET_HDR_F_DATA_VALID 2
#define VIRTIO_NET_HDR_GSO_NONE     0
#define VIRTIO_NET_HDR_GSO_TCPV4    1

#define RXQ            0
#define TXQ            1
#define QUEUE_MAX_SIZE 256
#define BUF_BYTES      2048 /* header + the largest frame, and two fit a page */
#define RX_BUFS        128  /* at most; fewer in a small VM (rx_buffer_count) */
#define RX_BUFS_MIN    32
#define TX_COPY_BUFS   16             /* for frames sent by copy (vnet_transmit with no token) */
#define TX_SLOTS       QUEUE_MAX_SIZE /* frames in flight, at most */
#define TX_MAX_PIECES  (1 + 2 * VNET_MAX_SEGS) /* header, each segment split once */
#define RX_BATCH       16                      /* buffers given back per publish, at most */
#define TX_BATCH       32 /* frames sent per publish, at most (vnet_flush sends the rest) */
#define REASM_BYTES    (VNET_MAX_FRAME + sizeof(struct vnet_hdr))

_Static_assert(sizeof(struct vnet_hdr) == 12, "virtio_net_hdr is 12 bytes");
_Static_assert(sizeof(struct vnet_hdr) + VNET_MAX_FRAME <= BUF_BYTES, "a frame fits a buffer");

struct vnet {
	struct virtio_dev *dev;
	uint64_t features;
	uint8_t mac[6];
	uint16_t mtu;
	struct virtq rx, tx;
	int rx_count;              /* receive buffers: RX_BUFS_MIN to RX_BUFS */
	uint8_t *rx_buf, *tx_buf;  /* rx_count / TX_COPY_BUFS buffers of BUF_BYTES */
	uint64_t rx_phys[RX_BUFS]; /* their physical addresses */
	uint64_t tx_phys[TX_COPY_BUFS];
	uint16_t tx_copy_free[TX_COPY_BUFS]; /* stack of free copy buffers */
	int tx_copy_free_count;
	/* Frames in flight: one slot each, with the header of a referenced frame (in DMA
	 * memory), the caller's token, and the copy buffer of a copied one (-1: none). */
	struct vnet_hdr *tx_hdrs; /* TX_SLOTS headers */
	uint64_t tx_hdrs_phys;
	void *tx_token[TX_SLOTS];
	int16_t tx_copy_of[TX_SLOTS];
	uint16_t tx_slot_free[TX_SLOTS]; /* stack of free slots */
	int tx_slot_free_count;
	vnet_tx_done_fn tx_done_fn;
	void *tx_done_arg;
	int tx_unpublished; /* frames queued but not yet published (vnet_flush) */
	int rx_posted;
	int rx_unpublished;         /* buffers given back but not yet published */
	uint8_t reasm[REASM_BYTES]; /* a frame spread over several buffers (MRG_RXBUF) */
	vnet_rx_fn rx_fn;
	void *rx_arg;
	struct wait_queue wq;
	bool rx_waiting;   /* a thread is blocked in vnet_wait */
	bool device_fence; /* see fence_with_device */
	/* At the last vnet_check: used receive buffers not yet taken, receive buffers taken
	 * so far, the device's receive and transmit used indexes, transmit frames
	 * published and not completed. */
	uint16_t checked_rx_pending, checked_rx_used, checked_tx_used, checked_tx_waiting;
	uint64_t rx_taken, checked_rx_taken;
	uint64_t interrupts, rx_frames, rx_dropped, tx_frames;
	uint64_t rx_lost_notifications, rx_stuck_busy, tx_renotified;
};

static inline bool has(const struct vnet *v, int bit)
{
	return v->features & VIRTIO_BIT(bit);
}

/* vnet_rx_post - receive buffer @index back to the card (published by vnet_rx_publish or
 * the next batch); 0 or the ring's error. vnet_rx_publish - make the posted ones visible
 * and notify the card when it asks. */
int vnet_rx_post(struct vnet *v, int index);
void vnet_rx_publish(struct vnet *v);

/* vnet_csum_finish_segs - the checksum a frame's header asks for, written in place
 * (a frame of @nsegs segments: the sum from @start, stored at @start + @offset). */
void vnet_csum_finish_segs(const struct vnet_seg *segs, int nsegs, uint32_t start, uint32_t offset);

/* vnet_tx_reclaim - take back the frames the card has sent (their slots, copy buffers,
 * and the caller's tokens through the tx-done callback). */
void vnet_tx_reclaim(struct vnet *v);

#endif
