/* glob.h - pathname expansion with glibc's glob_t and flag values (newlib's header is
 * BSD's, with other values and int counts); implemented in posix/libc/glob.c. */
#ifndef VMOS_GLOB_H
#define VMOS_GLOB_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct stat;
struct dirent;

#define GLOB_ERR         (1 << 0)  /* stop at an unreadable directory */
#define GLOB_MARK        (1 << 1)  /* a '/' after each directory */
#define GLOB_NOSORT      (1 << 2)  /* leave the names in directory order */
#define GLOB_DOOFFS      (1 << 3)  /* gl_offs NULL slots first */
#define GLOB_NOCHECK     (1 << 4)  /* no match: the pattern itself */
#define GLOB_APPEND      (1 << 5)  /* add to an earlier call's names */
#define GLOB_NOESCAPE    (1 << 6)  /* a backslash is an ordinary character */
#define GLOB_PERIOD      (1 << 7)  /* wildcards match a leading '.' */
#define GLOB_MAGCHAR     (1 << 8)  /* set in gl_flags: the pattern had wildcards */
#define GLOB_ALTDIRFUNC  (1 << 9)  /* use gl_opendir, gl_readdir... */
#define GLOB_BRACE       (1 << 10) /* expand {a,b} */
#define GLOB_NOMAGIC     (1 << 11) /* no wildcards and no match: the pattern itself */
#define GLOB_TILDE       (1 << 12) /* expand ~ and ~user */
#define GLOB_ONLYDIR     (1 << 13) /* directories only */
#define GLOB_TILDE_CHECK (1 << 14) /* ~user for an unknown user: GLOB_NOMATCH */

#define GLOB_NOSPACE 1 /* out of memory */
#define GLOB_ABORTED 2 /* a read error, with GLOB_ERR or errfunc's say-so */
#define GLOB_NOMATCH 3 /* nothing matched */
#define GLOB_NOSYS   4
#define GLOB_ABEND   GLOB_ABORTED

typedef struct {
	size_t gl_pathc;
	char **gl_pathv;
	size_t gl_offs;
	int gl_flags;
	void (*gl_closedir)(void *);
	struct dirent *(*gl_readdir)(void *);
	void *(*gl_opendir)(const char *);
	int (*gl_lstat)(const char *__restrict, struct stat *__restrict);
	int (*gl_stat)(const char *__restrict, struct stat *__restrict);
} glob_t;

int glob(const char *__restrict pattern, int flags, int (*errfunc)(const char *, int),
         glob_t *__restrict pglob);
void globfree(glob_t *pglob);

#ifdef __cplusplus
}
#endif

#endif
