/* setjmp.c - differential test of non-local jumps: setjmp/longjmp (a value of 0 comes
 * back as 1), _setjmp/_longjmp, sigsetjmp with and without the signal mask (siglongjmp
 * restores the mask saved, or leaves the current one), jumps out of nested calls and out
 * of a signal handler, and locals kept in volatile variables. */
#include <setjmp.h>
#include <signal.h>

#include "common.h"

static jmp_buf env;
static sigjmp_buf sigenv;
static int depth;

static void dive(int n)
{
	depth = n;
	if (n == 5)
		longjmp(env, n * 10);
	if (n < 100)
		dive(n + 1);
}

static void underscore_dive(int n)
{
	if (n == 3)
		_longjmp(env, 0);
	if (n < 100)
		underscore_dive(n + 1);
}

static int usr1_blocked(void)
{
	sigset_t now;

	sigprocmask(SIG_SETMASK, NULL, &now);
	return sigismember(&now, SIGUSR1);
}

static void block_usr1(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static void unblock_usr1(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static volatile sig_atomic_t handler_jumps = 1;

static void on_usr2(int sig)
{
	(void)sig;
	if (handler_jumps)
		siglongjmp(sigenv, 7); /* the handler's mask (SIGUSR2 blocked) goes with the jump */
	printf("the handler ran again and returned\n");
}

int main(void)
{
	volatile int counter = 0;
	int r = setjmp(env);
	printf("setjmp returned %d, counter %d\n", r, counter);
	if (counter++ < 2)
		longjmp(env, counter == 1 ? 0 : 42);

	r = setjmp(env);
	if (r == 0)
		dive(0);
	printf("out of nested calls: %d at depth %d\n", r, depth);

	r = _setjmp(env);
	if (r == 0)
		underscore_dive(0);
	printf("_setjmp after _longjmp(0): %d\n", r);

	for (int save = 0; save <= 1; save++) {
		unblock_usr1();
		r = sigsetjmp(sigenv, save);
		if (r == 0) {
			block_usr1();
			siglongjmp(sigenv, 3);
		}
		printf("sigsetjmp(%d): returned %d, SIGUSR1 blocked after the jump: %d\n", save, r,
		       usr1_blocked());
	}

	unblock_usr1();
	signal(SIGUSR2, on_usr2);
	r = sigsetjmp(sigenv, 1);
	if (r == 0) {
		raise(SIGUSR2);
		printf("not reached\n");
	}
	sigset_t now;
	sigprocmask(SIG_SETMASK, NULL, &now);
	printf("out of a handler: %d, SIGUSR2 blocked after: %d\n", r, sigismember(&now, SIGUSR2));
	handler_jumps = 0;
	raise(SIGUSR2); /* the handler can run again: its signal is not blocked */
	return 0;
}
