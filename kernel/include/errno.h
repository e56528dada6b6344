/* errno.h - error numbers for the freestanding kernel build, with Linux's values.
 * Kernel commands return 0 or -E...; the POSIX layer turns that into errno at its edge.
 * Host unit tests use the C library's <errno.h>, which has the same values on Linux. */
#ifndef VMOS_KERNEL_ERRNO_H
#define VMOS_KERNEL_ERRNO_H

#define EPERM     1
#define ENOENT    2
#define EIO       5
#define EAGAIN    11
#define E2BIG     7
#define ENOMEM    12
#define EFAULT    14
#define EBUSY     16
#define EEXIST    17
#define ENODEV    19
#define EINVAL    22
#define ENOSPC    28
#define ERANGE    34
#define EDEADLK   35
#define ENOSYS    38
#define EOVERFLOW 75
#define ETIMEDOUT 110

#endif
