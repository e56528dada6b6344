/* stdlib.h - newlib's, with glibc's clearenv (posix/proc/environ.c) and getloadavg
 * (posix/proc/loadavg.c). */
#include_next <stdlib.h>

#ifndef VMOS_STDLIB_H
#define VMOS_STDLIB_H
#ifdef __cplusplus
extern "C" {
#endif
#if __MISC_VISIBLE || __GNU_VISIBLE
int clearenv(void);
int getloadavg(double loadavg[], int nelem);
#endif
#ifdef __cplusplus
}
#endif
#endif
