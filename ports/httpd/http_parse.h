/* http_parse.h - the HTTP/1.x request-head parser (RFC 9112).
 *
 * The connection accumulates bytes in one buffer and calls http_parse_request() after each
 * read, with the whole buffer; the parser remembers how far it has looked for the end of
 * the head, so a head trickled in one byte at a time costs linear work, and it reports
 * oversized heads as soon as the limits are passed, not only when the head ends. Several
 * pipelined requests in one buffer are parsed one at a time: the caller removes each head
 * (and body) before parsing the next.
 *
 * The parsed request points into the caller's buffer (method, target): it is valid until
 * the caller moves or changes those bytes. Only the headers the server acts on are kept:
 * Host, Connection, Content-Length, Transfer-Encoding and If-Modified-Since. */
#ifndef HTTPD_HTTP_PARSE_H
#define HTTPD_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum http_method {
	HTTP_METHOD_GET,
	HTTP_METHOD_HEAD,
	HTTP_METHOD_OTHER, /* a well-formed method the server does not implement */
};

/* What the parser accepts. */
struct http_limits {
	size_t max_head_bytes;   /* request line + headers + the blank line; more gives 431 */
	size_t max_target_bytes; /* the request target; longer gives 414 */
	uint64_t max_body_bytes; /* a declared Content-Length above this gives 413 */
};

/* Parser state between calls on the same buffer. */
struct http_parser {
	size_t scanned;  /* bytes known to hold no end of head */
	size_t line_end; /* end of the request line (after its LF); 0 while unknown */
};

struct http_request {
	enum http_method method;
	const char *method_name; /* into the buffer, method_len bytes */
	size_t method_len;
	const char *target; /* into the buffer, target_len bytes, not decoded */
	size_t target_len;
	int version_minor;       /* 0 or 1 (HTTP/1.x with x > 1 counts as 1) */
	bool keep_alive;         /* the client allows another request on this connection */
	uint64_t content_length; /* of the body that follows the head; 0 when none */
	bool has_if_modified_since;
	time_t if_modified_since;
	size_t head_len;  /* bytes of the buffer the head used, leading blank lines included */
	int error_status; /* with HTTP_PARSE_ERROR: 400, 413, 414, 431, 501 or 505 */
};

enum http_parse_result {
	HTTP_PARSE_INCOMPLETE, /* no full head yet and no limit passed: read more */
	HTTP_PARSE_DONE,       /* *req holds a request whose head is req->head_len bytes */
	HTTP_PARSE_ERROR,      /* req->error_status says why; the connection should close */
};

/* http_parser_reset - start looking at a new request (after removing the last one). */
void http_parser_reset(struct http_parser *parser);

/* http_parse_request - parse the request head at the start of @buf (@len bytes so far;
 * the same buffer, possibly longer, on each call until the result is not INCOMPLETE).
 * Fills *@req on DONE, and req->error_status on ERROR:
 *   400  malformed request line, header line or Content-Length, obsolete line folding,
 *        a bare CR, HTTP/1.1 without exactly one Host header, several Content-Lengths
 *   413  Content-Length above limits->max_body_bytes
 *   414  a target longer than limits->max_target_bytes
 *   431  a head longer than limits->max_head_bytes
 *   501  a Transfer-Encoding (request bodies are only skipped, never decoded)
 *   505  an HTTP major version other than 1
 * Leading empty lines before the request line are skipped (RFC 9112 section 2.2); lines
 * may end with CRLF or a bare LF. */
enum http_parse_result http_parse_request(struct http_parser *parser, const char *buf, size_t len,
                                          const struct http_limits *limits,
                                          struct http_request *req);

#endif
