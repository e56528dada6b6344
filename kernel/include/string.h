/* string.h - the few string and memory functions the freestanding kernel uses
 * (kernel/string.c). Host unit tests get the C library's. */
#ifndef VMOS_KERNEL_STRING_H
#define VMOS_KERNEL_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

#endif
