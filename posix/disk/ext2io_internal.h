/* ext2io_internal.h - what the I/O manager (ext2io.c: the channel, the block cache) and
 * the journal writer (ext2journal.c) share. */
#ifndef POSIX_DISK_EXT2IO_INTERNAL_H
#define POSIX_DISK_EXT2IO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <ext2fs/ext2fs.h>

#include "posix/disk/jbd2.h"

#define CACHE_BUCKETS   1024
#define READAHEAD_BYTES (256 * 1024)

/* A block written since the last commit, held until the next (fs block units). */
struct cblock {
	uint64_t blk;
	struct cblock *next; /* bucket chain */
	uint8_t data[];
};

struct ext2io {
	struct vblk *disk;
	struct struct_io_stats stats;
	/* The read-ahead window (ext2io_transfer): READAHEAD_BYTES from ra_off when ra_len,
	 * and where the last read ended. */
	uint8_t *ra;
	uint64_t ra_off, ra_len, last_end;
	/* Journaling (ext2io_journal_start): writes are held here until a flush commits
	 * them. */
	bool journaling;
	uint32_t bs; /* the file system's block size */
	struct cblock *buckets[CACHE_BUCKETS];
	uint32_t held;     /* blocks held */
	uint32_t max_held; /* what one transaction carries */
	/* The journal: its blocks' places on the disk (fs blocks), its superblock. */
	uint64_t *jmap;
	uint32_t jlen, jfirst;
	uint32_t sequence; /* of the next transaction */
	bool csum_v3, b64;
	uint32_t csum_seed;
	struct jbd2_superblock jsb;
	uint64_t commits, committed_blocks;
	bool overflow_reported;
};

/* ext2io_transfer - bytes at byte @offset of the disk from or to @buf, whole sectors or
 * not, through the read-ahead window but past the held blocks. Returns 0 or -errno. */
int ext2io_transfer(struct ext2io *p, uint64_t offset, uint8_t *buf, uint64_t bytes, bool write);

/* ext2io_commit - the held blocks as one JBD2 transaction: into the journal, flushed,
 * then in place, flushed, then the journal marked empty (ext2journal.c). Returns 0 or
 * -errno; the blocks stay held on failure. */
int ext2io_commit(struct ext2io *p);

/* ext2io_cache_drop - forget every held block (after a commit). */
void ext2io_cache_drop(struct ext2io *p);

#endif
