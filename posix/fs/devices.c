/* devices.c - /dev: the character devices every Linux program may open (null, zero,
 * full, random, urandom, console) and /dev/stdin, /dev/stdout, /dev/stderr. Device nodes
 * live in the RAM filesystem (ramfs_mkdev) with Linux's device numbers; opening one gives
 * an open file description over the driver below that its number names; the disks'
 * block device nodes are blockdev.c's. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "posix/fs/files.h"

/* Linux's encoding of device numbers (major < 4096, minor < 256 fit newlib's dev_t). */
#define DEVICE_NUMBER(major, minor) (((uint32_t)(major) << 8) | (uint32_t)(minor))

/* /dev/fd/N: not a device of Linux's (there it is /proc/self/fd/N, a link to whatever
 * descriptor N is open on); major 0 is never a character device on Linux. */
#define FD_ALIAS_MAJOR 0

enum device_kind { DEV_NULL, DEV_ZERO, DEV_FULL, DEV_RANDOM, DEV_CONSOLE };

/* An open device: its kind and its node (for fstat). */
struct device_file {
	enum device_kind kind;
	struct ramfs_node *node;
};

static ssize_t device_read(struct vfile *f, void *buf, size_t len)
{
	struct device_file *dev = f->priv;

	switch (dev->kind) {
	case DEV_NULL:
		return 0;
	case DEV_ZERO:
	case DEV_FULL:
		memset(buf, 0, len);
		return (ssize_t)len;
	case DEV_RANDOM:
		/* getentropy gives at most 256 bytes a call; Linux's urandom returns what a
		 * long read asks in one go, so does this. */
		for (size_t done = 0; done < len;) {
			size_t n = len - done < 256 ? len - done : 256;
			if (getentropy((char *)buf + done, n))
				return done ? (ssize_t)done : -EIO;
			done += n;
		}
		return (ssize_t)len;
	default:
		return -EINVAL;
	}
}

static ssize_t device_write(struct vfile *f, const void *buf, size_t len)
{
	struct device_file *dev = f->priv;

	(void)buf;
	/* /dev/full is the device that is always full; what is written to random devices
	 * is accepted and, as on Linux without privileges to credit it, only mixed in:
	 * here nothing keeps it. */
	return dev->kind == DEV_FULL ? -ENOSPC : (ssize_t)len;
}

/* Linux's null, zero, full and random devices ignore seeks and stay at offset 0. */
static off_t device_lseek(struct vfile *f, off_t off, int whence)
{
	(void)f;
	(void)off;
	(void)whence;
	return 0;
}

static int device_getattr(struct vfile *f, struct stat *st)
{
	struct device_file *dev = f->priv;

	return posix_node_stat(dev->node, st);
}

static int device_release(struct vfile *f)
{
	struct device_file *dev = f->priv;

	ramfs_node_unref(dev->node);
	free(dev);
	return 0;
}

static const struct vfile_ops device_ops = {
    .read = device_read,
    .write = device_write,
    .lseek = device_lseek,
    .getattr = device_getattr,
    .release = device_release,
};

static const struct {
	const char *name;
	uint32_t number;
	enum device_kind kind;
} devices[] = {
    {"null", DEVICE_NUMBER(1, 3), DEV_NULL},      {"zero", DEVICE_NUMBER(1, 5), DEV_ZERO},
    {"full", DEVICE_NUMBER(1, 7), DEV_FULL},      {"random", DEVICE_NUMBER(1, 8), DEV_RANDOM},
    {"urandom", DEVICE_NUMBER(1, 9), DEV_RANDOM}, {"console", DEVICE_NUMBER(5, 1), DEV_CONSOLE},
};

int posix_device_alias_fd(const struct ramfs_node *node)
{
	struct ramfs_attr a;

	ramfs_getattr(node, &a);
	return S_ISCHR(a.mode) && a.rdev >> 8 == FD_ALIAS_MAJOR ? (int)(a.rdev & 0xff) : -1;
}

int posix_open_device(struct ramfs_node *node, int flags, struct vfile **out)
{
	struct ramfs_attr a;
	int alias = posix_device_alias_fd(node);

	if (alias >= 0) {
		/* As Linux's /proc/self/fd/N for the console, a pipe or a socket: the same open
		 * file as descriptor N (for a regular file Linux would open it anew). */
		int err = fd_get(&posix_fds, alias, out);
		return err == -EBADF ? -ENOENT : err;
	}
	ramfs_getattr(node, &a);
	if (S_ISBLK(a.mode))
		return posix_open_blockdev(node, a.rdev, flags, out);
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		if (devices[i].number != a.rdev)
			continue;
		if (devices[i].kind == DEV_CONSOLE)
			return posix_console_open(flags, out);
		struct device_file *dev = malloc(sizeof(*dev));
		if (!dev)
			return -ENOMEM;
		dev->kind = devices[i].kind;
		dev->node = node;
		int err = vfile_new(&device_ops, dev, flags, out);
		if (err) {
			free(dev);
			return err;
		}
		ramfs_node_ref(node);
		return 0;
	}
	return -ENXIO; /* Linux: a device number no driver has */
}

/* One node under /dev, made at start-up: failing is a lack of memory. */
static void make_or_panic(int err, const char *what)
{
	if (err && err != -EEXIST)
		panic("posix: cannot make /dev/%s (%d)", what, err);
}

void posix_devices_init(void)
{
	static const char *const streams[] = {"stdin", "stdout", "stderr"};
	char path[32];

	make_or_panic(ramfs_mkdir(&posix_rootfs, NULL, "/dev", 0755, NULL), "");
	make_or_panic(ramfs_mkdir(&posix_rootfs, NULL, "/dev/fd", 0500, NULL), "fd");
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		mode_t mode = devices[i].kind == DEV_CONSOLE ? 0600 : 0666;
		snprintf(path, sizeof(path), "/dev/%s", devices[i].name);
		make_or_panic(ramfs_mkdev(&posix_rootfs, NULL, path, mode, devices[i].number, NULL),
		              devices[i].name);
	}
	for (int fd = 0; fd < 3; fd++) {
		snprintf(path, sizeof(path), "/dev/fd/%d", fd);
		make_or_panic(ramfs_mkdev(&posix_rootfs, NULL, path, 0600,
		                          DEVICE_NUMBER(FD_ALIAS_MAJOR, fd), NULL),
		              path + 5);
		char target[8];
		snprintf(target, sizeof(target), "fd/%d", fd);
		snprintf(path, sizeof(path), "/dev/%s", streams[fd]);
		make_or_panic(ramfs_symlink(&posix_rootfs, NULL, target, path, NULL), streams[fd]);
	}
	posix_blockdevs_init();
}
