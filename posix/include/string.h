/* string.h - newlib's <string.h> plus glibc's GNU additions VMOS provides
 * (posix/libc/messages.c, posix/libc/signames.c): the names and descriptions of error
 * numbers and signals. strerror_r is newlib's choice, as glibc's: the GNU form under
 * _GNU_SOURCE, the XSI one (__xpg_strerror_r) otherwise. */
#include_next <string.h>

#ifndef VMOS_STRING_H
#define VMOS_STRING_H

#ifdef __cplusplus
extern "C" {
#endif

#if __GNU_VISIBLE
/* The description ("Bad file descriptor") and the name ("EBADF") of an error number;
 * NULL for a number without one. */
const char *strerrordesc_np(int errnum);
const char *strerrorname_np(int errnum);
/* The description ("Hangup") and the abbreviation ("HUP") of a signal; NULL for a
 * number without one (real-time signals included, as glibc). */
const char *sigdescr_np(int sig);
const char *sigabbrev_np(int sig);
#endif

#ifdef __cplusplus
}
#endif

#endif
