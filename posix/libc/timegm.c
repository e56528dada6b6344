/* timegm.c - timegm, mktime's inverse of gmtime (newlib has none): @tm's fields may be
 * out of range, as mktime allows; @tm is normalised and its wday/yday set, as glibc. */
#define _GNU_SOURCE
#include <time.h>

/* Days from 1970-01-01 to year @y, month @m (1..12), day 1 (proleptic Gregorian). */
static long long days_from_epoch(long long y, int m)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;                          /* 0..399 */
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5; /* day of the March year */
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  /* 0..146096 */
	return era * 146097 + doe - 719468;
}

time_t timegm(struct tm *tm)
{
	long long year = (long long)tm->tm_year + 1900;
	long long mon = tm->tm_mon;

	year += mon / 12;
	mon %= 12;
	if (mon < 0) {
		mon += 12;
		year--;
	}
	long long t = (days_from_epoch(year, (int)mon + 1) + tm->tm_mday - 1) * 86400LL +
	              tm->tm_hour * 3600LL + tm->tm_min * 60LL + tm->tm_sec;
	time_t result = (time_t)t;
	gmtime_r(&result, tm);
	return result;
}
