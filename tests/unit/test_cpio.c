/* test_cpio.c - host unit tests for posix/fs/cpio.c (newc reader and unpacking into ramfs). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cmocka.h>

#include "posix/fs/cpio.h"
#include "posix/fs/ramfs.h"

/* Allocation failures on demand (see fail_alloc.h). Under valgrind the wrappers are
 * bypassed unless it runs with --soname-synonyms=somalloc=nouserintercepts; alloc_fails()
 * then says so and the out-of-memory checks are left out. */
#include "tests/unit/fail_alloc.h"

/* An archive under construction. */
struct arc {
	unsigned char *buf;
	size_t len;
	size_t cap;
};

/* Header fields, in order. */
enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_DEVMAJOR,
	F_DEVMINOR,
	F_RDEVMAJOR,
	F_RDEVMINOR,
	F_NAMESIZE,
	F_CHECK,
	F_COUNT,
};

static void arc_bytes(struct arc *a, const void *p, size_t n)
{
	if (a->len + n > a->cap) {
		a->cap = (a->len + n) * 2 + 64;
		a->buf = realloc(a->buf, a->cap);
		assert_non_null(a->buf);
	}
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

static void arc_pad(struct arc *a)
{
	while (a->len % 4)
		arc_bytes(a, "", 1);
}

/* Append an entry with every field given; returns its header's offset. @lower writes the
 * hex digits in lower case. */
static size_t arc_entry_fields(struct arc *a, const char *magic, const uint32_t f[F_COUNT],
                               const char *name, const void *data, bool lower)
{
	size_t at = a->len;
	char hdr[CPIO_HEADER_BYTES + 1];
	size_t used = (size_t)snprintf(hdr, sizeof(hdr), "%s", magic);

	for (int i = 0; i < F_COUNT; i++)
		used +=
		    (size_t)snprintf(hdr + used, sizeof(hdr) - used, lower ? "%08x" : "%08X", f[i]);
	assert_int_equal(used, CPIO_HEADER_BYTES);
	arc_bytes(a, hdr, CPIO_HEADER_BYTES);
	arc_bytes(a, name, strlen(name) + 1);
	arc_pad(a);
	arc_bytes(a, data, f[F_FILESIZE]);
	arc_pad(a);
	return at;
}

/* Append an ordinary newc entry. */
static size_t arc_entry(struct arc *a, const char *name, uint32_t mode, const void *data,
                        uint32_t size, uint32_t mtime)
{
	static uint32_t ino = 100;
	const uint32_t f[F_COUNT] = {
	    ino++, mode, 1000, 100, S_ISDIR(mode) ? 2 : 1,      mtime, size,
	    8,     1,    0,    0,   (uint32_t)strlen(name) + 1, 0};

	return arc_entry_fields(a, "070701", f, name, data, false);
}

static size_t arc_file(struct arc *a, const char *name, uint32_t perms, const char *text,
                       uint32_t mtime)
{
	return arc_entry(a, name, S_IFREG | perms, text, (uint32_t)strlen(text), mtime);
}

static size_t arc_dir(struct arc *a, const char *name, uint32_t perms, uint32_t mtime)
{
	return arc_entry(a, name, S_IFDIR | perms, "", 0, mtime);
}

static size_t arc_trailer(struct arc *a)
{
	const uint32_t f[F_COUNT] = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 11, 0};

	return arc_entry_fields(a, "070701", f, "TRAILER!!!", "", false);
}

/* Overwrite field @i of the header at @at with @value. */
static void set_field(struct arc *a, size_t at, int i, uint32_t value)
{
	char digits[9];

	snprintf(digits, sizeof(digits), "%08X", value);
	memcpy(a->buf + at + 6 + (size_t)i * 8, digits, 8);
}

static struct arc arc;
static struct ramfs fs;

static int setup(void **state)
{
	(void)state;
	fail_countdown = -1;
	memset(&arc, 0, sizeof(arc));
	return ramfs_init(&fs);
}

static int teardown(void **state)
{
	(void)state;
	fail_countdown = -1;
	free(arc.buf);
	memset(&arc, 0, sizeof(arc));
	ramfs_destroy(&fs);
	return 0;
}

/* Walk the whole archive; returns the last cpio_next result and the entry count. */
static int walk(const void *buf, size_t len, struct cpio_iter *it, int *entries)
{
	struct cpio_entry e;
	int r;

	*entries = 0;
	cpio_iter_init(it, buf, len);
	while ((r = cpio_next(it, &e)) == 1)
		(*entries)++;
	return r;
}

/* The error a walk over the archive ends with: -EINVAL at @offset, @what in the reason. */
static void expect_error(size_t len, size_t offset, const char *what)
{
	struct cpio_entry e;
	struct cpio_iter it;
	int entries;

	assert_int_equal(walk(arc.buf, len, &it, &entries), -EINVAL);
	assert_int_equal(it.err_offset, offset);
	assert_non_null(it.err_what);
	if (!strstr(it.err_what, what))
		fail_msg("reason \"%s\" does not say \"%s\"", it.err_what, what);
	/* Errors are sticky. */
	assert_int_equal(cpio_next(&it, &e), -EINVAL);
	assert_int_equal(it.err_offset, offset);
}

static struct ramfs_node *lookup(const char *path)
{
	struct ramfs_node *node = NULL;

	assert_int_equal(ramfs_lookup(&fs, NULL, path, &node), 0);
	return node;
}

static struct ramfs_attr attr_of(const char *path)
{
	struct ramfs_attr a;

	assert_int_equal(ramfs_getattr(lookup(path), &a), 0);
	return a;
}

/* File @path's content as a string (static buffer). */
static const char *content(const char *path)
{
	static char buf[512];
	ssize_t n = ramfs_read(lookup(path), buf, sizeof(buf) - 1, 0);

	assert_true(n >= 0);
	buf[n] = '\0';
	return buf;
}

static void test_iterate(void **state)
{
	static const char *const names[] = {"a", "bb", "ccc", "dddd", "eeeee"};
	const uint32_t odd[F_COUNT] = {
	    0xDEADBEEF, S_IFREG | 0600, 0x12345678, 0x9abcdef0, 3, 0x5f5e1000, 4,
	    0xfedcba98, 0x01020304,     0xa0b0c0d0, 0x0e0f1011, 4, 0};
	size_t offsets[8];
	struct cpio_entry e;
	struct cpio_iter it;

	(void)state;
	offsets[0] = arc_dir(&arc, ".", 0755, 1);
	/* Names of 1 to 5 bytes and data of 0 to 4 bytes: every padding length. */
	for (int i = 0; i < 5; i++)
		offsets[1 + i] =
		    arc_entry(&arc, names[i], S_IFREG | 0644, "0123", (uint32_t)i, (uint32_t)i);
	/* Every field with a distinct value, digits in lower case. */
	offsets[6] = arc_entry_fields(&arc, "070701", odd, "odd", "data", true);
	arc_trailer(&arc);
	/* Bytes after the trailer (block padding, anything) are not looked at. */
	arc_bytes(&arc, "garbage after the trailer", 25);

	cpio_iter_init(&it, arc.buf, arc.len);
	assert_int_equal(cpio_next(&it, &e), 1);
	assert_string_equal(e.name, ".");
	assert_int_equal(e.namelen, 1);
	assert_int_equal(e.mode, S_IFDIR | 0755);
	assert_int_equal(e.size, 0);
	assert_int_equal(e.offset, 0);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(cpio_next(&it, &e), 1);
		assert_string_equal(e.name, names[i]);
		assert_int_equal(e.namelen, i + 1);
		assert_int_equal(e.size, i);
		assert_int_equal(e.mtime, i);
		assert_int_equal(e.uid, 1000);
		assert_int_equal(e.gid, 100);
		assert_int_equal(e.nlink, 1);
		assert_int_equal(e.mode, S_IFREG | 0644);
		assert_int_equal(e.offset, offsets[1 + i]);
		assert_int_equal(e.offset % 4, 0);
		assert_int_equal(((const unsigned char *)e.data - arc.buf) % 4, 0);
		assert_ptr_equal(e.data, arc.buf + offsets[1 + i] + ((110 + i + 2 + 3) & ~3u));
		assert_memory_equal(e.data, "0123", (size_t)i);
	}
	assert_int_equal(cpio_next(&it, &e), 1);
	assert_string_equal(e.name, "odd");
	assert_int_equal(e.ino, 0xDEADBEEF);
	assert_int_equal(e.mode, S_IFREG | 0600);
	assert_int_equal(e.uid, 0x12345678);
	assert_int_equal(e.gid, 0x9abcdef0);
	assert_int_equal(e.nlink, 3);
	assert_int_equal(e.mtime, 0x5f5e1000);
	assert_int_equal(e.size, 4);
	assert_int_equal(e.devmajor, 0xfedcba98);
	assert_int_equal(e.devminor, 0x01020304);
	assert_int_equal(e.rdevmajor, 0xa0b0c0d0);
	assert_int_equal(e.rdevminor, 0x0e0f1011);
	assert_int_equal(e.check, 0);
	assert_memory_equal(e.data, "data", 4);
	assert_int_equal(e.offset, offsets[6]);
	/* The trailer ends it, for good. */
	assert_int_equal(cpio_next(&it, &e), 0);
	assert_int_equal(cpio_next(&it, &e), 0);
	assert_null(it.err_what);
}

static void test_crc_format(void **state)
{
	uint32_t f[F_COUNT] = {1, S_IFREG | 0644, 0, 0, 1, 0, 5, 0, 0, 0, 0, 6, 0};
	struct cpio_iter it;
	size_t at;
	int entries;

	(void)state;
	f[F_CHECK] = 'h' + 'e' + 'l' + 'l' + 'o';
	at = arc_entry_fields(&arc, "070702", f, "hello", "hello", false);
	f[F_FILESIZE] = 3;
	f[F_NAMESIZE] = 4;
	f[F_CHECK] = 3 * 0xff; /* the sum is of bytes as unsigned values, past 8 bits */
	arc_entry_fields(&arc, "070702", f, "ffs", "\xff\xff\xff", false);
	arc_trailer(&arc);
	assert_int_equal(walk(arc.buf, arc.len, &it, &entries), 0);
	assert_int_equal(entries, 2);
	assert_int_equal(cpio_unpack_into_ramfs(arc.buf, arc.len, &fs, NULL), 0);
	assert_string_equal(content("hello"), "hello");
	/* A wrong checksum. */
	set_field(&arc, at, F_CHECK, 'h' + 'e' + 'l' + 'l' + 'o' + 1);
	expect_error(arc.len, at + 102, "checksum");
}

static void test_malformed(void **state)
{
	struct cpio_unpack_report rep;
	struct cpio_iter it;
	size_t first;
	size_t second;
	size_t trailer;
	size_t good_len;
	int entries;

	(void)state;
	first = arc_file(&arc, "abc", 0644, "data!", 1);
	second = arc_file(&arc, "second", 0644, "", 1);
	trailer = arc_trailer(&arc);
	good_len = arc.len;
	assert_int_equal(walk(arc.buf, good_len, &it, &entries), 0);
	assert_int_equal(entries, 2);

	/* No trailer: an empty buffer, or entries and then the end. */
	expect_error(0, 0, "TRAILER!!!");
	expect_error(trailer, trailer, "TRAILER!!!");
	/* A header cut short. */
	expect_error(50, 0, "truncated header");
	expect_error(trailer + 109, trailer, "truncated header");
	/* Data cut short. */
	expect_error(first + 116 + 4, first + 54, "data runs past the end");
	/* Bad magic: not "070701"/"070702" (e.g. the old "070707" format). */
	arc.buf[second + 5] = '7';
	expect_error(good_len, second, "bad magic");
	arc.buf[second + 5] = '1';
	arc.buf[first] = 'x';
	expect_error(good_len, first, "bad magic");
	arc.buf[first] = '0';
	/* A non-hex digit in each field, at each end of it: the offset is the digit's. */
	for (int i = 0; i < F_COUNT; i++) {
		static const char *const fields[] = {
		    "inode",     "mode",     "uid",      "gid",      "nlink",
		    "mtime",     "filesize", "devmajor", "devminor", "rdevmajor",
		    "rdevminor", "namesize", "check"};
		for (int j = 0; j < 8; j += 7) {
			size_t at = second + 6 + (size_t)i * 8 + (size_t)j;
			unsigned char saved = arc.buf[at];

			arc.buf[at] = (i % 2) ? 'g' : ' ';
			expect_error(good_len, at, fields[i]);
			arc.buf[at] = saved;
		}
	}
	assert_int_equal(walk(arc.buf, good_len, &it, &entries), 0);
	/* Name sizes: 0, past the end, without its NUL, with an early NUL. */
	set_field(&arc, first, F_NAMESIZE, 0);
	expect_error(good_len, first + 94, "name size is 0");
	set_field(&arc, first, F_NAMESIZE, 0xffffffff);
	expect_error(good_len, first + 94, "name runs past the end");
	set_field(&arc, first, F_NAMESIZE, (uint32_t)(good_len - first - 110 + 1));
	expect_error(good_len, first + 94, "name runs past the end");
	set_field(&arc, first, F_NAMESIZE, 3); /* "abc" without its NUL */
	expect_error(good_len, first + 110 + 2, "not NUL-terminated");
	set_field(&arc, first, F_NAMESIZE, 4);
	arc.buf[first + 111] = '\0'; /* "a\0c" */
	expect_error(good_len, first + 111, "NUL before its end");
	arc.buf[first + 111] = 'b';
	/* Data sizes past the end, by a lot and by one byte. */
	set_field(&arc, first, F_FILESIZE, 0xffffffff);
	expect_error(good_len, first + 54, "data runs past the end");
	set_field(&arc, second, F_FILESIZE, (uint32_t)(good_len - second - 120 + 1));
	set_field(&arc, first, F_FILESIZE, 5);
	expect_error(good_len, second + 54, "data runs past the end");
	/* A size that leaves the next header misaligned reads garbage as a header. */
	set_field(&arc, second, F_FILESIZE, 2);
	expect_error(good_len, second + 120 + 4, "bad magic");
	set_field(&arc, second, F_FILESIZE, 0);
	assert_int_equal(walk(arc.buf, good_len, &it, &entries), 0);

	/* A malformed archive unpacks nothing, and says where. */
	set_field(&arc, second, F_MTIME, 0);
	arc.buf[second + 46] = 'z';
	assert_int_equal(cpio_unpack_into_ramfs(arc.buf, good_len, &fs, &rep), -EINVAL);
	assert_int_equal(rep.err_offset, second + 46);
	assert_non_null(strstr(rep.err_what, "mtime"));
	assert_null(rep.failed_name);
	assert_int_equal(rep.files + rep.dirs + rep.skipped, 0);
	assert_int_equal(fs.node_count, 1);
	assert_int_equal(cpio_unpack_into_ramfs(arc.buf, trailer, &fs, NULL), -EINVAL);
	assert_int_equal(fs.node_count, 1);
}

static void test_unpack(void **state)
{
	struct cpio_unpack_report rep;
	struct ramfs_dirent de;
	struct ramfs_attr a;

	(void)state;
	arc_dir(&arc, ".", 0711, 111);
	arc_dir(&arc, "etc", 0750, 222);
	arc_file(&arc, "etc/passwd", 0644, "root:x:0:0::/root:/bin/sh\n", 333);
	arc_file(&arc, "./www/index.html", 0444, "<h1>hi</h1>", 444); /* www is missing */
	arc_file(&arc, "/abs//file", 0600, "absolute", 555);
	arc_entry(&arc, "link", S_IFLNK | 0777, "etc/passwd", 10, 1);
	arc_entry(&arc, "dev/null", S_IFCHR | 0666, "", 0, 1);
	arc_entry(&arc, "fifo", S_IFIFO | 0644, "", 0, 1);
	arc_file(&arc, "empty", 0640, "", 666);
	arc_dir(&arc, "etc/", 0755, 777); /* again, trailing slash: new mode and time */
	arc_trailer(&arc);

	assert_int_equal(cpio_unpack_into_ramfs(arc.buf, arc.len, &fs, &rep), 0);
	assert_int_equal(rep.dirs, 3);
	assert_int_equal(rep.files, 4);
	assert_int_equal(rep.skipped, 3);
	assert_null(rep.failed_name);
	assert_null(rep.err_what);

	a = attr_of("/");
	assert_int_equal(a.mode, S_IFDIR | 0711);
	assert_int_equal(a.mtime_ns, 111000000000ll);
	a = attr_of("etc");
	assert_int_equal(a.mode, S_IFDIR | 0755);
	assert_int_equal(a.mtime_ns, 777000000000ll);
	a = attr_of("etc/passwd"); /* before reading it, which sets the access time */
	assert_int_equal(a.mode, S_IFREG | 0644);
	assert_int_equal(a.mtime_ns, 333000000000ll);
	assert_int_equal(a.atime_ns, 333000000000ll);
	assert_string_equal(content("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
	assert_string_equal(content("www/index.html"), "<h1>hi</h1>");
	assert_int_equal(attr_of("www/index.html").mode, S_IFREG | 0444);
	assert_int_equal(attr_of("www").mode, S_IFDIR | 0755); /* made as a parent */
	assert_string_equal(content("abs/file"), "absolute");
	assert_int_equal(attr_of("empty").size, 0);
	assert_int_equal(attr_of("empty").mode, S_IFREG | 0640);
	/* Skipped entries leave no trace, not even their parent. */
	assert_int_equal(ramfs_lookup(&fs, NULL, "link", &(struct ramfs_node *){NULL}), -ENOENT);
	assert_int_equal(ramfs_lookup(&fs, NULL, "fifo", &(struct ramfs_node *){NULL}), -ENOENT);
	assert_int_equal(ramfs_lookup(&fs, NULL, "dev", &(struct ramfs_node *){NULL}), -ENOENT);
	/* The root holds exactly what the archive made. */
	{
		const char *expect[] = {".", "..", "etc", "www", "abs", "empty"};
		uint64_t cookie = 0;

		for (size_t i = 0; i < 6; i++) {
			assert_int_equal(ramfs_readdir(ramfs_root(&fs), cookie, &de), 1);
			assert_string_equal(de.name, expect[i]);
			cookie = de.next;
		}
		assert_int_equal(ramfs_readdir(ramfs_root(&fs), cookie, &de), 0);
	}
}

static void test_unpack_over_existing(void **state)
{
	struct cpio_unpack_report rep;
	struct ramfs_node *n;
	size_t bad;

	(void)state;
	assert_int_equal(ramfs_create(&fs, NULL, "x", 0644, NULL), 0);       /* becomes a dir */
	assert_int_equal(ramfs_mkdir(&fs, NULL, "y", 0755, NULL), 0);        /* becomes a file */
	assert_int_equal(ramfs_create(&fs, NULL, "z", 0644, &n), 0);         /* overwritten */
	assert_int_equal(ramfs_write(n, "old and long content", 20, 0), 20); /* */
	assert_int_equal(ramfs_mkdir(&fs, NULL, "w", 0700, NULL), 0);        /* chmod */
	assert_int_equal(ramfs_mkdir(&fs, NULL, "full", 0755, NULL), 0);
	assert_int_equal(ramfs_create(&fs, NULL, "full/inner", 0644, NULL), 0);
	arc_dir(&arc, "x", 0755, 1);
	arc_file(&arc, "x/inside", 0644, "in", 1);
	arc_file(&arc, "y", 0600, "now a file", 2);
	arc_file(&arc, "z", 0640, "new", 3);
	arc_dir(&arc, "w", 0755, 4);
	bad = arc_file(&arc, "full", 0644, "cannot replace", 5);
	arc_file(&arc, "after", 0644, "never made", 6);
	arc_trailer(&arc);

	assert_int_equal(cpio_unpack_into_ramfs(arc.buf, arc.len, &fs, &rep), -ENOTEMPTY);
	assert_string_equal(rep.failed_name, "full");
	assert_int_equal(rep.err_offset, bad);
	assert_null(rep.err_what);
	assert_int_equal(rep.dirs, 2);
	assert_int_equal(rep.files, 3);
	/* What came before the failure is made. */
	assert_true(ramfs_is_dir(lookup("x")));
	assert_string_equal(content("x/inside"), "in");
	assert_false(ramfs_is_dir(lookup("y")));
	assert_string_equal(content("y"), "now a file");
	assert_int_equal(attr_of("y").mode, S_IFREG | 0600);
	assert_ptr_equal(lookup("z"), n); /* the same file, overwritten */
	assert_string_equal(content("z"), "new");
	assert_int_equal(attr_of("z").mode, S_IFREG | 0640);
	assert_int_equal(attr_of("w").mode, S_IFDIR | 0755);
	assert_true(ramfs_is_dir(lookup("full")));
	assert_int_equal(ramfs_lookup(&fs, NULL, "after", &n), -ENOENT);
}

static void test_unpack_errors(void **state)
{
	struct cpio_unpack_report rep;
	char longname[300];

	(void)state;
	/* A file used as a directory. */
	arc_file(&arc, "f", 0644, "plain", 1);
	arc_file(&arc, "f/g", 0644, "under a file", 1);
	arc_trailer(&arc);
	assert_int_equal(cpio_unpack_into_ramfs(arc.buf, arc.len, &fs, &rep), -ENOTDIR);
	assert_string_equal(rep.failed_name, "f/g");
	assert_int_equal(rep.files, 1);
	assert_int_equal(cpio_unpack_into_ramfs(arc.buf, arc.len, &fs, NULL), -ENOTDIR);

	/* A component longer than the filesystem allows. */
	free(arc.buf);
	memset(&arc, 0, sizeof(arc));
	memset(longname, 'L', sizeof(longname));
	longname[sizeof(longname) - 1] = '\0';
	arc_file(&arc, longname, 0644, "", 1);
	arc_trailer(&arc);
	assert_int_equal(cpio_unpack_into_ramfs(arc.buf, arc.len, &fs, &rep), -ENAMETOOLONG);
	assert_ptr_equal(rep.failed_name, (const char *)arc.buf + 110);

	/* A file named like the root ("/" is "."): the root cannot be removed for it. */
	free(arc.buf);
	memset(&arc, 0, sizeof(arc));
	arc_file(&arc, "/", 0644, "", 1);
	arc_trailer(&arc);
	assert_int_equal(cpio_unpack_into_ramfs(arc.buf, arc.len, &fs, &rep), -EINVAL);
	assert_string_equal(rep.failed_name, "/");

	/* Just a trailer: nothing to do. */
	free(arc.buf);
	memset(&arc, 0, sizeof(arc));
	arc_trailer(&arc);
	assert_int_equal(cpio_unpack_into_ramfs(arc.buf, arc.len, &fs, &rep), 0);
	assert_int_equal(rep.files + rep.dirs + rep.skipped, 0);
}

static void test_hard_links(void **state)
{
	uint32_t f[F_COUNT] = {77, S_IFREG | 0644, 0, 0, 2, 9, 0, 8, 1, 0, 0, 3, 0};

	(void)state;
	/* GNU cpio: the data comes with the last link. */
	arc_entry_fields(&arc, "070701", f, "h1", "", false);
	f[F_FILESIZE] = 5;
	arc_entry_fields(&arc, "070701", f, "h2", "hello", false);
	/* Data with the first link instead. */
	f[F_INO] = 78;
	arc_entry_fields(&arc, "070701", f, "k1", "first", false);
	f[F_FILESIZE] = 0;
	arc_entry_fields(&arc, "070701", f, "k2", "", false);
	/* Same inode number on another device, or not a link: not the same file. */
	f[F_INO] = 77;
	f[F_DEVMINOR] = 2;
	arc_entry_fields(&arc, "070701", f, "o1", "", false);
	f[F_DEVMINOR] = 1;
	f[F_NLINK] = 1;
	arc_entry_fields(&arc, "070701", f, "o2", "", false);
	arc_trailer(&arc);
	assert_int_equal(cpio_unpack_into_ramfs(arc.buf, arc.len, &fs, NULL), 0);
	assert_string_equal(content("h1"), "hello");
	assert_string_equal(content("h2"), "hello");
	assert_string_equal(content("k1"), "first");
	assert_string_equal(content("k2"), "first");
	assert_string_equal(content("o1"), "");
	assert_string_equal(content("o2"), "");
	/* Copies, not links. */
	assert_true(lookup("h1") != lookup("h2"));
	assert_int_equal(attr_of("h1").nlink, 1);
	assert_int_equal(attr_of("h1").mtime_ns, 9000000000ll);
}

static void test_unpack_out_of_memory(void **state)
{
	struct cpio_unpack_report rep;
	int failures = 0;

	(void)state;
	arc_dir(&arc, "d", 0755, 1);
	arc_file(&arc, "d/e/f", 0644, "content of f", 2);
	arc_file(&arc, "g", 0644, "gg", 3);
	arc_trailer(&arc);
	for (long n = 0;; n++) {
		int err;

		ramfs_destroy(&fs);
		assert_int_equal(ramfs_init(&fs), 0);
		if (!alloc_fails(n))
			skip(); /* the malloc wrappers are not in use (valgrind without the option)
			         */
		err = cpio_unpack_into_ramfs(arc.buf, arc.len, &fs, &rep);
		fail_countdown = -1;
		if (err == 0)
			break;
		assert_int_equal(err, -ENOMEM);
		assert_non_null(rep.failed_name);
		failures++;
	}
	assert_true(failures >= 5);
	assert_string_equal(content("d/e/f"), "content of f");
	assert_string_equal(content("g"), "gg");
}

/* Write @len bytes of @data to host file @path. */
static void host_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* An archive made by the real `cpio -o -H newc` from a folder made here. */
static void test_real_cpio_tool(void **state)
{
	char dir[] = "/tmp/vmos-cpio-XXXXXX";
	char path[256];
	char cmd[512];
	unsigned char big[10000];
	struct cpio_unpack_report rep;
	struct cpio_iter it;
	struct stat st;
	unsigned char *buf;
	FILE *f;
	long len;
	int entries;
	ssize_t n;

	(void)state;
	if (system("command -v cpio >/dev/null 2>&1") != 0)
		skip();
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char)(i * 13 + 5);
	snprintf(path, sizeof(path), "%s/hello.txt", dir);
	host_write(path, "Hello\n", 6);
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(stat(path, &st), 0);
	snprintf(cmd, sizeof(cmd), "%s/hard", dir);
	assert_int_equal(link(path, cmd), 0);
	snprintf(path, sizeof(path), "%s/ln", dir);
	assert_int_equal(symlink("hello.txt", path), 0);
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(mkdir(path, 0750), 0);
	snprintf(path, sizeof(path), "%s/sub/dir", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/sub/dir/deep.bin", dir);
	host_write(path, big, sizeof(big));
	snprintf(path, sizeof(path), "%s/sub/odd name, with spaces", dir);
	host_write(path, "x", 1);
	snprintf(path, sizeof(path), "%s/empty", dir);
	host_write(path, "", 0);

	snprintf(cmd, sizeof(cmd), "cd %s && find . | cpio -o -H newc --quiet > %s.cpio", dir, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s.cpio", dir);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len > 0);
	rewind(f);
	buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s.cpio", dir, dir);
	assert_int_equal(system(cmd), 0);

	/* ".", hello.txt, hard, ln, sub, sub/dir, deep.bin, odd name, empty. */
	assert_int_equal(walk(buf, (size_t)len, &it, &entries), 0);
	assert_int_equal(entries, 9);
	assert_int_equal(cpio_unpack_into_ramfs(buf, (size_t)len, &fs, &rep), 0);
	assert_int_equal(rep.dirs, 3);
	assert_int_equal(rep.files, 5);
	assert_int_equal(rep.skipped, 1);
	assert_string_equal(content("hello.txt"), "Hello\n");
	assert_string_equal(content("hard"), "Hello\n");
	assert_int_equal(attr_of("hello.txt").mode, S_IFREG | 0640);
	assert_int_equal(attr_of("hello.txt").mtime_ns, (int64_t)st.st_mtime * 1000000000);
	assert_int_equal(attr_of("sub").mode, S_IFDIR | 0750);
	assert_string_equal(content("sub/odd name, with spaces"), "x");
	assert_int_equal(attr_of("empty").size, 0);
	assert_int_equal(ramfs_lookup(&fs, NULL, "ln", &(struct ramfs_node *){NULL}), -ENOENT);
	{
		unsigned char back[sizeof(big) + 1];

		n = ramfs_read(lookup("sub/dir/deep.bin"), back, sizeof(back), 0);
		assert_int_equal(n, sizeof(big));
		assert_memory_equal(back, big, sizeof(big));
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_iterate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_crc_format, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unpack, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unpack_over_existing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unpack_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hard_links, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unpack_out_of_memory, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_real_cpio_tool, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
