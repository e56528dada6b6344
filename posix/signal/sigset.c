/* sigset.c - signal sets as functions, as POSIX and glibc have them: newlib defines them
 * only as macros that shift an int (wrong past signal 30) and check nothing. A signal
 * number outside 1..NSIG-1 is EINVAL, as on Linux. posix/include/sys/signal.h removes the
 * macros so that these are called. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>

#include "posix/posix.h"

static int valid(int sig)
{
	return sig > 0 && sig < NSIG;
}

static sigset_t bit(int sig)
{
	return (sigset_t)1 << sig;
}

/* All signals: what newlib's signal numbers reach, 1..NSIG-1. */
static sigset_t all(void)
{
	return ((sigset_t)1 << NSIG) - 2;
}

int sigemptyset(sigset_t *set)
{
	if (!set)
		return (int)posix_result(-EFAULT);
	*set = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	if (!set)
		return (int)posix_result(-EFAULT);
	*set = all();
	return 0;
}

int sigaddset(sigset_t *set, const int sig)
{
	if (!set)
		return (int)posix_result(-EFAULT);
	if (!valid(sig))
		return (int)posix_result(-EINVAL);
	*set |= bit(sig);
	return 0;
}

int sigdelset(sigset_t *set, const int sig)
{
	if (!set)
		return (int)posix_result(-EFAULT);
	if (!valid(sig))
		return (int)posix_result(-EINVAL);
	*set &= ~bit(sig);
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (!set)
		return (int)posix_result(-EFAULT);
	if (!valid(sig))
		return (int)posix_result(-EINVAL);
	return (*set & bit(sig)) != 0;
}

int sigisemptyset(const sigset_t *set)
{
	if (!set)
		return (int)posix_result(-EFAULT);
	return (*set & all()) == 0;
}

int sigorset(sigset_t *dest, const sigset_t *left, const sigset_t *right)
{
	if (!dest || !left || !right)
		return (int)posix_result(-EFAULT);
	*dest = (*left | *right) & all();
	return 0;
}

int sigandset(sigset_t *dest, const sigset_t *left, const sigset_t *right)
{
	if (!dest || !left || !right)
		return (int)posix_result(-EFAULT);
	*dest = *left & *right & all();
	return 0;
}
