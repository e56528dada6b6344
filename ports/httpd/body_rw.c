/* body_rw.c - file bodies through the connection's buffer with read(); works wherever
 * read() does. The build picks this file or body_sendfile.c. */
#include <errno.h>
#include <unistd.h>

#include "body.h"

int body_transfer(int sock, int file_fd, off_t *offset, uint64_t *left, char *buf, size_t cap,
                  size_t *staged)
{
	(void)sock;
	size_t want = *left < cap ? (size_t)*left : cap;
	ssize_t n;
	do {
		n = read(file_fd, buf, want);
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
