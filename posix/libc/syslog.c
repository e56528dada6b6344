/* syslog.c - openlog/syslog/closelog/setlogmask. A VM has no syslog daemon: each message
 * is one console line, "syslog: FACILITY.LEVEL IDENT[PID]: MESSAGE", written to the kernel
 * console whatever the program did to its descriptors. LOG_PERROR also writes
 * "IDENT[PID]: MESSAGE" to stderr, as glibc; where stderr is the console itself, the
 * console line is that one. %m is strerror(errno), as in glibc's printf. Control
 * characters inside a message are written as rsyslog writes them ("#012"). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "kernel/console.h"
#include "posix/posix.h"

#define LINE_MAX_BYTES 1024

static const char *log_ident;
static int log_option;
static int log_facility = LOG_USER;
static int log_mask = 0xff;

static const char *const level_names[8] = {"emerg",   "alert",  "crit", "err",
                                           "warning", "notice", "info", "debug"};
static const char *const facility_names[LOG_NFACILITIES] = {
    "kern",   "user",   "mail",     "daemon", "auth",   "syslog", "lpr",    "news",
    "uucp",   "cron",   "authpriv", "ftp",    "fac12",  "fac13",  "fac14",  "fac15",
    "local0", "local1", "local2",   "local3", "local4", "local5", "local6", "local7"};

/* As glibc: a NULL @ident keeps the current one; the options and facility stay after
 * closelog. */
void openlog(const char *ident, int option, int facility)
{
	if (ident)
		log_ident = ident;
	log_option = option;
	if (!(facility & ~LOG_FACMASK))
		log_facility = facility;
}

void closelog(void)
{
	log_ident = NULL;
}

int setlogmask(int mask)
{
	int old = log_mask;

	if (mask)
		log_mask = mask;
	return old;
}

/* @format with each %m replaced by @text (and %% kept), into @out of @size bytes. */
static void expand_m(const char *format, const char *text, char *out, size_t size)
{
	size_t n = 0;

	for (const char *p = format; *p && n + 1 < size; p++) {
		if (p[0] == '%' && p[1] == 'm') {
			for (const char *t = text; *t && n + 2 < size; t++) {
				if (*t == '%')
					out[n++] = '%';
				out[n++] = *t;
			}
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			if (n + 2 >= size)
				break;
			out[n++] = '%';
			out[n++] = '%';
			p++;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
}

/* One console line per message: control characters inside it become "#" and three octal
 * digits, as rsyslog writes them ("#012" for a newline). */
static void escape_controls(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (; *in && n + 5 < size; in++) {
		unsigned char c = (unsigned char)*in;
		if (c < 0x20 && c != '\t')
			n += (size_t)snprintf(out + n, size - n, "#%03o", c);
		else
			out[n++] = (char)c;
	}
	out[n] = '\0';
}

void vsyslog(int priority, const char *format, va_list ap)
{
	int saved_errno = errno;
	char fmt[LINE_MAX_BYTES], message[LINE_MAX_BYTES], head[128], line[LINE_MAX_BYTES + 192];

	priority &= LOG_PRIMASK | LOG_FACMASK; /* unknown bits: glibc logs it regardless */
	if (!(log_mask & LOG_MASK(LOG_PRI(priority))))
		return;
	int facility = priority & LOG_FACMASK ? priority & LOG_FACMASK : log_facility;
	const char *ident = log_ident ? log_ident : posix_program_name;

	expand_m(format ? format : "", strerror(saved_errno), fmt, sizeof(fmt));
	errno = saved_errno;
	vsnprintf(message, sizeof(message), fmt, ap);
	if (log_option & LOG_PID)
		snprintf(head, sizeof(head), "%s[%d]: ", ident ? ident : "", (int)getpid());
	else
		snprintf(head, sizeof(head), "%s: ", ident ? ident : "");

	/* The console is the one terminal of a VMOS image. */
	int stderr_is_console = isatty(STDERR_FILENO);
	size_t len = strlen(message);
	if (log_option & LOG_PERROR) {
		/* As glibc: a newline added unless the message ends with one. */
		int n = snprintf(line, sizeof(line), "%s%s%s", head, message,
		                 len && message[len - 1] == '\n' ? "" : "\n");
		if (n > 0)
			write(STDERR_FILENO, line,
			      (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	}
	if (!(log_option & LOG_PERROR) || !stderr_is_console) {
		while (len && message[len - 1] == '\n')
			message[--len] = '\0';
		char escaped[LINE_MAX_BYTES];
		escape_controls(message, escaped, sizeof(escaped));
		int n = snprintf(line, sizeof(line), "syslog: %s.%s %s%s\n",
		                 facility_names[LOG_FAC(facility) % LOG_NFACILITIES],
		                 level_names[LOG_PRI(priority)], head, escaped);
		if (n > 0)
			console_write(line,
			              (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	}
	errno = saved_errno;
}

void syslog(int priority, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsyslog(priority, format, ap);
	va_end(ap);
}
