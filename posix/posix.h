/* posix.h - shared inside the POSIX layer: how a kernel result becomes a POSIX one.
 * Kernel commands return 0 / a count or -errno (newlib's numbers, see
 * kernel/include/errno.h); the layer's public functions return -1 and set errno. */
#ifndef POSIX_POSIX_H
#define POSIX_POSIX_H

#include <errno.h>

/* posix_result - @r when it is not negative, else errno = -@r and -1. */
static inline long posix_result(long r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/* posix_thread_text - the calling thread's buffer of POSIX_THREAD_TEXT_SIZE bytes for
 * texts a C-library call returns by pointer when they are not constant ("Unknown error
 * 1234" from strerror, "Unknown signal 99" from strsignal): valid until the thread's next
 * such call, as glibc's. */
#define POSIX_THREAD_TEXT_SIZE 64
char *posix_thread_text(void);

/* posix_program_name - argv[0]: the port's name. */
extern const char *posix_program_name;

#endif
