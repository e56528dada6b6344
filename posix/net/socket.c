/* socket.c - BSD sockets in the descriptor table: TCP and UDP over IPv4 through lwIP's
 * socket API (docs/networking.md), and sendfile; AF_UNIX descriptors are handed to
 * posix/net/unix.c.
 *
 * A socket descriptor's vfile holds the lwIP socket number. lwIP runs with core locking:
 * lwip_* calls take the core lock and call the stack directly; a blocking call waits on
 * a kernel wait queue (net/sys_arch.c), so other threads run meanwhile. lwIP's event
 * callback is wrapped so that every readiness change also wakes poll, select and
 * epoll_wait (posix/fd/pollwait.h). The descriptor's O_NONBLOCK is the truth; it is copied
 * to lwIP's socket before a call that may block. lwIP sets errno itself (newlib's
 * values); the few places where its answer differs from Linux's are fixed here. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lwip/api.h"
#include "lwip/priv/sockets_priv.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/sockets.h"
#include "lwip/tcpip.h"
#include "net/net.h"
#include "posix/fd/pollwait.h"
#include "posix/fs/files.h"
#include "posix/net/unix.h"
#include "posix/posix.h"
#include "posix/thread/pthread_internal.h"

struct sock {
	int s;           /* the lwIP socket */
	int type;        /* SOCK_STREAM or SOCK_DGRAM */
	bool nonblock;   /* what lwIP's socket says about O_NONBLOCK */
	bool listening;  /* listen() succeeded */
	bool connecting; /* a connect() is or was under way and has not succeeded yet */
	bool eof;        /* a stream read saw end of file, or shutdown(SHUT_RD) */
	/* Linux's options lwIP lacks, kept to be reported back (local_option). */
	int cork, defer_accept, quickack, mark;
	/* TCP_NODELAY was set on it: connections it accepts get it too, as Linux's inherit
	 * it from their listener (lwIP's do not). */
	bool nodelay;
};

/* LWIP(call) - run an lwIP socket call, which reports errors in errno (and sometimes
 * sets it on success too): its result, or -errno on failure. The caller's errno is left
 * as it was either way; the public calls set it from the -errno result. */
#define LWIP(call)                                                                                 \
	({                                                                                         \
		int saved_errno_ = errno;                                                          \
		errno = 0;                                                                         \
		long r_ = (long)(call);                                                            \
		if (r_ < 0)                                                                        \
			r_ = errno ? -errno : -EIO;                                                \
		errno = saved_errno_;                                                              \
		r_;                                                                                \
	})

/* ---- lwIP's event callback, wrapped to wake poll/select/epoll ---- */

static netconn_callback lwip_event_callback;

static void sock_event(struct netconn *conn, enum netconn_evt evt, u16_t len)
{
	lwip_event_callback(conn, evt, len);
	if (evt != NETCONN_EVT_RCVMINUS && evt != NETCONN_EVT_SENDMINUS)
		posix_poll_notify();
}

/* Route socket @s's events through sock_event (accepted connections inherit it). */
static void hook_events(int s)
{
	struct lwip_sock *ls = lwip_socket_dbg_get_socket(s);

	if (!ls || !ls->conn)
		return;
	if (!lwip_event_callback)
		lwip_event_callback = ls->conn->callback;
	if (ls->conn->callback == lwip_event_callback)
		ls->conn->callback = sock_event;
}

/* ---- the socket object ---- */

static void sync_nonblock(struct vfile *f)
{
	struct sock *k = f->priv;
	bool nb = f->flags & O_NONBLOCK;

	if (nb != k->nonblock) {
		LWIP(lwip_fcntl(k->s, F_SETFL, nb ? O_NONBLOCK : 0));
		k->nonblock = nb;
	}
}

static ssize_t sock_recvfrom(struct vfile *f, void *buf, size_t len, int flags,
                             struct sockaddr *from, socklen_t *fromlen)
{
	struct sock *k = f->priv;

	if (k->eof && k->type == SOCK_STREAM)
		return 0;
	sync_nonblock(f);
	posix_cancel_begin(); /* a cancel ends lwIP's wait for data: -ECANCELED */
	ssize_t n = LWIP(lwip_recvfrom(k->s, buf, len, flags, from, fromlen));
	if (posix_cancel_end() && n < 0)
		return -ECANCELED;
	if (n < 0)
		return n;
	if (n == 0 && len > 0 && k->type == SOCK_STREAM && !(flags & MSG_PEEK))
		k->eof = true;
	return n;
}

static ssize_t sock_sendto(struct vfile *f, const void *buf, size_t len, int flags,
                           const struct sockaddr *to, socklen_t tolen)
{
	struct sock *k = f->priv;

	sync_nonblock(f);
	ssize_t n = LWIP(lwip_sendto(k->s, buf, len, flags, to, tolen));
	if (n < 0) {
		/* Linux: writing to a connection that is shut down or gone is EPIPE. */
		if (k->type == SOCK_STREAM && (n == -ENOTCONN || n == -ECONNRESET) &&
		    !k->connecting && !k->listening)
			return -EPIPE;
		return n;
	}
	return n;
}

static ssize_t sock_read(struct vfile *f, void *buf, size_t len)
{
	return sock_recvfrom(f, buf, len, 0, NULL, NULL);
}

static ssize_t sock_write(struct vfile *f, const void *buf, size_t len)
{
	return sock_sendto(f, buf, len, 0, NULL, 0);
}

static int sock_getattr(struct vfile *f, struct stat *st)
{
	(void)f;
	st->st_mode = S_IFSOCK | 0777;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

static int sock_ioctl(struct vfile *f, unsigned long request, void *arg)
{
	struct sock *k = f->priv;

	if (request != FIONREAD)
		return -ENOTTY;
	long r = LWIP(lwip_ioctl(k->s, (long)request, arg));
	return r < 0 ? (int)r : 0;
}

static unsigned sock_poll(struct vfile *f)
{
	struct sock *k = f->priv;
	struct lwip_sock *ls = lwip_socket_dbg_get_socket(k->s);
	unsigned r = 0;

	if (!ls)
		return POLLNVAL;
	if (ls->lastdata.pbuf || ls->rcvevent > 0 || k->eof)
		r |= POLLIN;
	if (ls->sendevent && !k->listening)
		r |= POLLOUT;
	if (ls->errevent)
		r |= POLLERR;
	if (k->eof && k->type == SOCK_STREAM)
		r |= POLLRDHUP;
	return r;
}

static int sock_release(struct vfile *f)
{
	struct sock *k = f->priv;

	LWIP(lwip_close(k->s));
	free(k);
	posix_poll_notify();
	return 0;
}

static const struct vfile_ops sock_ops = {
    .read = sock_read,
    .write = sock_write,
    .getattr = sock_getattr,
    .ioctl = sock_ioctl,
    .poll = sock_poll,
    .release = sock_release,
};

/* A descriptor for lwIP socket @s (closed on failure). Returns it or -errno. */
static int install_socket(int s, int type, int flags)
{
	struct sock *k = calloc(1, sizeof(*k));
	struct vfile *f;

	if (!k) {
		LWIP(lwip_close(s));
		return -ENOMEM;
	}
	k->s = s;
	k->type = type;
	k->nonblock = LWIP(lwip_fcntl(s, F_GETFL, 0)) & O_NONBLOCK;
	hook_events(s);
	int err = vfile_new(&sock_ops, k, O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0), &f);
	if (err) {
		LWIP(lwip_close(s));
		free(k);
		return err;
	}
	int fd = fd_install(&posix_fds, f, 0, flags & SOCK_CLOEXEC);
	vfile_unref(f); /* on failure this closes the socket */
	return fd;
}

/* ---- the calls ---- */

/* The socket behind @fd, with a reference. Returns 0, -EBADF or -ENOTSOCK. */
static int sock_get(int fd, struct vfile **out)
{
	int err = fd_get(&posix_fds, fd, out);

	if (err)
		return err;
	if ((*out)->ops != &sock_ops && !unix_is_socket(*out)) {
		vfile_unref(*out);
		return -ENOTSOCK;
	}
	return 0;
}

/* Check an IPv4 address argument; returns the length lwIP wants or -errno. */
static int inet_addr_len(const struct sockaddr *addr, socklen_t len, bool unspec_ok)
{
	if (!addr)
		return -EFAULT;
	if (len < sizeof(sa_family_t))
		return -EINVAL;
	if (addr->sa_family == AF_UNSPEC && unspec_ok)
		return (int)sizeof(struct sockaddr_in);
	if (addr->sa_family != AF_INET)
		return -EAFNOSUPPORT;
	if (len < sizeof(struct sockaddr_in))
		return -EINVAL;
	return (int)sizeof(struct sockaddr_in);
}

int socket(int domain, int type, int protocol)
{
	int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);

	type &= ~flags;
	if (domain == AF_UNIX)
		return (int)posix_result(unix_socket(type, protocol, flags));
	if (domain != AF_INET)
		return (int)posix_result(-EAFNOSUPPORT);
	if (type != SOCK_STREAM && type != SOCK_DGRAM)
		return (int)posix_result(type == SOCK_RAW ? -EPROTONOSUPPORT : -EINVAL);
	if (protocol != 0 && protocol != (type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP))
		return (int)posix_result(-EPROTONOSUPPORT);
	net_start();
	long s = LWIP(lwip_socket(AF_INET, type, 0));
	if (s < 0)
		return (int)posix_result(s == -ENFILE || s == -EIO ? -EMFILE : s);
	return (int)posix_result(install_socket((int)s, type, flags));
}

/* Linux refuses a second bind to a port that a socket listens on, even when both set
 * SO_REUSEADDR; lwIP allows it. Called with the core lock. */
static bool port_listened(const struct sockaddr_in *sin)
{
	u16_t port = lwip_ntohs(sin->sin_port);

	if (port == 0)
		return false;
	for (struct tcp_pcb_listen *l = tcp_listen_pcbs.listen_pcbs; l; l = l->next)
		if (l->local_port == port &&
		    (ip_addr_isany(&l->local_ip) || sin->sin_addr.s_addr == INADDR_ANY ||
		     ip4_addr_get_u32(ip_2_ip4(&l->local_ip)) == sin->sin_addr.s_addr))
			return true;
	return false;
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct vfile *f;
	int err = sock_get(fd, &f);

	posix_cancel_point(); /* at entry and after a failure: lwIP's wait is not interrupted */
	if (err)
		return (int)posix_result(err);
	struct sock *k = f->priv;
	int alen = unix_is_socket(f) ? 0 : inet_addr_len(addr, len, false);
	if (unix_is_socket(f)) {
		err = unix_bind(f, addr, len);
	} else if (alen < 0) {
		err = alen;
	} else {
		LOCK_TCPIP_CORE();
		bool used = k->type == SOCK_STREAM && port_listened((const void *)addr);
		UNLOCK_TCPIP_CORE();
		err = used ? -EADDRINUSE : (int)LWIP(lwip_bind(k->s, addr, (socklen_t)alen));
	}
	vfile_unref(f);
	return (int)posix_result(err);
}

int listen(int fd, int backlog)
{
	struct vfile *f;
	int err = sock_get(fd, &f);

	if (err)
		return (int)posix_result(err);
	struct sock *k = f->priv;
	if (unix_is_socket(f)) {
		err = unix_listen(f, backlog);
	} else {
		err = (int)LWIP(lwip_listen(k->s, backlog < 0 ? 0 : backlog));
		if (!err)
			k->listening = true;
	}
	vfile_unref(f);
	return (int)posix_result(err);
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	struct vfile *f;
	int err = sock_get(fd, &f);

	posix_cancel_point(); /* at entry, and when a cancel ended the wait */
	if (err)
		return (int)posix_result(err);
	struct sock *k = f->priv;
	if (unix_is_socket(f)) {
		err = unix_accept(f, addr, len, flags);
	} else if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) {
		err = -EINVAL;
	} else if (k->type != SOCK_STREAM) {
		err = -EOPNOTSUPP;
	} else if (!k->listening) {
		err = -EINVAL;
	} else {
		sync_nonblock(f);
		posix_cancel_begin(); /* a cancel ends lwIP's wait for a connection */
		long s = LWIP(lwip_accept(k->s, addr, len));
		if (posix_cancel_end() && s < 0)
			s = -ECANCELED;
		if (s >= 0 && k->nodelay) {
			int one = 1;
			LWIP(lwip_setsockopt((int)s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)));
		}
		err = s < 0 ? (int)s : install_socket((int)s, SOCK_STREAM, flags);
	}
	vfile_unref(f);
	if (err < 0)
		posix_cancel_point();
	return (int)posix_result(err);
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	return accept4(fd, addr, len, 0);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct vfile *f;
	int err = sock_get(fd, &f);

	posix_cancel_point(); /* at entry and after a failure: lwIP's wait is not interrupted */
	if (err)
		return (int)posix_result(err);
	struct sock *k = f->priv;
	int alen = unix_is_socket(f) ? 0 : inet_addr_len(addr, len, k->type == SOCK_DGRAM);
	if (unix_is_socket(f)) {
		err = unix_connect(f, addr, len);
	} else if (alen < 0) {
		err = alen;
	} else {
		sync_nonblock(f);
		k->connecting = k->type == SOCK_STREAM;
		err = (int)LWIP(lwip_connect(k->s, addr, (socklen_t)alen));
		if (err) {
			/* A reset answering the SYN is a refusal. */
			if (err == -ECONNRESET && k->type == SOCK_STREAM)
				err = -ECONNREFUSED;
			if (err != -EINPROGRESS && err != -EALREADY)
				k->connecting = false;
		} else {
			k->connecting = false;
		}
	}
	vfile_unref(f);
	if (err < 0)
		posix_cancel_point();
	return (int)posix_result(err);
}

static int name_call(int fd, struct sockaddr *addr, socklen_t *len, bool peer)
{
	struct vfile *f;
	int err = sock_get(fd, &f);

	if (err)
		return (int)posix_result(err);
	if (!addr || !len) {
		err = -EFAULT;
	} else if (unix_is_socket(f)) {
		err = unix_name(f, addr, len, peer);
	} else {
		struct sock *k = f->priv;
		err = (int)(peer ? LWIP(lwip_getpeername(k->s, addr, len))
		                 : LWIP(lwip_getsockname(k->s, addr, len)));
	}
	vfile_unref(f);
	return (int)posix_result(err);
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	return name_call(fd, addr, len, false);
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	return name_call(fd, addr, len, true);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
               socklen_t tolen)
{
	struct vfile *f;
	ssize_t r = sock_get(fd, &f);

	posix_cancel_point(); /* at entry and after a failure: lwIP's waits are not interrupted */
	if (r)
		return posix_result(r);
	if (unix_is_socket(f)) {
		r = unix_sendto(f, buf, len, flags, to, tolen);
	} else if (to) {
		int alen = inet_addr_len(to, tolen, false);
		r = alen < 0 ? alen : sock_sendto(f, buf, len, flags, to, (socklen_t)alen);
	} else {
		r = sock_sendto(f, buf, len, flags, NULL, 0);
	}
	vfile_unref(f);
	if (r < 0)
		posix_cancel_point();
	return posix_result(r);
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
                 socklen_t *fromlen)
{
	struct vfile *f;
	ssize_t r = sock_get(fd, &f);

	posix_cancel_point(); /* at entry, and when a cancel ended the wait */
	if (r)
		return posix_result(r);
	if (unix_is_socket(f)) {
		r = unix_recvfrom(f, buf, len, flags, from, fromlen);
	} else {
		r = sock_recvfrom(f, buf, len, flags, from, fromlen);
	}
	vfile_unref(f);
	if (r < 0)
		posix_cancel_point();
	return posix_result(r);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}

/* control_message_error - what sendmsg says of @msg's control messages on @fd: 0 when
 * there are none to refuse. As Linux: descriptors and credentials sent on an Internet
 * socket are ignored, an unknown SOL_SOCKET type is EINVAL. AF_UNIX cannot pass either
 * here yet: EOPNOTSUPP rather than losing them. Other levels' messages are ignored. */
static int control_message_error(int fd, const struct msghdr *msg)
{
	struct vfile *f;
	int err = 0;

	if (!msg->msg_control || msg->msg_controllen < sizeof(struct cmsghdr))
		return 0;
	if (sock_get(fd, &f))
		return 0; /* sendto reports the descriptor */
	bool is_unix = unix_is_socket(f);
	vfile_unref(f);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c && !err;
	     c = CMSG_NXTHDR((struct msghdr *)msg, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_RIGHTS || c->cmsg_type == SCM_CREDENTIALS)
			err = is_unix ? -EOPNOTSUPP : 0;
		else
			err = -EINVAL;
	}
	return err;
}

/* sendmsg / recvmsg: the buffers one after the other through send / recv; a datagram is
 * gathered into one buffer first so it stays one datagram. No control message is sent
 * (control_message_error). */
ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	size_t total = 0;

	if (!msg || (msg->msg_iovlen && !msg->msg_iov))
		return posix_result(-EFAULT);
	int control_err = control_message_error(fd, msg);
	if (control_err)
		return posix_result(control_err);
	for (size_t i = 0; i < msg->msg_iovlen; i++)
		total += msg->msg_iov[i].iov_len;
	char *buf = malloc(total ? total : 1);
	if (!buf)
		return posix_result(-ENOMEM);
	size_t off = 0;
	for (size_t i = 0; i < msg->msg_iovlen; i++) {
		memcpy(buf + off, msg->msg_iov[i].iov_base, msg->msg_iov[i].iov_len);
		off += msg->msg_iov[i].iov_len;
	}
	ssize_t r = sendto(fd, buf, total, flags, msg->msg_name, msg->msg_namelen);
	int saved = errno;
	free(buf);
	errno = saved;
	return r;
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	size_t total = 0;

	if (!msg || (msg->msg_iovlen && !msg->msg_iov))
		return posix_result(-EFAULT);
	for (size_t i = 0; i < msg->msg_iovlen; i++)
		total += msg->msg_iov[i].iov_len;
	char *buf = malloc(total ? total : 1);
	if (!buf)
		return posix_result(-ENOMEM);
	socklen_t namelen = msg->msg_name ? msg->msg_namelen : 0;
	ssize_t r = recvfrom(fd, buf, total, flags, msg->msg_name, msg->msg_name ? &namelen : NULL);
	int saved = errno;
	if (r >= 0) {
		size_t off = 0;
		for (size_t i = 0; i < msg->msg_iovlen && off < (size_t)r; i++) {
			size_t n = (size_t)r - off < msg->msg_iov[i].iov_len
			               ? (size_t)r - off
			               : msg->msg_iov[i].iov_len;
			memcpy(msg->msg_iov[i].iov_base, buf + off, n);
			off += n;
		}
		msg->msg_namelen = namelen;
		msg->msg_controllen = 0;
		msg->msg_flags = 0;
	}
	free(buf);
	errno = saved;
	return r;
}

/* Whether shutdown() has a connection to act on: Linux answers ENOTCONN for a TCP
 * socket that never connected (lwIP accepts it). UDP sockets always pass. */
static bool stream_connected(struct sock *k)
{
	struct lwip_sock *ls = lwip_socket_dbg_get_socket(k->s);

	if (k->type != SOCK_STREAM || k->listening)
		return true;
	return ls && ls->conn && ls->conn->pcb.tcp && ls->conn->pcb.tcp->state != CLOSED;
}

int shutdown(int fd, int how)
{
	struct vfile *f;
	int err = sock_get(fd, &f);

	if (err)
		return (int)posix_result(err);
	if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR) {
		err = -EINVAL;
	} else if (unix_is_socket(f)) {
		err = unix_shutdown(f, how);
	} else {
		struct sock *k = f->priv;
		err = stream_connected(k) ? (int)LWIP(lwip_shutdown(k->s, how)) : -ENOTCONN;
		if (!err && how != SHUT_WR)
			k->eof = true;
		posix_poll_notify();
	}
	vfile_unref(f);
	return (int)posix_result(err);
}

/* local_option - where an option lwIP does not know is kept, or NULL. TCP_CORK is
 * accepted and reported, but nothing is held back: lwIP sends as it would without it
 * (the option only packs segments; no byte is lost or reordered). TCP_DEFER_ACCEPT:
 * accept returns at the handshake, as on Linux once the deferral has timed out.
 * TCP_QUICKACK: lwIP keeps its own acknowledgement timing. SO_MARK: kept and reported;
 * there is no policy routing to read it (setsockopt checks the privilege Linux asks). */
static int *local_option(struct vfile *f, int level, int name)
{
	struct sock *k = f->priv;

	if (unix_is_socket(f))
		return NULL;
	if (level == SOL_SOCKET && name == SO_MARK)
		return &k->mark;
	if (level != IPPROTO_TCP || k->type != SOCK_STREAM)
		return NULL;
	switch (name) {
	case TCP_CORK:
		return &k->cork;
	case TCP_DEFER_ACCEPT:
		return &k->defer_accept;
	case TCP_QUICKACK:
		return &k->quickack;
	default:
		return NULL;
	}
}

/* Options lwIP does not know, answered here: SO_SNDBUF (its send buffer is fixed),
 * SO_DOMAIN, SO_PROTOCOL, and local_option's. Returns 1 when handled. */
static int local_getsockopt(struct vfile *f, int level, int name, void *val, socklen_t *len,
                            int *err)
{
	int v;
	int *kept = local_option(f, level, name);

	if (kept) {
		v = *kept;
		goto copy_out;
	}
	if (level == IPPROTO_TCP && name == TCP_NODELAY && !unix_is_socket(f) &&
	    ((struct sock *)f->priv)->listening) {
		v = ((struct sock *)f->priv)->nodelay;
		goto copy_out;
	}
	if (level != SOL_SOCKET)
		return 0;
	if (unix_is_socket(f)) {
		*err = unix_getsockopt(f, name, &v);
		if (*err)
			return 1;
	} else {
		struct sock *k = f->priv;
		switch (name) {
		case SO_SNDBUF:
			v = TCP_SND_BUF;
			break;
		case SO_DOMAIN:
			v = AF_INET;
			break;
		case SO_PROTOCOL:
			v = k->type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
			break;
		case SO_ERROR: {
			int e = 0;
			socklen_t l = sizeof(e);
			LWIP(lwip_getsockopt(k->s, SOL_SOCKET, SO_ERROR, &e, &l));
			if (e == ECONNRESET && k->connecting)
				e = ECONNREFUSED;
			if (e == EINPROGRESS || e == EALREADY)
				e = 0;
			if (e == 0 && k->connecting && lwip_socket_dbg_get_socket(k->s) &&
			    lwip_socket_dbg_get_socket(k->s)->sendevent)
				k->connecting = false; /* connected */
			v = e;
			break;
		}
		default:
			return 0;
		}
	}
copy_out:
	if (!val || !len) {
		*err = -EFAULT;
		return 1;
	}
	if (*len < sizeof(int)) {
		*err = -EINVAL;
		return 1;
	}
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	*err = 0;
	return 1;
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	struct vfile *f;
	int err = sock_get(fd, &f);

	if (err)
		return (int)posix_result(err);
	if (!local_getsockopt(f, level, name, val, len, &err)) {
		struct sock *k = f->priv;
		err = (int)LWIP(lwip_getsockopt(k->s, level, name, val, len));
	}
	vfile_unref(f);
	return (int)posix_result(err);
}

/* push_pending - what Linux does when TCP_CORK is cleared or TCP_NODELAY is set: send
 * what is queued now, a last partial segment included, without waiting for the
 * acknowledgement Nagle's algorithm would wait for. Without it a server that corks its
 * reply (nginx's tcp_nopush) leaves the reply's tail queued until the client's delayed
 * acknowledgement (40 ms on Linux) on every keep-alive request. */
static void push_pending(struct sock *k)
{
	LOCK_TCPIP_CORE();
	struct lwip_sock *ls = lwip_socket_dbg_get_socket(k->s);
	struct tcp_pcb *pcb = ls && ls->conn ? ls->conn->pcb.tcp : NULL;
	if (pcb && pcb->state == ESTABLISHED && pcb->unsent) {
		bool nagle = !tcp_nagle_disabled(pcb);
		tcp_nagle_disable(pcb);
		tcp_output(pcb);
		if (nagle)
			tcp_nagle_enable(pcb);
	}
	UNLOCK_TCPIP_CORE();
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	struct vfile *f;
	int err = sock_get(fd, &f);

	if (err)
		return (int)posix_result(err);
	int *kept = local_option(f, level, name);
	if (unix_is_socket(f)) {
		err = 0; /* nothing to tune on AF_UNIX sockets */
	} else if (kept) {
		err = !val ? -EFAULT : len < sizeof(int) ? -EINVAL : 0;
		if (!err && level == SOL_SOCKET && name == SO_MARK && geteuid() != 0)
			err = -EPERM; /* Linux: CAP_NET_ADMIN */
		if (!err) {
			int was = *kept;
			memcpy(kept, val, sizeof(int));
			if (kept == &((struct sock *)f->priv)->cork && was && !*kept)
				push_pending(f->priv);
		}
	} else if (level == SOL_SOCKET && (name == SO_SNDBUF || name == SO_REUSEPORT)) {
		/* Accepted and ignored: lwIP's send buffer is fixed; no load balancing. */
		err = !val ? -EFAULT : len < sizeof(int) ? -EINVAL : 0;
	} else if (level == IPPROTO_TCP && name == TCP_NODELAY &&
	           ((struct sock *)f->priv)->listening) {
		/* lwIP takes no TCP option on a listener; Linux keeps it for what it accepts. */
		err = !val ? -EFAULT : len < sizeof(int) ? -EINVAL : 0;
		if (!err)
			((struct sock *)f->priv)->nodelay = *(const int *)val != 0;
	} else {
		struct sock *k = f->priv;
		err = (int)LWIP(lwip_setsockopt(k->s, level, name, val, len));
		if (!err && level == IPPROTO_TCP && name == TCP_NODELAY) {
			k->nodelay = *(const int *)val != 0;
			if (k->nodelay)
				push_pending(k);
		}
	}
	vfile_unref(f);
	return (int)posix_result(err);
}

/* ---- sendfile ---- */

#define SENDFILE_CHUNK 65536

ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count)
{
	size_t done = 0;
	char *buf = malloc(SENDFILE_CHUNK);

	if (!buf)
		return posix_result(-ENOMEM);
	while (done < count) {
		size_t want = count - done < SENDFILE_CHUNK ? count - done : SENDFILE_CHUNK;
		ssize_t n = offset ? fd_pread(&posix_fds, in_fd, buf, want, *offset + (off_t)done)
		                   : fd_read(&posix_fds, in_fd, buf, want);
		if (n <= 0) {
			if (n < 0 && done == 0) {
				free(buf);
				return posix_result(n == -ESPIPE && offset ? -ESPIPE : n);
			}
			break;
		}
		ssize_t w = fd_write(&posix_fds, out_fd, buf, (size_t)n);
		if (w < 0) {
			/* Give back what was read and not sent. */
			if (!offset)
				fd_lseek(&posix_fds, in_fd, -n, SEEK_CUR);
			if (done == 0) {
				free(buf);
				return posix_result(w);
			}
			break;
		}
		if (w < n && !offset)
			fd_lseek(&posix_fds, in_fd, w - n, SEEK_CUR);
		done += (size_t)w;
		if (w < n)
			break;
	}
	free(buf);
	if (offset)
		*offset += (off_t)done;
	return (ssize_t)done;
}
