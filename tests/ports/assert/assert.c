/* assert.c - a failed assert() prints newlib's message and stops the VM with a failure
 * status (128 + SIGABRT on the console; 127 through isa-debug-exit). */
#include <assert.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	(void)argv;
	printf("before the assertion\n");
	fflush(stdout);
	assert(argc == 1);
	printf("not reached\n");
	return 0;
}
