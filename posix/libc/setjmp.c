/* setjmp.c - setjmp and longjmp with their glibc companions: _setjmp and _longjmp (the
 * same calls: no signal mask is saved), __sigsetjmp (sigsetjmp) and siglongjmp
 * (posix/include/setjmp.h). They replace newlib's setjmp and longjmp, whose longjmp
 * returns 0 from setjmp when given 0, where C requires 1.
 *
 * jmp_buf is newlib's eight 64-bit slots: rbx, rbp, r12, r13, r14, r15, the caller's
 * stack pointer after the return, and the return address. The entry points are in
 * assembly: setjmp must see its caller's frame and return address, which a C function
 * would replace with its own. */
#include <setjmp.h>
#include <signal.h>

void vmos_sigjmp_save(sigjmp_buf env, int savemask);

/* Called by __sigsetjmp before setjmp: records whether to restore the mask, and it. */
void vmos_sigjmp_save(sigjmp_buf env, int savemask)
{
	env->__mask_saved = savemask != 0;
	if (savemask)
		sigprocmask(SIG_SETMASK, NULL, &env->__mask);
}

/* __sigsetjmp's pushes (and the 8 bytes that align its call) are gone again when it
 * jumps to setjmp, so setjmp sees the caller's stack. */
__asm__(".section .text.setjmp,\"ax\",@progbits\n"
        ".globl setjmp\n"
        ".type setjmp, @function\n"
        ".globl _setjmp\n"
        ".type _setjmp, @function\n"
        "setjmp:\n"
        "_setjmp:\n"
        "\tmov %rbx, 0(%rdi)\n"
        "\tmov %rbp, 8(%rdi)\n"
        "\tmov %r12, 16(%rdi)\n"
        "\tmov %r13, 24(%rdi)\n"
        "\tmov %r14, 32(%rdi)\n"
        "\tmov %r15, 40(%rdi)\n"
        "\tlea 8(%rsp), %rdx\n"
        "\tmov %rdx, 48(%rdi)\n"
        "\tmov (%rsp), %rdx\n"
        "\tmov %rdx, 56(%rdi)\n"
        "\txor %eax, %eax\n"
        "\tret\n"
        ".size setjmp, . - setjmp\n"
        ".size _setjmp, . - _setjmp\n"
        ".section .text.longjmp,\"ax\",@progbits\n"
        ".globl longjmp\n"
        ".type longjmp, @function\n"
        ".globl _longjmp\n"
        ".type _longjmp, @function\n"
        "longjmp:\n"
        "_longjmp:\n"
        "\tmov %esi, %eax\n"
        "\ttest %eax, %eax\n"
        "\tjnz 1f\n"
        "\tinc %eax\n"
        "1:\n"
        "\tmov 0(%rdi), %rbx\n"
        "\tmov 8(%rdi), %rbp\n"
        "\tmov 16(%rdi), %r12\n"
        "\tmov 24(%rdi), %r13\n"
        "\tmov 32(%rdi), %r14\n"
        "\tmov 40(%rdi), %r15\n"
        "\tmov 48(%rdi), %rsp\n"
        "\tjmp *56(%rdi)\n"
        ".size longjmp, . - longjmp\n"
        ".size _longjmp, . - _longjmp\n"
        ".section .text.__sigsetjmp,\"ax\",@progbits\n"
        ".globl __sigsetjmp\n"
        ".type __sigsetjmp, @function\n"
        "__sigsetjmp:\n"
        "\tpush %rdi\n"
        "\tpush %rsi\n"
        "\tsub $8, %rsp\n"
        "\tcall vmos_sigjmp_save\n"
        "\tadd $8, %rsp\n"
        "\tpop %rsi\n"
        "\tpop %rdi\n"
        "\tjmp setjmp\n"
        ".size __sigsetjmp, . - __sigsetjmp\n"
        ".previous\n");

void siglongjmp(sigjmp_buf env, int value)
{
	if (env->__mask_saved)
		sigprocmask(SIG_SETMASK, &env->__mask, NULL);
	longjmp(env->__registers, value);
}
