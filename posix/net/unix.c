/* unix.c - AF_UNIX sockets between the threads of the one process, with Linux's errors.
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
#include "posix/posix.h"

#define UNIX_SOMAXCONN   4096   /* Linux's net.core.somaxconn */
#define UNIX_DGRAM_QUEUE 512    /* datagrams waiting in one socket before senders wait */
#define UNIX_DGRAM_MAX   212960 /* Linux: the default send buffer less its 32 bytes */
#define UNIX_BUFFER_SIZE 65536  /* a pipe's capacity: SO_SNDBUF / SO_RCVBUF */

struct unix_msg {
	struct unix_msg *next;
	size_t len;
	struct sockaddr_un from;
	socklen_t from_len;
	char data[];
};

struct unix_sock {
	unsigned refs;
	int type; /* SOCK_STREAM or SOCK_DGRAM */
	bool closed;
	bool listening;
	bool shut_rd;
	bool shut_wr;
	struct sockaddr_un name; /* bound name; name_len == sizeof(sa_family_t): unnamed */
	socklen_t name_len;
	struct sockaddr_un peer_name; /* the connected peer's name (streams) */
	socklen_t peer_len;
	struct ramfs_node *node;         /* the filesystem name it is bound to */
	struct unix_sock *next_abstract; /* abstract_names */
	/* A connected stream: the pipe it reads and the one it writes (NULL after SHUT_WR). */
	struct vfile *rd, *wr;
	/* A listener: connections not yet accepted (their server-side vfiles), in order. */
	struct vfile **pending;
	int npending, backlog, pending_cap;
	/* A datagram socket: its connect()ed peer (a reference) and its queue. */
	struct unix_sock *peer;
	struct unix_msg *head, *tail;
	int nmsgs;
	struct wait_queue wq; /* accept, connect and receive waiters, and senders with no room */
};

static struct unix_sock *abstract_names;
static const struct vfile_ops unix_ops;

static struct unix_sock *sock_new(int type)
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

static void sock_unref(struct unix_sock *k)
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
static void sock_wait(struct unix_sock *k)
{
	k->refs++;
	wait_queue_wait(&k->wq, 0);
	sock_unref(k);
}

static void sock_wake(struct unix_sock *k)
{
	wait_queue_wake_all(&k->wq);
	posix_poll_notify();
}

/* ---- names ---- */

/* A caller's address checked as Linux's unix_validate_addr and unix_mkname do: the
 * name's length in *@len (the family included, a path NUL-terminated). -EINVAL for a
 * wrong family or length. */
static int check_name(const struct sockaddr *addr, socklen_t len, struct sockaddr_un *out,
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
static int find_bound(const struct sockaddr_un *name, socklen_t len, struct unix_sock **out)
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

static void copy_name(const struct sockaddr_un *name, socklen_t name_len, struct sockaddr *addr,
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
	int err = check_name(addr, len, &name, &name_len);

	if (err)
		return err;
	if (name_len == sizeof(sa_family_t))
		return -EINVAL; /* Linux would pick an abstract name ("autobind"): not done */
	if (k->name_len > sizeof(sa_family_t)) {
		/* Already bound: Linux makes the name first, so a taken one says so. */
		struct unix_sock *holder = NULL;
		if (is_abstract(&name, name_len))
			holder = find_abstract(&name, name_len);
		else if (find_bound(&name, name_len, &holder) == -ECONNREFUSED)
			return -EADDRINUSE; /* the name exists with no socket behind it */
		if (holder) {
			if (!is_abstract(&name, name_len))
				sock_unref(holder);
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
		copy_name(&k->name, k->name_len, addr, len);
		return 0;
	}
	if (k->type == SOCK_STREAM ? !k->rd : !k->peer)
		return -ENOTCONN;
	if (k->type == SOCK_STREAM)
		copy_name(&k->peer_name, k->peer_len, addr, len);
	else
		copy_name(&k->peer->name, k->peer->name_len, addr, len);
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
		sock_wait(to);
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
	sock_wake(to);
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
		sock_wait(k);
	}
	struct unix_msg *m = k->head;
	size_t n = len < m->len ? len : m->len;
	memcpy(buf, m->data, n);
	copy_name(&m->from, m->from_len, from, fromlen);
	ssize_t result = (flags & MSG_TRUNC) ? (ssize_t)m->len : (ssize_t)n;
	if (!(flags & MSG_PEEK)) {
		k->head = m->next;
		if (!k->head)
			k->tail = NULL;
		k->nmsgs--;
		free(m);
		sock_wake(k); /* room for a waiting sender */
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
	int err = check_name(to, tolen, &name, &name_len);
	if (!err && name_len == sizeof(sa_family_t))
		err = -EINVAL;
	if (!err)
		err = find_bound(&name, name_len, &target);
	if (err)
		return err;
	ssize_t r = dgram_send(f, buf, len, flags, target);
	sock_unref(target);
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
static void sock_close(struct unix_sock *k)
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
		sock_unref(k->peer);
		k->peer = NULL;
	}
	sock_wake(k);
	sock_unref(k);
}

static int unix_release(struct vfile *f)
{
	sock_close(f->priv);
	return 0;
}

static const struct vfile_ops unix_ops = {
    .read = unix_read,
    .write = unix_write,
    .getattr = unix_getattr,
    .poll = unix_poll,
    .release = unix_release,
};

/* A descriptor for @k (which it then owns), or -errno (and @k freed). */
static int install(struct unix_sock *k, int flags)
{
	struct vfile *f;
	int err = vfile_new(&unix_ops, k, O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0), &f);

	if (err) {
		sock_close(k);
		return err;
	}
	int fd = fd_install(&posix_fds, f, 0, flags & SOCK_CLOEXEC);
	vfile_unref(f); /* on failure this closes the socket */
	return fd;
}

/* The socket type Linux makes for @type (SOCK_RAW is a datagram socket), or -errno. */
static int check_type(int type, int protocol)
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
	type = check_type(type, protocol);
	if (type < 0)
		return type;
	struct unix_sock *k = sock_new(type);
	if (!k)
		return -ENOMEM;
	return install(k, flags);
}

/* ---- connections ---- */

/* Take the vfiles of pipe descriptors @fds out of the table. */
static void take_pipe(const int fds[2], struct vfile **rd, struct vfile **wr)
{
	fd_get(&posix_fds, fds[0], rd);
	fd_get(&posix_fds, fds[1], wr);
	fd_close(&posix_fds, fds[0]);
	fd_close(&posix_fds, fds[1]);
}

/* Connects streams @a and @b with two new pipes. */
static int join_streams(struct unix_sock *a, struct unix_sock *b)
{
	int ab[2], ba[2];

	if (pipe(ab) < 0)
		return -errno;
	if (pipe(ba) < 0) {
		int err = -errno;
		close(ab[0]);
		close(ab[1]);
		return err;
	}
	take_pipe(ab, &b->rd, &a->wr);
	take_pipe(ba, &a->rd, &b->wr);
	return 0;
}

int unix_listen(struct vfile *f, int backlog)
{
	struct unix_sock *k = f->priv;

	if (k->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	if (k->rd || k->name_len == sizeof(sa_family_t))
		return -EINVAL; /* connected, or not bound */
	if ((unsigned)backlog > UNIX_SOMAXCONN)
		backlog = UNIX_SOMAXCONN;
	/* Linux queues backlog + 1 connections before connect() waits. */
	if (backlog + 1 > k->pending_cap) {
		struct vfile **p = realloc(k->pending, (size_t)(backlog + 1) * sizeof(*p));
		if (!p)
			return -ENOMEM;
		k->pending = p;
		k->pending_cap = backlog + 1;
	}
	k->backlog = backlog;
	k->listening = true;
	sock_wake(k); /* connectors waiting for room may now have it */
	return 0;
}

static int stream_connect(struct vfile *f, struct unix_sock *l)
{
	struct unix_sock *k = f->priv;

	if (!l->listening || l->closed)
		return -ECONNREFUSED;
	while (l->npending >= l->backlog + 1) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		sock_wait(l);
		if (!l->listening || l->closed)
			return -ECONNREFUSED;
	}
	if (k->rd)
		return -EISCONN; /* another thread connected it meanwhile */
	struct unix_sock *s = sock_new(SOCK_STREAM);
	if (!s)
		return -ENOMEM;
	int err = join_streams(k, s);
	struct vfile *sf = NULL;
	if (!err)
		err = vfile_new(&unix_ops, s, O_RDWR, &sf);
	if (err) {
		if (s->rd) {
			vfile_unref(k->rd);
			vfile_unref(k->wr);
			vfile_unref(s->rd);
			vfile_unref(s->wr);
			k->rd = k->wr = NULL;
		}
		sock_unref(s);
		return err;
	}
	s->name = l->name;
	s->name_len = l->name_len;
	s->peer_name = k->name;
	s->peer_len = k->name_len;
	k->peer_name = l->name;
	k->peer_len = l->name_len;
	l->pending[l->npending++] = sf;
	sock_wake(l);
	return 0;
}

int unix_connect(struct vfile *f, const struct sockaddr *addr, socklen_t len)
{
	struct unix_sock *k = f->priv;
	struct sockaddr_un name;
	socklen_t name_len;
	struct unix_sock *target;

	if (addr && len >= sizeof(sa_family_t) && addr->sa_family == AF_UNSPEC &&
	    k->type == SOCK_DGRAM) {
		if (k->peer) /* dissolve the association */
			sock_unref(k->peer);
		k->peer = NULL;
		return 0;
	}
	int err = check_name(addr, len, &name, &name_len);
	if (err)
		return err;
	if (name_len == sizeof(sa_family_t))
		return -EINVAL;
	if (k->type == SOCK_STREAM && k->rd)
		return -EISCONN;
	if (k->listening)
		return -EINVAL;
	err = find_bound(&name, name_len, &target);
	if (err)
		return err;
	if (target->type != k->type) {
		err = -EPROTOTYPE;
	} else if (k->type == SOCK_STREAM) {
		err = stream_connect(f, target);
	} else {
		if (k->peer)
			sock_unref(k->peer);
		k->peer = target; /* keeps the reference */
		target = NULL;
	}
	if (target)
		sock_unref(target);
	return err;
}

int unix_accept(struct vfile *f, struct sockaddr *addr, socklen_t *len, int flags)
{
	struct unix_sock *k = f->priv;

	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	if (k->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	if (!k->listening)
		return -EINVAL;
	while (!k->npending) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		sock_wait(k);
		if (!k->listening)
			return -EINVAL;
	}
	struct vfile *sf = k->pending[0];
	memmove(k->pending, k->pending + 1, (size_t)(k->npending - 1) * sizeof(*k->pending));
	k->npending--;
	sock_wake(k); /* room for a waiting connect() */
	struct unix_sock *s = sf->priv;
	if (flags & SOCK_NONBLOCK)
		sf->flags |= O_NONBLOCK;
	if (addr && len)
		copy_name(&s->peer_name, s->peer_len, addr, len);
	int fd = fd_install(&posix_fds, sf, 0, flags & SOCK_CLOEXEC);
	vfile_unref(sf);
	return fd;
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
	sock_wake(k);
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

int socketpair(int domain, int type, int protocol, int sv[2])
{
	int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct unix_sock *k[2];

	type &= ~flags;
	if (domain != AF_UNIX)
		return (int)posix_result(domain == AF_INET ? -EOPNOTSUPP : -EAFNOSUPPORT);
	type = check_type(type, protocol);
	if (type < 0)
		return (int)posix_result(type);
	int err = 0;
	k[0] = sock_new(type);
	k[1] = sock_new(type);
	if (!k[0] || !k[1]) {
		free(k[0]);
		free(k[1]);
		return (int)posix_result(-ENOMEM);
	}
	if (type == SOCK_STREAM) {
		err = join_streams(k[0], k[1]);
	} else {
		k[0]->peer = k[1];
		k[1]->peer = k[0];
		k[0]->refs++;
		k[1]->refs++;
	}
	if (err) {
		free(k[0]);
		free(k[1]);
		return (int)posix_result(err);
	}
	sv[0] = install(k[0], flags);
	if (sv[0] < 0) {
		sock_close(k[1]); /* k[0] went with its descriptor */
		return (int)posix_result(sv[0]);
	}
	sv[1] = install(k[1], flags);
	if (sv[1] < 0) {
		err = sv[1];
		close(sv[0]);
		return (int)posix_result(err);
	}
	return 0;
}
