/* users.c - the user and group databases: /etc/passwd and /etc/group of the image's RAM
 * filesystem (every image carries posix/etc's pair unless its port ships its own), read
 * line by line in their usual formats. The _r forms fill the caller's buffer (ERANGE when
 * it is too small); the others share one static entry per database, as glibc's. Not
 * found: NULL, and 0 with *result NULL from the _r forms. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "posix/posix.h"

#define PASSWD_PATH "/etc/passwd"
#define GROUP_PATH  "/etc/group"
/* Room for one static entry's strings (and a group's member list). */
#define STATIC_BUF 4096

/* Splits @line (its newline removed) at ':' into at most @max fields; the count. */
static int split(char *line, char **field, int max)
{
	int n = 0;

	line[strcspn(line, "\n")] = '\0';
	field[n++] = line;
	for (char *p = line; *p && n < max; p++) {
		if (*p == ':') {
			*p = '\0';
			field[n++] = p + 1;
		}
	}
	return n;
}

static int parse_id(const char *s, unsigned *id)
{
	char *end;
	unsigned long v;

	if (!*s)
		return 0;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v > 0xfffffffful)
		return 0;
	*id = (unsigned)v;
	return 1;
}

/* Copies @s into the caller's buffer at *@at; NULL when it does not fit. */
static char *put(const char *s, char **at, size_t *left)
{
	size_t n = strlen(s) + 1;

	if (n > *left)
		return NULL;
	char *dst = memcpy(*at, s, n);
	*at += n;
	*left -= n;
	return dst;
}

/* ---- /etc/passwd: name:password:uid:gid:gecos:home:shell ---- */

/* One line into @pw with strings in @buf; 0, -ERANGE, or -EINVAL (not an entry). */
static int passwd_from_line(char *line, struct passwd *pw, char *buf, size_t size)
{
	char *f[7];
	unsigned uid, gid;

	if (split(line, f, 7) != 7 || !*f[0] || !parse_id(f[2], &uid) || !parse_id(f[3], &gid))
		return -EINVAL;
	char *at = buf;
	size_t left = size;
	memset(pw, 0, sizeof(*pw));
	pw->pw_uid = uid;
	pw->pw_gid = gid;
	if (!(pw->pw_name = put(f[0], &at, &left)) || !(pw->pw_passwd = put(f[1], &at, &left)) ||
	    !(pw->pw_gecos = put(f[4], &at, &left)) || !(pw->pw_dir = put(f[5], &at, &left)) ||
	    !(pw->pw_shell = put(f[6], &at, &left)))
		return -ERANGE;
	pw->pw_comment = pw->pw_gecos + strlen(pw->pw_gecos); /* newlib's extra field: "" */
	return 0;
}

/* The first entry of @file (from its current position) with @name, or with @uid when @name
 * is NULL: 0 (found or not: *result), or an errno value. */
static int passwd_search(FILE *file, const char *name, uid_t uid, struct passwd *pw, char *buf,
                         size_t size, struct passwd **result)
{
	char *line = NULL;
	size_t cap = 0;
	int err = 0;

	*result = NULL;
	while (getline(&line, &cap, file) >= 0) {
		/* Parsed once in scratch space (strings fit in the line's length) to compare. */
		size_t len = strlen(line) + 1;
		char *copy = strdup(line);
		char *scratch = malloc(len);
		struct passwd tmp;
		int ok = copy && scratch && !passwd_from_line(copy, &tmp, scratch, len) &&
		         (name ? strcmp(tmp.pw_name, name) == 0 : tmp.pw_uid == uid);
		free(copy);
		free(scratch);
		if (!ok)
			continue;
		err = -passwd_from_line(line, pw, buf, size);
		if (!err)
			*result = pw;
		break;
	}
	free(line);
	return err;
}

static int passwd_lookup(const char *name, uid_t uid, struct passwd *pw, char *buf, size_t size,
                         struct passwd **result)
{
	int saved = errno;
	FILE *file = fopen(PASSWD_PATH, "r");

	*result = NULL;
	if (!file) {
		int e = errno;
		errno = saved;
		return e == ENOENT ? 0 : e;
	}
	int err = passwd_search(file, name, uid, pw, buf, size, result);
	fclose(file);
	errno = saved;
	return err;
}

int getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t size, struct passwd **result)
{
	return passwd_lookup(name, 0, pw, buf, size, result);
}

int getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t size, struct passwd **result)
{
	return passwd_lookup(NULL, uid, pw, buf, size, result);
}

static struct passwd static_passwd;
static char static_passwd_buf[STATIC_BUF];

static struct passwd *static_result(int err, struct passwd *found)
{
	if (err)
		errno = err;
	return found;
}

struct passwd *getpwnam(const char *name)
{
	struct passwd *r;
	int err = getpwnam_r(name, &static_passwd, static_passwd_buf, STATIC_BUF, &r);
	return static_result(err, r);
}

struct passwd *getpwuid(uid_t uid)
{
	struct passwd *r;
	int err = getpwuid_r(uid, &static_passwd, static_passwd_buf, STATIC_BUF, &r);
	return static_result(err, r);
}

static FILE *passwd_stream;

void setpwent(void)
{
	if (passwd_stream)
		rewind(passwd_stream);
}

void endpwent(void)
{
	if (passwd_stream)
		fclose(passwd_stream);
	passwd_stream = NULL;
}

struct passwd *getpwent(void)
{
	char *line = NULL;
	size_t cap = 0;
	struct passwd *found = NULL;

	if (!passwd_stream && !(passwd_stream = fopen(PASSWD_PATH, "r")))
		return NULL;
	while (!found && getline(&line, &cap, passwd_stream) >= 0)
		if (!passwd_from_line(line, &static_passwd, static_passwd_buf, STATIC_BUF))
			found = &static_passwd;
	free(line);
	return found;
}

/* ---- /etc/group: name:password:gid:member,member... ---- */

static int group_from_line(char *line, struct group *gr, char *buf, size_t size)
{
	char *f[4];
	unsigned gid;

	if (split(line, f, 4) != 4 || !*f[0] || !parse_id(f[2], &gid))
		return -EINVAL;
	size_t members = 0;
	for (char *p = f[3]; *p; p++)
		members += *p == ',';
	members += *f[3] != '\0';
	/* The member array first, aligned, then the strings. */
	size_t align = (size_t)(-(uintptr_t)buf & (sizeof(char *) - 1));
	size_t array = (members + 1) * sizeof(char *);
	if (size < align + array)
		return -ERANGE;
	char **mem = (char **)(buf + align);
	char *at = buf + align + array;
	size_t left = size - align - array;
	memset(gr, 0, sizeof(*gr));
	gr->gr_gid = gid;
	gr->gr_mem = mem;
	if (!(gr->gr_name = put(f[0], &at, &left)) || !(gr->gr_passwd = put(f[1], &at, &left)))
		return -ERANGE;
	size_t i = 0;
	for (char *m = f[3]; *f[3] && m;) {
		char *comma = strchr(m, ',');
		if (comma)
			*comma = '\0';
		if (*m && !(mem[i++] = put(m, &at, &left)))
			return -ERANGE;
		m = comma ? comma + 1 : NULL;
	}
	mem[i] = NULL;
	return 0;
}

/* The first entry of /etc/group with @name, or with @gid when @name is NULL, parsed into
 * @gr and @buf: 0 (found or not: *result), or an errno value. */
static int group_lookup(const char *name, gid_t gid, struct group *gr, char *buf, size_t size,
                        struct group **result)
{
	int saved = errno;
	FILE *file = fopen(GROUP_PATH, "r");
	char *line = NULL;
	size_t cap = 0;
	int err = 0;

	*result = NULL;
	if (!file) {
		int e = errno;
		errno = saved;
		return e == ENOENT ? 0 : e;
	}
	while (getline(&line, &cap, file) >= 0) {
		/* Scratch space: the strings fit in the line's length, the member array in a
		 * pointer per byte. */
		size_t len = strlen(line) + 1;
		size_t room = len + (len + 2) * sizeof(char *);
		char *copy = strdup(line);
		char *scratch = malloc(room);
		struct group tmp;
		int ok = copy && scratch && !group_from_line(copy, &tmp, scratch, room) &&
		         (name ? strcmp(tmp.gr_name, name) == 0 : tmp.gr_gid == gid);
		free(copy);
		free(scratch);
		if (!ok)
			continue;
		err = -group_from_line(line, gr, buf, size);
		if (!err)
			*result = gr;
		break;
	}
	free(line);
	fclose(file);
	errno = saved;
	return err;
}

int getgrnam_r(const char *name, struct group *gr, char *buf, size_t size, struct group **result)
{
	return group_lookup(name, 0, gr, buf, size, result);
}

int getgrgid_r(gid_t gid, struct group *gr, char *buf, size_t size, struct group **result)
{
	return group_lookup(NULL, gid, gr, buf, size, result);
}

static struct group static_group;
static char static_group_buf[STATIC_BUF];

struct group *getgrnam(const char *name)
{
	struct group *r;
	int err = getgrnam_r(name, &static_group, static_group_buf, STATIC_BUF, &r);
	if (err)
		errno = err;
	return r;
}

struct group *getgrgid(gid_t gid)
{
	struct group *r;
	int err = getgrgid_r(gid, &static_group, static_group_buf, STATIC_BUF, &r);
	if (err)
		errno = err;
	return r;
}

static FILE *group_stream;

void setgrent(void)
{
	if (group_stream)
		rewind(group_stream);
}

void endgrent(void)
{
	if (group_stream)
		fclose(group_stream);
	group_stream = NULL;
}

struct group *getgrent(void)
{
	char *line = NULL;
	size_t cap = 0;
	struct group *found = NULL;

	if (!group_stream && !(group_stream = fopen(GROUP_PATH, "r")))
		return NULL;
	while (!found && getline(&line, &cap, group_stream) >= 0)
		if (!group_from_line(line, &static_group, static_group_buf, STATIC_BUF))
			found = &static_group;
	free(line);
	return found;
}

/* getgrouplist: @group first, then every other group that lists @user; glibc's contract:
 * the count, or -1 with *@ngroups set to the count needed when the array is too small. */
int getgrouplist(const char *user, gid_t group, gid_t *groups, int *ngroups)
{
	FILE *file = fopen(GROUP_PATH, "r");
	char *line = NULL;
	size_t cap = 0;
	int n = 0, room = *ngroups;

	if (room > 0 && groups)
		groups[0] = group;
	n = 1;
	while (file && getline(&line, &cap, file) >= 0) {
		char *f[4];
		unsigned gid;
		if (split(line, f, 4) != 4 || !parse_id(f[2], &gid) || gid == group)
			continue;
		for (char *m = strtok(f[3], ","); m; m = strtok(NULL, ",")) {
			if (strcmp(m, user) == 0) {
				if (n < room && groups)
					groups[n] = gid;
				n++;
				break;
			}
		}
	}
	free(line);
	if (file)
		fclose(file);
	int fits = n <= room;
	*ngroups = n;
	return fits ? n : -1;
}
