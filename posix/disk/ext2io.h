/* ext2io.h - libext2fs's I/O manager over a VM disk (virtio/virtio_blk.h): the channel
 * libext2fs reads and writes the file system through, by block, flushed on request. A
 * channel's name is the disk's device node, "/dev/vda"... */
#ifndef POSIX_DISK_EXT2IO_H
#define POSIX_DISK_EXT2IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ext2fs/ext2fs.h>

/* ext2io_manager - give it to ext2fs_open2. */
extern io_manager ext2io_manager;

/* ext2io_errno - a libext2fs error code as the errno Linux gives for the same case (a
 * code that is an errno already stays one; anything unknown is -EIO). Returns -errno. */
int ext2io_errno(errcode_t err);

/* ext2io_journal_start - crash safety for @fs (opened through ext2io_manager, its journal
 * replayed): from now on its writes are held in memory and each flush commits them as
 * one transaction through the file system's JBD2 journal (posix/disk/ext2journal.c);
 * the superblock says "needs recovery" until unmount. Returns 0; -ENOENT for a file
 * system without a journal, -EOPNOTSUPP for a journal this writer cannot write (external,
 * CSUM_V2, fast commit), -EINVAL, -EIO, -ENOMEM; @why says which. */
int ext2io_journal_start(ext2_filsys fs, char *why, size_t why_size);

/* ext2io_wants_commit - whether the writes held for @fs passed half of what a
 * transaction carries (the store commits at the end of the operation then). */
bool ext2io_wants_commit(ext2_filsys fs);

/* ext2io_chunk_bytes - the largest write one transaction of @fs is sure to carry with its
 * metadata (SIZE_MAX/2 when @fs is not journaled). */
size_t ext2io_chunk_bytes(ext2_filsys fs);

/* ext2io_has_held - whether writes for @fs wait for a commit. */
bool ext2io_has_held(ext2_filsys fs);

/* ext2io_journal_stats - transactions committed and the blocks they carried. */
void ext2io_journal_stats(ext2_filsys fs, uint64_t *commits, uint64_t *blocks);

#endif
