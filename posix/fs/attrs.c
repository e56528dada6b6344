/* attrs.c - a file's permission bits, owner and times, kept by the RAM filesystem:
 * chmod, chown and the utime family, by path, descriptor and directory descriptor; the
 * "l" forms and AT_SYMLINK_NOFOLLOW act on a symbolic link itself. Permissions are stored and
 * reported, not enforced (README.md); chown needs an effective uid of 0, as Linux without CAP_CHOWN
 * would refuse it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "posix/fd/fdtable.h"
#include "posix/fs/files.h"
#include "posix/fs/ramfs.h"
#include "posix/posix.h"

#define NS_PER_S 1000000000LL

/* The node @path names from @dirfd, in @out. */
static int node_at(int dirfd, const char *path, int flags, struct ramfs_node **out)
{
	struct ramfs_node *base;

	if (!path)
		return -EFAULT;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!*path && (flags & AT_EMPTY_PATH)) {
		struct vfile *f;
		int err = fd_get(&posix_fds, dirfd, &f);
		if (err)
			return err;
		*out = posix_file_node(f);
		vfile_unref(f);
		return *out ? 0 : -EINVAL;
	}
	int err = posix_at_base(dirfd, path, &base);
	if (err)
		return err;
	return (flags & AT_SYMLINK_NOFOLLOW) ? ramfs_lookup_nofollow(&posix_rootfs, base, path, out)
	                                     : ramfs_lookup(&posix_rootfs, base, path, out);
}

/* The node behind descriptor @fd: -EBADF, or -EINVAL for a pipe, socket or the console
 * (Linux would change their inode's attributes; VMOS keeps none for them). */
static int node_of_fd(int fd, struct ramfs_node **out)
{
	struct vfile *f;
	int err = fd_get(&posix_fds, fd, &f);

	if (err)
		return err;
	*out = posix_file_node(f);
	vfile_unref(f);
	return *out ? 0 : -EINVAL;
}

int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	struct ramfs_node *node;
	int err = node_at(dirfd, path, flags & ~AT_SYMLINK_NOFOLLOW, &node);

	if (!err)
		err = ramfs_chmod(node, mode);
	return (int)posix_result(err);
}

int chmod(const char *path, mode_t mode)
{
	return fchmodat(AT_FDCWD, path, mode, 0);
}

int fchmod(int fd, mode_t mode)
{
	struct ramfs_node *node;
	int err = node_of_fd(fd, &node);

	if (!err)
		err = ramfs_chmod(node, mode);
	return (int)posix_result(err);
}

/* As Linux: only an effective uid of 0 changes owners; a chown by the owner to its own
 * ids is allowed (it changes nothing but the change time). (uid_t)-1 keeps that id. */
static int chown_node(struct ramfs_node *node, uid_t uid, gid_t gid)
{
	struct ramfs_attr a;
	unsigned keep_uid = (unsigned)(uid_t)-1, keep_gid = (unsigned)(gid_t)-1;
	uint32_t new_uid = (unsigned)uid == keep_uid ? (uint32_t)-1 : uid;
	uint32_t new_gid = (unsigned)gid == keep_gid ? (uint32_t)-1 : gid;

	ramfs_getattr(node, &a);
	if (geteuid() != 0) {
		int same_uid = new_uid == (uint32_t)-1 || new_uid == a.uid;
		int own_group = new_gid == (uint32_t)-1 || new_gid == getegid();
		if (a.uid != geteuid() || !same_uid || !own_group)
			return -EPERM;
	}
	return ramfs_chown(node, new_uid, new_gid);
}

int fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
	struct ramfs_node *node;
	int err = node_at(dirfd, path, flags, &node);

	if (!err)
		err = chown_node(node, uid, gid);
	return (int)posix_result(err);
}

int chown(const char *path, uid_t uid, gid_t gid)
{
	return fchownat(AT_FDCWD, path, uid, gid, 0);
}

int lchown(const char *path, uid_t uid, gid_t gid)
{
	return fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

int fchown(int fd, uid_t uid, gid_t gid)
{
	struct ramfs_node *node;
	int err = node_of_fd(fd, &node);

	if (!err)
		err = chown_node(node, uid, gid);
	return (int)posix_result(err);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

/* One utimensat time: UTIME_NOW, UTIME_OMIT (@current kept), or a valid timespec. */
static int pick_time(const struct timespec *t, int64_t current, int64_t now, int64_t *out)
{
	if (!t || t->tv_nsec == UTIME_NOW) {
		*out = now;
		return 0;
	}
	if (t->tv_nsec == UTIME_OMIT) {
		*out = current;
		return 0;
	}
	if (t->tv_nsec < 0 || t->tv_nsec >= NS_PER_S)
		return -EINVAL;
	*out = (int64_t)t->tv_sec * NS_PER_S + t->tv_nsec;
	return 0;
}

static int set_times(struct ramfs_node *node, const struct timespec *times)
{
	struct ramfs_attr a;
	int64_t atime, mtime, now = now_ns();

	ramfs_getattr(node, &a);
	int err = pick_time(times ? &times[0] : NULL, a.atime_ns, now, &atime);
	if (!err)
		err = pick_time(times ? &times[1] : NULL, a.mtime_ns, now, &mtime);
	if (err)
		return err;
	if (times && times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT)
		return 0; /* Linux: nothing changes, not even the change time */
	return ramfs_set_times(node, atime, mtime);
}

int utimensat(int dirfd, const char *path, const struct timespec *times, int flags)
{
	struct ramfs_node *node;
	int err;

	if (!path) /* Linux: a NULL path is the descriptor itself */
		err = node_of_fd(dirfd, &node);
	else
		err = node_at(dirfd, path, flags, &node);
	if (!err)
		err = set_times(node, times);
	return (int)posix_result(err);
}

int futimens(int fd, const struct timespec *times)
{
	struct ramfs_node *node;
	int err = node_of_fd(fd, &node);

	if (!err)
		err = set_times(node, times);
	return (int)posix_result(err);
}

/* struct timeval pairs (microseconds): EINVAL outside 0..999999, as Linux. */
static int timevals(const struct timeval *tv, struct timespec ts[2])
{
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return 0;
}

int utimes(const char *path, const struct timeval *tv)
{
	struct timespec ts[2];

	if (!tv)
		return utimensat(AT_FDCWD, path, NULL, 0);
	int err = timevals(tv, ts);
	return err ? (int)posix_result(err) : utimensat(AT_FDCWD, path, ts, 0);
}

int futimes(int fd, const struct timeval *tv)
{
	struct timespec ts[2];

	if (!tv)
		return futimens(fd, NULL);
	int err = timevals(tv, ts);
	return err ? (int)posix_result(err) : futimens(fd, ts);
}

int lutimes(const char *path, const struct timeval *tv)
{
	return utimes(path, tv);
}

int utime(const char *path, const struct utimbuf *times)
{
	struct timespec ts[2];

	if (!times)
		return utimensat(AT_FDCWD, path, NULL, 0);
	ts[0].tv_sec = times->actime;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = times->modtime;
	ts[1].tv_nsec = 0;
	return utimensat(AT_FDCWD, path, ts, 0);
}
