/* linux/fs.h - the file ioctl numbers programs include it for (Linux's values). The RAM
 * filesystem shares no extents: ioctl(FICLONE) and FICLONERANGE fail with EOPNOTSUPP, as
 * on Linux's tmpfs (posix/fs/files.c), and callers copy the bytes instead. The inode
 * flags are not kept: FS_IOC_GETFLAGS gives ENOTTY. The block-device requests are
 * answered by the disks' device nodes, /dev/vda... (posix/fs/blockdev.c). */
#ifndef VMOS_LINUX_FS_H
#define VMOS_LINUX_FS_H

#define FICLONE         0x40049409 /* _IOW(0x94, 9, int) */
#define FICLONERANGE    0x4020940d /* _IOW(0x94, 13, struct file_clone_range) */
#define FS_IOC_GETFLAGS 0x80086601
#define FS_IOC_SETFLAGS 0x40086602

#define BLKROGET     0x125e     /* _IO(0x12, 94): int, 1 when read-only */
#define BLKGETSIZE   0x1260     /* _IO(0x12, 96): unsigned long, 512-byte sectors */
#define BLKFLSBUF    0x1261     /* _IO(0x12, 97): flush */
#define BLKSSZGET    0x1268     /* _IO(0x12, 104): int, logical block size */
#define BLKPBSZGET   0x127b     /* _IO(0x12, 123): unsigned int, physical block size */
#define BLKGETSIZE64 0x80081272 /* _IOR(0x12, 114, size_t): uint64_t, bytes */

#endif
