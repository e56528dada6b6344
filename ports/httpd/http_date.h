/* http_date.h - HTTP dates (RFC 9110 section 5.6.7): formatting in IMF-fixdate and
 * parsing of the three formats a recipient must accept. Pure functions of their
 * arguments; no locale, no time zone. */
#ifndef HTTPD_HTTP_DATE_H
#define HTTPD_HTTP_DATE_H

#include <stddef.h>
#include <time.h>

/* Length of an IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT", without the NUL. */
#define HTTP_DATE_LEN 29

/* http_date_format - write @t (seconds since the epoch, UTC) as an IMF-fixdate and a
 * NUL into @out, which holds at least HTTP_DATE_LEN + 1 bytes. Returns 0, or -EOVERFLOW
 * for a time before 1970 or after 9999 (nothing useful is written then). */
int http_date_format(time_t t, char *out);

/* http_date_parse - parse @len bytes at @text (no NUL needed) as an HTTP date: an
 * IMF-fixdate, the obsolete RFC 850 form ("Sunday, 06-Nov-94 08:49:37 GMT") or C's
 * asctime() form ("Sun Nov  6 08:49:37 1994"); leading and trailing blanks are allowed.
 * Stores the time in *@out and returns 0, or returns -EINVAL when it is none of them
 * (a caller then ignores the header, as RFC 9110 says). */
int http_date_parse(const char *text, size_t len, time_t *out);

/* http_days_from_civil - days from 1970-01-01 to the given proleptic Gregorian date
 * (month 1-12, day 1-31); negative before 1970. */
long long http_days_from_civil(long long year, unsigned month, unsigned day);

#endif
