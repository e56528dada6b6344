/* test_httpd_path.c - host unit tests of ports/httpd's path sanitiser: percent-decoding,
 * dot segments, traversal out of the root, absolute-form targets, and the encoder used
 * for Location headers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ports/httpd/http_path.h"

struct path_case {
	const char *target;
	int rc;
	const char *path; /* when rc == 0 */
};

static const struct path_case cases[] = {
    {"/", 0, "/"},
    {"/index.html", 0, "/index.html"},
    {"/a/b/c.txt", 0, "/a/b/c.txt"},
    {"/dir/", 0, "/dir/"},
    {"//a///b//", 0, "/a/b/"},
    {"/a/./b", 0, "/a/b"},
    {"/a/.", 0, "/a/"},
    {"/a/b/..", 0, "/a/"},
    {"/a/b/../c", 0, "/a/c"},
    {"/a/../../", -EACCES, NULL},
    {"/..", -EACCES, NULL},
    {"/../etc/passwd", -EACCES, NULL},
    {"/%2e%2e/etc/passwd", -EACCES, NULL},
    {"/%2E%2e%2fetc", -EACCES, NULL},
    {"/..%2f..%2fetc", -EACCES, NULL},
    {"/a/%2e%2e/%2e%2e/b", -EACCES, NULL},
    {"/./../x", -EACCES, NULL},
    {"/...", 0, "/..."},
    {"/..a", 0, "/..a"},
    {"/a%20b.txt", 0, "/a b.txt"},
    {"/%41%62c", 0, "/Abc"},
    {"/a+b", 0, "/a+b"},
    {"/a?x=../../..", 0, "/a"},
    {"/a/?", 0, "/a/"},
    {"/a#frag", 0, "/a"},
    {"/%zz", -EINVAL, NULL},
    {"/%4", -EINVAL, NULL},
    {"/%", -EINVAL, NULL},
    {"/a%00b", -EINVAL, NULL},
    {"a/b", -EINVAL, NULL},
    {"*", -EINVAL, NULL},
    {"", -EINVAL, NULL},
    {"http://example.com/x/y", 0, "/x/y"},
    {"HTTP://example.com:8080/x?q", 0, "/x"},
    {"http://example.com", 0, "/"},
    {"http://example.com?q=1", 0, "/"},
    {"http://example.com/../x", -EACCES, NULL},
    {"example.com:80", -EINVAL, NULL},
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[128];
		const struct path_case *c = &cases[i];
		int rc = http_path_from_target(c->target, strlen(c->target), out, sizeof(out));
		if (rc != c->rc)
			fail_msg("'%s': rc %d, expected %d", c->target, rc, c->rc);
		if (rc == 0 && strcmp(out, c->path) != 0)
			fail_msg("'%s': '%s', expected '%s'", c->target, out, c->path);
	}
}

/* The target is not NUL-terminated: only @len bytes count. */
static void test_length_bounds(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(http_path_from_target("/abc/../../x", 4, out, sizeof(out)), 0);
	assert_string_equal(out, "/abc");
	/* Too small an output buffer. */
	assert_int_equal(http_path_from_target("/abcdef", 7, out, 7), -ENAMETOOLONG);
	assert_int_equal(http_path_from_target("/abcdef", 7, out, 8), 0);
	assert_string_equal(out, "/abcdef");
}

static void test_percent_decode(void **state)
{
	(void)state;
	char out[16];
	assert_int_equal(http_percent_decode("a%2Fb%2fc", 9, out, sizeof(out)), 5);
	assert_string_equal(out, "a/b/c");
	assert_int_equal(http_percent_decode("%ff", 3, out, sizeof(out)), 1);
	assert_int_equal((unsigned char)out[0], 0xff);
	assert_int_equal(http_percent_decode("%g0", 3, out, sizeof(out)), -EINVAL);
	assert_int_equal(http_percent_decode("%00", 3, out, sizeof(out)), -EINVAL);
	assert_int_equal(http_percent_decode("0123456789abcdef", 16, out, sizeof(out)),
	                 -ENAMETOOLONG);
}

static void test_percent_encode(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(http_percent_encode_path("/a b/c~d-e_f.g", out, sizeof(out)), 16);
	assert_string_equal(out, "/a%20b/c~d-e_f.g");
	/* What would break a header is encoded. */
	assert_true(http_percent_encode_path("/x\r\nSet-Cookie: y", out, sizeof(out)) > 0);
	assert_string_equal(out, "/x%0D%0ASet-Cookie%3A%20y");
	assert_int_equal(http_percent_encode_path("/\xc3\xa9", out, sizeof(out)), 7);
	assert_string_equal(out, "/%C3%A9");
	assert_int_equal(http_percent_encode_path("/ab", out, 3), -ENAMETOOLONG);
	assert_int_equal(http_percent_encode_path("/ab", out, 4), 3);
	assert_int_equal(http_percent_encode_path("/ ", out, 4), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_length_bounds),
	    cmocka_unit_test(test_percent_decode),
	    cmocka_unit_test(test_percent_encode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
