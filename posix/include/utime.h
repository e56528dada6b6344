/* utime.h - newlib's struct utimbuf with utime's declaration, which newlib leaves to each
 * system (posix/fs/attrs.c). */
#include_next <utime.h>

#ifndef VMOS_UTIME_H
#define VMOS_UTIME_H
#ifdef __cplusplus
extern "C" {
#endif
int utime(const char *path, const struct utimbuf *times);
#ifdef __cplusplus
}
#endif
#endif
