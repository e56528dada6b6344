/* unixsock.c - AF_UNIX sockets bound to paths and abstract names: stream connect/accept
 * with poll and epoll, names, shutdown and close as the peer sees them, datagrams with
 * their sender's name, MSG_PEEK and MSG_TRUNC, connected datagram sockets, datagram
 * socketpair, and the errors of each call. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common.h"

static void result(const char *what, long r)
{
	if (r < 0)
		printf("%s: -1 %s (%s)\n", what, errname(errno), strerror(errno));
	else
		printf("%s: %ld\n", what, r);
}

static socklen_t path_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path, path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path + 1, name, strlen(name));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

/* A name as the program shows it: the path with the per-run prefix replaced. */
static void show_name(const char *what, const struct sockaddr_un *a, socklen_t len,
                      const char *prefix)
{
	/* The per-run prefix's length (the pid's digits) is taken out of the length. */
	int ours = len > offsetof(struct sockaddr_un, sun_path) + 1 &&
	           (strncmp(a->sun_path, prefix, strlen(prefix)) == 0 ||
	            strncmp(a->sun_path + 1, prefix, strlen(prefix)) == 0);
	printf("%s: length %d%s family %s", what, (int)len - (ours ? (int)strlen(prefix) : 0),
	       ours ? " besides the prefix" : "", a->sun_family == AF_UNIX ? "AF_UNIX" : "other");
	if (len > offsetof(struct sockaddr_un, sun_path)) {
		if (a->sun_path[0] == '\0')
			printf(" abstract %s", strncmp(a->sun_path + 1, prefix, strlen(prefix)) == 0
			                           ? "(ours)"
			                           : "(other)");
		else
			printf(" path %s", strncmp(a->sun_path, prefix, strlen(prefix)) == 0
			                       ? a->sun_path + strlen(prefix)
			                       : a->sun_path);
	}
	printf("\n");
}

static void poll_one(const char *what, int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN | POLLOUT | POLLRDHUP};
	int n = poll(&p, 1, 0);
	printf("%s: poll %d%s%s%s%s\n", what, n, (p.revents & POLLIN) ? " IN" : "",
	       (p.revents & POLLOUT) ? " OUT" : "", (p.revents & POLLHUP) ? " HUP" : "",
	       (p.revents & POLLRDHUP) ? " RDHUP" : "");
}

int main(void)
{
	char prefix[64], path[128], path2[128], path3[128];
	struct sockaddr_un a, got;
	socklen_t len, glen;
	char buf[64];

	signal(SIGPIPE, SIG_IGN);
	snprintf(prefix, sizeof(prefix), "/tmp/unixsock-%d", (int)getpid());
	snprintf(path, sizeof(path), "%s-stream", prefix);
	snprintf(path2, sizeof(path2), "%s-dgram-a", prefix);
	snprintf(path3, sizeof(path3), "%s-dgram-b", prefix);

	/* ---- stream, bound to a path ---- */
	int srv = socket(AF_UNIX, SOCK_STREAM, 0);
	result("socket stream", srv >= 0 ? 0 : -1);
	len = path_addr(&a, path);
	result("bind", bind(srv, (struct sockaddr *)&a, len));
	result("bind again (same socket)", bind(srv, (struct sockaddr *)&a, len));
	int other = socket(AF_UNIX, SOCK_STREAM, 0);
	result("bind a used path", bind(other, (struct sockaddr *)&a, len));
	struct stat st;
	result("stat of the name", stat(path, &st));
	printf("  a socket %d\n", S_ISSOCK(st.st_mode));
	result("open of the name", open(path, O_RDONLY));
	result("connect before listen", connect(other, (struct sockaddr *)&a, len));
	glen = sizeof(got);
	result("getsockname", getsockname(srv, (struct sockaddr *)&got, &glen));
	show_name("  name", &got, glen, prefix);
	result("listen", listen(srv, 4));
	int v;
	socklen_t vl = sizeof(v);
	getsockopt(srv, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
	printf("SO_ACCEPTCONN %d", v);
	getsockopt(srv, SOL_SOCKET, SO_TYPE, &v, &vl);
	printf(" SO_TYPE stream %d", v == SOCK_STREAM);
	getsockopt(srv, SOL_SOCKET, SO_DOMAIN, &v, &vl);
	printf(" SO_DOMAIN unix %d\n", v == AF_UNIX);
	poll_one("listener, nothing pending", srv);
	fcntl(srv, F_SETFL, O_NONBLOCK);
	result("accept with nothing pending", accept(srv, NULL, NULL));

	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = srv};
	epoll_ctl(ep, EPOLL_CTL_ADD, srv, &ev);
	result("epoll_wait before connect", epoll_wait(ep, &ev, 1, 0));

	int cli = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un missing;
	socklen_t mlen = path_addr(&missing, "/tmp/no-such-dir/x.sock");
	result("connect to a missing path", connect(cli, (struct sockaddr *)&missing, mlen));
	result("connect", connect(cli, (struct sockaddr *)&a, len));
	result("connect again", connect(cli, (struct sockaddr *)&a, len));
	result("epoll_wait after connect", epoll_wait(ep, &ev, 1, 0));
	poll_one("listener, one pending", srv);
	glen = sizeof(got);
	int acc = accept(srv, (struct sockaddr *)&got, &glen);
	result("accept", acc >= 0 ? 0 : -1);
	show_name("  peer address from accept", &got, glen, prefix);
	glen = sizeof(got);
	result("getpeername (client)", getpeername(cli, (struct sockaddr *)&got, &glen));
	show_name("  client's peer", &got, glen, prefix);
	glen = sizeof(got);
	getsockname(acc, (struct sockaddr *)&got, &glen);
	show_name("  accepted socket's name", &got, glen, prefix);
	glen = sizeof(got);
	result("getpeername (listener)", getpeername(srv, (struct sockaddr *)&got, &glen));
	poll_one("connected client", cli);
	result("write client->server", write(cli, "hello", 5));
	poll_one("accepted, data waiting", acc);
	memset(buf, 0, sizeof(buf));
	result("read on the server", read(acc, buf, sizeof(buf)));
	printf("  got '%s'\n", buf);
	result("send server->client", send(acc, "world!", 6, 0));
	memset(buf, 0, sizeof(buf));
	result("recv on the client", recv(cli, buf, sizeof(buf), 0));
	printf("  got '%s'\n", buf);
	result("sendto with an address on a connected stream",
	       sendto(cli, "x", 1, 0, (struct sockaddr *)&a, len));
	result("shutdown client SHUT_WR", shutdown(cli, SHUT_WR));
	result("server reads end of file", read(acc, buf, sizeof(buf)));
	poll_one("accepted after the peer's SHUT_WR", acc);
	result("write after SHUT_WR", write(cli, "x", 1));
	result("close accepted", close(acc));
	result("client reads end of file", read(cli, buf, sizeof(buf)));
	close(cli);
	int unconnected = socket(AF_UNIX, SOCK_STREAM, 0);
	result("write on an unconnected stream", write(unconnected, "x", 1));
	result("read on an unconnected stream", read(unconnected, buf, 1));
	poll_one("unconnected stream", unconnected);
	result("listen on an unbound stream", listen(unconnected, 1));
	close(unconnected);
	close(ep);
	close(srv);
	result("connect after the listener closed", connect(other, (struct sockaddr *)&a, len));
	result("stat of the name after close", stat(path, &st));
	result("unlink the name", unlink(path));
	result("connect after unlink", connect(other, (struct sockaddr *)&a, len));
	close(other);

	/* ---- bad addresses ---- */
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un bad = a;
	bad.sun_family = AF_INET;
	result("bind with AF_INET's family", bind(s, (struct sockaddr *)&bad, len));
	result("bind with too long a length", bind(s, (struct sockaddr *)&a, sizeof(a) + 1));
	result("connect with only the family",
	       connect(s, (struct sockaddr *)&a, sizeof(sa_family_t)));
	len = path_addr(&a, "/tmp/no-such-dir/x.sock");
	result("bind in a missing directory", bind(s, (struct sockaddr *)&a, len));
	close(s);
	s = socket(AF_UNIX, SOCK_RAW, 0);
	vl = sizeof(v);
	getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &vl);
	printf("socket SOCK_RAW: made %d, a datagram socket %d\n", s >= 0, v == SOCK_DGRAM);
	close(s);
	result("socket protocol 7", socket(AF_UNIX, SOCK_STREAM, 7));

	/* ---- abstract names ---- */
	char abstract[80];
	snprintf(abstract, sizeof(abstract), "%s-abstract", prefix);
	srv = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	len = abstract_addr(&a, abstract);
	result("bind abstract", bind(srv, (struct sockaddr *)&a, len));
	glen = sizeof(got);
	getsockname(srv, (struct sockaddr *)&got, &glen);
	show_name("  abstract name", &got, glen, prefix);
	listen(srv, 1);
	cli = socket(AF_UNIX, SOCK_STREAM, 0);
	result("connect abstract", connect(cli, (struct sockaddr *)&a, len));
	acc = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
	result("accept4 abstract", acc >= 0 ? 0 : -1);
	printf("  FD_CLOEXEC %d\n", (fcntl(acc, F_GETFD) & FD_CLOEXEC) != 0);
	int cli2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int cli3 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	result("connect 2 (backlog 1)", connect(cli2, (struct sockaddr *)&a, len));
	result("connect 3 (backlog 1)", connect(cli3, (struct sockaddr *)&a, len));
	int cli4 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	result("connect 4 (queue full, non-blocking)", connect(cli4, (struct sockaddr *)&a, len));
	close(cli2);
	close(cli3);
	close(cli4);
	close(acc);
	close(cli);
	close(srv);
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	result("bind the abstract name again after close", bind(srv, (struct sockaddr *)&a, len));
	close(srv);

	/* ---- datagrams ---- */
	int da = socket(AF_UNIX, SOCK_DGRAM, 0);
	int db = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un aa, ab;
	socklen_t la = path_addr(&aa, path2), lb = path_addr(&ab, path3);
	result("bind dgram a", bind(da, (struct sockaddr *)&aa, la));
	result("bind dgram b", bind(db, (struct sockaddr *)&ab, lb));
	result("listen on a datagram socket", listen(db, 1));
	result("accept on a datagram socket", accept(db, NULL, NULL));
	result("send without an address", send(da, "x", 1, 0));
	result("recv with nothing queued", recv(db, buf, sizeof(buf), MSG_DONTWAIT));
	poll_one("dgram b, empty", db);
	result("sendto b", sendto(da, "first", 5, 0, (struct sockaddr *)&ab, lb));
	result("sendto b again", sendto(da, "second!", 7, 0, (struct sockaddr *)&ab, lb));
	poll_one("dgram b, two queued", db);
	memset(buf, 0, sizeof(buf));
	result("recv MSG_PEEK", recv(db, buf, sizeof(buf), MSG_PEEK));
	printf("  got '%s'\n", buf);
	memset(buf, 0, sizeof(buf));
	glen = sizeof(got);
	result("recvfrom", recvfrom(db, buf, sizeof(buf), 0, (struct sockaddr *)&got, &glen));
	printf("  got '%s'\n", buf);
	show_name("  from", &got, glen, prefix);
	memset(buf, 0, sizeof(buf));
	result("recv 3 bytes of 7 with MSG_TRUNC", recv(db, buf, 3, MSG_TRUNC));
	printf("  got '%s'\n", buf);
	result("recv: the rest of that datagram is gone", recv(db, buf, sizeof(buf), MSG_DONTWAIT));
	struct sockaddr_un nobody;
	socklen_t ln = path_addr(&nobody, "/tmp/unixsock-nobody-here");
	result("sendto a missing path", sendto(da, "x", 1, 0, (struct sockaddr *)&nobody, ln));
	int file = open(path, O_CREAT | O_WRONLY, 0600);
	close(file);
	ln = path_addr(&nobody, path);
	result("sendto a regular file's name",
	       sendto(da, "x", 1, 0, (struct sockaddr *)&nobody, ln));
	unlink(path);
	result("connect a to b", connect(da, (struct sockaddr *)&ab, lb));
	glen = sizeof(got);
	getpeername(da, (struct sockaddr *)&got, &glen);
	show_name("  a's peer", &got, glen, prefix);
	result("send on the connected dgram", send(da, "third", 5, 0));
	memset(buf, 0, sizeof(buf));
	result("recv", recv(db, buf, sizeof(buf), 0));
	printf("  got '%s'\n", buf);
	int dc = socket(AF_UNIX, SOCK_DGRAM, 0);
	result("b connected to nobody: c sends to a (connected to b)",
	       sendto(dc, "x", 1, 0, (struct sockaddr *)&aa, la));
	close(dc);
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	len = path_addr(&a, path);
	bind(srv, (struct sockaddr *)&a, len);
	listen(srv, 1);
	result("sendto a stream listener", sendto(db, "x", 1, 0, (struct sockaddr *)&a, len));
	result("connect dgram to a stream listener", connect(db, (struct sockaddr *)&a, len));
	close(srv);
	unlink(path);
	struct sockaddr unspec = {.sa_family = AF_UNSPEC};
	result("connect AF_UNSPEC dissolves", connect(da, &unspec, sizeof(unspec)));
	result("send after that", send(da, "x", 1, 0));
	result("shutdown b SHUT_RD", shutdown(db, SHUT_RD));
	result("recv after SHUT_RD", recv(db, buf, sizeof(buf), MSG_DONTWAIT));
	close(da);
	close(db);
	unlink(path2);
	unlink(path3);

	/* ---- socketpair ---- */
	int sv[2];
	result("socketpair dgram", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	send(sv[0], "one", 3, 0);
	send(sv[0], "two!", 4, 0);
	result("first datagram", recv(sv[1], buf, sizeof(buf), 0));
	result("second datagram", recv(sv[1], buf, sizeof(buf), 0));
	close(sv[1]);
	result("send after the peer closed", send(sv[0], "x", 1, 0));
	close(sv[0]);
	result("socketpair stream", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	glen = sizeof(got);
	getsockname(sv[0], (struct sockaddr *)&got, &glen);
	show_name("  pair's name", &got, glen, prefix);
	glen = sizeof(got);
	result("pair getpeername", getpeername(sv[0], (struct sockaddr *)&got, &glen));
	show_name("  pair's peer", &got, glen, prefix);
	close(sv[0]);
	close(sv[1]);
	result("socketpair AF_INET", socketpair(AF_INET, SOCK_STREAM, 0, sv));
	return 0;
}
