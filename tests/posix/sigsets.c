/* sigsets.c - signal sets as functions: every valid signal added, tested and removed, the
 * numbers outside 1..NSIG-1 refused with EINVAL, and glibc's set operations. Signal
 * numbers differ between Linux and newlib, so signals are named, not numbered. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>

#include "common.h"

static const struct {
	const char *name;
	int sig;
} named[] = {
    {"SIGHUP", SIGHUP},       {"SIGINT", SIGINT},   {"SIGQUIT", SIGQUIT},   {"SIGILL", SIGILL},
    {"SIGTRAP", SIGTRAP},     {"SIGABRT", SIGABRT}, {"SIGBUS", SIGBUS},     {"SIGFPE", SIGFPE},
    {"SIGKILL", SIGKILL},     {"SIGUSR1", SIGUSR1}, {"SIGSEGV", SIGSEGV},   {"SIGUSR2", SIGUSR2},
    {"SIGPIPE", SIGPIPE},     {"SIGALRM", SIGALRM}, {"SIGTERM", SIGTERM},   {"SIGCHLD", SIGCHLD},
    {"SIGCONT", SIGCONT},     {"SIGSTOP", SIGSTOP}, {"SIGTSTP", SIGTSTP},   {"SIGTTIN", SIGTTIN},
    {"SIGTTOU", SIGTTOU},     {"SIGURG", SIGURG},   {"SIGXCPU", SIGXCPU},   {"SIGXFSZ", SIGXFSZ},
    {"SIGVTALRM", SIGVTALRM}, {"SIGPROF", SIGPROF}, {"SIGWINCH", SIGWINCH}, {"SIGIO", SIGIO},
    {"SIGSYS", SIGSYS},
};
#define NAMED (int)(sizeof(named) / sizeof(named[0]))

static void check(const char *what, int r)
{
	printf("%s: %d %s\n", what, r, r < 0 ? errname(errno) : "");
}

int main(void)
{
	sigset_t set, other, both;
	int bad = 0;

	check("sigemptyset", sigemptyset(&set));
	check("sigisemptyset empty", sigisemptyset(&set));
	for (int i = 0; i < NAMED; i++) {
		if (sigismember(&set, named[i].sig) != 0)
			printf("%s in the empty set\n", named[i].name), bad++;
		if (sigaddset(&set, named[i].sig) != 0 || sigismember(&set, named[i].sig) != 1)
			printf("%s not added\n", named[i].name), bad++;
	}
	check("sigisemptyset full", sigisemptyset(&set));
	for (int i = 0; i < NAMED; i += 2)
		if (sigdelset(&set, named[i].sig) != 0 || sigismember(&set, named[i].sig) != 0)
			printf("%s not removed\n", named[i].name), bad++;
	for (int i = 0; i < NAMED; i++)
		if (sigismember(&set, named[i].sig) != (i % 2))
			printf("%s wrong after removal\n", named[i].name), bad++;
	printf("named signals: %d, problems %d\n", NAMED, bad);

	check("sigfillset", sigfillset(&other));
	bad = 0;
	for (int i = 0; i < NAMED; i++)
		if (sigismember(&other, named[i].sig) != 1)
			printf("%s not in the full set\n", named[i].name), bad++;
	printf("full set: problems %d\n", bad);

	check("sigaddset 0", sigaddset(&set, 0));
	check("sigaddset -1", sigaddset(&set, -1));
	check("sigaddset 65", sigaddset(&set, 65));
	check("sigaddset 1000", sigaddset(&set, 1000));
	check("sigdelset 0", sigdelset(&set, 0));
	check("sigdelset 100", sigdelset(&set, 100));
	check("sigismember 0", sigismember(&set, 0));
	check("sigismember 99", sigismember(&set, 99));

	sigemptyset(&set);
	sigemptyset(&other);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigaddset(&other, SIGTERM);
	sigaddset(&other, SIGHUP);
	check("sigorset", sigorset(&both, &set, &other));
	printf("or: USR1 %d TERM %d HUP %d INT %d\n", sigismember(&both, SIGUSR1),
	       sigismember(&both, SIGTERM), sigismember(&both, SIGHUP), sigismember(&both, SIGINT));
	check("sigandset", sigandset(&both, &set, &other));
	printf("and: USR1 %d TERM %d HUP %d empty %d\n", sigismember(&both, SIGUSR1),
	       sigismember(&both, SIGTERM), sigismember(&both, SIGHUP), sigisemptyset(&both));

	/* A set given to sigprocmask is the same set the calls built. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	check("sigprocmask block USR2", sigprocmask(SIG_BLOCK, &set, NULL));
	check("sigprocmask get", sigprocmask(SIG_SETMASK, NULL, &other));
	printf("blocked: USR2 %d USR1 %d\n", sigismember(&other, SIGUSR2),
	       sigismember(&other, SIGUSR1));
	check("raise USR2 while blocked", raise(SIGUSR2));
	check("sigpending", sigpending(&other));
	printf("pending: USR2 %d\n", sigismember(&other, SIGUSR2));
	check("raise USR1 while USR2 blocked (ignored)",
	      (signal(SIGUSR1, SIG_IGN), raise(SIGUSR1)));
	signal(SIGUSR2, SIG_IGN);
	check("sigpending after SIG_IGN", sigpending(&other));
	printf("pending: USR2 %d\n", sigismember(&other, SIGUSR2));
	sigaddset(&set, SIGKILL);
	check("sigprocmask block KILL", sigprocmask(SIG_BLOCK, &set, &other));
	check("sigprocmask get", sigprocmask(SIG_BLOCK, NULL, &other));
	printf("blocked: KILL %d USR2 %d\n", sigismember(&other, SIGKILL),
	       sigismember(&other, SIGUSR2));
	sigemptyset(&other);
	check("sigprocmask bad how", sigprocmask(99, &set, &other));
	printf("old set untouched: %d\n", sigisemptyset(&other));
	sigdelset(&set, SIGKILL);
	check("sigprocmask unblock", sigprocmask(SIG_UNBLOCK, &set, NULL));
	check("sigpending", sigpending(&other));
	printf("pending after unblock (ignored): USR2 %d\n", sigismember(&other, SIGUSR2));
	return 0;
}
