/* grp.h - newlib's, with glibc's getgrouplist (posix/proc/users.c) and setgroups. */
#include_next <grp.h>

#ifndef VMOS_GRP_H
#define VMOS_GRP_H
#ifdef __cplusplus
extern "C" {
#endif
int getgrouplist(const char *user, gid_t group, gid_t *groups, int *ngroups);
#ifdef __cplusplus
}
#endif
#endif
