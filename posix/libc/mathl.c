/* mathl.c - the long double roundings servers call that newlib 3.3's libm lacks (ceill,
 * floorl, truncl, roundl, lroundl, llroundl, rintl, lrintl, llrintl) and fabsl, on the x87 unit,
 * which holds long doubles natively: frndint under the rounding mode each needs. */
#include <math.h>

/* x87 control word rounding control (bits 10-11). */
#define RC_NEAREST 0x000
#define RC_DOWN    0x400
#define RC_UP      0x800
#define RC_ZERO    0xc00

/* @x rounded to an integer value with rounding control @rc. */
static long double round_with(long double x, unsigned short rc)
{
	unsigned short saved, cw;

	__asm__ volatile("fnstcw %0" : "=m"(saved));
	cw = (unsigned short)((saved & ~0xc00) | rc);
	__asm__ volatile("fldcw %0" : : "m"(cw));
	__asm__ volatile("frndint" : "+t"(x));
	__asm__ volatile("fldcw %0" : : "m"(saved));
	return x;
}

long double ceill(long double x)
{
	return round_with(x, RC_UP);
}

long double floorl(long double x)
{
	return round_with(x, RC_DOWN);
}

long double truncl(long double x)
{
	return round_with(x, RC_ZERO);
}

/* Halfway cases away from zero, as C's round. */
long double roundl(long double x)
{
	long double t = truncl(x);
	long double diff = x - t;

	if (diff >= 0.5L)
		return t + 1.0L;
	if (diff <= -0.5L)
		return t - 1.0L;
	return t;
}

long lroundl(long double x)
{
	return (long)roundl(x);
}

long long llroundl(long double x)
{
	return (long long)roundl(x);
}

/* In the current rounding mode (the x87's, round to nearest even unless changed). */
long double rintl(long double x)
{
	__asm__ volatile("frndint" : "+t"(x));
	return x;
}

long lrintl(long double x)
{
	return (long)rintl(x);
}

long long llrintl(long double x)
{
	return (long long)rintl(x);
}

long double fabsl(long double x)
{
	__asm__("fabs" : "+t"(x));
	return x;
}
