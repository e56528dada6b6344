/* ramfs.c - the in-memory filesystem: path walk, tree changes, file data and readdir. */
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

_Static_assert(sizeof(off_t) == 8, "off_t is 64-bit on every VMOS target");

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
	void *object; /* a socket node's bound socket (ramfs_mksock), or NULL */
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

static int64_t now(const struct ramfs *fs)
{
	return fs->clock ? fs->clock(fs->clock_ctx) : 0;
}

static bool is_dir(const struct ramfs_node *node)
{
	return S_ISDIR(node->mode);
}

static bool is_removed(const struct ramfs_node *node)
{
	return node->nlink == 0;
}

static bool is_root(const struct ramfs_node *node)
{
	return node->parent == node;
}

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
static size_t dir_seek(const struct ramfs_node *dir, uint64_t cookie)
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

static struct ramfs_node *dir_find(const struct ramfs_node *dir, const char *name, size_t len)
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
	size_t i = dir_seek(dir, node->cookie);

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
static struct ramfs_node *top_of(struct ramfs *fs)
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

static enum ramfs_last classify(const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return LAST_DOT;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return LAST_DOTDOT;
	return LAST_NORM;
}

/* Look component @name (@len bytes, of kind @type) up in directory @dir. */
static int step(struct ramfs *fs, struct ramfs_node *dir, const char *name, size_t len,
                enum ramfs_last type, struct ramfs_node **out)
{
	switch (type) {
	case LAST_DOT:
		*out = dir;
		return 0;
	case LAST_DOTDOT:
		*out = dir == fs->top ? dir : dir->parent;
		return 0;
	default:
		*out = dir_find(dir, name, len);
		return *out ? 0 : -ENOENT;
	}
}

#define RAMFS_LINKS_MAX 40 /* symbolic links one walk may follow: Linux's MAXSYMLINKS */

static bool is_link(const struct ramfs_node *node)
{
	return S_ISLNK(node->mode);
}

static int walk_parent_links(struct ramfs *fs, struct ramfs_node *base, const char *path,
                             struct walk *w, int *links);
static int make_node(struct ramfs *fs, struct ramfs_node *dir, const char *name, size_t len,
                     mode_t mode, struct ramfs_node **out);
static int walk_last_links(struct ramfs *fs, const struct walk *w, bool follow, int *links,
                           struct ramfs_node **out);

/* The node symbolic link @link (an entry of @dir) leads to, every link on the way
 * followed; -ELOOP past RAMFS_LINKS_MAX links in all. */
static int follow_link(struct ramfs *fs, struct ramfs_node *dir, const struct ramfs_node *link,
                       int *links, struct ramfs_node **out)
{
	struct walk w;

	if (++*links > RAMFS_LINKS_MAX)
		return -ELOOP;
	int err = walk_parent_links(fs, dir, (const char *)link->u.file.data, &w, links);
	return err ? err : walk_last_links(fs, &w, true, links, out);
}

static int walk_parent(struct ramfs *fs, struct ramfs_node *base, const char *path, struct walk *w)
{
	int links = 0;

	return walk_parent_links(fs, base, path, w, &links);
}

/* Walk @path from @base (or the root) up to its last component, into @w; the links met on
 * the way are followed and counted in *@links. */
static int walk_parent_links(struct ramfs *fs, struct ramfs_node *base, const char *path,
                             struct walk *w, int *links)
{
	size_t total = strnlen(path, RAMFS_PATH_MAX);
	const char *p = path;
	struct ramfs_node *cur;

	if (total == 0)
		return -ENOENT;
	if (total == RAMFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (*p == '/') {
		cur = top_of(fs);
		while (*p == '/')
			p++;
		if (*p == '\0') {
			*w = (struct walk){.dir = cur, .name = p, .type = LAST_ROOT, .slash = true};
			return 0;
		}
	} else {
		cur = base ? base : top_of(fs);
		if (!is_dir(cur))
			return -ENOTDIR;
	}
	for (;;) {
		const char *name = p;
		const char *rest;
		struct ramfs_node *next;
		size_t len;
		int err;

		while (*p && *p != '/')
			p++;
		len = (size_t)(p - name);
		if (len > RAMFS_NAME_MAX)
			return -ENAMETOOLONG;
		for (rest = p; *rest == '/'; rest++)
			;
		if (*rest == '\0') {
			*w = (struct walk){.dir = cur,
			                   .name = name,
			                   .len = len,
			                   .type = classify(name, len),
			                   .slash = *p == '/'};
			return 0;
		}
		err = step(fs, cur, name, len, classify(name, len), &next);
		if (!err && is_link(next))
			err = follow_link(fs, cur, next, links, &next);
		if (err)
			return err;
		if (!is_dir(next))
			return -ENOTDIR;
		cur = next;
		p = rest;
	}
}

/* The node the last component of @w names; a symbolic link there is followed when
 * @follow or when the path ends in a slash, as on Linux. */
static int walk_last_links(struct ramfs *fs, const struct walk *w, bool follow, int *links,
                           struct ramfs_node **out)
{
	struct ramfs_node *node = top_of(fs);
	int err;

	if (w->type != LAST_ROOT) {
		err = step(fs, w->dir, w->name, w->len, w->type, &node);
		if (!err && is_link(node) && (follow || w->slash))
			err = follow_link(fs, w->dir, node, links, &node);
		if (err)
			return err;
	}
	if (w->slash && !is_dir(node))
		return -ENOTDIR;
	*out = node;
	return 0;
}

static int walk_last(struct ramfs *fs, const struct walk *w, struct ramfs_node **out)
{
	int links = 0;

	return walk_last_links(fs, w, true, &links, out);
}

int ramfs_lookup(struct ramfs *fs, struct ramfs_node *base, const char *path,
                 struct ramfs_node **out)
{
	struct walk w;
	int err = walk_parent(fs, base, path, &w);

	return err ? err : walk_last(fs, &w, out);
}

int ramfs_lookup_nofollow(struct ramfs *fs, struct ramfs_node *base, const char *path,
                          struct ramfs_node **out)
{
	struct walk w;
	int links = 0;
	int err = walk_parent(fs, base, path, &w);

	return err ? err : walk_last_links(fs, &w, false, &links, out);
}

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
	int err = walk_parent(fs, base, path, &w);
	if (err)
		return err;
	if (w.type != LAST_NORM || dir_find(w.dir, w.name, w.len))
		return -EEXIST;
	if (w.slash)
		return -ENOENT;
	unsigned char *data = malloc(len + 1);
	if (!data)
		return -ENOMEM;
	memcpy(data, target, len + 1);
	err = make_node(fs, w.dir, w.name, w.len, S_IFLNK | 0777, &node);
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

ssize_t ramfs_readlink(const struct ramfs_node *node, char *buf, size_t size)
{
	if (!is_link(node))
		return -EINVAL;
	size_t n = node->u.file.size < size ? node->u.file.size : size;
	memcpy(buf, node->u.file.data, n);
	return (ssize_t)n;
}

/* A new entry @name (@len bytes) of @mode in @dir. Returns 0, -ENOENT when @dir was
 * removed, or -ENOMEM. */
static int make_node(struct ramfs *fs, struct ramfs_node *dir, const char *name, size_t len,
                     mode_t mode, struct ramfs_node **out)
{
	struct ramfs_node *node;

	if (is_removed(dir))
		return -ENOENT;
	if (dir_reserve(dir))
		return -ENOMEM;
	node = node_alloc(fs, mode, name, len);
	if (!node)
		return -ENOMEM;
	dir_append(dir, node);
	touch_dir(dir, node->mtime);
	*out = node;
	return 0;
}

/* Give back memory of a file that shrank a lot; failing to is harmless. */
static void file_shrink(struct ramfs_file *f)
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

int ramfs_open(struct ramfs *fs, struct ramfs_node *base, const char *path, int flags, mode_t mode,
               struct ramfs_node **out)
{
	bool writing = (flags & O_ACCMODE) != O_RDONLY;
	struct ramfs_node *node;
	struct walk w;
	int err;

	if ((flags & O_CREAT) && (flags & O_DIRECTORY))
		return -EINVAL;
	err = walk_parent(fs, base, path, &w);
	if (err)
		return err;
	if (flags & O_NOFOLLOW) {
		int links = 0;
		err = walk_last_links(fs, &w, false, &links, &node);
		if (!err && is_link(node))
			return -ELOOP; /* Linux: O_NOFOLLOW on a symbolic link */
		if (err && (err != -ENOENT || !(flags & O_CREAT)))
			return err;
	}
	if ((flags & O_CREAT) && (flags & O_EXCL) && w.type == LAST_NORM &&
	    dir_find(w.dir, w.name, w.len))
		return -EEXIST; /* a link counts as the name itself, dangling or not */
	if (!(flags & O_CREAT)) {
		err = walk_last(fs, &w, &node);
		if (err)
			return err;
		if ((flags & O_DIRECTORY) && !is_dir(node))
			return -ENOTDIR;
	} else {
		if (w.type == LAST_NORM && w.slash)
			return -EISDIR;
		err = walk_last(fs, &w, &node);
		/* A dangling link keeps its name: Linux would create its target; here -ENOENT. */
		if (err == -ENOENT && w.type == LAST_NORM && !dir_find(w.dir, w.name, w.len)) {
			err = make_node(fs, w.dir, w.name, w.len,
			                S_IFREG | (mode & RAMFS_FILE_PERMS), out);
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
	if ((flags & O_TRUNC) && !is_dir(node)) {
		int64_t t = now(fs);

		node->u.file.size = 0;
		file_shrink(&node->u.file);
		node->mtime = t;
		node->ctime = t;
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
	int err = walk_parent(fs, base, path, &w);

	if (err)
		return err;
	if (w.type != LAST_NORM || dir_find(w.dir, w.name, w.len))
		return -EEXIST;
	return make_node(fs, w.dir, w.name, w.len, S_IFDIR | (mode & RAMFS_DIR_PERMS),
	                 out ? out : &node);
}

int ramfs_mksock(struct ramfs *fs, struct ramfs_node *base, const char *path, mode_t mode,
                 void *object, struct ramfs_node **out)
{
	struct walk w;
	int err = walk_parent(fs, base, path, &w);

	if (err)
		return err;
	if (w.type != LAST_NORM || dir_find(w.dir, w.name, w.len))
		return -EEXIST;
	if (w.slash)
		return -ENOENT; /* Linux: a socket name with a trailing slash names no entry */
	err = make_node(fs, w.dir, w.name, w.len, S_IFSOCK | (mode & RAMFS_FILE_PERMS), out);
	if (!err)
		(*out)->object = object;
	return err;
}

void *ramfs_socket_object(const struct ramfs_node *node)
{
	return S_ISSOCK(node->mode) ? node->object : NULL;
}

void ramfs_set_socket_object(struct ramfs_node *node, void *object)
{
	node->object = object;
}

int ramfs_unlink(struct ramfs *fs, struct ramfs_node *base, const char *path)
{
	struct ramfs_node *node;
	struct walk w;
	int64_t t;
	int err = walk_parent(fs, base, path, &w);

	if (err)
		return err;
	if (w.type != LAST_NORM)
		return -EISDIR;
	node = dir_find(w.dir, w.name, w.len);
	if (!node)
		return -ENOENT;
	if (is_dir(node))
		return -EISDIR;
	if (w.slash)
		return -ENOTDIR;
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
	int err = walk_parent(fs, base, path, &w);

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
	node = dir_find(w.dir, w.name, w.len);
	if (!node)
		return -ENOENT;
	if (!is_dir(node))
		return -ENOTDIR;
	if (node->u.dir.count)
		return -ENOTEMPTY;
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
	size_t i = dir_seek(dir, target->cookie);
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

	err = walk_parent(fs, oldbase, oldpath, &ow);
	if (err)
		return err;
	err = walk_parent(fs, newbase, newpath, &nw);
	if (err)
		return err;
	if (ow.type != LAST_NORM || nw.type != LAST_NORM)
		return -EBUSY;
	old = dir_find(ow.dir, ow.name, ow.len);
	if (!old || is_removed(nw.dir))
		return -ENOENT;
	target = dir_find(nw.dir, nw.name, nw.len);
	err = rename_check(&ow, &nw, old, target);
	if (err || old == target)
		return err;

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

ssize_t ramfs_read(struct ramfs_node *node, void *buf, size_t len, off_t off)
{
	const struct ramfs_file *f = &node->u.file;
	size_t n;

	if (is_dir(node))
		return -EISDIR;
	if (off < 0)
		return -EINVAL;
	node->atime = now(node->fs);
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
	if (size < 0)
		return -EINVAL;
	if (want > f->size) {
		if (file_reserve(f, want))
			return -ENOMEM;
		memset(f->data + f->size, 0, want - f->size);
		f->size = want;
	} else {
		f->size = want;
		file_shrink(f);
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
	if (is_dir(node)) {
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
	return 0;
}

void ramfs_chmod(struct ramfs_node *node, mode_t mode)
{
	node->mode = (node->mode & S_IFMT) | (mode & RAMFS_FILE_PERMS);
	node->ctime = now(node->fs);
}

void ramfs_chown(struct ramfs_node *node, uint32_t uid, uint32_t gid)
{
	if (uid != (uint32_t)-1)
		node->uid = uid;
	if (gid != (uint32_t)-1)
		node->gid = gid;
	node->ctime = now(node->fs);
}

void ramfs_set_times(struct ramfs_node *node, int64_t atime_ns, int64_t mtime_ns)
{
	node->atime = atime_ns;
	node->mtime = mtime_ns;
	node->ctime = now(node->fs);
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
	dir->atime = now(dir->fs);
	if (cookie == 0) {
		fill_dirent(out, dir, ".", 1, 1);
		return 1;
	}
	if (cookie == 1) {
		fill_dirent(out, dir->parent, "..", 2, 2);
		return 1;
	}
	i = dir_seek(dir, cookie);
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

void ramfs_node_ref(struct ramfs_node *node)
{
	node->refs++;
}

void ramfs_node_unref(struct ramfs_node *node)
{
	node->refs--;
	release(node);
}
