/* filelock.c - flockfile, ftrylockfile, funlockfile: a stream's own recursive lock, the one
 * newlib's stdio takes inside each call (posix/reent.c implements newlib's locks), so a
 * thread holding it makes a sequence of calls atomic, as with glibc. */
#include <reent.h>
#include <stdio.h>
#include <sys/lock.h>

void __sinit(struct _reent *ptr); /* newlib's: sets up the standard streams */

/* The stream's lock; the standard streams get theirs on first use, which may be this one.
 * NULL for a string stream (no lock: it is the caller's alone). */
static _LOCK_RECURSIVE_T stream_lock(FILE *fp)
{
	if (!fp->_lock && !_REENT->__sdidinit)
		__sinit(_REENT);
	return (fp->_flags & __SSTR) ? NULL : fp->_lock;
}

void flockfile(FILE *fp)
{
	_LOCK_RECURSIVE_T lock = stream_lock(fp);

	if (lock)
		__lock_acquire_recursive(lock);
}

/* 0 when the lock is now the caller's, nonzero when another thread holds it. */
int ftrylockfile(FILE *fp)
{
	_LOCK_RECURSIVE_T lock = stream_lock(fp);

	return lock ? __lock_try_acquire_recursive(lock) : 0;
}

void funlockfile(FILE *fp)
{
	_LOCK_RECURSIVE_T lock = stream_lock(fp);

	if (lock)
		__lock_release_recursive(lock);
}
