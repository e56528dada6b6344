/* unix_internal.h - what posix/net/unix.c (sockets, names, data) and unix_connect.c
 * (listen, connect, accept, socketpair) share. */
#ifndef POSIX_NET_UNIX_INTERNAL_H
#define POSIX_NET_UNIX_INTERNAL_H

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include "kernel/sched.h"
#include "posix/fd/fdtable.h"

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

/* unix_sock_new - a socket of @type with one reference, unnamed, unconnected; NULL when out
 * of memory. unix_sock_unref drops a reference and frees the socket with the last. */
struct unix_sock *unix_sock_new(int type);
void unix_sock_unref(struct unix_sock *k);

/* unix_sock_wait - block on @k's wait queue (holding a reference meanwhile), at a
 * cancellation point: returns 0, or -ECANCELED when a cancel came (the socket call
 * returns it, and acts on it once the file is let go);
 * unix_sock_wake - wake its waiters and poll, select and epoll. */
int unix_sock_wait(struct unix_sock *k);
void unix_sock_wake(struct unix_sock *k);

/* unix_sock_close - the descriptor is gone: names, connections and queues go with it, and
 * the descriptor's reference. */
void unix_sock_close(struct unix_sock *k);

/* unix_check_name - a caller's address checked as Linux does, copied into @out with its
 * length in *@out_len (the family included, a path NUL-terminated); -EINVAL, -EFAULT. */
int unix_check_name(const struct sockaddr *addr, socklen_t len, struct sockaddr_un *out,
                    socklen_t *out_len);

/* unix_find_bound - the socket bound to @name, with a reference: -ENOENT (or the path's
 * error) for a path naming nothing, -ECONNREFUSED for a name with no socket behind it. */
int unix_find_bound(const struct sockaddr_un *name, socklen_t len, struct unix_sock **out);

/* unix_copy_name - @name into the caller's @addr of *@len bytes (truncated), *@len set to
 * its full length; nothing when either is NULL. */
void unix_copy_name(const struct sockaddr_un *name, socklen_t name_len, struct sockaddr *addr,
                    socklen_t *len);

/* unix_check_type - the socket type Linux makes for @type (SOCK_RAW is a datagram socket),
 * or -errno. */
int unix_check_type(int type, int protocol);

/* unix_install - a descriptor for @k (which it then owns) with SOCK_NONBLOCK/SOCK_CLOEXEC
 * @flags, or -errno (and @k closed). unix_new_vfile - an open file for @k. */
int unix_install(struct unix_sock *k, int flags);
int unix_new_vfile(struct unix_sock *k, int oflags, struct vfile **out);

#endif
