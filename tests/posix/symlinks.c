/* symlinks.c - symbolic links: symlink, readlink, lstat and fstatat without following,
 * links followed in the middle and at the end of paths (relative, absolute, through
 * directories, chains, dangling, loops), O_NOFOLLOW, a trailing slash, readdir's DT_LNK,
 * unlink and rename of a link, and realpath through all of it. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static char base[64];

static const char *in(const char *name)
{
	static char paths[4][256];
	static int next;
	char *p = paths[next++ % 4];
	snprintf(p, 256, "%s/%s", base, name);
	return p;
}

static void result(const char *what, long r)
{
	if (r < 0)
		printf("%s: -1 %s (%s)\n", what, errname(errno), strerror(errno));
	else
		printf("%s: %ld\n", what, r);
}

static void show_readlink(const char *name)
{
	char buf[256];
	ssize_t n = readlink(in(name), buf, sizeof(buf));
	if (n < 0) {
		result(name, -1);
		return;
	}
	buf[n] = '\0';
	/* A target under the per-run folder is shown, and counted, without it. */
	int ours = strncmp(buf, base, strlen(base)) == 0;
	printf("readlink %s: %zd '%s%s'\n", name, ours ? n - (ssize_t)strlen(base) : n,
	       ours ? "BASE" : "", ours ? buf + strlen(base) : buf);
}

static void show_stat(const char *name, int follow)
{
	struct stat st;
	int r = follow ? stat(in(name), &st) : lstat(in(name), &st);
	printf("%s %s: ", follow ? "stat" : "lstat", name);
	if (r < 0) {
		printf("-1 %s\n", errname(errno));
		return;
	}
	printf("%s size %lld\n",
	       S_ISLNK(st.st_mode)   ? "link"
	       : S_ISDIR(st.st_mode) ? "directory"
	       : S_ISREG(st.st_mode) ? "file"
	                             : "other",
	       S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
}

static void show_read(const char *name, int flags)
{
	char buf[64] = {0};
	int fd = open(in(name), O_RDONLY | flags);
	if (fd < 0) {
		printf("open %s%s: -1 %s\n", name, flags ? " O_NOFOLLOW" : "", errname(errno));
		return;
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	printf("open %s%s: read %zd '%s'\n", name, flags ? " O_NOFOLLOW" : "", n, buf);
}

static void show_realpath(const char *path)
{
	char buf[PATH_MAX];
	char *r = realpath(path, buf);
	const char *shown = strncmp(path, base, strlen(base)) == 0 ? path + strlen(base) : path;
	if (!r) {
		printf("realpath %s: NULL %s\n", shown, errname(errno));
		return;
	}
	printf("realpath %s: %s\n", shown,
	       strncmp(r, base, strlen(base)) == 0 ? r + strlen(base) : r);
}

int main(void)
{
	snprintf(base, sizeof(base), "/tmp/symlinks-%d", (int)getpid());
	mkdir(base, 0755);
	mkdir(in("sub"), 0755);
	int fd = open(in("f"), O_CREAT | O_WRONLY, 0644);
	write(fd, "contents", 8);
	close(fd);
	fd = open(in("sub/x"), O_CREAT | O_WRONLY, 0644);
	write(fd, "in sub", 6);
	close(fd);

	result("symlink l -> f", symlink("f", in("l")));
	result("symlink again", symlink("f", in("l")));
	result("symlink with an empty target", symlink("", in("empty")));
	result("symlink in a missing directory", symlink("f", in("nodir/l")));
	result("symlink over a directory", symlink("f", in("sub")));
	result("symlink d -> nothere (dangling)", symlink("nothere", in("d")));
	result("symlink ls -> sub", symlink("sub", in("ls")));
	result("symlink sub/up -> ../f", symlink("../f", in("sub/up")));
	char target[128];
	snprintf(target, sizeof(target), "%s/f", base);
	result("symlink abs -> BASE/f", symlink(target, in("abs")));
	result("symlink chain -> l", symlink("l", in("chain")));
	result("symlink loop1 -> loop2", symlink("loop2", in("loop1")));
	result("symlink loop2 -> loop1", symlink("loop1", in("loop2")));
	result("symlinkat", symlinkat("f", AT_FDCWD, in("at")));

	show_readlink("l");
	show_readlink("abs");
	show_readlink("sub/up");
	show_readlink("ls/up");
	show_readlink("f");
	show_readlink("sub");
	show_readlink("missing");
	char small[2];
	ssize_t n = readlink(in("abs"), small, sizeof(small));
	printf("readlink into 2 bytes: %zd '%.2s'\n", n, small); /* "/t" of "/tmp/..." */
	result("readlink with size 0", readlink(in("l"), small, 0));
	show_readlink("ls/");

	show_stat("l", 1);
	show_stat("l", 0);
	show_stat("d", 1);
	show_stat("d", 0);
	show_stat("ls", 0);
	show_stat("ls/", 0);
	show_stat("loop1", 1);
	show_stat("loop1", 0);
	show_stat("f/", 1);
	show_stat("l/", 1);
	struct stat st;
	result("fstatat AT_SYMLINK_NOFOLLOW",
	       fstatat(AT_FDCWD, in("l"), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode));
	result("fstatat following", fstatat(AT_FDCWD, in("l"), &st, 0) == 0 && S_ISREG(st.st_mode));

	show_read("l", 0);
	show_read("chain", 0);
	show_read("abs", 0);
	show_read("sub/up", 0);
	show_read("ls/x", 0);
	show_read("ls/up", 0);
	show_read("d", 0);
	show_read("loop1", 0);
	show_read("l", O_NOFOLLOW);
	show_read("f", O_NOFOLLOW);
	show_read("ls/x", O_NOFOLLOW);
	fd = open(in("l"), O_CREAT | O_EXCL | O_WRONLY, 0644);
	printf("open O_CREAT|O_EXCL on a link: %d %s\n", fd < 0 ? -1 : 0,
	       fd < 0 ? errname(errno) : "");
	result("access through a link", access(in("ls/x"), R_OK));
	result("access through a dangling link", access(in("d"), F_OK));
	result("chdir through a link", chdir(in("ls")));
	char cwd[PATH_MAX];
	if (getcwd(cwd, sizeof(cwd)))
		printf("getcwd: %s\n",
		       strncmp(cwd, base, strlen(base)) == 0 ? cwd + strlen(base) : cwd);
	chdir("/");

	DIR *dir = opendir(base);
	int links = 0, others = 0;
	struct dirent *e;
	while (dir && (e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		if (e->d_type == DT_LNK)
			links++;
		else
			others++;
	}
	if (dir)
		closedir(dir);
	printf("readdir: %d links, %d others\n", links, others);

	show_realpath(in("l"));
	show_realpath(in("chain"));
	show_realpath(in("ls/x"));
	show_realpath(in("ls/up"));
	show_realpath(in("sub/../f"));
	show_realpath(in("./sub//x"));
	show_realpath(in("d"));
	show_realpath(in("loop1"));
	show_realpath(in("f/"));
	show_realpath(in("missing/x"));
	show_realpath(in("ls"));
	show_realpath("/");
	errno = 0;
	char *none = realpath(NULL, NULL);
	printf("realpath(NULL): %s %s\n", none ? "set" : "NULL", errname(errno));
	char *own = realpath(in("l"), NULL);
	printf("realpath allocating: %s\n", own && strcmp(own, in("f")) == 0 ? "BASE/f" : "other");
	free(own);

	result("rename a link", rename(in("chain"), in("chain2")));
	show_readlink("chain2");
	result("unlink the link l", unlink(in("l")));
	show_stat("f", 1);
	show_stat("chain2", 1);
	result("unlink a dangling link", unlink(in("d")));
	result("rmdir through a link to a directory", rmdir(in("ls")));

	const char *names[] = {"sub/up", "sub/x", "ls", "abs", "chain2",
	                       "loop1",  "loop2", "at", "f"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(in(names[i]));
	rmdir(in("sub"));
	result("rmdir the base", rmdir(base));
	return 0;
}
