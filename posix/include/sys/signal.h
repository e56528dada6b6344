/* sys/signal.h - newlib's, with the signal-set calls as functions (posix/signal/sigset.c)
 * instead of its macros, glibc's set operations under _GNU_SOURCE, a struct sigevent
 * that has SIGEV_THREAD's fields (newlib's has them only with _POSIX_THREADS, which its
 * x86_64-elf build does not define; posix/signal/timers.c uses them), and
 * Linux's SI_KERNEL code (the interval timers' signals carry it). */
#define sigevent vmos_newlib_sigevent
#include_next <sys/signal.h>
#undef sigevent

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

#ifndef SI_KERNEL
#define SI_KERNEL 0x80
#endif

#if __GNU_VISIBLE
int sigisemptyset(const sigset_t *set);
int sigorset(sigset_t *dest, const sigset_t *left, const sigset_t *right);
int sigandset(sigset_t *dest, const sigset_t *left, const sigset_t *right);
#endif

#ifdef __cplusplus
}
#endif
#endif
