/* sys/errno.h - newlib's error numbers as Linux programs expect to see them: every name
 * Linux has that newlib knows (newlib hides the Linux-only ones, ENOTBLK, ESHUTDOWN,
 * EBADFD, ENOMEDIUM..., unless __LINUX_ERRNO_EXTENSIONS__), and EDEADLOCK and ENOTSUP one
 * number with EDEADLK and EOPNOTSUPP, as on Linux (newlib gives each its own). The numbers
 * stay newlib's; the kernel's (kernel/include/errno.h) are the same. */
#ifndef __LINUX_ERRNO_EXTENSIONS__
#define __LINUX_ERRNO_EXTENSIONS__ 1
#endif
#include_next <sys/errno.h>

#ifndef VMOS_SYS_ERRNO_H
#define VMOS_SYS_ERRNO_H
#undef EDEADLOCK
#define EDEADLOCK EDEADLK
#undef ENOTSUP
#define ENOTSUP EOPNOTSUPP

#include <sys/features.h>
#if __GNU_VISIBLE
/* glibc's: the program's name as invoked (argv[0]) and its part after the last '/'
 * (posix/start.c sets both). */
extern char *program_invocation_name;
extern char *program_invocation_short_name;
#endif
#endif
