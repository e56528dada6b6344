/* sys/uio.h - scatter/gather I/O (missing from newlib); posix/fs/files.c implements readv and
 * writev, posix/fs/fileio.c preadv and pwritev. */
#ifndef VMOS_SYS_UIO_H
#define VMOS_SYS_UIO_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef IOV_MAX
#define IOV_MAX 1024
#endif

struct iovec {
	void *iov_base;
	size_t iov_len;
};

ssize_t readv(int fd, const struct iovec *iov, int count);
ssize_t writev(int fd, const struct iovec *iov, int count);
#if __BSD_VISIBLE || __GNU_VISIBLE
ssize_t preadv(int fd, const struct iovec *iov, int count, off_t offset);
ssize_t pwritev(int fd, const struct iovec *iov, int count, off_t offset);
#endif

#ifdef __cplusplus
}
#endif

#endif
