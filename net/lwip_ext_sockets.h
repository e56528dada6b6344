/* lwip_ext_sockets.h - what lwIP's socket API (sockets.c) takes from the system when
 * LWIP_SOCKET_EXTERNAL_HEADERS is on: the POSIX layer's own Linux-compatible
 * <sys/socket.h> and <poll.h> (no sa_len fields), and the declarations of lwIP's
 * lwip_* calls, which posix/net/socket.c wraps. Nothing here renames application calls. */
#ifndef VMOS_LWIP_EXT_SOCKETS_H
#define VMOS_LWIP_EXT_SOCKETS_H

#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/socket.h>

#include LWIP_SOCKET_EXTERNAL_HEADER_INET_H

/* Linux's socket addresses carry no length field. */
#define IP4ADDR_SOCKADDR_SET_LEN(sin)
#define IP6ADDR_SOCKADDR_SET_LEN(sin6)
#define SIN_ZERO_LEN 8
#define IPADDR_SOCKADDR_GET_LEN(addr)                                                              \
	((socklen_t)((addr)->sa.sa_family == AF_INET ? sizeof(struct sockaddr_in)                  \
	                                             : sizeof(struct sockaddr_in6)))

#define LWIP_SELECT_MAXNFDS FD_SETSIZE

/* An lwIP option Linux does not have (it is TCP_KEEPIDLE in milliseconds). */
#define TCP_KEEPALIVE 0xff

/* lwIP's IPPROTO_UDPLITE option names (UDP-Lite is not built). */
#define UDPLITE_SEND_CSCOV 10
#define UDPLITE_RECV_CSCOV 11

int lwip_accept(int s, struct sockaddr *addr, socklen_t *addrlen);
int lwip_bind(int s, const struct sockaddr *name, socklen_t namelen);
int lwip_shutdown(int s, int how);
int lwip_getpeername(int s, struct sockaddr *name, socklen_t *namelen);
int lwip_getsockname(int s, struct sockaddr *name, socklen_t *namelen);
int lwip_getsockopt(int s, int level, int optname, void *optval, socklen_t *optlen);
int lwip_setsockopt(int s, int level, int optname, const void *optval, socklen_t optlen);
int lwip_close(int s);
int lwip_connect(int s, const struct sockaddr *name, socklen_t namelen);
int lwip_listen(int s, int backlog);
ssize_t lwip_recv(int s, void *mem, size_t len, int flags);
ssize_t lwip_read(int s, void *mem, size_t len);
ssize_t lwip_readv(int s, const struct iovec *iov, int iovcnt);
ssize_t lwip_recvfrom(int s, void *mem, size_t len, int flags, struct sockaddr *from,
                      socklen_t *fromlen);
ssize_t lwip_recvmsg(int s, struct msghdr *message, int flags);
ssize_t lwip_send(int s, const void *dataptr, size_t size, int flags);
ssize_t lwip_sendmsg(int s, const struct msghdr *message, int flags);
ssize_t lwip_sendto(int s, const void *dataptr, size_t size, int flags, const struct sockaddr *to,
                    socklen_t tolen);
int lwip_socket(int domain, int type, int protocol);
ssize_t lwip_write(int s, const void *dataptr, size_t size);
ssize_t lwip_writev(int s, const struct iovec *iov, int iovcnt);
int lwip_poll(struct pollfd *fds, nfds_t nfds, int timeout);
int lwip_ioctl(int s, long cmd, void *argp);
int lwip_fcntl(int s, int cmd, int val);
const char *lwip_inet_ntop(int af, const void *src, char *dst, socklen_t size);
int lwip_inet_pton(int af, const char *src, void *dst);

#endif
