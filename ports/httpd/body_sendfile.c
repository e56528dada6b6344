/* body_sendfile.c - file bodies with Linux's sendfile(2), which copies from the page cache
 * to the socket without passing through user memory. Where sendfile refuses the pair
 * (EINVAL, ENOSYS) the body goes through the buffer as in body_rw.c. The build picks this
 * file or body_rw.c. */
#include <errno.h>
#include <stdbool.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "body.h"

/* Bytes per sendfile call: enough to fill a socket buffer, small enough to be fair. */
#define SENDFILE_CHUNK (256 * 1024)

int body_transfer(int sock, int file_fd, off_t *offset, uint64_t *left, char *buf, size_t cap,
                  size_t *staged)
{
	static bool sendfile_unusable;
	if (sendfile_unusable)
		return body_stage(file_fd, offset, left, buf, cap, staged);
	size_t want = *left < SENDFILE_CHUNK ? (size_t)*left : SENDFILE_CHUNK;
	ssize_t n;
	do {
		n = sendfile(sock, file_fd, offset, want);
	} while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EINVAL || errno == ENOSYS)) {
		sendfile_unusable = true;
		return body_stage(file_fd, offset, left, buf, cap, staged);
	}
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (n == 0)
		return -EIO;
	*left -= (uint64_t)n;
	return 0;
}
