/* unistd.h - newlib's, with the GNU calls that newlib leaves out: the id calls
 * (posix/proc/identity.c), gettid (posix/thread/pthread.c), syncfs (posix/fs/files.c)
 * and syscall
 * (posix/libc/unavailable.c: a few numbers of <sys/syscall.h> are real, others ENOSYS). */
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
pid_t gettid(void);
int syncfs(int fd);
#endif
#if __MISC_VISIBLE || __GNU_VISIBLE
long syscall(long number, ...);
#endif
#ifdef __cplusplus
}
#endif
#endif
