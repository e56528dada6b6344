/* blockdev.c - a disk through /dev/vda (see port.mk). "rw" (default) expects a disk of at
 * least 4 GiB + 1 MiB whose first 4 MiB hold pattern 0 and writes patterns 1-6 where
 * tests/boot/blockdev-tests.sh looks for them; "ro" expects a read-only disk. Prints one
 * line per check and "blockdev ok" at the end; exits 1 at the first failure. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define MiB (1024 * 1024ull)
#define GiB (1024 * MiB)

static int fd;

/* The byte pattern @tag has at disk offset @off (the host test computes the same). */
static uint8_t pattern(uint64_t off, unsigned tag)
{
	return (uint8_t)(off * 7 + tag * 13 + (off >> 9));
}

static void fill(uint8_t *buf, uint64_t off, size_t len, unsigned tag)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = pattern(off + i, tag);
}

static int check(const uint8_t *buf, uint64_t off, size_t len, unsigned tag)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != pattern(off + i, tag)) {
			printf("mismatch at %llu: %u, pattern %u wants %u\n",
			       (unsigned long long)(off + i), buf[i], tag, pattern(off + i, tag));
			return -1;
		}
	return 0;
}

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		printf("FAIL: " __VA_ARGS__);                                                      \
		printf(" (errno %d %s)\n", errno, strerror(errno));                                \
		exit(1);                                                                           \
	} while (0)

static void write_at(const uint8_t *buf, uint64_t off, size_t len, const char *what)
{
	ssize_t n = pwrite(fd, buf, len, (off_t)off);
	if (n != (ssize_t)len)
		FAIL("pwrite %s: %zd of %zu at %llu", what, n, len, (unsigned long long)off);
	printf("wrote %s: %zu bytes at %llu\n", what, len, (unsigned long long)off);
}

static void read_check(uint64_t off, size_t len, unsigned tag, const char *what)
{
	uint8_t *buf = malloc(len);
	if (!buf || pread(fd, buf, len, (off_t)off) != (ssize_t)len)
		FAIL("pread %s", what);
	if (check(buf, off, len, tag))
		FAIL("%s reads back wrong", what);
	free(buf);
	printf("read back %s: ok\n", what);
}

/* Each thread reads its own MiB of pattern 0, 64 KiB a call, and checks it. */
static void *reader(void *arg)
{
	uint64_t base = (uintptr_t)arg * MiB;
	uint8_t *buf = malloc(64 * 1024);
	for (uint64_t off = base; off < base + MiB; off += 64 * 1024)
		if (pread(fd, buf, 64 * 1024, (off_t)off) != 64 * 1024 ||
		    check(buf, off, 64 * 1024, 0))
			return (void *)1;
	free(buf);
	return NULL;
}

static void read_only(void)
{
	int rw = open("/dev/vda", O_RDWR);
	if (rw >= 0 || errno != EROFS)
		FAIL("open O_RDWR of a read-only disk: %d", rw);
	printf("open O_RDWR: EROFS\n");
	fd = open("/dev/vda", O_RDONLY);
	int ro = 0;
	if (fd < 0 || ioctl(fd, BLKROGET, &ro) || ro != 1)
		FAIL("BLKROGET");
	printf("BLKROGET: %d\n", ro);
	read_check(0, MiB, 0, "the first MiB");
	if (pwrite(fd, "x", 1, 0) != -1 || errno != EBADF)
		FAIL("pwrite on O_RDONLY");
	printf("pwrite on O_RDONLY: EBADF\n");
}

int main(int argc, char **argv)
{
	struct stat st;

	if (argc > 1 && !strcmp(argv[1], "ro")) {
		read_only();
		printf("blockdev ok\n");
		return 0;
	}
	if (stat("/dev/vda", &st) || !S_ISBLK(st.st_mode))
		FAIL("/dev/vda is not a block device");
	printf("/dev/vda: block device %u:%u\n", major(st.st_rdev), minor(st.st_rdev));
	if (stat("/dev/vdb", &st) == 0 || errno != ENOENT)
		FAIL("/dev/vdb exists with one disk");
	fd = open("/dev/vda", O_RDWR);
	if (fd < 0)
		FAIL("open /dev/vda");
	uint64_t size = 0;
	int ssz = 0;
	if (ioctl(fd, BLKGETSIZE64, &size) || ioctl(fd, BLKSSZGET, &ssz))
		FAIL("ioctl");
	off_t end = lseek(fd, 0, SEEK_END);
	printf("size %llu bytes, lseek end %lld, sector size %d\n", (unsigned long long)size,
	       (long long)end, ssz);
	if ((uint64_t)end != size || size < 4 * GiB + MiB)
		FAIL("size");

	read_check(0, 4 * MiB, 0, "the host's 4 MiB");
	pthread_t t[4];
	for (uintptr_t i = 0; i < 4; i++)
		if (pthread_create(&t[i], NULL, reader, (void *)i))
			FAIL("pthread_create");
	int bad = 0;
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		bad += r != NULL;
	}
	if (bad)
		FAIL("%d of 4 threads read wrong data", bad);
	printf("4 threads read their MiB at once: ok\n");

	uint8_t *heap = malloc(2 * MiB + 16);
	fill(heap, MiB, 256 * 1024, 1);
	write_at(heap, MiB, 256 * 1024, "pattern 1");
	uint8_t stack[100];
	fill(stack, 2 * MiB + 500, sizeof(stack), 2);
	write_at(stack, 2 * MiB + 500, sizeof(stack), "pattern 2 from the stack");
	fill(heap + 3, 3 * MiB + 512, MiB, 3);
	write_at(heap + 3, 3 * MiB + 512, MiB, "pattern 3 from an odd address");
	fill(heap, 4 * GiB + 3 * 4096 + 17, 9000, 4);
	write_at(heap, 4 * GiB + 3 * 4096 + 17, 9000, "pattern 4 past 4 GiB");
	fill(heap, size - 512, 512, 5);
	write_at(heap, size - 512, 512, "pattern 5 in the last sector");
	fill(heap, size - 100, 200, 6);
	ssize_t n = pwrite(fd, heap, 200, (off_t)(size - 100));
	printf("pwrite of 200 bytes 100 before the end: %zd\n", n);
	n = pwrite(fd, heap, 1, (off_t)size);
	printf("pwrite at the end: %zd %s\n", n, n < 0 ? strerror(errno) : "");
	n = pread(fd, heap, 1, (off_t)size);
	printf("pread at the end: %zd\n", n);
	if (fsync(fd))
		FAIL("fsync");
	printf("fsync: ok\n");

	read_check(MiB, 256 * 1024, 1, "pattern 1");
	read_check(2 * MiB + 500, 100, 2, "pattern 2");
	read_check(2 * MiB + 400, 100, 0, "pattern 0 before pattern 2");
	read_check(2 * MiB + 600, 100, 0, "pattern 0 after pattern 2");
	read_check(3 * MiB + 512, MiB, 3, "pattern 3");
	read_check(4 * GiB + 3 * 4096 + 17, 9000, 4, "pattern 4");
	read_check(size - 512, 412, 5, "pattern 5");
	read_check(size - 100, 100, 6, "pattern 6");
	/* read() and write() move the offset. */
	if (lseek(fd, (off_t)MiB, SEEK_SET) != (off_t)MiB || read(fd, heap, 1000) != 1000 ||
	    check(heap, MiB, 1000, 1) || lseek(fd, 0, SEEK_CUR) != (off_t)(MiB + 1000))
		FAIL("read at the offset");
	printf("read at the offset: ok\n");
	if (close(fd))
		FAIL("close");
	sync();
	printf("blockdev ok\n");
	return 0;
}
