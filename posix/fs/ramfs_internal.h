/* ramfs_internal.h - what the RAM filesystem's files (ramfs.c: nodes and the tree's
 * changes; ramfs_walk.c: path walks and symbolic links; ramfs_data.c: file data,
 * attributes, readdir) share; not for callers of ramfs.h. */
#ifndef POSIX_FS_RAMFS_INTERNAL_H
#define POSIX_FS_RAMFS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "posix/fs/ramfs.h"

#define RAMFS_OFF_MAX      ((off_t)INT64_MAX)
#define RAMFS_SSIZE_MAX    ((size_t)SIZE_MAX / 2)
#define RAMFS_DIRENT_BYTES 20 /* tmpfs's directory size per entry (BOGO_DIRENT_SIZE) */
#define RAMFS_MIN_CAP      64 /* smallest file data allocation, in bytes */
#define RAMFS_MIN_ENTRIES  8  /* smallest directory entry array */
#define RAMFS_FILE_PERMS   07777
#define RAMFS_DIR_PERMS    01777

struct ramfs_file {
	unsigned char *data;
	size_t size; /* bytes of file */
	size_t cap;  /* bytes allocated */
};

/* Entries in the order they were made, which is cookie order: a binary search finds a
 * cookie, a linear scan finds a name. */
struct ramfs_dir {
	struct ramfs_node **kids;
	size_t count;
	size_t cap;
	uint64_t next_cookie; /* for the next entry; 0 and 1 are "." and ".." */
};

struct ramfs_node {
	struct ramfs *fs;
	/* The directory holding it; the root's is itself. A removed file has NULL; a removed
	 * directory that is still referenced keeps its old parent, with a reference, for "..";
	 * a removed directory is freed at once otherwise. */
	struct ramfs_node *parent;
	struct ramfs_node *prev; /* fs->nodes */
	struct ramfs_node *next;
	char *name; /* NUL-terminated; "" for the root */
	size_t namelen;
	uint64_t cookie; /* readdir position in the parent */
	uint64_t ino;
	mode_t mode;
	uint32_t nlink; /* 0: removed */
	unsigned refs;
	int64_t atime;
	int64_t mtime;
	int64_t ctime;
	uint32_t uid;
	uint32_t gid;
	void *object;  /* a socket node's bound socket (ramfs_mksock), or NULL */
	uint32_t rdev; /* a device node's number (ramfs_mkdev), else 0 */
	/* Under a mount point (ramfs_store.h): the store, what it keeps for the node, its
	 * figures (a directory's size, every node's blocks), whether a directory's entries
	 * are loaded yet, whether this is the mount point itself. */
	struct ramfs_store *store;
	void *store_priv;
	uint64_t store_size, store_blocks;
	bool loaded, mount_root;
	union {
		struct ramfs_file file;
		struct ramfs_dir dir;
	} u;
};

/* What the last component of a path is, as Linux's path walk calls it. */
enum ramfs_last { LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT };

/* A path walked up to its last component. */
struct walk {
	struct ramfs_node *dir; /* the directory the last component is looked up in */
	const char *name;       /* the last component, not NUL-terminated */
	size_t len;
	enum ramfs_last type;
	bool slash; /* the path ends in a slash */
};

static inline int64_t now(const struct ramfs *fs)
{
	return fs->clock ? fs->clock(fs->clock_ctx) : 0;
}

static inline bool is_dir(const struct ramfs_node *node)
{
	return S_ISDIR(node->mode);
}

static inline bool is_removed(const struct ramfs_node *node)
{
	return node->nlink == 0;
}

static inline bool is_root(const struct ramfs_node *node)
{
	return node->parent == node;
}

static inline bool is_link(const struct ramfs_node *node)
{
	return S_ISLNK(node->mode);
}

/* ramfs_top_of - where absolute paths start: the root, or the directory ramfs_set_top chose. */
struct ramfs_node *ramfs_top_of(struct ramfs *fs);

/* ramfs_dir_find - @dir's entry named @name (@len bytes), or NULL. */
struct ramfs_node *ramfs_dir_find(const struct ramfs_node *dir, const char *name, size_t len);

/* ramfs_dir_seek - index of the first entry of @dir whose cookie is >= @cookie (count when
 * none). */
size_t ramfs_dir_seek(const struct ramfs_node *dir, uint64_t cookie);

/* ramfs_walk_parent - walk @path from @base (or the top) up to its last component, into @w,
 * following the symbolic links met on the way. Returns 0 or the path errors (ramfs.h). */
int ramfs_walk_parent(struct ramfs *fs, struct ramfs_node *base, const char *path, struct walk *w);

/* ramfs_walk_last_links - the node the last component of @w names; a symbolic link there
 * is followed when @follow or when the path ends in a slash. *@links counts the links
 * followed so far (-ELOOP past 40). */
int ramfs_walk_last_links(struct ramfs *fs, const struct walk *w, bool follow, int *links,
                          struct ramfs_node **out);

/* ramfs_walk_last - ramfs_walk_last_links following every link. */
int ramfs_walk_last(struct ramfs *fs, const struct walk *w, struct ramfs_node **out);

/* ramfs_dir_load - make sure a store directory's entries are in the tree (ramfs_store.h);
 * 0 at once for a RAM directory. Returns 0 or the store's error. */
int ramfs_dir_load(struct ramfs_node *dir);

/* ramfs_node_set_attr - a store node's attributes from @a. */
struct ramfs_store_attr;
void ramfs_node_set_attr(struct ramfs_node *node, const struct ramfs_store_attr *a);

/* ramfs_file_shrink - give back memory of a file that shrank a lot (harmless if it cannot). */
void ramfs_file_shrink(struct ramfs_file *f);

#endif
