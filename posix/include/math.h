/* math.h - newlib's, with declarations for the long double roundings VMOS adds
 * (posix/libc/mathl.c), some of which newlib's header leaves out. */
#include_next <math.h>

#ifndef VMOS_MATH_H
#define VMOS_MATH_H
#ifdef __cplusplus
extern "C" {
#endif
long double ceill(long double x);
long double floorl(long double x);
long double truncl(long double x);
long double roundl(long double x);
long lroundl(long double x);
long long llroundl(long double x);
long double rintl(long double x);
long lrintl(long double x);
long long llrintl(long double x);
long double fabsl(long double x);
#ifdef __cplusplus
}
#endif
#endif
