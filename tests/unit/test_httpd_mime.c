/* test_httpd_mime.c - host unit tests of ports/httpd's extension to media type table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ports/httpd/http_mime.h"

static void test_known_types(void **state)
{
	(void)state;
	static const char *const pairs[][2] = {
	    {"/index.html", "text/html; charset=utf-8"},
	    {"/a.htm", "text/html; charset=utf-8"},
	    {"/style.css", "text/css; charset=utf-8"},
	    {"/app.js", "text/javascript; charset=utf-8"},
	    {"/data.json", "application/json"},
	    {"/notes.txt", "text/plain; charset=utf-8"},
	    {"/logo.png", "image/png"},
	    {"/photo.jpg", "image/jpeg"},
	    {"/photo.jpeg", "image/jpeg"},
	    {"/anim.gif", "image/gif"},
	    {"/icon.svg", "image/svg+xml"},
	    {"/favicon.ico", "image/x-icon"},
	    {"/module.wasm", "application/wasm"},
	    {"/paper.pdf", "application/pdf"},
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		assert_string_equal(http_mime_type(pairs[i][0]), pairs[i][1]);
}

static void test_case_and_paths(void **state)
{
	(void)state;
	assert_string_equal(http_mime_type("/LOGO.PNG"), "image/png");
	assert_string_equal(http_mime_type("/Index.Html"), "text/html; charset=utf-8");
	assert_string_equal(http_mime_type("logo.png"), "image/png");
	assert_string_equal(http_mime_type("/www/sub.dir/index.html"), "text/html; charset=utf-8");
	assert_string_equal(http_mime_type("/archive.tar.gz"), HTTP_MIME_DEFAULT);
	assert_string_equal(http_mime_type("/archive.png.gz"), HTTP_MIME_DEFAULT);
}

static void test_default(void **state)
{
	(void)state;
	assert_string_equal(http_mime_type("/README"), "application/octet-stream");
	assert_string_equal(http_mime_type("/dir.png/README"), HTTP_MIME_DEFAULT);
	assert_string_equal(http_mime_type("/.png"), HTTP_MIME_DEFAULT); /* a hidden file */
	assert_string_equal(http_mime_type("/file."), HTTP_MIME_DEFAULT);
	assert_string_equal(http_mime_type("/file.htmlx"), HTTP_MIME_DEFAULT);
	assert_string_equal(http_mime_type(""), HTTP_MIME_DEFAULT);
	assert_string_equal(http_mime_type("/"), HTTP_MIME_DEFAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_types),
	    cmocka_unit_test(test_case_and_paths),
	    cmocka_unit_test(test_default),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
