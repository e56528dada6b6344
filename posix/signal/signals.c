/* signals.c - signals in a one-process VM: handlers are stored process-wide; raise() and
 * kill() to oneself deliver synchronously (the handler runs, or the default action: end
 * the process with status 128 + signal, or ignore for SIGCHLD, SIGURG, SIGWINCH, SIGCONT).
 * The one signal that arrives on its own is alarm()'s SIGALRM: a thread of this file's
 * sleeps until the alarm is due and delivers it there, as Linux may deliver a process's
 * signal in any thread that does not block it. Threads are cooperative, so it runs once
 * the running thread blocks or sleeps, and no call is interrupted (no EINTR). A signal
 * that arrives while blocked by the mask waits, and is delivered when unblocked. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "kernel/clock.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "posix/posix.h"

#define VMOS_PID 1

static struct sigaction actions[NSIG];
static sigset_t blocked;
static sigset_t pending; /* arrived while blocked */
static uint64_t alarm_deadline_ns;
static struct thread *alarm_thread;
static struct wait_queue alarm_changed = WAIT_QUEUE_INIT;

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
	if (act) {
		actions[sig] = *act;
		/* POSIX: a pending signal whose action becomes "ignore" is discarded. */
		if (act->sa_handler == SIG_IGN ||
		    (act->sa_handler == SIG_DFL && ignored_by_default(sig)))
			sigdelset(&pending, sig);
	}
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
	if (sigismember(&blocked, sig) == 1) {
		sigaddset(&pending, sig); /* delivered when unblocked */
		return 0;
	}
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

/* A signal that arrives on its own: delivered, or left pending while blocked (raise). */
static void arrive(int sig)
{
	raise(sig);
}

static void deliver_unblocked_pending(void)
{
	for (int sig = 1; sig < NSIG; sig++) {
		if (sigismember(&pending, sig) && !sigismember(&blocked, sig)) {
			sigdelset(&pending, sig);
			raise(sig);
		}
	}
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	/* As Linux: a bad @how is refused before @old is written. */
	if (set && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		return (int)posix_result(-EINVAL);
	if (old)
		*old = blocked;
	if (!set)
		return 0;
	switch (how) {
	case SIG_BLOCK:
		blocked |= *set;
		break;
	case SIG_UNBLOCK:
		blocked &= ~*set;
		break;
	case SIG_SETMASK:
		blocked = *set;
		break;
	default:
		return (int)posix_result(-EINVAL);
	}
	sigdelset(&blocked, SIGKILL); /* cannot be blocked: silently left out, as Linux */
	sigdelset(&blocked, SIGSTOP);
	deliver_unblocked_pending();
	return 0;
}

int sigpending(sigset_t *set)
{
	if (!set)
		return (int)posix_result(-EFAULT);
	*set = pending;
	return 0;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	int r = sigprocmask(how, set, old);
	return r ? errno : 0;
}

/* The alarm thread: waits until the alarm is due (or changed), then SIGALRM arrives. */
static void *alarm_main(void *arg)
{
	(void)arg;
	for (;;) {
		uint64_t now = clock_monotonic_ns();
		if (!alarm_deadline_ns) {
			wait_queue_wait(&alarm_changed, 0);
		} else if (now < alarm_deadline_ns) {
			wait_queue_wait(&alarm_changed, clock_ns_to_tsc(alarm_deadline_ns) + 1);
		} else {
			alarm_deadline_ns = 0;
			arrive(SIGALRM);
		}
	}
	return NULL;
}

/* SIGALRM in @seconds (0: cancel); returns what was left of the previous alarm. */
unsigned alarm(unsigned seconds)
{
	uint64_t now = clock_monotonic_ns();
	unsigned left = 0;

	if (alarm_deadline_ns > now)
		left = (unsigned)((alarm_deadline_ns - now + 999999999u) / 1000000000u);
	alarm_deadline_ns = seconds ? now + (uint64_t)seconds * 1000000000u : 0;
	if (seconds && !alarm_thread) {
		if (thread_create(alarm_main, NULL, 64 * 1024, &alarm_thread) != 0)
			panic("posix: cannot start the alarm thread");
		thread_detach(alarm_thread);
	}
	wait_queue_wake_all(&alarm_changed);
	return left;
}
