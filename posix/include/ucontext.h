/* ucontext.h - the user context types (sys/ucontext.h). The context calls glibc
 * declares here (getcontext, setcontext, makecontext, swapcontext) are not provided yet:
 * a program that needs them fails to link (README). */
#ifndef VMOS_UCONTEXT_H
#define VMOS_UCONTEXT_H

#include <sys/ucontext.h>

#endif
