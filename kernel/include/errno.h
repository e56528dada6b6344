/* errno.h - error numbers for the freestanding kernel build.
 *
 * The values are newlib's (sys/errno.h of newlib 3.3.0), because applications see the
 * kernel's errors through newlib's errno: kernel commands return 0 or -E..., and the
 * POSIX layer stores that into errno at its edge without translation. Some differ from
 * Linux's (EDEADLK, ENOSYS, ETIMEDOUT, EOVERFLOW...). Host unit tests use the host C
 * library's <errno.h> and compare by name only. */
#ifndef VMOS_KERNEL_ERRNO_H
#define VMOS_KERNEL_ERRNO_H

#define EPERM       1
#define ENOENT      2
#define EINTR       4
#define EIO         5
#define E2BIG       7
#define EBADF       9
#define EAGAIN      11
#define ENOMEM      12
#define EFAULT      14
#define EBUSY       16
#define EEXIST      17
#define ENODEV      19
#define EINVAL      22
#define ENOTTY      25
#define ENOSPC      28
#define ESPIPE      29
#define EROFS       30
#define ERANGE      34
#define EDEADLK     45
#define ENOSYS      88
#define EOPNOTSUPP  95
#define ETIMEDOUT   116
#define EINPROGRESS 119
#define EMSGSIZE    122
#define EOVERFLOW   139

#endif
