/* virtio_mmio.c - the virtio 1.x MMIO transport (virtio 1.1, 4.2; see virtio_mmio.h).
 *
 * Every register is 32 bits wide and read or written in one access (4.2.2.2); the
 * device configuration follows at 0x100. The devices are taken from the command line
 * once, on the first call, and probed then: magic, version, device type. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "mm/vm.h"
#include "virtio/mmio_param.h"
#include "virtio/virtio.h"
#include "virtio/virtio_mmio.h"

/* 4.2.2: the register layout. */
#define REG_MAGIC             0x000
#define REG_VERSION           0x004
#define REG_DEVICE_ID         0x008
#define REG_DEVICE_FEATURES   0x010
#define REG_DEVICE_FEAT_SEL   0x014
#define REG_DRIVER_FEATURES   0x020
#define REG_DRIVER_FEAT_SEL   0x024
#define REG_QUEUE_SEL         0x030
#define REG_QUEUE_NUM_MAX     0x034
#define REG_QUEUE_NUM         0x038
#define REG_QUEUE_READY       0x044
#define REG_QUEUE_NOTIFY      0x050
#define REG_INTERRUPT_STATUS  0x060
#define REG_INTERRUPT_ACK     0x064
#define REG_STATUS            0x070
#define REG_QUEUE_DESC_LOW    0x080
#define REG_QUEUE_DRIVER_LOW  0x090
#define REG_QUEUE_DEVICE_LOW  0x0a0
#define REG_CONFIG_GENERATION 0x0fc
#define REG_CONFIG            0x100

#define MMIO_MAGIC          0x74726976u /* "virt" */
#define MMIO_VERSION_LEGACY 1
#define MMIO_VERSION_MODERN 2
#define INT_USED_BUFFER     1
#define INT_CONFIG_CHANGE   2

#define MAX_DEVICES 32 /* CMDLINE_MAX_DEVICE_WORDS: QEMU's microvm has 24 transports */
#define KEY         "virtio_mmio.device"

struct virtio_mmio {
	struct virtio_dev vdev; /* first: the ops get this pointer */
	struct mmio_param param;
	volatile uint8_t *regs;
	uint32_t version;
	uint32_t device_id; /* 0: an empty transport (4.2.3.1.1) */
	void (*fn)(void *);
	void *arg;
};

static struct virtio_mmio devices[MAX_DEVICES];
static int device_count;
static int word_count = -1; /* -1: the command line not read yet */

static struct virtio_mmio *vmmio(struct virtio_dev *dev)
{
	return (struct virtio_mmio *)dev;
}

static uint32_t rd32(struct virtio_mmio *m, uint32_t off)
{
	return *(volatile uint32_t *)(m->regs + off);
}

static void wr32(struct virtio_mmio *m, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(m->regs + off) = v;
}

/* 64-bit addresses are two 32-bit registers, low then high. */
static void wr64(struct virtio_mmio *m, uint32_t off, uint64_t v)
{
	wr32(m, off, (uint32_t)v);
	wr32(m, off + 4, (uint32_t)(v >> 32));
}

static uint8_t op_get_status(struct virtio_dev *dev)
{
	return (uint8_t)rd32(vmmio(dev), REG_STATUS);
}

static void op_set_status(struct virtio_dev *dev, uint8_t status)
{
	struct virtio_mmio *m = vmmio(dev);

	wr32(m, REG_STATUS, status);
	/* 4.2.3.1.1 / 2.1.2: after writing 0, wait until the device reads back 0. */
	for (int i = 0; status == 0 && i < 1000000 && rd32(m, REG_STATUS); i++)
		__asm__ volatile("pause");
}

static uint64_t op_get_features(struct virtio_dev *dev)
{
	struct virtio_mmio *m = vmmio(dev);

	wr32(m, REG_DEVICE_FEAT_SEL, 0);
	uint64_t lo = rd32(m, REG_DEVICE_FEATURES);
	wr32(m, REG_DEVICE_FEAT_SEL, 1);
	return lo | (uint64_t)rd32(m, REG_DEVICE_FEATURES) << 32;
}

static void op_set_features(struct virtio_dev *dev, uint64_t features)
{
	struct virtio_mmio *m = vmmio(dev);

	wr32(m, REG_DRIVER_FEAT_SEL, 0);
	wr32(m, REG_DRIVER_FEATURES, (uint32_t)features);
	wr32(m, REG_DRIVER_FEAT_SEL, 1);
	wr32(m, REG_DRIVER_FEATURES, (uint32_t)(features >> 32));
}

/* One field per access at its own width (4.2.2.2 allows 8, 16 and 32 bits in the
 * configuration space); bytes otherwise. */
static void config_access(struct virtio_mmio *m, uint32_t off, uint8_t *buf, uint32_t len,
                          bool write)
{
	uint64_t room = m->param.size - REG_CONFIG;
	volatile uint8_t *cfg = m->regs + REG_CONFIG;

	if (off > room || len > room - off)
		return;
	if (len == 2 || len == 4) {
		uint32_t v = 0;
		if (write) {
			for (uint32_t i = 0; i < len; i++)
				v |= (uint32_t)buf[i] << (8 * i);
			if (len == 2)
				*(volatile uint16_t *)(cfg + off) = (uint16_t)v;
			else
				*(volatile uint32_t *)(cfg + off) = v;
			return;
		}
		v = len == 2 ? *(volatile uint16_t *)(cfg + off)
		             : *(volatile uint32_t *)(cfg + off);
		for (uint32_t i = 0; i < len; i++)
			buf[i] = (uint8_t)(v >> (8 * i));
		return;
	}
	for (uint32_t i = 0; i < len; i++) {
		if (write)
			cfg[off + i] = buf[i];
		else
			buf[i] = cfg[off + i];
	}
}

static void op_read_config(struct virtio_dev *dev, uint32_t off, void *buf, uint32_t len)
{
	struct virtio_mmio *m = vmmio(dev);
	uint32_t gen;

	/* 2.4.1 / 4.2.2: repeat until ConfigGeneration is the same before and after. */
	do {
		gen = rd32(m, REG_CONFIG_GENERATION);
		config_access(m, off, buf, len, false);
	} while (rd32(m, REG_CONFIG_GENERATION) != gen);
}

static void op_write_config(struct virtio_dev *dev, uint32_t off, const void *buf, uint32_t len)
{
	config_access(vmmio(dev), off, (uint8_t *)(uintptr_t)buf, len, true);
}

static uint16_t op_queue_max(struct virtio_dev *dev, uint16_t index)
{
	struct virtio_mmio *m = vmmio(dev);

	wr32(m, REG_QUEUE_SEL, index);
	uint32_t max = rd32(m, REG_QUEUE_NUM_MAX);
	return max > 0xffff ? 0xffff : (uint16_t)max;
}

/* 4.2.3.2: select the queue, check it is not in use, size, ring addresses, ready. The
 * interrupt is the device's one line, routed by irq_setup. */
static int op_queue_setup(struct virtio_dev *dev, uint16_t index, uint16_t size, uint64_t desc,
                          uint64_t avail, uint64_t used)
{
	struct virtio_mmio *m = vmmio(dev);
	uint16_t max = op_queue_max(dev, index); /* selects the queue */

	if (!max || size > max)
		return -EINVAL;
	if (rd32(m, REG_QUEUE_READY))
		return -EBUSY;
	wr32(m, REG_QUEUE_NUM, size);
	wr64(m, REG_QUEUE_DESC_LOW, desc);
	wr64(m, REG_QUEUE_DRIVER_LOW, avail);
	wr64(m, REG_QUEUE_DEVICE_LOW, used);
	wr32(m, REG_QUEUE_READY, 1);
	return 0;
}

/* 4.2.3.3: the queue's index into QueueNotify. */
static void op_notify(struct virtio_dev *dev, uint16_t index)
{
	wr32(vmmio(dev), REG_QUEUE_NOTIFY, index);
}

/* 4.2.3.4: writing InterruptStatus's bits to InterruptACK clears them. The line is
 * routed edge-triggered (as Linux treats these ISA-range lines without ACPI, and as
 * Firecracker's pulses need), so the handler acknowledges until the status reads 0:
 * QEMU keeps its line high while any bit is set, and a bit set between the read and the
 * acknowledgement would otherwise leave it high with no edge to come. A zero at once
 * means another device of a shared line. */
static void line_handler(void *arg)
{
	struct virtio_mmio *m = arg;
	uint32_t seen = 0;

	for (int i = 0; i < 16; i++) {
		uint32_t status = rd32(m, REG_INTERRUPT_STATUS);
		if (!status)
			break;
		wr32(m, REG_INTERRUPT_ACK, status);
		seen |= status;
	}
	if (seen & (INT_USED_BUFFER | INT_CONFIG_CHANGE))
		m->fn(m->arg);
}

static int op_irq_setup(struct virtio_dev *dev, void (*fn)(void *), void *arg)
{
	struct virtio_mmio *m = vmmio(dev);
	unsigned vector;

	m->fn = fn;
	m->arg = arg;
	int err = irq_alloc(line_handler, m, &vector);
	if (err)
		return err;
	err = irq_route_edge(m->param.irq, vector);
	if (err) {
		kprintf("%s: cannot route interrupt line %u (%d)\n", dev->name, m->param.irq, err);
		return err;
	}
	dev->irq_mode = "ioapic";
	return 0;
}

static const struct virtio_transport_ops virtio_mmio_ops = {
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

/* 4.2.3.1.1: a register block is a virtio device when it reads the magic value; a
 * device ID of 0 is a transport with no device behind it. */
static int probe(const char *value, struct virtio_mmio *m)
{
	const char *why = NULL;
	volatile void *regs;

	*m = (struct virtio_mmio){0};
	if (mmio_param_parse(value, &m->param, &why)) {
		kprintf("virtio-mmio: " KEY "=%s ignored: %s\n", value, why);
		return -EINVAL;
	}
	int err = mmio_map(m->param.base, m->param.size, &regs);
	if (err) {
		kprintf("virtio-mmio: cannot map %s (%d)\n", value, err);
		return err;
	}
	m->regs = regs;
	m->vdev.ops = &virtio_mmio_ops;
	m->vdev.irq_mode = "none";
	ksnprintf(m->vdev.name, sizeof(m->vdev.name), "virtio-mmio %#lx",
	          (unsigned long)m->param.base);
	uint32_t magic = rd32(m, REG_MAGIC);
	if (magic != MMIO_MAGIC) {
		kprintf("%s: no virtio device there (magic %#x)\n", m->vdev.name, magic);
		return -ENODEV;
	}
	m->version = rd32(m, REG_VERSION);
	m->device_id = rd32(m, REG_DEVICE_ID);
	m->vdev.type = (uint16_t)m->device_id;
	return 0;
}

/* Read the command line's device words and probe each, once. */
static void discover(void)
{
	const uint64_t pages = (sizeof(struct cmdline) + 4095) / 4096;
	const char *values[MAX_DEVICES];
	struct cmdline *cl;

	if (word_count >= 0)
		return;
	word_count = 0;
	if (page_alloc(pages, 1, (void **)&cl)) {
		kprintf("virtio-mmio: no memory to read the command line\n");
		return;
	}
	/* A line that does not parse was reported by the kernel already. */
	if (cmdline_parse(kernel_boot_info()->cmdline, cl) == 0)
		word_count = cmdline_devices(cl, KEY, values, MAX_DEVICES);
	for (int i = 0; i < word_count && i < MAX_DEVICES; i++)
		if (probe(values[i], &devices[device_count]) == 0)
			device_count++;
	page_free(cl, pages);
}

int virtio_mmio_count(void)
{
	discover();
	return word_count;
}

int virtio_mmio_find(uint16_t type, int index, struct virtio_dev **out)
{
	discover();
	for (int i = 0; i < device_count; i++) {
		struct virtio_mmio *m = &devices[i];
		if (m->device_id != type || index-- > 0)
			continue;
		if (m->version == MMIO_VERSION_LEGACY) {
			kprintf("%s: the device (type %u) has the legacy virtio-mmio interface "
			        "(version 1), which VMOS does not drive; give it version 2 (QEMU: "
			        "-global virtio-mmio.force-legacy=false)\n",
			        m->vdev.name, m->device_id);
			return -ENODEV;
		}
		if (m->version != MMIO_VERSION_MODERN) {
			kprintf("%s: unknown virtio-mmio version %u\n", m->vdev.name, m->version);
			return -ENODEV;
		}
		*out = &m->vdev;
		return 0;
	}
	return -ENODEV;
}
