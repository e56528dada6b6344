/* statfs.c - filesystem statistics: statfs, fstatfs, statvfs, fstatvfs. The RAM
 * filesystem answers as Linux's tmpfs: its magic, 4096-byte blocks, the page allocator's
 * pages as blocks (all memory is the filesystem's to use) and its free pages as free
 * blocks, one inode per free page besides the nodes in use, 255-byte names. Descriptors
 * of other objects answer with the pseudo-filesystem Linux puts them on: pipes pipefs,
 * sockets sockfs, the console devpts (a terminal). A file on a mounted disk answers with
 * its store's real figures (posix/fs/ramfs_store.h); ST_RDONLY when mounted read-only. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include "mm/vm.h"
#include "posix/fs/files.h"
#include "posix/fs/ramfs_store.h"
#include "posix/posix.h"

#define BLOCK 4096

/* Fill @buf for a filesystem of type @magic; the RAM filesystem's counts for tmpfs. */
static void fill(struct statfs *buf, long magic)
{
	memset(buf, 0, sizeof(*buf));
	buf->f_type = magic;
	buf->f_bsize = BLOCK;
	buf->f_frsize = BLOCK;
	buf->f_namelen = RAMFS_NAME_MAX;
	buf->f_flags = ST_VALID;
	if (magic == TMPFS_MAGIC) {
		uint64_t total, free_pages;
		page_stats(&total, &free_pages);
		buf->f_blocks = total;
		buf->f_bfree = free_pages;
		buf->f_bavail = free_pages;
		buf->f_files = posix_rootfs.node_count + free_pages;
		buf->f_ffree = free_pages;
	}
}

/* The figures of the file system @node is on: its store's, or tmpfs's. */
static int fill_node(struct ramfs_node *node, struct statfs *buf)
{
	struct ramfs_store *st = ramfs_node_store(node);
	struct ramfs_store_statfs f;

	if (!st || !st->ops->statfs) {
		fill(buf, TMPFS_MAGIC);
		return 0;
	}
	int err = st->ops->statfs(st, &f);
	if (err)
		return err;
	memset(buf, 0, sizeof(*buf));
	buf->f_type = f.magic;
	buf->f_bsize = (long)f.block_size;
	buf->f_frsize = (long)f.block_size;
	buf->f_blocks = f.blocks;
	buf->f_bfree = f.blocks_free;
	buf->f_bavail = f.blocks_avail;
	buf->f_files = f.files;
	buf->f_ffree = f.files_free;
	buf->f_namelen = f.name_max;
	buf->f_fsid.__val[0] = (int)st->dev;
	buf->f_flags = ST_VALID | (st->read_only ? ST_RDONLY : 0);
	return 0;
}

/* statfs - the filesystem holding @path. Returns 0, or -1 with the lookup's errno
 * (ENOENT, ENOTDIR, ENAMETOOLONG). */
int statfs(const char *path, struct statfs *buf)
{
	struct ramfs_node *node;
	int err = ramfs_lookup(&posix_rootfs, posix_cwd(), path, &node);

	if (!err)
		err = fill_node(node, buf);
	return (int)posix_result(err);
}

/* fstatfs - the filesystem of @fd's object. Returns 0, or -1 with EBADF. */
int fstatfs(int fd, struct statfs *buf)
{
	struct stat st;
	struct vfile *f;
	int err = fd_get(&posix_fds, fd, &f);

	if (err)
		return (int)posix_result(err);
	struct ramfs_node *node = posix_file_node(f);
	if (node) {
		err = fill_node(node, buf);
		vfile_unref(f);
		return (int)posix_result(err);
	}
	vfile_unref(f);
	err = fd_fstat(&posix_fds, fd, &st);
	if (err)
		return (int)posix_result(err);
	if (S_ISFIFO(st.st_mode))
		fill(buf, PIPEFS_MAGIC);
	else if (S_ISSOCK(st.st_mode))
		fill(buf, SOCKFS_MAGIC);
	else if (S_ISCHR(st.st_mode))
		fill(buf, DEVPTS_SUPER_MAGIC);
	else
		fill(buf, TMPFS_MAGIC);
	return 0;
}

/* statvfs's fields from statfs's, as glibc converts them (f_flag without ST_VALID). */
static void to_statvfs(const struct statfs *s, struct statvfs *v)
{
	memset(v, 0, sizeof(*v));
	v->f_bsize = (unsigned long)s->f_bsize;
	v->f_frsize = (unsigned long)s->f_frsize;
	v->f_blocks = s->f_blocks;
	v->f_bfree = s->f_bfree;
	v->f_bavail = s->f_bavail;
	v->f_files = (fsfilcnt_t)s->f_files;
	v->f_ffree = (fsfilcnt_t)s->f_ffree;
	v->f_favail = (fsfilcnt_t)s->f_ffree;
	v->f_flag = (unsigned long)(s->f_flags & ~ST_VALID);
	v->f_namemax = (unsigned long)s->f_namelen;
	v->f_fsid = (unsigned long)(unsigned)s->f_fsid.__val[0];
}

int statvfs(const char *path, struct statvfs *buf)
{
	struct statfs s;

	if (statfs(path, &s))
		return -1;
	to_statvfs(&s, buf);
	return 0;
}

int fstatvfs(int fd, struct statvfs *buf)
{
	struct statfs s;

	if (fstatfs(fd, &s))
		return -1;
	to_statvfs(&s, buf);
	return 0;
}
