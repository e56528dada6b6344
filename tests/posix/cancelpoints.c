/* cancelpoints.c - differential test of more cancellation points: threads blocked in
 * select, epoll_wait, sigwait, sigtimedwait, sem_timedwait, nanosleep, a write to a full
 * pipe, and on sockets (accept, recv and read over TCP on 127.0.0.1, recvfrom on UDP,
 * accept and recv on AF_UNIX) are canceled and join with PTHREAD_CANCELED; each socket
 * then still works: the connection or datagram that comes next is taken whole. A cancel
 * is sticky, so whether the target has blocked yet when it is canceled changes nothing
 * printed. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static sem_t started; /* each target posts it just before it blocks */
static int target_fd; /* the descriptor the next target blocks on */

static void say(void *arg)
{
	printf("  cleanup: %s\n", (const char *)arg);
}

/* Start @fn, wait until it said it is about to block, cancel it, join it; the results
 * come after what the canceled thread printed. */
static void cancel_blocked(const char *what, void *(*fn)(void *))
{
	pthread_t t;
	void *value = NULL;

	pthread_create(&t, NULL, fn, (void *)what);
	sem_wait(&started);
	int cancel_err = pthread_cancel(t);
	int err = pthread_join(t, &value);
	printf("%s: cancel %s, join %s, %s\n", what, errname(cancel_err), errname(err),
	       value == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "other value");
}

/* Each target pushes a handler that names it, says it is about to block, blocks, and
 * prints what came back if the call ever returns. */
#define TARGET(name, call)                                                                         \
	static void *name(void *arg)                                                               \
	{                                                                                          \
		pthread_cleanup_push(say, arg);                                                    \
		sem_post(&started);                                                                \
		long r_ = (long)(call);                                                            \
		printf("  %s returned %ld (%s)\n", (const char *)arg, r_, errname(errno));         \
		pthread_cleanup_pop(0);                                                            \
		return NULL;                                                                       \
	}

static fd_set readable;
static struct epoll_event events[1];
static sigset_t usr1;
static int signo;
static sem_t never;
static char big[70000];
static char byte;

static struct timespec in_a_minute(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += 60;
	return t;
}

static const struct timespec a_minute = {.tv_sec = 60};
static struct timespec deadline;

TARGET(selector, select(target_fd + 1, &readable, NULL, NULL, NULL))
TARGET(epoller, epoll_wait(target_fd, events, 1, -1))
TARGET(sigwaiter, sigwait(&usr1, &signo))
TARGET(sigtimedwaiter, sigtimedwait(&usr1, NULL, &a_minute))
TARGET(sem_timedwaiter, sem_timedwait(&never, &deadline))
TARGET(nanosleeper, nanosleep(&a_minute, NULL))
TARGET(writer, write(target_fd, big, 1))
TARGET(acceptor, accept(target_fd, NULL, NULL))
TARGET(receiver, recv(target_fd, &byte, 1, 0))
TARGET(reader, read(target_fd, &byte, 1))
TARGET(from_receiver, recvfrom(target_fd, &byte, 1, 0, NULL, NULL))

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A socket bound to 127.0.0.1:@port. */
static int bound(int type, int port)
{
	int s = socket(AF_INET, type, 0);
	int on = 1;
	struct sockaddr_in a = loopback(port);

	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)))
		printf("bind %d: %s\n", port, errname(errno));
	return s;
}

static int connected_to(int port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = loopback(port);

	if (connect(s, (struct sockaddr *)&a, sizeof(a)))
		printf("connect %d: %s\n", port, errname(errno));
	return s;
}

static void descriptor_waits(void)
{
	int p[2];

	pipe(p);
	FD_ZERO(&readable);
	FD_SET(p[0], &readable);
	target_fd = p[0];
	cancel_blocked("select", selector);

	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = p[0]};
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	target_fd = ep;
	cancel_blocked("epoll_wait", epoller);
	/* Both still see the pipe once it has data. */
	write(p[1], "x", 1);
	struct timeval now = {0, 0};
	FD_ZERO(&readable);
	FD_SET(p[0], &readable);
	printf("after: select %d, epoll_wait %d\n", select(p[0] + 1, &readable, NULL, NULL, &now),
	       epoll_wait(ep, events, 1, 0));
	read(p[0], &byte, 1);
	close(ep);

	/* A write to a full pipe blocks before it has written anything. */
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	while (write(p[1], big, sizeof(big)) > 0)
		;
	while (write(p[1], big, 1) > 0)
		;
	fcntl(p[1], F_SETFL, 0);
	target_fd = p[1];
	cancel_blocked("write to a full pipe", writer);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	size_t drained = 0;
	ssize_t n;
	while ((n = read(p[0], big, sizeof(big))) > 0)
		drained += (size_t)n;
	/* What went in before the cancel is there, and the pipe takes more. */
	printf("after: pipe drained %s, write %zd\n", drained > 0 ? "its bytes" : "nothing",
	       write(p[1], "y", 1));
	close(p[0]);
	close(p[1]);
}

static void signal_and_time_waits(void)
{
	cancel_blocked("sigwait", sigwaiter);
	cancel_blocked("sigtimedwait", sigtimedwaiter);
	deadline = in_a_minute();
	cancel_blocked("sem_timedwait", sem_timedwaiter);
	cancel_blocked("nanosleep", nanosleeper);
	/* The signal still comes to sigwait after the canceled waiters are gone. */
	kill(getpid(), SIGUSR1);
	int got = 0;
	int err = sigwait(&usr1, &got);
	printf("after: sigwait %s, signal %s\n", errname(err),
	       got == SIGUSR1 ? "SIGUSR1" : "other");
}

static void tcp_waits(void)
{
	int l = bound(SOCK_STREAM, 7411);
	listen(l, 4);
	target_fd = l;
	cancel_blocked("tcp accept", acceptor);
	/* The listener still takes the next connection. */
	int c = connected_to(7411);
	int a = accept(l, NULL, NULL);
	printf("after: accept %s\n", a >= 0 ? "a connection" : errname(errno));

	target_fd = a;
	cancel_blocked("tcp recv", receiver);
	cancel_blocked("tcp read", reader);
	/* The connection still carries what comes next, whole. */
	write(c, "hi", 2);
	char buf[4] = {0};
	ssize_t n = recv(a, buf, sizeof(buf), 0);
	printf("after: recv %zd '%s'\n", n < 0 ? -1 : n, n > 0 ? buf : "");
	close(a);
	close(c);
	close(l);
}

static void udp_waits(void)
{
	int u = bound(SOCK_DGRAM, 7412);
	target_fd = u;
	cancel_blocked("udp recvfrom", from_receiver);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = loopback(7412);
	sendto(s, "dgram", 5, 0, (struct sockaddr *)&a, sizeof(a));
	char buf[8] = {0};
	ssize_t n = recv(u, buf, sizeof(buf), 0);
	printf("after: udp recv %zd '%s'\n", n, n > 0 ? buf : "");
	close(s);
	close(u);
}

static void unix_waits(void)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX, .sun_path = "/tmp/cancelpoints.sock"};
	unlink(a.sun_path);
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(l, (struct sockaddr *)&a, sizeof(a));
	listen(l, 4);
	target_fd = l;
	cancel_blocked("unix accept", acceptor);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	int err = connect(c, (struct sockaddr *)&a, sizeof(a));
	int s = accept(l, NULL, NULL);
	printf("after: unix connect %s, accept %s\n", errname(err ? errno : 0),
	       s >= 0 ? "a connection" : errname(errno));
	target_fd = s;
	cancel_blocked("unix stream recv", receiver);
	write(c, "u", 1);
	byte = 0;
	ssize_t stream_n = recv(s, &byte, 1, 0);
	printf("after: unix stream recv %zd '%c'\n", stream_n, byte);
	close(s);
	close(c);
	close(l);
	unlink(a.sun_path);

	int pair[2];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, pair);
	target_fd = pair[0];
	cancel_blocked("unix dgram recv", receiver);
	write(pair[1], "d", 1);
	byte = 0;
	ssize_t dgram_n = recv(pair[0], &byte, 1, 0);
	printf("after: unix dgram recv %zd '%c'\n", dgram_n, byte);
	close(pair[0]);
	close(pair[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	sem_init(&started, 0, 0);
	sem_init(&never, 0, 0);
	/* sigwait takes only blocked signals: blocked here, before any thread starts. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);

	descriptor_waits();
	signal_and_time_waits();
	tcp_waits();
	udp_waits();
	unix_waits();
	return 0;
}
