/* ext2orphan.c - ext4's orphan list (ext2orphan.h), the chain e2fsck's
 * release_orphan_inodes and Linux's ext4_orphan_cleanup walk. */
#include <errno.h>
#include <string.h>

#include <ext2fs/ext2fs.h>

#include "posix/disk/ext2io.h"
#include "posix/disk/ext2orphan.h"

/* Whether @ino can be on the list at all: a file's inode, not a reserved one. */
static bool valid(ext2_filsys fs, ext2_ino_t ino)
{
	return ino >= EXT2_FIRST_INODE(fs->super) && ino <= fs->super->s_inodes_count;
}

static int get(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in)
{
	memset(in, 0, sizeof(*in));
	return ext2io_errno(ext2fs_read_inode_full(fs, ino, (struct ext2_inode *)in, sizeof(*in)));
}

static int put(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in)
{
	return ext2io_errno(ext2fs_write_inode_full(fs, ino, (struct ext2_inode *)in, sizeof(*in)));
}

void ext2orphan_add(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in)
{
	in->i_dtime = fs->super->s_last_orphan;
	fs->super->s_last_orphan = ino;
	ext2fs_mark_super_dirty(fs);
}

int ext2orphan_remove(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in,
                      ext2orphan_put_fn put_back, void *ctx)
{
	ext2_ino_t next = in->i_dtime;
	in->i_dtime = 0;
	if (fs->super->s_last_orphan == ino) {
		fs->super->s_last_orphan = valid(fs, next) ? next : 0;
		ext2fs_mark_super_dirty(fs);
		return 0;
	}
	/* Somewhere down the chain: its predecessor takes over its next. Bounded, in case
	 * the chain is a loop. */
	ext2_ino_t at = fs->super->s_last_orphan;
	for (uint32_t steps = 0; valid(fs, at) && steps < fs->super->s_inodes_count; steps++) {
		struct ext2_inode_large prev;
		int err = get(fs, at, &prev);
		if (err)
			return err;
		if (prev.i_dtime == ino) {
			prev.i_dtime = valid(fs, next) ? next : 0;
			return put_back(ctx, at, &prev);
		}
		at = prev.i_dtime;
	}
	return -ENOENT;
}

/* One orphan: freed when it has no link left, else its blocks past its size cut. */
static int release(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in, int64_t now_s)
{
	int err = 0;
	bool is_dir = LINUX_S_ISDIR(in->i_mode);
	if (in->i_links_count == 0) {
		if (ext2fs_inode_has_valid_blocks2(fs, (struct ext2_inode *)in))
			err = ext2io_errno(
			    ext2fs_punch(fs, ino, (struct ext2_inode *)in, NULL, 0, ~0ULL));
		in->i_links_count = 0;
		in->i_dtime = (uint32_t)now_s;
		if (!err)
			err = put(fs, ino, in);
		if (!err)
			ext2fs_inode_alloc_stats2(fs, ino, -1, is_dir);
		return err ? err : 1;
	}
	uint64_t first_cut = (EXT2_I_SIZE(in) + fs->blocksize - 1) / fs->blocksize;
	if (ext2fs_inode_has_valid_blocks2(fs, (struct ext2_inode *)in))
		err = ext2io_errno(
		    ext2fs_punch(fs, ino, (struct ext2_inode *)in, NULL, first_cut, ~0ULL));
	in->i_dtime = 0;
	return err ? err : put(fs, ino, in);
}

int ext2orphan_release_all(ext2_filsys fs, int64_t now_s)
{
	ext2_ino_t at = fs->super->s_last_orphan;
	int freed = 0;
	if (!at)
		return 0;
	/* Off the list first, as e2fsck does: a chain that fails half-way is not walked
	 * again at the next mount (e2fsck -f then finds what is left). */
	fs->super->s_last_orphan = 0;
	ext2fs_mark_super_dirty(fs);
	for (uint32_t steps = 0; valid(fs, at) && steps < fs->super->s_inodes_count; steps++) {
		struct ext2_inode_large in;
		int err = get(fs, at, &in);
		if (err)
			return err;
		ext2_ino_t next = in.i_dtime;
		if (in.i_mode == 0 || !ext2fs_test_inode_bitmap2(fs->inode_map, at))
			break; /* not an inode in use: the chain is damaged from here */
		err = release(fs, at, &in, now_s);
		if (err < 0)
			return err;
		freed += err;
		at = next;
	}
	return freed;
}
