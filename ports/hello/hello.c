/* hello.c - the smallest port: prints its arguments and environment, uses the C library
 * (stdio, malloc, strtod, a constructor, atexit) and exits with the status given by its
 * "status=N" argument. Builds and runs unchanged on Linux. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int constructed;

__attribute__((constructor)) static void before_main(void)
{
	constructed = 1;
}

static void at_exit(void)
{
	printf("hello: atexit handler ran\n");
}

int main(int argc, char **argv)
{
	int status = 0;

	atexit(at_exit);
	printf("hello from VMOS: argc=%d constructor=%s\n", argc, constructed ? "ran" : "missing");
	for (int i = 0; i < argc; i++) {
		printf("argv[%d]=%s\n", i, argv[i]);
		if (!strncmp(argv[i], "status=", 7))
			status = (int)strtol(argv[i] + 7, NULL, 10);
	}
	for (char **e = environ; *e; e++)
		printf("env %s\n", *e);
	char *copy = malloc(1 << 20);
	if (!copy)
		return 99;
	memset(copy, 'x', 1 << 20);
	printf("malloc 1 MiB: %s, strtod: %.3f\n", copy[12345] == 'x' ? "ok" : "bad",
	       strtod("2.5e-1", NULL));
	free(copy);
	return status;
}
