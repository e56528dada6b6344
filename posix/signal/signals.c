/* signals.c - signals in a one-process VM: handlers, the mask and the pending set are
 * process-wide. raise() delivers synchronously (the handler runs, or the default action:
 * end the process with status 128 + signal, or ignore for SIGCHLD, SIGURG, SIGWINCH,
 * SIGCONT); a handler runs with its signal and sa_mask blocked, as on Linux. Signals that
 * arrive on their own (timers: posix/signal/itimer.c, posix/signal/timers.c) or from kill,
 * sigqueue and pthread_kill go through posix_signal_arrive (posix/signal/signal_internal.h):
 * a thread waiting in sigwait or sigsuspend (posix/signal/sigwait.c) gets them, else they
 * are delivered in the thread that sent them. Threads are cooperative, so a timer's
 * signal is delivered once the running thread blocks or sleeps, and no call is interrupted
 * (no EINTR but sigsuspend's). A signal that arrives while blocked by the mask waits, and
 * is delivered when unblocked. Standard signals do not queue: one pending instance each. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "posix/posix.h"
#include "posix/signal/signal_internal.h"

#define VMOS_PID 1

struct pending_info {
	siginfo_t info;
	uint64_t timer; /* the POSIX timer that sent it, or 0 */
};

static struct sigaction actions[NSIG];
static sigset_t blocked;
static sigset_t pending; /* arrived while blocked or waited for */
static struct pending_info pending_info[NSIG];
static int waiting[NSIG]; /* threads in sigwait for each signal */
static int suspended;     /* threads in sigsuspend */
static unsigned long handlers_run;
struct wait_queue posix_signal_wq = WAIT_QUEUE_INIT;

static int ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

static bool is_ignored(int sig)
{
	_sig_func_ptr h = actions[sig].sa_handler;

	return h == SIG_IGN || (h == SIG_DFL && ignored_by_default(sig));
}

static bool is_blocked(int sig)
{
	return (blocked >> sig) & 1;
}

static bool is_pending(int sig)
{
	return (pending >> sig) & 1;
}

static void keep_mask_valid(void)
{
	sigdelset(&blocked, SIGKILL); /* cannot be blocked: silently left out, as Linux */
	sigdelset(&blocked, SIGSTOP);
}

static siginfo_t user_info(int sig)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = SI_USER;
	si.si_pid = VMOS_PID;
	si.si_uid = getuid();
	return si;
}

/* Off the pending set: its information into @info (may be NULL); the timer that sent it
 * learns it went. */
static void unpend(int sig, siginfo_t *info)
{
	pending &= ~((sigset_t)1 << sig);
	if (info)
		*info = pending_info[sig].info;
	uint64_t timer = pending_info[sig].timer;
	pending_info[sig].timer = 0;
	if (timer)
		posix_timer_delivered(timer);
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
		if (is_ignored(sig) && is_pending(sig))
			unpend(sig, NULL);
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

/* Deliver @sig (with @info) now, in the calling thread: its handler with the signal and
 * sa_mask blocked (the mask is restored after it), or the default action. SA_SIGINFO
 * handlers get @info and, for the context, a zeroed ucontext_t (sys/ucontext.h: no
 * registers are saved for a signal sent in-process); SA_NODEFER leaves the
 * signal unblocked; SA_RESETHAND puts back SIG_DFL before the handler runs. */
static void deliver(int sig, const siginfo_t *info)
{
	struct sigaction *a = &actions[sig];

	if (a->sa_handler == SIG_IGN)
		return;
	if (a->sa_handler == SIG_DFL) {
		if (ignored_by_default(sig))
			return;
		kprintf("%s: terminated by signal %d%s\n", posix_program_name, sig,
		        sig == SIGABRT ? " (abort)" : "");
		kprintf("kernel: exit %d\n", 128 + sig);
		kernel_exit(128 + sig);
	}
	struct sigaction act = *a;
	if (act.sa_flags & SA_RESETHAND) {
		a->sa_handler = SIG_DFL;
		a->sa_flags &= ~SA_SIGINFO;
	}
	sigset_t saved = blocked;
	blocked |= act.sa_mask;
	if (!(act.sa_flags & SA_NODEFER))
		blocked |= (sigset_t)1 << sig;
	keep_mask_valid();
	if (act.sa_flags & SA_SIGINFO) {
		siginfo_t si = info ? *info : user_info(sig);
		ucontext_t context = {0};
		act.sa_sigaction(sig, &si, &context);
	} else {
		act.sa_handler(sig);
	}
	blocked = saved;
	handlers_run++;
	wait_queue_wake_all(&posix_signal_wq);
	posix_signal_deliver_pending();
}

/* Make @sig pending with @info from @timer. Returns false when it already was (the first
 * instance stays, unless it came from no timer and this one from one). */
static bool make_pending(int sig, const siginfo_t *info, uint64_t timer)
{
	if (is_pending(sig) && (pending_info[sig].timer || !timer))
		return false;
	pending |= (sigset_t)1 << sig;
	pending_info[sig].info = *info;
	pending_info[sig].timer = timer;
	wait_queue_wake_all(&posix_signal_wq);
	return true;
}

int raise(int sig)
{
	if (sig < 0 || sig >= NSIG)
		return (int)posix_result(-EINVAL);
	if (sig == 0)
		return 0; /* signal 0 only checks that the target exists */
	if (is_blocked(sig)) {
		siginfo_t si = user_info(sig);
		make_pending(sig, &si, 0); /* delivered when unblocked */
		return 0;
	}
	siginfo_t si = user_info(sig);
	si.si_code = SI_TKILL; /* what Linux's raise (tgkill) gives */
	deliver(sig, &si);
	return 0;
}

bool posix_signal_arrive(int sig, const siginfo_t *info, uint64_t timer)
{
	siginfo_t si = info ? *info : user_info(sig);

	if (!is_blocked(sig) && !waiting[sig] && is_ignored(sig)) {
		if (timer)
			posix_timer_delivered(timer);
		return false;
	}
	if (is_blocked(sig) || waiting[sig] || suspended)
		return make_pending(sig, &si, timer);
	if (timer)
		posix_timer_delivered(timer);
	deliver(sig, &si);
	return true;
}

int posix_signal_take(const sigset_t *set, siginfo_t *info)
{
	for (int sig = 1; sig < NSIG; sig++) {
		if (is_pending(sig) && ((*set >> sig) & 1)) {
			unpend(sig, info);
			return sig;
		}
	}
	return 0;
}

void posix_signal_deliver_pending(void)
{
	for (int sig = 1; sig < NSIG; sig++) {
		if (is_pending(sig) && !is_blocked(sig)) {
			siginfo_t si;
			unpend(sig, &si);
			deliver(sig, &si);
		}
	}
}

void posix_signal_forget_timer(uint64_t timer)
{
	for (int sig = 1; sig < NSIG; sig++)
		if (is_pending(sig) && pending_info[sig].timer == timer)
			unpend(sig, NULL);
}

unsigned long posix_signal_handlers_run(void)
{
	return handlers_run;
}

void posix_signal_waiting(const sigset_t *set, int delta)
{
	if (!set) {
		suspended += delta;
		return;
	}
	for (int sig = 1; sig < NSIG; sig++)
		if ((*set >> sig) & 1)
			waiting[sig] += delta;
}

int kill(pid_t pid, int sig)
{
	if (pid != VMOS_PID && pid != 0 && pid != -1)
		return (int)posix_result(-ESRCH);
	if (sig < 0 || sig >= NSIG)
		return (int)posix_result(-EINVAL);
	if (sig)
		posix_signal_arrive(sig, NULL, 0);
	return 0;
}

/* sigqueue - kill() with a value: @sig arrives with si_code SI_QUEUE and @value. */
int sigqueue(pid_t pid, int sig, const union sigval value)
{
	if (pid != VMOS_PID && pid != 0)
		return (int)posix_result(-ESRCH);
	if (sig < 0 || sig >= NSIG)
		return (int)posix_result(-EINVAL);
	if (sig) {
		siginfo_t si = user_info(sig);
		si.si_code = SI_QUEUE;
		si.si_value = value;
		posix_signal_arrive(sig, &si, 0);
	}
	return 0;
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
	keep_mask_valid();
	posix_signal_deliver_pending();
	return 0;
}

int sigpending(sigset_t *set)
{
	if (!set)
		return (int)posix_result(-EFAULT);
	*set = pending & blocked;
	return 0;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	int r = sigprocmask(how, set, old);
	return r ? errno : 0;
}
