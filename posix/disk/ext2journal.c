/* ext2journal.c - the journal writer of the I/O manager (ext2io.h): the blocks libext2fs
 * wrote since the last commit go into the file system's JBD2 journal as one transaction
 * (descriptor blocks, the blocks, a commit block, checksummed when the journal has
 * CSUM_V3), the journal superblock points at it, a flush; then the blocks go in place, a
 * flush, and the journal is marked empty. A crash before the first flush leaves the file
 * system as the last commit left it; after it, the transaction is replayed at the next
 * mount (by e2fsprogs' recovery code, ext2store.c) or by e2fsck. Every transaction is
 * checkpointed before the next begins, so the journal never holds more than one and
 * needs no revoke records. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ext2fs/ext2_fs.h>
#include <ext2fs/ext2fs.h>

#include "kernel/clock.h"
#include "posix/disk/ext2io.h"
#include "posix/disk/ext2io_internal.h"
#include "posix/disk/jbd2.h"
#include "virtio/virtio_blk.h"

#define RUN_BLOCKS 64 /* blocks one contiguous write carries, at most */

static uint32_t be32(uint32_t v)
{
	return __builtin_bswap32(v);
}

static uint64_t be64(uint64_t v)
{
	return __builtin_bswap64(v);
}

static uint32_t crc(const struct ext2io *p, uint32_t seed, const void *buf, size_t len)
{
	(void)p;
	return ext2fs_crc32c_le(seed, buf, len);
}

/* Writes of whole blocks at physical block numbers, joined while they are contiguous. */
struct run {
	struct ext2io *p;
	uint8_t *buf;
	uint64_t start;
	uint32_t count;
	int err;
};

static void run_flush(struct run *r)
{
	if (r->count && !r->err)
		r->err = ext2io_transfer(r->p, r->start * r->p->bs, r->buf,
		                         (uint64_t)r->count * r->p->bs, true);
	r->count = 0;
}

static void run_put(struct run *r, uint64_t phys, const void *data)
{
	if (r->count && (phys != r->start + r->count || r->count == RUN_BLOCKS))
		run_flush(r);
	if (!r->count)
		r->start = phys;
	memcpy(r->buf + (size_t)r->count * r->p->bs, data, r->p->bs);
	r->count++;
}

static int by_block(const void *a, const void *b)
{
	uint64_t x = (*(struct cblock *const *)a)->blk, y = (*(struct cblock *const *)b)->blk;
	return x < y ? -1 : x > y;
}

static uint32_t tag_bytes(const struct ext2io *p)
{
	return p->csum_v3 ? sizeof(struct jbd2_tag3) : p->b64 ? 12 : 8;
}

/* Tags one descriptor block holds (the first carries the 16-byte UUID after it). */
static uint32_t tags_per_descriptor(const struct ext2io *p)
{
	uint32_t room = p->bs - sizeof(struct jbd2_header) - 16 - (p->csum_v3 ? 4 : 0);
	return room / tag_bytes(p);
}

/* The journal superblock, its checksum, at the journal's first block. */
static int write_jsb(struct ext2io *p, uint32_t start, uint32_t sequence)
{
	uint8_t *block = calloc(1, p->bs);
	if (!block)
		return -ENOMEM;
	p->jsb.s_start = be32(start);
	p->jsb.s_sequence = be32(sequence);
	if (p->csum_v3) {
		p->jsb.s_checksum = 0;
		p->jsb.s_checksum = be32(crc(p, ~0u, &p->jsb, sizeof(p->jsb)));
	}
	memcpy(block, &p->jsb, sizeof(p->jsb));
	int err = ext2io_transfer(p, p->jmap[0] * p->bs, block, p->bs, true);
	free(block);
	return err;
}

/* Descriptor, blocks, ..., commit: the transaction @seq into the journal from jfirst. */
static int write_transaction(struct ext2io *p, struct cblock **blocks, uint32_t n, uint32_t seq,
                             struct run *r, uint8_t *scratch)
{
	uint32_t pos = p->jfirst, per = tags_per_descriptor(p), tb = tag_bytes(p);
	uint32_t seq_be = be32(seq);

	for (uint32_t i = 0; i < n && !r->err;) {
		uint32_t k = n - i < per ? n - i : per;
		memset(scratch, 0, p->bs);
		struct jbd2_header *h = (struct jbd2_header *)scratch;
		h->h_magic = be32(JBD2_MAGIC);
		h->h_blocktype = be32(JBD2_DESCRIPTOR_BLOCK);
		h->h_sequence = seq_be;
		uint8_t *tagp = scratch + sizeof(*h);
		for (uint32_t j = 0; j < k; j++) {
			const struct cblock *c = blocks[i + j];
			uint32_t flags =
			    (j ? JBD2_FLAG_SAME_UUID : 0) | (j + 1 == k ? JBD2_FLAG_LAST_TAG : 0);
			bool escape = be32(*(const uint32_t *)c->data) == JBD2_MAGIC;
			if (escape)
				flags |= JBD2_FLAG_ESCAPE;
			if (p->csum_v3) {
				struct jbd2_tag3 *t = (struct jbd2_tag3 *)tagp;
				t->t_blocknr = be32((uint32_t)c->blk);
				t->t_blocknr_high = be32((uint32_t)(c->blk >> 32));
				t->t_flags = be32(flags);
				/* Over the block as the journal holds it (escaped). */
				uint32_t sum = crc(p, p->csum_seed, &seq_be, 4);
				uint32_t first = escape ? 0 : *(const uint32_t *)c->data;
				sum = crc(p, sum, &first, 4);
				sum = crc(p, sum, c->data + 4, p->bs - 4);
				t->t_checksum = be32(sum);
			} else {
				struct jbd2_tag *t = (struct jbd2_tag *)tagp;
				t->t_blocknr = be32((uint32_t)c->blk);
				t->t_flags = (uint16_t)__builtin_bswap16((uint16_t)flags);
				if (p->b64)
					t->t_blocknr_high = be32((uint32_t)(c->blk >> 32));
			}
			tagp += tb;
			if (j == 0) {
				memcpy(tagp, p->jsb.s_uuid, 16);
				tagp += 16;
			}
		}
		if (p->csum_v3) {
			uint32_t *tail = (uint32_t *)(scratch + p->bs - 4);
			*tail = 0;
			*tail = be32(crc(p, p->csum_seed, scratch, p->bs));
		}
		run_put(r, p->jmap[pos++], scratch);
		for (uint32_t j = 0; j < k; j++) {
			const struct cblock *c = blocks[i + j];
			if (be32(*(const uint32_t *)c->data) == JBD2_MAGIC) {
				memcpy(scratch, c->data, p->bs);
				memset(scratch, 0, 4);
				run_put(r, p->jmap[pos++], scratch);
			} else {
				run_put(r, p->jmap[pos++], c->data);
			}
		}
		i += k;
	}
	memset(scratch, 0, p->bs);
	struct jbd2_commit *cb = (struct jbd2_commit *)scratch;
	cb->h.h_magic = be32(JBD2_MAGIC);
	cb->h.h_blocktype = be32(JBD2_COMMIT_BLOCK);
	cb->h.h_sequence = seq_be;
	int64_t now = (int64_t)clock_realtime_ns();
	cb->h_commit_sec = be64((uint64_t)(now / 1000000000));
	cb->h_commit_nsec = be32((uint32_t)(now % 1000000000));
	if (p->csum_v3)
		cb->h_chksum[0] = be32(crc(p, p->csum_seed, scratch, p->bs));
	run_put(r, p->jmap[pos], scratch);
	run_flush(r);
	return r->err;
}

int ext2io_commit(struct ext2io *p)
{
	if (!p->held)
		return vblk_flush(p->disk);
	uint32_t n = 0;
	struct cblock **blocks = malloc(sizeof(*blocks) * p->held);
	uint8_t *scratch = malloc(p->bs);
	struct run r = {p, malloc((size_t)RUN_BLOCKS * p->bs), 0, 0, 0};
	int err = 0;
	if (!blocks || !scratch || !r.buf) {
		err = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < CACHE_BUCKETS; i++)
		for (struct cblock *c = p->buckets[i]; c; c = c->next)
			blocks[n++] = c;
	qsort(blocks, n, sizeof(*blocks), by_block);

	uint32_t seq = p->sequence;
	/* 1. The transaction, and the journal superblock naming it; a flush: from here on
	 * a crash is replayed, before it nothing happened. */
	err = write_transaction(p, blocks, n, seq, &r, scratch);
	if (!err)
		err = write_jsb(p, p->jfirst, seq);
	if (!err)
		err = vblk_flush(p->disk);
	/* 2. The blocks in place; a flush. */
	for (uint32_t i = 0; i < n && !err; i++)
		run_put(&r, blocks[i]->blk, blocks[i]->data);
	run_flush(&r);
	if (!err)
		err = r.err;
	if (!err)
		err = vblk_flush(p->disk);
	/* 3. The journal empty again (the next commit's flush makes it durable; replaying
	 * this transaction once more before that is harmless). */
	if (!err)
		err = write_jsb(p, 0, seq + 1);
	if (!err) {
		p->sequence = seq + 1;
		p->commits++;
		p->committed_blocks += n;
		ext2io_cache_drop(p);
	}
out:
	free(blocks);
	free(scratch);
	free(r.buf);
	return err;
}

int ext2io_journal_start(ext2_filsys fs, char *why, size_t why_size)
{
	struct ext2io *p = fs->io->private_data;
	struct ext2_inode in;
	ext2_ino_t ino = fs->super->s_journal_inum;

	if (fs->io->manager != ext2io_manager)
		return -EINVAL;
	if (!ext2fs_has_feature_journal(fs->super)) {
		snprintf(why, why_size, "no journal (mke2fs -j or -t ext4 makes one)");
		return -ENOENT;
	}
	if (!ino) {
		snprintf(why, why_size, "an external journal, which VMOS does not write");
		return -EOPNOTSUPP;
	}
	int err = ext2io_errno(ext2fs_read_inode(fs, ino, &in));
	if (err)
		return err;
	uint64_t jlen = EXT2_I_SIZE(&in) / fs->blocksize;
	if (jlen < 64 || jlen > (1u << 24)) {
		snprintf(why, why_size, "a journal of %llu blocks", (unsigned long long)jlen);
		return -EINVAL;
	}
	uint64_t *map = malloc(sizeof(*map) * jlen);
	if (!map)
		return -ENOMEM;
	for (uint64_t i = 0; i < jlen && !err; i++) {
		blk64_t phys = 0;
		err = ext2io_errno(ext2fs_bmap2(fs, ino, &in, NULL, 0, i, NULL, &phys));
		if (!err && !phys)
			err = -EIO; /* a hole in the journal */
		map[i] = phys;
	}
	uint8_t *block = err ? NULL : malloc(fs->blocksize);
	if (!err && !block)
		err = -ENOMEM;
	if (!err)
		err = ext2io_transfer(p, map[0] * fs->blocksize, block, fs->blocksize, false);
	if (err) {
		snprintf(why, why_size, "cannot read its journal (%d)", err);
		free(map);
		free(block);
		return err;
	}
	memcpy(&p->jsb, block, sizeof(p->jsb));
	free(block);
	struct jbd2_superblock *j = &p->jsb;
	uint32_t type = be32(j->s_header.h_blocktype), incompat = be32(j->s_feature_incompat);
	const char *bad = NULL;
	if (be32(j->s_header.h_magic) != JBD2_MAGIC ||
	    (type != JBD2_SUPERBLOCK_V1 && type != JBD2_SUPERBLOCK_V2))
		bad = "its journal has no JBD2 superblock";
	else if (be32(j->s_blocksize) != fs->blocksize || be32(j->s_maxlen) > jlen ||
	         be32(j->s_first) == 0 || be32(j->s_first) >= be32(j->s_maxlen))
		bad = "its journal superblock disagrees with the journal inode";
	else if (type == JBD2_SUPERBLOCK_V2 &&
	         (incompat & ~(JBD2_INCOMPAT_REVOKE | JBD2_INCOMPAT_64BIT | JBD2_INCOMPAT_CSUM_V3)))
		bad = "its journal has features VMOS does not write (CSUM_V2, async commit or fast "
		      "commit)";
	else if (j->s_start)
		bad = "its journal still holds a transaction after recovery";
	if (bad) {
		snprintf(why, why_size, "%s", bad);
		free(map);
		return -EOPNOTSUPP;
	}
	p->jmap = map;
	p->jlen = be32(j->s_maxlen);
	p->jfirst = be32(j->s_first);
	p->sequence = be32(j->s_sequence);
	p->csum_v3 = type == JBD2_SUPERBLOCK_V2 && (incompat & JBD2_INCOMPAT_CSUM_V3);
	p->b64 = type == JBD2_SUPERBLOCK_V2 && (incompat & JBD2_INCOMPAT_64BIT);
	if (p->csum_v3)
		p->csum_seed = crc(p, ~0u, j->s_uuid, sizeof(j->s_uuid));
	p->bs = fs->blocksize;
	/* A transaction's blocks, their descriptors and the commit block fit the journal. */
	uint32_t per = tags_per_descriptor(p), space = p->jlen - p->jfirst - 1;
	p->max_held = space * per / (per + 1) - 1;
	p->journaling = true;
	/* Until unmount the file system is "in use": a crash is for recovery to handle. */
	ext2fs_set_feature_journal_needs_recovery(fs->super);
	ext2fs_mark_super_dirty(fs);
	return 0;
}

bool ext2io_wants_commit(ext2_filsys fs)
{
	struct ext2io *p = fs->io->private_data;
	return p->journaling && p->held > p->max_held / 2;
}

size_t ext2io_chunk_bytes(ext2_filsys fs)
{
	struct ext2io *p = fs->io->private_data;
	if (!p->journaling)
		return (size_t)1 << 30;
	/* A quarter of a transaction: the rest is for the extent tree, bitmaps, inodes. */
	return (size_t)(p->max_held / 4) * p->bs;
}

bool ext2io_has_held(ext2_filsys fs)
{
	struct ext2io *p = fs->io->private_data;
	return p->journaling && p->held;
}

void ext2io_journal_stats(ext2_filsys fs, uint64_t *commits, uint64_t *blocks)
{
	struct ext2io *p = fs->io->private_data;
	*commits = p->commits;
	*blocks = p->committed_blocks;
}
