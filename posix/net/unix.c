/* unix.c - AF_UNIX sockets between the threads of the one process, with Linux's errors:
 * the sockets, their names, data and the descriptor (connections: unix_connect.c).
 *
 * A connected stream socket is two pipes (posix/fd/pipe.c), one each way: socketpair()
 * makes them at once; connect() makes them with a new socket for the server's side and
 * queues that one on the listener, where accept() takes it. A datagram socket has a queue
 * of messages that senders copy into. Names: a path becomes a socket node in the RAM
 * filesystem (ramfs_mksock), which stays after the socket closes, as on Linux, until
 * unlinked; a name starting with a NUL byte is in the abstract namespace (a list here),
 * gone with its socket. Sockets are reference-counted: the descriptor holds one, a
 * connected datagram peer or a waiter holds one, so closing never frees what is in use. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "kernel/sched.h"
#include "posix/fd/pollwait.h"
#include "posix/fs/files.h"
#include "posix/fs/ramfs.h"
#include "posix/net/unix.h"
#include "posix/net/unix_internal.h"
#include "posix/posix.h"
#include "posix/thread/pthread_internal.h"

static struct unix_sock *abstract_names;
static const struct vfile_ops unix_ops;

struct unix_sock *unix_sock_new(int type)
{
	struct unix_sock *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	k->refs = 1;
	k->type = type;
	k->name.sun_family = AF_UNIX;
	k->name_len = sizeof(sa_family_t);
	k->peer_name.sun_family = AF_UNIX;
	k->peer_len = sizeof(sa_family_t);
	return k;
}

void unix_sock_unref(struct unix_sock *k)
{
	if (--k->refs)
		return;
	while (k->head) {
		struct unix_msg *m = k->head;
		k->head = m->next;
		free(m);
	}
	free(k->pending);
	free(k);
}

bool unix_is_socket(const struct vfile *f)
{
	return f->ops == &unix_ops;
}

static bool nonblocking(const struct vfile *f, int flags)
{
	return (f->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT);
}

/* Wait on @k's queue, holding a reference so that a close meanwhile frees nothing. */
int unix_sock_wait(struct unix_sock *k)
{
	k->refs++;
	int err = posix_cancel_wait(&k->wq, NULL);
	unix_sock_unref(k);
	return err == -ECANCELED ? err : 0;
}

void unix_sock_wake(struct unix_sock *k)
{
	wait_queue_wake_all(&k->wq);
	posix_poll_notify();
}

/* ---- names ---- */

/* A caller's address checked as Linux's unix_validate_addr and unix_mkname do: the
 * name's length in *@len (the family included, a path NUL-terminated). -EINVAL for a
 * wrong family or length. */
int unix_check_name(const struct sockaddr *addr, socklen_t len, struct sockaddr_un *out,
                    socklen_t *out_len)
{
	if (!addr)
		return -EFAULT;
	if (len < sizeof(sa_family_t) || len > sizeof(struct sockaddr_un))
		return -EINVAL;
	if (addr->sa_family != AF_UNIX)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	memcpy(out, addr, len);
	if (len == sizeof(sa_family_t)) {
		*out_len = len;
		return 0;
	}
	if (out->sun_path[0] == '\0') {
		*out_len = len; /* abstract: every byte given is the name */
		return 0;
	}
	size_t path_max = len - offsetof(struct sockaddr_un, sun_path);
	size_t path_len = strnlen(out->sun_path, path_max);
	if (path_len == sizeof(out->sun_path))
		return -EINVAL; /* Linux wants room for the terminating NUL */
	out->sun_path[path_len] = '\0';
	*out_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + path_len + 1);
	return 0;
}

static bool is_abstract(const struct sockaddr_un *name, socklen_t len)
{
	return len > sizeof(sa_family_t) && name->sun_path[0] == '\0';
}

static struct unix_sock *find_abstract(const struct sockaddr_un *name, socklen_t len)
{
	for (struct unix_sock *k = abstract_names; k; k = k->next_abstract)
		if (k->name_len == len && memcmp(&k->name, name, len) == 0)
			return k;
	return NULL;
}

/* The socket bound to @name, with a reference: -ENOENT (or the path's error) for a path
 * that names nothing, -ECONNREFUSED for a name with no socket behind it. */
int unix_find_bound(const struct sockaddr_un *name, socklen_t len, struct unix_sock **out)
{
	struct unix_sock *k;

	if (is_abstract(name, len)) {
		k = find_abstract(name, len);
	} else {
		struct ramfs_node *base, *node;
		int err = posix_at_base(AT_FDCWD, name->sun_path, &base);
		if (!err)
			err = ramfs_lookup(&posix_rootfs, base, name->sun_path, &node);
		if (err)
			return err;
		k = ramfs_socket_object(node);
	}
	if (!k || k->closed)
		return -ECONNREFUSED;
	k->refs++;
	*out = k;
	return 0;
}

void unix_copy_name(const struct sockaddr_un *name, socklen_t name_len, struct sockaddr *addr,
                    socklen_t *len)
{
	if (addr && len) {
		memcpy(addr, name, *len < name_len ? *len : name_len);
		*len = name_len;
	}
}

int unix_bind(struct vfile *f, const struct sockaddr *addr, socklen_t len)
{
	struct unix_sock *k = f->priv;
	struct sockaddr_un name;
	socklen_t name_len;
	int err = unix_check_name(addr, len, &name, &name_len);

	if (err)
		return err;
	if (name_len == sizeof(sa_family_t))
		return -EINVAL; /* Linux would pick an abstract name ("autobind"): not done */
	if (k->name_len > sizeof(sa_family_t)) {
		/* Already bound: Linux makes the name first, so a taken one says so. */
		struct unix_sock *holder = NULL;
		if (is_abstract(&name, name_len))
			holder = find_abstract(&name, name_len);
		else if (unix_find_bound(&name, name_len, &holder) == -ECONNREFUSED)
			return -EADDRINUSE; /* the name exists with no socket behind it */
		if (holder) {
			if (!is_abstract(&name, name_len))
				unix_sock_unref(holder);
			return -EADDRINUSE;
		}
		return -EINVAL;
	}
	if (is_abstract(&name, name_len)) {
		if (find_abstract(&name, name_len))
			return -EADDRINUSE;
		k->next_abstract = abstract_names;
		abstract_names = k;
	} else {
		struct ramfs_node *base, *node;
		err = posix_at_base(AT_FDCWD, name.sun_path, &base);
		if (!err)
			err = ramfs_mksock(&posix_rootfs, base, name.sun_path,
			                   0777 & ~posix_umask(), k, &node);
		if (err)
			return err == -EEXIST ? -EADDRINUSE : err;
		ramfs_node_ref(node);
		k->node = node;
	}
	k->name = name;
	k->name_len = name_len;
	return 0;
}

static void unbind(struct unix_sock *k)
{
	if (k->node) {
		if (ramfs_socket_object(k->node) == k)
			ramfs_set_socket_object(k->node, NULL);
		ramfs_node_unref(k->node);
		k->node = NULL;
	}
	for (struct unix_sock **p = &abstract_names; *p; p = &(*p)->next_abstract) {
		if (*p == k) {
			*p = k->next_abstract;
			break;
		}
	}
}

int unix_name(struct vfile *f, struct sockaddr *addr, socklen_t *len, bool peer)
{
	struct unix_sock *k = f->priv;

	if (!peer) {
		unix_copy_name(&k->name, k->name_len, addr, len);
		return 0;
	}
	if (k->type == SOCK_STREAM ? !k->rd : !k->peer)
		return -ENOTCONN;
	if (k->type == SOCK_STREAM)
		unix_copy_name(&k->peer_name, k->peer_len, addr, len);
	else
		unix_copy_name(&k->peer->name, k->peer->name_len, addr, len);
	return 0;
}

/* ---- the descriptor ---- */

static struct vfile *with_blocking(struct vfile *f, struct vfile *p, int flags)
{
	p->flags = nonblocking(f, flags) ? p->flags | O_NONBLOCK : p->flags & ~O_NONBLOCK;
	return p;
}

static ssize_t stream_recv(struct vfile *f, void *buf, size_t len, int flags)
{
	struct unix_sock *k = f->priv;

	if (!k->rd)
		return -EINVAL; /* Linux: not connected (or listening) */
	if (k->shut_rd)
		return 0;
	struct vfile *p = with_blocking(f, k->rd, flags);
	return p->ops->read(p, buf, len);
}

static ssize_t stream_send(struct vfile *f, const void *buf, size_t len, int flags)
{
	struct unix_sock *k = f->priv;

	if (!k->rd)
		return -ENOTCONN;
	if (!k->wr)
		return -EPIPE;
	struct vfile *p = with_blocking(f, k->wr, flags);
	return p->ops->write(p, buf, len);
}

static ssize_t dgram_send(struct vfile *f, const void *buf, size_t len, int flags,
                          struct unix_sock *to)
{
	struct unix_sock *k = f->priv;

	if (k->shut_wr)
		return -EPIPE;
	if (to->closed)
		return -ECONNREFUSED;
	if (to->type != SOCK_DGRAM)
		return -EPROTOTYPE;
	if (to->peer && to->peer != k)
		return -EPERM; /* connected to another socket: it takes only that one's */
	if (len > UNIX_DGRAM_MAX)
		return -EMSGSIZE;
	while (to->nmsgs >= UNIX_DGRAM_QUEUE) {
		if (nonblocking(f, flags))
			return -EAGAIN;
		if (unix_sock_wait(to))
			return -ECANCELED;
		if (to->closed)
			return -ECONNREFUSED;
	}
	struct unix_msg *m = malloc(sizeof(*m) + len);
	if (!m)
		return -ENOBUFS;
	m->next = NULL;
	m->len = len;
	m->from = k->name;
	m->from_len = k->name_len;
	memcpy(m->data, buf, len);
	if (to->tail)
		to->tail->next = m;
	else
		to->head = m;
	to->tail = m;
	to->nmsgs++;
	unix_sock_wake(to);
	return (ssize_t)len;
}

static ssize_t dgram_recv(struct vfile *f, void *buf, size_t len, int flags, struct sockaddr *from,
                          socklen_t *fromlen)
{
	struct unix_sock *k = f->priv;

	while (!k->head) {
		if (nonblocking(f, flags))
			return -EAGAIN; /* Linux answers so before it looks at SHUT_RD */
		if (k->shut_rd)
			return 0;
		if (unix_sock_wait(k))
			return -ECANCELED;
	}
	struct unix_msg *m = k->head;
	size_t n = len < m->len ? len : m->len;
	memcpy(buf, m->data, n);
	unix_copy_name(&m->from, m->from_len, from, fromlen);
	ssize_t result = (flags & MSG_TRUNC) ? (ssize_t)m->len : (ssize_t)n;
	if (!(flags & MSG_PEEK)) {
		k->head = m->next;
		if (!k->head)
			k->tail = NULL;
		k->nmsgs--;
		free(m);
		unix_sock_wake(k); /* room for a waiting sender */
	}
	return result;
}

ssize_t unix_sendto(struct vfile *f, const void *buf, size_t len, int flags,
                    const struct sockaddr *to, socklen_t tolen)
{
	struct unix_sock *k = f->priv;

	if (k->type == SOCK_STREAM) {
		if (to)
			return k->rd ? -EISCONN : -EOPNOTSUPP;
		return stream_send(f, buf, len, flags);
	}
	if (!to) {
		if (!k->peer)
			return -ENOTCONN;
		return dgram_send(f, buf, len, flags, k->peer);
	}
	struct sockaddr_un name;
	socklen_t name_len;
	struct unix_sock *target;
	int err = unix_check_name(to, tolen, &name, &name_len);
	if (!err && name_len == sizeof(sa_family_t))
		err = -EINVAL;
	if (!err)
		err = unix_find_bound(&name, name_len, &target);
	if (err)
		return err;
	ssize_t r = dgram_send(f, buf, len, flags, target);
	unix_sock_unref(target);
	return r;
}

ssize_t unix_recvfrom(struct vfile *f, void *buf, size_t len, int flags, struct sockaddr *from,
                      socklen_t *fromlen)
{
	struct unix_sock *k = f->priv;

	if (k->type == SOCK_DGRAM)
		return dgram_recv(f, buf, len, flags, from, fromlen);
	ssize_t r = stream_recv(f, buf, len, flags);
	if (r >= 0 && from && fromlen)
		*fromlen = 0; /* a stream's data comes from its peer: no address, as Linux */
	return r;
}

static ssize_t unix_read(struct vfile *f, void *buf, size_t len)
{
	return unix_recvfrom(f, buf, len, 0, NULL, NULL);
}

static ssize_t unix_write(struct vfile *f, const void *buf, size_t len)
{
	return unix_sendto(f, buf, len, 0, NULL, 0);
}

static int unix_getattr(struct vfile *f, struct stat *st)
{
	(void)f;
	st->st_mode = S_IFSOCK | 0777;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

static unsigned stream_poll(struct unix_sock *k)
{
	if (k->listening)
		return k->npending ? POLLIN : 0;
	if (!k->rd)
		return POLLOUT | POLLHUP; /* never connected: Linux says the same */
	unsigned in = k->shut_rd ? POLLIN | POLLRDHUP : posix_vfile_poll(k->rd);
	unsigned out = k->wr ? posix_vfile_poll(k->wr) : 0;
	unsigned r = (in & POLLIN) | (out & POLLOUT);

	if (in & POLLHUP)
		r |= POLLIN | POLLRDHUP;
	if (out & POLLERR)
		r |= POLLHUP;
	if ((in & POLLHUP) && !k->wr)
		r |= POLLHUP;
	return r;
}

static unsigned unix_poll(struct vfile *f)
{
	struct unix_sock *k = f->priv;

	if (k->type == SOCK_STREAM)
		return stream_poll(k);
	unsigned r = 0;
	if (k->head || k->shut_rd)
		r |= POLLIN;
	if (k->shut_rd)
		r |= POLLRDHUP;
	if (!k->shut_wr && (!k->peer || k->peer->nmsgs < UNIX_DGRAM_QUEUE))
		r |= POLLOUT;
	return r;
}

/* The descriptor is gone: names, connections and queues go with it. */
void unix_sock_close(struct unix_sock *k)
{
	k->closed = true;
	unbind(k);
	for (int i = 0; i < k->npending; i++)
		vfile_unref(k->pending[i]); /* their clients read end of file */
	k->npending = 0;
	if (k->rd)
		vfile_unref(k->rd);
	if (k->wr)
		vfile_unref(k->wr);
	k->rd = k->wr = NULL;
	if (k->peer) {
		unix_sock_unref(k->peer);
		k->peer = NULL;
	}
	unix_sock_wake(k);
	unix_sock_unref(k);
}

static int unix_release(struct vfile *f)
{
	unix_sock_close(f->priv);
	return 0;
}

static const struct vfile_ops unix_ops = {
    .read = unix_read,
    .write = unix_write,
    .getattr = unix_getattr,
    .poll = unix_poll,
    .release = unix_release,
};

int unix_new_vfile(struct unix_sock *k, int oflags, struct vfile **out)
{
	return vfile_new(&unix_ops, k, oflags, out);
}

/* A descriptor for @k (which it then owns), or -errno (and @k freed). */
int unix_install(struct unix_sock *k, int flags)
{
	struct vfile *f;
	int err = vfile_new(&unix_ops, k, O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0), &f);

	if (err) {
		unix_sock_close(k);
		return err;
	}
	int fd = fd_install(&posix_fds, f, 0, flags & SOCK_CLOEXEC);
	vfile_unref(f); /* on failure this closes the socket */
	return fd;
}

/* The socket type Linux makes for @type (SOCK_RAW is a datagram socket), or -errno. */
int unix_check_type(int type, int protocol)
{
	if (type == SOCK_RAW)
		type = SOCK_DGRAM;
	if (type != SOCK_STREAM && type != SOCK_DGRAM)
		return type == SOCK_SEQPACKET ? -EPROTONOSUPPORT : -ESOCKTNOSUPPORT;
	if (protocol != 0 && protocol != PF_UNIX)
		return -EPROTONOSUPPORT;
	return type;
}

int unix_socket(int type, int protocol, int flags)
{
	type = unix_check_type(type, protocol);
	if (type < 0)
		return type;
	struct unix_sock *k = unix_sock_new(type);
	if (!k)
		return -ENOMEM;
	return unix_install(k, flags);
}

int unix_shutdown(struct vfile *f, int how)
{
	struct unix_sock *k = f->priv;

	if (how != SHUT_WR)
		k->shut_rd = true;
	if (how != SHUT_RD) {
		k->shut_wr = true;
		if (k->wr) {
			vfile_unref(k->wr); /* the peer reads end of file */
			k->wr = NULL;
		}
	}
	unix_sock_wake(k);
	return 0;
}

int unix_getsockopt(struct vfile *f, int name, int *value)
{
	struct unix_sock *k = f->priv;

	switch (name) {
	case SO_TYPE:
		*value = k->type;
		return 0;
	case SO_DOMAIN:
		*value = AF_UNIX;
		return 0;
	case SO_ACCEPTCONN:
		*value = k->listening;
		return 0;
	case SO_ERROR:
	case SO_PROTOCOL:
		*value = 0;
		return 0;
	case SO_SNDBUF:
	case SO_RCVBUF:
		*value = UNIX_BUFFER_SIZE;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}
