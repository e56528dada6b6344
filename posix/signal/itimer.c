/* itimer.c - the three interval timers of setitimer/getitimer, and alarm (ITIMER_REAL in
 * whole seconds, as Linux implements it). ITIMER_REAL sends SIGALRM; ITIMER_VIRTUAL and
 * ITIMER_PROF count the process's CPU time, and in a VM whose one process owns the CPU
 * that is all of the time since boot (times() counts it so), so they count down in real
 * time too and send SIGVTALRM and SIGPROF. Expiries are events of the timer queue
 * (posix/signal/timerq.h); the signal arrives from the timer thread (posix/signal/
 * signal_internal.h), so a handler runs once the running thread blocks or sleeps. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "posix/posix.h"
#include "posix/signal/signal_internal.h"
#include "posix/signal/timerq.h"

struct itimer {
	struct posix_timer_event event; /* first: the event's address is the itimer's */
	struct posix_itimer sched;
	int sig;
};

static struct itimer itimers[3] = {
    [ITIMER_REAL] = {.sig = SIGALRM},
    [ITIMER_VIRTUAL] = {.sig = SIGVTALRM},
    [ITIMER_PROF] = {.sig = SIGPROF},
};

static void itimer_fire(struct posix_timer_event *ev)
{
	struct itimer *it = (struct itimer *)ev;
	siginfo_t si;

	posix_itimer_advance(&it->sched, posix_mono_now());
	if (it->sched.armed)
		posix_timerq_arm(&it->event, it->sched.due_ns);
	memset(&si, 0, sizeof(si));
	si.si_signo = it->sig;
	si.si_code = SI_KERNEL;
	posix_signal_arrive(it->sig, &si, 0);
}

static bool timeval_valid(const struct timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

static struct timespec to_ts(const struct timeval *tv)
{
	struct timespec ts = {.tv_sec = tv->tv_sec, .tv_nsec = (long)tv->tv_usec * 1000};
	return ts;
}

static struct timeval to_tv(const struct timespec *ts)
{
	struct timeval tv = {.tv_sec = ts->tv_sec, .tv_usec = (suseconds_t)(ts->tv_nsec / 1000)};
	return tv;
}

static void get(struct itimer *it, struct itimerval *out)
{
	struct timespec value, interval;

	posix_itimer_get(&it->sched, posix_mono_now(), &value, &interval);
	/* As Linux: an armed timer has at least 1 us left until its signal is sent. */
	if (it->sched.armed && value.tv_sec == 0 && value.tv_nsec < 1000)
		value.tv_nsec = 1000;
	out->it_value = to_tv(&value);
	out->it_interval = to_tv(&interval);
}

/* getitimer - what is left of timer @which and its interval. Returns 0, or -1 with errno
 * EINVAL (unknown @which) or EFAULT. */
int getitimer(int which, struct itimerval *value)
{
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return (int)posix_result(-EINVAL);
	if (!value)
		return (int)posix_result(-EFAULT);
	get(&itimers[which], value);
	return 0;
}

/* setitimer - arm timer @which to expire in @value->it_value (zero: disarm, interval too;
 * NULL: as zero,
 * Linux's old misfeature), then every it_interval; the previous setting into @old (may be
 * NULL). Returns 0, or -1 with errno EINVAL (unknown @which, a negative or unnormalised
 * time). */
int setitimer(int which, const struct itimerval *value, struct itimerval *old)
{
	struct itimerval zero;

	if (!value) {
		memset(&zero, 0, sizeof(zero));
		value = &zero;
	}
	if (!timeval_valid(&value->it_value) || !timeval_valid(&value->it_interval))
		return (int)posix_result(-EINVAL);
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return (int)posix_result(-EINVAL);
	struct itimer *it = &itimers[which];
	struct timespec v = to_ts(&value->it_value), i = to_ts(&value->it_interval);
	if (old)
		get(it, old);
	it->event.fire = itimer_fire;
	posix_itimer_set(&it->sched, CLOCK_MONOTONIC, false, &v, &i);
	if (!it->sched.armed)
		it->sched.interval_ns = 0; /* as Linux: a disarmed timer keeps no interval */
	if (it->sched.armed)
		posix_timerq_arm(&it->event, it->sched.due_ns);
	else
		posix_timerq_cancel(&it->event);
	return 0;
}

/* alarm - SIGALRM in @seconds (0: cancel), ITIMER_REAL's setting replaced; returns the
 * seconds that were left of it, rounded to the nearest (at least 1 if any time was left),
 * as Linux. */
unsigned alarm(unsigned seconds)
{
	struct itimerval v, old;

	memset(&v, 0, sizeof(v));
	v.it_value.tv_sec = (time_t)seconds;
	setitimer(ITIMER_REAL, &v, &old);
	if ((!old.it_value.tv_sec && old.it_value.tv_usec) || old.it_value.tv_usec >= 500000)
		old.it_value.tv_sec++;
	return (unsigned)old.it_value.tv_sec;
}
