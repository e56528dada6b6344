/* unavailable.c - the deliberate failures (README's table). What Linux answers the same
 * way is compared with the host: argument errors, setns on a descriptor that is not a
 * namespace, syscall() with an unknown number, pclose on an ordinary stream. What the
 * host really provides (popen, inotify, user.* attributes on its filesystems) is checked
 * in the image only: those lines go to the system log, which VMOS prints on the console
 * and differential.sh compares with unavailable.console; the host skips them (Linux
 * answers there with a working pipe, an inotify descriptor, stored attributes). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/fs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <syslog.h>
#include <unistd.h>

#include "common.h"

/* IMAGE_ONLY(call) - CHECK's line, in the system log of the image only. */
#ifndef VMOS_IMAGE
#define IMAGE_ONLY(call) ((void)0)
#else
#define IMAGE_ONLY(call)                                                                           \
	do {                                                                                       \
		errno = 0;                                                                         \
		long image_result_ = (long)(call);                                                 \
		syslog(LOG_INFO, "%s = %ld %s", #call, image_result_, errname(errno));             \
	} while (0)
#endif

int main(void)
{
	char path[64], buf[64];

	snprintf(path, sizeof(path), "/tmp/vmos-unavailable-%d", (int)getpid());
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);

	/* popen: a bad mode fails before any process is made; pclose closes an ordinary
	 * stream as fclose does (glibc). */
	CHECK(popen("true", "x"));
	CHECK(popen("true", "rw"));
	FILE *volatile stream = fopen(path, "r"); /* volatile: not "mismatched" for gcc */
	CHECK(pclose(stream));
	/* Linux runs the command; VMOS has no fork: ENOSYS. */
	IMAGE_ONLY(popen("true", "r"));
	IMAGE_ONLY(popen("true", "we"));

	/* setns: no descriptor is a namespace. */
	CHECK(setns(-1, 0));
	CHECK(setns(fd, 0));
	CHECK(setns(fd, CLONE_NEWNET));

	/* syscall: a few numbers are real, unknown ones ENOSYS. */
	CHECK(syscall(SYS_getpid) == getpid());
	CHECK(syscall(SYS_gettid) == getpid());
	CHECK(syscall(SYS_gettid) == gettid());
	CHECK(syscall(SYS_getuid) == getuid());
	fflush(stdout);
	CHECK(syscall(SYS_write, 1, "written by syscall\n", 19));
	CHECK(syscall(SYS_close, -1));
	CHECK(syscall(99999));
	CHECK(syscall(-1));
	/* Linux serves these; VMOS has no system-call layer behind them. */
	IMAGE_ONLY(syscall(SYS_futex, 0, 0, 0));
	IMAGE_ONLY(syscall(SYS_getrandom, buf, 8, 0));

	/* inotify: Linux has it; VMOS answers as a Linux built without it. */
	IMAGE_ONLY(inotify_init());
	IMAGE_ONLY(inotify_init1(IN_CLOEXEC));
	IMAGE_ONLY(inotify_add_watch(3, "/tmp", IN_CREATE));
	IMAGE_ONLY(inotify_rm_watch(3, 1));

	/* Extended attributes: the argument checks agree. */
	CHECK(setxattr(path, "user.a", "v", 1, 8));
	CHECK(setxattr(path, "", "v", 1, 0));
	CHECK(setxattr("/nonexistent", "user.a", "v", 1, 0));
	static char big[70000];
	CHECK(setxattr(path, "user.a", big, sizeof(big), 0));
	CHECK(getxattr("/nonexistent", "user.a", buf, sizeof(buf)));
	CHECK(getxattr(path, "", buf, sizeof(buf)));
	CHECK(fgetxattr(-1, "user.a", buf, sizeof(buf)));
	CHECK(fsetxattr(-1, "user.a", "v", 1, 0));
	CHECK(listxattr("/nonexistent", buf, sizeof(buf)));
	CHECK(flistxattr(-1, buf, sizeof(buf)));
	CHECK(removexattr("/nonexistent", "user.a"));
	CHECK(lgetxattr(path, "a", buf, sizeof(buf))); /* no namespace prefix */
	/* Linux's tmpfs (6.6 and later) stores user.* attributes; VMOS answers as tmpfs
	 * without xattr support: EOPNOTSUPP, and an empty list. */
	IMAGE_ONLY(setxattr(path, "user.a", "v", 1, 0));
	IMAGE_ONLY(fsetxattr(fd, "user.a", "v", 1, XATTR_CREATE));
	IMAGE_ONLY(getxattr(path, "user.a", buf, sizeof(buf)));
	IMAGE_ONLY(fgetxattr(fd, "user.a", buf, sizeof(buf)));
	IMAGE_ONLY(listxattr(path, buf, sizeof(buf)));
	IMAGE_ONLY(flistxattr(fd, buf, sizeof(buf)));
	IMAGE_ONLY(removexattr(path, "user.a"));
	IMAGE_ONLY(fremovexattr(fd, "user.a"));

	/* Hard links: Linux checks the flags, the source and the target first, as VMOS does;
	 * then it makes the link, and VMOS, whose RAM filesystem keeps one name per file,
	 * answers EPERM as Linux does for a file system without hard links. */
	char other[80];
	snprintf(other, sizeof(other), "%s.other", path);
	CHECK(linkat(AT_FDCWD, path, AT_FDCWD, other, 0x8000));
	CHECK(link("/nonexistent", other));
	CHECK(link(path, path));
	CHECK(linkat(AT_FDCWD, path, AT_FDCWD, "/tmp", AT_SYMLINK_FOLLOW));
	IMAGE_ONLY(link(path, other));
	IMAGE_ONLY(linkat(AT_FDCWD, path, AT_FDCWD, other, AT_SYMLINK_FOLLOW));
	unlink(other);
	/* Linux's answer depends on the host's file system (tmpfs: EOPNOTSUPP). */
	IMAGE_ONLY(ioctl(fd, FICLONE, fd));

	close(fd);
	unlink(path);
	return 0;
}
