/* execinfo.h - the calling chain of the running thread, as glibc offers it
 * (posix/libc/execinfo.c: a frame-pointer walk, names from the image's symbol table). */
#ifndef VMOS_EXECINFO_H
#define VMOS_EXECINFO_H

#ifdef __cplusplus
extern "C" {
#endif

int backtrace(void **buffer, int size);
char **backtrace_symbols(void *const *buffer, int size);
void backtrace_symbols_fd(void *const *buffer, int size, int fd);

#ifdef __cplusplus
}
#endif

#endif
