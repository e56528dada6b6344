/* ext2store.h - an ext2/ext3/ext4 file system on a VM disk as a backing store of the RAM
 * filesystem (posix/fs/ramfs_store.h), through e2fsprogs' libext2fs: the file calls of
 * the POSIX layer mapped onto libext2fs's the way fuse2fs maps FUSE's. */
#ifndef POSIX_DISK_EXT2STORE_H
#define POSIX_DISK_EXT2STORE_H

#include <stdbool.h>

#include "posix/fs/ramfs.h"

/* ext2store_mount - open the file system on device node @device ("/dev/vda"), replaying
 * its journal first when it needs recovery (read-write only), and put it under directory
 * @dir of @fs (empty; it becomes the file system's root). @read_only mounts it so.
 * Returns 0 or -errno (-ENODEV: no such disk; -EINVAL: no ext2/3/4 file system there;
 * -EROFS: a read-only disk mounted read-write; -EOPNOTSUPP: features libext2fs cannot
 * write; -EIO), with the reason in @why (@why_size bytes). */
int ext2store_mount(struct ramfs *fs, struct ramfs_node *dir, const char *device, bool read_only,
                    char *why, size_t why_size);

/* ext2store_sync_all - sync(2): every mounted store's changes on stable storage. */
void ext2store_sync_all(void);

/* ext2store_unmount_all - at power-off: each store's unlinked open files freed, its
 * changes written, the file system closed (ext2fs_close2) and the disk flushed. The
 * stores answer -EIO afterwards. */
void ext2store_unmount_all(void);

#endif
