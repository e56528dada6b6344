/* devices.c - /dev: null, zero, full, urandom and random read and written, their numbers
 * by fstat and stat, O_TRUNC and O_CREAT on a device, truncate refused, /dev/stdout (a
 * symbolic link) written through, /dev/fd/N of a closed descriptor, readdir's DT_CHR. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common.h"

static void result(const char *what, long r)
{
	if (r < 0)
		printf("%s: -1 %s\n", what, errname(errno));
	else
		printf("%s: %ld\n", what, r);
}

static void show_device(const char *what, const struct stat *st)
{
	printf("%s: %s %u:%u mode %o\n", what, S_ISCHR(st->st_mode) ? "char" : "other",
	       major(st->st_rdev), minor(st->st_rdev), (unsigned)(st->st_mode & 0777));
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

int main(void)
{
	static const char *const names[] = {"null", "zero", "full", "random", "urandom"};
	unsigned char buf[4096], other[64];
	char path[64];
	struct stat st;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "/dev/%s", names[i]);
		int fd = open(path, O_RDWR);
		result(path, fd < 0 ? -1 : 0);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) == 0)
			show_device("  fstat", &st);
		if (stat(path, &st) == 0)
			show_device("  stat", &st);
		memset(buf, 0xaa, sizeof(buf));
		ssize_t n = read(fd, buf, sizeof(buf));
		result("  read 4096", n);
		if (n > 0 && strcmp(names[i], "zero") && strcmp(names[i], "full"))
			printf("  random bytes: %s\n",
			       all_zero(buf, (size_t)n) ? "all zero" : "mixed");
		else if (n > 0)
			printf("  zeros: %s\n", all_zero(buf, (size_t)n) ? "yes" : "no");
		result("  write 100", write(fd, buf, 100));
		result("  lseek", lseek(fd, 0, SEEK_SET) < 0 ? -1 : 0);
		result("  ftruncate", ftruncate(fd, 0));
		close(fd);
	}

	int a = open("/dev/urandom", O_RDONLY), b = open("/dev/urandom", O_RDONLY);
	if (a >= 0 && b >= 0 && read(a, buf, 64) == 64 && read(b, other, 64) == 64)
		printf("two urandom reads differ: %s\n", memcmp(buf, other, 64) ? "yes" : "no");
	close(a);
	close(b);

	/* A shell's "> /dev/null": creating and truncating a device leaves it a device. */
	int fd = open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	result("open /dev/null O_CREAT|O_TRUNC", fd < 0 ? -1 : 0);
	result("  write", write(fd, "x", 1));
	close(fd);
	if (stat("/dev/null", &st) == 0)
		show_device("stat /dev/null after", &st);
	result("open /dev/null O_CREAT|O_EXCL",
	       open("/dev/null", O_WRONLY | O_CREAT | O_EXCL, 0644));
	result("truncate /dev/null", truncate("/dev/null", 0));
	result("open /dev/null O_DIRECTORY", open("/dev/null", O_RDONLY | O_DIRECTORY));
	result("access /dev/null W_OK", access("/dev/null", W_OK));
	FILE *f = fopen("/dev/null", "w");
	result("fopen /dev/null", f ? 0 : -1);
	if (f) {
		result("  fprintf", fprintf(f, "discarded %d\n", 42));
		result("  fclose", fclose(f));
	}

	/* /dev/stdout: a link to descriptor 1's file. Linux opens a regular file (where the
	 * test harness puts stdout) anew: O_APPEND puts the line at its end, and descriptor 1
	 * is moved past it (in VMOS it is the console, which does not seek). */
	if (lstat("/dev/stdout", &st) == 0)
		printf("lstat /dev/stdout: %s\n", S_ISLNK(st.st_mode) ? "link" : "not a link");
	fd = open("/dev/stdout", O_WRONLY | O_APPEND);
	result("open /dev/stdout", fd < 0 ? -1 : 0);
	fflush(stdout);
	if (fd >= 0) {
		static const char line[] = "written through /dev/stdout\n";
		ssize_t n = write(fd, line, sizeof(line) - 1);
		close(fd);
		lseek(STDOUT_FILENO, 0, SEEK_END);
		result("  write", n);
	}
	close(9);
	result("open /dev/fd/9 (closed)", open("/dev/fd/9", O_RDONLY));
	result("stat /dev/fd/9 (closed)", stat("/dev/fd/9", &st));

	DIR *dir = opendir("/dev");
	int seen_null = 0, seen_zero = 0;
	struct dirent *de;
	while (dir && (de = readdir(dir))) {
		if (!strcmp(de->d_name, "null"))
			seen_null = de->d_type == DT_CHR;
		if (!strcmp(de->d_name, "zero"))
			seen_zero = de->d_type == DT_CHR;
	}
	if (dir)
		closedir(dir);
	printf("readdir /dev: null %s, zero %s\n", seen_null ? "DT_CHR" : "missing",
	       seen_zero ? "DT_CHR" : "missing");
	return 0;
}
