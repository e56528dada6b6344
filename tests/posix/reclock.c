/* reclock.c - differential test of fcntl record locks: the process's own locks never
 * conflict with each other (F_GETLK finds none) but do with another open file
 * description's OFD locks, in both directions; splitting by an unlock and merging of
 * neighbours, seen through F_OFD_GETLK; ranges by SEEK_CUR, SEEK_END and a negative
 * length; closing any descriptor of the file drops the process's locks, closing the
 * description its OFD locks; F_OFD_SETLKW waits until the conflicting lock goes; the
 * errors Linux gives. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <unistd.h>

#include "common.h"

static const char *type_name(int type)
{
	return type == F_RDLCK   ? "F_RDLCK"
	       : type == F_WRLCK ? "F_WRLCK"
	       : type == F_UNLCK ? "F_UNLCK"
	                         : "?";
}

static int lock(int fd, int cmd, int type, int whence, long start, long len)
{
	struct flock fl = {
	    .l_type = (short)type, .l_whence = (short)whence, .l_start = start, .l_len = len};

	return fcntl(fd, cmd, &fl) ? errno : 0;
}

/* What F_GETLK-like @cmd on @fd says of a @type lock over start..start+len. */
static void test(const char *what, int fd, int cmd, int type, long start, long len)
{
	struct flock fl = {
	    .l_type = (short)type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};

	if (fcntl(fd, cmd, &fl)) {
		printf("%s: %s\n", what, errname(errno));
		return;
	}
	if (fl.l_type == F_UNLCK) {
		printf("%s: F_UNLCK\n", what);
		return;
	}
	printf("%s: %s start %ld len %ld whence %d pid %s\n", what, type_name(fl.l_type),
	       (long)fl.l_start, (long)fl.l_len, fl.l_whence,
	       fl.l_pid == getpid() ? "mine"
	       : fl.l_pid == -1     ? "-1"
	                            : "other");
}

static const char *path = "/tmp/reclock-test";
static int waiter_fd;
static sem_t started;

static void *waiter(void *arg)
{
	(void)arg;
	sem_post(&started);
	int err = lock(waiter_fd, F_OFD_SETLKW, F_WRLCK, SEEK_SET, 0, 10);
	printf("  waiter: F_OFD_SETLKW %s\n", errname(err));
	return NULL;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	unlink(path);
	int fd = open(path, O_RDWR | O_CREAT, 0644);
	int other = open(path, O_RDWR); /* a second open file description */
	write(fd, "0123456789abcdefghij", 20);

	printf("-- the process's locks\n");
	printf("setlk write 0+10: %s\n", errname(lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10)));
	printf("setlk write again through the other description: %s\n",
	       errname(lock(other, F_SETLK, F_WRLCK, SEEK_SET, 5, 10)));
	test("getlk (own locks)", fd, F_GETLK, F_WRLCK, 0, 0);
	test("ofd getlk from the other description", other, F_OFD_GETLK, F_WRLCK, 0, 0);
	printf("ofd setlk write 5+10: %s\n",
	       errname(lock(other, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 10)));
	printf("ofd setlk read 40+10: %s\n",
	       errname(lock(other, F_OFD_SETLK, F_RDLCK, SEEK_SET, 40, 10)));
	printf("setlk write 45 to the end: %s\n",
	       errname(lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 45, 0)));
	printf("setlk read 45 to the end: %s\n",
	       errname(lock(fd, F_SETLK, F_RDLCK, SEEK_SET, 45, 0)));
	test("getlk write 30+100", fd, F_GETLK, F_WRLCK, 30, 100);
	test("getlk read 30+100", fd, F_GETLK, F_RDLCK, 30, 0);
	test("ofd getlk write 44+2", other, F_OFD_GETLK, F_WRLCK, 44, 2);
	printf("unlock the process's 0 to the end: %s\n",
	       errname(lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0)));
	test("ofd getlk after the unlock", other, F_OFD_GETLK, F_WRLCK, 0, 40);

	printf("-- splitting and merging\n");
	lock(other, F_OFD_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 100);
	lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 30, 20);
	test("after unlocking 30+20 of 0+100", other, F_OFD_GETLK, F_WRLCK, 0, 40);
	test("the part after the hole", other, F_OFD_GETLK, F_WRLCK, 30, 0);
	test("the hole", other, F_OFD_GETLK, F_WRLCK, 30, 20);
	lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	lock(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 10);
	lock(fd, F_SETLK, F_RDLCK, SEEK_SET, 10, 10);
	test("read 0+10 and read 10+10", other, F_OFD_GETLK, F_WRLCK, 0, 30);
	lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 5, 10);
	test("then write 5+10: the read part before", other, F_OFD_GETLK, F_WRLCK, 0, 5);
	test("the write part", other, F_OFD_GETLK, F_RDLCK, 0, 30);
	test("the read part after", other, F_OFD_GETLK, F_WRLCK, 15, 30);
	lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);

	printf("-- ranges\n");
	lseek(fd, 8, SEEK_SET);
	lock(fd, F_SETLK, F_WRLCK, SEEK_CUR, 2, 3);
	test("SEEK_CUR 8+2, 3 bytes", other, F_OFD_GETLK, F_WRLCK, 0, 0);
	lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	lock(fd, F_SETLK, F_WRLCK, SEEK_END, -4, 2);
	test("SEEK_END 20-4, 2 bytes", other, F_OFD_GETLK, F_WRLCK, 0, 0);
	lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, -4);
	test("start 10, length -4", other, F_OFD_GETLK, F_WRLCK, 0, 0);
	lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);

	printf("-- closing\n");
	lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
	int third = open(path, O_RDONLY);
	close(third);
	test("process lock after closing another descriptor", other, F_OFD_GETLK, F_WRLCK, 0, 0);
	lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
	int copy = dup(fd);
	int fourth = open(path, O_RDONLY);
	dup2(fourth, copy); /* closes copy, a descriptor of the file */
	test("process lock after dup2 over a descriptor", other, F_OFD_GETLK, F_WRLCK, 0, 0);
	close(fourth);
	close(copy);
	lock(other, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10);
	int dup_other = dup(other);
	close(other);
	test("ofd lock while a dup of its description is open", fd, F_GETLK, F_WRLCK, 0, 0);
	close(dup_other);
	test("ofd lock after its description's last close", fd, F_GETLK, F_WRLCK, 0, 0);

	printf("-- waiting\n");
	other = open(path, O_RDWR);
	waiter_fd = open(path, O_RDWR);
	sem_init(&started, 0, 0);
	lock(other, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10);
	pthread_t t;
	pthread_create(&t, NULL, waiter, NULL);
	sem_wait(&started);
	usleep(100000);
	printf("main: unlocking\n");
	lock(other, F_OFD_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	pthread_join(t, NULL);
	test("the waiter holds it", other, F_OFD_GETLK, F_RDLCK, 0, 0);
	close(waiter_fd);

	printf("-- errors\n");
	int ro = open(path, O_RDONLY), wo = open(path, O_WRONLY);
	printf("bad type: %s\n", errname(lock(fd, F_SETLK, 42, SEEK_SET, 0, 0)));
	printf("bad whence: %s\n", errname(lock(fd, F_SETLK, F_WRLCK, 7, 0, 0)));
	printf("negative start: %s\n", errname(lock(fd, F_SETLK, F_WRLCK, SEEK_SET, -1, 0)));
	printf("length reaching before 0: %s\n",
	       errname(lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 2, -3)));
	printf("write lock, read-only: %s\n", errname(lock(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 0)));
	printf("read lock, write-only: %s\n", errname(lock(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 0)));
	printf("unlock, read-only: %s\n", errname(lock(ro, F_SETLK, F_UNLCK, SEEK_SET, 0, 0)));
	printf("getlk write, read-only: %s\n", errname(lock(ro, F_GETLK, F_WRLCK, SEEK_SET, 0, 0)));
	printf("getlk F_UNLCK: %s\n", errname(lock(fd, F_GETLK, F_UNLCK, SEEK_SET, 0, 0)));
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_pid = 1};
	printf("ofd with l_pid: %s\n", errname(fcntl(fd, F_OFD_SETLK, &fl) ? errno : 0));
	printf("closed descriptor: %s\n", errname(lock(99, F_SETLK, F_WRLCK, SEEK_SET, 0, 0)));
	int p[2];
	pipe(p);
	printf("a pipe: %s\n", errname(lock(p[1], F_SETLK, F_WRLCK, SEEK_SET, 0, 0)));
	close(ro);
	close(wo);
	close(fd);
	close(other);
	unlink(path);
	return 0;
}
