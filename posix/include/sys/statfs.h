/* sys/statfs.h - filesystem statistics, Linux's struct statfs (missing from newlib);
 * posix/fs/statfs.c. The RAM filesystem reports itself as tmpfs. */
#ifndef VMOS_SYS_STATFS_H
#define VMOS_SYS_STATFS_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	int __val[2];
} fsid_t;

struct statfs {
	long f_type;  /* the filesystem's magic number */
	long f_bsize; /* optimal transfer block size */
	fsblkcnt_t f_blocks;
	fsblkcnt_t f_bfree;
	fsblkcnt_t f_bavail;
	fsblkcnt_t f_files;
	fsblkcnt_t f_ffree;
	fsid_t f_fsid;
	long f_namelen;
	long f_frsize;
	long f_flags; /* ST_* mount flags, ST_VALID among them */
	long f_spare[4];
};

#define TMPFS_MAGIC        0x01021994
#define PIPEFS_MAGIC       0x50495045
#define SOCKFS_MAGIC       0x534F434B
#define DEVPTS_SUPER_MAGIC 0x1cd1

int statfs(const char *path, struct statfs *buf);
int fstatfs(int fd, struct statfs *buf);

#ifdef __cplusplus
}
#endif

#endif
