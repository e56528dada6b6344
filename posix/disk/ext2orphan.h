/* ext2orphan.h - ext4's orphan list: the inodes whose last name went while they were still
 * open, chained from the superblock's s_last_orphan through each inode's i_dtime, as Linux
 * keeps them. An inode is put on the list in the same transaction that drops its last
 * link and taken off in the one that frees it, so that after a crash in between, the
 * next mount (ext2orphan_release_all) or e2fsck frees it instead of finding a lost inode
 * with no name. The callers hold the file system's lock and write the inode. */
#ifndef POSIX_DISK_EXT2ORPHAN_H
#define POSIX_DISK_EXT2ORPHAN_H

#include <ext2fs/ext2fs.h>

/* ext2orphan_add - @ino (its inode in @in, to be written by the caller) at the head of
 * the list. */
void ext2orphan_add(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in);

/* The way an inode of the chain is written back: the caller's, which also refreshes the
 * copy an open file handle keeps (a handle writing its old copy later would undo the
 * change). */
typedef int (*ext2orphan_put_fn)(void *ctx, ext2_ino_t ino, struct ext2_inode_large *in);

/* ext2orphan_remove - @ino (its inode in @in, to be written by the caller) out of the list,
 * wherever it is in it; the inode before it in the chain, when there is one, is written
 * with @put. Returns 0, or -errno when an inode of the chain cannot be read or written; a
 * chain that does not lead to @ino (damaged) is left as it is (e2fsck takes care of it)
 * and gives -ENOENT. */
int ext2orphan_remove(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in,
                      ext2orphan_put_fn put, void *ctx);

/* ext2orphan_release_all - at a read-write mount, after the journal replay: free every
 * inode on the list that has no link left (blocks and inode), cut the others' blocks
 * past their size (a truncate Linux was in the middle of), and empty the list. Bitmaps
 * must be loaded. Returns how many inodes were freed, or -errno. */
int ext2orphan_release_all(ext2_filsys fs, int64_t now_s);

#endif
