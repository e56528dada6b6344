/* body_read.c - the read path both body variants share: the next part of a file body
 * into the connection's buffer (body.h). */
#include <errno.h>
#include <unistd.h>

#include "body.h"

int body_stage(int file_fd, off_t *offset, uint64_t *left, char *buf, size_t cap, size_t *staged)
{
	size_t want = *left < cap ? (size_t)*left : cap;
	ssize_t n;

	do {
		n = pread(file_fd, buf, want, *offset);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -EIO;
	*staged = (size_t)n;
	*offset += n;
	*left -= (uint64_t)n;
	return 0;
}
