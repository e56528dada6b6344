/* sys/file.h - newlib's (fcntl.h's flags) and flock with its LOCK_* values, which newlib
 * declares only with __BSD_VISIBLE (posix/fs/flock.c). */
#include_next <sys/file.h>

#ifndef VMOS_SYS_FILE_H
#define VMOS_SYS_FILE_H
#ifdef __cplusplus
extern "C" {
#endif
#ifndef LOCK_SH
#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8
#endif
int flock(int fd, int operation);
#ifdef __cplusplus
}
#endif
#endif
