/* unix.h - AF_UNIX sockets (posix/net/unix.c): stream sockets connected over two pipes,
 * datagram sockets with a message queue, names in the RAM filesystem (a socket node) or
 * in Linux's abstract namespace (a name starting with a NUL byte). socket.c calls these
 * when a descriptor is an AF_UNIX socket; each returns 0, a count or a descriptor, or
 * -errno with Linux's error for the case. */
#ifndef POSIX_NET_UNIX_H
#define POSIX_NET_UNIX_H

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "posix/fd/fdtable.h"

/* unix_is_socket - whether @f is an AF_UNIX socket. */
bool unix_is_socket(const struct vfile *f);

/* unix_socket - a new AF_UNIX socket of @type (SOCK_STREAM or SOCK_DGRAM) with @flags
 * (SOCK_NONBLOCK, SOCK_CLOEXEC): its descriptor. */
int unix_socket(int type, int protocol, int flags);

int unix_bind(struct vfile *f, const struct sockaddr *addr, socklen_t len);
int unix_listen(struct vfile *f, int backlog);
/* unix_accept - the next connection's descriptor, with @flags (SOCK_NONBLOCK, SOCK_CLOEXEC). */
int unix_accept(struct vfile *f, struct sockaddr *addr, socklen_t *len, int flags);
int unix_connect(struct vfile *f, const struct sockaddr *addr, socklen_t len);
/* unix_name - getsockname (@peer false) or getpeername (@peer true). */
int unix_name(struct vfile *f, struct sockaddr *addr, socklen_t *len, bool peer);
ssize_t unix_sendto(struct vfile *f, const void *buf, size_t len, int flags,
                    const struct sockaddr *to, socklen_t tolen);
ssize_t unix_recvfrom(struct vfile *f, void *buf, size_t len, int flags, struct sockaddr *from,
                      socklen_t *fromlen);
int unix_shutdown(struct vfile *f, int how);
/* unix_getsockopt - a SOL_SOCKET option's int value in *@value, or -ENOPROTOOPT. */
int unix_getsockopt(struct vfile *f, int name, int *value);

#endif
