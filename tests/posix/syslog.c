/* syslog.c - the system log as a program sees it: with LOG_PERROR each message is also
 * written to stderr (sent to stdout here), "ident: message", %m is strerror(errno), the
 * mask filters levels, closelog forgets the ident. No LOG_PID: the pids differ. In VMOS the
 * console is stderr, so that line is the console's one line too. */
#include <errno.h>
#include <stdio.h>
#include <syslog.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	dup2(1, 2);
	openlog("vmos-test", LOG_PERROR, LOG_DAEMON);
	syslog(LOG_INFO, "starting, %d workers", 4);
	errno = ENOENT;
	syslog(LOG_ERR, "open /etc/x: %m");
	errno = EACCES;
	syslog(LOG_WARNING, "100%% sure: %m (%s)", "again");
	syslog(LOG_NOTICE, "ends with a newline\n");
	syslog(LOG_LOCAL3 | LOG_DEBUG, "a facility of its own");
	printf("mask was %#x\n", setlogmask(LOG_UPTO(LOG_WARNING)));
	syslog(LOG_INFO, "filtered out");
	syslog(LOG_ERR, "still shown");
	printf("mask now %#x\n", setlogmask(0));
	printf("mask again %#x\n", setlogmask(LOG_MASK(LOG_INFO)));
	syslog(LOG_ERR, "not shown");
	syslog(LOG_INFO, "only info");
	setlogmask(0xff);
	errno = EBADF;
	syslog(LOG_CRIT, "errno kept: %m");
	printf("errno after syslog: %s\n", errno == EBADF ? "EBADF" : "changed");
	closelog();
	openlog("second", LOG_PERROR | LOG_NDELAY, 0);
	syslog(LOG_ALERT, "after reopen");
	closelog();
	/* Without LOG_PERROR: nothing on stderr; in VMOS one console line each, checked
	 * against syslog.console. */
	openlog("quiet", LOG_PID, LOG_MAIL);
	syslog(LOG_WARNING, "to the log only: %s", "mail");
	syslog(LOG_USER | LOG_INFO, "user facility, line one\nline two\n\n");
	closelog();
	syslog(LOG_ERR, "after closelog the ident is the program's");
	printf("LOG_MAKEPRI %d LOG_FAC %d LOG_PRI %d\n", LOG_MAKEPRI(LOG_MAIL, LOG_ERR),
	       LOG_FAC(LOG_LOCAL7 | LOG_INFO), LOG_PRI(LOG_LOCAL7 | LOG_INFO));
	return 0;
}
