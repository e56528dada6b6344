/* timerq.c - the POSIX layer's timed events: one list sorted by due time and one kernel
 * thread that sleeps until the first is due and runs it (posix/signal/timerq.h). The
 * thread starts with the first event; its stack may grow to the default 8 MiB because
 * events run signal handlers and thread notifications start there. Also the interval
 * arithmetic the timers share. */
#include <errno.h>
#include <stdint.h>
#include <time.h>

#include "kernel/clock.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "posix/signal/timerq.h"

#define NS_PER_SEC 1000000000ll
/* The longest single wait of the timer thread (a later event is waited for in steps). */
#define MAX_WAIT_NS (NS_PER_SEC * 86400)

static struct posix_timer_event *queue;
static struct thread *timer_thread;
static struct wait_queue queue_changed = WAIT_QUEUE_INIT;

int64_t posix_mono_now(void)
{
	return (int64_t)clock_monotonic_ns();
}

static void *timer_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct posix_timer_event *ev = queue;
		int64_t now = posix_mono_now();
		if (!ev) {
			wait_queue_wait(&queue_changed, 0);
		} else if (ev->due_ns > now) {
			int64_t wait = ev->due_ns - now;
			if (wait > MAX_WAIT_NS)
				wait = MAX_WAIT_NS;
			/* One nanosecond and one tick of margin: the conversion rounds down. */
			wait_queue_wait(&queue_changed,
			                clock_ns_to_tsc((uint64_t)(now + wait) + 1) + 1);
		} else {
			queue = ev->next;
			ev->queued = false;
			ev->next = NULL;
			ev->fire(ev);
		}
	}
	return NULL;
}

void posix_timerq_cancel(struct posix_timer_event *ev)
{
	if (!ev->queued)
		return;
	for (struct posix_timer_event **p = &queue; *p; p = &(*p)->next) {
		if (*p == ev) {
			*p = ev->next;
			break;
		}
	}
	ev->queued = false;
	ev->next = NULL;
}

void posix_timerq_arm(struct posix_timer_event *ev, int64_t due_ns)
{
	posix_timerq_cancel(ev);
	ev->due_ns = due_ns;
	struct posix_timer_event **p = &queue;
	while (*p && (*p)->due_ns <= due_ns)
		p = &(*p)->next;
	ev->next = *p;
	*p = ev;
	ev->queued = true;
	if (!timer_thread) {
		if (thread_create(timer_main, NULL, 0, &timer_thread) != 0)
			panic("posix: cannot start the timer thread");
		thread_detach(timer_thread);
	}
	if (queue == ev)
		wait_queue_wake_all(&queue_changed);
}

bool posix_timespec_valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NS_PER_SEC;
}

/* @ts (valid) in nanoseconds, saturating at INT64_MAX. */
static int64_t ts_ns(const struct timespec *ts)
{
	if (ts->tv_sec > (INT64_MAX - NS_PER_SEC) / NS_PER_SEC)
		return INT64_MAX;
	return (int64_t)ts->tv_sec * NS_PER_SEC + ts->tv_nsec;
}

static int64_t add_sat(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	return a + b;
}

static struct timespec ns_ts(uint64_t ns)
{
	struct timespec ts = {.tv_sec = (time_t)(ns / NS_PER_SEC),
	                      .tv_nsec = (long)(ns % NS_PER_SEC)};
	return ts;
}

void posix_itimer_set(struct posix_itimer *t, clockid_t clock, bool absolute,
                      const struct timespec *value, const struct timespec *interval)
{
	int64_t v = ts_ns(value), now = posix_mono_now();

	t->interval_ns = (uint64_t)ts_ns(interval);
	t->armed = v != 0;
	if (!t->armed)
		return;
	if (!absolute)
		t->due_ns = add_sat(now, v);
	else if (clock == CLOCK_REALTIME)
		t->due_ns = add_sat(now, v - (int64_t)clock_realtime_ns());
	else
		t->due_ns = v;
}

void posix_itimer_get(const struct posix_itimer *t, int64_t now, struct timespec *value,
                      struct timespec *interval)
{
	uint64_t left = 0;

	if (t->armed) {
		if (t->due_ns > now) {
			left = (uint64_t)(t->due_ns - now);
		} else if (t->interval_ns) {
			uint64_t since = (uint64_t)(now - t->due_ns);
			left = t->interval_ns - since % t->interval_ns;
		}
	}
	*value = ns_ts(left);
	*interval = ns_ts(t->interval_ns);
}

uint64_t posix_itimer_advance(struct posix_itimer *t, int64_t now)
{
	if (!t->armed || t->due_ns > now)
		return 0;
	if (!t->interval_ns) {
		t->armed = false;
		return 1;
	}
	uint64_t n = (uint64_t)(now - t->due_ns) / t->interval_ns + 1;
	uint64_t step = n * t->interval_ns;
	/* A period so long that the next due time passes INT64_MAX: it never comes. */
	/* INT64_MAX - due_ns, computed modulo 2^64 (due_ns may be negative). */
	uint64_t headroom = (uint64_t)INT64_MAX - (uint64_t)t->due_ns;
	if (step / t->interval_ns != n || step > headroom)
		t->due_ns = INT64_MAX;
	else
		t->due_ns += (int64_t)step;
	return n;
}
