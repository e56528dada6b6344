/* timerq.h - the POSIX layer's one queue of timed events (posix/signal/timerq.c) and the
 * arithmetic its interval timers share: timerfd (posix/fd/timerfd.c), setitimer and alarm
 * (posix/signal/itimer.c) and the POSIX timers (posix/signal/timers.c).
 *
 * Times are nanoseconds on CLOCK_MONOTONIC as signed 64-bit numbers: an absolute
 * CLOCK_REALTIME time before the VM started is a negative due time (wall time is carried
 * by the monotonic clock here and never set, so the two clocks keep one offset). */
#ifndef POSIX_SIGNAL_TIMERQ_H
#define POSIX_SIGNAL_TIMERQ_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* A timed event. The owner embeds it and keeps it alive while it is queued. */
struct posix_timer_event {
	int64_t due_ns;
	bool queued;
	/* Runs in the timer thread once the due time has passed, the event already off the
	 * queue (it may queue itself again). It may block or run application code (a signal
	 * handler): later events wait for it. */
	void (*fire)(struct posix_timer_event *ev);
	struct posix_timer_event *next;
};

/* posix_timerq_arm - queue @ev (again, if it is queued) to fire at @due_ns; a due time
 * in the past fires as soon as the timer thread runs. Starts the timer thread on first
 * use (panics when no thread can be made). */
void posix_timerq_arm(struct posix_timer_event *ev, int64_t due_ns);

/* posix_timerq_cancel - take @ev off the queue if it is on it. */
void posix_timerq_cancel(struct posix_timer_event *ev);

/* posix_mono_now - CLOCK_MONOTONIC now, in nanoseconds. */
int64_t posix_mono_now(void);

/* An interval timer's schedule: the next expiry and the period (0: one-shot). */
struct posix_itimer {
	bool armed;
	int64_t due_ns;
	uint64_t interval_ns;
};

/* posix_itimer_set - arm @t from a POSIX setting: @value (relative, or absolute on @clock
 * when @absolute; CLOCK_REALTIME or CLOCK_MONOTONIC) and @interval; a zero @value
 * disarms. Both must be valid (tv_sec >= 0, tv_nsec in [0, 1e9)): the caller checks with
 * posix_timespec_valid. */
void posix_itimer_set(struct posix_itimer *t, clockid_t clock, bool absolute,
                      const struct timespec *value, const struct timespec *interval);

/* posix_itimer_get - what is left of @t at @now (0 when disarmed or expired one-shot;
 * a periodic timer's next expiry otherwise), and its period. */
void posix_itimer_get(const struct posix_itimer *t, int64_t now, struct timespec *value,
                      struct timespec *interval);

/* posix_itimer_advance - the expirations of @t that have passed by @now (0 if none):
 * a periodic timer moves to its first due time after @now, a one-shot one disarms. */
uint64_t posix_itimer_advance(struct posix_itimer *t, int64_t now);

/* posix_timespec_valid - tv_sec >= 0 and tv_nsec in [0, 1e9), as Linux's timers want. */
bool posix_timespec_valid(const struct timespec *ts);

#endif
