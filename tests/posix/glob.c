/* glob.c - glob and globfree over a small tree (sorting, wildcards in several components,
 * bracket expressions, escapes, hidden names, GLOB_MARK, GLOB_ONLYDIR, GLOB_NOCHECK,
 * GLOB_NOMAGIC, GLOB_APPEND, GLOB_DOOFFS, GLOB_BRACE, GLOB_TILDE, GLOB_ERR and errfunc,
 * GLOB_ALTDIRFUNC), and fnmatch with each flag. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static char base[64];

static const char *code(int rc)
{
	switch (rc) {
	case 0:
		return "0";
	case GLOB_NOSPACE:
		return "GLOB_NOSPACE";
	case GLOB_ABORTED:
		return "GLOB_ABORTED";
	case GLOB_NOMATCH:
		return "GLOB_NOMATCH";
	default:
		return "other";
	}
}

static void show(const char *label, int rc, glob_t *g)
{
	size_t skip = strlen(base);

	printf("%s: %s, %zu:", label, code(rc), rc == 0 || rc == GLOB_NOMATCH ? g->gl_pathc : 0);
	for (size_t i = 0; rc == 0 && i < g->gl_pathc; i++) {
		const char *p = g->gl_pathv[g->gl_offs + i];
		printf(" %s", strncmp(p, base, skip) == 0 ? p + skip : p);
	}
	printf("%s\n", rc == 0 && g->gl_pathv[g->gl_offs + g->gl_pathc] ? " (no NULL end)" : "");
}

static void try_glob(const char *label, const char *pattern, int flags)
{
	char full[256];
	glob_t g;

	if (pattern[0] == '~' || pattern[0] == '/')
		snprintf(full, sizeof(full), "%s", pattern);
	else
		snprintf(full, sizeof(full), "%s%s", base, pattern);
	int rc = glob(full, flags, NULL, &g);
	show(label, rc, &g);
	if (rc == 0)
		globfree(&g);
}

static void touch(const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "%s%s", base, name);
	int fd = open(path, O_CREAT | O_WRONLY, 0644);
	if (fd >= 0)
		close(fd);
}

static void make_dir(const char *name, mode_t mode)
{
	char path[256];
	snprintf(path, sizeof(path), "%s%s", base, name);
	mkdir(path, mode);
}

static int errors_seen;
static int count_error(const char *path, int error)
{
	(void)path;
	printf("  errfunc: %s\n", errname(error));
	errors_seen++;
	return 0;
}

/* GLOB_ALTDIRFUNC: a directory of three invented names. */
struct fake_dir {
	int next;
	struct dirent entry;
};
static void *fake_open(const char *path)
{
	(void)path;
	struct fake_dir *d = calloc(1, sizeof(*d));
	return d;
}
static struct dirent *fake_read(void *dir)
{
	static const char *const names[] = {"zeta.txt", "alpha.txt", "beta.log"};
	struct fake_dir *d = dir;
	if (d->next == 3)
		return NULL;
	strcpy(d->entry.d_name, names[d->next++]);
	return &d->entry;
}
static void fake_close(void *dir)
{
	free(dir);
}
static int fake_stat(const char *path, struct stat *st)
{
	(void)path;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFREG | 0644;
	return 0;
}

static void fn(const char *pattern, const char *string, int flags, const char *flagname)
{
	int rc = fnmatch(pattern, string, flags);
	printf("fnmatch(\"%s\", \"%s\", %s) = %s\n", pattern, string, flagname,
	       rc == 0             ? "0"
	       : rc == FNM_NOMATCH ? "FNM_NOMATCH"
	                           : "other");
}

int main(void)
{
	snprintf(base, sizeof(base), "/tmp/globtest-%d/", (int)getpid());
	mkdir(base, 0755);
	touch("b.c");
	touch("a.c");
	touch("c.h");
	touch(".hidden.c");
	touch("we[ird");
	touch("star*name");
	make_dir("sub", 0755);
	make_dir("sub2", 0755);
	make_dir("emptydir", 0755);
	touch("sub/x.c");
	touch("sub/y.h");
	touch("sub2/z.c");

	glob_t g;
	char pattern[256];
	int rc;

	try_glob("*.c", "*.c", 0);
	try_glob("*", "*", 0);
	try_glob("*.c PERIOD", "*.c", GLOB_PERIOD);
	try_glob(".*", ".*", 0);
	try_glob("?.[ch]", "?.[ch]", 0);
	try_glob("[!a].c", "[!a].c", 0);
	try_glob("[a-b].c", "[a-b].c", 0);
	try_glob("*/*.c", "*/*.c", 0);
	try_glob("sub*/*", "sub*/*", 0);
	try_glob("sub/*.h", "sub/*.h", 0);
	try_glob("*/", "*/", 0);
	try_glob("* MARK", "*", GLOB_MARK);
	try_glob("* ONLYDIR", "*", GLOB_ONLYDIR);
	try_glob("literal a.c", "a.c", 0);
	try_glob("literal missing", "missing.c", 0);
	try_glob("missing NOCHECK", "nothing*", GLOB_NOCHECK);
	try_glob("literal missing NOMAGIC", "missing.c", GLOB_NOMAGIC);
	try_glob("wildcard missing NOMAGIC", "nothing*", GLOB_NOMAGIC);
	try_glob("escaped star", "star\\*name", 0);
	try_glob("escaped bracket", "we\\[ird", 0);
	try_glob("NOESCAPE star", "star\\*name", GLOB_NOESCAPE);
	try_glob("unclosed bracket", "we[ird", 0);
	snprintf(pattern, sizeof(pattern), "%s*", base);
	rc = glob(pattern, GLOB_NOSORT, NULL, &g);
	printf("NOSORT (directory order): %s, %zu names\n", code(rc), g.gl_pathc);
	globfree(&g);
	try_glob("brace", "{c.h,a.c,sub/*.c}", GLOB_BRACE);
	try_glob("brace nested", "{s{ub,ub2}/z.c,b.c}", GLOB_BRACE);
	try_glob("brace missing part", "{a.c,nothere.c}", GLOB_BRACE);
	try_glob("no brace flag", "{a.c,b.c}", 0);
	try_glob("dir in the middle missing", "nosuchdir/*.c", 0);
	try_glob("through a file", "a.c/*", 0);

	snprintf(pattern, sizeof(pattern), "%s*.h", base);
	g.gl_offs = 2;
	rc = glob(pattern, GLOB_DOOFFS, NULL, &g);
	printf("DOOFFS: %s, slots NULL %d %d\n", code(rc), g.gl_pathv[0] == NULL,
	       g.gl_pathv[1] == NULL);
	show("DOOFFS", rc, &g);
	snprintf(pattern, sizeof(pattern), "%s*.c", base);
	rc = glob(pattern, GLOB_DOOFFS | GLOB_APPEND, NULL, &g);
	show("DOOFFS|APPEND", rc, &g);
	globfree(&g);
	printf("after globfree: pathv %s pathc %zu\n", g.gl_pathv ? "set" : "NULL", g.gl_pathc);

	snprintf(pattern, sizeof(pattern), "%s*.c", base);
	rc = glob(pattern, 0, NULL, &g);
	printf("MAGCHAR set %d\n", (g.gl_flags & GLOB_MAGCHAR) != 0);
	globfree(&g);
	snprintf(pattern, sizeof(pattern), "%sa.c", base);
	rc = glob(pattern, 0, NULL, &g);
	printf("MAGCHAR for a literal %d\n", (g.gl_flags & GLOB_MAGCHAR) != 0);
	globfree(&g);

	snprintf(pattern, sizeof(pattern), "%.*s", (int)strlen(base) - 1, base);
	setenv("HOME", pattern, 1); /* without the trailing '/' */
	try_glob("~/*.h", "~/*.h", GLOB_TILDE);
	struct passwd *root = getpwnam("root");
	rc = glob("~root", GLOB_TILDE, NULL, &g);
	struct stat st;
	int home_exists = root && stat(root->pw_dir, &st) == 0;
	/* A pattern without wildcards matches only what exists (VMOS images have no /root). */
	printf("~root: root's home exactly when it exists %d\n",
	       home_exists ? rc == 0 && strcmp(g.gl_pathv[0], root->pw_dir) == 0
	                   : rc == GLOB_NOMATCH);
	if (rc == 0)
		globfree(&g);
	try_glob("~nosuchuser TILDE_CHECK", "~nosuchuser/x", GLOB_TILDE_CHECK);
	try_glob("~nosuchuser TILDE NOCHECK", "~nosuchuser/x", GLOB_TILDE | GLOB_NOCHECK);
	try_glob("~ without TILDE NOCHECK", "~/x", GLOB_NOCHECK);

	/* errfunc and GLOB_ERR on a directory that cannot be read. */
	errors_seen = 0;
	snprintf(pattern, sizeof(pattern), "%snosuchdir/*", base);
	rc = glob(pattern, 0, count_error, &g);
	printf("errfunc on a missing directory: %s, called %d\n", code(rc), errors_seen);
	snprintf(pattern, sizeof(pattern), "%snosuchdir/*", base);
	rc = glob(pattern, GLOB_ERR, NULL, &g);
	printf("GLOB_ERR on a missing directory: %s\n", code(rc));
	snprintf(pattern, sizeof(pattern), "%sa.c/*", base);
	rc = glob(pattern, GLOB_ERR, NULL, &g);
	printf("GLOB_ERR through a file (ENOTDIR): %s\n", code(rc));

	memset(&g, 0, sizeof(g));
	g.gl_opendir = fake_open;
	g.gl_readdir = fake_read;
	g.gl_closedir = fake_close;
	g.gl_stat = fake_stat;
	g.gl_lstat = fake_stat;
	rc = glob("/anywhere/*.txt", GLOB_ALTDIRFUNC, NULL, &g);
	show("ALTDIRFUNC", rc, &g);
	if (rc == 0)
		globfree(&g);

	errno = 0;
	rc = glob("*", 1 << 20, NULL, &g);
	printf("unknown flag: %d %s\n", rc, errname(errno));

	fn("*.c", "a.c", 0, "0");
	fn("*.c", ".a.c", FNM_PERIOD, "FNM_PERIOD");
	fn("*.c", ".a.c", 0, "0");
	fn("*", "dir/file", 0, "0");
	fn("*", "dir/file", FNM_PATHNAME, "FNM_PATHNAME");
	fn("dir/*", "dir/file", FNM_PATHNAME, "FNM_PATHNAME");
	fn("dir/*", "dir/.file", FNM_PATHNAME | FNM_PERIOD, "FNM_PATHNAME|FNM_PERIOD");
	fn("dir?file", "dir/file", FNM_PATHNAME, "FNM_PATHNAME");
	fn("dir[/]file", "dir/file", FNM_PATHNAME, "FNM_PATHNAME");
	fn("dir[/]file", "dir/file", 0, "0");
	fn("\\*", "*", 0, "0");
	fn("\\*", "\\*", FNM_NOESCAPE, "FNM_NOESCAPE");
	fn("\\a", "a", 0, "0");
	fn("[[:digit:]]x", "7x", 0, "0");
	fn("[[:alpha:][:digit:]]", "_", 0, "0");
	fn("[^a-c]", "d", 0, "0");
	fn("[!a-c]", "b", 0, "0");
	fn("[]]", "]", 0, "0");
	fn("[a-]", "-", 0, "0");
	fn("ABC", "abc", FNM_CASEFOLD, "FNM_CASEFOLD");
	fn("[A-C]x", "bx", FNM_CASEFOLD, "FNM_CASEFOLD");
	fn("ABC", "abc", 0, "0");
	fn("dir", "dir/sub/file", FNM_LEADING_DIR, "FNM_LEADING_DIR");
	fn("d*", "dir/sub", FNM_PATHNAME | FNM_LEADING_DIR, "FNM_PATHNAME|FNM_LEADING_DIR");
	fn("a*b*c", "aXbYbZc", 0, "0");
	fn("a*b*c", "aXbYbZ", 0, "0");
	fn("[", "[", 0, "0");
	fn("a[b", "a[b", 0, "0");
	fn("", "", 0, "0");
	fn("*", "", 0, "0");
	fn("?", "", 0, "0");
	return 0;
}
