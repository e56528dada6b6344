/* ramfs_store.h - a backing store under a directory of the RAM filesystem: a mounted disk.
 *
 * The RAM filesystem stays the one tree every path walk, permission rule and descriptor
 * uses; under a mount point its nodes are a cache of the store's: a directory's entries
 * are loaded from the store the first time a walk or readdir needs them (load_dir, which
 * adds each with ramfs_store_add), and from then on every change of the tree under it is
 * made in the store first and in the cache only when the store succeeded, so a failure
 * (-EIO, -ENOSPC, -EROFS) changes nothing. File data is never held by ramfs there: reads,
 * writes and truncates go to the store; the node keeps the size and times it reports.
 * The store is the only writer of its disk, so the cache cannot go stale.
 *
 * All operations run in thread context and may block (disk I/O); the tree's own
 * bookkeeping happens around them, so two threads may be inside one store at once: the
 * store serialises itself where it must. Return 0 / a count, or -errno. */
#ifndef POSIX_FS_RAMFS_STORE_H
#define POSIX_FS_RAMFS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "posix/fs/ramfs.h"

struct ramfs_store;

/* What the store says about one of its objects. */
struct ramfs_store_attr {
	uint64_t id; /* its inode number: the node's st_ino */
	mode_t mode; /* type and permission bits */
	uint32_t nlink, uid, gid, rdev;
	uint64_t size;   /* bytes: files, directories (the store's own figure), links */
	uint64_t blocks; /* 512-byte units allocated */
	int64_t atime_ns, mtime_ns, ctime_ns;
};

/* What statfs reports of a store. */
struct ramfs_store_statfs {
	uint32_t magic; /* f_type: EXT4_SUPER_MAGIC... */
	uint64_t block_size, blocks, blocks_free, blocks_avail, files, files_free;
	uint32_t name_max;
};

struct ramfs_store_ops {
	/* Every entry of directory @dir but "." and "..", each given to ramfs_store_add. */
	int (*load_dir)(struct ramfs_store *st, struct ramfs_node *dir);
	/* A new entry @name (@len bytes) in @dir: of @mode (S_IFREG, S_IFDIR, S_IFLNK with
	 * @target, a device with @rdev, a socket), owned by @uid:@gid, times @t; its
	 * attributes into @out. */
	int (*create)(struct ramfs_store *st, struct ramfs_node *dir, const char *name, size_t len,
	              mode_t mode, uint32_t rdev, const char *target, uint32_t uid, uint32_t gid,
	              int64_t t, struct ramfs_store_attr *out);
	/* Remove entry @node of @dir (a directory is empty); the object itself goes when
	 * its last link does, and not before forget when the node is still referenced. */
	int (*remove)(struct ramfs_store *st, struct ramfs_node *dir, struct ramfs_node *node);
	/* rename(2): @node, entry of @olddir, becomes @name (@len bytes) in @newdir,
	 * replacing @target (NULL: none) in one step: after a crash either name is found. */
	int (*rename)(struct ramfs_store *st, struct ramfs_node *olddir, struct ramfs_node *node,
	              struct ramfs_node *newdir, const char *name, size_t len,
	              struct ramfs_node *target);
	ssize_t (*read)(struct ramfs_store *st, struct ramfs_node *node, void *buf, size_t len,
	                off_t off);
	/* Write @len bytes at @off (growing the file); the new size into @size. */
	ssize_t (*write)(struct ramfs_store *st, struct ramfs_node *node, const void *buf,
	                 size_t len, off_t off, uint64_t *size);
	int (*truncate)(struct ramfs_store *st, struct ramfs_node *node, off_t size);
	/* The node's mode, owner and times changed (ramfs_getattr has them): keep them. */
	int (*setattr)(struct ramfs_store *st, struct ramfs_node *node);
	/* fsync(2) of @node (NULL: everything, sync(2)): on stable storage before 0. */
	int (*sync)(struct ramfs_store *st, struct ramfs_node *node, bool data_only);
	/* statfs(2)/statvfs(3) figures of the store, into @out. */
	int (*statfs)(struct ramfs_store *st, struct ramfs_store_statfs *out);
	/* @node leaves the cache (its last reference went after it left the tree, or the
	 * store is unmounted): let go of what the store kept for it. */
	void (*forget)(struct ramfs_store *st, struct ramfs_node *node);
};

struct ramfs_store {
	const struct ramfs_store_ops *ops;
	uint32_t dev;   /* st_dev of its nodes */
	bool read_only; /* every change is -EROFS, before the store is asked */
};

/* ramfs_mount - put @st under directory @dir, whose store root is @root: @dir's entries
 * (it must have none) and attributes become the store's. Returns 0, -ENOTDIR, -ENOTEMPTY,
 * -EBUSY when @dir is already a store's. */
int ramfs_mount(struct ramfs *fs, struct ramfs_node *dir, struct ramfs_store *st,
                const struct ramfs_store_attr *root);

/* ramfs_store_add - for load_dir: entry @name (@len bytes) of @dir with attributes @a,
 * and for a symbolic link its @target (@target_len bytes). Returns 0 or -ENOMEM. */
int ramfs_store_add(struct ramfs_node *dir, const char *name, size_t len,
                    const struct ramfs_store_attr *a, const char *target, size_t target_len);

/* ramfs_node_store - the store @node belongs to, or NULL (a RAM node). */
struct ramfs_store *ramfs_node_store(const struct ramfs_node *node);

/* ramfs_node_name - @node's name in its directory and its length in @len. */
const char *ramfs_node_name(const struct ramfs_node *node, size_t *len);

/* ramfs_store_id - @node's inode number in its store. */
uint64_t ramfs_store_id(const struct ramfs_node *node);

/* ramfs_store_priv / ramfs_set_store_priv - one pointer the store keeps per node (an open
 * file handle...); NULL until set. */
void *ramfs_store_priv(const struct ramfs_node *node);
void ramfs_set_store_priv(struct ramfs_node *node, void *priv);

/* ramfs_store_set_size - the store changed @node's size or allocation (a store that
 * learns it late: delayed allocation). */
void ramfs_store_set_size(struct ramfs_node *node, uint64_t size, uint64_t blocks);

/* ramfs_sync - fsync(2) of @node: its store's sync; 0 for a RAM node. */
int ramfs_sync(struct ramfs_node *node, bool data_only);

#endif
