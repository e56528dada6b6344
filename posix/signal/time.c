/* time.c - the POSIX clocks and sleeps over the kernel's clocks (kernel/clock.h):
 * clock_gettime, clock_getres, nanosleep, clock_nanosleep, sleep and usleep, and the
 * deadlines of the POSIX layer's timed waits (posix/thread/pthread_internal.h). A deadline on
 * either clock becomes a TSC deadline for the kernel's wait queues and sleeps; wall time
 * is carried by the TSC too, so both clocks advance together. */
#include <errno.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "kernel/clock.h"
#include "kernel/sched.h"
#include "posix/posix.h"
#include "posix/proc/cputime.h"
#include "posix/thread/pthread_internal.h"

#define NS_PER_SEC 1000000000ull
/* The longest single kernel wait: a later deadline is waited for in steps, which keeps
 * the nanosecond-to-TSC arithmetic far from overflowing. */
#define MAX_WAIT_NS (NS_PER_SEC * 86400 * 365)

enum clock_kind { KIND_NONE, KIND_REALTIME, KIND_MONOTONIC };

static enum clock_kind kind_of(clockid_t clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		return KIND_REALTIME;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
		return KIND_MONOTONIC;
	default:
		return KIND_NONE;
	}
}

static uint64_t now_ns(enum clock_kind kind)
{
	return kind == KIND_REALTIME ? clock_realtime_ns() : clock_monotonic_ns();
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static bool nsec_valid(const struct timespec *ts)
{
	return ts->tv_nsec >= 0 && ts->tv_nsec < (long)NS_PER_SEC;
}

/* @ts (tv_sec >= 0, valid tv_nsec) in nanoseconds, saturating. */
static uint64_t timespec_ns(const struct timespec *ts)
{
	uint64_t sec = (uint64_t)ts->tv_sec;

	if (sec > UINT64_MAX / NS_PER_SEC - 1)
		return UINT64_MAX;
	return sec * NS_PER_SEC + (uint64_t)ts->tv_nsec;
}

int posix_deadline_abs(struct posix_deadline *d, clockid_t clock, const struct timespec *abs)
{
	if (!nsec_valid(abs))
		return -EINVAL;
	d->clock = clock;
	d->ns = abs->tv_sec < 0 ? 0 : timespec_ns(abs);
	return 0;
}

bool posix_deadline_passed(const struct posix_deadline *d)
{
	return now_ns(kind_of(d->clock)) >= d->ns;
}

/* The TSC value by which @d has passed, @now being its clock's time (before @d). One
 * nanosecond and one tick of margin: the conversions round down, and the two clocks
 * round separately. */
static uint64_t deadline_tsc(const struct posix_deadline *d, uint64_t now)
{
	uint64_t remaining = d->ns - now;

	if (remaining > MAX_WAIT_NS)
		remaining = MAX_WAIT_NS;
	return clock_ns_to_tsc(clock_monotonic_ns() + remaining + 1) + 1;
}

int posix_wait(posix_wait_queue *wq, const struct posix_deadline *d)
{
	if (!d)
		return wait_queue_wait(wq, 0);
	uint64_t now = now_ns(kind_of(d->clock));
	if (now >= d->ns)
		return -ETIMEDOUT;
	int err = wait_queue_wait(wq, deadline_tsc(d, now));
	if (err != -ETIMEDOUT)
		return err;
	return posix_deadline_passed(d) ? -ETIMEDOUT : 0;
}

int posix_sleep(const struct posix_deadline *d)
{
	for (;;) {
		uint64_t now = now_ns(kind_of(d->clock));
		if (now >= d->ns)
			return 0;
		if (sched_sleep_until(deadline_tsc(d, now)) == -EINTR)
			return -EINTR;
	}
}

int clock_gettime(clockid_t clock, struct timespec *tp)
{
	enum clock_kind kind = kind_of(clock);
	uint64_t ns;

	if (kind == KIND_NONE) {
		/* The CPU-time clocks (posix/proc/cputime.c), or EINVAL. */
		int err = posix_cpu_clock_ns(clock, &ns);
		if (err)
			return (int)posix_result(err);
		if (!tp)
			return (int)posix_result(-EFAULT);
	} else if (!tp) {
		return (int)posix_result(-EFAULT);
	} else {
		ns = now_ns(kind);
	}
	tp->tv_sec = (time_t)(ns / NS_PER_SEC);
	tp->tv_nsec = (long)(ns % NS_PER_SEC);
	return 0;
}

int clock_getres(clockid_t clock, struct timespec *res)
{
	uint64_t ns;

	if (kind_of(clock) == KIND_NONE && posix_cpu_clock_ns(clock, &ns))
		return (int)posix_result(-EINVAL);
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = (long)clock_resolution_ns();
	}
	return 0;
}

/* Sleep @req on @clock, relative or (TIMER_ABSTIME) absolute. Returns 0 or an error
 * number. A zero-length sleep still lets the other runnable threads run once. */
int clock_nanosleep(clockid_t clock, int flags, const struct timespec *req, struct timespec *rem)
{
	enum clock_kind kind = kind_of(clock);
	struct posix_deadline d;

	if (kind == KIND_NONE)
		return EINVAL;
	if (!req)
		return EFAULT;
	if (!nsec_valid(req) || req->tv_sec < 0)
		return EINVAL;
	if (rem && !(flags & TIMER_ABSTIME)) {
		/* Nothing interrupts a sleep here: nothing remains. */
		rem->tv_sec = 0;
		rem->tv_nsec = 0;
	}
	d.clock = kind == KIND_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC;
	if (flags & TIMER_ABSTIME) {
		d.ns = timespec_ns(req);
	} else {
		uint64_t ns = timespec_ns(req);
		if (ns == 0) {
			posix_cancel_point();
			sched_yield();
			return 0;
		}
		d.ns = add_sat(now_ns(kind), ns);
	}
	if (posix_cancel_sleep(&d) == -ECANCELED)
		posix_cancel_act();
	return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	int err = clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem);

	return (int)posix_result(-err);
}

unsigned sleep(unsigned seconds)
{
	struct timespec ts = {.tv_sec = (time_t)seconds, .tv_nsec = 0};

	nanosleep(&ts, NULL);
	return 0;
}

int usleep(useconds_t usec)
{
	struct timespec ts = {.tv_sec = (time_t)(usec / 1000000u),
	                      .tv_nsec = (long)(usec % 1000000u) * 1000};

	return nanosleep(&ts, NULL);
}
