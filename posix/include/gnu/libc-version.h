/* gnu/libc-version.h - glibc's version query: the glibc interface VMOS gives programs
 * (__GLIBC__, __GLIBC_MINOR__: 2.36, Debian bookworm's). posix/libc/libc_version.c. */
#ifndef VMOS_GNU_LIBC_VERSION_H
#define VMOS_GNU_LIBC_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

/* gnu_get_libc_version - "2.36". */
const char *gnu_get_libc_version(void);

/* gnu_get_libc_release - "stable", as glibc's releases say. */
const char *gnu_get_libc_release(void);

#ifdef __cplusplus
}
#endif

#endif
