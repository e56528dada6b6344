/* virtio_blk.h - virtio-blk driver (virtio 1.1, 5.2): the disks of the VM, on PCI bus 0 and
 * among the virtio-mmio devices, in that order: vda, vdb... Reads and writes of whole
 * sectors at any byte address in memory, split into requests the device accepts and spread
 * over its queues (VIRTIO_BLK_F_MQ), several in flight; flush for a write-back cache
 * (VIRTIO_BLK_F_FLUSH); read-only devices refuse writes. Interrupts come through the
 * transport's path, as the network card's do, and are asked for only while a thread waits.
 *
 * Calls block the calling thread until their requests are done; other threads run
 * meanwhile and may have requests of their own in flight on the same disk. */
#ifndef VIRTIO_VIRTIO_BLK_H
#define VIRTIO_VIRTIO_BLK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vblk;

/* vblk_count - how many virtio-blk devices the VM has (found once, then remembered). */
int vblk_count(void);

/* vblk_open - disk @index (0 for vda), brought up on first use. Returns 0 and the disk in
 * @out; -ENODEV when there is no such disk or it cannot be driven (a message says why),
 * -ENOMEM, -EIO when the device failed its set-up. */
int vblk_open(int index, struct vblk **out);

/* vblk_is_open - whether disk @index has been brought up by vblk_open. */
bool vblk_is_open(int index);

/* vblk_name - "vda", "vdb"... */
const char *vblk_name(const struct vblk *d);

/* vblk_sectors - capacity in 512-byte sectors (5.2.4). */
uint64_t vblk_sectors(const struct vblk *d);

/* vblk_block_size - the device's logical block size in bytes (VIRTIO_BLK_F_BLK_SIZE; 512
 * otherwise): I/O aligned to it is the fast kind. */
uint32_t vblk_block_size(const struct vblk *d);

/* vblk_read_only - whether the device is read-only (VIRTIO_BLK_F_RO). */
bool vblk_read_only(const struct vblk *d);

/* vblk_write_back - whether writes may sit in the device's cache until a flush. */
bool vblk_write_back(const struct vblk *d);

/* vblk_queue_count - queues in use. */
int vblk_queue_count(const struct vblk *d);

/* vblk_read / vblk_write - @bytes (a multiple of 512) at sector @sector from / to @buf
 * (any address in the linear range, any alignment). Return 0; -EINVAL for a length not a
 * multiple of 512 or a range past the end; -EROFS for a write to a read-only disk;
 * -EFAULT for a buffer without a physical address; -EIO when the device failed a request
 * or misbehaved (after which every call returns -EIO). */
int vblk_read(struct vblk *d, uint64_t sector, void *buf, size_t bytes);
int vblk_write(struct vblk *d, uint64_t sector, const void *buf, size_t bytes);

/* vblk_flush - what was written (completed) before the call is on stable storage when it
 * returns 0 (5.2.6.2: a flush request; nothing to do for a write-through device).
 * Returns 0 or -EIO. */
int vblk_flush(struct vblk *d);

/* vblk_serial - the device's serial (GET_ID) as a string in @buf (@size >= 21 bytes).
 * Returns 0, -EOPNOTSUPP when the device has none, or -EIO. */
int vblk_serial(struct vblk *d, char *buf, size_t size);

struct vblk_stats {
	uint64_t reads, writes, flushes; /* calls */
	uint64_t requests, bytes_read, bytes_written;
	uint64_t interrupts, waits, device_errors;
};
void vblk_get_stats(const struct vblk *d, struct vblk_stats *out);

#endif
