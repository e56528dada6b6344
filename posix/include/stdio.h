/* stdio.h - newlib's, with POSIX.1-2008's getline and getdelim, which newlib 3.3 has only
 * as __getline and __getdelim (posix/libc/getline.c). */
#include_next <stdio.h>

#ifndef VMOS_STDIO_H
#define VMOS_STDIO_H
#ifdef __cplusplus
extern "C" {
#endif
#if __POSIX_VISIBLE >= 200809 || __GNU_VISIBLE
ssize_t getdelim(char **lineptr, size_t *n, int delim, FILE *stream);
ssize_t getline(char **lineptr, size_t *n, FILE *stream);
#endif
#ifdef __cplusplus
}
#endif
#endif
