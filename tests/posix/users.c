/* users.c - the user and group databases and the process's identity. Compared: the fields
 * Debian's base-passwd and the image's default /etc/passwd and /etc/group agree on (root,
 * www-data, nobody; not root's shell), lookups that fail, the _r forms' ERANGE, and a
 * server's privilege drop as root (the last thing the program does: it cannot be undone).
 * Run as root on Linux, as make test is. */
#define _GNU_SOURCE
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

static void user(const char *name)
{
	struct passwd *pw = getpwnam(name);

	if (!pw) {
		printf("getpwnam %s: none\n", name);
		return;
	}
	printf("getpwnam %s: uid %u gid %u dir %s", name, (unsigned)pw->pw_uid,
	       (unsigned)pw->pw_gid, pw->pw_dir);
	if (strcmp(name, "root") != 0)
		printf(" shell %s gecos %s", pw->pw_shell, pw->pw_gecos);
	printf("\n");
	uid_t uid = pw->pw_uid;
	pw = getpwuid(uid);
	printf("getpwuid %u: %s\n", (unsigned)uid, pw ? pw->pw_name : "none");
}

static void group(const char *name)
{
	struct group *gr = getgrnam(name);

	if (!gr) {
		printf("getgrnam %s: none\n", name);
		return;
	}
	int members = 0;
	while (gr->gr_mem[members])
		members++;
	printf("getgrnam %s: gid %u, %d members\n", name, (unsigned)gr->gr_gid, members);
	gid_t gid = gr->gr_gid;
	gr = getgrgid(gid);
	printf("getgrgid %u: %s\n", (unsigned)gid, gr ? gr->gr_name : "none");
}

static void ids(const char *when)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;
	gid_t list[8];

	getresuid(&r, &e, &s);
	getresgid(&rg, &eg, &sg);
	int n = getgroups(8, list);
	printf("%s: uid %u/%u/%u gid %u/%u/%u, %d groups:", when, (unsigned)r, (unsigned)e,
	       (unsigned)s, (unsigned)rg, (unsigned)eg, (unsigned)sg, n);
	for (int i = 0; i < n; i++)
		printf(" %u", (unsigned)list[i]);
	printf("\n");
}

static void result(const char *what, int r)
{
	printf("%s: %d %s\n", what, r, r < 0 ? errname(errno) : "");
}

int main(void)
{
	user("root");
	user("www-data");
	user("nobody");
	user("no-such-user");
	printf("getpwuid 4242: %s\n", getpwuid(4242) ? "found" : "none");
	group("root");
	group("www-data");
	group("nogroup");
	group("no-such-group");
	printf("getgrgid 4242: %s\n", getgrgid(4242) ? "found" : "none");

	struct passwd pw, *res = (struct passwd *)1;
	char small[8], big[1024];
	printf("getpwnam_r small: %s, result %s\n",
	       errname(getpwnam_r("www-data", &pw, small, sizeof(small), &res)),
	       res ? "set" : "NULL");
	printf("getpwnam_r: %s, %s\n", errname(getpwnam_r("www-data", &pw, big, sizeof(big), &res)),
	       res ? res->pw_dir : "NULL");
	printf("getpwnam_r missing: %s, result %s\n",
	       errname(getpwnam_r("no-such-user", &pw, big, sizeof(big), &res)),
	       res ? "set" : "NULL");
	printf("getpwuid_r 33: %s, %s\n", errname(getpwuid_r(33, &pw, big, sizeof(big), &res)),
	       res ? res->pw_name : "NULL");
	struct group gr, *gres = (struct group *)1;
	printf("getgrnam_r small: %s, result %s\n",
	       errname(getgrnam_r("www-data", &gr, small, sizeof(small), &gres)),
	       gres ? "set" : "NULL");
	printf("getgrgid_r 33: %s, %s\n", errname(getgrgid_r(33, &gr, big, sizeof(big), &gres)),
	       gres ? gres->gr_name : "NULL");

	gid_t groups[4];
	int ngroups = 4;
	int n = getgrouplist("www-data", 33, groups, &ngroups);
	printf("getgrouplist www-data: %d (%d): %u\n", n, ngroups, (unsigned)groups[0]);
	ngroups = 0;
	n = getgrouplist("www-data", 33, groups, &ngroups);
	printf("getgrouplist, no room: %d (%d needed)\n", n, ngroups);

	/* A server's privilege drop, as nginx or redis do it. */
	if (geteuid() != 0) {
		printf("not root: the privilege drop is not compared\n");
		return 0;
	}
	gid_t none[1];
	result("setgroups 0", setgroups(0, none));
	ids("root, no groups");
	gid_t two[2] = {33, 65534};
	result("setgroups 2", setgroups(2, two));
	ids("two groups");
	result("getgroups too small", getgroups(1, groups));
	result("getgroups count", getgroups(0, NULL));
	result("initgroups www-data", initgroups("www-data", 33));
	ids("initgroups");
	result("setuid -1", setuid((uid_t)-1));
	result("setresgid", setresgid(33, 33, 33));
	result("seteuid 65534", seteuid(65534));
	ids("effective nobody");
	result("seteuid 0 (saved is 0)", seteuid(0));
	result("setgid 33", setgid(33));
	result("setuid 33", setuid(33));
	ids("www-data");
	result("setuid 0 after the drop", setuid(0));
	result("seteuid 0 after the drop", seteuid(0));
	result("setgid 0 after the drop", setgid(0));
	result("setgroups after the drop", setgroups(0, none));
	result("initgroups after the drop", initgroups("www-data", 33));
	result("setreuid 33 33", setreuid(33, 33));
	result("setuid 33 again", setuid(33));
	ids("end");
	return 0;
}
