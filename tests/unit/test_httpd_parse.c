/* test_httpd_parse.c - host unit tests of ports/httpd's request parser: whole heads,
 * heads split at every byte, pipelined requests, every error status and the limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ports/httpd/http_parse.h"

static const struct http_limits limits = {
    .max_head_bytes = 256,
    .max_target_bytes = 64,
    .max_body_bytes = 1000,
};

/* Parse @text (all of it, one call) with a fresh parser. */
static enum http_parse_result parse_all(const char *text, struct http_request *req)
{
	struct http_parser parser;
	http_parser_reset(&parser);
	return http_parse_request(&parser, text, strlen(text), &limits, req);
}

static int error_status_of(const char *text)
{
	struct http_request req;
	if (parse_all(text, &req) != HTTP_PARSE_ERROR)
		return 0;
	return req.error_status;
}

static void assert_text(const char *got, size_t got_len, const char *want)
{
	assert_int_equal(got_len, strlen(want));
	assert_memory_equal(got, want, got_len);
}

static void test_simple_get(void **state)
{
	(void)state;
	const char *text = "GET /index.html?q=1 HTTP/1.1\r\nHost: example\r\nAccept: */*\r\n\r\n";
	struct http_request req;
	assert_int_equal(parse_all(text, &req), HTTP_PARSE_DONE);
	assert_int_equal(req.method, HTTP_METHOD_GET);
	assert_text(req.method_name, req.method_len, "GET");
	assert_text(req.target, req.target_len, "/index.html?q=1");
	assert_int_equal(req.version_minor, 1);
	assert_true(req.keep_alive);
	assert_int_equal(req.content_length, 0);
	assert_false(req.has_if_modified_since);
	assert_int_equal(req.head_len, strlen(text));
}

static void test_methods(void **state)
{
	(void)state;
	struct http_request req;
	assert_int_equal(parse_all("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n", &req), HTTP_PARSE_DONE);
	assert_int_equal(req.method, HTTP_METHOD_HEAD);
	assert_int_equal(parse_all("DELETE /x HTTP/1.1\r\nHost: h\r\n\r\n", &req), HTTP_PARSE_DONE);
	assert_int_equal(req.method, HTTP_METHOD_OTHER);
	assert_text(req.method_name, req.method_len, "DELETE");
	/* Methods are case-sensitive: "get" is some other method. */
	assert_int_equal(parse_all("get / HTTP/1.1\r\nHost: h\r\n\r\n", &req), HTTP_PARSE_DONE);
	assert_int_equal(req.method, HTTP_METHOD_OTHER);
}

/* Every prefix of a head is INCOMPLETE, with the same parser carried along (the scan
 * position must survive), and the whole head gives the same request as one call. */
static void test_byte_at_a_time(void **state)
{
	(void)state;
	const char *text = "GET /a/b HTTP/1.0\r\nConnection: keep-alive\r\nX-Long: "
	                   "abcdefghijklmnopqrstuvwxyz\r\nContent-Length: 3\r\n\r\nabc";
	size_t head = strlen(text) - 3;
	struct http_parser parser;
	struct http_request req;
	http_parser_reset(&parser);
	for (size_t len = 0; len < head; len++)
		assert_int_equal(http_parse_request(&parser, text, len, &limits, &req),
		                 HTTP_PARSE_INCOMPLETE);
	assert_int_equal(http_parse_request(&parser, text, head, &limits, &req), HTTP_PARSE_DONE);
	assert_int_equal(req.head_len, head);
	assert_int_equal(req.version_minor, 0);
	assert_true(req.keep_alive);
	assert_int_equal(req.content_length, 3);
	assert_text(req.target, req.target_len, "/a/b");
}

/* A head split in two reads at every possible point. */
static void test_every_split(void **state)
{
	(void)state;
	const char *text = "\r\nGET /split HTTP/1.1\r\nHost: h\r\n\r\n";
	size_t len = strlen(text);
	for (size_t cut = 0; cut <= len; cut++) {
		struct http_parser parser;
		struct http_request req;
		http_parser_reset(&parser);
		enum http_parse_result first =
		    http_parse_request(&parser, text, cut, &limits, &req);
		assert_int_equal(first, cut == len ? HTTP_PARSE_DONE : HTTP_PARSE_INCOMPLETE);
		assert_int_equal(http_parse_request(&parser, text, len, &limits, &req),
		                 HTTP_PARSE_DONE);
		assert_text(req.target, req.target_len, "/split");
		assert_int_equal(req.head_len, len);
	}
}

static void test_pipelined(void **state)
{
	(void)state;
	const char *text = "GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
	                   "HEAD /two HTTP/1.1\r\nHost: h\r\n\r\n"
	                   "GET /three HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
	                   "GET /four";
	const char *targets[] = {"/one", "/two", "/three"};
	const char *at = text;
	size_t left = strlen(text);
	struct http_parser parser;
	struct http_request req;
	for (int i = 0; i < 3; i++) {
		http_parser_reset(&parser);
		assert_int_equal(http_parse_request(&parser, at, left, &limits, &req),
		                 HTTP_PARSE_DONE);
		assert_text(req.target, req.target_len, targets[i]);
		assert_int_equal(req.keep_alive, i < 2);
		at += req.head_len;
		left -= req.head_len;
	}
	http_parser_reset(&parser);
	assert_int_equal(http_parse_request(&parser, at, left, &limits, &req),
	                 HTTP_PARSE_INCOMPLETE);
}

static void test_line_endings(void **state)
{
	(void)state;
	struct http_request req;
	/* Bare LF line ends, and empty lines before the request line, are accepted. */
	assert_int_equal(parse_all("GET / HTTP/1.1\nHost: h\n\n", &req), HTTP_PARSE_DONE);
	assert_int_equal(req.head_len, 24);
	assert_int_equal(parse_all("\r\n\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", &req),
	                 HTTP_PARSE_DONE);
	assert_int_equal(req.head_len, 30);
	/* HTTP/1.0 needs no header at all. */
	assert_int_equal(parse_all("GET / HTTP/1.0\r\n\r\n", &req), HTTP_PARSE_DONE);
	assert_false(req.keep_alive);
	/* A lone CR is not a line end. */
	assert_int_equal(error_status_of("GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n"), 400);
	assert_int_equal(error_status_of("GET /\r HTTP/1.1\r\nHost: h\r\n\r\n"), 400);
}

static void test_keep_alive_rules(void **state)
{
	(void)state;
	struct http_request req;
	assert_int_equal(parse_all("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", &req),
	                 HTTP_PARSE_DONE);
	assert_false(req.keep_alive);
	assert_int_equal(
	    parse_all("GET / HTTP/1.1\r\nHost: h\r\nconnection: Upgrade, CLOSE\r\n\r\n", &req),
	    HTTP_PARSE_DONE);
	assert_false(req.keep_alive);
	assert_int_equal(parse_all("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &req),
	                 HTTP_PARSE_DONE);
	assert_true(req.keep_alive);
	assert_int_equal(parse_all("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", &req),
	                 HTTP_PARSE_DONE);
	assert_false(req.keep_alive);
	/* HTTP/1.x above 1.1 is read as 1.1. */
	assert_int_equal(parse_all("GET / HTTP/1.7\r\nHost: h\r\n\r\n", &req), HTTP_PARSE_DONE);
	assert_int_equal(req.version_minor, 1);
	assert_true(req.keep_alive);
}

static void test_content_length(void **state)
{
	(void)state;
	struct http_request req;
	assert_int_equal(
	    parse_all("POST / HTTP/1.1\r\nHost: h\r\nContent-Length:  1000 \r\n\r\n", &req),
	    HTTP_PARSE_DONE);
	assert_int_equal(req.content_length, 1000);
	assert_int_equal(
	    parse_all(
	        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\nContent-Length: 7\r\n\r\n",
	        &req),
	    HTTP_PARSE_DONE);
	assert_int_equal(req.content_length, 7);
	assert_int_equal(
	    error_status_of(
	        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\nContent-Length: 8\r\n\r\n"),
	    400);
	assert_int_equal(
	    error_status_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n"), 400);
	assert_int_equal(
	    error_status_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1 2\r\n\r\n"), 400);
	assert_int_equal(error_status_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n"),
	                 400);
	assert_int_equal(
	    error_status_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1001\r\n\r\n"), 413);
	assert_int_equal(
	    error_status_of(
	        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
	    413);
}

static void test_bad_request_lines(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "GET\r\n\r\n",
	    "GET /\r\nHost: h\r\n\r\n",
	    " GET / HTTP/1.1\r\nHost: h\r\n\r\n",
	    "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",
	    "GET / HTTP/1.1 \r\nHost: h\r\n\r\n",
	    "GET / http/1.1\r\nHost: h\r\n\r\n",
	    "GET / HTTP/1\r\nHost: h\r\n\r\n",
	    "GET / HTTP/1.10\r\nHost: h\r\n\r\n",
	    "GET / HTTP/x.1\r\nHost: h\r\n\r\n",
	    "G(T / HTTP/1.1\r\nHost: h\r\n\r\n",
	    "GET /a\x01 HTTP/1.1\r\nHost: h\r\n\r\n",
	    "GET /a\x7f HTTP/1.1\r\nHost: h\r\n\r\n",
	    "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int status = error_status_of(bad[i]);
		if (status != 400)
			fail_msg("request line case %zu: status %d, expected 400", i, status);
	}
}

static void test_bad_headers(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "GET / HTTP/1.1\r\nHost: h\r\nNo colon\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost : h\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: h\r\n: empty name\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n folded\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\tfolded\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: h\r\nX(A): 1\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\x01z\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\x7fz\r\n\r\n",
	    "GET / HTTP/1.1\r\n\r\n",
	    "GET / HTTP/1.1\r\nhost: a\r\nHost: b\r\n\r\n",
	    "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
	    "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int status = error_status_of(bad[i]);
		if (status != 400)
			fail_msg("header case %zu: status %d, expected 400", i, status);
	}
	/* Tabs and spaces around values are fine; so is an empty Host. */
	struct http_request req;
	assert_int_equal(parse_all("GET / HTTP/1.1\r\nHost:\r\nX-A:\t v \t\r\n\r\n", &req),
	                 HTTP_PARSE_DONE);
}

static void test_version_and_coding_errors(void **state)
{
	(void)state;
	assert_int_equal(error_status_of("GET / HTTP/2.0\r\nHost: h\r\n\r\n"), 505);
	assert_int_equal(error_status_of("GET / HTTP/0.9\r\nHost: h\r\n\r\n"), 505);
	assert_int_equal(
	    error_status_of("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"),
	    501);
}

static void test_target_limit(void **state)
{
	(void)state;
	char text[400];
	char target[100];
	/* Exactly the limit is fine; one more byte is 414. */
	memset(target, 'a', sizeof(target));
	target[0] = '/';
	snprintf(text, sizeof(text), "GET %.*s HTTP/1.1\r\nHost: h\r\n\r\n", 64, target);
	struct http_request req;
	assert_int_equal(parse_all(text, &req), HTTP_PARSE_DONE);
	assert_int_equal(req.target_len, 64);
	snprintf(text, sizeof(text), "GET %.*s HTTP/1.1\r\nHost: h\r\n\r\n", 65, target);
	assert_int_equal(error_status_of(text), 414);
	/* Known before the request line ends. */
	snprintf(text, sizeof(text), "GET %.*s", 65, target);
	assert_int_equal(error_status_of(text), 414);
	snprintf(text, sizeof(text), "GET %.*s", 64, target);
	assert_int_equal(parse_all(text, &req), HTTP_PARSE_INCOMPLETE);
}

static void test_head_limit(void **state)
{
	(void)state;
	char text[600];
	struct http_request req;
	/* A head of exactly 256 bytes passes. */
	const char *start = "GET / HTTP/1.1\r\nHost: h\r\nX-Fill: ";
	size_t fill = 256 - strlen(start) - 4;
	snprintf(text, sizeof(text), "%s%0*d\r\n\r\n", start, (int)fill, 0);
	assert_int_equal(strlen(text), 256);
	assert_int_equal(parse_all(text, &req), HTTP_PARSE_DONE);
	/* One byte more is 431, whether or not its end has arrived. */
	snprintf(text, sizeof(text), "%s%0*d\r\n\r\n", start, (int)fill + 1, 0);
	assert_int_equal(error_status_of(text), 431);
	text[256] = '\0';
	assert_int_equal(error_status_of(text), 431);
	text[255] = '\0';
	assert_int_equal(parse_all(text, &req), HTTP_PARSE_INCOMPLETE);
	/* Empty lines before the request line count too. */
	memset(text, '\n', 300);
	text[300] = '\0';
	assert_int_equal(error_status_of(text), 431);
}

static void test_if_modified_since(void **state)
{
	(void)state;
	struct http_request req;
	assert_int_equal(parse_all("GET / HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: Sun, 06 Nov "
	                           "1994 08:49:37 GMT\r\n\r\n",
	                           &req),
	                 HTTP_PARSE_DONE);
	assert_true(req.has_if_modified_since);
	assert_int_equal(req.if_modified_since, 784111777);
	assert_int_equal(
	    parse_all("GET / HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: last tuesday\r\n\r\n", &req),
	    HTTP_PARSE_DONE);
	assert_false(req.has_if_modified_since);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_simple_get),
	    cmocka_unit_test(test_methods),
	    cmocka_unit_test(test_byte_at_a_time),
	    cmocka_unit_test(test_every_split),
	    cmocka_unit_test(test_pipelined),
	    cmocka_unit_test(test_line_endings),
	    cmocka_unit_test(test_keep_alive_rules),
	    cmocka_unit_test(test_content_length),
	    cmocka_unit_test(test_bad_request_lines),
	    cmocka_unit_test(test_bad_headers),
	    cmocka_unit_test(test_version_and_coding_errors),
	    cmocka_unit_test(test_target_limit),
	    cmocka_unit_test(test_head_limit),
	    cmocka_unit_test(test_if_modified_since),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
