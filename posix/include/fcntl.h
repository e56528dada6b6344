/* fcntl.h - newlib's, with the Linux calls it lacks: posix_fadvise and its advice values,
 * sync_file_range (posix/fs/fileio.c). Values as Linux's. */
#include_next <fcntl.h>

#ifndef VMOS_FCNTL_H
#define VMOS_FCNTL_H
#include <sys/types.h>
#ifdef __cplusplus
extern "C" {
#endif

#define POSIX_FADV_NORMAL     0
#define POSIX_FADV_RANDOM     1
#define POSIX_FADV_SEQUENTIAL 2
#define POSIX_FADV_WILLNEED   3
#define POSIX_FADV_DONTNEED   4
#define POSIX_FADV_NOREUSE    5
int posix_fadvise(int fd, off_t offset, off_t len, int advice);

#if __GNU_VISIBLE
#define SYNC_FILE_RANGE_WAIT_BEFORE 1
#define SYNC_FILE_RANGE_WRITE       2
#define SYNC_FILE_RANGE_WAIT_AFTER  4
int sync_file_range(int fd, off_t offset, off_t nbytes, unsigned int flags);
#endif

#ifdef __cplusplus
}
#endif
#endif
