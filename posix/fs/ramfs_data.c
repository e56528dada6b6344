/* ramfs_data.c - what a RAM-filesystem node holds: file data (read, write, truncate),
 * attributes, directory entries for readdir, and a node's path. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "posix/fs/ramfs.h"
#include "posix/fs/ramfs_internal.h"
#include "posix/fs/ramfs_store.h"

/* Give back memory of a file that shrank a lot; failing to is harmless. */
void ramfs_file_shrink(struct ramfs_file *f)
{
	unsigned char *data;

	if (f->size == 0) {
		free(f->data);
		f->data = NULL;
		f->cap = 0;
	} else if (f->size < f->cap / 4) {
		data = realloc(f->data, f->size);
		if (data) {
			f->data = data;
			f->cap = f->size;
		}
	}
}

/* Make @f's storage hold at least @need bytes, growing geometrically. */
static int file_reserve(struct ramfs_file *f, size_t need)
{
	unsigned char *data;
	size_t cap;

	if (need <= f->cap)
		return 0;
	cap = f->cap <= SIZE_MAX / 2 ? f->cap * 2 : need;
	if (cap < need)
		cap = need;
	if (cap < RAMFS_MIN_CAP)
		cap = RAMFS_MIN_CAP;
	data = realloc(f->data, cap);
	if (!data && cap > need) {
		cap = need;
		data = realloc(f->data, cap);
	}
	if (!data)
		return -ENOMEM;
	f->data = data;
	f->cap = cap;
	return 0;
}

ssize_t ramfs_read(struct ramfs_node *node, void *buf, size_t len, off_t off)
{
	const struct ramfs_file *f = &node->u.file;
	size_t n;

	if (is_dir(node))
		return -EISDIR;
	if (off < 0)
		return -EINVAL;
	node->atime = now(node->fs);
	if (node->store && S_ISREG(node->mode))
		return node->store->ops->read(node->store, node, buf, len, off);
	if ((uint64_t)off >= f->size)
		return 0;
	n = f->size - (size_t)off;
	if (n > len)
		n = len;
	if (n > RAMFS_SSIZE_MAX)
		n = RAMFS_SSIZE_MAX;
	memcpy(buf, f->data + off, n);
	return (ssize_t)n;
}

ssize_t ramfs_write(struct ramfs_node *node, const void *buf, size_t len, off_t off)
{
	struct ramfs_file *f = &node->u.file;
	size_t pos = (size_t)off;
	int64_t t;

	if (is_dir(node))
		return -EISDIR;
	if (off < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	if (off >= RAMFS_OFF_MAX)
		return -EFBIG;
	if (len > (uint64_t)(RAMFS_OFF_MAX - off))
		len = (size_t)(RAMFS_OFF_MAX - off);
	if (len > RAMFS_SSIZE_MAX)
		len = RAMFS_SSIZE_MAX;
	if (node->store && S_ISREG(node->mode)) {
		if (node->store->read_only)
			return -EROFS;
		uint64_t size = f->size;
		ssize_t n = node->store->ops->write(node->store, node, buf, len, off, &size);
		if (n > 0) {
			f->size = size;
			node->mtime = node->ctime = now(node->fs);
		}
		return n;
	}
	if (file_reserve(f, pos + len))
		return -ENOMEM;
	if (pos > f->size)
		memset(f->data + f->size, 0, pos - f->size);
	memcpy(f->data + pos, buf, len);
	if (pos + len > f->size)
		f->size = pos + len;
	t = now(node->fs);
	node->mtime = t;
	node->ctime = t;
	return (ssize_t)len;
}

int ramfs_truncate(struct ramfs_node *node, off_t size)
{
	struct ramfs_file *f = &node->u.file;
	size_t want = (size_t)size;
	int64_t t;

	if (is_dir(node))
		return -EISDIR;
	if (size < 0 || !S_ISREG(node->mode))
		return -EINVAL; /* Linux: only regular files are truncated */
	if (node->store) {
		int err = node->store->read_only
		              ? -EROFS
		              : node->store->ops->truncate(node->store, node, size);
		if (err)
			return err;
		f->size = want;
		node->mtime = node->ctime = now(node->fs);
		return 0;
	}
	if (want > f->size) {
		if (file_reserve(f, want))
			return -ENOMEM;
		memset(f->data + f->size, 0, want - f->size);
		f->size = want;
	} else {
		f->size = want;
		ramfs_file_shrink(f);
	}
	t = now(node->fs);
	node->mtime = t;
	node->ctime = t;
	return 0;
}

int ramfs_getattr(const struct ramfs_node *node, struct ramfs_attr *attr)
{
	memset(attr, 0, sizeof(*attr));
	attr->ino = node->ino;
	attr->mode = node->mode;
	attr->nlink = node->nlink;
	if (node->store) {
		attr->size = (off_t)(is_dir(node) ? node->store_size : node->u.file.size);
		attr->blocks = node->store_blocks;
		attr->dev = node->store->dev;
	} else if (is_dir(node)) {
		attr->size = (off_t)((node->u.dir.count + 2) * RAMFS_DIRENT_BYTES);
	} else {
		attr->size = (off_t)node->u.file.size;
		attr->blocks = (node->u.file.cap + 511) / 512;
	}
	attr->atime_ns = node->atime;
	attr->mtime_ns = node->mtime;
	attr->ctime_ns = node->ctime;
	attr->uid = node->uid;
	attr->gid = node->gid;
	attr->rdev = node->rdev;
	return 0;
}

/* A store node's attribute change reaches the store, or is undone. */
static int store_setattr(struct ramfs_node *node, const struct ramfs_node *before)
{
	if (!node->store)
		return 0;
	int err = node->store->read_only ? -EROFS : node->store->ops->setattr(node->store, node);
	if (err) {
		node->mode = before->mode;
		node->uid = before->uid;
		node->gid = before->gid;
		node->atime = before->atime;
		node->mtime = before->mtime;
		node->ctime = before->ctime;
	}
	return err;
}

int ramfs_chmod(struct ramfs_node *node, mode_t mode)
{
	struct ramfs_node before = *node;

	node->mode = (node->mode & S_IFMT) | (mode & RAMFS_FILE_PERMS);
	node->ctime = now(node->fs);
	return store_setattr(node, &before);
}

int ramfs_chown(struct ramfs_node *node, uint32_t uid, uint32_t gid)
{
	struct ramfs_node before = *node;

	if (uid != (uint32_t)-1)
		node->uid = uid;
	if (gid != (uint32_t)-1)
		node->gid = gid;
	node->ctime = now(node->fs);
	return store_setattr(node, &before);
}

int ramfs_set_times(struct ramfs_node *node, int64_t atime_ns, int64_t mtime_ns)
{
	struct ramfs_node before = *node;

	node->atime = atime_ns;
	node->mtime = mtime_ns;
	node->ctime = now(node->fs);
	return store_setattr(node, &before);
}

void ramfs_node_set_attr(struct ramfs_node *node, const struct ramfs_store_attr *a)
{
	node->ino = a->id;
	node->mode = a->mode;
	node->nlink = a->nlink;
	node->uid = a->uid;
	node->gid = a->gid;
	node->rdev = a->rdev;
	node->atime = a->atime_ns;
	node->mtime = a->mtime_ns;
	node->ctime = a->ctime_ns;
	node->store_blocks = a->blocks;
	if (S_ISDIR(a->mode))
		node->store_size = a->size;
	else if (!S_ISLNK(a->mode))
		node->u.file.size = a->size;
}

void ramfs_store_set_size(struct ramfs_node *node, uint64_t size, uint64_t blocks)
{
	if (is_dir(node))
		node->store_size = size;
	else
		node->u.file.size = size;
	node->store_blocks = blocks;
}

static void fill_dirent(struct ramfs_dirent *out, const struct ramfs_node *node, const char *name,
                        size_t len, uint64_t next)
{
	out->ino = node->ino;
	out->type = node->mode & S_IFMT;
	out->next = next;
	out->name = name;
	out->namelen = len;
}

int ramfs_readdir(struct ramfs_node *dir, uint64_t cookie, struct ramfs_dirent *out)
{
	size_t i;

	if (!is_dir(dir))
		return -ENOTDIR;
	if (is_removed(dir))
		return -ENOENT;
	int err = ramfs_dir_load(dir);
	if (err)
		return err;
	dir->atime = now(dir->fs);
	if (cookie == 0) {
		fill_dirent(out, dir, ".", 1, 1);
		return 1;
	}
	if (cookie == 1) {
		fill_dirent(out, dir->parent, "..", 2, 2);
		return 1;
	}
	i = ramfs_dir_seek(dir, cookie);
	if (i == dir->u.dir.count)
		return 0;
	fill_dirent(out, dir->u.dir.kids[i], dir->u.dir.kids[i]->name, dir->u.dir.kids[i]->namelen,
	            dir->u.dir.kids[i]->cookie + 1);
	return 1;
}

ssize_t ramfs_getpath(const struct ramfs_node *node, char *buf, size_t size)
{
	const struct ramfs_node *n;
	size_t len = 0;
	size_t end;

	if (is_removed(node))
		return -ENOENT;
	for (n = node; !is_root(n); n = n->parent)
		len += 1 + n->namelen;
	if (len == 0)
		len = 1; /* the root: "/" */
	if (size < len + 1)
		return -ERANGE;
	buf[0] = '/';
	buf[len] = '\0';
	end = len;
	for (n = node; !is_root(n); n = n->parent) {
		end -= n->namelen;
		memcpy(buf + end, n->name, n->namelen);
		buf[--end] = '/';
	}
	return (ssize_t)len;
}
