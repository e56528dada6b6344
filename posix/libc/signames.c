/* signames.c - the names and texts of signals, as glibc gives them: strsignal,
 * sigdescr_np, sigabbrev_np (newlib's psignal prints through strsignal). Numbers are
 * newlib's; each has Linux's text for the same name. Signals Linux lacks on x86-64
 * (SIGEMT, SIGLOST) have glibc's text from the systems that have them. Replaces newlib's
 * strsignal.o. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "posix/posix.h"

struct signal_text {
	const char *abbrev;
	const char *text;
};

static const struct signal_text signal_texts[NSIG] = {
    [SIGHUP] = {"HUP", "Hangup"},
    [SIGINT] = {"INT", "Interrupt"},
    [SIGQUIT] = {"QUIT", "Quit"},
    [SIGILL] = {"ILL", "Illegal instruction"},
    [SIGTRAP] = {"TRAP", "Trace/breakpoint trap"},
    [SIGABRT] = {"ABRT", "Aborted"},
#ifdef SIGEMT
    [SIGEMT] = {"EMT", "EMT trap"},
#endif
    [SIGFPE] = {"FPE", "Floating point exception"},
    [SIGKILL] = {"KILL", "Killed"},
    [SIGBUS] = {"BUS", "Bus error"},
    [SIGSEGV] = {"SEGV", "Segmentation fault"},
    [SIGSYS] = {"SYS", "Bad system call"},
    [SIGPIPE] = {"PIPE", "Broken pipe"},
    [SIGALRM] = {"ALRM", "Alarm clock"},
    [SIGTERM] = {"TERM", "Terminated"},
    [SIGURG] = {"URG", "Urgent I/O condition"},
    [SIGSTOP] = {"STOP", "Stopped (signal)"},
    [SIGTSTP] = {"TSTP", "Stopped"},
    [SIGCONT] = {"CONT", "Continued"},
    [SIGCHLD] = {"CHLD", "Child exited"},
    [SIGTTIN] = {"TTIN", "Stopped (tty input)"},
    [SIGTTOU] = {"TTOU", "Stopped (tty output)"},
    [SIGIO] = {"POLL", "I/O possible"}, /* glibc: SIGPOLL's name */
    [SIGXCPU] = {"XCPU", "CPU time limit exceeded"},
    [SIGXFSZ] = {"XFSZ", "File size limit exceeded"},
    [SIGVTALRM] = {"VTALRM", "Virtual timer expired"},
    [SIGPROF] = {"PROF", "Profiling timer expired"},
    [SIGWINCH] = {"WINCH", "Window changed"},
#ifdef SIGLOST
    [SIGLOST] = {"LOST", "Resource lost"},
#endif
    [SIGUSR1] = {"USR1", "User defined signal 1"},
    [SIGUSR2] = {"USR2", "User defined signal 2"},
#ifdef SIGPWR
    [SIGPWR] = {"PWR", "Power failure"},
#endif
#ifdef SIGSTKFLT
    [SIGSTKFLT] = {"STKFLT", "Stack fault"},
#endif
};

static const struct signal_text *signal_entry(int sig)
{
	if (sig <= 0 || sig >= NSIG || !signal_texts[sig].text)
		return NULL;
	return &signal_texts[sig];
}

const char *sigdescr_np(int sig)
{
	const struct signal_text *s = signal_entry(sig);

	return s ? s->text : NULL;
}

const char *sigabbrev_np(int sig)
{
	const struct signal_text *s = signal_entry(sig);

	return s ? s->abbrev : NULL;
}

/* The text; a real-time signal is "Real-time signal N" (N from SIGRTMIN), any other
 * number "Unknown signal N", both in the thread's text buffer. */
char *strsignal(int sig)
{
	const char *text = sigdescr_np(sig);

	if (text)
		return (char *)text;
#ifdef SIGRTMIN
	if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
		snprintf(posix_thread_text(), POSIX_THREAD_TEXT_SIZE, "Real-time signal %d",
		         sig - SIGRTMIN);
		return posix_thread_text();
	}
#endif
	snprintf(posix_thread_text(), POSIX_THREAD_TEXT_SIZE, "Unknown signal %d", sig);
	return posix_thread_text();
}
