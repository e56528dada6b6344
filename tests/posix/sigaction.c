/* sigaction.c - differential test of sigaction's flags and siginfo: SA_SIGINFO handlers
 * see si_signo, si_code (SI_USER for kill, SI_QUEUE and the value for sigqueue, SI_TKILL
 * for raise) and si_pid; SA_NODEFER leaves the signal unblocked in its handler;
 * SA_RESETHAND puts back SIG_DFL; sa_mask is blocked during the handler only; the old
 * action comes back with its flags; the errors. */
#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>

#include "common.h"

static const char *code_name(int code)
{
	return code == SI_USER    ? "SI_USER"
	       : code == SI_QUEUE ? "SI_QUEUE"
	       : code == SI_TKILL ? "SI_TKILL"
	                          : "other";
}

static int blocked_now(int sig)
{
	sigset_t now;

	sigprocmask(SIG_SETMASK, NULL, &now);
	return sigismember(&now, sig);
}

static void on_info(int sig, siginfo_t *si, void *context)
{
	printf("  SA_SIGINFO handler: sig %d signo %d code %s pid %s value %d context %s\n",
	       sig == SIGUSR1, si->si_signo == SIGUSR1, code_name(si->si_code),
	       si->si_pid == getpid() ? "mine" : "other",
	       si->si_code == SI_QUEUE ? si->si_value.sival_int : -1, context ? "given" : "NULL");
}

static void on_plain(int sig)
{
	printf("  handler: SIGUSR2 blocked in it %d, SIGHUP blocked in it %d\n", blocked_now(sig),
	       blocked_now(SIGHUP));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	struct sigaction sa = {0}, old = {0};
	int r;

	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	printf("sigaction SA_SIGINFO: %d\n", sigaction(SIGUSR1, &sa, NULL));
	printf("kill:\n");
	kill(getpid(), SIGUSR1);
	printf("sigqueue:\n");
	sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 77});
	printf("raise:\n");
	raise(SIGUSR1);
	sigaction(SIGUSR1, NULL, &old);
	printf("old action: handler kept %d, SA_SIGINFO %d, SA_RESTART %d\n",
	       old.sa_sigaction == on_info, !!(old.sa_flags & SA_SIGINFO),
	       !!(old.sa_flags & SA_RESTART));

	sa = (struct sigaction){0};
	sa.sa_handler = on_plain;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGHUP);
	sigaction(SIGUSR2, &sa, NULL);
	printf("plain handler with SIGHUP in sa_mask:\n");
	raise(SIGUSR2);
	printf("after it: SIGHUP blocked %d\n", blocked_now(SIGHUP));
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGUSR2, &sa, NULL);
	printf("SA_NODEFER:\n");
	raise(SIGUSR2);
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGUSR2, &sa, NULL);
	printf("SA_RESETHAND:\n");
	raise(SIGUSR2);
	sigaction(SIGUSR2, NULL, &old);
	printf("after SA_RESETHAND: SIG_DFL %d\n", old.sa_handler == SIG_DFL);

	printf("signal() returns the old handler: %d\n", signal(SIGUSR2, SIG_IGN) == SIG_DFL);
	printf("then: %d\n", signal(SIGUSR2, SIG_DFL) == SIG_IGN);
	errno = 0;
	r = sigaction(SIGKILL, &sa, NULL);
	printf("SIGKILL: %d %s\n", r, errname(errno));
	errno = 0;
	r = sigaction(0, &sa, NULL);
	printf("signal 0: %d %s\n", r, errname(errno));
	errno = 0;
	r = sigaction(65, &sa, NULL);
	printf("signal 65: %d %s\n", r, errname(errno));
	printf("query SIGKILL: %d\n", sigaction(SIGKILL, NULL, &old));
	return 0;
}
