/* files.c - files, directories and descriptors: open flags, reads and writes at offsets,
 * errors (ENOENT, EEXIST, EISDIR, ENOTDIR, ENOTEMPTY, EBADF, ESPIPE...), dup sharing an
 * offset, pipes, rename and unlink while open, directory listings. Runs inside a fresh
 * temporary directory so that the host's files do not matter. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static void show_file(const char *path)
{
	char buf[128];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	buf[n > 0 ? n : 0] = '\0';
	printf("%s: \"%s\" (%zd bytes)\n", path, buf, n);
	if (fd >= 0)
		close(fd);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *path)
{
	char *names[64];
	int count = 0;
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d) {
		printf("opendir %s: %s\n", path, errname(errno));
		return;
	}
	while ((e = readdir(d)) && count < 64)
		names[count++] = strdup(e->d_name);
	closedir(d);
	qsort(names, (size_t)count, sizeof(names[0]), by_name);
	printf("%s:", path);
	for (int i = 0; i < count; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

int main(void)
{
	char tmpl[] = "/tmp/vmos-files-XXXXXX";
	char buf[128];
	struct stat st;
	int fd, fd2, fds[2];

	umask(022);
	if (!mkdtemp(tmpl) || chdir(tmpl)) {
		printf("cannot make a temporary directory\n");
		return 1;
	}

	CHECK(open("missing", O_RDONLY));
	CHECK(open("missing/x", O_RDONLY | O_CREAT, 0644));
	CHECK(fd = open("a.txt", O_WRONLY | O_CREAT | O_EXCL, 0640));
	CHECK(open("a.txt", O_WRONLY | O_CREAT | O_EXCL, 0640));
	CHECK(write(fd, "hello world", 11));
	CHECK(read(fd, buf, 4));
	CHECK(lseek(fd, 6, SEEK_SET));
	CHECK(write(fd, "WORLD!", 6));
	CHECK(lseek(fd, 0, SEEK_END));
	CHECK(lseek(fd, -1, SEEK_SET));
	CHECK(close(fd));
	CHECK(close(fd));
	show_file("a.txt");

	CHECK(stat("a.txt", &st));
	printf("a.txt: mode %o size %ld nlink %ld\n", (unsigned)st.st_mode, (long)st.st_size,
	       (long)st.st_nlink);

	CHECK(fd = open("a.txt", O_WRONLY | O_APPEND));
	CHECK(lseek(fd, 0, SEEK_SET));
	CHECK(write(fd, "+tail", 5));
	CHECK(close(fd));
	show_file("a.txt");

	CHECK(fd = open("a.txt", O_RDONLY));
	CHECK(pread(fd, buf, 5, 6));
	printf("pread: %.5s\n", buf);
	CHECK(lseek(fd, 0, SEEK_CUR));
	CHECK(fd2 = dup(fd));
	CHECK(read(fd2, buf, 3));
	CHECK(lseek(fd, 0, SEEK_CUR));
	CHECK(dup2(fd, 10));
	CHECK(lseek(10, 0, SEEK_CUR));
	CHECK(write(fd, "x", 1));
	CHECK(read(fd, buf, 100));
	CHECK(read(fd, buf, 100));
	CHECK(close(fd));
	CHECK(close(fd2));
	CHECK(close(10));

	CHECK(fd = open("a.txt", O_RDWR | O_TRUNC));
	CHECK(fstat(fd, &st));
	printf("after O_TRUNC: size %ld\n", (long)st.st_size);
	CHECK(pwrite(fd, "Z", 1, 100));
	CHECK(fstat(fd, &st));
	printf("sparse write: size %ld\n", (long)st.st_size);
	CHECK(pread(fd, buf, 4, 50));
	printf("hole bytes: %d %d %d %d\n", buf[0], buf[1], buf[2], buf[3]);
	CHECK(ftruncate(fd, 3));
	CHECK(fstat(fd, &st));
	printf("ftruncate: size %ld\n", (long)st.st_size);
	CHECK(close(fd));

	CHECK(mkdir("d", 0755));
	CHECK(mkdir("d", 0755));
	CHECK(mkdir("d/e/f", 0755));
	CHECK(mkdir("d/e", 0700));
	CHECK(stat("d", &st));
	printf("d: mode %o nlink %ld\n", (unsigned)st.st_mode, (long)st.st_nlink);
	CHECK(open("d", O_WRONLY));
	CHECK(open("a.txt/x", O_RDONLY));
	CHECK(rmdir("d"));
	CHECK(unlink("d"));
	CHECK(rmdir("a.txt"));
	CHECK(fd = open("d/e/file", O_WRONLY | O_CREAT, 0600));
	CHECK(write(fd, "inside", 6));
	CHECK(close(fd));
	list_dir("d");
	list_dir("d/e");
	CHECK(chdir("d/e"));
	show_file("file");
	CHECK(chdir("../.."));
	CHECK(chdir("a.txt"));

	CHECK(rename("d/e/file", "moved"));
	CHECK(rename("missing", "x"));
	CHECK(rename("d", "d/e/inside"));
	show_file("moved");
	CHECK(fd = open("moved", O_RDONLY));
	CHECK(unlink("moved"));
	CHECK(stat("moved", &st));
	CHECK(read(fd, buf, 6));
	printf("read after unlink: %.6s\n", buf);
	CHECK(close(fd));
	CHECK(rmdir("d/e"));
	CHECK(rmdir("d"));
	list_dir(".");

	CHECK(pipe(fds));
	CHECK(write(fds[1], "through a pipe", 14));
	CHECK(lseek(fds[0], 0, SEEK_SET));
	CHECK(read(fds[0], buf, 7));
	printf("pipe: %.7s\n", buf);
	CHECK(close(fds[1]));
	CHECK(read(fds[0], buf, 64));
	CHECK(read(fds[0], buf, 64));
	CHECK(close(fds[0]));

	CHECK(fcntl(1, F_GETFD));
	CHECK(fd = open("a.txt", O_RDONLY | O_CLOEXEC));
	CHECK(fcntl(fd, F_GETFD));
	CHECK(fcntl(fd, F_GETFL) & O_ACCMODE);
	CHECK(fcntl(fd, F_DUPFD, 20));
	CHECK(close(20));
	CHECK(close(fd));
	CHECK(access("a.txt", F_OK));
	CHECK(access("nothing", F_OK));
	CHECK(unlink("a.txt"));
	CHECK(chdir("/"));
	CHECK(rmdir(tmpl));
	return 0;
}
