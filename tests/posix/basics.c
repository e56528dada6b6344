/* basics.c - the C library and the process basics: formatting, conversions, memory,
 * sorting, math, and the errors of calls on bad descriptors. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static int by_value(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int main(void)
{
	printf("printf: [%5d] [%-5s] [%05.1f] [%x] [%lld] [%zu] [%e]\n", 42, "ab", 3.14159, 255u,
	       -1234567890123LL, sizeof(int64_t), 12345.678);
	printf("strtol: %ld %ld\n", strtol("-0x1f", NULL, 16), strtol("777", NULL, 8));
	errno = 0;
	long big = strtol("99999999999999999999", NULL, 10);
	printf("strtol overflow: %ld %s\n", big, errname(errno));
	printf("strtod: %.6f %.3g\n", strtod("1e-3", NULL), strtod("2.5e10", NULL));
	printf("math: %.6f %.6f %.6f\n", sqrt(2.0), sin(1.0), pow(2.0, 0.5));

	int values[] = {5, 3, 9, 1, 7};
	qsort(values, 5, sizeof(int), by_value);
	printf("qsort: %d %d %d %d %d\n", values[0], values[1], values[2], values[3], values[4]);

	size_t total = 0;
	for (int i = 1; i <= 64; i++) {
		char *p = malloc((size_t)i * 1000);
		memset(p, i, (size_t)i * 1000);
		total += (size_t)p[i * 1000 - 1];
		free(p);
	}
	printf("malloc churn: %zu\n", total);
	char *big_block = calloc(4 << 20, 1);
	printf("calloc 4 MiB zeroed: %s\n", big_block && !big_block[(4 << 20) - 1] ? "yes" : "no");
	free(big_block);

	char buf[8];
	struct stat st;
	CHECK(write(-1, "x", 1));
	CHECK(write(1000, "x", 1));
	CHECK(read(-1, buf, 1));
	CHECK(close(-1));
	CHECK(close(1000));
	CHECK(lseek(-1, 0, SEEK_SET));
	CHECK(fstat(-1, &st));
	CHECK(isatty(-1));
	fflush(stdout);
	CHECK(write(1, "direct write\n", 13));
	return 3;
}
