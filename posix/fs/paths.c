/* paths.c - the calls that work on names in the RAM filesystem: unlink, rename, mkdir,
 * rmdir, link, chdir, chroot, getcwd, umask. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "posix/fs/files.h"
#include "posix/posix.h"

static mode_t current_umask = 022;

mode_t posix_umask(void)
{
	return current_umask;
}

mode_t umask(mode_t mask)
{
	mode_t old = current_umask;

	current_umask = mask & 0777;
	return old;
}

int unlinkat(int dirfd, const char *path, int flags)
{
	struct ramfs_node *base;

	if (flags & ~AT_REMOVEDIR)
		return (int)posix_result(-EINVAL);
	int err = posix_at_base(dirfd, path, &base);
	if (!err)
		err = flags & AT_REMOVEDIR ? ramfs_rmdir(&posix_rootfs, base, path)
		                           : ramfs_unlink(&posix_rootfs, base, path);
	return (int)posix_result(err);
}

int unlink(const char *path)
{
	return unlinkat(AT_FDCWD, path, 0);
}

int rmdir(const char *path)
{
	return unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	struct ramfs_node *base;
	int err = posix_at_base(dirfd, path, &base);

	if (!err)
		err = ramfs_mkdir(&posix_rootfs, base, path, mode & ~current_umask & 01777, NULL);
	return (int)posix_result(err);
}

int mkdir(const char *path, mode_t mode)
{
	return mkdirat(AT_FDCWD, path, mode);
}

int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	struct ramfs_node *oldbase, *newbase;
	int err = posix_at_base(olddirfd, oldpath, &oldbase);

	if (!err)
		err = posix_at_base(newdirfd, newpath, &newbase);
	if (!err)
		err = ramfs_rename(&posix_rootfs, oldbase, oldpath, newbase, newpath);
	return (int)posix_result(err);
}

int rename(const char *oldpath, const char *newpath)
{
	return renameat(AT_FDCWD, oldpath, AT_FDCWD, newpath);
}

/* linkat - the RAM filesystem keeps one name per file, so a new link is refused with
 * EPERM (Linux's answer where the file system does not do hard links) after the checks
 * Linux makes first: flags other than AT_SYMLINK_FOLLOW and AT_EMPTY_PATH (EINVAL), a
 * missing source (ENOENT), an existing destination (EEXIST). */
int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
{
	struct ramfs_node *oldbase, *newbase, *node;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return (int)posix_result(-EINVAL);
	int err = posix_at_base(olddirfd, oldpath, &oldbase);
	if (!err)
		err = posix_at_base(newdirfd, newpath, &newbase);
	if (!err)
		err = flags & AT_SYMLINK_FOLLOW
		          ? ramfs_lookup(&posix_rootfs, oldbase, oldpath, &node)
		          : ramfs_lookup_nofollow(&posix_rootfs, oldbase, oldpath, &node);
	if (!err)
		err = ramfs_lookup_nofollow(&posix_rootfs, newbase, newpath, &node) == 0 ? -EEXIST
		                                                                         : -EPERM;
	return (int)posix_result(err);
}

int link(const char *oldpath, const char *newpath)
{
	return linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

int chdir(const char *path)
{
	struct ramfs_node *node;
	int err = ramfs_lookup(&posix_rootfs, posix_cwd(), path, &node);

	if (!err && !ramfs_is_dir(node))
		err = -ENOTDIR;
	if (!err)
		posix_set_cwd(node);
	return (int)posix_result(err);
}

int fchdir(int fd)
{
	struct vfile *f;
	int err = fd_get(&posix_fds, fd, &f);

	if (err)
		return (int)posix_result(err);
	struct ramfs_node *node = posix_file_node(f);
	if (node && ramfs_is_dir(node))
		posix_set_cwd(node);
	else
		err = -ENOTDIR;
	vfile_unref(f);
	return (int)posix_result(err);
}

/* chroot - @path's directory becomes "/" for every path the process resolves (the
 * working directory stays where it is, as on Linux). Returns 0, or -1 with the lookup's
 * errno (ENOENT, ENOTDIR...), or EPERM unless the effective uid is 0 (Linux's
 * CAP_SYS_CHROOT), checked after the lookup as Linux does. */
int chroot(const char *path)
{
	struct ramfs_node *node;
	int err = ramfs_lookup(&posix_rootfs, posix_cwd(), path, &node);

	if (!err && !ramfs_is_dir(node))
		err = -ENOTDIR;
	if (!err && geteuid() != 0)
		err = -EPERM;
	if (!err)
		ramfs_set_top(&posix_rootfs, node);
	return (int)posix_result(err);
}

ssize_t posix_node_path(struct ramfs_node *node, char *buf, size_t size)
{
	ssize_t n = ramfs_getpath(node, buf, size);
	struct ramfs_node *top = posix_rootfs.top;

	if (n < 0 || !top)
		return n;
	char *prefix = malloc(RAMFS_PATH_MAX);
	if (!prefix)
		return -ENOMEM;
	ssize_t p = ramfs_getpath(top, prefix, RAMFS_PATH_MAX);
	int inside =
	    p >= 0 && strncmp(buf, prefix, (size_t)p) == 0 && (buf[p] == '/' || buf[p] == '\0');
	free(prefix);
	if (!inside)
		return -ENOENT;
	if (buf[p] == '\0') {
		strcpy(buf, "/");
		return 1;
	}
	memmove(buf, buf + p, (size_t)(n - p) + 1);
	return n - p;
}

char *getcwd(char *buf, size_t size)
{
	char *own = NULL;

	if (!buf) {
		/* glibc's extension: allocate when no buffer is given. */
		size = size ? size : 4096;
		buf = own = malloc(size);
		if (!buf) {
			errno = ENOMEM;
			return NULL;
		}
	} else if (size == 0) {
		errno = EINVAL;
		return NULL;
	}
	ssize_t n = posix_node_path(posix_cwd(), buf, size);
	if (n < 0) {
		free(own);
		errno = (int)-n;
		return NULL;
	}
	return buf;
}

/* get_current_dir_name: $PWD when it names the working directory (glibc's rule, which keeps
 * the name the user gave), else getcwd's; malloc'd. */
char *get_current_dir_name(void)
{
	const char *pwd = getenv("PWD");
	struct stat a, b;

	if (pwd && *pwd == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0 &&
	    a.st_ino == b.st_ino && a.st_dev == b.st_dev)
		return strdup(pwd);
	return getcwd(NULL, 0);
}
