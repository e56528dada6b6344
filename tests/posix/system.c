/* system.c - memory mappings, resource limits, signals sent to oneself, and what the
 * system reports that Linux and VMOS agree on. */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static volatile int caught;
static volatile int alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* Wait (sleeping in short steps) until @count alarms arrived or @ms passed; returns the
 * milliseconds waited. */
static long wait_for_alarms(int count, long ms)
{
	long waited = 0;

	while (alarms < count && waited < ms) {
		usleep(10000);
		waited += 10;
	}
	return waited;
}

static void on_signal(int sig)
{
	caught = sig;
}

int main(void)
{
	struct rlimit lim;
	char path[] = "/tmp/vmos-system-XXXXXX";
	int fd;

	/* Only 0, 1 and 2 open, whatever the test harness left behind. */
	for (int i = 3; i < 1024; i++)
		close(i);

	/* mmap churn: every round's pages come back zeroed and are returned. */
	int all_zero = 1;
	for (int round = 0; round < 64; round++) {
		size_t len = (size_t)(round + 1) * 65536;
		unsigned char *p =
		    mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			printf("mmap failed in round %d: %s\n", round, errname(errno));
			return 1;
		}
		for (size_t i = 0; i < len; i += 4096)
			all_zero &= p[i] == 0;
		memset(p, 0xab, len);
		if (munmap(p, len)) {
			printf("munmap failed: %s\n", errname(errno));
			return 1;
		}
	}
	printf("mmap churn: zeroed %s\n", all_zero ? "yes" : "no");
	unsigned char *p =
	    mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(munmap(p + 4096, 4096));
	p[0] = 1;
	p[2 * 4096] = 2;
	printf("partial munmap keeps the rest: %d %d\n", p[0], p[2 * 4096]);
	CHECK(munmap(p, 3 * 4096));
	CHECK(munmap(p + 1, 4096));
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 12345, 0) == MAP_FAILED);

	fd = mkstemp(path);
	CHECK(write(fd, "mapped file contents", 20));
	char *m = mmap(NULL, 20, PROT_READ, MAP_PRIVATE, fd, 0);
	printf("private file mapping: %.20s\n", m == MAP_FAILED ? "(failed)" : m);
	if (m != MAP_FAILED)
		munmap(m, 20);
	close(fd);
	unlink(path);

	CHECK(malloc((size_t)1 << 50) == NULL);
	CHECK(sysconf(_SC_PAGESIZE));
	CHECK(getpagesize());

	/* RLIMIT_NOFILE bounds new descriptors. */
	CHECK(getrlimit(RLIMIT_NOFILE, &lim));
	lim.rlim_cur = 16;
	CHECK(setrlimit(RLIMIT_NOFILE, &lim));
	int opened = 0, last = -1;
	for (;;) {
		int d = open("/tmp", O_RDONLY);
		if (d < 0) {
			printf("open after %d descriptors: %s (last fd %d)\n", opened,
			       errname(errno), last);
			break;
		}
		opened++;
		last = d;
	}
	for (int i = 3; i <= last; i++)
		close(i);
	CHECK(dup2(1, 16));
	CHECK(dup(1));

	/* Signals sent to oneself run their handler synchronously. */
	CHECK(signal(SIGUSR1, on_signal) == SIG_ERR);
	CHECK(raise(SIGUSR1));
	printf("SIGUSR1 handler ran: %s\n", caught == SIGUSR1 ? "yes" : "no");
	struct sigaction sa, old;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	CHECK(sigaction(SIGUSR2, &sa, &old));
	printf("old SIGUSR2 handler was default: %s\n", old.sa_handler == SIG_DFL ? "yes" : "no");
	CHECK(kill(getpid(), SIGUSR2));
	printf("SIGUSR2 handler ran: %s\n", caught == SIGUSR2 ? "yes" : "no");
	CHECK(raise(SIGCHLD));
	signal(SIGUSR1, SIG_IGN);
	CHECK(raise(SIGUSR1));
	CHECK(sigaction(SIGKILL, &sa, NULL));
	CHECK(raise(0));
	CHECK(alarm(0));
	sigset_t set, was;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &set, &was));
	CHECK(sigprocmask(SIG_SETMASK, &was, NULL));
	CHECK(sigprocmask(99, &set, NULL));

	/* alarm: SIGALRM arrives when due; blocked, it waits until unblocked. */
	signal(SIGALRM, on_alarm);
	CHECK(alarm(5));
	CHECK(alarm(0));
	CHECK(alarm(1));
	long waited = wait_for_alarms(1, 3000);
	printf("alarm(1): handler ran %d time(s), after 0.5-2 s: %s\n", alarms,
	       waited >= 500 && waited <= 2000 ? "yes" : "no");
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL));
	CHECK(alarm(1));
	wait_for_alarms(2, 1500);
	printf("blocked SIGALRM: handler runs %d, pending %d\n", alarms,
	       sigpending(&was) == 0 && sigismember(&was, SIGALRM));
	CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL));
	printf("after unblocking: handler ran %d time(s)\n", alarms);
	return 0;
}
