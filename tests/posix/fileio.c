/* fileio.c - preadv/pwritev, posix_fadvise, sync_file_range and their errors; getauxval's
 * values that a Linux process and an image share; the long double roundings (ceill,
 * floorl, truncl, roundl, llroundl, rintl...) on exact, halfway and special values. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common.h"

static void result(const char *what, long r)
{
	printf("%s: %ld %s\n", what, r, r < 0 ? errname(errno) : "");
}

int main(void)
{
	char path[] = "/tmp/vmos-fileio-XXXXXX";
	int fd = mkstemp(path);
	char a[] = "hello ", b[] = "vectored ", c[] = "world";
	struct iovec out[3] = {{a, 6}, {b, 9}, {c, 5}};
	result("pwritev at 4", (long)pwritev(fd, out, 3, 4));
	printf("offset after pwritev: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
	char x[8] = {0}, y[32] = {0};
	struct iovec in[2] = {{x, 7}, {y, 31}};
	result("preadv at 4", (long)preadv(fd, in, 2, 4));
	printf("read: [%s] [%s]\n", x, y);
	char hole[4];
	struct iovec h = {hole, 4};
	result("preadv of the hole", (long)preadv(fd, &h, 1, 0));
	printf("hole bytes: %d %d %d %d\n", hole[0], hole[1], hole[2], hole[3]);
	result("preadv past the end", (long)preadv(fd, in, 2, 1000));
	result("preadv negative offset", (long)preadv(fd, in, 2, -1));
	result("preadv bad count", (long)preadv(fd, in, -1, 0));
	result("preadv 0 buffers", (long)preadv(fd, in, 0, 0));
	result("preadv closed", (long)preadv(999, in, 1, 0));

	int p[2];
	pipe(p);
	result("preadv pipe", (long)preadv(p[0], in, 1, 0));
	result("pwritev pipe", (long)pwritev(p[1], out, 1, 0));

	printf("posix_fadvise sequential: %d\n", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL));
	printf("posix_fadvise dontneed: %d\n", posix_fadvise(fd, 0, 100, POSIX_FADV_DONTNEED));
	printf("posix_fadvise bad advice: %s\n", errname(posix_fadvise(fd, 0, 0, 99)));
	printf("posix_fadvise negative len: %s\n", errname(posix_fadvise(fd, 0, -1, 0)));
	printf("posix_fadvise pipe: %s\n", errname(posix_fadvise(p[0], 0, 0, 0)));
	printf("posix_fadvise closed: %s\n", errname(posix_fadvise(999, 0, 0, 0)));
	result("sync_file_range", sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE));
	result("sync_file_range bad flags", sync_file_range(fd, 0, 0, 64));
	result("sync_file_range negative", sync_file_range(fd, -1, 0, 0));
	result("sync_file_range pipe", sync_file_range(p[0], 0, 0, 0));
	result("sync_file_range closed", sync_file_range(999, 0, 0, 0));
	close(fd);
	unlink(path);

	/* The tick rate itself differs (Linux's USER_HZ is 100, VMOS's times() counts
	 * milliseconds); what must hold on both is that the two ways of asking agree. */
	printf("AT_PAGESZ %lu AT_CLKTCK is sysconf(_SC_CLK_TCK) %d AT_SECURE %lu AT_UID %lu "
	       "AT_EUID %lu AT_GID %lu\n",
	       getauxval(AT_PAGESZ), getauxval(AT_CLKTCK) == (unsigned long)sysconf(_SC_CLK_TCK),
	       getauxval(AT_SECURE), getauxval(AT_UID), getauxval(AT_EUID), getauxval(AT_GID));
	printf("AT_PLATFORM %s, AT_RANDOM set %d, AT_HWCAP has HWCAP_X86_64 %d\n",
	       (const char *)getauxval(AT_PLATFORM), getauxval(AT_RANDOM) != 0,
	       (int)((getauxval(AT_HWCAP) >> 1) & 1));
	errno = 0;
	unsigned long v = getauxval(12345);
	printf("unknown type: %lu %s\n", v, errname(errno));

	long double values[] = {
	    0.0L,         -0.0L,  1.5L,           -1.5L,    2.5L,     -2.5L, 0.49999999999999999L,
	    1e18L + 0.5L, -7.75L, 123456789.125L, INFINITY, -INFINITY};
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		long double z = values[i];
		/* Printed as doubles: the results are integers a double holds exactly. */
		printf(
		    "%.17g: ceil %.17g floor %.17g trunc %.17g round %.17g rint %.17g fabs %.17g",
		    (double)z, (double)ceill(z), (double)floorl(z), (double)truncl(z),
		    (double)roundl(z), (double)rintl(z), (double)fabsl(z));
		if (isfinite(z))
			printf(" llround %lld lround %ld llrint %lld", llroundl(z), lroundl(z),
			       llrintl(z));
		printf("\n");
	}
	long double n = (long double)NAN;
	printf("nan: ceil is nan %d, round is nan %d\n", isnan(ceill(n)), isnan(roundl(n)));
	return 0;
}
