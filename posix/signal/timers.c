/* timers.c - POSIX per-process timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun, timer_delete. A timer is an interval schedule (posix/signal/timerq.h)
 * on CLOCK_REALTIME, CLOCK_MONOTONIC or CLOCK_BOOTTIME (the monotonic clock); its expiry
 * is an event of the timer queue that notifies as asked: SIGEV_SIGNAL sends the signal
 * with si_code SI_TIMER and the timer's value (posix/signal/signal_internal.h; while it
 * is still pending, further expiries count as overruns), SIGEV_THREAD runs the function in
 * a new detached thread per expiry, SIGEV_NONE nothing (its time can still be read).
 * The CPU-time clocks are refused with EINVAL as clock_gettime refuses them; the coarse
 * and raw clocks with EOPNOTSUPP, as Linux. Timer ids are small numbers from 0, reused. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "posix/posix.h"
#include "posix/signal/signal_internal.h"
#include "posix/signal/timerq.h"

struct ptimer {
	struct posix_timer_event event; /* first: the event's address is the timer's */
	uint64_t serial;                /* unique for the VM's life: names it to signals.c */
	clockid_t clock;                /* CLOCK_REALTIME or CLOCK_MONOTONIC */
	struct sigevent sev;
	pthread_attr_t attr; /* SIGEV_THREAD's, when sev.sigev_notify_attributes was set */
	struct posix_itimer sched;
	bool queued;         /* its signal is pending */
	int overrun_pending; /* expiries missed while it is */
	int overrun_last;    /* what timer_getoverrun reports */
};

static struct ptimer **timers; /* by id */
static int ntimers;
static uint64_t last_serial;

static struct ptimer *lookup(timer_t id)
{
	if (id >= (timer_t)ntimers)
		return NULL;
	return timers[id];
}

static struct ptimer *by_serial(uint64_t serial)
{
	for (int i = 0; i < ntimers; i++)
		if (timers[i] && timers[i]->serial == serial)
			return timers[i];
	return NULL;
}

static int add_sat(int a, uint64_t b)
{
	return b >= (uint64_t)(INT_MAX - a) ? INT_MAX : a + (int)b;
}

void posix_timer_delivered(uint64_t serial)
{
	struct ptimer *t = by_serial(serial);

	if (!t)
		return; /* deleted while its signal was pending */
	t->overrun_last = t->overrun_pending;
	t->overrun_pending = 0;
	t->queued = false;
}

struct notification {
	void (*fn)(union sigval);
	union sigval value;
};

static void *notify_main(void *arg)
{
	struct notification n = *(struct notification *)arg;

	free(arg);
	n.fn(n.value);
	return NULL;
}

static void start_thread(struct ptimer *t)
{
	pthread_attr_t attr;
	pthread_t thread;

	struct notification *n = malloc(sizeof(*n));
	if (!n)
		return; /* no memory: the notification is lost, as when a thread cannot start */
	n->fn = t->sev.sigev_notify_function;
	n->value = t->sev.sigev_value;
	if (t->sev.sigev_notify_attributes)
		attr = t->attr;
	else
		pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&thread, &attr, notify_main, n) != 0)
		free(n);
}

static void timer_fire(struct posix_timer_event *ev)
{
	struct ptimer *t = (struct ptimer *)ev;
	uint64_t n = posix_itimer_advance(&t->sched, posix_mono_now());

	if (t->sched.armed)
		posix_timerq_arm(&t->event, t->sched.due_ns);
	if (!n)
		return;
	if (t->sev.sigev_notify == SIGEV_THREAD) {
		t->overrun_last = add_sat(0, n - 1);
		start_thread(t);
		return;
	}
	if (t->sev.sigev_notify != SIGEV_SIGNAL)
		return;
	if (t->queued) {
		t->overrun_pending = add_sat(t->overrun_pending, n);
		return;
	}
	t->queued = true;
	t->overrun_pending = add_sat(0, n - 1);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = t->sev.sigev_signo;
	si.si_code = SI_TIMER;
	si.si_value = t->sev.sigev_value;
	uint64_t serial = t->serial;
	/* The handler may have run and deleted the timer: found again by serial. */
	if (!posix_signal_arrive(si.si_signo, &si, serial) && (t = by_serial(serial)))
		t->queued = false; /* merged into the signal already pending: lost */
}

/* The id of a free slot, growing the table. Returns it, or -EAGAIN. */
static int free_id(void)
{
	for (int i = 0; i < ntimers; i++)
		if (!timers[i])
			return i;
	int n = ntimers ? ntimers * 2 : 8;
	struct ptimer **grown = realloc(timers, (size_t)n * sizeof(*grown));
	if (!grown)
		return -EAGAIN;
	for (int i = ntimers; i < n; i++)
		grown[i] = NULL;
	timers = grown;
	int id = ntimers;
	ntimers = n;
	return id;
}

/* timer_create - a disarmed timer on @clock_id notifying as @evp says (NULL: SIGALRM
 * with the timer's id as value), its id in @timerid. Returns 0, or -1 with errno EINVAL
 * (unknown clock, notification or signal), EOPNOTSUPP (a clock without timers), EFAULT,
 * or EAGAIN (no memory). */
int timer_create(clockid_t clock_id, struct sigevent *__restrict evp, timer_t *__restrict timerid)
{
	clockid_t clock;

	if (clock_id == CLOCK_REALTIME || clock_id == CLOCK_REALTIME_ALARM)
		clock = CLOCK_REALTIME;
	else if (clock_id == CLOCK_MONOTONIC || clock_id == CLOCK_BOOTTIME ||
	         clock_id == CLOCK_BOOTTIME_ALARM)
		clock = CLOCK_MONOTONIC;
	else if (clock_id == CLOCK_REALTIME_COARSE || clock_id == CLOCK_MONOTONIC_COARSE ||
	         clock_id == CLOCK_MONOTONIC_RAW)
		return (int)posix_result(-EOPNOTSUPP);
	else
		return (int)posix_result(-EINVAL);
	if (evp) {
		int how = evp->sigev_notify;
		if (how != SIGEV_NONE && how != SIGEV_SIGNAL && how != SIGEV_THREAD)
			return (int)posix_result(-EINVAL);
		if (how == SIGEV_SIGNAL && (evp->sigev_signo <= 0 || evp->sigev_signo >= NSIG))
			return (int)posix_result(-EINVAL);
	}
	if (!timerid)
		return (int)posix_result(-EFAULT);
	int id = free_id();
	if (id < 0)
		return (int)posix_result(id);
	struct ptimer *t = calloc(1, sizeof(*t));
	if (!t)
		return (int)posix_result(-EAGAIN);
	t->serial = ++last_serial;
	t->clock = clock;
	t->event.fire = timer_fire;
	if (evp) {
		t->sev = *evp;
		if (evp->sigev_notify == SIGEV_THREAD && evp->sigev_notify_attributes)
			t->attr = *evp->sigev_notify_attributes;
	} else {
		t->sev.sigev_notify = SIGEV_SIGNAL;
		t->sev.sigev_signo = SIGALRM;
		t->sev.sigev_value.sival_int = id;
	}
	timers[id] = t;
	*timerid = (timer_t)id;
	return 0;
}

/* timer_delete - disarm and free timer @timerid; a signal it sent that is still pending
 * is discarded, as Linux does. Returns 0, or -1 with errno EINVAL (no such timer). */
int timer_delete(timer_t timerid)
{
	struct ptimer *t = lookup(timerid);

	if (!t)
		return (int)posix_result(-EINVAL);
	posix_timerq_cancel(&t->event);
	posix_signal_forget_timer(t->serial);
	timers[timerid] = NULL;
	free(t);
	return 0;
}

static void current(struct ptimer *t, struct itimerspec *cur)
{
	posix_itimer_get(&t->sched, posix_mono_now(), &cur->it_value, &cur->it_interval);
}

/* timer_settime - arm @timerid to expire at @value->it_value (relative, or absolute on its
 * clock with TIMER_ABSTIME; zero disarms, and the interval with it), then every
 * it_interval; its previous setting into @ovalue (may be NULL). Returns 0, or -1 with
 * errno EINVAL (no such timer, NULL @value, a negative or unnormalised time). */
int timer_settime(timer_t timerid, int flags, const struct itimerspec *__restrict value,
                  struct itimerspec *__restrict ovalue)
{
	struct ptimer *t = lookup(timerid);

	if (!value || !posix_timespec_valid(&value->it_value) ||
	    !posix_timespec_valid(&value->it_interval) || !t)
		return (int)posix_result(-EINVAL);
	if (ovalue)
		current(t, ovalue);
	posix_itimer_set(&t->sched, t->clock, flags & TIMER_ABSTIME, &value->it_value,
	                 &value->it_interval);
	if (!t->sched.armed)
		t->sched.interval_ns = 0; /* as Linux: a disarmed timer has no interval */
	t->overrun_pending = 0;
	/* SIGEV_NONE needs no event: its time is worked out when read. */
	if (t->sched.armed && t->sev.sigev_notify != SIGEV_NONE)
		posix_timerq_arm(&t->event, t->sched.due_ns);
	else
		posix_timerq_cancel(&t->event);
	return 0;
}

/* timer_gettime - the time to @timerid's next expiry (0: disarmed) and its interval.
 * Returns 0, or -1 with errno EINVAL (no such timer) or EFAULT. */
int timer_gettime(timer_t timerid, struct itimerspec *value)
{
	struct ptimer *t = lookup(timerid);

	if (!t)
		return (int)posix_result(-EINVAL);
	if (!value)
		return (int)posix_result(-EFAULT);
	current(t, value);
	return 0;
}

/* timer_getoverrun - the expiries of @timerid that its last delivered signal stood for,
 * less one (at most DELAYTIMER_MAX); for SIGEV_THREAD, those of the last notification.
 * Returns it, or -1 with errno EINVAL (no such timer). */
int timer_getoverrun(timer_t timerid)
{
	struct ptimer *t = lookup(timerid);

	if (!t)
		return (int)posix_result(-EINVAL);
	return t->overrun_last;
}
