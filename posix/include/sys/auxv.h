/* sys/auxv.h - getauxval (missing from newlib; posix/proc/auxv.c), Linux's type numbers. */
#ifndef VMOS_SYS_AUXV_H
#define VMOS_SYS_AUXV_H

#define AT_NULL     0
#define AT_PAGESZ   6
#define AT_UID      11
#define AT_EUID     12
#define AT_GID      13
#define AT_EGID     14
#define AT_PLATFORM 15
#define AT_HWCAP    16
#define AT_CLKTCK   17
#define AT_SECURE   23
#define AT_RANDOM   25
#define AT_HWCAP2   26
#define AT_EXECFN   31

#ifdef __cplusplus
extern "C" {
#endif
unsigned long getauxval(unsigned long type);
#ifdef __cplusplus
}
#endif
#endif
