/* sys/signal.h - newlib's, with the signal-set calls as functions (posix/signal/sigset.c)
 * instead of its macros, glibc's set operations under _GNU_SOURCE, a struct sigevent
 * that has SIGEV_THREAD's fields (newlib's has them only with _POSIX_THREADS, which its
 * x86_64-elf build does not define; posix/signal/timers.c uses them), Linux's SI_KERNEL
 * code (the interval timers' signals carry it), Linux's struct sigaction (newlib's has no
 * sa_sigaction, and its only flag is SA_NOCLDSTOP; the sa_flags values are Linux's, and
 * posix/signal/signals.c acts on SA_SIGINFO, SA_NODEFER and SA_RESETHAND) and Linux's
 * siginfo_t fields and si_code values (newlib's has only si_signo, si_code and
 * si_value). newlib's declarations that use them are renamed away while it is read. */
#define sigevent     vmos_newlib_sigevent
#define sigaction    vmos_newlib_sigaction
#define siginfo_t    vmos_newlib_siginfo_t
#define sigwaitinfo  vmos_newlib_sigwaitinfo
#define sigtimedwait vmos_newlib_sigtimedwait
#include_next <sys/signal.h>
#undef sigevent
#undef sigaction
#undef siginfo_t
#undef sigwaitinfo
#undef sigtimedwait

#ifndef VMOS_SYS_SIGNAL_H
#define VMOS_SYS_SIGNAL_H
#undef sigaddset
#undef sigdelset
#undef sigemptyset
#undef sigfillset
#undef sigismember

#ifdef __cplusplus
extern "C" {
#endif

struct sigevent {
	int sigev_notify;                            /* SIGEV_NONE, _SIGNAL or _THREAD */
	int sigev_signo;                             /* SIGEV_SIGNAL's signal */
	union sigval sigev_value;                    /* passed to the signal or function */
	void (*sigev_notify_function)(union sigval); /* SIGEV_THREAD: run in a new thread */
	pthread_attr_t *sigev_notify_attributes;     /* SIGEV_THREAD: its attributes */
};

typedef struct {
	int si_signo;
	int si_errno;
	int si_code;
	pid_t si_pid; /* the sender: 1 (kill, sigqueue, raise) */
	uid_t si_uid;
	int si_status;
	void *si_addr;
	union sigval si_value; /* sigqueue's and SIGEV_SIGNAL timers' value */
	int si_timerid;
	int si_overrun;
	long si_band;
	int si_fd;
} siginfo_t;
#define si_int si_value.sival_int
#define si_ptr si_value.sival_ptr

int sigwaitinfo(const sigset_t *set, siginfo_t *info);
int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout);

#undef SI_USER
#undef SI_QUEUE
#undef SI_TIMER
#undef SI_ASYNCIO
#undef SI_MESGQ
#define SI_USER    0
#define SI_KERNEL  0x80
#define SI_QUEUE   (-1)
#define SI_TIMER   (-2)
#define SI_MESGQ   (-3)
#define SI_ASYNCIO (-4)
#define SI_SIGIO   (-5)
#define SI_TKILL   (-6)

struct sigaction {
	union {
		_sig_func_ptr sa_handler;                       /* SIG_DFL, SIG_IGN or a handler */
		void (*sa_sigaction)(int, siginfo_t *, void *); /* with SA_SIGINFO */
	} __sigaction_handler;
	sigset_t sa_mask; /* blocked, with the signal itself, while the handler runs */
	int sa_flags;
	void (*sa_restorer)(void); /* Linux's; unused */
};
#define sa_handler   __sigaction_handler.sa_handler
#define sa_sigaction __sigaction_handler.sa_sigaction

int sigaction(int sig, const struct sigaction *act, struct sigaction *old);

#undef SA_NOCLDSTOP
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO   0x00000004
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_INTERRUPT 0x20000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000
#define SA_NOMASK    SA_NODEFER
#define SA_ONESHOT   SA_RESETHAND

#if __GNU_VISIBLE
int sigisemptyset(const sigset_t *set);
int sigorset(sigset_t *dest, const sigset_t *left, const sigset_t *right);
int sigandset(sigset_t *dest, const sigset_t *left, const sigset_t *right);
#endif

#ifdef __cplusplus
}
#endif
#endif
