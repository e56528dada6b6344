/* sys/sendfile.h - copy between descriptors (missing from newlib); posix/net/socket.c. */
#ifndef VMOS_SYS_SENDFILE_H
#define VMOS_SYS_SENDFILE_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count);

#ifdef __cplusplus
}
#endif

#endif
