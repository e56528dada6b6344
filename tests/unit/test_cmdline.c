/* test_cmdline.c - host unit tests for kernel/cmdline.c (command line parsing). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/cmdline.h"

static struct cmdline cl;
static char text[3 * CMDLINE_MAX_BYTES];

/* Parse @line and expect exactly the words @want (NULL-terminated). */
static void expect_words(const char *line, const char *const *want, int separator)
{
	int n = 0;

	assert_int_equal(cmdline_parse(line, &cl), 0);
	while (want[n])
		n++;
	assert_int_equal(cl.word_count, n);
	for (int i = 0; i < n; i++)
		assert_string_equal(cl.words[i], want[i]);
	assert_int_equal(cl.separator, separator);
	if (n < CMDLINE_MAX_WORDS)
		assert_null(cl.words[n]);
}

static void expect_error(const char *line, int err)
{
	assert_int_equal(cmdline_parse(line, &cl), err);
	assert_int_equal(cl.word_count, 0);
	assert_int_equal(cl.separator, -1);
}

static void test_empty(void **state)
{
	static const char *const none[] = {NULL};
	int argc = -1;

	(void)state;
	expect_words("", none, -1);
	assert_non_null(cmdline_args(&cl, &argc));
	assert_int_equal(argc, 0);
	assert_false(cmdline_option(&cl, "quiet", NULL));
	expect_words(" \t \n\r  ", none, -1);
	assert_int_equal(cmdline_parse(NULL, &cl), 0);
	assert_int_equal(cl.word_count, 0);
}

static void test_blanks(void **state)
{
	static const char *const want[] = {"a", "bc", "d", NULL};

	(void)state;
	expect_words("a bc d", want, -1);
	expect_words("  a \t bc\t\td\n", want, -1);
}

static void test_quotes(void **state)
{
	static const char *const want1[] = {"a", "b c", "d  e", NULL};
	static const char *const want2[] = {"xy zw", "", "", "it's", "say \"hi\"", NULL};
	static const char *const want3[] = {"a\\b", "mixed 'q' \"r\"", NULL};

	(void)state;
	expect_words("a \"b c\" 'd  e'", want1, -1);
	expect_words("x\"y z\"w \"\" '' \"it's\" 'say \"hi\"'", want2, -1);
	expect_words("'a\\b' \"mixed 'q' \"'\"r\"'", want3, -1);
}

static void test_escapes(void **state)
{
	static const char *const want1[] = {"a b", "\"q\"", "\\", "'", NULL};
	static const char *const want2[] = {"a\"b", "a\\b", "tab\there", NULL};

	(void)state;
	expect_words("a\\ b \\\"q\\\" \\\\ \\'", want1, -1);
	expect_words("\"a\\\"b\" \"a\\\\b\" tab\\\there", want2, -1);
}

static void test_separator(void **state)
{
	static const char *const want[] = {"console=ttyS0", "quiet", "--", "prog", "-x", "--",
	                                   "a b",           NULL};
	const char *const *args;
	const char *value = NULL;
	int argc = 0;

	(void)state;
	expect_words("console=ttyS0 quiet -- prog -x -- 'a b'", want, 2);
	args = cmdline_args(&cl, &argc);
	assert_int_equal(argc, 4);
	assert_string_equal(args[0], "prog");
	assert_string_equal(args[1], "-x");
	assert_string_equal(args[2], "--"); /* only the first "--" separates */
	assert_string_equal(args[3], "a b");
	assert_null(args[4]);
	assert_true(cmdline_option(&cl, "console", &value));
	assert_string_equal(value, "ttyS0");
	assert_true(cmdline_option(&cl, "quiet", &value));
	assert_string_equal(value, "");
	/* Program arguments are not options. */
	assert_false(cmdline_option(&cl, "prog", &value));
	assert_false(cmdline_option(&cl, "-x", NULL));
	assert_false(cmdline_option(&cl, "--", NULL));

	/* Nothing after the separator, and nothing before it. */
	assert_int_equal(cmdline_parse("quiet --", &cl), 0);
	assert_int_equal(cl.separator, 1);
	cmdline_args(&cl, &argc);
	assert_int_equal(argc, 0);
	assert_int_equal(cmdline_parse("-- quiet", &cl), 0);
	assert_int_equal(cl.separator, 0);
	args = cmdline_args(&cl, &argc);
	assert_int_equal(argc, 1);
	assert_string_equal(args[0], "quiet");
	assert_false(cmdline_option(&cl, "quiet", NULL));
}

/* A quoted or escaped "--" is an ordinary word, so a program can be given one. */
static void test_quoted_separator(void **state)
{
	static const char *const want[] = {"a", "--", "--", "b", NULL};
	int argc = 0;

	(void)state;
	expect_words("a \"--\" \\-- b", want, -1);
	cmdline_args(&cl, &argc);
	assert_int_equal(argc, 4);
}

static void test_no_separator(void **state)
{
	static const char *const want[] = {"net=1", "prog", "arg", NULL};
	const char *const *args;
	const char *value = NULL;
	int argc = 0;

	(void)state;
	expect_words("net=1 prog arg", want, -1);
	args = cmdline_args(&cl, &argc);
	assert_int_equal(argc, 3);
	assert_ptr_equal(args, &cl.words[0]);
	assert_string_equal(args[2], "arg");
	assert_true(cmdline_option(&cl, "net", &value));
	assert_string_equal(value, "1");
	assert_true(cmdline_option(&cl, "arg", &value));
	assert_string_equal(value, "");
}

static void test_key_value(void **state)
{
	const char *value = NULL;

	(void)state;
	assert_int_equal(cmdline_parse("root=UUID=ab=cd empty= 'sp=a b' bootstats=1 =x", &cl), 0);
	assert_true(cmdline_option(&cl, "root", &value));
	assert_string_equal(value, "UUID=ab=cd");
	assert_true(cmdline_option(&cl, "empty", &value));
	assert_string_equal(value, "");
	assert_true(cmdline_option(&cl, "sp", &value));
	assert_string_equal(value, "a b");
	/* Keys match in full: no prefixes, and a key never contains '='. */
	assert_false(cmdline_option(&cl, "boot", &value));
	assert_false(cmdline_option(&cl, "bootstats=", &value));
	assert_false(cmdline_option(&cl, "root=UUID", &value));
	assert_false(cmdline_option(&cl, "ro", &value));
	assert_true(cmdline_option(&cl, "bootstats", &value));
	assert_string_equal(value, "1");
	assert_true(cmdline_option(&cl, "bootstats", NULL));
	value = "untouched";
	assert_false(cmdline_option(&cl, "missing", &value));
	assert_string_equal(value, "untouched");

	assert_int_equal(cmdline_parse("bootstats boot=2", &cl), 0);
	assert_true(cmdline_option(&cl, "boot", &value));
	assert_string_equal(value, "2");
}

static void test_last_wins(void **state)
{
	const char *value = NULL;

	(void)state;
	assert_int_equal(cmdline_parse("log=1 other log=2 log -- log=9", &cl), 0);
	assert_true(cmdline_option(&cl, "log", &value));
	assert_string_equal(value, ""); /* the bare flag came last */
	assert_int_equal(cmdline_parse("log log=1 x log=3", &cl), 0);
	assert_true(cmdline_option(&cl, "log", &value));
	assert_string_equal(value, "3");
}

static void test_unterminated(void **state)
{
	(void)state;
	/* A good parse first, so the error has words to clear. */
	assert_int_equal(cmdline_parse("a -- b", &cl), 0);
	expect_error("a \"b c", -EINVAL);
	expect_error("'abc", -EINVAL);
	expect_error("x 'abc\"", -EINVAL);
	expect_error("abc\\", -EINVAL);
	expect_error("\"abc\\", -EINVAL);
	expect_error("\"abc\\\"", -EINVAL);
	expect_error("\\", -EINVAL);
	/* Nothing may be read past the NUL after a trailing backslash or open quote. */
	{
		static const char trailing[] = "abc\\\0 x y";
		static const char open_quote[] = "'abc\0' x";

		expect_error(trailing, -EINVAL);
		expect_error(open_quote, -EINVAL);
	}
}

static void test_too_many_words(void **state)
{
	char *p = text;
	const char *value = NULL;
	int argc = 0;

	(void)state;
	for (int i = 0; i < CMDLINE_MAX_WORDS - 2; i++)
		p += sprintf(p, "w%d ", i);
	strcpy(p, "-- last");
	assert_int_equal(cmdline_parse(text, &cl), 0);
	assert_int_equal(cl.word_count, CMDLINE_MAX_WORDS);
	assert_int_equal(cl.separator, CMDLINE_MAX_WORDS - 2);
	assert_string_equal(cl.words[CMDLINE_MAX_WORDS - 1], "last");
	assert_true(cmdline_option(&cl, "w253", &value));
	assert_string_equal(cmdline_args(&cl, &argc)[0], "last");
	assert_int_equal(argc, 1);
	strcat(text, "   "); /* trailing blanks are not a word */
	assert_int_equal(cmdline_parse(text, &cl), 0);
	strcat(text, "x");
	expect_error(text, -E2BIG);
	strcpy(p, "-- last \"unterminated"); /* the count runs out first */
	strcat(text, " x");
	expect_error(text, -E2BIG);
}

static void test_too_long(void **state)
{
	(void)state;
	/* One word of 4095 bytes plus its NUL fills the storage exactly. */
	memset(text, 'a', CMDLINE_MAX_BYTES - 1);
	text[CMDLINE_MAX_BYTES - 1] = '\0';
	assert_int_equal(cmdline_parse(text, &cl), 0);
	assert_int_equal(cl.word_count, 1);
	assert_int_equal(strlen(cl.words[0]), CMDLINE_MAX_BYTES - 1);
	text[CMDLINE_MAX_BYTES - 1] = 'a';
	text[CMDLINE_MAX_BYTES] = '\0';
	expect_error(text, -E2BIG);

	/* Two words: each NUL counts. */
	memset(text, 'b', CMDLINE_MAX_BYTES);
	text[CMDLINE_MAX_BYTES / 2 - 1] = ' ';
	text[CMDLINE_MAX_BYTES - 1] = '\0';
	assert_int_equal(cmdline_parse(text, &cl), 0);
	assert_int_equal(cl.word_count, 2);
	text[CMDLINE_MAX_BYTES - 1] = 'b';
	text[CMDLINE_MAX_BYTES] = '\0';
	expect_error(text, -E2BIG);

	/* Quotes removed and blanks collapsed do not use storage: what counts is whether the
	 * words fit, not the raw length. */
	memset(text, ' ', 2 * CMDLINE_MAX_BYTES);
	strcpy(text + 2 * CMDLINE_MAX_BYTES, "\"\"'x'");
	assert_int_equal(cmdline_parse(text, &cl), 0);
	assert_int_equal(cl.word_count, 1);
	assert_string_equal(cl.words[0], "x");
}

/* The words are copies: the input can go away after parsing. */
static void test_words_are_copies(void **state)
{
	char line[] = "alpha=1 beta";
	const char *value = NULL;

	(void)state;
	assert_int_equal(cmdline_parse(line, &cl), 0);
	memset(line, 'z', sizeof(line) - 1);
	assert_string_equal(cl.words[0], "alpha=1");
	assert_string_equal(cl.words[1], "beta");
	assert_true(cl.words[0] >= cl.storage && cl.words[0] < cl.storage + CMDLINE_MAX_BYTES);
	assert_true(cmdline_option(&cl, "alpha", &value));
	assert_string_equal(value, "1");
}

/* QEMU's microvm appends virtio_mmio.device= words after the user's line: wherever they
 * land they are set aside, never options, arguments or environment. */
static void test_device_words(void **state)
{
	static const char *const want1[] = {"ip=none", "--", "-p", "80", NULL};
	static const char *const want2[] = {"a", NULL};
	static const char *const none[] = {NULL};
	const char *values[4] = {0};
	const char *value = NULL;
	int argc = 0;

	(void)state;
	expect_words("ip=none -- -p 80 virtio_mmio.device=512@0xfeb00e00:12 "
	             "virtio_mmio.device=512@0xfeb00c00:11",
	             want1, 1);
	assert_int_equal(cl.device_word_count, 2);
	const char *const *args = cmdline_args(&cl, &argc);
	assert_int_equal(argc, 2);
	assert_string_equal(args[0], "-p");
	assert_string_equal(args[1], "80");
	assert_null(args[2]);
	assert_int_equal(cmdline_devices(&cl, "virtio_mmio.device", values, 4), 2);
	assert_string_equal(values[0], "512@0xfeb00e00:12");
	assert_string_equal(values[1], "512@0xfeb00c00:11");
	assert_false(cmdline_option(&cl, "virtio_mmio.device", &value));
	/* Only @max are stored; the count is all of them. */
	values[1] = NULL;
	assert_int_equal(cmdline_devices(&cl, "virtio_mmio.device", values, 1), 2);
	assert_null(values[1]);
	/* Not a device key, or a prefix of one. */
	assert_int_equal(cmdline_devices(&cl, "virtio_mmio", values, 4), 0);
	assert_int_equal(cmdline_devices(&cl, "ip", values, 4), 0);

	/* A line of device words alone is an empty line to the program (so the port's
	 * default command line applies), and before "--" they are not options. */
	expect_words("virtio_mmio.device=512@0x1000:5", none, -1);
	assert_int_equal(cl.device_word_count, 1);
	expect_words("virtio_mmio.device=1 a virtio_mmio.device=2", want2, -1);
	cmdline_args(&cl, &argc);
	assert_int_equal(argc, 1);
	assert_int_equal(cmdline_devices(&cl, "virtio_mmio.device", values, 4), 2);
	assert_string_equal(values[0], "1");
	assert_string_equal(values[1], "2");

	/* Quoted, a device word is an ordinary word; the key must be followed by '='. */
	static const char *const want3[] = {"virtio_mmio.device=1", "virtio_mmio.device",
	                                    "virtio_mmio.devicex=1", NULL};
	expect_words("'virtio_mmio.device=1' virtio_mmio.device virtio_mmio.devicex=1", want3, -1);
	assert_int_equal(cl.device_word_count, 0);
	assert_int_equal(cmdline_devices(&cl, "virtio_mmio.device", values, 4), 0);
}

/* At most CMDLINE_MAX_DEVICE_WORDS device words, besides the ordinary words. */
static void test_too_many_device_words(void **state)
{
	char *p = text;

	(void)state;
	for (int i = 0; i < CMDLINE_MAX_WORDS; i++)
		p += sprintf(p, "w%d ", i);
	for (int i = 0; i < CMDLINE_MAX_DEVICE_WORDS; i++)
		p += sprintf(p, "virtio_mmio.device=%d ", i);
	assert_int_equal(cmdline_parse(text, &cl), 0);
	assert_int_equal(cl.word_count, CMDLINE_MAX_WORDS);
	assert_int_equal(cl.device_word_count, CMDLINE_MAX_DEVICE_WORDS);
	strcpy(p, "virtio_mmio.device=x");
	expect_error(text, -E2BIG);
	assert_int_equal(cl.device_word_count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_blanks),
	    cmocka_unit_test(test_quotes),
	    cmocka_unit_test(test_escapes),
	    cmocka_unit_test(test_separator),
	    cmocka_unit_test(test_quoted_separator),
	    cmocka_unit_test(test_no_separator),
	    cmocka_unit_test(test_key_value),
	    cmocka_unit_test(test_last_wins),
	    cmocka_unit_test(test_unterminated),
	    cmocka_unit_test(test_too_many_words),
	    cmocka_unit_test(test_too_long),
	    cmocka_unit_test(test_words_are_copies),
	    cmocka_unit_test(test_device_words),
	    cmocka_unit_test(test_too_many_device_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
