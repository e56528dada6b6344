/* sigwait.c - waiting for signals: sigsuspend and pause (the handler runs in the waiting
 * thread, then -1 EINTR), sigwait, sigwaitinfo and sigtimedwait (take a signal of the set
 * off the pending set, waiting until one comes), and pthread_kill. Signals are the
 * process's (posix/signal/signals.c): the mask is one for every thread, and a signal sent
 * to another thread with pthread_kill goes to whichever thread waits for it in sigwait or
 * sigsuspend, or else is delivered in the sending thread (threads are cooperative: the
 * target cannot be interrupted). A wait is not interrupted by a handler run elsewhere. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kernel/clock.h"
#include "posix/posix.h"
#include "posix/signal/signal_internal.h"
#include "posix/thread/pthread_internal.h"

int sigsuspend(const sigset_t *mask)
{
	sigset_t old;
	unsigned long ran = posix_signal_handlers_run();

	if (!mask)
		return (int)posix_result(-EFAULT);
	posix_signal_waiting(NULL, +1);
	sigprocmask(SIG_SETMASK, mask, &old); /* delivers what it unblocks, here */
	while (posix_signal_handlers_run() == ran) {
		if (posix_cancel_wait(&posix_signal_wq, NULL) == -ECANCELED) {
			posix_signal_waiting(NULL, -1);
			sigprocmask(SIG_SETMASK, &old, NULL);
			posix_cancel_act();
		}
		posix_signal_deliver_pending();
	}
	posix_signal_waiting(NULL, -1);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return (int)posix_result(-EINTR);
}

int pause(void)
{
	sigset_t mask;

	sigprocmask(SIG_BLOCK, NULL, &mask);
	return sigsuspend(&mask);
}

/* Take a signal of @set, waiting until @d (NULL: for ever). Returns it, or -EAGAIN when
 * @d passed first. SIGKILL and SIGSTOP are never waited for. */
static int wait_for(const sigset_t *set, siginfo_t *info, const struct posix_deadline *d)
{
	sigset_t want = *set & ~(((sigset_t)1 << SIGKILL) | ((sigset_t)1 << SIGSTOP));
	siginfo_t si;
	int sig;

	posix_signal_waiting(&want, +1);
	while (!(sig = posix_signal_take(&want, &si))) {
		int err = posix_cancel_wait(&posix_signal_wq, d);
		if (err == -ECANCELED) {
			posix_signal_waiting(&want, -1);
			posix_cancel_act();
		}
		if (err == -ETIMEDOUT) {
			sig = posix_signal_take(&want, &si);
			break;
		}
	}
	posix_signal_waiting(&want, -1);
	if (!sig)
		return -EAGAIN;
	if (info)
		*info = si;
	return sig;
}

int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
	if (!set)
		return (int)posix_result(-EFAULT);
	return (int)posix_result(wait_for(set, info, NULL));
}

int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	struct posix_deadline d;

	if (!set)
		return (int)posix_result(-EFAULT);
	if (!timeout)
		return sigwaitinfo(set, info);
	if (timeout->tv_sec < 0 || timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000)
		return (int)posix_result(-EINVAL);
	d.clock = CLOCK_MONOTONIC;
	uint64_t ns = (uint64_t)timeout->tv_sec * 1000000000u + (uint64_t)timeout->tv_nsec;
	d.ns = clock_monotonic_ns() + ns;
	if (d.ns < ns)
		d.ns = UINT64_MAX;
	return (int)posix_result(wait_for(set, info, &d));
}

/* sigwait returns an error number, as POSIX says, and never EINTR. */
int sigwait(const sigset_t *set, int *sig)
{
	if (!set || !sig)
		return EFAULT;
	int r = wait_for(set, NULL, NULL);
	if (r < 0)
		return -r;
	*sig = r;
	return 0;
}

/* pthread_kill - @sig to @thread: 0 or EINVAL for a bad signal number (0 only checks). A
 * thread that has ended but is not joined still answers 0, as glibc's. The calling thread
 * itself gets it as from raise(); any other as the process's signal (see above). */
int pthread_kill(pthread_t thread, int sig)
{
	if (sig < 0 || sig >= NSIG)
		return EINVAL;
	if (!thread)
		return ESRCH;
	if (sig == 0 || posix_thread_ended(thread))
		return 0; /* glibc sends nothing to a thread that has ended */
	if (pthread_equal(thread, pthread_self())) {
		raise(sig);
		return 0;
	}
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = SI_USER;
	posix_signal_arrive(sig, &si, 0);
	return 0;
}
