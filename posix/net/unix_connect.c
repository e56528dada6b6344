/* unix_connect.c - AF_UNIX connections: listen with Linux's backlog, connect (a stream is
 * two new pipes and a server-side socket queued on the listener; a datagram socket keeps
 * its peer), accept, and socketpair. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "posix/fd/pollwait.h"
#include "posix/fs/files.h"
#include "posix/net/unix.h"
#include "posix/net/unix_internal.h"
#include "posix/posix.h"

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
	unix_sock_wake(k); /* connectors waiting for room may now have it */
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
		if (unix_sock_wait(l))
			return -ECANCELED;
		if (!l->listening || l->closed)
			return -ECONNREFUSED;
	}
	if (k->rd)
		return -EISCONN; /* another thread connected it meanwhile */
	struct unix_sock *s = unix_sock_new(SOCK_STREAM);
	if (!s)
		return -ENOMEM;
	int err = join_streams(k, s);
	struct vfile *sf = NULL;
	if (!err)
		err = unix_new_vfile(s, O_RDWR, &sf);
	if (err) {
		if (s->rd) {
			vfile_unref(k->rd);
			vfile_unref(k->wr);
			vfile_unref(s->rd);
			vfile_unref(s->wr);
			k->rd = k->wr = NULL;
		}
		unix_sock_unref(s);
		return err;
	}
	s->name = l->name;
	s->name_len = l->name_len;
	s->peer_name = k->name;
	s->peer_len = k->name_len;
	k->peer_name = l->name;
	k->peer_len = l->name_len;
	l->pending[l->npending++] = sf;
	unix_sock_wake(l);
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
			unix_sock_unref(k->peer);
		k->peer = NULL;
		return 0;
	}
	int err = unix_check_name(addr, len, &name, &name_len);
	if (err)
		return err;
	if (name_len == sizeof(sa_family_t))
		return -EINVAL;
	if (k->type == SOCK_STREAM && k->rd)
		return -EISCONN;
	if (k->listening)
		return -EINVAL;
	err = unix_find_bound(&name, name_len, &target);
	if (err)
		return err;
	if (target->type != k->type) {
		err = -EPROTOTYPE;
	} else if (k->type == SOCK_STREAM) {
		err = stream_connect(f, target);
	} else {
		if (k->peer)
			unix_sock_unref(k->peer);
		k->peer = target; /* keeps the reference */
		target = NULL;
	}
	if (target)
		unix_sock_unref(target);
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
		if (unix_sock_wait(k))
			return -ECANCELED;
		if (!k->listening)
			return -EINVAL;
	}
	struct vfile *sf = k->pending[0];
	memmove(k->pending, k->pending + 1, (size_t)(k->npending - 1) * sizeof(*k->pending));
	k->npending--;
	unix_sock_wake(k); /* room for a waiting connect() */
	struct unix_sock *s = sf->priv;
	if (flags & SOCK_NONBLOCK)
		sf->flags |= O_NONBLOCK;
	if (addr && len)
		unix_copy_name(&s->peer_name, s->peer_len, addr, len);
	int fd = fd_install(&posix_fds, sf, 0, flags & SOCK_CLOEXEC);
	vfile_unref(sf);
	return fd;
}

int socketpair(int domain, int type, int protocol, int sv[2])
{
	int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct unix_sock *k[2];

	type &= ~flags;
	if (domain != AF_UNIX)
		return (int)posix_result(domain == AF_INET ? -EOPNOTSUPP : -EAFNOSUPPORT);
	type = unix_check_type(type, protocol);
	if (type < 0)
		return (int)posix_result(type);
	int err = 0;
	k[0] = unix_sock_new(type);
	k[1] = unix_sock_new(type);
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
	sv[0] = unix_install(k[0], flags);
	if (sv[0] < 0) {
		unix_sock_close(k[1]); /* k[0] went with its descriptor */
		return (int)posix_result(sv[0]);
	}
	sv[1] = unix_install(k[1], flags);
	if (sv[1] < 0) {
		err = sv[1];
		close(sv[0]);
		return (int)posix_result(err);
	}
	return 0;
}
