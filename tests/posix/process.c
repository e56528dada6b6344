/* process.c - prctl names, nice values, CPU affinity, CPU-time clocks, getrusage,
 * getloadavg, mremap and chroot. The host has more CPUs and other load than a VM: what
 * is printed is what both must agree on (CPU 0 in the mask, times that grow). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static volatile uint64_t sink;

static void burn(void)
{
	for (uint64_t i = 0; i < 20000000; i++)
		sink += i;
}

static uint64_t ns_of(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *thread_main(void *arg)
{
	char name[16];

	(void)arg;
	prctl(PR_GET_NAME, name);
	printf("thread inherits the name: %s\n", name);
	CHECK(prctl(PR_SET_NAME, "worker"));
	prctl(PR_GET_NAME, name);
	printf("thread name: %s\n", name);
	return NULL;
}

int main(void)
{
	char name[32];
	pthread_t t;

	/* prctl: names are 16 bytes with the NUL, per thread. */
	CHECK(prctl(PR_SET_NAME, "a-very-long-thread-name"));
	memset(name, 'x', sizeof(name));
	CHECK(prctl(PR_GET_NAME, name));
	printf("name: %s (byte 15 is %d)\n", name, name[15]);
	CHECK(prctl(PR_SET_NAME, "main"));
	pthread_create(&t, NULL, thread_main, NULL);
	pthread_join(t, NULL);
	prctl(PR_GET_NAME, name);
	printf("main's name kept: %s\n", name);
	CHECK(pthread_getname_np(pthread_self(), name, sizeof(name)));
	printf("pthread_getname_np: %s\n", name);
	CHECK(prctl(PR_GET_DUMPABLE));
	CHECK(prctl(PR_SET_DUMPABLE, 2));
	CHECK(prctl(PR_SET_DUMPABLE, 0));
	CHECK(prctl(PR_GET_DUMPABLE));
	CHECK(prctl(PR_SET_DUMPABLE, 1));
	int sig = -1;
	CHECK(prctl(PR_SET_PDEATHSIG, 9));
	CHECK(prctl(PR_GET_PDEATHSIG, &sig));
	printf("pdeathsig %d\n", sig);
	CHECK(prctl(PR_SET_PDEATHSIG, 1000));
	CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0));
	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	CHECK(prctl(PR_CAPBSET_READ, 0));
	CHECK(prctl(PR_CAPBSET_READ, 1000));
	CHECK(prctl(PR_SET_KEEPCAPS, 1));
	CHECK(prctl(PR_GET_KEEPCAPS));
	CHECK(prctl(PR_SET_KEEPCAPS, 0));
	CHECK(prctl(PR_SET_CHILD_SUBREAPER, 1));
	int sub = -1;
	CHECK(prctl(PR_GET_CHILD_SUBREAPER, &sub));
	printf("subreaper %d\n", sub);
	CHECK(prctl(PR_GET_SECCOMP));
	CHECK(prctl(12345));

	/* Nice values: root may lower them; out-of-range values are clamped. */
	CHECK(getpriority(PRIO_PROCESS, 0));
	CHECK(setpriority(PRIO_PROCESS, 0, 5));
	CHECK(getpriority(PRIO_PROCESS, 0));
	CHECK(setpriority(PRIO_PROCESS, 0, 100));
	CHECK(getpriority(PRIO_PROCESS, 0));
	CHECK(setpriority(PRIO_PROCESS, 0, -100));
	CHECK(getpriority(PRIO_PROCESS, 0));
	CHECK(setpriority(PRIO_PROCESS, 0, 0));
	CHECK(getpriority(PRIO_PROCESS, getpid()));
	CHECK(getpriority(PRIO_PGRP, 0));
	/* PRIO_USER answers the best value of all the user's processes: the host has more. */
	CHECK(getpriority(PRIO_USER, 0) <= 0);
	CHECK(getpriority(PRIO_USER, getuid()) <= 0);
	CHECK(getpriority(PRIO_PROCESS, 999999));
	CHECK(setpriority(PRIO_PROCESS, 999999, 1));
	CHECK(getpriority(PRIO_PGRP, 999999));
	CHECK(getpriority(PRIO_USER, 54321));
	CHECK(getpriority(7, 0));
	CHECK(setpriority(7, 0, 1));
	CHECK(nice(1));
	CHECK(nice(-1));

	/* Affinity: CPU 0 is in the mask; a mask without an online CPU is refused. */
	cpu_set_t set;
	CPU_ZERO(&set);
	CHECK(sched_getaffinity(0, sizeof(set), &set));
	printf("CPU 0 in the mask: %d\n", CPU_ISSET(0, &set) != 0);
	CHECK(sched_getaffinity(0, 4, &set));
	CHECK(sched_getaffinity(0, 0, &set));
	CHECK(sched_getaffinity(999999, sizeof(set), &set));
	CPU_ZERO(&set);
	CPU_SET(1023, &set);
	CHECK(sched_setaffinity(0, sizeof(set), &set));
	CPU_ZERO(&set);
	CHECK(sched_setaffinity(0, sizeof(set), &set));
	CPU_SET(0, &set);
	CHECK(sched_setaffinity(999999, sizeof(set), &set));
	CHECK(sched_setaffinity(0, sizeof(set), &set));
	CHECK(sched_setaffinity(getpid(), sizeof(set), &set));
	CPU_ZERO(&set);
	CHECK(sched_getaffinity(0, sizeof(set), &set));
	printf("after setting CPU 0: count %d, CPU 0 %d\n", CPU_COUNT(&set),
	       CPU_ISSET(0, &set) != 0);
	CHECK(sched_getcpu());
	CHECK(pthread_getaffinity_np(pthread_self(), sizeof(set), &set));
	printf("pthread mask: count %d, CPU 0 %d\n", CPU_COUNT(&set), CPU_ISSET(0, &set) != 0);
	CHECK(pthread_setaffinity_np(pthread_self(), sizeof(set), &set));
	cpu_set_t none;
	CPU_ZERO(&none);
	CHECK(pthread_setaffinity_np(pthread_self(), sizeof(none), &none));
	cpu_set_t *big = CPU_ALLOC(2048);
	size_t bigsize = CPU_ALLOC_SIZE(2048);
	CPU_ZERO_S(bigsize, big);
	CPU_SET_S(0, bigsize, big);
	CPU_SET_S(2000, bigsize, big);
	printf("CPU_ALLOC_SIZE(2048) %zu, count %d, 2000 set %d\n", bigsize,
	       CPU_COUNT_S(bigsize, big), CPU_ISSET_S(2000, bigsize, big) != 0);
	CPU_FREE(big);

	/* CPU time: every clock grows while the thread computes. */
	clockid_t cid;
	struct timespec ts;
	CHECK(pthread_getcpuclockid(pthread_self(), &cid));
	CHECK(clock_getcpuclockid(0, &cid));
	printf("process clock id: %ld\n", (long)(int)cid);
	CHECK(clock_getcpuclockid(getpid(), &cid));
	printf("process clock id is negative: %d\n", (int)cid < 0);
	CHECK(clock_gettime(cid, &ts));
	CHECK(clock_getcpuclockid(999999, &cid));
	pthread_getcpuclockid(pthread_self(), &cid);
	CHECK(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &ts));
	CHECK(clock_getres(CLOCK_THREAD_CPUTIME_ID, &ts));
	uint64_t p0 = ns_of(CLOCK_PROCESS_CPUTIME_ID), t0 = ns_of(CLOCK_THREAD_CPUTIME_ID),
	         c0 = ns_of(cid);
	struct rusage ru0, ru1;
	CHECK(getrusage(RUSAGE_SELF, &ru0));
	burn();
	uint64_t p1 = ns_of(CLOCK_PROCESS_CPUTIME_ID), t1 = ns_of(CLOCK_THREAD_CPUTIME_ID),
	         c1 = ns_of(cid);
	CHECK(getrusage(RUSAGE_SELF, &ru1));
	printf("process CPU time grew: %d\n", p1 > p0 && p0 > 0);
	printf("thread CPU time grew: %d\n", t1 > t0 && t0 > 0);
	printf("pthread clock grew: %d\n", c1 > c0 && c0 > 0);
	printf("thread time <= process time: %d\n", t1 <= p1);
	printf("rusage user time grew: %d\n",
	       ru1.ru_utime.tv_sec * 1000000 + ru1.ru_utime.tv_usec >
	           ru0.ru_utime.tv_sec * 1000000 + ru0.ru_utime.tv_usec);
	printf("ru_maxrss > 0: %d\n", ru1.ru_maxrss > 0);
	CHECK(getrusage(RUSAGE_THREAD, &ru1));
	CHECK(getrusage(RUSAGE_CHILDREN, &ru1));
	printf("children: %ld %ld\n", (long)ru1.ru_utime.tv_sec, (long)ru1.ru_utime.tv_usec);
	CHECK(getrusage(5, &ru1));
	CHECK(clock_gettime((clockid_t)-2000000000, &ts));

	/* Load averages: three, not negative. */
	double load[3] = {-1, -1, -1};
	CHECK(getloadavg(load, 3));
	printf("loads >= 0: %d\n", load[0] >= 0 && load[1] >= 0 && load[2] >= 0);
	CHECK(getloadavg(load, 5));
	CHECK(getloadavg(load, 0));
	CHECK(getloadavg(load, -1));

	/* mremap: shrink in place, grow only by moving, the contents kept. */
	size_t page = 4096;
	char *m = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(m, 'a', 4 * page);
	CHECK(mremap(m, 4 * page, 2 * page, 0) == m);
	CHECK(mremap(m + 1, 2 * page, page, 0));
	CHECK(mremap(m, 2 * page, 0, 0));
	CHECK(mremap(m, 2 * page, page, 99));
	CHECK(mremap(m, 2 * page, page, MREMAP_FIXED));
	CHECK(mremap(m, 2 * page, 3 * page, MREMAP_DONTUNMAP));
	void *g = mremap(m, 2 * page, 64 * page, MREMAP_MAYMOVE);
	printf("grown: %d, kept %d, zero after %d\n", g != MAP_FAILED,
	       g != MAP_FAILED && ((char *)g)[2 * page - 1] == 'a',
	       g != MAP_FAILED && ((char *)g)[2 * page] == 0);
	CHECK(munmap(g, 64 * page));

	/* chroot: "/" becomes the directory; the working directory stays outside. */
	mkdir("/tmp/vmos-jail", 0755);
	mkdir("/tmp/vmos-jail/inside", 0755);
	int fd = open("/tmp/vmos-jail/inside/file", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	close(fd);
	CHECK(chroot("/tmp/vmos-jail/missing"));
	CHECK(chroot("/tmp/vmos-jail/inside/file"));
	chdir("/");
	CHECK(chroot("/tmp/vmos-jail"));
	struct stat st;
	CHECK(stat("/inside/file", &st));
	CHECK(stat("/../inside/file", &st));
	CHECK(stat("/tmp", &st));
	char cwd[256];
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(chdir("/inside"));
	printf("cwd: %s\n", getcwd(cwd, sizeof(cwd)));
	CHECK(chdir(".."));
	CHECK(chdir(".."));
	printf("cwd: %s\n", getcwd(cwd, sizeof(cwd)));
	CHECK(unlink("/inside/file"));
	CHECK(rmdir("/inside"));
	return 0;
}
