/* virtio_net.c - virtio-net driver (virtio 1.1, 5.1; see virtio_net.h): one receive and one
 * transmit queue, copied transmit buffers, receive buffers kept posted, interrupts only
 * while a thread waits. */
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
#include "virtio/virtio_pci.h"
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

static struct vnet the_vnet;
static bool opened;

static bool has(const struct vnet *v, int bit)
{
	return v->features & VIRTIO_BIT(bit);
}

/* Pages for @bytes, physically contiguous, with the physical address. */
static int dma_alloc(uint64_t bytes, void **virt, uint64_t *phys)
{
	uint64_t pages = (bytes + 4095) / 4096;
	uint64_t contig;
	int err = page_alloc(pages, 1, virt);
	if (err)
		return err;
	if (vm_virt_to_phys(*virt, phys, &contig) || contig < bytes) {
		page_free(*virt, pages);
		return -ENOMEM;
	}
	memset(*virt, 0, pages * 4096);
	return 0;
}

/* Physical address of each @size-byte buffer in an array of @count (none crosses a
 * page, so each is contiguous on its own). */
static int buffers_alloc(int count, uint8_t **base, uint64_t *phys)
{
	uint64_t pages = (uint64_t)count * BUF_BYTES / 4096;
	int err = page_alloc(pages, 1, (void **)base);
	if (err)
		return err;
	for (int i = 0; i < count; i++) {
		err = vm_virt_to_phys(*base + (size_t)i * BUF_BYTES, &phys[i], NULL);
		if (err) {
			page_free(*base, pages);
			return err;
		}
	}
	return 0;
}

static void irq_handler(void *arg)
{
	struct vnet *v = arg;

	v->interrupts++;
	wait_queue_wake_all(&v->wq);
}

/* The device fence of virtq.h: reading the device status is a register access the VMM
 * serves in the device's own context (under TCG: with QEMU's device lock taken, after the
 * vCPU's earlier stores reached memory), so the driver's ring stores before it and the
 * device's after it are ordered; the CPU's fence alone is not, there. */
static void fence_with_device(void *arg)
{
	struct vnet *v = arg;

	(void)v->dev->ops->get_status(v->dev);
}

static int rx_post(struct vnet *v, int index)
{
	struct virtq_seg seg = {v->rx_phys[index], BUF_BYTES};
	int err = virtq_add(&v->rx, &seg, 0, 1, (void *)(uintptr_t)(index + 1));
	if (err)
		return err;
	v->rx_posted++;
	v->rx_unpublished++;
	return 0;
}

static void rx_publish(struct vnet *v)
{
	v->rx_unpublished = 0;
	if (virtq_publish(&v->rx))
		v->dev->ops->notify(v->dev, RXQ);
}

/* 2.6 / 4.1.5.1.3: rings in DMA memory, then their addresses to the device. */
static int queue_init(struct vnet *v, struct virtq *vq, uint16_t index)
{
	uint16_t size = v->dev->ops->queue_max(v->dev, index);
	if (!size)
		return -ENODEV;
	if (size > QUEUE_MAX_SIZE)
		size = QUEUE_MAX_SIZE;
	if (size & (size - 1))
		return -ENODEV; /* split queues have power-of-two sizes (2.6) */
	void *mem;
	uint64_t phys;
	int err = dma_alloc(virtq_mem_bytes(size), &mem, &phys);
	if (err)
		return err;
	err = virtq_init(vq, size, mem, phys, has(v, VIRTIO_F_RING_EVENT_IDX));
	if (!err)
		err = v->dev->ops->queue_setup(v->dev, index, size, vq->desc_phys, vq->avail_phys,
		                               vq->used_phys);
	return err;
}

/* Feature negotiation (3.1.1 step 4, 5.1.3): what the driver can use of what is offered. */
static uint64_t choose_features(struct vnet *v, uint64_t offered)
{
	uint64_t wanted = VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX) |
	                  VIRTIO_BIT(VIRTIO_NET_F_CSUM) | VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM) |
	                  VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4) | VIRTIO_BIT(VIRTIO_NET_F_MAC) |
	                  VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF) | VIRTIO_BIT(VIRTIO_NET_F_STATUS) |
	                  VIRTIO_BIT(VIRTIO_NET_F_MTU);
	uint64_t features = offered & wanted;
	if (!(features & VIRTIO_BIT(VIRTIO_NET_F_CSUM)))
		features &= ~VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4); /* 5.1.3.1: TSO needs CSUM */

	/* 5.1.4.2: the configuration may be read (not written) before FEATURES_OK. An MTU
	 * above what the buffers hold is declined: the device then keeps to 1500. */
	v->mtu = VNET_MAX_MTU;
	if (features & VIRTIO_BIT(VIRTIO_NET_F_MTU)) {
		uint16_t mtu;
		v->dev->ops->read_config(v->dev, CONFIG_MTU, &mtu, 2);
		if (mtu >= 68 && mtu <= VNET_MAX_MTU)
			v->mtu = mtu;
		else
			features &= ~VIRTIO_BIT(VIRTIO_NET_F_MTU);
	}
	return features;
}

static void read_mac(struct vnet *v)
{
	if (has(v, VIRTIO_NET_F_MAC)) {
		for (uint32_t i = 0; i < 6; i++)
			v->dev->ops->read_config(v->dev, CONFIG_MAC + i, &v->mac[i], 1);
		return;
	}
	/* 5.1.5: without VIRTIO_NET_F_MAC the driver picks one: random, locally
	 * administered, unicast. */
	uint64_t r = rdtsc() * 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < 6; i++)
		v->mac[i] = (uint8_t)(r >> (8 * i));
	v->mac[0] = (uint8_t)((v->mac[0] & 0xfe) | 0x02);
}

/* Receive buffers: RX_BUFS, or in a small VM one per 16 free pages (at least
 * RX_BUFS_MIN): at -m 2 the full set would take half of what is left for the server. */
static int rx_buffer_count(void)
{
	uint64_t total, free_pages;

	page_stats(&total, &free_pages);
	uint64_t n = free_pages / 16;
	return n >= RX_BUFS ? RX_BUFS : n <= RX_BUFS_MIN ? RX_BUFS_MIN : (int)n;
}

static int bring_up(struct vnet *v)
{
	const struct virtio_transport_ops *ops = v->dev->ops;
	const char *name = v->dev->name;
	int err;

	/* 3.1.1 steps 1-3: reset, ACKNOWLEDGE (a driver saw it), DRIVER (and can drive it). */
	ops->set_status(v->dev, 0);
	ops->set_status(v->dev, VIRTIO_STATUS_ACKNOWLEDGE);
	ops->set_status(v->dev, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);

	/* Step 4: features. VIRTIO_F_VERSION_1 is required: without it the device speaks the
	 * legacy protocol (other header, other ring rules). */
	uint64_t offered = ops->get_features(v->dev);
	if (!(offered & VIRTIO_BIT(VIRTIO_F_VERSION_1))) {
		kprintf("vnet: %s does not offer VIRTIO_F_VERSION_1 (legacy device)\n", name);
		return -ENODEV;
	}
	v->features = choose_features(v, offered);
	ops->set_features(v->dev, v->features);

	/* Steps 5-6: FEATURES_OK, and read it back: the device may refuse the subset. */
	uint8_t status = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;
	ops->set_status(v->dev, status | VIRTIO_STATUS_FEATURES_OK);
	if (!(ops->get_status(v->dev) & VIRTIO_STATUS_FEATURES_OK)) {
		kprintf("vnet: %s refused features %#lx\n", name, (unsigned long)v->features);
		return -ENODEV;
	}
	status |= VIRTIO_STATUS_FEATURES_OK;

	/* Step 7: device-specific set-up: interrupts before the queues (a queue's MSI-X
	 * vector is given with its addresses), the queues (5.1.2: 0 receive, 1 transmit),
	 * the MAC, receive buffers (5.1.6.3). */
	err = ops->irq_setup(v->dev, irq_handler, v);
	if (err) {
		kprintf("vnet: %s: no interrupt (%d)\n", name, err);
		return err;
	}
	err = queue_init(v, &v->rx, RXQ);
	if (!err)
		err = queue_init(v, &v->tx, TXQ);
	if (err) {
		kprintf("vnet: %s: queue set-up failed (%d)\n", name, err);
		return err;
	}
	read_mac(v);
	v->rx_count = rx_buffer_count();
	err = buffers_alloc(v->rx_count, &v->rx_buf, v->rx_phys);
	if (!err)
		err = buffers_alloc(TX_COPY_BUFS, &v->tx_buf, v->tx_phys);
	if (!err)
		err = dma_alloc(TX_SLOTS * sizeof(struct vnet_hdr), (void **)&v->tx_hdrs,
		                &v->tx_hdrs_phys);
	if (err) {
		kprintf("vnet: %s: no memory for buffers (%d)\n", name, err);
		return err;
	}
	for (int i = 0; i < TX_COPY_BUFS; i++)
		v->tx_copy_free[i] = (uint16_t)i;
	v->tx_copy_free_count = TX_COPY_BUFS;
	for (int i = 0; i < TX_SLOTS; i++)
		v->tx_slot_free[i] = (uint16_t)i;
	v->tx_slot_free_count = TX_SLOTS;
	for (int i = 0; i < v->rx_count && i < v->rx.size; i++)
		rx_post(v, i);
	/* Transmit completions are reclaimed when convenient, receive ones waited for only
	 * in vnet_wait: both start quiet. */
	virtq_interrupts_off(&v->tx);
	virtq_interrupts_off(&v->rx);
	/* Under QEMU's TCG the CPU's fences do not order the driver with the device model
	 * (one vCPU: it emits no host fence), and a notification is lost when both sides
	 * miss each other's store: the receive ring then fills and nobody empties it. */
	v->device_fence = cpu_features()->tcg;
	if (v->device_fence) {
		virtq_set_device_fence(&v->rx, fence_with_device, v);
		virtq_set_device_fence(&v->tx, fence_with_device, v);
	}

	/* Step 8: DRIVER_OK; the device may use the queues from here on. */
	ops->set_status(v->dev, status | VIRTIO_STATUS_DRIVER_OK);
	if (ops->get_status(v->dev) & VIRTIO_STATUS_DEVICE_NEEDS_RESET) {
		kprintf("vnet: %s needs a reset right after set-up\n", name);
		return -EIO;
	}
	rx_publish(v);
	return 0;
}

/* The first virtio-net device: on PCI bus 0 when there is a PCI bus, else (or when it
 * has none) among the virtio-mmio devices the command line names. */
static int find_device(struct virtio_dev **dev)
{
	bool pci = pci_present();
	int mmio = virtio_mmio_count();
	int err = -ENODEV;

	if (pci)
		err = virtio_pci_find(VIRTIO_ID_NET, 0, dev);
	if (err == -ENODEV && mmio)
		err = virtio_mmio_find(VIRTIO_ID_NET, 0, dev);
	if (err != -ENODEV)
		return err;
	if (pci && !mmio)
		kprintf("vnet: no usable virtio-net device on PCI bus 0\n");
	else if (pci)
		kprintf("vnet: no usable virtio-net device on PCI bus 0 or virtio-mmio\n");
	else if (mmio)
		kprintf("vnet: no usable virtio-net device among the virtio-mmio devices\n");
	else
		kprintf("vnet: no usable virtio-net device: no PCI bus, and no virtio_mmio.device= "
		        "on the command line (QEMU's microvm adds them with acpi=off)\n");
	return -ENODEV;
}

int vnet_open(struct vnet **out)
{
	struct vnet *v = &the_vnet;

	if (opened) {
		*out = v;
		return 0;
	}
	int err = find_device(&v->dev);
	if (err)
		return err;
	v->wq = (struct wait_queue)WAIT_QUEUE_INIT;
	err = bring_up(v);
	if (err) {
		/* 3.1.1: FAILED tells the device the driver gave up on it. */
		v->dev->ops->set_status(v->dev,
		                        v->dev->ops->get_status(v->dev) | VIRTIO_STATUS_FAILED);
		return err == -ENOMEM ? err : (err == -EIO ? -EIO : -ENODEV);
	}
	opened = true;
	*out = v;
	return 0;
}

const uint8_t *vnet_mac(const struct vnet *v)
{
	return v->mac;
}

bool vnet_link_up(struct vnet *v)
{
	if (!has(v, VIRTIO_NET_F_STATUS))
		return true;
	uint16_t status;
	v->dev->ops->read_config(v->dev, CONFIG_STATUS, &status, 2);
	return status & VIRTIO_NET_S_LINK_UP;
}

uint16_t vnet_mtu(const struct vnet *v)
{
	return v->mtu;
}

bool vnet_tx_csum_offload(const struct vnet *v)
{
	return has(v, VIRTIO_NET_F_CSUM);
}

bool vnet_rx_csum_offload(const struct vnet *v)
{
	return has(v, VIRTIO_NET_F_GUEST_CSUM);
}

bool vnet_tso(const struct vnet *v)
{
	return has(v, VIRTIO_NET_F_HOST_TSO4);
}

void vnet_set_receiver(struct vnet *v, vnet_rx_fn fn, void *arg)
{
	v->rx_fn = fn;
	v->rx_arg = arg;
}

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
static void csum_finish_segs(const struct vnet_seg *segs, int nsegs, uint32_t start,
                             uint32_t offset)
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

static void tx_reclaim(struct vnet *v)
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
		tx_reclaim(v);
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
		csum_finish_segs(final, nfinal, off->csum_start, off->csum_offset);
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
		rx_post(v, index);
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
				rx_post(v, index);
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
			rx_post(v, next);
		}
		frame = v->reasm;
	}
	bool valid = false;
	if (fits && (hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
		/* A partial checksum (5.1.6.4.1): finish it here, the stack cannot. */
		if ((uint32_t)hdr.csum_start + hdr.csum_offset + 2 <= flen) {
			struct vnet_seg whole = {frame, flen};
			csum_finish_segs(&whole, 1, hdr.csum_start, hdr.csum_offset);
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
	rx_post(v, index);
	return delivered;
}

int vnet_poll(struct vnet *v, int budget)
{
	int frames = 0;
	void *cookie;
	uint32_t len;
	int r = 0;

	tx_reclaim(v);
	while (budget <= 0 || frames < budget) {
		r = virtq_harvest(&v->rx, &cookie, &len);
		if (r <= 0)
			break;
		r = rx_one(v, (int)((uintptr_t)cookie - 1), len);
		if (r < 0)
			break;
		frames += r;
		if (v->rx_unpublished >= RX_BATCH)
			rx_publish(v);
	}
	if (v->rx_unpublished)
		rx_publish(v);
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
