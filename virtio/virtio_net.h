/* virtio_net.h - the network device (virtio 1.1, 5.1): Ethernet frames in and out of the
 * first virtio-net device, for the network stack's glue (net/).
 *
 * Model: one thread at a time calls these functions (the scheduler is cooperative, so no
 * locks are needed); none may be called from an interrupt handler. Frames go out with
 * vnet_transmit: by reference (the device reads the caller's memory, which stays
 * untouched until the transmit-done callback returns the caller's token) or, without a
 * token, copied (the caller's memory is free again on return).
 * Frames come in through vnet_poll, which hands each one to the receiver set with
 * vnet_set_receiver and then gives its buffer back to the device. A thread with nothing
 * to do blocks in vnet_wait until the device interrupts (a frame arrived, transmit room
 * freed up, the link changed) or a deadline passes.
 *
 * Frames are Ethernet frames from the destination MAC to the end of the payload, without
 * the frame check sequence: at most VNET_MAX_FRAME bytes (vnet_mtu() + 14). */
#ifndef VIRTIO_VIRTIO_NET_H
#define VIRTIO_VIRTIO_NET_H

#include <stdbool.h>
#include <stdint.h>

#define VNET_ETH_HLEN  14
#define VNET_MAX_MTU   1500
#define VNET_MAX_FRAME (VNET_MAX_MTU + VNET_ETH_HLEN)
#define VNET_MAX_SEGS  24    /* pieces of one frame, at most */
#define VNET_MAX_GSO   65535 /* bytes of a segmentation offload frame after Ethernet */

struct vnet;

/* One piece of an outgoing frame (the pieces are concatenated). */
struct vnet_seg {
	const void *data;
	uint32_t len;
};

/* Offloads for one outgoing frame (virtio 1.1 5.1.6.2).
 * Checksum, as with VIRTIO_NET_HDR_F_NEEDS_CSUM: the 16-bit ones' complement sum of the
 * frame's bytes from @csum_start to its end, folded and inverted, is stored at
 * @csum_start + @csum_offset. The caller leaves the pseudo-header sum (not inverted) in
 * that field, as for a TCP or UDP checksum: start = offset of the TCP/UDP header, offset =
 * 16 (TCP) or 6 (UDP).
 * Segmentation (VIRTIO_NET_HDR_GSO_TCPV4, @gso_size not 0; needs vnet_tso()): the frame is
 * one IPv4 TCP segment of up to VNET_MAX_GSO bytes, which the host cuts into segments of
 * @gso_size payload bytes, each with the @hdr_len bytes of headers (Ethernet, IP, TCP)
 * adjusted; the checksum fields above must describe the TCP checksum. */
struct vnet_tx_offload {
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t gso_size;
	uint16_t hdr_len;
};

/* The receiver: called from vnet_poll for each frame, with @frame valid only until it
 * returns. @csum_valid: the device checked the frame's TCP/UDP checksum (or the driver
 * completed a partial one), so the stack may skip checking it; false says nothing either
 * way. It may call vnet_transmit, but not vnet_poll or vnet_wait. */
typedef void (*vnet_rx_fn)(void *arg, const void *frame, uint32_t len, bool csum_valid);

/* The transmit-done callback: the device has read the frame sent with @token. Called
 * from vnet_transmit and vnet_poll (so in their caller's context). */
typedef void (*vnet_tx_done_fn)(void *arg, void *token);

/* What the device and driver agreed on, for reports and tests. */
struct vnet_info {
	const char *device;   /* "virtio-pci 00:03.0" */
	const char *irq_mode; /* "msi-x", "intx" (PCI) or "ioapic" (virtio-mmio) */
	uint64_t features;    /* negotiated feature bits */
	uint16_t rx_queue_size, tx_queue_size;
	uint16_t rx_posted;   /* receive buffers given to the device and not yet taken back */
	uint16_t rx_pending;  /* of those, used by the device and waiting for vnet_poll */
	uint16_t tx_inflight; /* frames published to the device and not yet reclaimed */
	bool device_fence;    /* ring handshakes also read a device register (virtq.h) */
	bool rx_waiting;      /* a thread is blocked in vnet_wait */
	uint64_t interrupts;
	uint64_t rx_frames, rx_dropped, tx_frames;
	/* Found by vnet_check: used receive buffers not taken for a whole check interval,
	 * with the receiver waiting for an interrupt (a lost notification: it was woken) or
	 * busy elsewhere; published frames the device did not take (notified again). */
	uint64_t rx_lost_notifications, rx_stuck_busy, tx_renotified;
};

/* vnet_open - bring up the first virtio-net device (once; later calls return the same
 * device): on PCI bus 0 when there is PCI, else among the virtio-mmio devices of the
 * command line (virtio/virtio_mmio.h). Returns 0 and the device in @out; -ENODEV when
 * there is no usable device (a message says why: none found, legacy-only, no
 * VIRTIO_F_VERSION_1, refused features), -ENOMEM when memory for rings and buffers runs
 * out, -EIO when the device fails during set-up. */
int vnet_open(struct vnet **out);

/* vnet_mac - the device's MAC address (6 bytes; from the device, or a random locally
 * administered one when it offers none). */
const uint8_t *vnet_mac(const struct vnet *v);

/* vnet_link_up - whether the link is up (always true when the device does not report
 * link status, VIRTIO_NET_F_STATUS). */
bool vnet_link_up(struct vnet *v);

/* vnet_mtu - the largest payload of a frame: the device's MTU when it gives one
 * (VIRTIO_NET_F_MTU) and it is smaller, else VNET_MAX_MTU. */
uint16_t vnet_mtu(const struct vnet *v);

/* vnet_tx_csum_offload / vnet_rx_csum_offload - whether the device finishes transmit
 * checksums (VIRTIO_NET_F_CSUM; vnet_transmit computes them itself otherwise) / checks
 * received ones (VIRTIO_NET_F_GUEST_CSUM: csum_valid may be true). */
bool vnet_tx_csum_offload(const struct vnet *v);
bool vnet_rx_csum_offload(const struct vnet *v);

/* vnet_tso - whether the device cuts large IPv4 TCP frames into segments
 * (VIRTIO_NET_F_HOST_TSO4, offered with VIRTIO_NET_F_CSUM: QEMU's tap and vhost backends,
 * not its user networking). */
bool vnet_tso(const struct vnet *v);

/* vnet_set_receiver - who gets received frames (NULL: they are dropped). */
void vnet_set_receiver(struct vnet *v, vnet_rx_fn fn, void *arg);

/* vnet_set_tx_done - who hears that a frame sent by reference is done with. */
void vnet_set_tx_done(struct vnet *v, vnet_tx_done_fn fn, void *arg);

/* vnet_transmit - queue one frame made of @nsegs (1 to VNET_MAX_SEGS) pieces, with
 * optional offloads (@off may be NULL; a checksum without VIRTIO_NET_F_CSUM is finished
 * here, in the frame's own memory). With a @token the frame is sent by
 * reference: its memory must be in the linear range (heap, pages, the image; not a
 * stack) and stay unchanged until the transmit-done callback gets @token. Without one it
 * is copied. Queued frames go to the device in batches: the caller calls vnet_flush when
 * it has nothing more to send for now (one notification for many frames: each costs the
 * hypervisor an exit). Returns 0; -EAGAIN when the transmit queue is full (what was
 * queued has been flushed: try again after vnet_poll or vnet_wait); -EFAULT for a frame
 * by reference outside the linear range (send it by copy); -EINVAL for no pieces or too
 * many, an empty frame, one longer than vnet_mtu() + 14 bytes (VNET_MAX_GSO + 14 with
 * segmentation), segmentation the device does not do or without headers, a copied
 * segmentation frame, or a checksum position outside the frame. */
int vnet_transmit(struct vnet *v, const struct vnet_seg *segs, int nsegs,
                  const struct vnet_tx_offload *off, void *token);

/* vnet_flush - hand the frames queued by vnet_transmit to the device now. */
void vnet_flush(struct vnet *v);

/* vnet_poll - reclaim sent buffers, hand up to @budget received frames (0: all waiting)
 * to the receiver, and give their buffers back to the device. Returns how many frames
 * were handed over, or -EIO when the device broke the ring protocol. */
int vnet_poll(struct vnet *v, int budget);

/* vnet_wait - block until the device may have work for vnet_poll (a received frame,
 * transmit buffers freed while all were in flight, a link change) or, when @deadline_tsc
 * is not 0, until the TSC reaches it. Returns 0 at once when work is already waiting, 0
 * when woken, -ETIMEDOUT at the deadline. Wake-ups can be spurious: poll, then wait. */
int vnet_wait(struct vnet *v, uint64_t deadline_tsc);

/* What vnet_check found this time (bits). */
#define VNET_CHECK_RX_LOST_NOTIFICATION 1 /* used buffers, receiver waiting: woken */
#define VNET_CHECK_RX_STUCK_BUSY        2 /* used buffers, receiver not in vnet_wait */
#define VNET_CHECK_RX_RING_EMPTY        4 /* ... and the device holds no buffer at all */
#define VNET_CHECK_TX_RENOTIFIED        8 /* published frames not taken: notified again */

/* vnet_check - the driver's watchdog, called about once a second by a thread other than
 * the receiver (it does not block). Compared with the previous call: receive buffers the
 * device used that nobody took since then (a lost notification wakes the receiver; a
 * receiver blocked elsewhere, say on the network stack's lock, can only be reported),
 * and transmit frames the device has not taken since then (a lost available-buffer
 * notification: the queue is notified again). The receive queue is notified again too
 * when the device took no buffer in the interval (idle, or a lost notification that
 * nothing shows). Every finding is counted (vnet_get_info). Returns VNET_CHECK_* bits. */
int vnet_check(struct vnet *v);

/* vnet_get_info - fill @out with the device's current figures. */
void vnet_get_info(const struct vnet *v, struct vnet_info *out);

#endif
