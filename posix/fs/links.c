/* links.c - symbolic links in the RAM filesystem (ramfs_symlink; every path walk follows
 * them): symlink, symlinkat, readlink, readlinkat, and realpath, which resolves a path
 * through its links to the canonical name of what it names, as the process sees names
 * (from the chroot's top). Errors are Linux's. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "posix/fs/files.h"
#include "posix/fs/ramfs.h"
#include "posix/posix.h"

int symlinkat(const char *target, int dirfd, const char *path)
{
	struct ramfs_node *base;

	if (!target || !path)
		return (int)posix_result(-EFAULT);
	int err = posix_at_base(dirfd, path, &base);
	if (!err)
		err = ramfs_symlink(&posix_rootfs, base, target, path, NULL);
	return (int)posix_result(err);
}

int symlink(const char *target, const char *path)
{
	return symlinkat(target, AT_FDCWD, path);
}

ssize_t readlinkat(int dirfd, const char *restrict path, char *restrict buf, size_t size)
{
	struct ramfs_node *base, *node;

	if (!path || !buf)
		return posix_result(-EFAULT);
	if (size == 0)
		return posix_result(-EINVAL);
	int err = posix_at_base(dirfd, path, &base);
	if (!err)
		err = ramfs_lookup_nofollow(&posix_rootfs, base, path, &node);
	if (err)
		return posix_result(err);
	return posix_result(ramfs_readlink(node, buf, size));
}

ssize_t readlink(const char *restrict path, char *restrict buf, size_t size)
{
	return readlinkat(AT_FDCWD, path, buf, size);
}

char *realpath(const char *restrict path, char *restrict resolved)
{
	struct ramfs_node *base, *node;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	int err = posix_at_base(AT_FDCWD, path, &base);
	if (!err)
		err = ramfs_lookup(&posix_rootfs, base, path, &node);
	if (err) {
		errno = -err;
		return NULL;
	}
	char *out = resolved ? resolved : malloc(PATH_MAX);
	if (!out) {
		errno = ENOMEM;
		return NULL;
	}
	ssize_t n = posix_node_path(node, out, PATH_MAX);
	if (n < 0) {
		if (!resolved)
			free(out);
		errno = n == -ERANGE ? ENAMETOOLONG : (int)-n;
		return NULL;
	}
	return out;
}
