/* signals.c - signals in a one-process VM: handlers are stored process-wide; raise() and
 * kill() to oneself deliver synchronously (the handler runs, or the default action: end
 * the process with status 128 + signal, or ignore for SIGCHLD, SIGURG, SIGWINCH, SIGCONT);
 * nothing arrives asynchronously, so alarm() and the mask are recorded only. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "kernel/clock.h"
#include "kernel/kernel.h"
#include "posix/posix.h"

#define VMOS_PID 1

static struct sigaction actions[NSIG];
static sigset_t blocked;
static uint64_t alarm_deadline_ns;

static int ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (sig <= 0 || sig >= NSIG || ((sig == SIGKILL || sig == SIGSTOP) && act))
		return (int)posix_result(-EINVAL);
	if (old)
		*old = actions[sig];
	if (act)
		actions[sig] = *act;
	return 0;
}

_sig_func_ptr signal(int sig, _sig_func_ptr handler)
{
	struct sigaction act, old;

	memset(&act, 0, sizeof(act));
	act.sa_handler = handler;
	if (sigaction(sig, &act, &old))
		return SIG_ERR;
	return old.sa_handler;
}

int raise(int sig)
{
	if (sig < 0 || sig >= NSIG)
		return (int)posix_result(-EINVAL);
	if (sig == 0)
		return 0; /* signal 0 only checks that the target exists */
	struct sigaction *a = &actions[sig];
	if (a->sa_handler == SIG_IGN)
		return 0;
	if (a->sa_handler == SIG_DFL) {
		if (ignored_by_default(sig))
			return 0;
		kprintf("%s: terminated by signal %d%s\n", posix_program_name, sig,
		        sig == SIGABRT ? " (abort)" : "");
		kprintf("kernel: exit %d\n", 128 + sig);
		kernel_exit(128 + sig);
	}
	a->sa_handler(sig);
	return 0;
}

int kill(pid_t pid, int sig)
{
	if (pid != VMOS_PID && pid != 0 && pid != -1)
		return (int)posix_result(-ESRCH);
	if (sig < 0 || sig >= NSIG)
		return (int)posix_result(-EINVAL);
	return sig == 0 ? 0 : raise(sig);
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	if (old)
		*old = blocked;
	if (!set)
		return 0;
	switch (how) {
	case SIG_BLOCK:
		blocked |= *set;
		return 0;
	case SIG_UNBLOCK:
		blocked &= ~*set;
		return 0;
	case SIG_SETMASK:
		blocked = *set;
		return 0;
	default:
		return (int)posix_result(-EINVAL);
	}
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	int r = sigprocmask(how, set, old);
	return r ? errno : 0;
}

/* Recorded, never delivered: returns what is left of the previous alarm, like alarm(2). */
unsigned alarm(unsigned seconds)
{
	uint64_t now = clock_monotonic_ns();
	unsigned left = 0;

	if (alarm_deadline_ns > now)
		left = (unsigned)((alarm_deadline_ns - now + 999999999u) / 1000000000u);
	alarm_deadline_ns = seconds ? now + (uint64_t)seconds * 1000000000u : 0;
	return left;
}
