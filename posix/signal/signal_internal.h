/* signal_internal.h - the signal machinery of posix/signal/signals.c as the rest of the
 * POSIX layer uses it: signals that arrive on their own (timers, another thread), the
 * pending set that sigwait takes from and sigsuspend waits on (posix/signal/sigwait.c). */
#ifndef POSIX_SIGNAL_INTERNAL_H
#define POSIX_SIGNAL_INTERNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/sched.h"

/* Woken whenever a signal becomes pending or a handler has run. */
extern struct wait_queue posix_signal_wq;

/* posix_signal_arrive - @sig (1..NSIG-1) arrives for the process with @info (NULL: an
 * SI_USER one); @timer is the POSIX timer that sent it (its serial, posix/signal/timers.c;
 * 0: none). It is dropped when ignored and neither blocked nor waited for; kept pending
 * while blocked, while a thread waits for it in sigwait, or while a thread is in
 * sigsuspend (which then runs the handler); otherwise delivered at once in the calling
 * thread (its handler runs, or the default action). A signal already pending is not
 * queued twice. Returns true when this arrival is delivered or pending with @info, false
 * when dropped or merged into the one already pending. */
bool posix_signal_arrive(int sig, const siginfo_t *info, uint64_t timer);

/* posix_signal_take - take the lowest pending signal of @set off the pending set, its
 * information into @info (may be NULL). Returns it, or 0 when none is pending. */
int posix_signal_take(const sigset_t *set, siginfo_t *info);

/* posix_signal_deliver_pending - deliver, in the calling thread, every pending signal the
 * mask does not block. */
void posix_signal_deliver_pending(void);

/* posix_signal_handlers_run - how many times a handler has run (a counter that only
 * grows): sigsuspend returns once it moved. */
unsigned long posix_signal_handlers_run(void);

/* posix_signal_waiting - @delta (+1 / -1) on the count of threads waiting in sigwait for
 * each signal of @set, or (@set NULL) in sigsuspend. */
void posix_signal_waiting(const sigset_t *set, int delta);

/* posix_signal_forget_timer - discard the pending signal POSIX timer @timer (a serial)
 * sent, if any: the timer is being deleted (Linux drops it too). */
void posix_signal_forget_timer(uint64_t timer);

/* posix_timer_delivered - the signal POSIX timer @timer (a serial) sent has been delivered
 * or taken: its overrun count becomes the one timer_getoverrun reports
 * (posix/signal/timers.c). */
void posix_timer_delivered(uint64_t timer);

#endif
