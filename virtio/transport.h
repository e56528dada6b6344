/* transport.h - what a virtio device driver needs from a transport (virtio 1.1, 4: PCI,
 * MMIO...), as a small table of operations, so that ring and device code never touch
 * ports or registers and a virtio-mmio transport can be added beside virtio_pci.c.
 *
 * All operations run in thread context and do not sleep. Multi-byte values are in the
 * CPU's order (the transport converts; x86 and virtio 1.x are both little-endian). */
#ifndef VIRTIO_TRANSPORT_H
#define VIRTIO_TRANSPORT_H

#include <stdbool.h>
#include <stdint.h>

struct virtio_dev;

struct virtio_transport_ops {
	/* Device status (2.1); writing 0 resets the device and waits for the reset to
	 * finish (4.1.4.3.2). */
	uint8_t (*get_status)(struct virtio_dev *dev);
	void (*set_status)(struct virtio_dev *dev, uint8_t status);
	/* All 64 feature bits the device offers / the subset the driver accepts (2.2). */
	uint64_t (*get_features)(struct virtio_dev *dev);
	void (*set_features)(struct virtio_dev *dev, uint64_t features);
	/* Device-specific configuration (2.4): @len bytes at @off; a field of 1, 2 or 4
	 * bytes is read in one access, and reads repeat until the configuration
	 * generation is stable. */
	void (*read_config)(struct virtio_dev *dev, uint32_t off, void *buf, uint32_t len);
	void (*write_config)(struct virtio_dev *dev, uint32_t off, const void *buf, uint32_t len);
	/* Largest size of queue @index, 0 when the device has no such queue. */
	uint16_t (*queue_max)(struct virtio_dev *dev, uint16_t index);
	/* Tell the device about queue @index: @size entries, the three rings' physical
	 * addresses, its interrupt (the one from irq_setup); then enable it. Returns 0 or
	 * -errno (-EIO when the device refuses the interrupt vector). */
	int (*queue_setup)(struct virtio_dev *dev, uint16_t index, uint16_t size, uint64_t desc,
	                   uint64_t avail, uint64_t used);
	/* Available-buffer notification for queue @index (2.3). */
	void (*notify)(struct virtio_dev *dev, uint16_t index);
	/* Route the device's interrupts (every queue and configuration changes) so that
	 * @fn(@arg) runs in thread context when one arrives (kernel/irq.h); the transport
	 * acknowledges the device itself (reads the ISR status under INTx, writes
	 * InterruptACK on virtio-mmio). Call after FEATURES_OK and before queue_setup.
	 * Returns 0 or -errno. */
	int (*irq_setup)(struct virtio_dev *dev, void (*fn)(void *), void *arg);
};

struct virtio_dev {
	const struct virtio_transport_ops *ops;
	uint16_t type;        /* VIRTIO_ID_NET... */
	const char *irq_mode; /* "msi-x", "intx", "ioapic" or "none", for messages */
	char name[24];        /* "virtio-pci 00:03.0", "virtio-mmio 0xfeb00e00" */
};

#endif
