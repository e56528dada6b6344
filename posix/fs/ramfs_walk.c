/* ramfs_walk.c - path walks in the RAM filesystem: components, ".", "..", the top of a
 * chroot, and symbolic links followed as Linux follows them; ramfs_readlink. */
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
	default: {
		int err = ramfs_dir_load(dir);
		if (err)
			return err;
		*out = ramfs_dir_find(dir, name, len);
		return *out ? 0 : -ENOENT;
	}
	}
}

#define RAMFS_LINKS_MAX 40 /* symbolic links one walk may follow: Linux's MAXSYMLINKS */

static int walk_parent_links(struct ramfs *fs, struct ramfs_node *base, const char *path,
                             struct walk *w, int *links);

/* The node symbolic link @link (an entry of @dir) leads to, every link on the way
 * followed; -ELOOP past RAMFS_LINKS_MAX links in all. */
static int follow_link(struct ramfs *fs, struct ramfs_node *dir, const struct ramfs_node *link,
                       int *links, struct ramfs_node **out)
{
	struct walk w;

	if (++*links > RAMFS_LINKS_MAX)
		return -ELOOP;
	int err = walk_parent_links(fs, dir, (const char *)link->u.file.data, &w, links);
	return err ? err : ramfs_walk_last_links(fs, &w, true, links, out);
}

int ramfs_walk_parent(struct ramfs *fs, struct ramfs_node *base, const char *path, struct walk *w)
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
		cur = ramfs_top_of(fs);
		while (*p == '/')
			p++;
		if (*p == '\0') {
			*w = (struct walk){.dir = cur, .name = p, .type = LAST_ROOT, .slash = true};
			return 0;
		}
	} else {
		cur = base ? base : ramfs_top_of(fs);
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
int ramfs_walk_last_links(struct ramfs *fs, const struct walk *w, bool follow, int *links,
                          struct ramfs_node **out)
{
	struct ramfs_node *node = ramfs_top_of(fs);
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

int ramfs_walk_last(struct ramfs *fs, const struct walk *w, struct ramfs_node **out)
{
	int links = 0;

	return ramfs_walk_last_links(fs, w, true, &links, out);
}

int ramfs_lookup(struct ramfs *fs, struct ramfs_node *base, const char *path,
                 struct ramfs_node **out)
{
	struct walk w;
	int err = ramfs_walk_parent(fs, base, path, &w);

	return err ? err : ramfs_walk_last(fs, &w, out);
}

int ramfs_lookup_nofollow(struct ramfs *fs, struct ramfs_node *base, const char *path,
                          struct ramfs_node **out)
{
	struct walk w;
	int links = 0;
	int err = ramfs_walk_parent(fs, base, path, &w);

	return err ? err : ramfs_walk_last_links(fs, &w, false, &links, out);
}

ssize_t ramfs_readlink(const struct ramfs_node *node, char *buf, size_t size)
{
	if (!is_link(node))
		return -EINVAL;
	size_t n = node->u.file.size < size ? node->u.file.size : size;
	memcpy(buf, node->u.file.data, n);
	return (ssize_t)n;
}
