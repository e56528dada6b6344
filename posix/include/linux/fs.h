/* linux/fs.h - the file ioctl numbers programs include it for (Linux's values). The RAM
 * filesystem shares no extents: ioctl(FICLONE) and FICLONERANGE fail with EOPNOTSUPP, as
 * on Linux's tmpfs (posix/fs/files.c), and callers copy the bytes instead. The inode
 * flags are not kept: FS_IOC_GETFLAGS gives ENOTTY. */
#ifndef VMOS_LINUX_FS_H
#define VMOS_LINUX_FS_H

#define FICLONE         0x40049409 /* _IOW(0x94, 9, int) */
#define FICLONERANGE    0x4020940d /* _IOW(0x94, 13, struct file_clone_range) */
#define FS_IOC_GETFLAGS 0x80086601
#define FS_IOC_SETFLAGS 0x40086602

#endif
