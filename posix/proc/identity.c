/* identity.c - the process's user and group ids and supplementary groups, kept as Linux
 * keeps them (real, effective, saved) and changed by Linux's rules: a process whose
 * effective uid is 0 may set any id, others only to one of their current ones. The image
 * starts as root, with no supplementary groups. Servers drop privileges at start-up and
 * refuse to run when that fails, so the drop succeeds and is recorded; the RAM filesystem
 * does not check permissions against these ids (README.md). */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "posix/posix.h"

#define NO_ID ((unsigned)-1)

static uid_t ruid, euid, suid;
static gid_t rgid, egid, sgid;
static gid_t *groups;
static int ngroups;

uid_t getuid(void)
{
	return ruid;
}

uid_t geteuid(void)
{
	return euid;
}

gid_t getgid(void)
{
	return rgid;
}

gid_t getegid(void)
{
	return egid;
}

int getresuid(uid_t *r, uid_t *e, uid_t *s)
{
	*r = ruid;
	*e = euid;
	*s = suid;
	return 0;
}

int getresgid(gid_t *r, gid_t *e, gid_t *s)
{
	*r = rgid;
	*e = egid;
	*s = sgid;
	return 0;
}

static int privileged(void)
{
	return euid == 0;
}

/* May an unprivileged process set an id to @id, given its real, effective and saved? */
static int one_of(unsigned id, unsigned r, unsigned e, unsigned s)
{
	return id == r || id == e || id == s;
}

/* setresuid and setresgid: each id NO_ID (unchanged), or one of the current three unless
 * privileged. */
static int set_three(unsigned *r, unsigned *e, unsigned *s, unsigned nr, unsigned ne, unsigned ns)
{
	if (!privileged()) {
		if ((nr != NO_ID && !one_of(nr, *r, *e, *s)) ||
		    (ne != NO_ID && !one_of(ne, *r, *e, *s)) ||
		    (ns != NO_ID && !one_of(ns, *r, *e, *s)))
			return (int)posix_result(-EPERM);
	}
	if (nr != NO_ID)
		*r = nr;
	if (ne != NO_ID)
		*e = ne;
	if (ns != NO_ID)
		*s = ns;
	return 0;
}

/* newlib's uid_t and gid_t are 16 bits (Linux's 32): the rules work on unsigned copies. */
#define SET_IDS(call, r, e, s)                                                                     \
	({                                                                                         \
		unsigned r_ = (r), e_ = (e), s_ = (s);                                             \
		int ret_ = (call);                                                                 \
		(r) = r_;                                                                          \
		(e) = e_;                                                                          \
		(s) = s_;                                                                          \
		ret_;                                                                              \
	})

/* An id argument as the rules see it: (uid_t)-1 of newlib's 16 bits is NO_ID too. */
static unsigned id_arg(unsigned id, unsigned id_bits_max)
{
	return id == id_bits_max ? NO_ID : id;
}
#define UID_ARG(id) id_arg((unsigned)(id), (unsigned)(uid_t)-1)
#define GID_ARG(id) id_arg((unsigned)(id), (unsigned)(gid_t)-1)

int setresuid(uid_t r, uid_t e, uid_t s)
{
	return SET_IDS(set_three(&r_, &e_, &s_, UID_ARG(r), UID_ARG(e), UID_ARG(s)), ruid, euid,
	               suid);
}

int setresgid(gid_t r, gid_t e, gid_t s)
{
	return SET_IDS(set_three(&r_, &e_, &s_, GID_ARG(r), GID_ARG(e), GID_ARG(s)), rgid, egid,
	               sgid);
}

/* setuid: privileged, all three; else the effective one, to the real or saved id. */
int setuid(uid_t uid)
{
	if (UID_ARG(uid) == NO_ID)
		return (int)posix_result(-EINVAL);
	if (privileged()) {
		ruid = euid = suid = uid;
		return 0;
	}
	if (uid != ruid && uid != suid)
		return (int)posix_result(-EPERM);
	euid = uid;
	return 0;
}

int setgid(gid_t gid)
{
	if (GID_ARG(gid) == NO_ID)
		return (int)posix_result(-EINVAL);
	if (privileged()) {
		rgid = egid = sgid = gid;
		return 0;
	}
	if (gid != rgid && gid != sgid)
		return (int)posix_result(-EPERM);
	egid = gid;
	return 0;
}

int seteuid(uid_t uid)
{
	if (UID_ARG(uid) == NO_ID)
		return (int)posix_result(-EINVAL);
	return setresuid((uid_t)-1, uid, (uid_t)-1);
}

int setegid(gid_t gid)
{
	if (GID_ARG(gid) == NO_ID)
		return (int)posix_result(-EINVAL);
	return setresgid((gid_t)-1, gid, (gid_t)-1);
}

/* setreuid: unprivileged, the real id to the real or effective one, the effective one to
 * any of the three; the saved id follows the new effective one when the real id is set or
 * the effective one becomes other than the old real one. */
static int set_two(unsigned *r, unsigned *e, unsigned *s, unsigned nr, unsigned ne)
{
	unsigned old_r = *r;

	if (!privileged()) {
		if ((nr != NO_ID && nr != *r && nr != *e) ||
		    (ne != NO_ID && !one_of(ne, *r, *e, *s)))
			return (int)posix_result(-EPERM);
	}
	if (nr != NO_ID)
		*r = nr;
	if (ne != NO_ID)
		*e = ne;
	if (nr != NO_ID || (ne != NO_ID && ne != old_r))
		*s = *e;
	return 0;
}

int setreuid(uid_t r, uid_t e)
{
	return SET_IDS(set_two(&r_, &e_, &s_, UID_ARG(r), UID_ARG(e)), ruid, euid, suid);
}

int setregid(gid_t r, gid_t e)
{
	return SET_IDS(set_two(&r_, &e_, &s_, GID_ARG(r), GID_ARG(e)), rgid, egid, sgid);
}

int getgroups(int size, gid_t list[])
{
	if (size < 0)
		return (int)posix_result(-EINVAL);
	if (size == 0)
		return ngroups;
	if (size < ngroups)
		return (int)posix_result(-EINVAL);
	memcpy(list, groups, (size_t)ngroups * sizeof(gid_t));
	return ngroups;
}

int setgroups(int size, const gid_t *list)
{
	if (size < 0 || size > NGROUPS_MAX)
		return (int)posix_result(-EINVAL);
	if (!privileged())
		return (int)posix_result(-EPERM);
	gid_t *copy = NULL;
	if (size) {
		copy = malloc((size_t)size * sizeof(gid_t));
		if (!copy)
			return (int)posix_result(-ENOMEM);
		memcpy(copy, list, (size_t)size * sizeof(gid_t));
	}
	free(groups);
	groups = copy;
	ngroups = size;
	return 0;
}

/* initgroups: @group and every group of /etc/group that lists @user (posix/proc/users.c). */
int initgroups(const char *user, gid_t group)
{
	int n = 0;

	if (!privileged())
		return (int)posix_result(-EPERM);
	getgrouplist(user, group, NULL, &n);
	gid_t *list = malloc((size_t)(n ? n : 1) * sizeof(gid_t));
	if (!list)
		return (int)posix_result(-ENOMEM);
	if (getgrouplist(user, group, list, &n) < 0) {
		free(list);
		return (int)posix_result(-ENOMEM);
	}
	int r = setgroups(n, list);
	free(list);
	return r;
}
