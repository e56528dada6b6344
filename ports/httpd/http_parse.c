/* http_parse.c - request line and header fields of HTTP/1.x requests (RFC 9112). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "http_date.h"
#include "http_parse.h"

/* Content-Length values above this are "too large" without computing them exactly. */
#define CONTENT_LENGTH_CEILING (UINT64_C(1) << 60)

void http_parser_reset(struct http_parser *parser)
{
	parser->scanned = 0;
	parser->line_end = 0;
}

/* tchar of RFC 9110 section 5.6.2. */
static bool is_token_char(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Bytes that may not appear in a field value or a target: controls except HT, and DEL. */
static bool is_forbidden_in_value(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

static enum http_parse_result fail(struct http_request *req, int status)
{
	req->error_status = status;
	return HTTP_PARSE_ERROR;
}

/* Bytes of empty lines (CRLF or LF) at the start of @buf; -EAGAIN when it ends in a CR
 * that may be the start of one more. */
static long leading_empty_lines(const char *buf, size_t len)
{
	size_t i = 0;
	for (;;) {
		if (i < len && buf[i] == '\n') {
			i++;
		} else if (i < len && buf[i] == '\r') {
			if (i + 1 == len)
				return -EAGAIN;
			if (buf[i + 1] != '\n')
				return (long)i; /* a bare CR: the request line check rejects it */
			i += 2;
		} else {
			return (long)i;
		}
	}
}

/* Look for the empty line that ends the head, from parser->scanned on; records the end
 * of the request line on the way. Returns the head's length, or 0 when it is not there. */
static size_t find_head_end(struct http_parser *parser, const char *buf, size_t len, size_t start)
{
	size_t i = parser->scanned > start ? parser->scanned : start;
	for (; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (parser->line_end == 0)
			parser->line_end = i + 1;
		if (i + 1 >= len)
			break;
		if (buf[i + 1] == '\n')
			return i + 2;
		if (buf[i + 1] == '\r') {
			if (i + 2 >= len)
				break;
			if (buf[i + 2] == '\n')
				return i + 3;
		}
	}
	parser->scanned = i;
	return 0;
}

/* While the request line is still arriving: is its target already too long? */
static bool partial_target_too_long(const char *line, size_t len, size_t max_target)
{
	if (len <= max_target)
		return false;
	const char *space = memchr(line, ' ', len);
	if (space == NULL)
		return false;
	size_t target_at = (size_t)(space - line) + 1;
	const char *second_space = memchr(line + target_at, ' ', len - target_at);
	size_t target_end = second_space ? (size_t)(second_space - line) : len;
	return target_end - target_at > max_target;
}

/* The request line (without its line end): method SP target SP HTTP-version. */
static enum http_parse_result parse_request_line(const char *line, size_t len,
                                                 const struct http_limits *limits,
                                                 struct http_request *req)
{
	size_t i = 0;
	while (i < len && is_token_char((unsigned char)line[i]))
		i++;
	if (i == 0 || i >= len || line[i] != ' ')
		return fail(req, 400);
	req->method_name = line;
	req->method_len = i;
	if (i == 3 && memcmp(line, "GET", 3) == 0)
		req->method = HTTP_METHOD_GET;
	else if (i == 4 && memcmp(line, "HEAD", 4) == 0)
		req->method = HTTP_METHOD_HEAD;
	else
		req->method = HTTP_METHOD_OTHER;

	size_t target_at = ++i;
	while (i < len && line[i] != ' ') {
		unsigned char c = (unsigned char)line[i];
		if (c <= 0x20 || c == 0x7f)
			return fail(req, 400);
		i++;
	}
	req->target = line + target_at;
	req->target_len = i - target_at;
	if (req->target_len > limits->max_target_bytes)
		return fail(req, 414);
	if (req->target_len == 0 || i >= len)
		return fail(req, 400);

	const char *version = line + i + 1;
	size_t version_len = len - i - 1;
	if (version_len != 8 || memcmp(version, "HTTP/", 5) != 0 || !is_digit(version[5]) ||
	    version[6] != '.' || !is_digit(version[7]))
		return fail(req, 400);
	if (version[5] != '1')
		return fail(req, 505);
	req->version_minor = version[7] == '0' ? 0 : 1;
	return HTTP_PARSE_DONE;
}

/* What the header fields said, before the request-wide checks. */
struct header_summary {
	int host_count;
	bool connection_close;
	bool connection_keep_alive;
	bool has_content_length;
	bool has_transfer_encoding;
};

static bool name_is(const char *name, size_t len, const char *expected)
{
	return strlen(expected) == len && strncasecmp(name, expected, len) == 0;
}

/* Connection: a comma-separated list of options (RFC 9110 section 7.6.1). */
static void parse_connection(const char *value, size_t len, struct header_summary *summary)
{
	size_t i = 0;
	while (i < len) {
		while (i < len && (value[i] == ',' || value[i] == ' ' || value[i] == '\t'))
			i++;
		size_t start = i;
		while (i < len && value[i] != ',' && value[i] != ' ' && value[i] != '\t')
			i++;
		if (name_is(value + start, i - start, "close"))
			summary->connection_close = true;
		else if (name_is(value + start, i - start, "keep-alive"))
			summary->connection_keep_alive = true;
	}
}

/* Content-Length: 1*DIGIT; a repeated header must repeat the same value. */
static int parse_content_length(const char *value, size_t len, struct http_request *req,
                                struct header_summary *summary)
{
	if (len == 0)
		return -EINVAL;
	uint64_t length = 0;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(value[i]))
			return -EINVAL;
		if (length < CONTENT_LENGTH_CEILING)
			length = length * 10 + (uint64_t)(value[i] - '0');
	}
	if (summary->has_content_length && length != req->content_length)
		return -EINVAL;
	summary->has_content_length = true;
	req->content_length = length;
	return 0;
}

/* One header line (without its line end). */
static enum http_parse_result parse_header_line(const char *line, size_t len,
                                                struct http_request *req,
                                                struct header_summary *summary)
{
	size_t i = 0;
	while (i < len && is_token_char((unsigned char)line[i]))
		i++;
	/* No name, whitespace before the colon, or a folded line: all malformed. */
	if (i == 0 || i >= len || line[i] != ':')
		return fail(req, 400);
	const char *name = line;
	size_t name_len = i++;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	size_t value_end = len;
	while (value_end > i && (line[value_end - 1] == ' ' || line[value_end - 1] == '\t'))
		value_end--;
	const char *value = line + i;
	size_t value_len = value_end - i;
	for (size_t k = 0; k < value_len; k++) {
		if (is_forbidden_in_value((unsigned char)value[k]))
			return fail(req, 400);
	}

	if (name_is(name, name_len, "Host")) {
		summary->host_count++;
	} else if (name_is(name, name_len, "Connection")) {
		parse_connection(value, value_len, summary);
	} else if (name_is(name, name_len, "Content-Length")) {
		if (parse_content_length(value, value_len, req, summary) < 0)
			return fail(req, 400);
	} else if (name_is(name, name_len, "Transfer-Encoding")) {
		summary->has_transfer_encoding = true;
	} else if (name_is(name, name_len, "If-Modified-Since")) {
		time_t when;
		/* An invalid date makes the header ignored (RFC 9110 section 13.1.3). */
		if (http_date_parse(value, value_len, &when) == 0) {
			req->has_if_modified_since = true;
			req->if_modified_since = when;
		}
	}
	return HTTP_PARSE_DONE;
}

/* Length of the line at @line (up to @end), without its CRLF or LF; -EINVAL when a CR
 * appears anywhere but just before the LF. @next gets the start of the next line. */
static long line_length(const char *line, const char *end, const char **next)
{
	const char *lf = memchr(line, '\n', (size_t)(end - line));
	if (lf == NULL)
		lf = end; /* not reached: the head ends with an empty line */
	*next = lf + 1;
	size_t len = (size_t)(lf - line);
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (memchr(line, '\r', len) != NULL)
		return -EINVAL;
	return (long)len;
}

enum http_parse_result http_parse_request(struct http_parser *parser, const char *buf, size_t len,
                                          const struct http_limits *limits,
                                          struct http_request *req)
{
	memset(req, 0, sizeof(*req));
	long lead = leading_empty_lines(buf, len);
	if (lead == -EAGAIN) {
		if (len >= limits->max_head_bytes)
			return fail(req, 431);
		return HTTP_PARSE_INCOMPLETE;
	}
	size_t head_len = find_head_end(parser, buf, len, (size_t)lead);
	size_t line_len = len - (size_t)lead;
	if (parser->line_end != 0) {
		line_len = parser->line_end - 1 - (size_t)lead; /* without the LF */
		if (line_len > 0 && buf[lead + (long)line_len - 1] == '\r')
			line_len--;
	}
	if (partial_target_too_long(buf + lead, line_len, limits->max_target_bytes))
		return fail(req, 414);
	if (head_len == 0) {
		if (len >= limits->max_head_bytes)
			return fail(req, 431);
		return HTTP_PARSE_INCOMPLETE;
	}
	if (head_len > limits->max_head_bytes)
		return fail(req, 431);
	req->head_len = head_len;

	const char *end = buf + head_len;
	const char *next;
	long request_line_len = line_length(buf + lead, end, &next);
	if (request_line_len < 0)
		return fail(req, 400);
	enum http_parse_result result =
	    parse_request_line(buf + lead, (size_t)request_line_len, limits, req);
	if (result != HTTP_PARSE_DONE)
		return result;

	struct header_summary summary = {0};
	for (;;) {
		const char *line = next;
		long header_len = line_length(line, end, &next);
		if (header_len < 0)
			return fail(req, 400);
		if (header_len == 0)
			break; /* the empty line that ends the head */
		result = parse_header_line(line, (size_t)header_len, req, &summary);
		if (result != HTTP_PARSE_DONE)
			return result;
	}

	if (summary.has_transfer_encoding)
		return fail(req, req->version_minor == 0 ? 400 : 501);
	if (req->version_minor == 1 && summary.host_count != 1)
		return fail(req, 400);
	if (summary.host_count > 1)
		return fail(req, 400);
	if (req->content_length > limits->max_body_bytes)
		return fail(req, 413);
	if (req->version_minor == 1)
		req->keep_alive = !summary.connection_close;
	else
		req->keep_alive = summary.connection_keep_alive && !summary.connection_close;
	return HTTP_PARSE_DONE;
}
