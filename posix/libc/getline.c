/* getline.c - POSIX's getline and getdelim over newlib's __getline and __getdelim (which
 * newlib 3.3 does not export under the standard names). EINVAL for a NULL pointer, as
 * glibc. */
#include <errno.h>
#include <stdio.h>

#include "posix/posix.h"

ssize_t __getdelim(char **lineptr, size_t *n, int delim, FILE *stream);

ssize_t getdelim(char **lineptr, size_t *n, int delim, FILE *stream)
{
	if (!lineptr || !n || !stream)
		return posix_result(-EINVAL);
	return __getdelim(lineptr, n, delim, stream);
}

ssize_t getline(char **lineptr, size_t *n, FILE *stream)
{
	return getdelim(lineptr, n, '\n', stream);
}
