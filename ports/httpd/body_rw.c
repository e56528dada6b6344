/* body_rw.c - file bodies through the connection's buffer with pread(); works wherever
 * pread() does. The build picks this file or body_sendfile.c. */
#include "body.h"

int body_transfer(int sock, int file_fd, off_t *offset, uint64_t *left, char *buf, size_t cap,
                  size_t *staged)
{
	(void)sock;
	return body_stage(file_fd, offset, left, buf, cap, staged);
}
