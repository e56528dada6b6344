/* files.c - descriptors over the RAM filesystem and the console: the process's table,
 * the open-file objects, and the descriptor calls (open, read, write, lseek, dup,
 * fcntl, ioctl, fstat, stat, access, truncate...). Path-only calls are in paths.c. */
#define _GNU_SOURCE /* AT_EMPTY_PATH */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kernel/clock.h"
#include "kernel/console.h"
#include "kernel/kernel.h"
#include "posix/disk/disk.h"
#include "posix/fs/cpio.h"
#include "posix/fs/files.h"
#include "posix/fs/ramfs_store.h"
#include "posix/posix.h"
#include "posix/thread/pthread_internal.h"

struct fd_table posix_fds;
struct ramfs posix_rootfs;
static struct ramfs_node *cwd;

/* The port's files, linked in by posix/posix.mk (an empty archive when it has none). */
extern const char vmos_initrd_start[], vmos_initrd_end[];

/* ---- the console: descriptors 0, 1, 2 ---- */

static ssize_t console_read(struct vfile *f, void *buf, size_t len)
{
	(void)f;
	(void)buf;
	(void)len;
	return 0; /* no console input yet: end of file */
}

static ssize_t console_vwrite(struct vfile *f, const void *buf, size_t len)
{
	(void)f;
	console_write(buf, len);
	return (ssize_t)len;
}

static int console_getattr(struct vfile *f, struct stat *st)
{
	(void)f;
	st->st_mode = S_IFCHR | 0620;
	st->st_nlink = 1;
	st->st_blksize = 1024;
	return 0;
}

static const struct vfile_ops console_ops = {
    .read = console_read,
    .write = console_vwrite,
    .getattr = console_getattr,
};

int posix_console_open(int flags, struct vfile **out)
{
	return vfile_new(&console_ops, NULL, flags, out);
}

/* ---- RAM filesystem files and directories ---- */

static ssize_t node_pread(struct vfile *f, void *buf, size_t len, off_t off)
{
	return ramfs_read(f->priv, buf, len, off);
}

static ssize_t node_pwrite(struct vfile *f, const void *buf, size_t len, off_t off)
{
	return ramfs_write(f->priv, buf, len, off);
}

int posix_node_stat(struct ramfs_node *node, struct stat *st)
{
	struct ramfs_attr a;
	int err = ramfs_getattr(node, &a);

	if (err)
		return err;
	st->st_ino = (ino_t)a.ino;
	st->st_mode = a.mode;
	st->st_nlink = (nlink_t)a.nlink;
	st->st_size = a.size;
	st->st_blksize = 4096;
	st->st_blocks = (blkcnt_t)a.blocks;
	st->st_atim.tv_sec = a.atime_ns / 1000000000;
	st->st_atim.tv_nsec = a.atime_ns % 1000000000;
	st->st_mtim.tv_sec = a.mtime_ns / 1000000000;
	st->st_mtim.tv_nsec = a.mtime_ns % 1000000000;
	st->st_ctim.tv_sec = a.ctime_ns / 1000000000;
	st->st_ctim.tv_nsec = a.ctime_ns % 1000000000;
	st->st_uid = (uid_t)a.uid;
	st->st_gid = (gid_t)a.gid;
	st->st_rdev = (dev_t)a.rdev;
	st->st_dev = (dev_t)a.dev;
	return 0;
}

static int node_getattr(struct vfile *f, struct stat *st)
{
	return posix_node_stat(f->priv, st);
}

static int node_release(struct vfile *f)
{
	posix_flock_release(f);
	posix_record_locks_release(f);
	ramfs_node_unref(f->priv);
	return 0;
}

/* Directories: the offset is the readdir cookie (posix/fs/dirent.c). */
static off_t dir_lseek(struct vfile *f, off_t off, int whence)
{
	if (whence == SEEK_END)
		return -EINVAL;
	return vfile_lseek_generic(f, off, whence);
}

static int node_sync(struct vfile *f, bool data_only)
{
	return ramfs_sync(f->priv, data_only);
}

static const struct vfile_ops file_ops = {
    .pread = node_pread,
    .pwrite = node_pwrite,
    .getattr = node_getattr,
    .sync = node_sync,
    .release = node_release,
};

static const struct vfile_ops dir_ops = {
    .pread = node_pread, /* ramfs answers -EISDIR */
    .lseek = dir_lseek,
    .getattr = node_getattr,
    .sync = node_sync,
    .release = node_release,
};

struct ramfs_node *posix_file_node(struct vfile *f)
{
	return f->ops == &file_ops || f->ops == &dir_ops ? f->priv : NULL;
}

int posix_open_node(struct ramfs_node *node, int flags, struct vfile **out)
{
	struct ramfs_attr a;

	ramfs_getattr(node, &a);
	if (S_ISCHR(a.mode) || S_ISBLK(a.mode))
		return posix_open_device(node, flags, out);
	int err = vfile_new(ramfs_is_dir(node) ? &dir_ops : &file_ops, node, flags, out);

	if (!err)
		ramfs_node_ref(node);
	return err;
}

static int64_t realtime_clock(void *ctx)
{
	(void)ctx;
	return (int64_t)clock_realtime_ns();
}

/* New files and directories belong to the process's effective ids, as on Linux. */
static void effective_owner(void *ctx, uint32_t *uid, uint32_t *gid)
{
	(void)ctx;
	*uid = geteuid();
	*gid = getegid();
}

void posix_files_init(void)
{
	struct cpio_unpack_report rep;
	struct vfile *console;

	if (ramfs_init(&posix_rootfs) || fd_table_init(&posix_fds, FD_DEFAULT_CAPACITY))
		panic("posix: no memory for the file system");
	ramfs_set_clock(&posix_rootfs, realtime_clock, NULL);
	ramfs_set_owner(&posix_rootfs, effective_owner, NULL);
	cwd = ramfs_root(&posix_rootfs);
	ramfs_node_ref(cwd);
	int err = cpio_unpack_into_ramfs(
	    vmos_initrd_start, (size_t)(vmos_initrd_end - vmos_initrd_start), &posix_rootfs, &rep);
	if (err)
		panic("posix: the image's initrd cannot be unpacked (%d): %s at offset %lu (%s)",
		      err, rep.err_what ? rep.err_what : "entry failed",
		      (unsigned long)rep.err_offset, rep.failed_name ? rep.failed_name : "-");
	/* What programs expect to find on any Linux system (the FHS): temporary folders
	 * anyone may write, and /run for pid files and sockets. */
	static const struct {
		const char *path;
		mode_t mode;
	} standard_dirs[] = {{"/tmp", 01777}, {"/run", 0755}, {"/var", 0755}, {"/var/tmp", 01777}};
	for (size_t i = 0; i < sizeof(standard_dirs) / sizeof(standard_dirs[0]); i++) {
		int dir_err = ramfs_mkdir(&posix_rootfs, NULL, standard_dirs[i].path,
		                          standard_dirs[i].mode, NULL);
		if (dir_err && dir_err != -EEXIST)
			panic("posix: cannot make %s (%d)", standard_dirs[i].path, dir_err);
	}
	posix_devices_init();
	if (posix_console_open(O_RDWR, &console))
		panic("posix: no memory for the console");
	for (int fd = 0; fd < 3; fd++)
		if (fd_install(&posix_fds, console, fd, false) != fd)
			panic("posix: cannot install descriptor %d", fd);
	vfile_unref(console);
}

struct ramfs_node *posix_cwd(void)
{
	return cwd;
}

void posix_set_cwd(struct ramfs_node *dir)
{
	ramfs_node_ref(dir);
	ramfs_node_unref(cwd);
	cwd = dir;
}

int posix_at_base(int dirfd, const char *path, struct ramfs_node **out)
{
	struct vfile *f;

	if (path[0] == '/' || dirfd == AT_FDCWD) {
		*out = cwd;
		return 0;
	}
	int err = fd_get(&posix_fds, dirfd, &f);
	if (err)
		return err;
	struct ramfs_node *node = posix_file_node(f);
	err = node && ramfs_is_dir(node) ? 0 : -ENOTDIR;
	*out = node;
	vfile_unref(f); /* the descriptor keeps the node alive */
	return err;
}

/* ---- descriptor calls ---- */

int openat(int dirfd, const char *path, int flags, ...)
{
	struct ramfs_node *base, *node;
	struct vfile *f;
	mode_t mode = 0;

	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (!path)
		return (int)posix_result(-EFAULT);
	int err = posix_at_base(dirfd, path, &base);
	if (!err)
		err = ramfs_open(&posix_rootfs, base, path, flags, mode & ~posix_umask() & 07777,
		                 &node);
	if (!err)
		err = posix_open_node(node, flags & ~(O_CREAT | O_EXCL | O_TRUNC), &f);
	if (err)
		return (int)posix_result(err);
	int fd = fd_install(&posix_fds, f, 0, flags & O_CLOEXEC);
	vfile_unref(f);
	return (int)posix_result(fd);
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return openat(AT_FDCWD, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
	return openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int close(int fd)
{
	posix_record_locks_closing(fd);
	return (int)posix_result(fd_close(&posix_fds, fd));
}

/* read / write: cancellation points (blocking pipes are woken by a cancel and return
 * -ECANCELED, acted on here once fd_read / fd_write let the file go). */
ssize_t read(int fd, void *buf, size_t len)
{
	posix_cancel_point();
	ssize_t n = fd_read(&posix_fds, fd, buf, len);
	if (n == -ECANCELED)
		posix_cancel_act();
	return posix_result(n);
}

ssize_t write(int fd, const void *buf, size_t len)
{
	posix_cancel_point();
	ssize_t n = fd_write(&posix_fds, fd, buf, len);
	if (n == -ECANCELED)
		posix_cancel_act();
	return posix_result(n);
}

ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	return posix_result(fd_pread(&posix_fds, fd, buf, len, off));
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	return posix_result(fd_pwrite(&posix_fds, fd, buf, len, off));
}

/* readv / writev: one call per buffer; a short transfer ends the loop, as a short read
 * or write would. */
ssize_t readv(int fd, const struct iovec *iov, int count)
{
	ssize_t total = 0;

	if (count < 0 || count > IOV_MAX)
		return posix_result(-EINVAL);
	for (int i = 0; i < count; i++) {
		ssize_t n = fd_read(&posix_fds, fd, iov[i].iov_base, iov[i].iov_len);
		if (n == -ECANCELED)
			posix_cancel_act();
		if (n < 0)
			return total ? total : posix_result(n);
		total += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	return total;
}

ssize_t writev(int fd, const struct iovec *iov, int count)
{
	ssize_t total = 0;

	if (count < 0 || count > IOV_MAX)
		return posix_result(-EINVAL);
	for (int i = 0; i < count; i++) {
		ssize_t n = fd_write(&posix_fds, fd, iov[i].iov_base, iov[i].iov_len);
		if (n == -ECANCELED)
			posix_cancel_act();
		if (n < 0)
			return total ? total : posix_result(n);
		total += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	return total;
}

off_t lseek(int fd, off_t off, int whence)
{
	return posix_result(fd_lseek(&posix_fds, fd, off, whence));
}

int dup(int fd)
{
	return (int)posix_result(fd_dup(&posix_fds, fd));
}

/* dup2 and dup3 close @newfd when it is open and @oldfd is another open descriptor. */
static void closing_by_dup(int oldfd, int newfd)
{
	if (oldfd != newfd && fd_getfd(&posix_fds, oldfd) >= 0)
		posix_record_locks_closing(newfd);
}

int dup2(int oldfd, int newfd)
{
	closing_by_dup(oldfd, newfd);
	return (int)posix_result(fd_dup2(&posix_fds, oldfd, newfd));
}

int dup3(int oldfd, int newfd, int flags)
{
	closing_by_dup(oldfd, newfd);
	return (int)posix_result(fd_dup3(&posix_fds, oldfd, newfd, flags));
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	switch (cmd) {
	case F_DUPFD:
		return (int)posix_result(fd_dupfd(&posix_fds, fd, (int)arg, false));
	case F_DUPFD_CLOEXEC:
		return (int)posix_result(fd_dupfd(&posix_fds, fd, (int)arg, true));
	case F_GETFD:
		return (int)posix_result(fd_getfd(&posix_fds, fd));
	case F_SETFD:
		return (int)posix_result(fd_setfd(&posix_fds, fd, (int)arg));
	case F_GETFL:
		return (int)posix_result(fd_getfl(&posix_fds, fd));
	case F_SETFL:
		return (int)posix_result(fd_setfl(&posix_fds, fd, (int)arg));
	case F_GETLK:
	case F_SETLK:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
		return (int)posix_result(posix_record_lock(fd, cmd, (struct flock *)arg));
	case F_SETLKW:
	case F_OFD_SETLKW: {
		posix_cancel_point();
		int err = posix_record_lock(fd, cmd, (struct flock *)arg);
		if (err == -ECANCELED)
			posix_cancel_act();
		return (int)posix_result(err);
	}
	default: {
		struct vfile *f;
		int err = fd_get(&posix_fds, fd, &f);
		if (!err)
			vfile_unref(f);
		return (int)posix_result(err ? err : -EINVAL);
	}
	}
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (request == FIONBIO) {
		int flags = fd_getfl(&posix_fds, fd);
		if (flags < 0)
			return (int)posix_result(flags);
		flags = *(int *)arg ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
		return (int)posix_result(fd_setfl(&posix_fds, fd, flags));
	}
	if (request == FICLONE || request == FICLONERANGE) {
		/* Linux's tmpfs shares no extents between files either: EOPNOTSUPP, after
		 * the descriptor check. Callers copy the bytes instead. */
		struct vfile *f;
		int err = fd_get(&posix_fds, fd, &f);
		if (!err)
			vfile_unref(f);
		return (int)posix_result(err ? err : -EOPNOTSUPP);
	}
	if (request == FIONREAD) {
		struct vfile *f;
		struct stat st;
		int err = fd_get(&posix_fds, fd, &f);
		if (err)
			return (int)posix_result(err);
		struct ramfs_node *node = posix_file_node(f);
		if (node && !ramfs_is_dir(node) && fd_fstat(&posix_fds, fd, &st) == 0) {
			*(int *)arg = st.st_size > f->offset ? (int)(st.st_size - f->offset) : 0;
			vfile_unref(f);
			return 0;
		}
		vfile_unref(f);
	}
	return (int)posix_result(fd_ioctl(&posix_fds, fd, request, arg));
}

int fstat(int fd, struct stat *st)
{
	return (int)posix_result(fd_fstat(&posix_fds, fd, st));
}

static int stat_at(int dirfd, const char *path, struct stat *st, bool follow)
{
	struct ramfs_node *base, *node;

	if (!path || !st)
		return -EFAULT;
	int err = posix_at_base(dirfd, path, &base);
	if (!err)
		err = follow ? ramfs_lookup(&posix_rootfs, base, path, &node)
		             : ramfs_lookup_nofollow(&posix_rootfs, base, path, &node);
	if (err)
		return err;
	int alias = posix_device_alias_fd(node);
	if (alias >= 0) { /* /dev/fd/N: what descriptor N is open on (Linux's magic link) */
		err = fd_fstat(&posix_fds, alias, st);
		return err == -EBADF ? -ENOENT : err;
	}
	memset(st, 0, sizeof(*st));
	return posix_node_stat(node, st);
}

int stat(const char *path, struct stat *st)
{
	return (int)posix_result(stat_at(AT_FDCWD, path, st, true));
}

int lstat(const char *path, struct stat *st)
{
	return (int)posix_result(stat_at(AT_FDCWD, path, st, false));
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return (int)posix_result(-EINVAL);
	if (path && !*path && (flags & AT_EMPTY_PATH))
		return fstat(dirfd, st);
	return (int)posix_result(stat_at(dirfd, path, st, !(flags & AT_SYMLINK_NOFOLLOW)));
}

/* One user, root: existence is all access checks. */
int access(const char *path, int mode)
{
	struct stat st;

	if (mode & ~(R_OK | W_OK | X_OK))
		return (int)posix_result(-EINVAL);
	return (int)posix_result(stat_at(AT_FDCWD, path, &st, true));
}

int isatty(int fd)
{
	struct vfile *f;
	int err = fd_get(&posix_fds, fd, &f);

	if (err) {
		errno = -err;
		return 0;
	}
	int tty = f->ops == &console_ops;
	vfile_unref(f);
	if (!tty)
		errno = ENOTTY;
	return tty;
}

int ftruncate(int fd, off_t size)
{
	struct vfile *f;
	int err = fd_get(&posix_fds, fd, &f);

	if (err)
		return (int)posix_result(err);
	struct ramfs_node *node = posix_file_node(f);
	if (!node || ramfs_is_dir(node))
		err = -EINVAL;
	else if ((f->flags & O_ACCMODE) == O_RDONLY)
		err = -EBADF;
	else
		err = ramfs_truncate(node, size);
	vfile_unref(f);
	return (int)posix_result(err);
}

int truncate(const char *path, off_t size)
{
	struct ramfs_node *node;
	int err = ramfs_lookup(&posix_rootfs, cwd, path, &node);

	if (!err)
		err = ramfs_is_dir(node) ? -EISDIR : ramfs_truncate(node, size);
	return (int)posix_result(err);
}

/* The object's own sync (a disk's flush); for memory everything is always on "disk". */
static int sync_fd(int fd, bool data_only)
{
	struct vfile *f;
	int err = fd_get(&posix_fds, fd, &f);

	if (!err) {
		if (f->ops->sync)
			err = f->ops->sync(f, data_only);
		vfile_unref(f);
	}
	return (int)posix_result(err);
}

int fsync(int fd)
{
	return sync_fd(fd, false);
}

int fdatasync(int fd)
{
	return sync_fd(fd, true);
}

void sync(void)
{
	if (posix_disks_sync)
		posix_disks_sync();
	posix_blockdevs_sync();
}

int syncfs(int fd)
{
	int err = sync_fd(fd, false);

	if (!err)
		sync();
	return err;
}
