/* http_date.c - IMF-fixdate formatting and HTTP date parsing, without locale or TZ. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http_date.h"

static const char day_names[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char month_names[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const long_day_names[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                              "Thursday", "Friday", "Saturday"};

static void put_digits(char *out, unsigned value, int digits)
{
	for (int i = digits - 1; i >= 0; i--) {
		out[i] = (char)('0' + value % 10);
		value /= 10;
	}
}

int http_date_format(time_t t, char *out)
{
	struct tm tm;
	/* 253402300799 is 9999-12-31 23:59:59: four-digit years only. */
	if (t < 0 || (long long)t > 253402300799LL || gmtime_r(&t, &tm) == NULL)
		return -EOVERFLOW;
	memcpy(out, day_names[tm.tm_wday], 3);
	out[3] = ',';
	out[4] = ' ';
	put_digits(out + 5, (unsigned)tm.tm_mday, 2);
	out[7] = ' ';
	memcpy(out + 8, month_names[tm.tm_mon], 3);
	out[11] = ' ';
	put_digits(out + 12, (unsigned)tm.tm_year + 1900, 4);
	out[16] = ' ';
	put_digits(out + 17, (unsigned)tm.tm_hour, 2);
	out[19] = ':';
	put_digits(out + 20, (unsigned)tm.tm_min, 2);
	out[22] = ':';
	put_digits(out + 23, (unsigned)tm.tm_sec, 2);
	memcpy(out + 25, " GMT", 5);
	return 0;
}

long long http_days_from_civil(long long year, unsigned month, unsigned day)
{
	/* Howard Hinnant's days_from_civil: years start in March, eras are 400 years. */
	year -= month <= 2;
	long long era = (year >= 0 ? year : year - 399) / 400;
	unsigned year_of_era = (unsigned)(year - era * 400);
	unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
	unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
	return era * 146097 + (long long)day_of_era - 719468;
}

/* A cursor over the date text. */
struct scan {
	const char *p;
	const char *end;
};

static bool scan_literal(struct scan *s, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n) != 0)
		return false;
	s->p += n;
	return true;
}

/* Exactly @digits decimal digits. */
static bool scan_number(struct scan *s, int digits, unsigned *out)
{
	unsigned value = 0;
	if (s->end - s->p < digits)
		return false;
	for (int i = 0; i < digits; i++) {
		char c = s->p[i];
		if (c < '0' || c > '9')
			return false;
		value = value * 10 + (unsigned)(c - '0');
	}
	s->p += digits;
	*out = value;
	return true;
}

/* A full day name ("Sunday"), case-sensitive as the grammar says. */
static bool scan_long_day(struct scan *s)
{
	for (int i = 0; i < 7; i++) {
		if (scan_literal(s, long_day_names[i]))
			return true;
	}
	return false;
}

static bool scan_month(struct scan *s, int *month)
{
	for (int i = 0; i < 12; i++) {
		if (scan_literal(s, month_names[i])) {
			*month = i + 1;
			return true;
		}
	}
	return false;
}

static bool scan_short_day(struct scan *s)
{
	for (int i = 0; i < 7; i++) {
		if (scan_literal(s, day_names[i]))
			return true;
	}
	return false;
}

/* "HH:MM:SS" */
static bool scan_time_of_day(struct scan *s, unsigned *hour, unsigned *min, unsigned *sec)
{
	return scan_number(s, 2, hour) && scan_literal(s, ":") && scan_number(s, 2, min) &&
	       scan_literal(s, ":") && scan_number(s, 2, sec);
}

static const unsigned char days_in_month[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

static bool is_leap(unsigned year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int to_epoch(unsigned year, int month, unsigned day, unsigned hour, unsigned min,
                    unsigned sec, time_t *out)
{
	if (year < 1970 || day < 1 || day > days_in_month[month - 1] ||
	    (month == 2 && day == 29 && !is_leap(year)) || hour > 23 || min > 59 || sec > 60)
		return -EINVAL;
	long long days = http_days_from_civil(year, (unsigned)month, day);
	*out = (time_t)(days * 86400 + hour * 3600 + min * 60 + sec);
	return 0;
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" (after the day name) */
static bool parse_imf_fixdate(struct scan *s, unsigned *year, int *month, unsigned *day,
                              unsigned *hour, unsigned *min, unsigned *sec)
{
	return scan_literal(s, ", ") && scan_number(s, 2, day) && scan_literal(s, " ") &&
	       scan_month(s, month) && scan_literal(s, " ") && scan_number(s, 4, year) &&
	       scan_literal(s, " ") && scan_time_of_day(s, hour, min, sec) &&
	       scan_literal(s, " GMT");
}

/* " Nov  6 08:49:37 1994" (after the day name) */
static bool parse_asctime(struct scan *s, unsigned *year, int *month, unsigned *day, unsigned *hour,
                          unsigned *min, unsigned *sec)
{
	if (!scan_literal(s, " ") || !scan_month(s, month) || !scan_literal(s, " "))
		return false;
	if (!scan_literal(s, " ") ? !scan_number(s, 2, day) : !scan_number(s, 1, day))
		return false;
	return scan_literal(s, " ") && scan_time_of_day(s, hour, min, sec) &&
	       scan_literal(s, " ") && scan_number(s, 4, year);
}

/* "Sunday, 06-Nov-94 08:49:37 GMT" (from the day name). Two-digit years below 70 are
 * taken as 20xx (RFC 9110 asks for "more than 50 years in the future" to mean the past). */
static bool parse_rfc850(struct scan *s, unsigned *year, int *month, unsigned *day, unsigned *hour,
                         unsigned *min, unsigned *sec)
{
	if (!(scan_long_day(s) && scan_literal(s, ", ") && scan_number(s, 2, day) &&
	      scan_literal(s, "-") && scan_month(s, month) && scan_literal(s, "-") &&
	      scan_number(s, 2, year) && scan_literal(s, " ") &&
	      scan_time_of_day(s, hour, min, sec) && scan_literal(s, " GMT")))
		return false;
	*year += *year < 70 ? 2000 : 1900;
	return true;
}

int http_date_parse(const char *text, size_t len, time_t *out)
{
	struct scan s = {text, text + len};
	while (s.p < s.end && (*s.p == ' ' || *s.p == '\t'))
		s.p++;
	while (s.end > s.p && (s.end[-1] == ' ' || s.end[-1] == '\t'))
		s.end--;
	unsigned year = 0, day = 0, hour = 0, min = 0, sec = 0;
	int month = 0;
	struct scan start = s;
	bool ok = false;
	if (scan_short_day(&s)) {
		struct scan after_day = s;
		ok = parse_imf_fixdate(&s, &year, &month, &day, &hour, &min, &sec);
		if (!ok) {
			s = after_day;
			ok = parse_asctime(&s, &year, &month, &day, &hour, &min, &sec);
		}
	}
	if (!ok) {
		s = start;
		ok = parse_rfc850(&s, &year, &month, &day, &hour, &min, &sec);
	}
	if (!ok || s.p != s.end)
		return -EINVAL;
	return to_epoch(year, month, day, hour, min, sec, out);
}
