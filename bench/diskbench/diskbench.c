/* diskbench.c DIR MIB SECONDS - disk throughput on a file system, the same program in VMOS
 * and in the Linux guest (bench/disk.py): writes DIR/diskbench.dat, MIB MiB in 1 MiB
 * writes, and fsyncs it (sequential write); reads it back in 1 MiB reads (sequential
 * read); then reads 4 KiB at random 4 KiB-aligned offsets of it for SECONDS (random-read
 * IOPS, one at a time). Before each read phase the Linux guest's page cache is dropped
 * (/proc/sys/vm/drop_caches, when it exists: VMOS has no page cache), so both read from
 * the disk. One "diskbench: NAME VALUE UNIT" line per figure; exit 1 on an error. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MiB (1024 * 1024)

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	printf("diskbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void drop_caches(void)
{
	sync();
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "3\n", 2) != 2)
			die("drop_caches");
		close(fd);
	}
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		printf("usage: diskbench DIR MIB SECONDS\n");
		return 2;
	}
	char path[512];
	snprintf(path, sizeof(path), "%s/diskbench.dat", argv[1]);
	long mib = atol(argv[2]);
	double seconds = atof(argv[3]);
	uint8_t *buf = malloc(MiB);
	if (!buf || mib <= 0 || seconds <= 0)
		return 2;
	for (int i = 0; i < MiB; i++)
		buf[i] = (uint8_t)(i * 131 + 7);

	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("create");
	double t0 = now();
	for (long i = 0; i < mib; i++) {
		buf[0] = (uint8_t)i;
		if (write(fd, buf, MiB) != MiB)
			die("write");
	}
	if (fsync(fd))
		die("fsync");
	double t = now() - t0;
	close(fd);
	printf("diskbench: seq-write %.1f MB/s\n", (double)mib * MiB / 1e6 / t);

	drop_caches();
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open");
	t0 = now();
	for (long i = 0; i < mib; i++)
		if (read(fd, buf, MiB) != MiB || buf[0] != (uint8_t)i)
			die("read");
	t = now() - t0;
	printf("diskbench: seq-read %.1f MB/s\n", (double)mib * MiB / 1e6 / t);

	drop_caches();
	uint64_t blocks = (uint64_t)mib * MiB / 4096, x = 88172645463325252ull, n = 0;
	t0 = now();
	double end = t0 + seconds;
	while ((t = now()) < end) {
		for (int k = 0; k < 16; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			if (pread(fd, buf, 4096, (off_t)(x % blocks) * 4096) != 4096)
				die("pread");
			n++;
		}
	}
	close(fd);
	printf("diskbench: rand-read-4k %.0f IOPS\n", (double)n / (t - t0));
	unlink(path);
	return 0;
}
