/* sys/stat.h - newlib's <sys/stat.h> plus lstat, which newlib declares only for a few
 * targets of its own although VMOS provides it (posix/fs/files.c), and utimensat's
 * special times with Linux's values (newlib defines them for Cygwin only). */
#include_next <sys/stat.h>

#ifndef VMOS_SYS_STAT_H
#define VMOS_SYS_STAT_H

#ifdef __cplusplus
extern "C" {
#endif

int lstat(const char *__restrict path, struct stat *__restrict buf);

#ifndef UTIME_NOW
#define UTIME_NOW  ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
#endif

#ifdef __cplusplus
}
#endif

#endif
