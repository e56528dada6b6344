/* sys/signal.h - newlib's, with the signal-set calls as functions (posix/signal/sigset.c)
 * instead of its macros, and glibc's set operations under _GNU_SOURCE. */
#include_next <sys/signal.h>

#ifndef VMOS_SYS_SIGNAL_H
#define VMOS_SYS_SIGNAL_H
#undef sigaddset
#undef sigdelset
#undef sigemptyset
#undef sigfillset
#undef sigismember

#if __GNU_VISIBLE
int sigisemptyset(const sigset_t *set);
int sigorset(sigset_t *dest, const sigset_t *left, const sigset_t *right);
int sigandset(sigset_t *dest, const sigset_t *left, const sigset_t *right);
#endif
#endif
