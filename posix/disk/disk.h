/* disk.h - the disks' file systems, as the rest of the POSIX layer calls them. The layer
 * (posix/disk/, with libext2fs) is its own archive, linked into every application image
 * (the link names posix_disks_mount); the POSIX layer calls it through weak references,
 * so that the kit's libraries link without it (e2fsprogs' configure links with them
 * before libext2fs exists). */
#ifndef POSIX_DISK_DISK_H
#define POSIX_DISK_DISK_H

struct cmdline;

/* posix_disks_mount - mount what the command line's mount= options name (posix/disk/
 * mount.c). Returns 0 or the first failure's -errno, after saying why on the console. */
int posix_disks_mount(const struct cmdline *cl) __attribute__((weak));

/* posix_disks_sync - sync(2) of every mounted file system. */
void posix_disks_sync(void) __attribute__((weak));

/* posix_disks_unmount - at power-off: files unlinked while open are freed, everything is
 * written and flushed, each file system is closed clean. */
void posix_disks_unmount(void) __attribute__((weak));

#endif
