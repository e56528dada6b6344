/* body.h - moving a file body toward a socket. Two implementations, one per build:
 * body_rw.c (read into the connection's buffer, which the caller then sends; portable)
 * and body_sendfile.c (Linux sendfile(2) straight from the file, falling back to the
 * read path where the file system or socket cannot do it). */
#ifndef HTTPD_BODY_H
#define HTTPD_BODY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* body_transfer - move the next part of the @*left bytes of @file_fd, from @*offset on,
 * toward non-blocking socket @sock. Either sends them itself (advancing *offset and
 * reducing *left), or stages up to @cap bytes in @buf, sets *@staged to their count and
 * advances *offset / reduces *left as if sent (the caller sends the buffer). Called with
 * *left > 0. Returns 0 after progress, -EAGAIN when the socket is full, -EIO when the file
 * ended early (it shrank: the promised Content-Length cannot be kept), or another -errno. */
int body_transfer(int sock, int file_fd, off_t *offset, uint64_t *left, char *buf, size_t cap,
                  size_t *staged);

/* body_stage - the staging half of body_transfer (body_read.c, linked with either
 * variant): pread up to @cap of the @*left bytes at @*offset into @buf, set *@staged,
 * advance *offset and reduce *left. Returns 0, -EIO when the file ended early, or -errno. */
int body_stage(int file_fd, off_t *offset, uint64_t *left, char *buf, size_t cap, size_t *staged);

#endif
