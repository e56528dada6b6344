/* unistd.h - newlib's, with the GNU id calls that newlib leaves out (posix/proc/identity.c). */
#include_next <unistd.h>

#ifndef VMOS_UNISTD_H
#define VMOS_UNISTD_H
#ifdef __cplusplus
extern "C" {
#endif
#if __GNU_VISIBLE
int getresuid(uid_t *ruid, uid_t *euid, uid_t *suid);
int getresgid(gid_t *rgid, gid_t *egid, gid_t *sgid);
int setresuid(uid_t ruid, uid_t euid, uid_t suid);
int setresgid(gid_t rgid, gid_t egid, gid_t sgid);
#endif
#ifdef __cplusplus
}
#endif
#endif
