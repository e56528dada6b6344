/* respond.h - the answer to one request: its status, its body (a file under the document
 * root, an error page, or nothing) and the header values that go with them. Decides
 * only; conn.c formats and sends. */
#ifndef HTTPD_RESPOND_H
#define HTTPD_RESPOND_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "http_parse.h"
#include "httpd.h"

/* Longest Location value (an encoded path); longer redirects become 404. */
#define RESPOND_LOCATION_MAX 2048

struct response_plan {
	int status;
	int file_fd;              /* the body when >= 0 (the plan owns it until sent) */
	uint64_t length;          /* Content-Length: the file's or the error page's size */
	bool send_body;           /* false for HEAD and 304: the head only */
	bool error_page;          /* the body is http_format_error_page(status) */
	const char *content_type; /* NULL: none */
	bool has_last_modified;
	time_t last_modified;
	char location[RESPOND_LOCATION_MAX]; /* "" unless a redirect */
	bool allow;                          /* 405: "Allow: GET, HEAD" */
	bool close;                          /* close the connection after the response */
	bool keep_alive_header;              /* an HTTP/1.0 client that keeps the connection */
};

/* respond_plan_request - the answer to @req, a complete and well-formed request (GET,
 * HEAD or another method), under @config's document root. May open a file: the plan's
 * file_fd is then >= 0 and the caller closes it. Never fails: failures become statuses
 * (400, 403, 404, 405, 414, 500, 503) with an error page. */
void respond_plan_request(const struct httpd_config *config, const struct http_request *req,
                          struct response_plan *plan);

/* respond_plan_error - the answer to a request the parser refused with @status; the
 * connection closes after it. @head_only when the request was known to be a HEAD. */
void respond_plan_error(int status, bool head_only, struct response_plan *plan);

#endif
