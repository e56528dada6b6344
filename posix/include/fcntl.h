/* fcntl.h - newlib's, with the Linux calls it lacks: posix_fadvise and its advice values,
 * sync_file_range (posix/fs/fileio.c), splice, tee and vmsplice (posix/fd/splice.c), the
 * F_OFD_ record-lock commands. Values as Linux's. */
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
/* Open file description locks (posix/fs/reclock.c), Linux's values. */
#define F_OFD_GETLK  36
#define F_OFD_SETLK  37
#define F_OFD_SETLKW 38

#define SYNC_FILE_RANGE_WAIT_BEFORE 1
#define SYNC_FILE_RANGE_WRITE       2
#define SYNC_FILE_RANGE_WAIT_AFTER  4
int sync_file_range(int fd, off_t offset, off_t nbytes, unsigned int flags);

/* posix/fd/splice.c: one end a pipe (tee: both), the data copied. */
#define SPLICE_F_MOVE     1
#define SPLICE_F_NONBLOCK 2
#define SPLICE_F_MORE     4
#define SPLICE_F_GIFT     8
#ifndef __loff_t_defined
typedef long loff_t;
#define __loff_t_defined
#endif
struct iovec;
ssize_t splice(int fd_in, loff_t *off_in, int fd_out, loff_t *off_out, size_t len,
               unsigned int flags);
ssize_t tee(int fd_in, int fd_out, size_t len, unsigned int flags);
ssize_t vmsplice(int fd, const struct iovec *iov, size_t nr_segs, unsigned int flags);
#endif

#ifdef __cplusplus
}
#endif
#endif
