/* eventfd.c - differential test of the two counter descriptors: eventfd (counter and
 * semaphore modes, blocking and EAGAIN, the overflow rule, bad sizes and flags, helpers)
 * and timerfd (one-shot and periodic, relative and absolute on both clocks, the count of
 * expirations, gettime, the EINVAL/EBADF/EFAULT cases), each through read, poll, select and
 * epoll, and between threads. Times are printed as yes/no against generous bounds. */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define LONG_WAIT_MS 20000

static uint64_t value;

static void show_read(const char *what, int fd, size_t len)
{
	value = 0;
	errno = 0;
	ssize_t n = read(fd, &value, len);
	printf("%s: %ld %s value %llu\n", what, (long)n, errname(n < 0 ? errno : 0),
	       (unsigned long long)value);
}

static void show_write(const char *what, int fd, uint64_t v, size_t len)
{
	errno = 0;
	ssize_t n = write(fd, &v, len);
	printf("%s: %ld %s\n", what, (long)n, errname(n < 0 ? errno : 0));
}

static void show_poll_for(const char *what, int fd, short events, int timeout)
{
	struct pollfd p = {.fd = fd, .events = events};
	int n = poll(&p, 1, timeout);
	printf("%s: poll %d in %d out %d err %d\n", what, n, !!(p.revents & POLLIN),
	       !!(p.revents & POLLOUT), !!(p.revents & POLLERR));
}

static void show_poll(const char *what, int fd, int timeout)
{
	show_poll_for(what, fd, POLLIN | POLLOUT, timeout);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* --- eventfd --- */

static void *write_later(void *arg)
{
	sleep_ms(50);
	uint64_t v = 42;
	if (write(*(int *)arg, &v, sizeof(v)) != sizeof(v))
		printf("thread write failed\n");
	return NULL;
}

static void *read_later(void *arg)
{
	uint64_t v;
	sleep_ms(50);
	if (read(*(int *)arg, &v, sizeof(v)) != sizeof(v))
		printf("thread read failed\n");
	return NULL;
}

static void test_eventfd_basics(void)
{
	struct stat st;

	CHECK(eventfd(0, 0x10));
	CHECK(eventfd(0, TFD_TIMER_ABSTIME << 1));
	int fd = eventfd(5, 0);
	printf("eventfd(5, 0) >= 0: %d\n", fd >= 0);
	printf("access mode O_RDWR: %d, nonblocking %d, cloexec %d\n",
	       (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR, !!(fcntl(fd, F_GETFL) & O_NONBLOCK),
	       fcntl(fd, F_GETFD));
	CHECK(fstat(fd, &st));
	printf("fstat: mode %o type bits %o\n", (unsigned)(st.st_mode & 07777),
	       (unsigned)(st.st_mode & S_IFMT));
	CHECK(lseek(fd, 0, SEEK_CUR));
	CHECK(lseek(fd, 100, SEEK_SET));
	char b[8];
	CHECK(pread(fd, b, 8, 0));
	show_read("read 4 bytes", fd, 4);
	show_write("write 4 bytes", fd, 1, 4);
	show_poll("counter 5", fd, 0);
	show_read("read", fd, 8);
	show_poll("counter 0", fd, 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	show_read("read nonblocking, counter 0", fd, 8);
	show_write("write 3", fd, 3, 8);
	show_write("write 4", fd, 4, 8);
	show_write("write 0", fd, 0, 8);
	show_read("read 16-byte buffer", fd, 16);
	show_write("write UINT64_MAX", fd, UINT64_MAX, 8);
	show_write("write 0xfffffffffffffffe", fd, UINT64_MAX - 1, 8);
	show_poll("counter at the maximum", fd, 0);
	show_write("write 1 more (nonblocking)", fd, 1, 8);
	show_write("write 0 at the maximum", fd, 0, 8);
	show_read("read", fd, 8);
	uint64_t pair[2] = {1, 2};
	CHECK(write(fd, pair, sizeof(pair)));
	eventfd_t v = 0;
	CHECK(eventfd_write(fd, 9));
	CHECK(eventfd_read(fd, &v));
	printf("eventfd_read value: %llu\n", (unsigned long long)v);
	CHECK(eventfd_read(fd, &v));
	CHECK(close(fd));

	fd = eventfd(1, EFD_CLOEXEC | EFD_NONBLOCK);
	printf("EFD_CLOEXEC|EFD_NONBLOCK: cloexec %d nonblocking %d\n",
	       fcntl(fd, F_GETFD) == FD_CLOEXEC, !!(fcntl(fd, F_GETFL) & O_NONBLOCK));
	close(fd);

	fd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
	show_read("semaphore read 1", fd, 8);
	show_read("semaphore read 2", fd, 8);
	show_write("semaphore write 5", fd, 5, 8);
	for (int i = 0; i < 6; i++)
		show_read("semaphore read", fd, 8);
	close(fd);
	CHECK(eventfd_read(-1, &v));
	CHECK(eventfd_write(12345, 1));
}

static void test_eventfd_waits(void)
{
	int fd = eventfd(0, 0);
	pthread_t t;

	pthread_create(&t, NULL, write_later, &fd);
	show_read("blocking read, written by a thread", fd, 8);
	pthread_join(t, NULL);

	pthread_create(&t, NULL, write_later, &fd);
	show_poll_for("poll for input while a thread writes", fd, POLLIN, LONG_WAIT_MS);
	pthread_join(t, NULL);
	show_read("read", fd, 8);

	fd_set rd, wr;
	struct timeval tv = {0, 0};
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(fd, &rd);
	FD_SET(fd, &wr);
	int n = select(fd + 1, &rd, &wr, NULL, &tv);
	printf("select empty: %d readable %d writable %d\n", n, !!FD_ISSET(fd, &rd),
	       !!FD_ISSET(fd, &wr));
	pthread_create(&t, NULL, write_later, &fd);
	FD_ZERO(&rd);
	FD_SET(fd, &rd);
	tv.tv_sec = LONG_WAIT_MS / 1000;
	n = select(fd + 1, &rd, NULL, NULL, &tv);
	printf("select while a thread writes: %d readable %d\n", n, !!FD_ISSET(fd, &rd));
	pthread_join(t, NULL);

	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 77}, out[2];
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	n = epoll_wait(ep, out, 2, 0);
	printf("epoll with counter 42: %d data %llu in %d\n", n,
	       (unsigned long long)out[0].data.u64, !!(out[0].events & EPOLLIN));
	show_read("read", fd, 8);
	printf("epoll with counter 0: %d\n", epoll_wait(ep, out, 2, 0));
	pthread_create(&t, NULL, write_later, &fd);
	n = epoll_wait(ep, out, 2, LONG_WAIT_MS);
	printf("epoll while a thread writes: %d data %llu\n", n,
	       (unsigned long long)out[0].data.u64);
	pthread_join(t, NULL);
	show_read("read", fd, 8);

	/* A write that must wait for a reader to make room. */
	uint64_t big = UINT64_MAX - 1;
	if (write(fd, &big, 8) != 8)
		printf("write of the maximum failed\n");
	pthread_create(&t, NULL, read_later, &fd);
	show_write("blocking write, room made by a thread", fd, 5, 8);
	pthread_join(t, NULL);
	show_read("read", fd, 8);
	close(ep);
	close(fd);
}

/* --- timerfd --- */

static struct itimerspec spec(long vs, long vns, long is, long ins)
{
	struct itimerspec s = {.it_value = {vs, vns}, .it_interval = {is, ins}};
	return s;
}

static void show_gettime(const char *what, int fd, long max_value_ms)
{
	struct itimerspec cur;
	int rc = timerfd_gettime(fd, &cur);
	long ms = cur.it_value.tv_sec * 1000 + cur.it_value.tv_nsec / 1000000;
	int zero = cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0;
	printf("%s: gettime %d, value zero %d, value at most %ld ms %d, interval %ld.%09ld\n", what,
	       rc, zero, max_value_ms, ms <= max_value_ms, (long)cur.it_interval.tv_sec,
	       cur.it_interval.tv_nsec);
}

static void settime(const char *what, int fd, int flags, struct itimerspec s)
{
	errno = 0;
	int rc = timerfd_settime(fd, flags, &s, NULL);
	printf("%s: settime %d %s\n", what, rc, errname(rc ? errno : 0));
}

static void test_timerfd_errors(void)
{
	struct itimerspec s = spec(1, 0, 0, 0), cur;

	CHECK(timerfd_create(12345, 0));
	CHECK(timerfd_create(CLOCK_MONOTONIC, TFD_TIMER_ABSTIME));
	CHECK(timerfd_create(CLOCK_MONOTONIC_COARSE, 0));
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	printf("timerfd_create(MONOTONIC, 0) >= 0: %d, access mode O_RDWR %d, cloexec %d\n",
	       fd >= 0, (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR, fcntl(fd, F_GETFD));
	int efd = eventfd(0, 0);
	CHECK(timerfd_settime(fd, 4, &s, NULL));
	CHECK(timerfd_settime(fd, 0, NULL, NULL));
	s = spec(0, 1000000000, 0, 0);
	CHECK(timerfd_settime(fd, 0, &s, NULL));
	s = spec(-1, 0, 0, 0);
	CHECK(timerfd_settime(fd, 0, &s, NULL));
	s = spec(1, 0, 0, -1);
	CHECK(timerfd_settime(fd, 0, &s, NULL));
	s = spec(1, 0, 0, 0);
	CHECK(timerfd_settime(efd, 0, &s, NULL));
	CHECK(timerfd_settime(999, 0, &s, NULL));
	CHECK(timerfd_settime(999, 4, &s, NULL));
	CHECK(timerfd_gettime(efd, &cur));
	CHECK(timerfd_gettime(999, &cur));
	show_gettime("new timer", fd, 0);
	show_write("write to a timerfd", fd, 1, 8);
	CHECK(lseek(fd, 0, SEEK_CUR));
	close(efd);
	close(fd);
	fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
	printf("TFD_CLOEXEC|TFD_NONBLOCK: cloexec %d nonblocking %d\n",
	       fcntl(fd, F_GETFD) == FD_CLOEXEC, !!(fcntl(fd, F_GETFL) & O_NONBLOCK));
	close(fd);
	fd = timerfd_create(CLOCK_BOOTTIME, 0);
	printf("timerfd_create(BOOTTIME) >= 0: %d\n", fd >= 0);
	close(fd);
}

static void test_timerfd_expiry(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	struct itimerspec old;

	show_read("disarmed read", fd, 8);
	show_read("read 4 bytes", fd, 4);
	settime("one-shot 50 ms", fd, 0, spec(0, 50000000, 0, 0));
	show_gettime("armed one-shot", fd, 50);
	show_poll("one-shot, waiting", fd, LONG_WAIT_MS);
	show_read("read", fd, 8);
	show_gettime("expired one-shot", fd, 0);
	show_read("read again", fd, 8);
	show_poll("expired one-shot, read", fd, 0);

	int64_t start = mono_ms();
	settime("periodic 20 ms", fd, 0, spec(0, 20000000, 0, 20000000));
	sleep_ms(300);
	uint64_t ticks = 0;
	ssize_t n = read(fd, &ticks, 8);
	int64_t took = mono_ms() - start;
	printf("periodic read: %ld, at least 10 ticks %d, not more than elapsed/20+1 %d\n", (long)n,
	       ticks >= 10, (int64_t)ticks <= took / 20 + 1);
	show_gettime("periodic", fd, 20);
	struct itimerspec s = spec(5, 0, 0, 0);
	printf("settime with old value: %d\n", timerfd_settime(fd, 0, &s, &old));
	printf("old interval %ld.%09ld, old value at most 20 ms %d\n", (long)old.it_interval.tv_sec,
	       old.it_interval.tv_nsec,
	       old.it_value.tv_sec == 0 && old.it_value.tv_nsec <= 20000000);
	show_gettime("re-armed 5 s", fd, 5000);
	show_read("read after settime (count restarts)", fd, 8);
	settime("disarm", fd, 0, spec(0, 0, 1, 0));
	show_gettime("disarmed", fd, 0);
	show_poll("disarmed, 100 ms", fd, 100);

	struct timespec now;
	/* A VM's monotonic clock starts near 0: make "1 s ago" a valid time. */
	if (mono_ms() < 2000)
		sleep_ms(2000 - mono_ms());
	clock_gettime(CLOCK_MONOTONIC, &now);
	settime("absolute 1 s in the past, period 100 ms", fd, TFD_TIMER_ABSTIME,
	        spec(now.tv_sec - 1, now.tv_nsec, 0, 100000000));
	show_poll("absolute in the past", fd, 0);
	ticks = 0;
	n = read(fd, &ticks, 8);
	printf("read: %ld, at least 11 ticks %d, fewer than 200 %d\n", (long)n, ticks >= 11,
	       ticks < 200);
	settime("absolute one-shot at 1 ns", fd, TFD_TIMER_ABSTIME, spec(0, 1, 0, 0));
	show_read("read", fd, 8);
	close(fd);

	fd = timerfd_create(CLOCK_REALTIME, 0);
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_nsec += 50000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	start = mono_ms();
	settime("realtime absolute +50 ms, cancel on set", fd,
	        TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, spec(now.tv_sec, now.tv_nsec, 0, 0));
	show_read("blocking read", fd, 8);
	printf("waited at least 40 ms: %d\n", mono_ms() - start >= 40);
	settime("realtime relative 30 ms", fd, 0, spec(0, 30000000, 0, 0));
	show_read("blocking read", fd, 8);
	close(fd);
}

static void test_timerfd_waits(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 99}, out[2];

	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	printf("epoll, disarmed: %d\n", epoll_wait(ep, out, 2, 0));
	settime("30 ms", fd, 0, spec(0, 30000000, 0, 0));
	int n = epoll_wait(ep, out, 2, LONG_WAIT_MS);
	printf("epoll_wait: %d data %llu in %d\n", n, (unsigned long long)out[0].data.u64,
	       !!(out[0].events & EPOLLIN));
	show_read("read", fd, 8);
	printf("epoll after read: %d\n", epoll_wait(ep, out, 2, 0));

	settime("30 ms", fd, 0, spec(0, 30000000, 0, 0));
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(fd, &rd);
	struct timeval tv = {LONG_WAIT_MS / 1000, 0};
	n = select(fd + 1, &rd, NULL, NULL, &tv);
	printf("select: %d readable %d\n", n, !!FD_ISSET(fd, &rd));
	show_read("read", fd, 8);

	/* Two timers in one poll: the earlier one wakes it. */
	int fd2 = timerfd_create(CLOCK_MONOTONIC, 0);
	settime("first 10 s", fd, 0, spec(10, 0, 0, 0));
	settime("second 40 ms", fd2, 0, spec(0, 40000000, 0, 0));
	struct pollfd p[2] = {{.fd = fd, .events = POLLIN}, {.fd = fd2, .events = POLLIN}};
	n = poll(p, 2, LONG_WAIT_MS);
	printf("poll two timers: %d first %d second %d\n", n, p[0].revents, p[1].revents);
	show_read("read second", fd2, 8);
	close(fd2);
	close(ep);
	close(fd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_eventfd_basics();
	test_eventfd_waits();
	test_timerfd_errors();
	test_timerfd_expiry();
	test_timerfd_waits();
	return 0;
}
