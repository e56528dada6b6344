/* virtio_net.c - virtio-net driver (virtio 1.1, 5.1; see virtio_net.h): one receive and one
 * transmit queue, copied transmit buffers, receive buffers kept posted, interrupts only
 * while a thread waits. This file brings the card up and answers for its properties;
 * virtio_net_tx.c transmits, virtio_net_rx.c receives and waits. */
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

static struct vnet the_vnet;
static bool opened;

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
	int err = vm_dma_alloc(virtq_mem_bytes(size), &mem, &phys);
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
		err = vm_dma_alloc(TX_SLOTS * sizeof(struct vnet_hdr), (void **)&v->tx_hdrs,
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
		vnet_rx_post(v, i);
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
	vnet_rx_publish(v);
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
