/* files.h - the process's file state inside the POSIX layer: one descriptor table for
 * everything (console, files, pipes, later sockets), the RAM filesystem and the working
 * directory. */
#ifndef POSIX_FILES_H
#define POSIX_FILES_H

#include "posix/fd/fdtable.h"
#include "posix/fs/ramfs.h"

extern struct fd_table posix_fds;
extern struct ramfs posix_rootfs;

/* posix_files_init - the RAM filesystem filled from the image's initrd, and descriptors 0,
 * 1 and 2 on the console. Called once by posix/start.c before constructors run; panics
 * with the reason when the initrd is malformed or memory is short. */
void posix_files_init(void);

/* posix_cwd - the working directory (never NULL). */
struct ramfs_node *posix_cwd(void);
void posix_set_cwd(struct ramfs_node *dir);

/* posix_umask - the process's file mode creation mask (umask(2)), for creating calls. */
mode_t posix_umask(void);

/* posix_at_base - the directory a path relative to @dirfd starts from (AT_FDCWD: the
 * working directory; absolute paths ignore it). Returns 0 and the node in @out, or
 * -EBADF / -ENOTDIR. */
int posix_at_base(int dirfd, const char *path, struct ramfs_node **out);

/* posix_file_node - the RAM-filesystem node behind @f, or NULL when @f is something else
 * (console, pipe...). */
struct ramfs_node *posix_file_node(struct vfile *f);

/* posix_node_path - @node's path as the process sees it, from the chroot's top: its
 * length, -ERANGE when @size is too small, -ENOENT when @node is outside the top (Linux's
 * getcwd reports "(unreachable)", which glibc turns into ENOENT) or removed. */
ssize_t posix_node_path(struct ramfs_node *node, char *buf, size_t size);

/* posix_open_node - a new open file description for @node with open(2) @flags (a device
 * node's through posix_open_device). */
int posix_open_node(struct ramfs_node *node, int flags, struct vfile **out);

/* posix_node_stat - what stat(2) reports of @node, into @st (the caller zeroes it).
 * Returns 0. */
int posix_node_stat(struct ramfs_node *node, struct stat *st);

/* posix_console_open - a new open file description on the console (what descriptors 0-2
 * start on, and /dev/console): writes go to the console, reads find end of file. */
int posix_console_open(int flags, struct vfile **out);

/* posix_devices_init - /dev with null, zero, full, random, urandom and console (Linux's
 * numbers), /dev/fd/0-2 and the links /dev/stdin, /dev/stdout, /dev/stderr to them
 * (posix/fs/devices.c). Called by posix_files_init; panics when memory is short. */
void posix_devices_init(void);

/* posix_open_device - open(2) of device node @node: 0 and the open file in @out, -ENXIO
 * for a number no driver here has, -ENOENT for /dev/fd/N while descriptor N is closed,
 * -ENOMEM. /dev/fd/N gives descriptor N's own open file (as Linux does for the console,
 * pipes and sockets). */
int posix_open_device(struct ramfs_node *node, int flags, struct vfile **out);

/* posix_blockdevs_init - /dev/vda, /dev/vdb... for the VM's disks (posix/fs/blockdev.c);
 * called by posix_devices_init. posix_open_blockdev - open(2) of a disk's node with
 * device number @rdev: 0, -ENXIO (no such disk, or a partition), -EROFS (a read-only disk
 * opened for writing), -ENOMEM, -EIO. posix_blockdevs_sync - flush every disk in use
 * (sync(2)). */
void posix_blockdevs_init(void);
int posix_open_blockdev(struct ramfs_node *node, uint32_t rdev, int flags, struct vfile **out);
void posix_blockdevs_sync(void);

/* posix_device_alias_fd - N when @node is /dev/fd/N's node, else -1. */
int posix_device_alias_fd(const struct ramfs_node *node);

/* posix_flock_release - drop @f's flock lock, if any (posix/fs/flock.c): the last
 * reference to the open file description is going. */
void posix_flock_release(struct vfile *f);

/* Record locks (posix/fs/reclock.c). posix_record_lock - fcntl's F_GETLK, F_SETLK,
 * F_SETLKW and their F_OFD_ forms on @fd with @fl: 0 or -errno (EBADF, EINVAL, EFAULT,
 * EAGAIN for a conflict without waiting, EOVERFLOW, ENOLCK, ECANCELED when a cancel ended
 * F_SETLKW's wait; fcntl acts on it). posix_record_locks_closing - @fd is about to be
 * closed: the process's locks on its file go. posix_record_locks_release - the last
 * reference to @f is going: its OFD locks go. */
struct flock;
int posix_record_lock(int fd, int cmd, struct flock *fl);
void posix_record_locks_closing(int fd);
void posix_record_locks_release(struct vfile *f);

#endif
