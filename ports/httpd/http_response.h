/* http_response.h - status lines, response header fields and error pages. */
#ifndef HTTPD_HTTP_RESPONSE_H
#define HTTPD_HTTP_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Server header value. */
#define HTTP_SERVER_NAME "vmos-httpd"

/* What goes into a response head, besides Date and Server, which every head has. */
struct http_response_head {
	int status;
	const char *date;          /* IMF-fixdate (http_date_format) */
	const char *content_type;  /* NULL: no Content-Type */
	uint64_t content_length;   /* always sent, except for 304 */
	const char *last_modified; /* IMF-fixdate, or NULL */
	const char *location;      /* already percent-encoded, or NULL */
	bool allow;                /* "Allow: GET, HEAD" (with 405) */
	bool close;                /* "Connection: close": the server closes after it */
	bool keep_alive;           /* "Connection: keep-alive": for HTTP/1.0 clients */
};

/* http_status_reason - the reason phrase of @status ("Not Found"); "Unknown" for codes
 * the server never sends. */
const char *http_status_reason(int status);

/* http_format_head - the status line and header fields of @head, and the empty line that
 * ends them, into @buf (@cap bytes; no NUL). Returns the length, or -ENOSPC. */
long http_format_head(char *buf, size_t cap, const struct http_response_head *head);

/* http_format_error_page - a small HTML page naming @status, into @buf (@cap bytes; no
 * NUL). Returns its length, or -ENOSPC. Its media type is HTTP_ERROR_PAGE_TYPE. */
long http_format_error_page(char *buf, size_t cap, int status);

#define HTTP_ERROR_PAGE_TYPE "text/html; charset=utf-8"

#endif
