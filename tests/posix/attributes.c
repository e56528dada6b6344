/* attributes.c - a file's permission bits, owner and times: chmod and fchmod, chown and
 * fchown (as root), utime, utimes, utimensat with UTIME_NOW and UTIME_OMIT, futimens, and
 * their errors. Run as root on Linux, as make test is. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "common.h"

static void result(const char *what, int r)
{
	printf("%s: %d %s\n", what, r, r < 0 ? errname(errno) : "");
}

static void show(const char *what, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		printf("%s: stat %s\n", what, errname(errno));
		return;
	}
	printf("%s: mode %o uid %u gid %u atime %lld.%09ld mtime %lld.%09ld\n", what,
	       (unsigned)st.st_mode, (unsigned)st.st_uid, (unsigned)st.st_gid,
	       (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec,
	       st.st_mtim.tv_nsec);
}

int main(void)
{
	char dir[] = "/tmp/vmos-attrs-XXXXXX";
	char path[64], sub[64];

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/file", dir);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	umask(022);
	int fd = open(path, O_CREAT | O_RDWR, 0666);
	mkdir(sub, 0777);
	struct stat st;
	fstat(fd, &st);
	printf("created: mode %o uid %u gid %u\n", (unsigned)st.st_mode, (unsigned)st.st_uid,
	       (unsigned)st.st_gid);

	result("chmod 0600", chmod(path, 0600));
	result("fchmod 04751", fchmod(fd, 04751));
	fstat(fd, &st);
	printf("mode now %o\n", (unsigned)st.st_mode);
	result("chmod dir 0700", chmod(sub, 0700));
	stat(sub, &st);
	printf("dir mode %o\n", (unsigned)st.st_mode);
	result("fchmodat", fchmodat(AT_FDCWD, path, 0644, 0));
	result("chmod missing", chmod("/tmp/vmos-no-such-file", 0644));
	result("fchmod bad fd", fchmod(999, 0644));

	result("chown 33:33", chown(path, 33, 33));
	result("fchown keep uid, gid 65534", fchown(fd, (uid_t)-1, 65534));
	result("lchown dir 33 keep gid", lchown(sub, 33, (gid_t)-1));
	stat(path, &st);
	printf("owned: mode %o uid %u gid %u\n", (unsigned)st.st_mode, (unsigned)st.st_uid,
	       (unsigned)st.st_gid);
	stat(sub, &st);
	printf("dir owner %u:%u\n", (unsigned)st.st_uid, (unsigned)st.st_gid);
	result("chown missing", chown("/tmp/vmos-no-such-file", 1, 1));

	struct utimbuf ub = {.actime = 1000000000, .modtime = 1234567890};
	result("utime", utime(path, &ub));
	show("utime", path);
	struct timeval tv[2] = {{.tv_sec = 1500000000, .tv_usec = 250000},
	                        {.tv_sec = 1600000000, .tv_usec = 999999}};
	result("utimes", utimes(path, tv));
	show("utimes", path);
	tv[1].tv_usec = 1000000;
	result("utimes bad usec", utimes(path, tv));
	struct timespec ts[2] = {{.tv_sec = 1700000000, .tv_nsec = 123456789},
	                         {.tv_sec = 0, .tv_nsec = UTIME_OMIT}};
	result("utimensat atime, omit mtime", utimensat(AT_FDCWD, path, ts, 0));
	show("utimensat", path);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = 42;
	ts[1].tv_nsec = 7;
	result("futimens omit atime", futimens(fd, ts));
	show("futimens", path);
	ts[1].tv_nsec = 1000000000;
	result("futimens bad nsec", futimens(fd, ts));
	result("utimensat missing", utimensat(AT_FDCWD, "/tmp/vmos-no-such-file", NULL, 0));
	result("utimensat bad flags", utimensat(AT_FDCWD, path, NULL, 0x4000));

	/* Times set to now: compared only as "recent". */
	time_t before = time(NULL);
	result("utimes now", utimes(path, NULL));
	stat(path, &st);
	printf("now: %s\n", st.st_mtim.tv_sec >= before && st.st_mtim.tv_sec <= before + 5 &&
	                            st.st_atim.tv_sec == st.st_mtim.tv_sec
	                        ? "recent"
	                        : "wrong");

	close(fd);
	unlink(path);
	rmdir(sub);
	rmdir(dir);
	return 0;
}
