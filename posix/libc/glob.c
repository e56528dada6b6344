/* glob.c - pathname expansion as glibc's glob: one pattern component at a time, a
 * component without wildcards taken as it is and one with them matched (fnmatch) against
 * the directory's entries; GLOB_BRACE and GLOB_TILDE expand the pattern first. The names
 * of each call are sorted (strcoll) unless GLOB_NOSORT, after any GLOB_APPEND'ed ones. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct dir_ops {
	void *(*open)(const char *);
	struct dirent *(*read)(void *);
	void (*close)(void *);
	int (*lstat)(const char *, struct stat *);
	int (*stat)(const char *, struct stat *);
};

struct search {
	int flags;
	int (*errfunc)(const char *, int);
	struct dir_ops ops;
	char **names;
	size_t count, capacity;
};

static void *open_dir(const char *path)
{
	return opendir(path);
}

static struct dirent *read_dir(void *dir)
{
	return readdir(dir);
}

static void close_dir(void *dir)
{
	closedir(dir);
}

static int add(struct search *s, const char *name, size_t extra)
{
	if (s->count == s->capacity) {
		size_t capacity = s->capacity ? s->capacity * 2 : 16;
		char **names = realloc(s->names, capacity * sizeof(char *));
		if (!names)
			return GLOB_NOSPACE;
		s->names = names;
		s->capacity = capacity;
	}
	size_t len = strlen(name);
	char *copy = malloc(len + extra + 1);
	if (!copy)
		return GLOB_NOSPACE;
	memcpy(copy, name, len + 1);
	s->names[s->count++] = copy;
	return 0;
}

static int is_directory(struct search *s, const char *path)
{
	struct stat st;

	return s->ops.stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A match, with GLOB_MARK's '/' for a directory and GLOB_ONLYDIR's filter; @want_dir when
 * the pattern ended in '/'. */
static int add_match(struct search *s, const char *path, int want_dir)
{
	int need_dir = want_dir || (s->flags & GLOB_ONLYDIR);
	int mark = (s->flags & GLOB_MARK) || want_dir;
	int dir = (need_dir || mark) ? is_directory(s, path) : 0;

	if (need_dir && !dir)
		return 0;
	size_t len = strlen(path);
	int slash = mark && dir && (len == 0 || path[len - 1] != '/');
	int err = add(s, path, (size_t)slash);
	if (!err && slash)
		strcat(s->names[s->count - 1], "/");
	return err;
}

static int has_magic(const char *p, size_t len, int flags)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\\' && !(flags & GLOB_NOESCAPE) && i + 1 < len)
			i++;
		else if (p[i] == '*' || p[i] == '?' || p[i] == '[')
			return 1;
	}
	return 0;
}

/* @dir joined with @len bytes of @name; NULL when out of memory. */
static char *join(const char *dir, const char *name, size_t len)
{
	size_t dlen = strlen(dir);
	int slash = dlen && dir[dlen - 1] != '/';
	char *path = malloc(dlen + (size_t)slash + len + 1);

	if (!path)
		return NULL;
	memcpy(path, dir, dlen);
	if (slash)
		path[dlen] = '/';
	memcpy(path + dlen + slash, name, len);
	path[dlen + slash + len] = '\0';
	return path;
}

/* Removes the escapes of a component taken literally. */
static void unescape(char *p, int flags)
{
	if (flags & GLOB_NOESCAPE)
		return;
	char *out = p;
	for (; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		*out++ = *p;
	}
	*out = '\0';
}

static int expand(struct search *s, const char *dir, const char *rest);

static int expand_into(struct search *s, const char *dir, const char *name, size_t len,
                       const char *after, int literal)
{
	char *path = join(dir, name, len);
	int err = 0;

	if (!path)
		return GLOB_NOSPACE;
	if (literal)
		unescape(path + strlen(path) - len, s->flags);
	const char *next = after;
	while (*next == '/')
		next++;
	if (*next) {
		err = expand(s, path, next);
	} else {
		struct stat st;
		/* A literal last component must exist; a matched one does. */
		if (!literal || s->ops.lstat(path, &st) == 0)
			err = add_match(s, path, after != next);
	}
	free(path);
	return err;
}

static int expand(struct search *s, const char *dir, const char *rest)
{
	const char *slash = strchr(rest, '/');
	size_t len = slash ? (size_t)(slash - rest) : strlen(rest);
	const char *after = rest + len;

	if (!has_magic(rest, len, s->flags))
		return expand_into(s, dir, rest, len, after, 1);

	char *component = malloc(len + 1);
	if (!component)
		return GLOB_NOSPACE;
	memcpy(component, rest, len);
	component[len] = '\0';
	const char *where = *dir ? dir : ".";
	void *d = s->ops.open(where);
	if (!d) {
		int e = errno;
		free(component);
		if (e != ENOTDIR && ((s->errfunc && s->errfunc(where, e)) || (s->flags & GLOB_ERR)))
			return GLOB_ABORTED;
		return 0;
	}
	int fnflags = ((s->flags & GLOB_NOESCAPE) ? FNM_NOESCAPE : 0) |
	              ((s->flags & GLOB_PERIOD) ? 0 : FNM_PERIOD);
	int err = 0;
	struct dirent *entry;
	while (!err && (entry = s->ops.read(d))) {
		const char *name = entry->d_name;
		/* "." and ".." only for a pattern that names them with a leading '.'. */
		if ((!strcmp(name, ".") || !strcmp(name, "..")) && component[0] != '.')
			continue;
		if (fnmatch(component, name, fnflags) == 0)
			err = expand_into(s, dir, name, strlen(name), after, 0);
	}
	s->ops.close(d);
	free(component);
	return err;
}

static int compare_names(const void *a, const void *b)
{
	return strcoll(*(char *const *)a, *(char *const *)b);
}

/* One pattern without braces: its matches appended to @s, sorted among themselves. */
static int glob_one(struct search *s, const char *pattern)
{
	size_t first = s->count;
	int err;

	if (pattern[0] == '/') {
		const char *rest = pattern;
		while (*rest == '/')
			rest++;
		if (!*rest)
			err = add_match(s, "/", 0);
		else
			err = expand(s, "/", rest);
	} else {
		err = *pattern ? expand(s, "", pattern) : 0;
	}
	if (!err && !(s->flags & GLOB_NOSORT) && s->count - first > 1)
		qsort(s->names + first, s->count - first, sizeof(char *), compare_names);
	return err;
}

/* The first "{a,b}" of @pattern (unescaped, balanced): each alternative in its place,
 * recursively; patterns without one go to glob_one. */
static int glob_braces(struct search *s, const char *pattern)
{
	const char *open = NULL;
	for (const char *p = pattern; *p; p++) {
		if (*p == '\\' && !(s->flags & GLOB_NOESCAPE) && p[1]) {
			p++;
		} else if (*p == '{') {
			open = p;
			break;
		}
	}
	const char *close = NULL;
	if (open) {
		int depth = 0;
		for (const char *p = open; *p; p++) {
			if (*p == '\\' && !(s->flags & GLOB_NOESCAPE) && p[1])
				p++;
			else if (*p == '{')
				depth++;
			else if (*p == '}' && --depth == 0) {
				close = p;
				break;
			}
		}
	}
	if (!close)
		return glob_one(s, pattern);

	size_t prefix = (size_t)(open - pattern), suffix = strlen(close + 1);
	const char *alt = open + 1;
	for (;;) {
		int depth = 0;
		const char *end = alt;
		for (; end < close; end++) {
			if (*end == '\\' && !(s->flags & GLOB_NOESCAPE) && end + 1 < close)
				end++;
			else if (*end == '{')
				depth++;
			else if (*end == '}')
				depth--;
			else if (*end == ',' && depth == 0)
				break;
		}
		size_t len = (size_t)(end - alt);
		char *one = malloc(prefix + len + suffix + 1);
		if (!one)
			return GLOB_NOSPACE;
		memcpy(one, pattern, prefix);
		memcpy(one + prefix, alt, len);
		memcpy(one + prefix + len, close + 1, suffix + 1);
		int err = glob_braces(s, one);
		free(one);
		if (err)
			return err;
		if (end >= close)
			return 0;
		alt = end + 1;
	}
}

/* ~ and ~user at the start of @pattern; NULL with *@err set when it cannot be done. */
static char *expand_tilde(const char *pattern, int flags, int *err)
{
	const char *slash = strchr(pattern, '/');
	size_t ulen = slash ? (size_t)(slash - pattern - 1) : strlen(pattern + 1);
	const char *home = NULL;

	if (ulen == 0) {
		home = getenv("HOME");
		if (!home) {
			struct passwd *pw = getpwuid(getuid());
			home = pw ? pw->pw_dir : NULL;
		}
	} else {
		char user[256];
		if (ulen < sizeof(user)) {
			memcpy(user, pattern + 1, ulen);
			user[ulen] = '\0';
			struct passwd *pw = getpwnam(user);
			home = pw ? pw->pw_dir : NULL;
		}
	}
	if (!home) {
		*err = (flags & GLOB_TILDE_CHECK) ? GLOB_NOMATCH : 0;
		return NULL;
	}
	const char *tail = pattern + 1 + ulen;
	char *out = malloc(strlen(home) + strlen(tail) + 1);
	if (!out) {
		*err = GLOB_NOSPACE;
		return NULL;
	}
	strcpy(out, home);
	strcat(out, tail);
	return out;
}

int glob(const char *restrict pattern, int flags, int (*errfunc)(const char *, int),
         glob_t *restrict pglob)
{
	struct search s = {.flags = flags, .errfunc = errfunc};
	char *expanded = NULL;
	int err = 0;

	if (!pattern || !pglob || (flags & ~0x7fff)) {
		errno = EINVAL;
		return -1;
	}
	if (!(flags & GLOB_APPEND)) {
		pglob->gl_pathc = 0;
		pglob->gl_pathv = NULL;
		if (!(flags & GLOB_DOOFFS))
			pglob->gl_offs = 0;
	}
	if (flags & GLOB_ALTDIRFUNC) {
		s.ops.open = pglob->gl_opendir;
		s.ops.read = pglob->gl_readdir;
		s.ops.close = pglob->gl_closedir;
		s.ops.lstat = (int (*)(const char *, struct stat *))pglob->gl_lstat;
		s.ops.stat = (int (*)(const char *, struct stat *))pglob->gl_stat;
	} else {
		s.ops = (struct dir_ops){open_dir, read_dir, close_dir, lstat, stat};
	}
	const char *effective = pattern;
	if ((flags & (GLOB_TILDE | GLOB_TILDE_CHECK)) && pattern[0] == '~') {
		expanded = expand_tilde(pattern, flags, &err);
		if (err)
			goto out;
		if (expanded)
			effective = expanded;
	}
	int magic = has_magic(effective, strlen(effective), flags);
	err = (flags & GLOB_BRACE) ? glob_braces(&s, effective) : glob_one(&s, effective);
	if (!err && s.count == 0) {
		if ((flags & GLOB_NOCHECK) || ((flags & GLOB_NOMAGIC) && !magic))
			err = add(&s, pattern, 0);
		else
			err = GLOB_NOMATCH;
	}
	if (!err && s.count) {
		size_t offs = (flags & GLOB_DOOFFS) ? pglob->gl_offs : 0;
		size_t old = pglob->gl_pathv ? pglob->gl_pathc : 0;
		char **v = realloc(pglob->gl_pathv, (offs + old + s.count + 1) * sizeof(char *));
		if (!v) {
			err = GLOB_NOSPACE;
			goto out;
		}
		if (!pglob->gl_pathv)
			for (size_t i = 0; i < offs; i++)
				v[i] = NULL;
		memcpy(v + offs + old, s.names, s.count * sizeof(char *));
		v[offs + old + s.count] = NULL;
		pglob->gl_pathv = v;
		pglob->gl_pathc = old + s.count;
		s.count = 0;
	}
	pglob->gl_flags = flags | (magic ? GLOB_MAGCHAR : 0);
out:
	for (size_t i = 0; i < s.count; i++)
		free(s.names[i]);
	free(s.names);
	free(expanded);
	return err;
}

void globfree(glob_t *pglob)
{
	if (!pglob || !pglob->gl_pathv)
		return;
	for (size_t i = 0; i < pglob->gl_pathc; i++)
		free(pglob->gl_pathv[pglob->gl_offs + i]);
	free(pglob->gl_pathv);
	pglob->gl_pathv = NULL; /* gl_pathc is left as it was, as glibc leaves it */
}
