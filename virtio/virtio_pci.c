/* virtio_pci.c - the virtio 1.x PCI transport (virtio 1.1, 4.1; see virtio_pci.h).
 *
 * The device describes where its structures are with vendor-specific PCI capabilities
 * (4.1.4): common configuration, notifications, ISR status and device configuration,
 * each a window into one of its memory BARs. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/console.h"
#include "kernel/irq.h"
#include "virtio/pci.h"
#include "virtio/virtio.h"
#include "virtio/virtio_pci.h"

#define VIRTIO_PCI_VENDOR      0x1af4
#define VIRTIO_PCI_FIRST_ID    0x1000 /* 0x1000-0x103f transitional, 0x1040+type modern */
#define VIRTIO_PCI_MODERN_BASE 0x1040
#define VIRTIO_PCI_LAST_ID     0x107f

/* 4.1.4: struct virtio_pci_cap, and the types of structure it points at. */
#define CAP_CFG_TYPE    3
#define CAP_BAR         4
#define CAP_OFFSET      8
#define CAP_LENGTH      12
#define CAP_NOTIFY_MULT 16
#define CFG_TYPE_COMMON 1
#define CFG_TYPE_NOTIFY 2
#define CFG_TYPE_ISR    3
#define CFG_TYPE_DEVICE 4

/* 4.1.4.3: struct virtio_pci_common_cfg. */
#define COMMON_DFSELECT      0x00
#define COMMON_DF            0x04
#define COMMON_GFSELECT      0x08
#define COMMON_GF            0x0c
#define COMMON_MSIX_CONFIG   0x10
#define COMMON_NUM_QUEUES    0x12
#define COMMON_STATUS        0x14
#define COMMON_CFG_GEN       0x15
#define COMMON_Q_SELECT      0x16
#define COMMON_Q_SIZE        0x18
#define COMMON_Q_MSIX_VECTOR 0x1a
#define COMMON_Q_ENABLE      0x1c
#define COMMON_Q_NOTIFY_OFF  0x1e
#define COMMON_Q_DESC        0x20
#define COMMON_Q_DRIVER      0x28
#define COMMON_Q_DEVICE      0x30

#define VIRTIO_MSI_NO_VECTOR 0xffff
#define ISR_QUEUE            1
#define ISR_CONFIG           2

#define MAX_DEVICES 8
#define MAX_QUEUES  8

struct virtio_pci {
	struct virtio_dev vdev; /* first: the ops get this pointer */
	struct pci_dev pci;
	volatile uint8_t *common;
	volatile uint8_t *notify;
	uint32_t notify_mult;
	volatile uint8_t *isr;
	volatile uint8_t *device;
	uint32_t device_len;
	bool msix;
	uint16_t notify_off[MAX_QUEUES];
	void (*fn)(void *);
	void *arg;
};

static struct virtio_pci devices[MAX_DEVICES];
static int device_count;

static struct virtio_pci *vpci(struct virtio_dev *dev)
{
	return (struct virtio_pci *)dev;
}

static uint8_t rd8(volatile uint8_t *base, uint32_t off)
{
	return base[off];
}

static uint16_t rd16(volatile uint8_t *base, uint32_t off)
{
	return *(volatile uint16_t *)(base + off);
}

static uint32_t rd32(volatile uint8_t *base, uint32_t off)
{
	return *(volatile uint32_t *)(base + off);
}

static void wr8(volatile uint8_t *base, uint32_t off, uint8_t v)
{
	base[off] = v;
}

static void wr16(volatile uint8_t *base, uint32_t off, uint16_t v)
{
	*(volatile uint16_t *)(base + off) = v;
}

static void wr32(volatile uint8_t *base, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

/* 64-bit fields are written as two 32-bit halves, low first (4.1.3.1). */
static void wr64(volatile uint8_t *base, uint32_t off, uint64_t v)
{
	wr32(base, off, (uint32_t)v);
	wr32(base, off + 4, (uint32_t)(v >> 32));
}

static uint8_t op_get_status(struct virtio_dev *dev)
{
	return rd8(vpci(dev)->common, COMMON_STATUS);
}

static void op_set_status(struct virtio_dev *dev, uint8_t status)
{
	struct virtio_pci *p = vpci(dev);

	wr8(p->common, COMMON_STATUS, status);
	/* 4.1.4.3.2: after writing 0, wait until the device reads back 0. */
	for (int i = 0; status == 0 && i < 1000000 && rd8(p->common, COMMON_STATUS); i++)
		__asm__ volatile("pause");
}

static uint64_t op_get_features(struct virtio_dev *dev)
{
	struct virtio_pci *p = vpci(dev);

	wr32(p->common, COMMON_DFSELECT, 0);
	uint64_t lo = rd32(p->common, COMMON_DF);
	wr32(p->common, COMMON_DFSELECT, 1);
	return lo | (uint64_t)rd32(p->common, COMMON_DF) << 32;
}

static void op_set_features(struct virtio_dev *dev, uint64_t features)
{
	struct virtio_pci *p = vpci(dev);

	wr32(p->common, COMMON_GFSELECT, 0);
	wr32(p->common, COMMON_GF, (uint32_t)features);
	wr32(p->common, COMMON_GFSELECT, 1);
	wr32(p->common, COMMON_GF, (uint32_t)(features >> 32));
}

/* One field per access at its own width (4.1.3.1); bytes otherwise. */
static void config_access(struct virtio_pci *p, uint32_t off, uint8_t *buf, uint32_t len,
                          bool write)
{
	if (off > p->device_len || len > p->device_len - off)
		return;
	if (len == 2 || len == 4) {
		uint32_t v = 0;
		if (write) {
			for (uint32_t i = 0; i < len; i++)
				v |= (uint32_t)buf[i] << (8 * i);
			if (len == 2)
				wr16(p->device, off, (uint16_t)v);
			else
				wr32(p->device, off, v);
			return;
		}
		v = len == 2 ? rd16(p->device, off) : rd32(p->device, off);
		for (uint32_t i = 0; i < len; i++)
			buf[i] = (uint8_t)(v >> (8 * i));
		return;
	}
	for (uint32_t i = 0; i < len; i++) {
		if (write)
			wr8(p->device, off + i, buf[i]);
		else
			buf[i] = rd8(p->device, off + i);
	}
}

static void op_read_config(struct virtio_dev *dev, uint32_t off, void *buf, uint32_t len)
{
	struct virtio_pci *p = vpci(dev);
	uint8_t gen;

	/* 2.4.1: repeat until config_generation is the same before and after. */
	do {
		gen = rd8(p->common, COMMON_CFG_GEN);
		config_access(p, off, buf, len, false);
	} while (rd8(p->common, COMMON_CFG_GEN) != gen);
}

static void op_write_config(struct virtio_dev *dev, uint32_t off, const void *buf, uint32_t len)
{
	config_access(vpci(dev), off, (uint8_t *)(uintptr_t)buf, len, true);
}

static uint16_t op_queue_max(struct virtio_dev *dev, uint16_t index)
{
	struct virtio_pci *p = vpci(dev);

	if (index >= MAX_QUEUES || index >= rd16(p->common, COMMON_NUM_QUEUES))
		return 0;
	wr16(p->common, COMMON_Q_SELECT, index);
	return rd16(p->common, COMMON_Q_SIZE);
}

/* 4.1.5.1.3: select, size, vector, ring addresses, enable. */
static int op_queue_setup(struct virtio_dev *dev, uint16_t index, uint16_t size, uint64_t desc,
                          uint64_t avail, uint64_t used)
{
	struct virtio_pci *p = vpci(dev);

	if (!op_queue_max(dev, index) || size > op_queue_max(dev, index))
		return -EINVAL;
	wr16(p->common, COMMON_Q_SELECT, index);
	wr16(p->common, COMMON_Q_SIZE, size);
	if (p->msix) {
		/* 4.1.4.3: the device answers NO_VECTOR when it cannot use the entry. */
		wr16(p->common, COMMON_Q_MSIX_VECTOR, 0);
		if (rd16(p->common, COMMON_Q_MSIX_VECTOR) != 0)
			return -EIO;
	}
	wr64(p->common, COMMON_Q_DESC, desc);
	wr64(p->common, COMMON_Q_DRIVER, avail);
	wr64(p->common, COMMON_Q_DEVICE, used);
	p->notify_off[index] = rd16(p->common, COMMON_Q_NOTIFY_OFF);
	wr16(p->common, COMMON_Q_ENABLE, 1);
	return 0;
}

/* 4.1.4.4: the queue's notification address is notify_off times the multiplier. */
static void op_notify(struct virtio_dev *dev, uint16_t index)
{
	struct virtio_pci *p = vpci(dev);

	if (index < MAX_QUEUES)
		wr16(p->notify, (uint32_t)p->notify_off[index] * p->notify_mult, index);
}

/* INTx: reading the ISR status acknowledges the interrupt and drops the line
 * (4.1.4.5); a zero means the line is shared and this device did not raise it. */
static void intx_handler(void *arg)
{
	struct virtio_pci *p = arg;

	if (rd8(p->isr, 0) & (ISR_QUEUE | ISR_CONFIG))
		p->fn(p->arg);
}

static int op_irq_setup(struct virtio_dev *dev, void (*fn)(void *), void *arg)
{
	struct virtio_pci *p = vpci(dev);
	unsigned vector;
	int err;

	p->fn = fn;
	p->arg = arg;
	/* MSI-X when the device has it: entry 0 for configuration changes and every
	 * queue, delivered straight to the handler. */
	if (pci_cap_find(&p->pci, PCI_CAP_ID_MSIX, 0)) {
		err = irq_alloc(fn, arg, &vector);
		if (err)
			return err;
		err = pci_msix_route(&p->pci, 0, vector);
		if (!err) {
			wr16(p->common, COMMON_MSIX_CONFIG, 0);
			if (rd16(p->common, COMMON_MSIX_CONFIG) == 0) {
				p->msix = true;
				dev->irq_mode = "msi-x";
				pci_enable(&p->pci, false);
				return 0;
			}
			wr16(p->common, COMMON_MSIX_CONFIG, VIRTIO_MSI_NO_VECTOR);
		}
		kprintf("%s: MSI-X refused (%d); trying INTx\n", dev->name, err);
	}
	/* INTx through the I/O APIC: the firmware wrote the line it routed the pin to
	 * into the interrupt line register (ISA IRQ n is I/O APIC input n). */
	uint8_t pin = pci_read8(&p->pci, PCI_INTERRUPT_PIN);
	uint8_t line = pci_read8(&p->pci, PCI_INTERRUPT_LINE);
	if (!pin || line == 0xff || line >= 24) {
		kprintf("%s: no MSI-X and no routed INTx line (pin %u, line %u)\n", dev->name, pin,
		        line);
		return -ENODEV;
	}
	err = irq_alloc(intx_handler, p, &vector);
	if (err)
		return err;
	err = irq_route_level(line, vector);
	if (err) {
		kprintf("%s: cannot route INTx line %u (%d)\n", dev->name, line, err);
		return err;
	}
	dev->irq_mode = "intx";
	pci_enable(&p->pci, true);
	return 0;
}

static const struct virtio_transport_ops virtio_pci_ops = {
    .get_status = op_get_status,
    .set_status = op_set_status,
    .get_features = op_get_features,
    .set_features = op_set_features,
    .read_config = op_read_config,
    .write_config = op_write_config,
    .queue_max = op_queue_max,
    .queue_setup = op_queue_setup,
    .notify = op_notify,
    .irq_setup = op_irq_setup,
};

/* The virtio device type of a PCI function, 0 when it is not a virtio device (4.1.2). */
static uint16_t virtio_type(const struct pci_dev *d)
{
	if (d->vendor != VIRTIO_PCI_VENDOR || d->device < VIRTIO_PCI_FIRST_ID ||
	    d->device > VIRTIO_PCI_LAST_ID)
		return 0;
	if (d->device >= VIRTIO_PCI_MODERN_BASE)
		return (uint16_t)(d->device - VIRTIO_PCI_MODERN_BASE);
	return pci_read16(d, PCI_SUBSYSTEM_ID); /* transitional: the type is here */
}

/* 4.1.4: walk the vendor capabilities; map the first structure of each type. */
static int map_structures(struct virtio_pci *p)
{
	volatile void *bars[PCI_BAR_COUNT] = {0};

	for (uint8_t cap = pci_cap_find(&p->pci, PCI_CAP_ID_VENDOR, 0); cap;
	     cap = pci_cap_find(&p->pci, PCI_CAP_ID_VENDOR, cap)) {
		uint8_t type = pci_read8(&p->pci, (uint8_t)(cap + CAP_CFG_TYPE));
		uint8_t bar = pci_read8(&p->pci, (uint8_t)(cap + CAP_BAR));
		uint32_t off = pci_read32(&p->pci, (uint8_t)(cap + CAP_OFFSET));
		uint32_t len = pci_read32(&p->pci, (uint8_t)(cap + CAP_LENGTH));
		volatile uint8_t **slot = type == CFG_TYPE_COMMON   ? &p->common
		                          : type == CFG_TYPE_NOTIFY ? &p->notify
		                          : type == CFG_TYPE_ISR    ? &p->isr
		                          : type == CFG_TYPE_DEVICE ? &p->device
		                                                    : NULL;
		if (!slot || *slot || bar >= PCI_BAR_COUNT)
			continue;
		if (!bars[bar]) {
			int err = pci_bar_map(&p->pci, bar, &bars[bar]);
			if (err)
				continue; /* an I/O BAR: 4.1.4.1 lets us skip it */
		}
		*slot = (volatile uint8_t *)bars[bar] + off;
		if (type == CFG_TYPE_NOTIFY)
			p->notify_mult = pci_read32(&p->pci, (uint8_t)(cap + CAP_NOTIFY_MULT));
		if (type == CFG_TYPE_DEVICE)
			p->device_len = len;
	}
	return p->common && p->notify && p->isr ? 0 : -ENODEV;
}

int virtio_pci_find(uint16_t type, int index, struct virtio_dev **out)
{
	struct pci_dev funcs[32];
	int n = pci_scan(funcs, 32);
	char bdf[8];

	if (n > 32)
		n = 32;
	for (int i = 0; i < n; i++) {
		if (virtio_type(&funcs[i]) != type || index-- > 0)
			continue;
		for (int k = 0; k < device_count; k++) {
			struct pci_dev *d = &devices[k].pci;
			if (d->slot == funcs[i].slot && d->func == funcs[i].func) {
				*out = &devices[k].vdev;
				return 0;
			}
		}
		if (device_count == MAX_DEVICES)
			return -ENOMEM;
		struct virtio_pci *p = &devices[device_count];
		*p = (struct virtio_pci){0};
		p->pci = funcs[i];
		p->vdev.ops = &virtio_pci_ops;
		p->vdev.type = type;
		p->vdev.irq_mode = "none";
		ksnprintf(p->vdev.name, sizeof(p->vdev.name), "virtio-pci %s",
		          pci_name(&p->pci, bdf));
		pci_enable(&p->pci, true);
		if (map_structures(p)) {
			kprintf("%s: the device (id %04x) offers only the legacy virtio interface, "
			        "which VMOS does not drive; give it the modern one (QEMU: do not "
			        "set disable-modern=on)\n",
			        p->vdev.name, p->pci.device);
			return -ENODEV;
		}
		device_count++;
		*out = &p->vdev;
		return 0;
	}
	return -ENODEV;
}
