/* http_response.c - response heads and error pages. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "http_response.h"

const char *http_status_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 301:
		return "Moved Permanently";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 413:
		return "Content Too Large";
	case 414:
		return "URI Too Long";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	default:
		return "Unknown";
	}
}

/* A bounded appender: the first overflow sticks. */
struct head_writer {
	char *buf;
	size_t cap;
	size_t len;
	bool overflow;
};

__attribute__((format(printf, 2, 3))) static void put(struct head_writer *w, const char *fmt, ...)
{
	if (w->overflow)
		return;
	va_list args;
	va_start(args, fmt);
	/* vsnprintf writes a NUL; keep one byte of room for it beyond the head. */
	int n = vsnprintf(w->buf + w->len, w->cap - w->len, fmt, args);
	va_end(args);
	if (n < 0 || (size_t)n >= w->cap - w->len) {
		w->overflow = true;
		return;
	}
	w->len += (size_t)n;
}

long http_format_head(char *buf, size_t cap, const struct http_response_head *head)
{
	struct head_writer w = {buf, cap, 0, cap == 0};
	put(&w, "HTTP/1.1 %d %s\r\nServer: " HTTP_SERVER_NAME "\r\nDate: %s\r\n", head->status,
	    http_status_reason(head->status), head->date);
	if (head->content_type != NULL)
		put(&w, "Content-Type: %s\r\n", head->content_type);
	if (head->status != 304)
		put(&w, "Content-Length: %" PRIu64 "\r\n", head->content_length);
	if (head->last_modified != NULL)
		put(&w, "Last-Modified: %s\r\n", head->last_modified);
	if (head->location != NULL)
		put(&w, "Location: %s\r\n", head->location);
	if (head->allow)
		put(&w, "Allow: GET, HEAD\r\n");
	if (head->close)
		put(&w, "Connection: close\r\n");
	else if (head->keep_alive)
		put(&w, "Connection: keep-alive\r\n");
	put(&w, "\r\n");
	return w.overflow ? -ENOSPC : (long)w.len;
}

long http_format_error_page(char *buf, size_t cap, int status)
{
	const char *reason = http_status_reason(status);
	int n = snprintf(buf, cap,
	                 "<!DOCTYPE html>\n<html><head><title>%d %s</title></head>\n"
	                 "<body><h1>%d %s</h1></body></html>\n",
	                 status, reason, status, reason);
	if (n < 0 || (size_t)n >= cap)
		return -ENOSPC;
	return n;
}
