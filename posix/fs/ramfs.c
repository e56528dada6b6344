/* ramfs.c - the in-memory filesystem's nodes and the changes to its tree: create, mkdir,
 * sockets and symbolic links, unlink, rmdir, rename (path walks: ramfs_walk.c; file data,
 * attributes and readdir: ramfs_data.c). */
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

_Static_assert(sizeof(off_t) == 8, "off_t is 64-bit on every VMOS target");

/* A new unlinked node named @name (@len bytes) with @mode, nlink 1 (files) or 2, or NULL
 * when memory runs out. It is on fs->nodes. */
static struct ramfs_node *node_alloc(struct ramfs *fs, mode_t mode, const char *name, size_t len)
{
	struct ramfs_node *node = calloc(1, sizeof(*node));

	if (!node)
		return NULL;
	node->name = malloc(len + 1);
	if (!node->name) {
		free(node);
		return NULL;
	}
	memcpy(node->name, name, len);
	node->name[len] = '\0';
	node->namelen = len;
	node->fs = fs;
	node->mode = mode;
	node->nlink = S_ISDIR(mode) ? 2 : 1;
	node->ino = fs->next_ino++;
	node->atime = node->mtime = node->ctime = now(fs);
	if (fs->owner)
		fs->owner(fs->owner_ctx, &node->uid, &node->gid);
	if (S_ISDIR(mode))
		node->u.dir.next_cookie = 2;
	node->next = fs->nodes;
	if (fs->nodes)
		fs->nodes->prev = node;
	fs->nodes = node;
	fs->node_count++;
	return node;
}

static void node_free(struct ramfs_node *node)
{
	struct ramfs *fs = node->fs;

	if (node->prev)
		node->prev->next = node->next;
	else
		fs->nodes = node->next;
	if (node->next)
		node->next->prev = node->prev;
	fs->node_count--;
	if (node->store && node->store->ops->forget)
		node->store->ops->forget(node->store, node);
	if (is_dir(node))
		free(node->u.dir.kids);
	else
		free(node->u.file.data);
	free(node->name);
	free(node);
}

/* Free @node if it is out of the tree and unreferenced; a removed directory then lets go
 * of its parent, which may be freed in turn. */
static void release(struct ramfs_node *node)
{
	while (node && is_removed(node) && node->refs == 0) {
		struct ramfs_node *parent = is_dir(node) ? node->parent : NULL;

		node_free(node);
		if (parent)
			parent->refs--;
		node = parent;
	}
}

/* @node has just left its directory: mark it removed and free it unless referenced. */
static void kill_node(struct ramfs_node *node, int64_t t)
{
	node->nlink = 0;
	node->ctime = t;
	if (is_dir(node) && node->refs > 0)
		node->parent->refs++; /* kept for ".." */
	else
		node->parent = NULL;
	release(node);
}

/* Room for one more entry in @dir. Returns 0 or -ENOMEM. */
static int dir_reserve(struct ramfs_node *dir)
{
	struct ramfs_dir *d = &dir->u.dir;
	struct ramfs_node **kids;
	size_t cap;

	if (d->count < d->cap)
		return 0;
	cap = d->cap ? d->cap * 2 : RAMFS_MIN_ENTRIES;
	kids = realloc(d->kids, cap * sizeof(*kids));
	if (!kids)
		return -ENOMEM;
	d->kids = kids;
	d->cap = cap;
	return 0;
}

/* Index of the first entry of @dir whose cookie is >= @cookie (count when none). */
size_t ramfs_dir_seek(const struct ramfs_node *dir, uint64_t cookie)
{
	const struct ramfs_dir *d = &dir->u.dir;
	size_t lo = 0;
	size_t hi = d->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->kids[mid]->cookie < cookie)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct ramfs_node *ramfs_dir_find(const struct ramfs_node *dir, const char *name, size_t len)
{
	const struct ramfs_dir *d = &dir->u.dir;

	for (size_t i = 0; i < d->count; i++) {
		struct ramfs_node *kid = d->kids[i];

		if (kid->namelen == len && memcmp(kid->name, name, len) == 0)
			return kid;
	}
	return NULL;
}

/* Add @node at the end of @dir, which has room (dir_reserve). */
static void dir_append(struct ramfs_node *dir, struct ramfs_node *node)
{
	struct ramfs_dir *d = &dir->u.dir;

	node->cookie = d->next_cookie++;
	node->parent = dir;
	d->kids[d->count++] = node;
	if (is_dir(node))
		dir->nlink++;
}

/* Take @node out of @dir's entries (node->parent is left alone). */
static void dir_remove(struct ramfs_node *dir, struct ramfs_node *node)
{
	struct ramfs_dir *d = &dir->u.dir;
	size_t i = ramfs_dir_seek(dir, node->cookie);

	memmove(&d->kids[i], &d->kids[i + 1], (d->count - i - 1) * sizeof(d->kids[0]));
	d->count--;
	if (is_dir(node))
		dir->nlink--;
}

static void touch_dir(struct ramfs_node *dir, int64_t t)
{
	dir->mtime = t;
	dir->ctime = t;
}

int ramfs_init(struct ramfs *fs)
{
	memset(fs, 0, sizeof(*fs));
	fs->next_ino = 1;
	fs->root = node_alloc(fs, S_IFDIR | 0755, "", 0);
	if (!fs->root)
		return -ENOMEM;
	fs->root->parent = fs->root;
	return 0;
}

void ramfs_destroy(struct ramfs *fs)
{
	while (fs->nodes)
		node_free(fs->nodes);
	fs->root = NULL;
	fs->top = NULL;
}

void ramfs_set_top(struct ramfs *fs, struct ramfs_node *dir)
{
	if (dir)
		ramfs_node_ref(dir);
	if (fs->top)
		ramfs_node_unref(fs->top);
	fs->top = dir == fs->root ? NULL : dir;
	if (dir == fs->root)
		ramfs_node_unref(dir);
}

/* Where absolute paths start: the root, or the directory ramfs_set_top chose. */
struct ramfs_node *ramfs_top_of(struct ramfs *fs)
{
	return fs->top ? fs->top : fs->root;
}

void ramfs_set_owner(struct ramfs *fs, ramfs_owner_fn owner, void *ctx)
{
	fs->owner = owner;
	fs->owner_ctx = ctx;
}

void ramfs_set_clock(struct ramfs *fs, ramfs_clock_fn clock, void *ctx)
{
	fs->clock = clock;
	fs->clock_ctx = ctx;
}

struct ramfs_node *ramfs_root(struct ramfs *fs)
{
	return fs->root;
}

bool ramfs_is_dir(const struct ramfs_node *node)
{
	return is_dir(node);
}

/* ramfs_walk_parent, then the last directory's entries loaded (a store's): the callers
 * below look the last component up in it themselves. */
static int walk_parent_loaded(struct ramfs *fs, struct ramfs_node *base, const char *path,
                              struct walk *w)
{
	int err = ramfs_walk_parent(fs, base, path, w);

	return err ? err : ramfs_dir_load(w->dir);
}

/* Walk to the parent of a name that is to be made: -EEXIST when the name exists as
 * anything ("/", "." and ".." included). */
static int walk_new_name(struct ramfs *fs, struct ramfs_node *base, const char *path,
                         struct walk *w)
{
	int err = walk_parent_loaded(fs, base, path, w);

	if (err)
		return err;
	if (w->type != LAST_NORM || ramfs_dir_find(w->dir, w->name, w->len))
		return -EEXIST;
	return 0;
}

static int make_node(struct ramfs *fs, struct ramfs_node *dir, const char *name, size_t len,
                     mode_t mode, uint32_t rdev, const char *target, struct ramfs_node **out);

int ramfs_symlink(struct ramfs *fs, struct ramfs_node *base, const char *target, const char *path,
                  struct ramfs_node **out)
{
	struct walk w;
	struct ramfs_node *node;
	size_t len = strnlen(target, RAMFS_PATH_MAX);

	if (len == 0)
		return -ENOENT;
	if (len == RAMFS_PATH_MAX)
		return -ENAMETOOLONG;
	int err = walk_new_name(fs, base, path, &w);
	if (err)
		return err;
	if (w.slash)
		return -ENOENT;
	unsigned char *data = malloc(len + 1);
	if (!data)
		return -ENOMEM;
	memcpy(data, target, len + 1);
	err = make_node(fs, w.dir, w.name, w.len, S_IFLNK | 0777, 0, target, &node);
	if (err) {
		free(data);
		return err;
	}
	node->u.file.data = data; /* the target, NUL-terminated; its length is the size */
	node->u.file.size = len;
	node->u.file.cap = len + 1;
	if (out)
		*out = node;
	return 0;
}

/* A new entry @name (@len bytes) of @mode in @dir (a device's number @rdev, a link's
 * @target), made in @dir's store first when it has one. Returns 0, -ENOENT when @dir was
 * removed, -ENOMEM, or the store's error (-EROFS, -ENOSPC, -EIO...). */
static int make_node(struct ramfs *fs, struct ramfs_node *dir, const char *name, size_t len,
                     mode_t mode, uint32_t rdev, const char *target, struct ramfs_node **out)
{
	struct ramfs_node *node;
	struct ramfs_store_attr a;

	if (is_removed(dir))
		return -ENOENT;
	if (dir_reserve(dir))
		return -ENOMEM;
	node = node_alloc(fs, mode, name, len);
	if (!node)
		return -ENOMEM;
	if (dir->store) {
		int err =
		    dir->store->read_only
		        ? -EROFS
		        : dir->store->ops->create(dir->store, dir, name, len, mode, rdev, target,
		                                  node->uid, node->gid, node->mtime, &a);
		if (err) {
			node_free(node);
			return err;
		}
		node->store = dir->store;
		node->loaded = true; /* a new directory is empty */
		ramfs_node_set_attr(node, &a);
	}
	node->rdev = rdev;
	dir_append(dir, node);
	touch_dir(dir, node->mtime);
	*out = node;
	return 0;
}

int ramfs_open(struct ramfs *fs, struct ramfs_node *base, const char *path, int flags, mode_t mode,
               struct ramfs_node **out)
{
	bool writing = (flags & O_ACCMODE) != O_RDONLY;
	struct ramfs_node *node;
	struct walk w;
	int err;

	if ((flags & O_CREAT) && (flags & O_DIRECTORY))
		return -EINVAL;
	err = walk_parent_loaded(fs, base, path, &w);
	if (err)
		return err;
	if (flags & O_NOFOLLOW) {
		int links = 0;
		err = ramfs_walk_last_links(fs, &w, false, &links, &node);
		if (!err && is_link(node))
			return -ELOOP; /* Linux: O_NOFOLLOW on a symbolic link */
		if (err && (err != -ENOENT || !(flags & O_CREAT)))
			return err;
	}
	if ((flags & O_CREAT) && (flags & O_EXCL) && w.type == LAST_NORM &&
	    ramfs_dir_find(w.dir, w.name, w.len))
		return -EEXIST; /* a link counts as the name itself, dangling or not */
	if (!(flags & O_CREAT)) {
		err = ramfs_walk_last(fs, &w, &node);
		if (err)
			return err;
		if ((flags & O_DIRECTORY) && !is_dir(node))
			return -ENOTDIR;
	} else {
		if (w.type == LAST_NORM && w.slash)
			return -EISDIR;
		err = ramfs_walk_last(fs, &w, &node);
		/* A dangling link keeps its name: Linux would create its target; here -ENOENT. */
		if (err == -ENOENT && w.type == LAST_NORM &&
		    !ramfs_dir_find(w.dir, w.name, w.len)) {
			err = make_node(fs, w.dir, w.name, w.len,
			                S_IFREG | (mode & RAMFS_FILE_PERMS), 0, NULL, out);
			return err;
		}
		if (err)
			return err;
		if (flags & O_EXCL)
			return -EEXIST;
		if (is_dir(node))
			return -EISDIR;
	}
	if (S_ISSOCK(node->mode))
		return -ENXIO; /* a socket's name is connected to, not opened */
	if (is_dir(node) && (writing || (flags & O_TRUNC)))
		return -EISDIR;
	if (node->store && node->store->read_only && S_ISREG(node->mode) &&
	    (writing || (flags & O_TRUNC)))
		return -EROFS;
	if ((flags & O_TRUNC) && S_ISREG(node->mode)) {
		err = ramfs_truncate(node, 0);
		if (err)
			return err;
	}
	*out = node;
	return 0;
}

int ramfs_create(struct ramfs *fs, struct ramfs_node *base, const char *path, mode_t mode,
                 struct ramfs_node **out)
{
	struct ramfs_node *node;

	return ramfs_open(fs, base, path, O_CREAT | O_EXCL | O_WRONLY, mode, out ? out : &node);
}

int ramfs_mkdir(struct ramfs *fs, struct ramfs_node *base, const char *path, mode_t mode,
                struct ramfs_node **out)
{
	struct ramfs_node *node;
	struct walk w;
	int err = walk_new_name(fs, base, path, &w);

	if (err)
		return err;
	return make_node(fs, w.dir, w.name, w.len, S_IFDIR | (mode & RAMFS_DIR_PERMS), 0, NULL,
	                 out ? out : &node);
}

int ramfs_mksock(struct ramfs *fs, struct ramfs_node *base, const char *path, mode_t mode,
                 void *object, struct ramfs_node **out)
{
	struct walk w;
	int err = walk_new_name(fs, base, path, &w);

	if (err)
		return err;
	if (w.slash)
		return -ENOENT; /* Linux: a socket name with a trailing slash names no entry */
	err =
	    make_node(fs, w.dir, w.name, w.len, S_IFSOCK | (mode & RAMFS_FILE_PERMS), 0, NULL, out);
	if (!err)
		(*out)->object = object;
	return err;
}

int ramfs_mkdev(struct ramfs *fs, struct ramfs_node *base, const char *path, mode_t mode,
                uint32_t rdev, struct ramfs_node **out)
{
	struct ramfs_node *node;
	struct walk w;
	int err = walk_new_name(fs, base, path, &w);

	if (err)
		return err;
	if (w.slash)
		return -ENOENT; /* as for a socket: a device name with a trailing slash */
	mode_t type = (mode & S_IFMT) == S_IFBLK ? S_IFBLK : S_IFCHR;
	err = make_node(fs, w.dir, w.name, w.len, type | (mode & RAMFS_FILE_PERMS), rdev, NULL,
	                &node);
	if (err)
		return err;
	if (out)
		*out = node;
	return 0;
}

void *ramfs_socket_object(const struct ramfs_node *node)
{
	return S_ISSOCK(node->mode) ? node->object : NULL;
}

void ramfs_set_socket_object(struct ramfs_node *node, void *object)
{
	node->object = object;
}

/* The store's half of removing @node from @dir (nothing for a RAM directory). */
static int store_remove(struct ramfs_node *dir, struct ramfs_node *node)
{
	if (!dir->store)
		return 0;
	if (dir->store->read_only)
		return -EROFS;
	return dir->store->ops->remove(dir->store, dir, node);
}

int ramfs_unlink(struct ramfs *fs, struct ramfs_node *base, const char *path)
{
	struct ramfs_node *node;
	struct walk w;
	int64_t t;
	int err = walk_parent_loaded(fs, base, path, &w);

	if (err)
		return err;
	if (w.type != LAST_NORM)
		return -EISDIR;
	node = ramfs_dir_find(w.dir, w.name, w.len);
	if (!node)
		return -ENOENT;
	if (is_dir(node))
		return -EISDIR;
	if (w.slash)
		return -ENOTDIR;
	err = store_remove(w.dir, node);
	if (err)
		return err;
	t = now(fs);
	dir_remove(w.dir, node);
	touch_dir(w.dir, t);
	kill_node(node, t);
	return 0;
}

int ramfs_rmdir(struct ramfs *fs, struct ramfs_node *base, const char *path)
{
	struct ramfs_node *node;
	struct walk w;
	int64_t t;
	int err = walk_parent_loaded(fs, base, path, &w);

	if (err)
		return err;
	switch (w.type) {
	case LAST_DOT:
		return -EINVAL;
	case LAST_DOTDOT:
		return -ENOTEMPTY;
	case LAST_ROOT:
		return -EBUSY;
	default:
		break;
	}
	node = ramfs_dir_find(w.dir, w.name, w.len);
	if (!node)
		return -ENOENT;
	if (!is_dir(node))
		return -ENOTDIR;
	if (node->mount_root)
		return -EBUSY; /* Linux: a mount point */
	err = ramfs_dir_load(node);
	if (err)
		return err;
	if (node->u.dir.count)
		return -ENOTEMPTY;
	err = store_remove(w.dir, node);
	if (err)
		return err;
	t = now(fs);
	dir_remove(w.dir, node);
	touch_dir(w.dir, t);
	kill_node(node, t);
	return 0;
}

/* Whether @anc is @node or one of its ancestors. */
static bool is_ancestor(const struct ramfs_node *anc, const struct ramfs_node *node)
{
	for (;;) {
		if (node == anc)
			return true;
		if (!node->parent || is_root(node))
			return false;
		node = node->parent;
	}
}

/* rename's checks once both nodes are known, in Linux's order. */
static int rename_check(const struct walk *ow, const struct walk *nw, struct ramfs_node *old,
                        struct ramfs_node *target)
{
	if (!is_dir(old) && (ow->slash || nw->slash))
		return -ENOTDIR;
	if (is_dir(old) && is_ancestor(old, nw->dir))
		return -EINVAL;
	if (target && is_ancestor(target, ow->dir))
		return -ENOTEMPTY;
	if (!target || target == old)
		return 0;
	if (is_dir(old) && !is_dir(target))
		return -ENOTDIR;
	if (!is_dir(old) && is_dir(target))
		return -EISDIR;
	if (is_dir(target) && target->u.dir.count)
		return -ENOTEMPTY;
	return 0;
}

/* Put @node in @target's slot of @dir (same cookie) and give it @target's name. */
static void take_slot(struct ramfs_node *dir, struct ramfs_node *target, struct ramfs_node *node)
{
	size_t i = ramfs_dir_seek(dir, target->cookie);
	char *name = node->name;
	size_t len = node->namelen;

	dir->u.dir.kids[i] = node;
	node->cookie = target->cookie;
	node->parent = dir;
	if (is_dir(node))
		dir->nlink++;
	if (is_dir(target))
		dir->nlink--;
	node->name = target->name;
	node->namelen = target->namelen;
	target->name = name;
	target->namelen = len;
}

int ramfs_rename(struct ramfs *fs, struct ramfs_node *oldbase, const char *oldpath,
                 struct ramfs_node *newbase, const char *newpath)
{
	struct ramfs_node *old;
	struct ramfs_node *target;
	struct walk ow;
	struct walk nw;
	char *name = NULL;
	int64_t t;
	int err;

	err = walk_parent_loaded(fs, oldbase, oldpath, &ow);
	if (err)
		return err;
	err = walk_parent_loaded(fs, newbase, newpath, &nw);
	if (err)
		return err;
	if (ow.type != LAST_NORM || nw.type != LAST_NORM)
		return -EBUSY;
	old = ramfs_dir_find(ow.dir, ow.name, ow.len);
	if (!old || is_removed(nw.dir))
		return -ENOENT;
	target = ramfs_dir_find(nw.dir, nw.name, nw.len);
	if (target && is_dir(target)) {
		err = ramfs_dir_load(target);
		if (err)
			return err;
	}
	err = rename_check(&ow, &nw, old, target);
	if (err || old == target)
		return err;
	if (old->mount_root || (target && target->mount_root))
		return -EBUSY; /* Linux: a mount point */
	if (ow.dir->store != nw.dir->store)
		return -EXDEV; /* Linux: across file systems */

	/* Everything that can fail comes first: the new name, and room in a new parent. */
	if (!target) {
		name = malloc(nw.len + 1);
		if (!name)
			return -ENOMEM;
		memcpy(name, nw.name, nw.len);
		name[nw.len] = '\0';
		if (ow.dir != nw.dir && dir_reserve(nw.dir)) {
			free(name);
			return -ENOMEM;
		}
	}

	if (ow.dir->store) {
		err = ow.dir->store->read_only
		          ? -EROFS
		          : ow.dir->store->ops->rename(ow.dir->store, ow.dir, old, nw.dir, nw.name,
		                                       nw.len, target);
		if (err) {
			free(name);
			return err;
		}
	}
	t = now(fs);
	if (target) {
		dir_remove(ow.dir, old);
		take_slot(nw.dir, target, old);
		kill_node(target, t);
	} else {
		free(old->name);
		old->name = name;
		old->namelen = nw.len;
		if (ow.dir != nw.dir) {
			dir_remove(ow.dir, old);
			dir_append(nw.dir, old);
		}
	}
	old->ctime = t;
	touch_dir(ow.dir, t);
	touch_dir(nw.dir, t);
	return 0;
}

int ramfs_dir_load(struct ramfs_node *dir)
{
	if (!dir->store || dir->loaded || !is_dir(dir))
		return 0;
	dir->loaded = true;
	int err = dir->store->ops->load_dir(dir->store, dir);
	if (err) {
		/* Nothing half-loaded stays: the next walk asks the store again. */
		while (dir->u.dir.count) {
			struct ramfs_node *kid = dir->u.dir.kids[dir->u.dir.count - 1];
			dir->u.dir.count--;
			kid->nlink = 0;
			kid->parent = NULL;
			release(kid);
		}
		dir->loaded = false;
	}
	return err;
}

int ramfs_store_add(struct ramfs_node *dir, const char *name, size_t len,
                    const struct ramfs_store_attr *a, const char *target, size_t target_len)
{
	if (dir_reserve(dir))
		return -ENOMEM;
	unsigned char *data = NULL;
	if (S_ISLNK(a->mode)) {
		data = malloc(target_len + 1);
		if (!data)
			return -ENOMEM;
		memcpy(data, target, target_len);
		data[target_len] = '\0';
	}
	struct ramfs_node *node = node_alloc(dir->fs, a->mode, name, len);
	if (!node) {
		free(data);
		return -ENOMEM;
	}
	node->store = dir->store;
	ramfs_node_set_attr(node, a);
	if (data) {
		node->u.file.data = data;
		node->u.file.size = target_len;
		node->u.file.cap = target_len + 1;
	}
	uint32_t links = dir->nlink;
	dir_append(dir, node);
	dir->nlink = links; /* the store's count already has its subdirectories */
	return 0;
}

int ramfs_mount(struct ramfs *fs, struct ramfs_node *dir, struct ramfs_store *st,
                const struct ramfs_store_attr *root)
{
	(void)fs;
	if (!is_dir(dir))
		return -ENOTDIR;
	if (dir->store)
		return -EBUSY;
	if (dir->u.dir.count)
		return -ENOTEMPTY;
	dir->store = st;
	dir->loaded = false;
	dir->mount_root = true;
	ramfs_node_set_attr(dir, root);
	return 0;
}

struct ramfs_store *ramfs_node_store(const struct ramfs_node *node)
{
	return node->store;
}

const char *ramfs_node_name(const struct ramfs_node *node, size_t *len)
{
	*len = node->namelen;
	return node->name;
}

uint64_t ramfs_store_id(const struct ramfs_node *node)
{
	return node->ino;
}

void *ramfs_store_priv(const struct ramfs_node *node)
{
	return node->store_priv;
}

void ramfs_set_store_priv(struct ramfs_node *node, void *priv)
{
	node->store_priv = priv;
}

int ramfs_sync(struct ramfs_node *node, bool data_only)
{
	if (!node->store || !node->store->ops->sync)
		return 0;
	return node->store->ops->sync(node->store, node, data_only);
}

void ramfs_node_ref(struct ramfs_node *node)
{
	node->refs++;
}

void ramfs_node_unref(struct ramfs_node *node)
{
	node->refs--;
	release(node);
}
