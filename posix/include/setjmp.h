/* setjmp.h - newlib's, with what glibc's adds (posix/libc/setjmp.c, which also replaces
 * newlib's setjmp and longjmp: its longjmp(env, 0) made setjmp return 0): _setjmp and
 * _longjmp (setjmp without the signal mask, which newlib's setjmp never saves either),
 * sigsetjmp and siglongjmp with sigjmp_buf (the mask saved and restored when asked),
 * and glibc's __sigsetjmp, which sigsetjmp is a macro for, as in glibc. */
#include_next <setjmp.h>

#ifndef VMOS_SETJMP_H
#define VMOS_SETJMP_H
#include <signal.h>
#ifdef __cplusplus
extern "C" {
#endif

int _setjmp(jmp_buf env) __attribute__((__returns_twice__));
void _longjmp(jmp_buf env, int value) __attribute__((__noreturn__));

typedef struct __vmos_sigjmp_buf {
	jmp_buf __registers; /* first: __sigsetjmp hands the structure to setjmp */
	int __mask_saved;
	sigset_t __mask;
} sigjmp_buf[1];

int __sigsetjmp(sigjmp_buf env, int savemask) __attribute__((__returns_twice__));
#define sigsetjmp(env, savemask) __sigsetjmp((env), (savemask))
void siglongjmp(sigjmp_buf env, int value) __attribute__((__noreturn__));

#ifdef __cplusplus
}
#endif
#endif
