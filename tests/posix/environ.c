/* environ.c - the environment calls (getenv, setenv, unsetenv, putenv, environ) and the
 * process identity calls, on variables the program sets itself: the environments the
 * host and the VM start with differ. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

extern char **environ;

static void show(const char *name)
{
	const char *v = getenv(name);

	printf("getenv(%s) = %s\n", name, v ? v : "(null)");
}

/* How many entries of environ start with "@name=". */
static int count_in_environ(const char *name)
{
	size_t len = strlen(name);
	int n = 0;

	for (char **e = environ; *e; e++)
		n += !strncmp(*e, name, len) && (*e)[len] == '=';
	return n;
}

int main(void)
{
	static char putenv_entry[] = "VMOS_PUT=by putenv";

	show("VMOS_TEST_A");
	CHECK(setenv("VMOS_TEST_A", "one", 0));
	show("VMOS_TEST_A");
	CHECK(setenv("VMOS_TEST_A", "two", 0));
	show("VMOS_TEST_A");
	CHECK(setenv("VMOS_TEST_A", "three", 1));
	show("VMOS_TEST_A");
	printf("in environ: %d\n", count_in_environ("VMOS_TEST_A"));
	CHECK(setenv("VMOS_TEST_B", "", 1));
	show("VMOS_TEST_B");
	CHECK(setenv("BAD=NAME", "x", 1));
	CHECK(setenv("", "x", 1));
	CHECK(unsetenv("VMOS_TEST_A"));
	show("VMOS_TEST_A");
	printf("in environ: %d\n", count_in_environ("VMOS_TEST_A"));
	CHECK(unsetenv("VMOS_TEST_NEVER_SET"));
	CHECK(unsetenv("BAD=NAME"));
	CHECK(putenv(putenv_entry));
	show("VMOS_PUT");
	putenv_entry[9] = 'B'; /* putenv keeps the caller's string itself */
	show("VMOS_PUT");
	for (int i = 0; i < 200; i++) {
		char name[32], value[32];
		snprintf(name, sizeof(name), "VMOS_MANY_%d", i);
		snprintf(value, sizeof(value), "value %d", i * 7);
		setenv(name, value, 1);
	}
	show("VMOS_MANY_0");
	show("VMOS_MANY_199");
	printf("VMOS_MANY_ entries in environ: %d\n", count_in_environ("VMOS_MANY_123"));

	printf("getpid positive and stable: %d\n", getpid() > 0 && getpid() == getpid());
	printf("getppid positive: %d\n", getppid() >= 0);
	printf("uid/gid agree with effective ones: %d %d\n", getuid() == geteuid(),
	       getgid() == getegid());
	return 0;
}
