/* priority.c - nice values: getpriority, setpriority and nice, by Linux's rules. The one
 * process keeps one nice value (Linux keeps one per thread; nothing here schedules by
 * it: threads are cooperative). Targets that exist: the process (0, its pid, the id of
 * one of its threads), its process group (0 or 1) and its real user. Lowering the value
 * needs an effective uid of 0 (Linux's CAP_SYS_NICE, with RLIMIT_NICE at its default of
 * 0): EACCES otherwise. */
#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>

#include "posix/posix.h"
#include "posix/proc/target.h"

static int nice_value;

/* 0 when @which/@who names this process, else -EINVAL (unknown @which) or -ESRCH. */
static int check_target(int which, id_t who)
{
	switch (which) {
	case PRIO_PROCESS:
		return posix_pid_exists((pid_t)who) ? 0 : -ESRCH;
	case PRIO_PGRP:
		return who == 0 || (pid_t)who == getpgrp() ? 0 : -ESRCH;
	case PRIO_USER:
		return who == 0 || (uid_t)who == getuid() ? 0 : -ESRCH;
	default:
		return -EINVAL;
	}
}

/* getpriority - the nice value (-20..19) of the target, or -1 with EINVAL / ESRCH (a
 * caller tells -1 from an error by clearing errno first). */
int getpriority(int which, id_t who)
{
	int err = check_target(which, who);

	return err ? (int)posix_result(err) : nice_value;
}

/* setpriority - set the nice value to @prio, brought into -20..19 as Linux does. Returns
 * 0, or -1 with EINVAL, ESRCH or EACCES (lowering it without privilege). */
int setpriority(int which, id_t who, int prio)
{
	int err = check_target(which, who);

	if (err)
		return (int)posix_result(err);
	if (prio < PRIO_MIN)
		prio = PRIO_MIN;
	if (prio > PRIO_MAX - 1)
		prio = PRIO_MAX - 1;
	if (prio < nice_value && geteuid() != 0)
		return (int)posix_result(-EACCES);
	nice_value = prio;
	return 0;
}

/* nice - add @inc to the nice value; the new value, or -1 with EPERM (glibc turns
 * setpriority's EACCES into EPERM). errno is left alone on success. */
int nice(int inc)
{
	int saved = errno;
	long target = (long)nice_value + inc;

	if (target < PRIO_MIN)
		target = PRIO_MIN;
	if (target > PRIO_MAX - 1)
		target = PRIO_MAX - 1;
	if (setpriority(PRIO_PROCESS, 0, (int)target) != 0) {
		if (errno == EACCES)
			errno = EPERM;
		return -1;
	}
	errno = saved;
	return nice_value;
}
