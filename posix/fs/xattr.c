/* xattr.c - extended attributes: the RAM filesystem keeps none, and answers as tmpfs
 * built without xattr support (CONFIG_TMPFS_XATTR off; Linux 6.6 and later keep user.*
 * attributes on tmpfs, this does not): get, set and remove fail with EOPNOTSUPP (which is
 * ENOTSUP), a list is empty (0 bytes). The argument checks come first, in Linux's order:
 * set's flags (EINVAL), the name (ERANGE when empty or over 255 bytes), set's size
 * (E2BIG over 64 KiB), then the file (EBADF, ENOENT, ENOTDIR...). With no symbolic links
 * the l forms are the plain ones. */
#include <errno.h>
#include <string.h>
#include <sys/xattr.h>

#include "posix/fs/files.h"
#include "posix/posix.h"

#define XATTR_NAME_MAX 255
#define XATTR_SIZE_MAX 65536

static int check_name(const char *name)
{
	size_t len = strnlen(name, XATTR_NAME_MAX + 1);

	return len == 0 || len > XATTR_NAME_MAX ? -ERANGE : 0;
}

static int check_set(const char *name, size_t size, int flags)
{
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	int err = check_name(name);
	if (!err && size > XATTR_SIZE_MAX)
		err = -E2BIG;
	return err;
}

static int check_path(const char *path)
{
	struct ramfs_node *node;

	return ramfs_lookup(&posix_rootfs, posix_cwd(), path, &node);
}

static int check_fd(int fd)
{
	struct vfile *f;
	int err = fd_get(&posix_fds, fd, &f);

	if (!err)
		vfile_unref(f);
	return err;
}

int setxattr(const char *path, const char *name, const void *value, size_t size, int flags)
{
	(void)value;
	int err = check_set(name, size, flags);

	if (!err)
		err = check_path(path);
	return (int)posix_result(err ? err : -EOPNOTSUPP);
}

int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)
{
	return setxattr(path, name, value, size, flags);
}

int fsetxattr(int fd, const char *name, const void *value, size_t size, int flags)
{
	(void)value;
	int err = check_fd(fd);

	if (!err)
		err = check_set(name, size, flags);
	return (int)posix_result(err ? err : -EOPNOTSUPP);
}

ssize_t getxattr(const char *path, const char *name, void *value, size_t size)
{
	(void)value;
	(void)size;
	int err = check_path(path);

	if (!err)
		err = check_name(name);
	return posix_result(err ? err : -EOPNOTSUPP);
}

ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	return getxattr(path, name, value, size);
}

ssize_t fgetxattr(int fd, const char *name, void *value, size_t size)
{
	(void)value;
	(void)size;
	int err = check_fd(fd);

	if (!err)
		err = check_name(name);
	return posix_result(err ? err : -EOPNOTSUPP);
}

ssize_t listxattr(const char *path, char *list, size_t size)
{
	(void)list;
	(void)size;
	return posix_result(check_path(path));
}

ssize_t llistxattr(const char *path, char *list, size_t size)
{
	return listxattr(path, list, size);
}

ssize_t flistxattr(int fd, char *list, size_t size)
{
	(void)list;
	(void)size;
	return posix_result(check_fd(fd));
}

int removexattr(const char *path, const char *name)
{
	int err = check_path(path);

	if (!err)
		err = check_name(name);
	return (int)posix_result(err ? err : -EOPNOTSUPP);
}

int lremovexattr(const char *path, const char *name)
{
	return removexattr(path, name);
}

int fremovexattr(int fd, const char *name)
{
	int err = check_fd(fd);

	if (!err)
		err = check_name(name);
	return (int)posix_result(err ? err : -EOPNOTSUPP);
}
