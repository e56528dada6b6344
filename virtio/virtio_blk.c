/* virtio_blk.c - virtio-blk driver (virtio 1.1, 5.2; see virtio_blk.h): bring-up, the
 * device's configuration, transfers split into requests (vblk_req.c) over up to
 * VBLK_MAX_QUEUES queues, and the wait for their completions. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kernel/console.h"
#include "kernel/cpufeat.h"
#include "kernel/sched.h"
#include "mm/vm.h"
#include "virtio/pci.h"
#include "virtio/transport.h"
#include "virtio/vblk_req.h"
#include "virtio/virtio.h"
#include "virtio/virtio_blk.h"
#include "virtio/virtio_mmio.h"
#include "virtio/virtio_pci.h"
#include "virtio/virtq.h"

/* Feature bits (5.2.3). */
#define VIRTIO_BLK_F_SIZE_MAX   1
#define VIRTIO_BLK_F_SEG_MAX    2
#define VIRTIO_BLK_F_RO         5
#define VIRTIO_BLK_F_BLK_SIZE   6
#define VIRTIO_BLK_F_FLUSH      9
#define VIRTIO_BLK_F_CONFIG_WCE 11
#define VIRTIO_BLK_F_MQ         12

/* Device configuration (5.2.4). */
#define CONFIG_CAPACITY   0
#define CONFIG_SIZE_MAX   8
#define CONFIG_SEG_MAX    12
#define CONFIG_BLK_SIZE   20
#define CONFIG_WRITEBACK  32
#define CONFIG_NUM_QUEUES 34

#define VBLK_MAX_DISKS  8
#define VBLK_MAX_QUEUES 4
#define QUEUE_MAX_SIZE  256
#define MAX_REQ_BYTES   (256u * 1024) /* one request, at most */
#define BATCH           32            /* requests one call keeps in flight, at most */

struct vblk {
	struct virtio_dev *dev;
	uint64_t features;
	uint64_t sectors;
	uint32_t block_size;
	bool read_only, write_back, broken, opened;
	int nqueues, next_queue;
	struct vblk_queue q[VBLK_MAX_QUEUES];
	struct wait_queue wq; /* threads waiting for completions */
	uint8_t *bounce;      /* one page, for a sector the device cannot take in place */
	uint64_t bounce_phys;
	bool bounce_busy;
	char name[8];
	struct vblk_stats stats;
};

static struct vblk disks[VBLK_MAX_DISKS];
static int disk_total = -1;

static bool has(const struct vblk *d, int bit)
{
	return d->features & VIRTIO_BIT(bit);
}

/* Where disk @index is: the @index-th virtio-blk device on PCI bus 0, then the
 * virtio-mmio ones. */
static int find_device(int index, struct virtio_dev **dev)
{
	int pci = 0;

	if (pci_present()) {
		while (pci < VBLK_MAX_DISKS && virtio_pci_find(VIRTIO_ID_BLOCK, pci, dev) == 0) {
			if (pci == index)
				return 0;
			pci++;
		}
	}
	if (virtio_mmio_count())
		return virtio_mmio_find(VIRTIO_ID_BLOCK, index - pci, dev);
	return -ENODEV;
}

int vblk_count(void)
{
	struct virtio_dev *dev;

	if (disk_total < 0) {
		disk_total = 0;
		while (disk_total < VBLK_MAX_DISKS && find_device(disk_total, &dev) == 0)
			disk_total++;
	}
	return disk_total;
}

static void irq_handler(void *arg)
{
	struct vblk *d = arg;

	d->stats.interrupts++;
	wait_queue_wake_all(&d->wq);
}

/* The device fence of virtq.h, for QEMU's TCG (as the network card's; virtio_net.c). */
static void fence_with_device(void *arg)
{
	struct vblk *d = arg;

	(void)d->dev->ops->get_status(d->dev);
}

/* 2.6, 4.1.5.1.3: rings and request table in DMA memory, then their addresses. */
static int queue_init(struct vblk *d, struct vblk_queue *q, uint16_t index, uint32_t seg_max,
                      uint32_t size_max)
{
	uint16_t size = d->dev->ops->queue_max(d->dev, index);
	if (!size)
		return -ENODEV;
	if (size > QUEUE_MAX_SIZE)
		size = QUEUE_MAX_SIZE;
	if (size & (size - 1))
		return -ENODEV; /* split queues have power-of-two sizes (2.6) */
	void *mem, *table;
	uint64_t phys, table_phys;
	int err = vm_dma_alloc(virtq_mem_bytes(size), &mem, &phys);
	if (!err)
		err = vm_dma_alloc(vblkq_dma_bytes(), &table, &table_phys);
	if (err)
		return err;
	err = virtq_init(&q->vq, size, mem, phys, has(d, VIRTIO_F_RING_EVENT_IDX));
	if (!err)
		err = vblkq_init(q, table, table_phys, seg_max, size_max, vm_virt_to_phys);
	if (!err)
		err = d->dev->ops->queue_setup(d->dev, index, size, q->vq.desc_phys,
		                               q->vq.avail_phys, q->vq.used_phys);
	if (err)
		return err;
	/* Completions are waited for with interrupts on, and only then (wait_for). */
	virtq_interrupts_off(&q->vq);
	if (cpu_features()->tcg)
		virtq_set_device_fence(&q->vq, fence_with_device, d);
	return 0;
}

static int bring_up(struct vblk *d)
{
	const struct virtio_transport_ops *ops = d->dev->ops;
	const char *name = d->dev->name;
	int err;

	/* 3.1.1 steps 1-3: reset, ACKNOWLEDGE, DRIVER. */
	ops->set_status(d->dev, 0);
	ops->set_status(d->dev, VIRTIO_STATUS_ACKNOWLEDGE);
	ops->set_status(d->dev, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);

	/* Step 4 (5.2.3): VIRTIO_F_VERSION_1 is required (the legacy header differs). */
	uint64_t offered = ops->get_features(d->dev);
	if (!(offered & VIRTIO_BIT(VIRTIO_F_VERSION_1))) {
		kprintf("vblk: %s does not offer VIRTIO_F_VERSION_1 (legacy device)\n", name);
		return -ENODEV;
	}
	uint64_t wanted = VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX) |
	                  VIRTIO_BIT(VIRTIO_BLK_F_SIZE_MAX) | VIRTIO_BIT(VIRTIO_BLK_F_SEG_MAX) |
	                  VIRTIO_BIT(VIRTIO_BLK_F_RO) | VIRTIO_BIT(VIRTIO_BLK_F_BLK_SIZE) |
	                  VIRTIO_BIT(VIRTIO_BLK_F_FLUSH) | VIRTIO_BIT(VIRTIO_BLK_F_CONFIG_WCE) |
	                  VIRTIO_BIT(VIRTIO_BLK_F_MQ);
	d->features = offered & wanted;
	ops->set_features(d->dev, d->features);

	/* Steps 5-6: FEATURES_OK, read back. */
	uint8_t status = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;
	ops->set_status(d->dev, status | VIRTIO_STATUS_FEATURES_OK);
	if (!(ops->get_status(d->dev) & VIRTIO_STATUS_FEATURES_OK)) {
		kprintf("vblk: %s refused features %#lx\n", name, (unsigned long)d->features);
		return -ENODEV;
	}
	status |= VIRTIO_STATUS_FEATURES_OK;

	/* Step 7 (5.2.5): the configuration, interrupts, then the queues. */
	uint32_t seg_max = 0, size_max = 0, blk_size = VBLK_SECTOR_BYTES;
	uint16_t nq = 1;
	ops->read_config(d->dev, CONFIG_CAPACITY, &d->sectors, 8);
	if (has(d, VIRTIO_BLK_F_SEG_MAX))
		ops->read_config(d->dev, CONFIG_SEG_MAX, &seg_max, 4);
	if (has(d, VIRTIO_BLK_F_SIZE_MAX))
		ops->read_config(d->dev, CONFIG_SIZE_MAX, &size_max, 4);
	if (has(d, VIRTIO_BLK_F_BLK_SIZE))
		ops->read_config(d->dev, CONFIG_BLK_SIZE, &blk_size, 4);
	if (has(d, VIRTIO_BLK_F_MQ))
		ops->read_config(d->dev, CONFIG_NUM_QUEUES, &nq, 2);
	/* A block size that is not a power of two from 512 to 64 KiB is not one a disk has:
	 * sector-sized I/O is always valid (5.2.5), so fall back to it. */
	if (blk_size < VBLK_SECTOR_BYTES || blk_size > 65536 || (blk_size & (blk_size - 1)))
		blk_size = VBLK_SECTOR_BYTES;
	/* 5.2.5: a size_max below a sector could not carry one. */
	if (size_max && size_max < VBLK_SECTOR_BYTES)
		size_max = 0;
	d->block_size = blk_size;
	d->read_only = has(d, VIRTIO_BLK_F_RO);
	/* 5.2.5.1/5.2.6.2: without FLUSH the device writes through; with CONFIG_WCE the
	 * writeback field says which it does. */
	d->write_back = has(d, VIRTIO_BLK_F_FLUSH);
	if (has(d, VIRTIO_BLK_F_CONFIG_WCE)) {
		uint8_t wb;
		ops->read_config(d->dev, CONFIG_WRITEBACK, &wb, 1);
		d->write_back = wb != 0 && has(d, VIRTIO_BLK_F_FLUSH);
	}
	d->nqueues = nq < 1 ? 1 : nq > VBLK_MAX_QUEUES ? VBLK_MAX_QUEUES : nq;

	err = ops->irq_setup(d->dev, irq_handler, d);
	if (err) {
		kprintf("vblk: %s: no interrupt (%d)\n", name, err);
		return err;
	}
	for (int i = 0; i < d->nqueues && !err; i++)
		err = queue_init(d, &d->q[i], (uint16_t)i, seg_max, size_max);
	if (!err)
		err = vm_dma_alloc(4096, (void **)&d->bounce, &d->bounce_phys);
	if (err) {
		kprintf("vblk: %s: queue set-up failed (%d)\n", name, err);
		return err;
	}

	/* Step 8: DRIVER_OK. */
	ops->set_status(d->dev, status | VIRTIO_STATUS_DRIVER_OK);
	if (ops->get_status(d->dev) & VIRTIO_STATUS_DEVICE_NEEDS_RESET) {
		kprintf("vblk: %s needs a reset right after set-up\n", name);
		return -EIO;
	}
	return 0;
}

int vblk_open(int index, struct vblk **out)
{
	if (index < 0 || index >= vblk_count())
		return -ENODEV;
	struct vblk *d = &disks[index];
	if (d->opened) {
		*out = d;
		return 0;
	}
	memset(d, 0, sizeof(*d));
	int err = find_device(index, &d->dev);
	if (err)
		return err;
	d->wq = (struct wait_queue)WAIT_QUEUE_INIT;
	d->name[0] = 'v';
	d->name[1] = 'd';
	d->name[2] = (char)('a' + index);
	err = bring_up(d);
	if (err) {
		/* 3.1.1: FAILED tells the device the driver gave up on it. */
		d->dev->ops->set_status(d->dev,
		                        d->dev->ops->get_status(d->dev) | VIRTIO_STATUS_FAILED);
		return err == -ENOMEM ? err : (err == -EIO ? -EIO : -ENODEV);
	}
	d->opened = true;
	kprintf("vblk: %s: %s, %lu sectors (%lu MiB), block %u, %s%s, %d queue%s, %s\n", d->name,
	        d->dev->name, (unsigned long)d->sectors, (unsigned long)(d->sectors >> 11),
	        d->block_size, d->read_only ? "read-only" : "read-write",
	        d->write_back ? ", write-back cache" : "", d->nqueues, d->nqueues > 1 ? "s" : "",
	        d->dev->irq_mode);
	*out = d;
	return 0;
}

/* The device returned something it cannot have: no request on it is trusted again. */
static void give_up(struct vblk *d, int queue)
{
	if (!d->broken)
		kprintf("vblk: %s: the device returned a used buffer that is not an outstanding "
		        "request (queue %d); failing its requests, no further I/O\n",
		        d->name, queue);
	d->broken = true;
	for (int i = 0; i < d->nqueues; i++)
		vblkq_fail_all(&d->q[i], -EIO);
	d->dev->ops->set_status(d->dev, d->dev->ops->get_status(d->dev) | VIRTIO_STATUS_FAILED);
}

/* Take every finished request on every queue; wake the other waiters when some were. */
static void reap(struct vblk *d)
{
	int finished = 0;

	for (int i = 0; i < d->nqueues && !d->broken; i++) {
		int n = vblkq_complete(&d->q[i]);
		if (n < 0)
			give_up(d, i);
		else
			finished += n;
	}
	if (finished || d->broken)
		wait_queue_wake_all(&d->wq);
}

/* Block until @done(@arg) holds, harvesting completions; interrupts are on only while
 * the thread sleeps (and a completion that slipped in before is seen first). */
static void wait_for(struct vblk *d, bool (*done)(void *), void *arg)
{
	for (;;) {
		reap(d);
		if (done(arg) || d->broken)
			break;
		bool arrived = false;
		for (int i = 0; i < d->nqueues; i++)
			if (vblkq_in_flight(&d->q[i]) && virtq_interrupts_on(&d->q[i].vq))
				arrived = true;
		if (arrived)
			continue;
		d->stats.waits++;
		wait_queue_wait(&d->wq, 0);
	}
	for (int i = 0; i < d->nqueues; i++)
		if (!vblkq_in_flight(&d->q[i]))
			virtq_interrupts_off(&d->q[i].vq);
}

struct batch {
	struct vblk_request *reqs;
	int count;
};

static bool batch_done(void *arg)
{
	struct batch *b = arg;

	for (int i = 0; i < b->count; i++)
		if (!b->reqs[i].done)
			return false;
	return true;
}

static bool slot_free(void *arg)
{
	struct vblk *d = arg;

	for (int i = 0; i < d->nqueues; i++)
		if (vblkq_in_flight(&d->q[i]) < VBLK_SLOTS)
			return true;
	return false;
}

static bool bounce_free(void *arg)
{
	return !((struct vblk *)arg)->bounce_busy;
}

static void publish(struct vblk *d, const bool *touched)
{
	for (int i = 0; i < d->nqueues; i++)
		if (touched[i] && virtq_publish(&d->q[i].vq))
			d->dev->ops->notify(d->dev, (uint16_t)i);
}

/* Up to a page through the bounce page: for memory the device cannot reach (a stack,
 * which is outside the linear range) or cannot take in place (a sector over more
 * physical pieces than seg_max allows). */
static int bounce_chunk(struct vblk *d, uint32_t type, uint64_t sector, uint8_t *buf,
                        uint32_t bytes)
{
	struct vblk_request r = {.type = type, .sector = sector, .buf = d->bounce, .bytes = bytes};
	struct batch b = {&r, 1};
	bool touched[VBLK_MAX_QUEUES] = {0};

	wait_for(d, bounce_free, d);
	if (d->broken)
		return -EIO;
	d->bounce_busy = true;
	if (type == VIRTIO_BLK_T_OUT)
		memcpy(d->bounce, buf, bytes);
	int err;
	while ((err = vblkq_submit(&d->q[0], &r)) == -ENOSPC)
		wait_for(d, slot_free, d);
	if (!err) {
		touched[0] = true;
		publish(d, touched);
		wait_for(d, batch_done, &b);
		err = r.done ? r.result : -EIO;
		if (!err && type == VIRTIO_BLK_T_IN)
			memcpy(buf, d->bounce, bytes);
	}
	d->bounce_busy = false;
	wait_queue_wake_all(&d->wq);
	return err;
}

/* Requests for @bytes at @sector, BATCH at a time spread over the queues, each batch
 * waited for before the next (memory the device cannot take: through the bounce page). */
static int transfer(struct vblk *d, uint32_t type, uint64_t sector, uint8_t *buf, size_t bytes)
{
	struct vblk_request reqs[BATCH];
	int err = 0;

	while (bytes && !err) {
		bool touched[VBLK_MAX_QUEUES] = {0};
		int n = 0;
		while (bytes && n < BATCH) {
			if (d->broken) {
				err = -EIO;
				break;
			}
			int qi = d->next_queue;
			struct vblk_queue *q = &d->q[qi];
			uint32_t want = bytes < MAX_REQ_BYTES ? (uint32_t)bytes : MAX_REQ_BYTES;
			uint32_t chunk = vblkq_fit(q, buf, want);
			if (!chunk) {
				if (n)
					break; /* after this batch */
				chunk = want < 4096 ? want : 4096;
				/* A stack grows on first touch: its unmapped part is still good. */
				if (!vm_is_mapped((uint64_t)(uintptr_t)buf, chunk) &&
				    vm_stack_slot_of((uint64_t)(uintptr_t)buf) < 0) {
					err = -EFAULT;
					break;
				}
				err = bounce_chunk(d, type, sector, buf, chunk);
			} else {
				reqs[n] = (struct vblk_request){
				    .type = type, .sector = sector, .buf = buf, .bytes = chunk};
				int e = vblkq_submit(q, &reqs[n]);
				if (e == -ENOSPC) {
					if (n)
						break; /* the batch first */
					wait_for(d, slot_free, d);
					d->next_queue = (d->next_queue + 1) % d->nqueues;
					continue;
				}
				if (e) {
					err = e;
					break;
				}
				touched[qi] = true;
				n++;
				d->stats.requests++;
			}
			d->next_queue = (d->next_queue + 1) % d->nqueues;
			buf += chunk;
			sector += chunk / VBLK_SECTOR_BYTES;
			bytes -= chunk;
		}
		if (n) {
			struct batch b = {reqs, n};
			publish(d, touched);
			wait_for(d, batch_done, &b);
			for (int i = 0; i < n && !err; i++)
				err = reqs[i].done ? reqs[i].result : -EIO;
		}
	}
	return err;
}

static int check_range(const struct vblk *d, uint64_t sector, size_t bytes)
{
	if (bytes % VBLK_SECTOR_BYTES)
		return -EINVAL;
	uint64_t count = bytes / VBLK_SECTOR_BYTES;
	if (sector > d->sectors || count > d->sectors - sector)
		return -EINVAL;
	return d->broken ? -EIO : 0;
}

int vblk_read(struct vblk *d, uint64_t sector, void *buf, size_t bytes)
{
	int err = check_range(d, sector, bytes);
	if (err || !bytes)
		return err;
	d->stats.reads++;
	err = transfer(d, VIRTIO_BLK_T_IN, sector, buf, bytes);
	if (!err)
		d->stats.bytes_read += bytes;
	return err;
}

int vblk_write(struct vblk *d, uint64_t sector, const void *buf, size_t bytes)
{
	int err = check_range(d, sector, bytes);
	if (err || !bytes)
		return err;
	if (d->read_only)
		return -EROFS;
	d->stats.writes++;
	err = transfer(d, VIRTIO_BLK_T_OUT, sector, (uint8_t *)(uintptr_t)buf, bytes);
	if (!err)
		d->stats.bytes_written += bytes;
	return err;
}

/* A request without data (flush) or with a small answer (GET_ID), on queue 0. */
static int simple_request(struct vblk *d, uint32_t type, void *buf, uint32_t bytes)
{
	struct vblk_request r = {.type = type, .buf = buf, .bytes = bytes};
	struct batch b = {&r, 1};
	bool touched[VBLK_MAX_QUEUES] = {0};
	int err;

	if (d->broken)
		return -EIO;
	while ((err = vblkq_submit(&d->q[0], &r)) == -ENOSPC)
		wait_for(d, slot_free, d);
	if (err)
		return err;
	d->stats.requests++;
	touched[0] = true;
	publish(d, touched);
	wait_for(d, batch_done, &b);
	return r.done ? r.result : -EIO;
}

int vblk_flush(struct vblk *d)
{
	if (d->broken)
		return -EIO;
	d->stats.flushes++;
	/* 5.2.6.2: a flush covers the writes completed before it; this driver completes a
	 * write only when the device said so, so every earlier call's data is covered. */
	if (!has(d, VIRTIO_BLK_F_FLUSH))
		return 0;
	return simple_request(d, VIRTIO_BLK_T_FLUSH, NULL, 0);
}

int vblk_serial(struct vblk *d, char *buf, size_t size)
{
	if (size < VBLK_ID_BYTES + 1)
		return -EINVAL;
	/* The answer lands in the bounce page: DMA memory of the driver's own. */
	wait_for(d, bounce_free, d);
	d->bounce_busy = true;
	int err = simple_request(d, VIRTIO_BLK_T_GET_ID, d->bounce, VBLK_ID_BYTES);
	if (!err) {
		memcpy(buf, d->bounce, VBLK_ID_BYTES);
		buf[VBLK_ID_BYTES] = 0;
	}
	d->bounce_busy = false;
	wait_queue_wake_all(&d->wq);
	return err;
}

bool vblk_is_open(int index)
{
	return index >= 0 && index < VBLK_MAX_DISKS && disks[index].opened;
}

const char *vblk_name(const struct vblk *d)
{
	return d->name;
}

uint64_t vblk_sectors(const struct vblk *d)
{
	return d->sectors;
}

uint32_t vblk_block_size(const struct vblk *d)
{
	return d->block_size;
}

bool vblk_read_only(const struct vblk *d)
{
	return d->read_only;
}

bool vblk_write_back(const struct vblk *d)
{
	return d->write_back;
}

int vblk_queue_count(const struct vblk *d)
{
	return d->nqueues;
}

void vblk_get_stats(const struct vblk *d, struct vblk_stats *out)
{
	*out = d->stats;
	out->device_errors = 0;
	for (int i = 0; i < d->nqueues; i++)
		out->device_errors += d->q[i].device_errors;
}
