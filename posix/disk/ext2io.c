/* ext2io.c - libext2fs's I/O manager over virtio-blk (see ext2io.h). Blocks are the
 * channel's block size (libext2fs changes it: 1024 while it reads the superblock); a count
 * below zero is that many bytes, as in libext2fs's own managers. Until journaling starts
 * reads and writes go to the driver as they come and flush is the disk's flush request;
 * from then on writes are held in memory, by file-system block, and a flush commits them
 * through the journal (ext2journal.c); reads see the held blocks. Under both, the page
 * cache (bcache.h) keeps what the disk holds. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ext2fs/ext2_err.h>
#include <ext2fs/ext2fs.h>

#include "kernel/console.h"
#include "posix/disk/bcache.h"
#include "posix/disk/ext2io.h"
#include "posix/disk/ext2io_internal.h"
#include "virtio/virtio_blk.h"

#define SECTOR 512

static struct struct_io_manager manager;
io_manager ext2io_manager = &manager;

int ext2io_errno(errcode_t err)
{
	if (err > 0 && err < 256)
		return -(int)err; /* an errno from the I/O layer */
	switch (err) {
	case 0:
		return 0;
	case EXT2_ET_NO_MEMORY:
		return -ENOMEM;
	case EXT2_ET_BLOCK_ALLOC_FAIL:
	case EXT2_ET_INODE_ALLOC_FAIL:
	case EXT2_ET_DIR_NO_SPACE:
	case EXT2_ET_EA_NO_SPACE:
		return -ENOSPC;
	case EXT2_ET_RO_FILSYS:
	case EXT2_ET_FILE_RO:
		return -EROFS;
	case EXT2_ET_FILE_TOO_BIG:
	case EXT2_ET_EXTENT_NOT_SUPPORTED:
		return -EFBIG;
	case EXT2_ET_DIR_EXISTS:
		return -EEXIST;
	case EXT2_ET_FILE_NOT_FOUND:
	case EXT2_ET_NO_DIRECTORY:
		return -ENOENT;
	case EXT2_ET_TOO_MANY_REFS:
		return -EMLINK;
	case EXT2_ET_UNIMPLEMENTED:
	case EXT2_ET_OP_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	default:
		return -EIO;
	}
}

/* The disk a device node names: /dev/vda is disk 0. */
static int disk_of(const char *name, struct vblk **out)
{
	if (strncmp(name, "/dev/vd", 7) || name[7] < 'a' || name[7] > 'z' || name[8])
		return -ENODEV;
	return vblk_open(name[7] - 'a', out);
}

static errcode_t io_open(const char *name, int flags, io_channel *channel)
{
	struct vblk *disk;
	int err = disk_of(name, &disk);
	if (err)
		return (errcode_t)-err;
	if ((flags & IO_FLAG_RW) && vblk_read_only(disk))
		return EROFS;
	io_channel io = calloc(1, sizeof(*io));
	struct ext2io *priv = calloc(1, sizeof(*priv));
	char *copy = strdup(name);
	if (!io || !priv || !copy) {
		free(io);
		free(priv);
		free(copy);
		return EXT2_ET_NO_MEMORY;
	}
	priv->disk = disk;
	priv->stats.num_fields = 2;
	io->magic = EXT2_ET_MAGIC_IO_CHANNEL;
	io->manager = ext2io_manager;
	io->name = copy;
	io->block_size = 1024;
	io->refcount = 1;
	io->flags = CHANNEL_FLAGS_BLOCK_DEVICE;
	io->private_data = priv;
	*channel = io;
	return 0;
}

static errcode_t io_close(io_channel io)
{
	if (--io->refcount > 0)
		return 0;
	struct ext2io *p = io->private_data;
	if (p->journaling) {
		ext2io_commit(p);
		ext2io_cache_drop(p);
		free(p->jmap);
	}
	bcache_forget(p);
	free(p->ra);
	free(io->private_data);
	free(io->name);
	free(io);
	return 0;
}

static errcode_t io_set_blksize(io_channel io, int blksize)
{
	if (blksize < SECTOR || blksize % SECTOR)
		return EXT2_ET_INVALID_ARGUMENT;
	io->block_size = blksize;
	return 0;
}

/* The bytes a request of @count blocks is (negative: that many bytes). */
static int64_t request_bytes(io_channel io, int count)
{
	return count < 0 ? -(int64_t)count : (int64_t)count * io->block_size;
}

/* Bytes at @offset through whole sectors: a partial first or last sector is read
 * whole (and written back, for a write) through a bounce buffer. */
static int disk_io(struct ext2io *p, uint64_t offset, uint8_t *buf, uint64_t bytes, bool write)
{
	if (offset % SECTOR == 0 && bytes % SECTOR == 0)
		return write ? vblk_write(p->disk, offset / SECTOR, buf, bytes)
		             : vblk_read(p->disk, offset / SECTOR, buf, bytes);
	uint64_t first = offset / SECTOR, last = (offset + bytes + SECTOR - 1) / SECTOR;
	uint64_t span = (last - first) * SECTOR;
	uint8_t *bounce = malloc(span);
	if (!bounce)
		return -ENOMEM;
	int err = vblk_read(p->disk, first, bounce, span);
	if (!err && write) {
		memcpy(bounce + offset % SECTOR, buf, bytes);
		err = vblk_write(p->disk, first, bounce, span);
	} else if (!err) {
		memcpy(buf, bounce + offset % SECTOR, bytes);
	}
	free(bounce);
	return err;
}

/* A read that starts where the last one ended reads READAHEAD_BYTES from there into the
 * window, and the reads that follow come from it: libext2fs reads a file one block at a
 * time. A write over the window empties it. */
/* A read from the disk, its pages then cached. */
static int disk_read(struct ext2io *p, uint64_t offset, uint8_t *buf, uint64_t bytes)
{
	int err = disk_io(p, offset, buf, bytes, false);
	if (!err)
		bcache_fill(p, offset, buf, bytes);
	return err;
}

/* Reads come from the page cache (bcache.h) when it holds every page they touch. */
int ext2io_transfer(struct ext2io *p, uint64_t offset, uint8_t *buf, uint64_t bytes, bool write)
{
	if (write) {
		if (p->ra_len && offset < p->ra_off + p->ra_len && p->ra_off < offset + bytes)
			p->ra_len = 0;
		int err = disk_io(p, offset, buf, bytes, true);
		if (err)
			bcache_drop(p, offset, bytes);
		else
			bcache_write(p, offset, buf, bytes);
		return err;
	}
	if (p->ra_len && offset >= p->ra_off && offset + bytes <= p->ra_off + p->ra_len) {
		memcpy(buf, p->ra + (offset - p->ra_off), bytes);
		p->last_end = offset + bytes;
		return 0;
	}
	bool sequential = offset == p->last_end && bytes < READAHEAD_BYTES && offset % SECTOR == 0;
	p->last_end = offset + bytes;
	if (bcache_read(p, offset, buf, bytes))
		return 0;
	uint64_t disk_end = vblk_sectors(p->disk) * SECTOR;
	if (!sequential || offset + bytes > disk_end)
		return disk_read(p, offset, buf, bytes);
	if (!p->ra && !(p->ra = malloc(READAHEAD_BYTES)))
		return disk_read(p, offset, buf, bytes);
	uint64_t len = disk_end - offset < READAHEAD_BYTES ? disk_end - offset : READAHEAD_BYTES;
	/* A window read before goes straight into pages the cache adopts (the reads that
	 * follow come from the cache, and no fresh page is written twice: the first touch of
	 * a page is what costs); a first reading stays in the window, uncached. */
	bool again = bcache_seen_before(p, offset);
	uint8_t *run = again && len == READAHEAD_BYTES && offset % BCACHE_PAGE == 0
	                   ? bcache_take_run(READAHEAD_BYTES / BCACHE_PAGE)
	                   : NULL;
	if (run) {
		p->ra_len = 0;
		int err = disk_io(p, offset, run, len, false);
		if (err) {
			bcache_return_run(run, READAHEAD_BYTES / BCACHE_PAGE);
			return disk_read(p, offset, buf, bytes);
		}
		memcpy(buf, run, bytes);
		bcache_adopt(p, offset, run, READAHEAD_BYTES / BCACHE_PAGE);
		return 0;
	}
	int err = again ? disk_read(p, offset, p->ra, len) : disk_io(p, offset, p->ra, len, false);
	if (err) {
		p->ra_len = 0;
		return disk_read(p, offset, buf, bytes);
	}
	p->ra_off = offset;
	p->ra_len = len;
	memcpy(buf, p->ra, bytes);
	return 0;
}

/* --- the held blocks ---------------------------------------------------------------- */

static struct cblock **bucket(struct ext2io *p, uint64_t blk)
{
	return &p->buckets[(blk * 0x9e3779b97f4a7c15ull) >> 54];
}

static struct cblock *find(struct ext2io *p, uint64_t blk)
{
	for (struct cblock *c = *bucket(p, blk); c; c = c->next)
		if (c->blk == blk)
			return c;
	return NULL;
}

void ext2io_cache_drop(struct ext2io *p)
{
	for (int i = 0; i < CACHE_BUCKETS; i++) {
		while (p->buckets[i]) {
			struct cblock *c = p->buckets[i];
			p->buckets[i] = c->next;
			free(c);
		}
	}
	p->held = 0;
}

/* Held block @blk, made from the disk's copy when it is not held yet. */
static int hold(struct ext2io *p, uint64_t blk, bool whole, struct cblock **out)
{
	struct cblock *c = find(p, blk);
	if (c) {
		*out = c;
		return 0;
	}
	if (p->held >= p->max_held) {
		/* One operation wrote more than a transaction carries: commit in its middle
		 * (the journal then holds it in two transactions). */
		if (!p->overflow_reported)
			kprintf("ext2io: a change of more than %u blocks is committed in parts\n",
			        p->max_held);
		p->overflow_reported = true;
		int err = ext2io_commit(p);
		if (err)
			return err;
	}
	c = malloc(sizeof(*c) + p->bs);
	if (!c)
		return -ENOMEM;
	c->blk = blk;
	if (!whole) {
		int err = ext2io_transfer(p, blk * p->bs, c->data, p->bs, false);
		if (err) {
			free(c);
			return err;
		}
	}
	c->next = *bucket(p, blk);
	*bucket(p, blk) = c;
	p->held++;
	*out = c;
	return 0;
}

/* A write of @bytes at byte @offset into held blocks. */
static int held_write(struct ext2io *p, uint64_t offset, const uint8_t *buf, uint64_t bytes)
{
	while (bytes) {
		uint64_t blk = offset / p->bs;
		uint32_t in = (uint32_t)(offset % p->bs);
		uint64_t n = p->bs - in < bytes ? p->bs - in : bytes;
		struct cblock *c;
		int err = hold(p, blk, in == 0 && n == p->bs, &c);
		if (err)
			return err;
		memcpy(c->data + in, buf, n);
		buf += n;
		offset += n;
		bytes -= n;
	}
	return 0;
}

/* A read of @bytes at byte @offset: the disk's copy, then the held blocks over it. */
static int held_read(struct ext2io *p, uint64_t offset, uint8_t *buf, uint64_t bytes)
{
	int err = ext2io_transfer(p, offset, buf, bytes, false);
	if (err || !p->held)
		return err;
	for (uint64_t at = offset; at < offset + bytes;) {
		uint64_t blk = at / p->bs;
		uint32_t in = (uint32_t)(at % p->bs);
		uint64_t n = p->bs - in < offset + bytes - at ? p->bs - in : offset + bytes - at;
		struct cblock *c = find(p, blk);
		if (c)
			memcpy(buf + (at - offset), c->data + in, n);
		at += n;
	}
	return 0;
}

static int transfer(struct ext2io *p, uint64_t offset, uint8_t *buf, uint64_t bytes, bool write)
{
	if (!p->journaling)
		return ext2io_transfer(p, offset, buf, bytes, write);
	return write ? held_write(p, offset, buf, bytes) : held_read(p, offset, buf, bytes);
}

static errcode_t io_read_blk64(io_channel io, unsigned long long block, int count, void *data)
{
	struct ext2io *p = io->private_data;
	int64_t bytes = request_bytes(io, count);
	int err = transfer(p, block * (uint64_t)io->block_size, data, (uint64_t)bytes, false);
	if (err) {
		memset(data, 0, (size_t)bytes);
		if (io->read_error)
			return io->read_error(io, (unsigned long)block, count, data, (size_t)bytes,
			                      0, (errcode_t)-err);
		return (errcode_t)-err;
	}
	p->stats.bytes_read += (uint64_t)bytes;
	return 0;
}

static errcode_t io_write_blk64(io_channel io, unsigned long long block, int count,
                                const void *data)
{
	struct ext2io *p = io->private_data;
	int64_t bytes = request_bytes(io, count);
	int err = transfer(p, block * (uint64_t)io->block_size, (uint8_t *)(uintptr_t)data,
	                   (uint64_t)bytes, true);
	if (err) {
		if (io->write_error)
			return io->write_error(io, (unsigned long)block, count, data, (size_t)bytes,
			                       0, (errcode_t)-err);
		return (errcode_t)-err;
	}
	p->stats.bytes_written += (uint64_t)bytes;
	return 0;
}

static errcode_t io_read_blk(io_channel io, unsigned long block, int count, void *data)
{
	return io_read_blk64(io, block, count, data);
}

static errcode_t io_write_blk(io_channel io, unsigned long block, int count, const void *data)
{
	return io_write_blk64(io, block, count, data);
}

static errcode_t io_write_byte(io_channel io, unsigned long offset, int count, const void *data)
{
	struct ext2io *p = io->private_data;
	int err = transfer(p, offset, (uint8_t *)(uintptr_t)data, (uint64_t)count, true);
	return err ? (errcode_t)-err : 0;
}

static errcode_t io_flush(io_channel io)
{
	struct ext2io *p = io->private_data;
	int err = p->journaling ? ext2io_commit(p) : vblk_flush(p->disk);
	return err ? (errcode_t)-err : 0;
}

static errcode_t io_set_option(io_channel io, const char *option, const char *arg)
{
	(void)io, (void)option, (void)arg;
	return EXT2_ET_INVALID_ARGUMENT;
}

static errcode_t io_get_stats(io_channel io, io_stats *stats)
{
	struct ext2io *p = io->private_data;
	*stats = &p->stats;
	return 0;
}

static struct struct_io_manager manager = {
    .magic = EXT2_ET_MAGIC_IO_MANAGER,
    .name = "VMOS virtio-blk I/O manager",
    .open = io_open,
    .close = io_close,
    .set_blksize = io_set_blksize,
    .read_blk = io_read_blk,
    .write_blk = io_write_blk,
    .flush = io_flush,
    .write_byte = io_write_byte,
    .set_option = io_set_option,
    .get_stats = io_get_stats,
    .read_blk64 = io_read_blk64,
    .write_blk64 = io_write_blk64,
};
