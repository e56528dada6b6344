/* sys/statvfs.h - POSIX filesystem statistics (missing from newlib); posix/fs/statfs.c.
 * Layout as glibc's on x86-64 (newlib's fsfilcnt_t is 32 bits: the counts of files fit
 * in what a RAM filesystem can hold). */
#ifndef VMOS_SYS_STATVFS_H
#define VMOS_SYS_STATVFS_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct statvfs {
	unsigned long f_bsize;
	unsigned long f_frsize;
	fsblkcnt_t f_blocks;
	fsblkcnt_t f_bfree;
	fsblkcnt_t f_bavail;
	fsfilcnt_t f_files;
	fsfilcnt_t f_ffree;
	fsfilcnt_t f_favail;
	unsigned long f_fsid;
	unsigned long f_flag;
	unsigned long f_namemax;
	int __f_spare[6];
};

#define ST_RDONLY      1
#define ST_NOSUID      2
#define ST_NODEV       4
#define ST_NOEXEC      8
#define ST_SYNCHRONOUS 16
#define ST_VALID       32
#define ST_MANDLOCK    64
#define ST_NOATIME     1024
#define ST_NODIRATIME  2048
#define ST_RELATIME    4096

int statvfs(const char *path, struct statvfs *buf);
int fstatvfs(int fd, struct statvfs *buf);

#ifdef __cplusplus
}
#endif

#endif
