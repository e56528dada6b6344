/* test_httpd_response.c - host unit tests of ports/httpd's response heads and error
 * pages. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ports/httpd/http_response.h"

#define DATE "Sun, 06 Nov 1994 08:49:37 GMT"

static void test_ok_head(void **state)
{
	(void)state;
	char buf[512];
	struct http_response_head head = {
	    .status = 200,
	    .date = DATE,
	    .content_type = "text/plain; charset=utf-8",
	    .content_length = 12345678901ull,
	    .last_modified = DATE,
	};
	long len = http_format_head(buf, sizeof(buf), &head);
	const char *want = "HTTP/1.1 200 OK\r\n"
	                   "Server: " HTTP_SERVER_NAME "\r\n"
	                   "Date: " DATE "\r\n"
	                   "Content-Type: text/plain; charset=utf-8\r\n"
	                   "Content-Length: 12345678901\r\n"
	                   "Last-Modified: " DATE "\r\n"
	                   "\r\n";
	assert_int_equal(len, strlen(want));
	assert_memory_equal(buf, want, (size_t)len);
}

static void test_other_fields(void **state)
{
	(void)state;
	char buf[512];
	struct http_response_head head = {
	    .status = 405, .date = DATE, .allow = true, .close = true};
	long len = http_format_head(buf, sizeof(buf), &head);
	assert_true(len > 0);
	buf[len] = '\0';
	assert_non_null(strstr(buf, "HTTP/1.1 405 Method Not Allowed\r\n"));
	assert_non_null(strstr(buf, "\r\nAllow: GET, HEAD\r\n"));
	assert_non_null(strstr(buf, "\r\nConnection: close\r\n"));
	assert_non_null(strstr(buf, "\r\nContent-Length: 0\r\n"));

	head = (struct http_response_head){
	    .status = 301, .date = DATE, .location = "/sub/", .keep_alive = true};
	len = http_format_head(buf, sizeof(buf), &head);
	buf[len] = '\0';
	assert_non_null(strstr(buf, "\r\nLocation: /sub/\r\n"));
	assert_non_null(strstr(buf, "\r\nConnection: keep-alive\r\n"));

	/* 304 has no Content-Length. */
	head = (struct http_response_head){.status = 304, .date = DATE, .last_modified = DATE};
	len = http_format_head(buf, sizeof(buf), &head);
	buf[len] = '\0';
	assert_null(strstr(buf, "Content-Length"));
	assert_non_null(strstr(buf, "HTTP/1.1 304 Not Modified\r\n"));
}

static void test_overflow(void **state)
{
	(void)state;
	char buf[512];
	struct http_response_head head = {.status = 200, .date = DATE};
	long len = http_format_head(buf, sizeof(buf), &head);
	assert_true(len > 0);
	/* One byte beyond the head is needed for snprintf's NUL. */
	assert_int_equal(http_format_head(buf, (size_t)len, &head), -ENOSPC);
	assert_int_equal(http_format_head(buf, (size_t)len + 1, &head), len);
	assert_int_equal(http_format_head(buf, 0, &head), -ENOSPC);
}

static void test_reasons_and_pages(void **state)
{
	(void)state;
	static const struct {
		int status;
		const char *reason;
	} reasons[] = {
	    {200, "OK"},
	    {304, "Not Modified"},
	    {400, "Bad Request"},
	    {404, "Not Found"},
	    {413, "Content Too Large"},
	    {414, "URI Too Long"},
	    {431, "Request Header Fields Too Large"},
	    {505, "HTTP Version Not Supported"},
	    {299, "Unknown"},
	};
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		assert_string_equal(http_status_reason(reasons[i].status), reasons[i].reason);
	char page[256];
	long len = http_format_error_page(page, sizeof(page), 404);
	assert_true(len > 0);
	page[len] = '\0';
	assert_non_null(strstr(page, "<h1>404 Not Found</h1>"));
	assert_int_equal(http_format_error_page(page, 10, 404), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ok_head),
	    cmocka_unit_test(test_other_fields),
	    cmocka_unit_test(test_overflow),
	    cmocka_unit_test(test_reasons_and_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
