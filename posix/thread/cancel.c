/* cancel.c - deferred cancellation: pthread_cancel, pthread_setcancelstate,
 * pthread_setcanceltype, pthread_testcancel, and the helpers the cancellation points use
 * (pthread_internal.h). A cancel is acted on only at a cancellation point, by
 * pthread_exit(PTHREAD_CANCELED) (cleanup handlers, then key destructors). A thread
 * blocked at one is woken with thread_interrupt; waits that are not cancellation points
 * (mutexes, lwIP's own waits) are never interrupted, except that a socket call waiting
 * for data or a connection gives up its wait on lwIP's queue (posix_cancel_hook_sockets).
 * PTHREAD_CANCEL_ASYNCHRONOUS cannot stop a running thread (threads are cooperative): it
 * acts at the same points, and also in pthread_yield and when it or
 * PTHREAD_CANCEL_ENABLE is set with a cancel pending. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>

#include "kernel/sched.h"
#include "net/arch/sys_arch.h"
#include "posix/thread/pthread_internal.h"

static struct posix_cancel *self_cancel(void)
{
	return posix_cancel_of(pthread_self(), NULL);
}

bool posix_cancel_pending(void)
{
	struct posix_cancel *c = self_cancel();

	return c->requested && !c->disabled;
}

void posix_cancel_act(void)
{
	struct posix_cancel *c = self_cancel();

	c->blocked = false;
	c->disabled = true; /* as glibc: no second cancel while the handlers run */
	pthread_exit(PTHREAD_CANCELED);
}

void posix_cancel_point(void)
{
	if (posix_cancel_pending())
		posix_cancel_act();
}

void posix_cancel_begin(void)
{
	posix_cancel_point();
	self_cancel()->blocked = true;
}

bool posix_cancel_end(void)
{
	self_cancel()->blocked = false;
	return posix_cancel_pending();
}

int posix_cancel_wait(posix_wait_queue *wq, const struct posix_deadline *d)
{
	posix_cancel_begin();
	int err = posix_wait(wq, d);
	if (posix_cancel_end())
		return -ECANCELED;
	return err == -EINTR ? 0 : err;
}

int posix_cancel_sleep(const struct posix_deadline *d)
{
	for (;;) {
		posix_cancel_begin();
		int err = posix_sleep(d);
		if (posix_cancel_end())
			return -ECANCELED;
		if (err != -EINTR)
			return err;
	}
}

/* A socket call's wait for lwIP is over when its thread was canceled in it. Asked by
 * lwIP's threads too, which have no record. */
static bool canceled_in_socket_wait(void)
{
	const struct posix_cancel *c = posix_cancel_self_known();

	return c && c->blocked && c->requested && !c->disabled;
}

void posix_cancel_hook_sockets(void)
{
	vmos_set_mbox_abandon_hook(canceled_in_socket_wait);
}

/* pthread_cancel - ask @thread to end at its next cancellation point, waking it if it is
 * blocked at one (and cancellation is enabled). Returns 0 (also for a thread that ended
 * but was not joined, as glibc 2.34 and later), or ESRCH for a thread not known. */
int pthread_cancel(pthread_t thread)
{
	struct thread *kt;
	struct posix_cancel *c = posix_cancel_of(thread, &kt);

	if (!c)
		return ESRCH;
	c->requested = true;
	if (!c->disabled && c->blocked && kt != thread_self())
		thread_interrupt(kt);
	return 0;
}

/* Act at once when asynchronous cancellation is enabled with a cancel pending. */
static void async_point(const struct posix_cancel *c)
{
	if (c->asynchronous)
		posix_cancel_point();
}

int pthread_setcancelstate(int state, int *oldstate)
{
	struct posix_cancel *c = self_cancel();

	if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
		return EINVAL;
	if (oldstate)
		*oldstate = c->disabled ? PTHREAD_CANCEL_DISABLE : PTHREAD_CANCEL_ENABLE;
	c->disabled = state == PTHREAD_CANCEL_DISABLE;
	async_point(c);
	return 0;
}

int pthread_setcanceltype(int type, int *oldtype)
{
	struct posix_cancel *c = self_cancel();

	if (type != PTHREAD_CANCEL_DEFERRED && type != PTHREAD_CANCEL_ASYNCHRONOUS)
		return EINVAL;
	if (oldtype)
		*oldtype = c->asynchronous ? PTHREAD_CANCEL_ASYNCHRONOUS : PTHREAD_CANCEL_DEFERRED;
	c->asynchronous = type == PTHREAD_CANCEL_ASYNCHRONOUS;
	async_point(c);
	return 0;
}

void pthread_testcancel(void)
{
	posix_cancel_point();
}

int pthread_yield(void)
{
	async_point(self_cancel());
	return sched_yield();
}
