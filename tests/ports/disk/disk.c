/* disk.c - files on the ext4 disk at /data (see port.mk). One mode per boot:
 *   write  makes the tree the host and the next boot check, syncing it
 *   read   finds it all again (after a reboot) and the file mke2fs put there
 *   full   fills the disk to ENOSPC: the error is clean and nothing else is lost
 *   ro     on a read-only mount: every change is EROFS, reads work
 *   cache  reads a file twice (the second time from the page cache, which takes free
 *          memory), overwrites part of it and reads it back before and after the commit,
 *          then takes the memory back with malloc (the cache gives it up) and reads the
 *          file once more
 *   crash  writes numbered files under /data/c, each fsynced before "synced N" is printed,
 *          and replaces /data/c/cur by rename, "renamed N" after it, and keeps up to three
 *          files of /data/o open after unlinking them; forever, until the test kills the
 *          VM (tests/boot/disk-crash-tests.sh)
 *   mount  mounts, says so and ends (the disk is unmounted clean at power-off)
 * Each check prints a line; the first failure prints FAIL and exits 1. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <unistd.h>

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		printf("FAIL: " __VA_ARGS__);                                                      \
		printf(" (errno %d %s)\n", errno, strerror(errno));                                \
		exit(1);                                                                           \
	} while (0)
#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			FAIL(__VA_ARGS__);                                                         \
	} while (0)

#define MiB (1024 * 1024)

static uint8_t pattern(uint64_t off, unsigned tag)
{
	return (uint8_t)(off * 31 + tag * 7 + (off >> 12));
}

static void write_file(const char *path, size_t size, unsigned tag)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0, "create %s", path);
	static uint8_t buf[64 * 1024];
	for (size_t off = 0; off < size;) {
		size_t n = size - off < sizeof(buf) ? size - off : sizeof(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(off + i, tag);
		CHECK(write(fd, buf, n) == (ssize_t)n, "write %s", path);
		off += n;
	}
	CHECK(fsync(fd) == 0, "fsync %s", path);
	CHECK(close(fd) == 0, "close %s", path);
}

static void check_file(const char *path, size_t size, unsigned tag)
{
	struct stat st;
	CHECK(stat(path, &st) == 0 && st.st_size == (off_t)size, "size of %s", path);
	int fd = open(path, O_RDONLY);
	CHECK(fd >= 0, "open %s", path);
	static uint8_t buf[64 * 1024];
	for (size_t off = 0; off < size;) {
		size_t n = size - off < sizeof(buf) ? size - off : sizeof(buf);
		CHECK(read(fd, buf, n) == (ssize_t)n, "read %s", path);
		for (size_t i = 0; i < n; i++)
			CHECK(buf[i] == pattern(off + i, tag), "%s byte %zu", path, off + i);
		off += n;
	}
	CHECK(read(fd, buf, 1) == 0, "end of %s", path);
	close(fd);
}

static int names_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directory's names, sorted, on one line. */
static void list(const char *dir)
{
	DIR *d = opendir(dir);
	CHECK(d, "opendir %s", dir);
	char *names[64];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 64)
		names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), names_cmp);
	printf("%s:", dir);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

static void do_write(void)
{
	struct stat st;
	CHECK(stat("/data", &st) == 0 && S_ISDIR(st.st_mode) && st.st_ino == 2, "/data's root");
	CHECK(stat("/tmp", &st) == 0, "/tmp is still there");
	check_file("/data/from-mkfs/hello.txt", 0, 0); /* the host made it empty: see below */
	CHECK(mkdir("/data/srv", 0755) == 0, "mkdir");
	CHECK(mkdir("/data/srv", 0755) == -1 && errno == EEXIST, "mkdir again: EEXIST");
	CHECK(mkdir("/data/srv/a", 0700) == 0 && mkdir("/data/srv/b", 0700) == 0, "mkdir a b");
	write_file("/data/srv/small", 100, 1);
	write_file("/data/srv/big", 3 * MiB + 123, 2);
	write_file("/data/srv/a/moved-dir-file", 5000, 3);
	/* rename over an existing file, and a directory into another one */
	write_file("/data/srv/new", 4096, 4);
	CHECK(rename("/data/srv/new", "/data/srv/small") == 0, "rename over a file");
	CHECK(rename("/data/srv/a", "/data/srv/b/a") == 0, "rename a directory");
	CHECK(rmdir("/data/srv/b") == -1 && errno == ENOTEMPTY, "rmdir of a full directory");
	CHECK(rename("/data/srv/big", "/tmp/big") == -1 && errno == EXDEV, "rename to /tmp: EXDEV");
	CHECK(rmdir("/data") == -1 && errno == EBUSY, "rmdir of the mount point: EBUSY");
	/* a file unlinked while open stays readable and writable, and goes at its close */
	write_file("/data/srv/gone", 10000, 5);
	int fd = open("/data/srv/gone", O_RDWR);
	CHECK(fd >= 0 && unlink("/data/srv/gone") == 0, "unlink an open file");
	uint8_t b[100];
	CHECK(pread(fd, b, 100, 5000) == 100 && b[0] == pattern(5000, 5), "read after unlink");
	memset(b, 0x5a, sizeof(b));
	CHECK(pwrite(fd, b, 100, 300000) == 100 && fsync(fd) == 0, "write after unlink");
	CHECK(pread(fd, b, 100, 300000) == 100 && b[99] == 0x5a, "read back after unlink");
	close(fd);
	/* a sparse file with data past 4 GiB */
	fd = open("/data/srv/sparse", O_RDWR | O_CREAT, 0600);
	CHECK(fd >= 0, "create sparse");
	uint64_t far = 5ull * 1024 * MiB + 17;
	CHECK(pwrite(fd, "far", 3, (off_t)far) == 3, "pwrite past 4 GiB");
	CHECK(fstat(fd, &st) == 0 && st.st_size == (off_t)(far + 3), "sparse size");
	printf("sparse: %lld bytes in %lld blocks\n", (long long)st.st_size,
	       (long long)st.st_blocks);
	CHECK(st.st_blocks < 1000, "sparse file allocated only what was written");
	CHECK(fsync(fd) == 0, "fsync sparse");
	close(fd);
	/* truncate down and up */
	write_file("/data/srv/trunc", 20000, 6);
	CHECK(truncate("/data/srv/trunc", 1000) == 0 && truncate("/data/srv/trunc", 3000) == 0,
	      "truncate");
	/* links, modes, times */
	CHECK(symlink("b/a/moved-dir-file", "/data/srv/link") == 0, "symlink");
	char target[64];
	ssize_t n = readlink("/data/srv/link", target, sizeof(target));
	CHECK(n == 18 && !memcmp(target, "b/a/moved-dir-file", 18), "readlink");
	CHECK(chmod("/data/srv/small", 0600) == 0, "chmod");
	struct timeval tv[2] = {{1000000000, 0}, {1234567890, 0}};
	CHECK(utimes("/data/srv/small", tv) == 0, "utimes");
	struct statvfs vfs;
	CHECK(statvfs("/data", &vfs) == 0, "statvfs");
	printf("statvfs: block %lu, %llu blocks, %llu free, %llu files, %llu free, name %lu, flag "
	       "%lu\n",
	       vfs.f_bsize, (unsigned long long)vfs.f_blocks, (unsigned long long)vfs.f_bfree,
	       (unsigned long long)vfs.f_files, (unsigned long long)vfs.f_ffree, vfs.f_namemax,
	       vfs.f_flag);
	CHECK(vfs.f_bsize >= 1024 && vfs.f_blocks > 1000 && vfs.f_bfree < vfs.f_blocks, "statvfs");
	list("/data/srv");
	list("/data/srv/b/a");
	sync();
	printf("disk write ok\n");
}

static void do_read(void)
{
	struct stat st;
	list("/data");
	list("/data/srv");
	list("/data/srv/b/a");
	/* Before reading it: a read updates the access time. */
	CHECK(stat("/data/srv/small", &st) == 0 && (st.st_mode & 07777) == 0600 &&
	          st.st_mtime == 1234567890 && st.st_atime == 1000000000,
	      "mode and times kept");
	check_file("/data/srv/small", 4096, 4);
	check_file("/data/srv/big", 3 * MiB + 123, 2);
	check_file("/data/srv/b/a/moved-dir-file", 5000, 3);
	check_file("/data/srv/link", 5000, 3);
	CHECK(stat("/data/srv/trunc", &st) == 0 && st.st_size == 3000, "truncated size");
	int fd = open("/data/srv/trunc", O_RDONLY);
	uint8_t b[3000];
	CHECK(fd >= 0 && read(fd, b, 3000) == 3000, "read truncated");
	for (int i = 0; i < 3000; i++)
		CHECK(b[i] == (i < 1000 ? pattern((uint64_t)i, 6) : 0), "truncated byte %d", i);
	close(fd);
	fd = open("/data/srv/sparse", O_RDONLY);
	char far[3];
	CHECK(fd >= 0 && pread(fd, far, 3, (off_t)(5ull * 1024 * MiB + 17)) == 3 &&
	          !memcmp(far, "far", 3),
	      "sparse data past 4 GiB");
	CHECK(pread(fd, b, 100, 4096) == 100 && b[0] == 0 && b[99] == 0, "a hole reads as zeros");
	close(fd);
	CHECK(stat("/data/srv/gone", &st) == -1 && errno == ENOENT, "the unlinked file is gone");
	struct stat hs;
	CHECK(stat("/data/from-mkfs/hello.txt", &hs) == 0, "mkfs's file");
	printf("disk read ok\n");
}

static void do_full(void)
{
	struct statvfs vfs;
	CHECK(statvfs("/data", &vfs) == 0, "statvfs");
	int fd = open("/data/filler", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0, "create filler");
	static uint8_t buf[256 * 1024];
	memset(buf, 0x5a, sizeof(buf));
	uint64_t total = 0;
	ssize_t n;
	while ((n = write(fd, buf, sizeof(buf))) > 0)
		total += (uint64_t)n;
	CHECK(n == -1 && errno == ENOSPC, "the disk fills with ENOSPC");
	printf("filled: ENOSPC after %llu MiB\n", (unsigned long long)(total / MiB));
	CHECK(total > (uint64_t)vfs.f_bavail * vfs.f_bsize / 2,
	      "most of the free space was usable");
	CHECK(statvfs("/data", &vfs) == 0 && vfs.f_bavail == 0, "no blocks left");
	int more = open("/data/more", O_WRONLY | O_CREAT, 0644);
	CHECK(more >= 0 || errno == ENOSPC, "create on a full disk");
	/* Left open while unlinked: freed at power-off. */
	close(fd);
	check_file("/data/srv/big", 3 * MiB + 123, 2);
	CHECK(unlink("/data/filler") == 0, "unlink filler");
	unlink("/data/more");
	sync();
	CHECK(statvfs("/data", &vfs) == 0 && vfs.f_bavail > 0, "space back");
	write_file("/data/after-full", 1000, 7);
	check_file("/data/after-full", 1000, 7);
	printf("disk full ok\n");
}

static void do_ro(void)
{
	struct statvfs vfs;
	CHECK(statvfs("/data", &vfs) == 0 && (vfs.f_flag & ST_RDONLY), "ST_RDONLY");
	check_file("/data/srv/big", 3 * MiB + 123, 2);
	CHECK(open("/data/x", O_WRONLY | O_CREAT, 0644) == -1 && errno == EROFS, "create: EROFS");
	CHECK(open("/data/srv/big", O_RDWR) == -1 && errno == EROFS, "open O_RDWR: EROFS");
	CHECK(mkdir("/data/d", 0755) == -1 && errno == EROFS, "mkdir: EROFS");
	CHECK(unlink("/data/srv/big") == -1 && errno == EROFS, "unlink: EROFS");
	CHECK(rename("/data/srv/big", "/data/srv/b2") == -1 && errno == EROFS, "rename: EROFS");
	CHECK(chmod("/data/srv/big", 0) == -1 && errno == EROFS, "chmod: EROFS");
	CHECK(truncate("/data/srv/big", 0) == -1 && errno == EROFS, "truncate: EROFS");
	printf("disk ro ok\n");
}

/* File N's size: from 1 byte to 48 KiB, so that some take one block and some many. */
static size_t crash_size(unsigned n)
{
	return 1 + (n * 7919u) % (48 * 1024);
}

static void do_crash(void)
{
	char path[64];
	unsigned n = 0;
	struct stat st;

	mkdir("/data/c", 0755);
	mkdir("/data/o", 0755);
	/* Continue after the highest number the last boot wrote (complete or not; lower
	 * ones may have been unlinked). */
	DIR *d = opendir("/data/c");
	CHECK(d, "opendir /data/c");
	struct dirent *e;
	while ((e = readdir(d))) {
		unsigned k;
		if (sscanf(e->d_name, "f%u", &k) == 1 && k + 1 > n)
			n = k + 1;
	}
	closedir(d);
	(void)st;
	printf("crash: starting at %u\n", n);
	for (;; n++) {
		snprintf(path, sizeof(path), "/data/c/f%u", n);
		write_file(path, crash_size(n), n % 251);
		printf("synced %u\n", n);
		if (n % 4 == 0) {
			write_file("/data/c/cur.tmp", 3000 + n % 1000, n % 251);
			CHECK(rename("/data/c/cur.tmp", "/data/c/cur") == 0, "rename");
			int dir = open("/data/c", O_RDONLY);
			CHECK(dir >= 0 && fsync(dir) == 0, "fsync of the directory");
			close(dir);
			printf("renamed %u\n", n);
		}
		if (n % 4 == 2) {
			/* Files unlinked while open: up to three held at any time, each on the
			 * disk's orphan list until its close frees it. */
			static int held[3] = {-1, -1, -1};
			int slot = (int)(n / 4 % 3);
			if (held[slot] >= 0)
				CHECK(close(held[slot]) == 0, "close of an unlinked file");
			snprintf(path, sizeof(path), "/data/o/h%u", n);
			write_file(path, 20000 + n % 5000, 3);
			held[slot] = open(path, O_RDONLY);
			CHECK(held[slot] >= 0 && unlink(path) == 0, "unlink of an open file");
			sync();
			uint8_t b;
			CHECK(pread(held[slot], &b, 1, 100) == 1 && b == pattern(100, 3),
			      "read after unlink");
		}
		if (n % 16 == 15) {
			/* Deletions too: an earlier file goes (the host is told which). */
			snprintf(path, sizeof(path), "/data/c/f%u", n - 15);
			CHECK(unlink(path) == 0, "unlink");
			sync();
			printf("unlinked %u\n", n - 15);
		}
	}
}

static long free_mib(void)
{
	return sysconf(_SC_AVPHYS_PAGES) / 256;
}

/* The page cache: it fills free memory with what is read, stays right when the file
 * changes under it, and gives the memory back when the application wants it. */
static void do_cache(void)
{
	const size_t size = 20 * MiB;
	write_file("/data/cached", size, 5);
	long before = free_mib();
	check_file("/data/cached", size, 5);
	check_file("/data/cached", size, 5); /* a second reading is cached */
	long after = free_mib();
	printf("cache: %ld MiB free before, %ld after reading 20 MiB twice\n", before, after);
	CHECK(before - after >= 16, "the page cache holds the file");
	/* A change of cached pages: seen before the commit (held) and after it (on disk). */
	int fd = open("/data/cached", O_RDWR);
	CHECK(fd >= 0, "open for writing");
	static uint8_t patch[3 * 4096 + 100], back[sizeof(patch)];
	memset(patch, 0xa5, sizeof(patch));
	CHECK(pwrite(fd, patch, sizeof(patch), 5 * MiB + 1000) == (ssize_t)sizeof(patch), "pwrite");
	CHECK(pread(fd, back, sizeof(back), 5 * MiB + 1000) == (ssize_t)sizeof(back) &&
	          !memcmp(back, patch, sizeof(back)),
	      "read back before the commit");
	CHECK(fsync(fd) == 0, "fsync");
	CHECK(pread(fd, back, sizeof(back), 5 * MiB + 1000) == (ssize_t)sizeof(back) &&
	          !memcmp(back, patch, sizeof(back)),
	      "read back after the commit");
	CHECK(pread(fd, back, 4096, 5 * MiB + 1000 - 4096) == 4096, "pread before the patch");
	for (size_t i = 0; i < 4096; i++)
		CHECK(back[i] == pattern(5 * MiB + 1000 - 4096 + i, 5), "byte %zu before the patch",
		      i);
	close(fd);
	/* The application takes the memory: the cache has to give it up. */
	enum { CHUNK = 256 * 1024 };
	static void *chunks[1024];
	size_t n = 0;
	long want = before - 8; /* the cache's reserve is 4 MiB, and some slack */
	while (n < 1024 && (long)(n * CHUNK / MiB) < want && (chunks[n] = malloc(CHUNK))) {
		memset(chunks[n], (int)n, CHUNK);
		n++;
	}
	printf("cache: malloc took %zu MiB back\n", n * CHUNK / MiB);
	CHECK((long)(n * CHUNK / MiB) >= want, "malloc gets the cache's memory");
	while (n)
		free(chunks[--n]);
	/* The file again: the patch and the rest. */
	fd = open("/data/cached", O_RDONLY);
	CHECK(fd >= 0 && pread(fd, back, sizeof(back), 5 * MiB + 1000) == (ssize_t)sizeof(back) &&
	          !memcmp(back, patch, sizeof(back)),
	      "the patch after the squeeze");
	CHECK(pread(fd, back, 4096, 12 * MiB) == 4096, "pread after the squeeze");
	for (size_t i = 0; i < 4096; i++)
		CHECK(back[i] == pattern(12 * MiB + i, 5), "byte %zu after the squeeze", i);
	close(fd);
	CHECK(unlink("/data/cached") == 0, "unlink");
	printf("disk cache ok\n");
}

/* Two disks: vda at /data, vdb at /logs; each its own file system. */
static void do_two(void)
{
	struct stat a, b;
	struct statvfs va, vb;
	CHECK(stat("/data", &a) == 0 && stat("/logs", &b) == 0, "both mount points");
	CHECK(a.st_dev != b.st_dev && a.st_ino == 2 && b.st_ino == 2, "two file systems");
	printf("st_dev %u:%u and %u:%u\n", (unsigned)(a.st_dev >> 8) & 0xff,
	       (unsigned)a.st_dev & 0xff, (unsigned)(b.st_dev >> 8) & 0xff,
	       (unsigned)b.st_dev & 0xff);
	CHECK(statvfs("/data", &va) == 0 && statvfs("/logs", &vb) == 0 && va.f_fsid != vb.f_fsid,
	      "statvfs fsid");
	write_file("/logs/one", 5000, 9);
	write_file("/data/two", 7000, 10);
	CHECK(rename("/logs/one", "/data/one") == -1 && errno == EXDEV,
	      "rename across disks: EXDEV");
	check_file("/logs/one", 5000, 9);
	check_file("/data/two", 7000, 10);
	printf("disk two ok\n");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "write";
	if (!strcmp(mode, "write"))
		do_write();
	else if (!strcmp(mode, "read"))
		do_read();
	else if (!strcmp(mode, "full"))
		do_full();
	else if (!strcmp(mode, "ro"))
		do_ro();
	else if (!strcmp(mode, "crash"))
		do_crash();
	else if (!strcmp(mode, "cache"))
		do_cache();
	else if (!strcmp(mode, "mount"))
		printf("disk mounted\n");
	else if (!strcmp(mode, "two"))
		do_two();
	else
		FAIL("unknown mode %s", mode);
	return 0;
}
