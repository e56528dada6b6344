/* libcmisc.c - small C-library calls servers use: dirname, timegm, clearenv,
 * get_current_dir_name, getprotobyname/getprotobynumber, mallinfo2, mlock and friends,
 * flockfile and ftrylockfile, getline and getdelim. */
#define _GNU_SOURCE
#include <features.h>
#include <gnu/libc-version.h>
#include <libgen.h>
#include <malloc.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static void result(const char *what, int r)
{
	printf("%s: %d %s\n", what, r, r < 0 ? errname(errno) : "");
}

static void one_timegm(int year, int mon, int mday, int hour, int min, int sec)
{
	struct tm tm = {.tm_year = year - 1900,
	                .tm_mon = mon,
	                .tm_mday = mday,
	                .tm_hour = hour,
	                .tm_min = min,
	                .tm_sec = sec,
	                .tm_isdst = -1};
	time_t t = timegm(&tm);
	printf("timegm %d-%d-%d %d:%d:%d = %lld -> %04d-%02d-%02d %02d:%02d:%02d wday %d yday %d\n",
	       year, mon, mday, hour, min, sec, (long long)t, tm.tm_year + 1900, tm.tm_mon + 1,
	       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_wday, tm.tm_yday);
}

int main(void)
{
	/* The glibc interface the headers announce is the one the library reports. */
	char announced[16];
	snprintf(announced, sizeof(announced), "%d.%d", __GLIBC__, __GLIBC_MINOR__);
	printf("gnu_get_libc_version matches __GLIBC__.__GLIBC_MINOR__: %s, release %s\n",
	       strcmp(announced, gnu_get_libc_version()) ? "no" : "yes", gnu_get_libc_release());
	printf("__GLIBC_PREREQ(2, 17) %d, __GLIBC_PREREQ(3, 0) %d\n", __GLIBC_PREREQ(2, 17),
	       __GLIBC_PREREQ(3, 0));
	const char *paths[] = {"/usr/lib", "/usr/", "usr",   "/",      "//", "///", ".",     "..",
	                       "//a",      "///a",  "//a/b", "a//b//", "/a", "",    "a/b/c/"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char buf[64];
		strcpy(buf, paths[i]);
		printf("dirname [%s] = [%s]\n", paths[i], dirname(buf));
	}
	printf("dirname NULL = [%s]\n", dirname(NULL));

	one_timegm(1970, 0, 1, 0, 0, 0);
	one_timegm(2000, 1, 29, 12, 30, 45);
	one_timegm(2026, 11, 6, 23, 59, 60);
	one_timegm(2024, 13, 1, 0, 0, 0);
	one_timegm(2024, -1, 1, 0, 0, 0);
	one_timegm(2024, 0, 0, -1, 0, 0);
	one_timegm(1969, 11, 31, 23, 59, 59);
	one_timegm(1900, 2, 1, 0, 0, 0);
	one_timegm(2100, 1, 29, 0, 0, 0);
	one_timegm(2038, 0, 19, 3, 14, 8);

	setenv("VMOS_A", "1", 1);
	setenv("VMOS_B", "2", 1);
	result("clearenv", clearenv());
	printf("after clearenv: A %s, PATH %s\n", getenv("VMOS_A") ? "set" : "unset",
	       getenv("PATH") ? "set" : "unset");
	result("setenv after clearenv", setenv("VMOS_C", "3", 1));
	printf("C = %s\n", getenv("VMOS_C"));

	chdir("/tmp");
	char *cwd = get_current_dir_name();
	printf("get_current_dir_name: %s\n", cwd ? cwd : "NULL");
	free(cwd);
	setenv("PWD", "/tmp/../tmp", 1);
	cwd = get_current_dir_name();
	printf("with PWD=/tmp/../tmp: %s\n", cwd ? cwd : "NULL");
	free(cwd);
	setenv("PWD", "/", 1);
	cwd = get_current_dir_name();
	printf("with a wrong PWD: %s\n", cwd ? cwd : "NULL");
	free(cwd);

	const char *protos[] = {"ip", "tcp", "UDP", "icmp", "ipv6", "sctp", "nope"};
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		struct protoent *p = getprotobyname(protos[i]);
		printf("getprotobyname %s: %s %d alias %s\n", protos[i], p ? p->p_name : "NULL",
		       p ? p->p_proto : -1, p && p->p_aliases[0] ? p->p_aliases[0] : "-");
	}
	int numbers[] = {0, 1, 6, 17, 41, 58, 132, 255, 200};
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		struct protoent *p = getprotobynumber(numbers[i]);
		printf("getprotobynumber %d: %s\n", numbers[i], p ? p->p_name : "NULL");
	}

	struct mallinfo2 before = mallinfo2();
	void *blocks[1000];
	for (int i = 0; i < 1000; i++) {
		blocks[i] = malloc(64);
		memset(blocks[i], i, 64); /* used: not optimised away */
	}
	unsigned sum = 0;
	for (int i = 0; i < 1000; i++)
		sum += ((volatile unsigned char *)blocks[i])[i % 64];
	struct mallinfo2 after = mallinfo2();
	printf("mallinfo2: arena > 0 %d, in use grew by at least 64000 %d (%u)\n", after.arena > 0,
	       after.uordblks >= before.uordblks + 64000, sum);
	struct mallinfo old = mallinfo();
	printf("mallinfo: arena > 0 %d, in use %d\n", old.arena > 0, old.uordblks >= 64000);
	for (int i = 0; i < 1000; i++)
		free(blocks[i]);

	result("mlockall 0", mlockall(0));
	result("mlockall 8", mlockall(8));
	result("mlockall MCL_ONFAULT alone", mlockall(MCL_ONFAULT));
	result("mlockall MCL_CURRENT", mlockall(MCL_CURRENT));
	result("munlockall", munlockall());
	char page[4096];
	result("mlock", mlock(page, sizeof(page)));
	result("munlock", munlock(page, sizeof(page)));

	flockfile(stdout);
	printf("flockfile: held\n");
	printf("ftrylockfile while held by this thread: %d\n", ftrylockfile(stdout));
	funlockfile(stdout);
	funlockfile(stdout);

	char path[] = "/tmp/vmos-misc-XXXXXX";
	int fd = mkstemp(path);
	write(fd, "one\ntwo;three\n\nlast", 19);
	close(fd);
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) >= 0)
		printf("getline %zd [%.*s]\n", n, (int)n, line);
	rewind(f);
	while ((n = getdelim(&line, &cap, ';', f)) >= 0)
		printf("getdelim %zd\n", n);
	errno = 0;
	printf("getline NULL: %zd %s\n", getline(NULL, &cap, f), errname(errno));
	free(line);
	fclose(f);
	unlink(path);
	return 0;
}
