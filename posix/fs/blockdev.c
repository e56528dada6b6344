/* blockdev.c - the disks as block device nodes: /dev/vda, /dev/vdb... (Linux's numbers for
 * virtio-blk: major 254, minor 16 per disk), read and written at any byte offset and
 * length, as on Linux: whole sectors go straight to the driver, a partial one is read,
 * changed and written back. fsync flushes the disk's write cache; the block ioctls
 * programs ask (size, sector size, read-only) are answered. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kernel/kernel.h"
#include "posix/fs/files.h"
#include "virtio/virtio_blk.h"

#define VIRTBLK_MAJOR   254
#define MINORS_PER_DISK 16
#define SECTOR          512u

struct blockdev_file {
	struct vblk *disk;
	struct ramfs_node *node;
	uint8_t *sector; /* one sector, for the partial ones */
};

static uint64_t disk_bytes(const struct blockdev_file *b)
{
	return vblk_sectors(b->disk) * SECTOR;
}

/* Bytes of @len at @off that lie before the end of the disk. */
static size_t clamp(const struct blockdev_file *b, size_t len, off_t off)
{
	uint64_t size = disk_bytes(b);
	if ((uint64_t)off >= size)
		return 0;
	return (uint64_t)len > size - (uint64_t)off ? (size_t)(size - (uint64_t)off) : len;
}

/* @len bytes (already clamped to the disk) at @off from or to @buf: whole sectors straight
 * to the driver, a partial one read (changed and written back) through b->sector. Returns
 * the count, or the error when not even the first piece went. */
static ssize_t transfer(struct blockdev_file *b, uint8_t *p, size_t len, uint64_t at, bool write)
{
	size_t left = len;

	while (left) {
		uint64_t sector = at / SECTOR;
		uint32_t in = (uint32_t)(at % SECTOR);
		int err;
		size_t n;
		if (in || left < SECTOR) {
			n = SECTOR - in < left ? SECTOR - in : left;
			err = vblk_read(b->disk, sector, b->sector, SECTOR);
			if (!err && write) {
				memcpy(b->sector + in, p, n);
				err = vblk_write(b->disk, sector, b->sector, SECTOR);
			} else if (!err) {
				memcpy(p, b->sector + in, n);
			}
		} else {
			n = left - left % SECTOR;
			err = write ? vblk_write(b->disk, sector, p, n)
			            : vblk_read(b->disk, sector, p, n);
		}
		if (err)
			return len > left ? (ssize_t)(len - left) : err;
		p += n;
		at += n;
		left -= n;
	}
	return (ssize_t)len;
}

static ssize_t blockdev_pread(struct vfile *f, void *buf, size_t len, off_t off)
{
	struct blockdev_file *b = f->priv;

	return transfer(b, buf, clamp(b, len, off), (uint64_t)off, false);
}

static ssize_t blockdev_pwrite(struct vfile *f, const void *buf, size_t len, off_t off)
{
	struct blockdev_file *b = f->priv;

	if (len && (uint64_t)off >= disk_bytes(b))
		return -ENOSPC; /* Linux: nothing can be written at or past the end */
	return transfer(b, (uint8_t *)(uintptr_t)buf, clamp(b, len, off), (uint64_t)off, true);
}

/* SEEK_END is the disk's size (st_size is 0 for a block device, as on Linux). */
static off_t blockdev_lseek(struct vfile *f, off_t off, int whence)
{
	struct blockdev_file *b = f->priv;
	off_t base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->offset;
		break;
	case SEEK_END:
		base = (off_t)disk_bytes(b);
		break;
	default:
		return -EINVAL;
	}
	if ((off < 0 && base + off < 0) || (off > 0 && base > INT64_MAX - off))
		return off < 0 ? -EINVAL : -EOVERFLOW;
	return base + off;
}

static int blockdev_getattr(struct vfile *f, struct stat *st)
{
	struct blockdev_file *b = f->priv;
	int err = posix_node_stat(b->node, st);

	st->st_blksize = 4096;
	return err;
}

static int blockdev_ioctl(struct vfile *f, unsigned long request, void *arg)
{
	struct blockdev_file *b = f->priv;

	switch (request) {
	case BLKGETSIZE64:
		*(uint64_t *)arg = disk_bytes(b);
		return 0;
	case BLKGETSIZE:
		*(unsigned long *)arg = (unsigned long)vblk_sectors(b->disk);
		return 0;
	case BLKSSZGET:
		*(int *)arg = (int)vblk_block_size(b->disk);
		return 0;
	case BLKPBSZGET:
		*(unsigned int *)arg = vblk_block_size(b->disk);
		return 0;
	case BLKROGET:
		*(int *)arg = vblk_read_only(b->disk);
		return 0;
	case BLKFLSBUF:
		return vblk_flush(b->disk);
	default:
		return -ENOTTY;
	}
}

static int blockdev_sync(struct vfile *f, bool data_only)
{
	struct blockdev_file *b = f->priv;

	(void)data_only;
	return vblk_flush(b->disk);
}

static int blockdev_release(struct vfile *f)
{
	struct blockdev_file *b = f->priv;

	ramfs_node_unref(b->node);
	free(b->sector);
	free(b);
	return 0;
}

static const struct vfile_ops blockdev_ops = {
    .pread = blockdev_pread,
    .pwrite = blockdev_pwrite,
    .lseek = blockdev_lseek,
    .getattr = blockdev_getattr,
    .ioctl = blockdev_ioctl,
    .sync = blockdev_sync,
    .release = blockdev_release,
};

int posix_open_blockdev(struct ramfs_node *node, uint32_t rdev, int flags, struct vfile **out)
{
	if (rdev >> 8 != VIRTBLK_MAJOR || (rdev & 0xff) % MINORS_PER_DISK)
		return -ENXIO; /* partitions are not read */
	struct vblk *disk;
	int err = vblk_open((int)((rdev & 0xff) / MINORS_PER_DISK), &disk);
	if (err)
		return err == -ENODEV ? -ENXIO : err;
	if ((flags & O_ACCMODE) != O_RDONLY && vblk_read_only(disk))
		return -EROFS; /* Linux refuses to open a read-only disk for writing */
	struct blockdev_file *b = calloc(1, sizeof(*b));
	if (b)
		b->sector = malloc(SECTOR);
	if (!b || !b->sector) {
		free(b);
		return -ENOMEM;
	}
	b->disk = disk;
	b->node = node;
	err = vfile_new(&blockdev_ops, b, flags, out);
	if (err) {
		free(b->sector);
		free(b);
		return err;
	}
	ramfs_node_ref(node);
	return 0;
}

void posix_blockdevs_init(void)
{
	char path[16];
	int n = vblk_count();

	for (int i = 0; i < n && i < 26; i++) {
		snprintf(path, sizeof(path), "/dev/vd%c", 'a' + i);
		int err = ramfs_mkdev(&posix_rootfs, NULL, path, S_IFBLK | 0660,
		                      (VIRTBLK_MAJOR << 8) | (uint32_t)(i * MINORS_PER_DISK), NULL);
		if (err && err != -EEXIST)
			panic("posix: cannot make %s (%d)", path, err);
	}
}

void posix_blockdevs_sync(void)
{
	int n = vblk_count();

	for (int i = 0; i < n; i++) {
		struct vblk *disk;
		/* Only disks in use have anything to flush; opening the others is not needed. */
		if (vblk_is_open(i) && vblk_open(i, &disk) == 0)
			vblk_flush(disk);
	}
}
