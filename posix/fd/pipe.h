/* pipe.h - what the POSIX layer asks of pipes besides their vfile ops (posix/fd/pipe.c):
 * for splice and tee (posix/fd/splice.c). */
#ifndef POSIX_FD_PIPE_H
#define POSIX_FD_PIPE_H

#include <stdbool.h>
#include <sys/types.h>

#include "posix/fd/fdtable.h"

/* posix_pipe_id - the pipe behind @f (either end), or NULL when @f is not a pipe. */
const void *posix_pipe_id(struct vfile *f);

/* posix_pipe_peek - copy up to @len bytes from the front of the pipe read end @f, leaving
 * them in the pipe; waits for data unless @nonblock or O_NONBLOCK. Returns the count, 0
 * when the pipe is empty and has no writer, or -EAGAIN. */
ssize_t posix_pipe_peek(struct vfile *f, void *out, size_t len, bool nonblock);

#endif
