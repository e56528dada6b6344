/* fsinfo.c - filesystem statistics (a tmpfs: the host's /dev/shm, VMOS's RAM filesystem),
 * flock between open file descriptions, splice, tee and vmsplice through pipes. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common.h"

int main(void)
{
	struct statfs sf;
	struct statvfs sv;
	/* The host's /tmp may be any filesystem; its /dev/shm is a tmpfs (read only here). */
	const char *dir = statfs("/dev/shm", &sf) == 0 ? "/dev/shm" : "/tmp";
	char path[64], other[64];

	snprintf(path, sizeof(path), "/tmp/vmos-fsinfo-%d", (int)getpid());
	snprintf(other, sizeof(other), "%s/.", dir);
	CHECK(statfs(other, &sf));
	printf("type %#lx bsize %ld frsize %ld namelen %ld valid %d\n" /* ST_VALID */,
	       (long)sf.f_type, (long)sf.f_bsize, (long)sf.f_frsize, (long)sf.f_namelen,
	       (sf.f_flags & 0x20) != 0);
	printf("bfree <= blocks %d, bavail == bfree %d, ffree <= files %d\n",
	       sf.f_bfree <= sf.f_blocks, sf.f_bavail == sf.f_bfree, sf.f_ffree <= sf.f_files);
	CHECK(statvfs(other, &sv));
	printf("statvfs bsize %lu frsize %lu namemax %lu same blocks %d\n", sv.f_bsize, sv.f_frsize,
	       sv.f_namemax, sv.f_blocks == sf.f_blocks);
	CHECK(statfs("/nonexistent/x", &sf));
	CHECK(statfs("", &sf));
	CHECK(statvfs("/nonexistent", &sv));
	CHECK(fstatfs(-1, &sf));
	CHECK(fstatvfs(99, &sv));
	int p[2];
	pipe(p);
	CHECK(fstatfs(p[0], &sf));
	printf("pipe: type %#lx bsize %ld\n", (long)sf.f_type, (long)sf.f_bsize);

	/* flock: locks belong to the open file description. */
	int a = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
	int b = open(path, O_RDWR);
	int a2 = dup(a);
	CHECK(fstatfs(a, &sf));
	printf("file: bsize %ld\n", (long)sf.f_bsize);
	CHECK(flock(a, LOCK_EX));
	CHECK(flock(a, LOCK_EX));
	CHECK(flock(a2, LOCK_EX | LOCK_NB));
	CHECK(flock(b, LOCK_SH | LOCK_NB));
	CHECK(flock(b, LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK);
	CHECK(flock(a, LOCK_SH));
	CHECK(flock(b, LOCK_SH | LOCK_NB));
	CHECK(flock(b, LOCK_EX | LOCK_NB));
	CHECK(flock(a, LOCK_UN));
	CHECK(flock(b, LOCK_EX | LOCK_NB));
	CHECK(flock(a, LOCK_SH | LOCK_NB));
	close(b); /* the last descriptor of b's description: its lock goes */
	CHECK(flock(a, LOCK_EX | LOCK_NB));
	close(a);
	b = open(path, O_RDONLY);
	CHECK(flock(b, LOCK_EX | LOCK_NB)); /* a2 still holds a's description */
	close(a2);
	CHECK(flock(b, LOCK_EX | LOCK_NB));
	CHECK(flock(b, 0));
	CHECK(flock(b, LOCK_SH | LOCK_EX));
	CHECK(flock(b, LOCK_NB));
	CHECK(flock(-1, LOCK_SH));
	CHECK(flock(-1, 0));
	CHECK(flock(p[0], LOCK_EX));
	close(b);

	/* splice: a file into a pipe and back out into another file. */
	a = open(path, O_RDWR | O_TRUNC);
	write(a, "hello, splice", 13);
	loff_t off = 7;
	CHECK(splice(a, &off, p[1], NULL, 100, 0));
	printf("offset now %ld\n", (long)off);
	CHECK(lseek(a, 0, SEEK_CUR));
	lseek(a, 0, SEEK_SET);
	CHECK(splice(a, NULL, p[1], NULL, 5, 0));
	CHECK(lseek(a, 0, SEEK_CUR));
	char buf[64] = {0};
	int q[2];
	pipe(q);
	CHECK(tee(p[0], q[1], 100, 0));
	CHECK(read(q[0], buf, sizeof(buf)));
	printf("tee copied: %s\n", buf);
	memset(buf, 0, sizeof(buf));
	CHECK(read(p[0], buf, sizeof(buf)));
	printf("still in the pipe: %s\n", buf);
	CHECK(write(p[1], "abc", 3));
	off = 0;
	CHECK(splice(p[0], NULL, a, &off, 10, 0));
	memset(buf, 0, sizeof(buf));
	CHECK(pread(a, buf, 13, 0));
	printf("file: %s\n", buf);
	CHECK(splice(p[0], NULL, a, NULL, 10, SPLICE_F_NONBLOCK));
	CHECK(tee(p[0], q[1], 10, SPLICE_F_NONBLOCK));
	CHECK(splice(a, NULL, a, NULL, 10, 0));
	CHECK(splice(-1, NULL, p[1], NULL, 10, 0));
	CHECK(splice(p[0], NULL, -1, NULL, 10, 0));
	CHECK(splice(p[0], &off, a, NULL, 10, 0));
	CHECK(splice(p[0], NULL, p[1], NULL, 10, 0));
	CHECK(splice(p[0], NULL, a, NULL, 10, 99));
	CHECK(splice(p[0], NULL, a, NULL, 0, 0));
	CHECK(tee(a, q[1], 10, 0));
	CHECK(tee(p[0], a, 10, 0));
	CHECK(tee(p[0], p[1], 10, 0));
	CHECK(tee(-1, q[1], 10, 0));
	struct iovec iov[2] = {{"vm", 2}, {"splice", 6}};
	CHECK(vmsplice(p[1], iov, 2, 0));
	memset(buf, 0, sizeof(buf));
	CHECK(read(p[0], buf, sizeof(buf)));
	printf("vmsplice wrote: %s\n", buf);
	CHECK(vmsplice(a, iov, 0, 0));
	CHECK(vmsplice(a, iov, 2, 0));
	CHECK(vmsplice(-1, iov, 2, 0));
	CHECK(vmsplice(p[1], iov, 2, 99));
	close(a);
	unlink(path);
	return 0;
}
