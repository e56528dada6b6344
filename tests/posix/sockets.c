/* sockets.c - differential test of BSD sockets over 127.0.0.1: a threaded TCP server and
 * client, one thread serving with poll/select/epoll on non-blocking sockets, UDP,
 * socketpair, the usual errors, poll and select over a pipe and a socket together,
 * sendfile, TCP_CORK, SCM_RIGHTS ignored on TCP, IPv6 address classes, getaddrinfo and the address
 * conversions. Ports are in 47xxx (the Linux copy binds real ones); ephemeral ports are never
 * printed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

/* Loopback ports PORT_BASE to PORT_BASE + 42. On the Linux host they are shared with
 * everything else on the machine, so differential.sh picks a base per run (SOCKETS_PORT_BASE);
 * inside VMOS the default is as good as any. */
static int PORT_BASE = 47310;

static const char *sock_errname(int e)
{
	switch (e) {
	case ENOTSOCK:
		return "ENOTSOCK";
	case EADDRINUSE:
		return "EADDRINUSE";
	case ECONNREFUSED:
		return "ECONNREFUSED";
	case EINPROGRESS:
		return "EINPROGRESS";
	case EPIPE:
		return "EPIPE";
	case ENOTCONN:
		return "ENOTCONN";
	case EAFNOSUPPORT:
		return "EAFNOSUPPORT";
	case EOPNOTSUPP:
		return "EOPNOTSUPP";
	case EISCONN:
		return "EISCONN";
	case EWOULDBLOCK:
		return "EAGAIN";
	default:
		return errname(e);
	}
}

#define SCHECK(call)                                                                               \
	do {                                                                                       \
		errno = 0;                                                                         \
		long check_result_ = (long)(call);                                                 \
		printf("%s = %ld %s\n", #call, check_result_, sock_errname(errno));                \
	} while (0)

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int listener(int port, int type)
{
	struct sockaddr_in a = loopback(port);
	int one = 1;
	int fd = socket(AF_INET, type, 0);

	if (fd < 0) {
		printf("socket failed: %s\n", sock_errname(errno));
		exit(1);
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("bind PORT_BASE+%d failed: %s\n", port - PORT_BASE, sock_errname(errno));
		exit(1);
	}
	if (type == SOCK_STREAM && listen(fd, 16) < 0) {
		printf("listen failed: %s\n", sock_errname(errno));
		exit(1);
	}
	return fd;
}

static int connect_to(int port)
{
	struct sockaddr_in a = loopback(port);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("connect PORT_BASE+%d failed: %s\n", port - PORT_BASE, sock_errname(errno));
		exit(1);
	}
	return fd;
}

/* Read exactly @len bytes (a stream may deliver less per call). */
static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n <= 0)
			return n < 0 ? n : (ssize_t)got;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* ---- 1. a threaded echo server and blocking clients ---- */

static void *echo_server(void *arg)
{
	int lfd = *(int *)arg;

	for (int i = 0; i < 2; i++) {
		int c = accept(lfd, NULL, NULL);
		char buf[256];
		ssize_t n;
		if (c < 0) {
			printf("accept failed: %s\n", sock_errname(errno));
			return NULL;
		}
		while ((n = recv(c, buf, sizeof(buf), 0)) > 0)
			send(c, buf, (size_t)n, 0);
		close(c);
	}
	return NULL;
}

static void test_threaded_echo(void)
{
	int lfd = listener(PORT_BASE, SOCK_STREAM);
	pthread_t t;
	char buf[64];

	printf("-- threaded echo\n");
	pthread_create(&t, NULL, echo_server, &lfd);
	for (int i = 0; i < 2; i++) {
		int c = connect_to(PORT_BASE);
		int one = 1;
		SCHECK(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)));
		const char *msg = i ? "second client" : "hello, server";
		SCHECK(write(c, msg, strlen(msg)));
		memset(buf, 0, sizeof(buf));
		SCHECK(read_full(c, buf, strlen(msg)));
		printf("echo: %s\n", buf);
		struct sockaddr_in peer, self;
		socklen_t plen = sizeof(peer), slen = sizeof(self);
		SCHECK(getpeername(c, (struct sockaddr *)&peer, &plen));
		SCHECK(getsockname(c, (struct sockaddr *)&self, &slen));
		printf("peer %s:PORT_BASE+%d len %u, self %s len %u port>0 %d\n",
		       inet_ntoa(peer.sin_addr), ntohs(peer.sin_port) - PORT_BASE, plen,
		       inet_ntoa(self.sin_addr), slen, ntohs(self.sin_port) > 0);
		SCHECK(shutdown(c, SHUT_WR));
		SCHECK(read(c, buf, sizeof(buf)));
		SCHECK(close(c));
	}
	pthread_join(t, NULL);
	close(lfd);
}

/* ---- 2. one thread, non-blocking sockets, poll/select/epoll ---- */

enum waiter { USE_POLL, USE_SELECT, USE_EPOLL };
static const char *const waiter_names[] = {"poll", "select", "epoll"};

/* Wait until @fd is ready for @events (POLLIN or POLLOUT) with the chosen call. */
static int wait_ready(enum waiter w, int fd, int events)
{
	if (w == USE_POLL) {
		struct pollfd p = {.fd = fd, .events = (short)events};
		int n = poll(&p, 1, 5000);
		return n == 1 && (p.revents & events);
	}
	if (w == USE_SELECT) {
		fd_set r, wr;
		struct timeval tv = {5, 0};
		FD_ZERO(&r);
		FD_ZERO(&wr);
		FD_SET(fd, events == POLLIN ? &r : &wr);
		int n = select(fd + 1, &r, &wr, NULL, &tv);
		return n == 1 && FD_ISSET(fd, events == POLLIN ? &r : &wr);
	}
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = {.events = events == POLLIN ? EPOLLIN : EPOLLOUT, .data.fd = fd};
	struct epoll_event out;
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	int n = epoll_wait(ep, &out, 1, 5000);
	close(ep);
	return n == 1 && out.data.fd == fd;
}

static void test_nonblocking(enum waiter w, int port)
{
	int lfd = listener(port, SOCK_STREAM);
	struct sockaddr_in a = loopback(port);
	char buf[32];

	printf("-- non-blocking with %s\n", waiter_names[w]);
	fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK);
	SCHECK(accept(lfd, NULL, NULL));
	int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	printf("O_NONBLOCK set %d\n", (fcntl(c, F_GETFL) & O_NONBLOCK) != 0);
	errno = 0;
	int r = connect(c, (struct sockaddr *)&a, sizeof(a));
	/* Linux may finish a loopback connect at once; both are fine. */
	printf("connect: %s\n", r == 0 || errno == EINPROGRESS ? "ok or in progress" : "failed");
	printf("listener readable %d\n", wait_ready(w, lfd, POLLIN));
	int s = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	printf("accepted %d\n", s >= 0);
	printf("client writable %d\n", wait_ready(w, c, POLLOUT));
	int err = -1;
	socklen_t len = sizeof(err);
	SCHECK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len));
	printf("SO_ERROR %s\n", sock_errname(err));
	SCHECK(recv(s, buf, sizeof(buf), 0));
	SCHECK(send(c, "ping", 4, 0));
	printf("server readable %d\n", wait_ready(w, s, POLLIN));
	int avail = -1;
	SCHECK(ioctl(s, FIONREAD, &avail));
	printf("FIONREAD %d\n", avail);
	memset(buf, 0, sizeof(buf));
	SCHECK(recv(s, buf, sizeof(buf), 0));
	printf("got %s\n", buf);
	SCHECK(send(s, "pong", 4, MSG_NOSIGNAL));
	printf("client readable %d\n", wait_ready(w, c, POLLIN));
	memset(buf, 0, sizeof(buf));
	SCHECK(recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	printf("got %s\n", buf);
	SCHECK(close(c));
	printf("server sees end %d\n", wait_ready(w, s, POLLIN));
	SCHECK(recv(s, buf, sizeof(buf), 0));
	close(s);
	close(lfd);
}

/* ---- 3. UDP ---- */

static void test_udp(void)
{
	int srv = listener(PORT_BASE + 10, SOCK_DGRAM);
	int cli = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = loopback(PORT_BASE + 10), from;
	socklen_t flen = sizeof(from);
	char buf[64];

	printf("-- udp\n");
	SCHECK(sendto(cli, "datagram one", 12, 0, (struct sockaddr *)&to, sizeof(to)));
	SCHECK(sendto(cli, "two", 3, 0, (struct sockaddr *)&to, sizeof(to)));
	memset(buf, 0, sizeof(buf));
	SCHECK(recvfrom(srv, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen));
	printf("got '%s' from %s len %u\n", buf, inet_ntoa(from.sin_addr), flen);
	memset(buf, 0, sizeof(buf));
	SCHECK(recv(srv, buf, sizeof(buf), 0));
	printf("got '%s'\n", buf);
	/* The reply goes to the sender's port. */
	SCHECK(sendto(srv, "reply", 5, 0, (struct sockaddr *)&from, flen));
	memset(buf, 0, sizeof(buf));
	SCHECK(recv(cli, buf, sizeof(buf), 0));
	printf("got '%s'\n", buf);
	/* sendmsg / recvmsg with two buffers. */
	struct iovec iov[2] = {{"scatter ", 8}, {"gather", 6}};
	struct msghdr m = {
	    .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = iov, .msg_iovlen = 2};
	SCHECK(sendmsg(cli, &m, 0));
	char a[5] = {0}, b[32] = {0};
	struct iovec riov[2] = {{a, 4}, {b, sizeof(b) - 1}};
	struct msghdr rm = {
	    .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = riov, .msg_iovlen = 2};
	SCHECK(recvmsg(srv, &rm, 0));
	printf("recvmsg '%s' '%s' namelen %u\n", a, b, rm.msg_namelen);
	close(cli);
	close(srv);
}

/* ---- 4. socketpair ---- */

static void test_socketpair(void)
{
	int sv[2];
	char buf[32];

	printf("-- socketpair\n");
	SCHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	SCHECK(write(sv[0], "left to right", 13));
	memset(buf, 0, sizeof(buf));
	SCHECK(read(sv[1], buf, sizeof(buf)));
	printf("got %s\n", buf);
	SCHECK(send(sv[1], "back", 4, 0));
	memset(buf, 0, sizeof(buf));
	SCHECK(recv(sv[0], buf, sizeof(buf), 0));
	printf("got %s\n", buf);
	SCHECK(recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT));
	int type = 0;
	socklen_t len = sizeof(type);
	SCHECK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len));
	printf("SO_TYPE stream %d\n", type == SOCK_STREAM);
	struct stat st;
	SCHECK(fstat(sv[0], &st));
	printf("S_ISSOCK %d\n", S_ISSOCK(st.st_mode));
	SCHECK(shutdown(sv[1], SHUT_WR));
	SCHECK(read(sv[0], buf, sizeof(buf)));
	SCHECK(close(sv[0]));
	SCHECK(close(sv[1]));
}

/* ---- 5. errors ---- */

static void test_errors(void)
{
	int lfd = listener(PORT_BASE + 20, SOCK_STREAM);
	struct sockaddr_in a = loopback(PORT_BASE + 20);
	struct sockaddr_in closed = loopback(PORT_BASE + 21);
	int one = 1, p[2];
	char buf[8];

	printf("-- errors\n");
	int s = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	SCHECK(bind(s, (struct sockaddr *)&a, sizeof(a)));
	close(s);
	s = socket(AF_INET, SOCK_STREAM, 0);
	SCHECK(connect(s, (struct sockaddr *)&closed, sizeof(closed)));
	close(s);
	pipe(p);
	SCHECK(recv(p[0], buf, sizeof(buf), MSG_DONTWAIT));
	SCHECK(send(p[1], "x", 1, 0));
	SCHECK(recv(12345, buf, sizeof(buf), 0));
	s = socket(AF_INET, SOCK_STREAM, 0);
	SCHECK(accept(s, NULL, NULL));
	SCHECK(send(s, "x", 1, MSG_NOSIGNAL) < 0);
	SCHECK(shutdown(s, SHUT_RDWR));
	close(s);
	SCHECK(socket(12345, SOCK_STREAM, 0));
	/* A non-blocking connect to a closed port fails later, through SO_ERROR. */
	s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	errno = 0;
	int r = connect(s, (struct sockaddr *)&closed, sizeof(closed));
	if (r < 0 && errno == EINPROGRESS) {
		struct pollfd pf = {.fd = s, .events = POLLOUT};
		poll(&pf, 1, 5000);
		int err = 0;
		socklen_t len = sizeof(err);
		getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
		printf("non-blocking refused: %s\n", sock_errname(err));
	} else {
		printf("non-blocking refused: %s\n", sock_errname(errno));
	}
	close(s);
	/* Writing after the peer has gone. */
	int c = connect_to(PORT_BASE + 20);
	int srv = accept(lfd, NULL, NULL);
	close(srv);
	usleep(100000);
	ssize_t n = 0;
	for (int i = 0; i < 20 && n >= 0; i++) {
		n = send(c, "data", 4, MSG_NOSIGNAL);
		usleep(10000);
	}
	printf("send after peer close: %s\n", n < 0 && (errno == EPIPE || errno == ECONNRESET)
	                                          ? "EPIPE or ECONNRESET"
	                                          : "no error");
	close(c);
	close(p[0]);
	close(p[1]);
	close(lfd);
}

/* ---- 6. poll and select over a pipe and a socket together ---- */

static void test_mixed(void)
{
	int lfd = listener(PORT_BASE + 30, SOCK_STREAM);
	int c = connect_to(PORT_BASE + 30);
	int s = accept(lfd, NULL, NULL);
	int p[2];
	char buf[16];

	printf("-- pipe and socket together\n");
	pipe(p);
	struct pollfd fds[2] = {{.fd = p[0], .events = POLLIN}, {.fd = s, .events = POLLIN}};
	SCHECK(poll(fds, 2, 0));
	SCHECK(write(p[1], "p", 1));
	SCHECK(poll(fds, 2, 1000));
	printf("revents pipe %d socket %d\n", fds[0].revents, fds[1].revents);
	SCHECK(read(p[0], buf, sizeof(buf)));
	SCHECK(send(c, "s", 1, 0));
	SCHECK(poll(fds, 2, 1000));
	printf("revents pipe %d socket %d\n", fds[0].revents, fds[1].revents);
	fd_set r;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	FD_SET(s, &r);
	int maxfd = p[0] > s ? p[0] : s;
	SCHECK(select(maxfd + 1, &r, NULL, NULL, NULL));
	printf("select pipe %d socket %d\n", FD_ISSET(p[0], &r) != 0, FD_ISSET(s, &r) != 0);
	SCHECK(recv(s, buf, sizeof(buf), 0));
	struct timeval tv = {0, 50000};
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	FD_SET(s, &r);
	SCHECK(select(maxfd + 1, &r, NULL, NULL, &tv));
	/* epoll over both, and a closed descriptor. */
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 1}, out[4];
	SCHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	ev.data.u32 = 2;
	SCHECK(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev));
	SCHECK(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev));
	SCHECK(epoll_wait(ep, out, 4, 20));
	SCHECK(write(p[1], "q", 1));
	SCHECK(epoll_wait(ep, out, 4, 1000));
	printf("epoll data %u events %u\n", out[0].data.u32, out[0].events);
	SCHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	SCHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	SCHECK(epoll_wait(ep, out, 4, 20));
	close(ep);
	close(p[0]);
	close(p[1]);
	close(s);
	close(c);
	close(lfd);
}

/* ---- 7. sendfile ---- */

static void test_sendfile(void)
{
	int lfd = listener(PORT_BASE + 40, SOCK_STREAM);
	int c = connect_to(PORT_BASE + 40);
	int s = accept(lfd, NULL, NULL);
	char buf[64];

	printf("-- sendfile\n");
	int f = open("/tmp/sendfile.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(f, "0123456789abcdefghij", 20);
	lseek(f, 0, SEEK_SET);
	off_t off = 5;
	SCHECK(sendfile(s, f, &off, 10));
	printf("offset now %ld, file offset %ld\n", (long)off, (long)lseek(f, 0, SEEK_CUR));
	memset(buf, 0, sizeof(buf));
	SCHECK(read_full(c, buf, 10));
	printf("got %s\n", buf);
	SCHECK(sendfile(s, f, NULL, 100));
	printf("file offset %ld\n", (long)lseek(f, 0, SEEK_CUR));
	memset(buf, 0, sizeof(buf));
	SCHECK(read_full(c, buf, 20));
	printf("got %s\n", buf);
	close(f);
	unlink("/tmp/sendfile.txt");
	close(s);
	close(c);
	close(lfd);
}

/* ---- 8. names and addresses ---- */

/* ---- TCP_CORK, a descriptor sent on TCP, IPv6 address classes ---- */

static void test_tcp_options(int port)
{
	int lfd = listener(port, SOCK_STREAM);
	int v = 1;
	socklen_t len = sizeof(v);

	printf("-- tcp options\n");
	/* TCP_NODELAY on the listener: accepted connections have it too. */
	SCHECK(setsockopt(lfd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v)));
	int c = connect_to(port);
	int a = accept(lfd, NULL, NULL);
	v = 0;
	SCHECK(getsockopt(a, IPPROTO_TCP, TCP_NODELAY, &v, &len));
	printf("TCP_NODELAY of an accepted connection (set on the listener): %d\n", v != 0);
	v = 1;
	SCHECK(setsockopt(lfd, IPPROTO_TCP, TCP_NODELAY, &(int){0}, sizeof(int)));
	SCHECK(setsockopt(c, IPPROTO_TCP, TCP_CORK, &v, sizeof(v)));
	v = -1;
	SCHECK(getsockopt(c, IPPROTO_TCP, TCP_CORK, &v, &len));
	printf("TCP_CORK after setting 1: %d\n", v);
	SCHECK(write(c, "corked", 6));
	v = 0;
	SCHECK(setsockopt(c, IPPROTO_TCP, TCP_CORK, &v, sizeof(v)));
	SCHECK(getsockopt(c, IPPROTO_TCP, TCP_CORK, &v, &len));
	printf("TCP_CORK after setting 0: %d\n", v);
	char buf[16] = {0};
	SCHECK(read_full(a, buf, 6));
	printf("read after uncorking: %s\n", buf);
	SCHECK(setsockopt(c, IPPROTO_TCP, TCP_CORK, &v, 1));
	/* SO_MARK: root may set it (both sides run as root); it is reported back. */
	v = 7;
	SCHECK(setsockopt(c, SOL_SOCKET, SO_MARK, &v, sizeof(v)));
	v = 0;
	len = sizeof(v);
	SCHECK(getsockopt(c, SOL_SOCKET, SO_MARK, &v, &len));
	printf("SO_MARK after setting 7: %d\n", v);

	/* A descriptor sent on TCP: Linux sends the byte and ignores the descriptor. */
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(sizeof(int))];
	} control;
	struct iovec iov = {.iov_base = "x", .iov_len = 1};
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = control.space,
	                     .msg_controllen = sizeof(control.space)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &lfd, sizeof(int));
	SCHECK(sendmsg(c, &msg, 0));
	close(a);
	close(c);
	close(lfd);

	struct in6_addr mapped = {0}, linklocal = {0}, multicast = {0};
	inet_pton(AF_INET6, "::ffff:10.0.2.15", &mapped);
	inet_pton(AF_INET6, "fe80::1", &linklocal);
	inet_pton(AF_INET6, "ff02::1", &multicast);
	printf("any: unspecified %d loopback %d\n", IN6_IS_ADDR_UNSPECIFIED(&in6addr_any),
	       IN6_IS_ADDR_LOOPBACK(&in6addr_any));
	printf("::1: unspecified %d loopback %d\n", IN6_IS_ADDR_UNSPECIFIED(&in6addr_loopback),
	       IN6_IS_ADDR_LOOPBACK(&in6addr_loopback));
	printf("::ffff:10.0.2.15: v4mapped %d v4compat %d\n", IN6_IS_ADDR_V4MAPPED(&mapped),
	       IN6_IS_ADDR_V4COMPAT(&mapped));
	printf("fe80::1: linklocal %d sitelocal %d multicast %d\n",
	       IN6_IS_ADDR_LINKLOCAL(&linklocal), IN6_IS_ADDR_SITELOCAL(&linklocal),
	       IN6_IS_ADDR_MULTICAST(&linklocal));
	printf("ff02::1: multicast %d mc_linklocal %d mc_global %d equal to itself %d\n",
	       IN6_IS_ADDR_MULTICAST(&multicast), IN6_IS_ADDR_MC_LINKLOCAL(&multicast),
	       IN6_IS_ADDR_MC_GLOBAL(&multicast), IN6_ARE_ADDR_EQUAL(&multicast, &multicast));
}

static void show_ai(const char *node, const char *service, int socktype, int flags)
{
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = socktype, .ai_flags = flags};
	struct addrinfo *res;
	int r = getaddrinfo(node, service, &hints, &res);

	printf("getaddrinfo(%s, %s): %s\n", node ? node : "NULL", service ? service : "NULL",
	       r ? gai_strerror(r) : "ok");
	if (r)
		return;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ai->ai_addr;
		char text[INET_ADDRSTRLEN];
		printf("  family %d socktype %d protocol %d addrlen %u %s:%d canon %s\n",
		       ai->ai_family, ai->ai_socktype, ai->ai_protocol, ai->ai_addrlen,
		       inet_ntop(AF_INET, &sin->sin_addr, text, sizeof(text)), ntohs(sin->sin_port),
		       ai->ai_canonname ? ai->ai_canonname : "-");
	}
	freeaddrinfo(res);
}

static void test_names(void)
{
	unsigned char a6[16];
	struct in_addr a4;
	char text[INET6_ADDRSTRLEN];

	printf("-- names\n");
	show_ai("127.0.0.1", "80", SOCK_STREAM, 0);
	show_ai("localhost", "http", SOCK_STREAM, 0);
	show_ai("127.0.0.1", NULL, SOCK_DGRAM, AI_CANONNAME);
	show_ai(NULL, "47999", SOCK_STREAM, AI_PASSIVE);
	show_ai(NULL, "47999", SOCK_STREAM, 0);
	show_ai("localhost", "no-such-service", SOCK_STREAM, 0);
	show_ai("localhost", "http", SOCK_STREAM, AI_NUMERICSERV);
	show_ai("not-a-number", "80", SOCK_STREAM, AI_NUMERICHOST);
	show_ai(NULL, NULL, SOCK_STREAM, 0);
	printf("gai_strerror(EAI_AGAIN) %s\n", gai_strerror(EAI_AGAIN));
	struct sockaddr_in sin = loopback(80);
	char host[NI_MAXHOST], serv[NI_MAXSERV];
	int r = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), serv,
	                    sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV);
	printf("getnameinfo numeric %d %s %s\n", r, host, serv);
	sin.sin_addr.s_addr = inet_addr("10.1.2.3");
	r = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), serv,
	                sizeof(serv), NI_NUMERICHOST);
	printf("getnameinfo service %d %s %s\n", r, host, serv);

	const char *v4[] = {"127.0.0.1", "255.255.255.255", "1.2.3",   "256.1.1.1",
	                    "01.2.3.4",  " 1.2.3.4",        "1.2.3.4x"};
	for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++) {
		r = inet_pton(AF_INET, v4[i], &a4);
		printf("inet_pton(AF_INET, \"%s\") = %d", v4[i], r);
		if (r == 1)
			printf(" -> %s", inet_ntop(AF_INET, &a4, text, sizeof(text)));
		printf("\n");
	}
	const char *v6[] = {"::1",
	                    "::",
	                    "fe80::1:2",
	                    "2001:db8:0:0:1:0:0:1",
	                    "::ffff:10.0.0.1",
	                    "1:2:3:4:5:6:7:8",
	                    "1::2::3",
	                    "12345::",
	                    "::1.2.3.4",
	                    "2001:db8::ff00:42:8329"};
	for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++) {
		r = inet_pton(AF_INET6, v6[i], a6);
		printf("inet_pton(AF_INET6, \"%s\") = %d", v6[i], r);
		if (r == 1)
			printf(" -> %s", inet_ntop(AF_INET6, a6, text, sizeof(text)));
		printf("\n");
	}
	inet_pton(AF_INET, "10.0.0.1", &a4);
	errno = 0;
	const char *shortbuf = inet_ntop(AF_INET, &a4, text, 8);
	printf("inet_ntop short buffer %s %s\n", shortbuf ? "ok" : "NULL",
	       errno == ENOSPC ? "ENOSPC" : errname(errno));
	printf("inet_addr %08x inet_aton(127.1) %d\n", ntohl(inet_addr("192.168.1.2")),
	       inet_aton("127.1", &a4));
	printf("%s\n", inet_ntoa(a4));
	printf("htons %04x htonl %08x ntohs %04x\n", htons(0x1234), htonl(0x12345678u),
	       ntohs(htons(0xabcd)));
	/* The name /etc/hosts gives 127.0.0.1 differs between machines; its presence and
	 * address do not. */
	struct in_addr lo = {htonl(INADDR_LOOPBACK)};
	struct hostent *he = gethostbyaddr(&lo, sizeof(lo), AF_INET);
	printf("gethostbyaddr 127.0.0.1: %s", he ? "found" : "NULL");
	if (he)
		printf(" %s family %s length %d", inet_ntoa(*(struct in_addr *)he->h_addr_list[0]),
		       he->h_addrtype == AF_INET ? "AF_INET" : "other", he->h_length);
	printf("\n");
	he = gethostbyname("localhost");
	printf("gethostbyname localhost: %s", he ? "found" : "NULL");
	if (he)
		printf(" %s", inet_ntoa(*(struct in_addr *)he->h_addr_list[0]));
	printf("\n");
	char name[64];
	SCHECK(gethostname(name, sizeof(name)));
	printf("hostname non-empty %d\n", name[0] != 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	const char *base = getenv("SOCKETS_PORT_BASE");
	if (base && atoi(base) > 1024 && atoi(base) < 65000)
		PORT_BASE = atoi(base);
	test_threaded_echo();
	test_nonblocking(USE_POLL, PORT_BASE + 1);
	test_nonblocking(USE_SELECT, PORT_BASE + 2);
	test_nonblocking(USE_EPOLL, PORT_BASE + 3);
	test_udp();
	test_socketpair();
	test_errors();
	test_mixed();
	test_sendfile();
	test_tcp_options(PORT_BASE + 42);
	test_names();
	printf("done\n");
	return 0;
}
