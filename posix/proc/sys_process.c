/* sys_process.c - process calls for the one process a VM runs: exit, its pid, signals it
 * sends itself, times and entropy. There is no other process: fork, vfork and the exec
 * family fail with ENOSYS, wait and waitpid with ECHILD (documented in the README). */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/clock.h"
#include "kernel/cpu.h"
#include "kernel/cpufeat.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "posix/disk/disk.h"
#include "posix/posix.h"

#define VMOS_PID 1

/* The VM powers off: the disks are unmounted first, as a Linux shutdown does. */
void _exit(int status)
{
	if (posix_disks_unmount)
		posix_disks_unmount();
	kprintf("kernel: exit %d\n", status & 0xff);
	kernel_exit(status & 0xff);
}

pid_t getpid(void)
{
	return VMOS_PID;
}

pid_t fork(void)
{
	return posix_result(-ENOSYS);
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	(void)path;
	(void)argv;
	(void)envp;
	return (int)posix_result(-ENOSYS);
}

pid_t vfork(void)
{
	return posix_result(-ENOSYS);
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, NULL);
}

int execvp(const char *file, char *const argv[])
{
	return execve(file, argv, NULL);
}

/* The list forms: their arguments are never looked at, nothing can be executed. */
int execl(const char *path, const char *arg, ...)
{
	(void)arg;
	return execve(path, NULL, NULL);
}

int execlp(const char *file, const char *arg, ...)
{
	(void)arg;
	return execve(file, NULL, NULL);
}

int execle(const char *path, const char *arg, ...)
{
	(void)arg;
	return execve(path, NULL, NULL);
}

/* No process ever has children. */
pid_t wait(int *status)
{
	(void)status;
	return posix_result(-ECHILD);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	(void)pid;
	(void)status;
	(void)options;
	return posix_result(-ECHILD);
}

int gettimeofday(struct timeval *tv, void *tz)
{
	(void)tz;
	if (tv) {
		uint64_t ns = clock_realtime_ns();
		tv->tv_sec = (time_t)(ns / 1000000000u);
		tv->tv_usec = (suseconds_t)(ns % 1000000000u / 1000u);
	}
	return 0;
}

/* times() in milliseconds: newlib's clock() divides by CLOCKS_PER_SEC, which is 1000. The
 * result is the time since boot; the process's CPU time (the scheduler's, kernel/sched.h)
 * counts as user time. */
clock_t times(struct tms *t)
{
	clock_t ms = (clock_t)(clock_monotonic_ns() / 1000000u);

	if (t) {
		t->tms_utime = (clock_t)(clock_tsc_to_ns(sched_cpu_tsc()) / 1000000u);
		t->tms_stime = 0;
		t->tms_cutime = 0;
		t->tms_cstime = 0;
	}
	return ms;
}

static int rdrand64(uint64_t *v)
{
	unsigned char ok;

	for (int tries = 0; tries < 10; tries++) {
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return 1;
	}
	return 0;
}

/* getentropy - RDRAND when the CPU has it; otherwise TSC jitter mixed by splitmix64,
 * which is not cryptographic (the README says so). */
int getentropy(void *buf, size_t len)
{
	static uint64_t state;
	unsigned char *out = buf;

	if (len > 256)
		return (int)posix_result(-EIO);
	while (len) {
		uint64_t v;
		if (!cpu_features()->rdrand || !rdrand64(&v)) {
			state += rdtsc() + 0x9e3779b97f4a7c15ull;
			v = state;
			v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9ull;
			v = (v ^ (v >> 27)) * 0x94d049bb133111ebull;
			v ^= v >> 31;
		}
		size_t n = len < sizeof(v) ? len : sizeof(v);
		memcpy(out, &v, n);
		out += n;
		len -= n;
	}
	return 0;
}

/* Sessions and process groups: the one process is pid 1, the leader of session 1 and of
 * process group 1, as a Linux init is. So setsid fails as Linux fails it for a group
 * leader (EPERM); a server calls it after fork, which fails first. */
pid_t getsid(pid_t pid)
{
	if (pid != 0 && pid != getpid())
		return (pid_t)posix_result(-ESRCH);
	return getpid();
}

pid_t setsid(void)
{
	return (pid_t)posix_result(-EPERM);
}

pid_t getpgrp(void)
{
	return getpid();
}

pid_t getpgid(pid_t pid)
{
	return getsid(pid);
}

/* Already the leader of its own group: setpgid(0, 0) and the like succeed; any other
 * process or group does not exist. */
int setpgid(pid_t pid, pid_t pgid)
{
	if (pgid < 0)
		return (int)posix_result(-EINVAL);
	if (pid != 0 && pid != getpid())
		return (int)posix_result(-ESRCH);
	if (pgid != 0 && pgid != getpid())
		return (int)posix_result(-EPERM);
	return 0;
}
