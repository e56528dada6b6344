/* bootreport.c - the bootreport port's payload: the boot report, then what the command
 * line asks for: a self-test (selftest=NAME) and an exit status (exit=N). */
#include <errno.h>
#include <stdint.h>

#include "kernel/app.h"
#include "kernel/kernel.h"
#include "kernel/report.h"
#include "kernel/selftest.h"

/* parse_status - the exit status given as "exit=N" (0..127), default 0. */
static int parse_status(const char *text)
{
	int v = 0;

	if (!*text)
		return -EINVAL;
	for (; *text; text++) {
		if (*text < '0' || *text > '9' || v > 127)
			return -EINVAL;
		v = v * 10 + (*text - '0');
	}
	return v > 127 ? -EINVAL : v;
}

int app_run(const struct boot_info *bi, const struct cmdline *cl)
{
	const char *value;
	int status = 0;

	report_boot(bi, cl);
	if (cmdline_option(cl, "selftest", &value))
		selftest_run(value);
	if (cmdline_option(cl, "exit", &value)) {
		status = parse_status(value);
		if (status < 0) {
			kprintf(
			    "bootreport: exit=%s is not a status from 0 to 127; exiting with 1\n",
			    value);
			status = 1;
		}
	}
	return status;
}
