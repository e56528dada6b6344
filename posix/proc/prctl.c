/* prctl.c - prctl: the thread's name for real (PR_SET_NAME/PR_GET_NAME: 16 bytes, its
 * NUL included, per thread, the name pthread_getname_np reports), and the process flags
 * Linux keeps, kept here with Linux's argument checks: parent-death signal, dumpable,
 * keep-capabilities, timer slack, child subreaper, no-new-privileges (final once set),
 * transparent huge pages, the capability bounding set (dropping needs an effective uid
 * of 0). Seccomp filters cannot be installed (no system-call layer to filter):
 * PR_GET_SECCOMP answers 0 (disabled), PR_SET_SECCOMP fails with EINVAL as on a Linux
 * built without seccomp. Any other option: EINVAL. Nothing here changes behaviour: there
 * is no parent, no core dump, no exec and no timer slack. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "posix/posix.h"

#define NAME_BYTES         16
#define LAST_CAP           40 /* CAP_CHECKPOINT_RESTORE */
#define SIGNAL_MAX         64
#define DEFAULT_TIMERSLACK 50000ul /* ns */

static struct {
	int pdeathsig;
	int dumpable;
	int keepcaps;
	int subreaper;
	int no_new_privs;
	int thp_disable;
	unsigned long timerslack;
	uint64_t capbset_dropped;
} flags = {.dumpable = 1, .timerslack = DEFAULT_TIMERSLACK};

/* A flag set to 0 or 1: 0, or -EINVAL for anything else. */
static int set_bool(int *flag, unsigned long value)
{
	if (value > 1)
		return -EINVAL;
	*flag = (int)value;
	return 0;
}

static int do_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4,
                    unsigned long a5)
{
	char name[NAME_BYTES];

	switch (option) {
	case PR_SET_NAME:
		strncpy(name, (const char *)a2, NAME_BYTES - 1);
		name[NAME_BYTES - 1] = '\0';
		return -pthread_setname_np(pthread_self(), name);
	case PR_GET_NAME:
		memset(name, 0, sizeof(name));
		pthread_getname_np(pthread_self(), name, sizeof(name));
		memcpy((char *)a2, name, NAME_BYTES);
		return 0;
	case PR_SET_PDEATHSIG:
		if (a2 > SIGNAL_MAX)
			return -EINVAL;
		flags.pdeathsig = (int)a2;
		return 0;
	case PR_GET_PDEATHSIG:
		*(int *)a2 = flags.pdeathsig;
		return 0;
	case PR_GET_DUMPABLE:
		return flags.dumpable;
	case PR_SET_DUMPABLE:
		return set_bool(&flags.dumpable, a2);
	case PR_GET_KEEPCAPS:
		return flags.keepcaps;
	case PR_SET_KEEPCAPS:
		return set_bool(&flags.keepcaps, a2);
	case PR_GET_SECCOMP:
		return 0;
	case PR_CAPBSET_READ:
		if (a2 > LAST_CAP)
			return -EINVAL;
		return !(flags.capbset_dropped >> a2 & 1);
	case PR_CAPBSET_DROP:
		if (a2 > LAST_CAP)
			return -EINVAL;
		if (geteuid() != 0)
			return -EPERM;
		flags.capbset_dropped |= 1ull << a2;
		return 0;
	case PR_SET_TIMERSLACK:
		flags.timerslack = a2 ? a2 : DEFAULT_TIMERSLACK;
		return 0;
	case PR_GET_TIMERSLACK:
		return (int)flags.timerslack;
	case PR_SET_CHILD_SUBREAPER:
		flags.subreaper = a2 != 0;
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		*(int *)a2 = flags.subreaper;
		return 0;
	case PR_SET_NO_NEW_PRIVS:
		if (a2 != 1 || a3 || a4 || a5)
			return -EINVAL;
		flags.no_new_privs = 1;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		if (a2 || a3 || a4 || a5)
			return -EINVAL;
		return flags.no_new_privs;
	case PR_SET_THP_DISABLE:
		if (a3 || a4 || a5)
			return -EINVAL;
		flags.thp_disable = a2 != 0;
		return 0;
	case PR_GET_THP_DISABLE:
		if (a2 || a3 || a4 || a5)
			return -EINVAL;
		return flags.thp_disable;
	default: /* PR_SET_SECCOMP and every option not known here */
		return -EINVAL;
	}
}

/* prctl - @option with up to four unsigned long arguments, as Linux's. Returns what the
 * option answers (0 for the setters), or -1 with errno (EINVAL, EPERM). */
int prctl(int option, ...)
{
	va_list ap;

	va_start(ap, option);
	unsigned long a2 = va_arg(ap, unsigned long);
	unsigned long a3 = va_arg(ap, unsigned long);
	unsigned long a4 = va_arg(ap, unsigned long);
	unsigned long a5 = va_arg(ap, unsigned long);
	va_end(ap);
	return (int)posix_result(do_prctl(option, a2, a3, a4, a5));
}
