/* test_ramfs.c - host unit tests for posix/fs/ramfs.c (the in-memory filesystem). */
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

#include <cmocka.h>

#include "posix/fs/ramfs.h"

/* Allocation failures on demand (see fail_alloc.h). Under valgrind the wrappers are
 * bypassed unless it runs with --soname-synonyms=somalloc=nouserintercepts; alloc_fails()
 * then says so and the out-of-memory checks are left out. */
#include "tests/unit/fail_alloc.h"

static struct ramfs fs;
static int64_t clock_now;

static int64_t fake_clock(void *ctx)
{
	assert_ptr_equal(ctx, &clock_now);
	return clock_now;
}

static int setup(void **state)
{
	(void)state;
	fail_countdown = -1;
	clock_now = 1000;
	if (ramfs_init(&fs))
		return -1;
	ramfs_set_clock(&fs, fake_clock, &clock_now);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fail_countdown = -1;
	ramfs_destroy(&fs);
	assert_int_equal(fs.node_count, 0);
	return 0;
}

static struct ramfs_node *lookup(struct ramfs_node *base, const char *path)
{
	struct ramfs_node *node = NULL;

	assert_int_equal(ramfs_lookup(&fs, base, path, &node), 0);
	return node;
}

static int lookup_err(struct ramfs_node *base, const char *path)
{
	struct ramfs_node *node = NULL;

	return ramfs_lookup(&fs, base, path, &node);
}

static struct ramfs_node *mkdir_ok(const char *path)
{
	struct ramfs_node *node = NULL;

	assert_int_equal(ramfs_mkdir(&fs, NULL, path, 0755, &node), 0);
	return node;
}

static struct ramfs_node *mkfile(const char *path, const char *content)
{
	struct ramfs_node *node = NULL;
	size_t len = strlen(content);

	assert_int_equal(ramfs_create(&fs, NULL, path, 0644, &node), 0);
	assert_int_equal(ramfs_write(node, content, len, 0), (ssize_t)len);
	return node;
}

static struct ramfs_attr attr_of(const struct ramfs_node *node)
{
	struct ramfs_attr a;

	assert_int_equal(ramfs_getattr(node, &a), 0);
	return a;
}

/* The whole content of file @node as a string (static buffer). */
static const char *content(struct ramfs_node *node)
{
	static char buf[256];
	ssize_t n = ramfs_read(node, buf, sizeof(buf) - 1, 0);

	assert_true(n >= 0);
	buf[n] = '\0';
	return buf;
}

/* The names in directory @dir, in readdir order, separated by spaces (static buffer). */
static const char *listing(struct ramfs_node *dir)
{
	static char buf[1024];
	struct ramfs_dirent de;
	uint64_t cookie = 0;
	size_t used = 0;
	int r;

	buf[0] = '\0';
	while ((r = ramfs_readdir(dir, cookie, &de)) == 1) {
		assert_true(used + de.namelen + 2 < sizeof(buf));
		assert_int_equal(strlen(de.name), de.namelen);
		used += (size_t)sprintf(buf + used, "%s%s", used ? " " : "", de.name);
		assert_true(de.next > cookie);
		cookie = de.next;
	}
	assert_int_equal(r, 0);
	return buf;
}

/* A description of the tree under @node: names, types, sizes, link counts and file
 * contents (not times), to check that a failed call changed nothing. */
static void dump(struct ramfs_node *node, char *buf, size_t size, size_t *used)
{
	struct ramfs_attr a = attr_of(node);
	struct ramfs_dirent de;
	uint64_t cookie = 2;

	*used += (size_t)snprintf(buf + *used, size - *used, "[%o %u %lld]", (unsigned)a.mode,
	                          (unsigned)a.nlink, (long long)a.size);
	if (!ramfs_is_dir(node)) {
		*used += (size_t)snprintf(buf + *used, size - *used, "<%s>", content(node));
		return;
	}
	while (ramfs_readdir(node, cookie, &de) == 1) {
		struct ramfs_node *kid;

		assert_int_equal(ramfs_lookup(&fs, node, de.name, &kid), 0);
		*used += (size_t)snprintf(buf + *used, size - *used, " %s(", de.name);
		dump(kid, buf, size, used);
		*used += (size_t)snprintf(buf + *used, size - *used, ")");
		cookie = de.next;
	}
	assert_true(*used < size);
}

static const char *tree(void)
{
	static char buf[4096];
	size_t used = 0;

	dump(ramfs_root(&fs), buf, sizeof(buf), &used);
	return buf;
}

static void test_root(void **state)
{
	struct ramfs_node *root = ramfs_root(&fs);
	struct ramfs_attr a = attr_of(root);
	char buf[4];

	(void)state;
	assert_int_equal(a.ino, 1);
	assert_int_equal(a.mode, S_IFDIR | 0755);
	assert_int_equal(a.nlink, 2);
	assert_int_equal(a.size, 40);
	assert_true(ramfs_is_dir(root));
	assert_string_equal(listing(root), ". ..");
	assert_int_equal(ramfs_getpath(root, buf, 0), -ERANGE);
	assert_int_equal(ramfs_getpath(root, buf, 1), -ERANGE);
	assert_int_equal(ramfs_getpath(root, buf, 2), 1);
	assert_string_equal(buf, "/");
	assert_ptr_equal(lookup(NULL, "/"), root);
	assert_ptr_equal(lookup(NULL, "."), root);
	assert_ptr_equal(lookup(NULL, ".."), root);
	assert_ptr_equal(lookup(NULL, "/.."), root);
	assert_ptr_equal(lookup(NULL, "//"), root);
	assert_ptr_equal(lookup(NULL, "/./.././/"), root);
	assert_ptr_equal(lookup(root, "../../."), root);
	assert_int_equal(lookup_err(NULL, ""), -ENOENT);
	assert_int_equal(lookup_err(NULL, "missing"), -ENOENT);
}

static void test_path_walk(void **state)
{
	struct ramfs_node *a;
	struct ramfs_node *b;
	struct ramfs_node *f;
	char name[300];
	char path[4200];

	(void)state;
	a = mkdir_ok("a");
	b = mkdir_ok("/a/b");
	f = mkfile("a/f", "x");
	assert_ptr_equal(lookup(NULL, "a//b///"), b);
	assert_ptr_equal(lookup(NULL, "/a/./b/../b"), b);
	assert_ptr_equal(lookup(a, "b"), b);
	assert_ptr_equal(lookup(a, "./b/"), b);
	assert_ptr_equal(lookup(a, "../a/b"), b);
	assert_ptr_equal(lookup(b, ".."), a);
	assert_ptr_equal(lookup(b, "../f"), f);
	assert_ptr_equal(lookup(f, "/a"), a); /* an absolute path ignores the base */
	assert_ptr_equal(lookup(NULL, "a/f"), f);
	assert_int_equal(lookup_err(NULL, "a/f/"), -ENOTDIR);
	assert_int_equal(lookup_err(NULL, "a/f//"), -ENOTDIR);
	assert_int_equal(lookup_err(NULL, "a/f/x"), -ENOTDIR);
	assert_int_equal(lookup_err(NULL, "a/f/."), -ENOTDIR);
	assert_int_equal(lookup_err(NULL, "a/f/.."), -ENOTDIR);
	assert_int_equal(lookup_err(NULL, "a/missing"), -ENOENT);
	assert_int_equal(lookup_err(NULL, "a/missing/x"), -ENOENT);
	assert_int_equal(lookup_err(NULL, "a/missing/"), -ENOENT);
	assert_int_equal(lookup_err(f, "x"), -ENOTDIR); /* relative to a file */
	assert_int_equal(lookup_err(f, "."), -ENOTDIR);
	assert_int_equal(lookup_err(a, "F"), -ENOENT); /* names are case-sensitive */

	/* Component length: 255 bytes is fine, 256 is -ENAMETOOLONG. */
	memset(name, 'n', sizeof(name));
	name[255] = '\0';
	assert_int_equal(ramfs_create(&fs, a, name, 0644, NULL), 0);
	assert_int_equal(lookup_err(a, name), 0);
	name[255] = 'n';
	name[256] = '\0';
	assert_int_equal(lookup_err(a, name), -ENAMETOOLONG);
	assert_int_equal(ramfs_create(&fs, a, name, 0644, NULL), -ENAMETOOLONG);
	assert_int_equal(ramfs_mkdir(&fs, a, name, 0755, NULL), -ENAMETOOLONG);
	snprintf(path, sizeof(path), "%s/x", name);
	assert_int_equal(lookup_err(a, path), -ENAMETOOLONG);
	snprintf(path, sizeof(path), "missing/%s", name);
	assert_int_equal(lookup_err(a, path), -ENOENT); /* the walk stops first */

	/* Path length: 4095 bytes is fine, 4096 is -ENAMETOOLONG. */
	path[0] = '\0';
	for (int i = 0; i < 2047; i++)
		strcat(path, "./");
	strcat(path, "a");
	assert_int_equal(strlen(path), 4095);
	assert_ptr_equal(lookup(NULL, path), a);
	strcat(path, "/");
	assert_int_equal(strlen(path), 4096);
	assert_int_equal(lookup_err(NULL, path), -ENAMETOOLONG);
	assert_int_equal(ramfs_mkdir(&fs, NULL, path, 0755, NULL), -ENAMETOOLONG);
	assert_int_equal(ramfs_unlink(&fs, NULL, path), -ENAMETOOLONG);
}

static void test_open(void **state)
{
	struct ramfs_node *d;
	struct ramfs_node *f;
	struct ramfs_node *n = NULL;
	const char *before;

	(void)state;
	d = mkdir_ok("d");
	f = mkfile("f", "hello");
	before = strdup(tree());

	/* Trailing slashes. */
	assert_int_equal(ramfs_open(&fs, NULL, "f/", O_RDONLY, 0, &n), -ENOTDIR);
	assert_int_equal(ramfs_open(&fs, NULL, "f/", O_CREAT | O_RDONLY, 0644, &n), -EISDIR);
	assert_int_equal(ramfs_open(&fs, NULL, "d/", O_CREAT | O_RDONLY, 0644, &n), -EISDIR);
	assert_int_equal(ramfs_open(&fs, NULL, "new/", O_CREAT | O_RDWR, 0644, &n), -EISDIR);
	assert_int_equal(ramfs_open(&fs, NULL, "new/", O_RDONLY, 0, &n), -ENOENT);
	/* Directories. */
	assert_int_equal(ramfs_open(&fs, NULL, ".", O_CREAT | O_RDONLY, 0644, &n), -EISDIR);
	assert_int_equal(ramfs_open(&fs, NULL, ".", O_CREAT | O_EXCL | O_RDONLY, 0644, &n),
	                 -EEXIST);
	assert_int_equal(ramfs_open(&fs, NULL, "/", O_CREAT | O_EXCL | O_RDONLY, 0644, &n),
	                 -EEXIST);
	assert_int_equal(ramfs_open(&fs, NULL, "d", O_CREAT | O_EXCL | O_RDONLY, 0644, &n),
	                 -EEXIST);
	assert_int_equal(ramfs_open(&fs, NULL, "d", O_CREAT | O_RDONLY, 0644, &n), -EISDIR);
	assert_int_equal(ramfs_open(&fs, NULL, "d", O_RDONLY | O_TRUNC, 0, &n), -EISDIR);
	assert_int_equal(ramfs_open(&fs, NULL, "d", O_WRONLY, 0, &n), -EISDIR);
	assert_int_equal(ramfs_open(&fs, NULL, "d", O_RDWR, 0, &n), -EISDIR);
	assert_int_equal(ramfs_open(&fs, NULL, "d", O_RDWR | O_DIRECTORY, 0, &n), -EISDIR);
	assert_int_equal(ramfs_open(&fs, NULL, "f", O_RDONLY | O_DIRECTORY, 0, &n), -ENOTDIR);
	assert_int_equal(ramfs_open(&fs, NULL, "zz", O_CREAT | O_DIRECTORY, 0644, &n), -EINVAL);
	assert_int_equal(ramfs_open(&fs, NULL, "d", O_CREAT | O_DIRECTORY, 0644, &n), -EINVAL);
	assert_int_equal(ramfs_open(&fs, NULL, "f", O_CREAT | O_EXCL | O_DIRECTORY, 0644, &n),
	                 -EINVAL);
	assert_int_equal(ramfs_open(&fs, NULL, "f/.", O_RDONLY, 0, &n), -ENOTDIR);
	assert_int_equal(ramfs_open(&fs, NULL, "", O_RDONLY, 0, &n), -ENOENT);
	assert_int_equal(ramfs_open(&fs, NULL, "", O_CREAT | O_RDWR, 0644, &n), -ENOENT);
	assert_int_equal(ramfs_open(&fs, NULL, "missing", O_RDWR, 0, &n), -ENOENT);
	assert_int_equal(ramfs_open(&fs, NULL, "missing/x", O_CREAT | O_RDWR, 0644, &n), -ENOENT);
	assert_int_equal(ramfs_open(&fs, NULL, "f/x", O_CREAT | O_RDWR, 0644, &n), -ENOTDIR);
	assert_int_equal(ramfs_create(&fs, NULL, "f", 0644, NULL), -EEXIST);
	assert_int_equal(ramfs_create(&fs, NULL, "d", 0644, NULL), -EEXIST);
	assert_null(n);
	assert_string_equal(tree(), before);

	/* What works. */
	assert_int_equal(ramfs_open(&fs, NULL, "d", O_RDONLY, 0, &n), 0);
	assert_ptr_equal(n, d);
	assert_int_equal(ramfs_open(&fs, NULL, "d/", O_RDONLY | O_DIRECTORY, 0, &n), 0);
	assert_ptr_equal(n, d);
	assert_int_equal(ramfs_open(&fs, NULL, "/", O_RDONLY, 0, &n), 0);
	assert_ptr_equal(n, ramfs_root(&fs));
	assert_int_equal(ramfs_open(&fs, NULL, "f", O_CREAT | O_RDWR, 0600, &n), 0);
	assert_ptr_equal(n, f);
	assert_string_equal(content(f), "hello");
	assert_int_equal(attr_of(f).mode, S_IFREG | 0644); /* an existing file keeps its mode */
	assert_string_equal(tree(), before);

	/* O_TRUNC empties a file, even opened read-only (Linux). */
	clock_now = 2000;
	assert_int_equal(ramfs_open(&fs, d, "../f", O_RDONLY | O_TRUNC, 0, &n), 0);
	assert_ptr_equal(n, f);
	assert_int_equal(attr_of(f).size, 0);
	assert_int_equal(attr_of(f).mtime_ns, 2000);
	assert_int_equal(attr_of(f).ctime_ns, 2000);

	/* O_CREAT: the type bits of @mode are ignored, the permission bits kept. */
	assert_int_equal(ramfs_open(&fs, d, "g", O_CREAT | O_WRONLY | O_TRUNC, S_IFDIR | 04640, &n),
	                 0);
	assert_false(ramfs_is_dir(n));
	assert_int_equal(attr_of(n).mode, S_IFREG | 04640);
	assert_int_equal(attr_of(n).nlink, 1);
	assert_int_equal(attr_of(n).size, 0);
	assert_ptr_equal(lookup(NULL, "d/g"), n);
	assert_int_equal(ramfs_create(&fs, d, "h", 0777, NULL), 0);
	assert_string_equal(listing(d), ". .. g h");
	free((void *)before);
}

static void test_mkdir(void **state)
{
	struct ramfs_node *root = ramfs_root(&fs);
	struct ramfs_node *nd;
	const char *before;

	(void)state;
	mkfile("f", "");
	before = strdup(tree());
	assert_int_equal(ramfs_mkdir(&fs, NULL, "/", 0755, NULL), -EEXIST);
	assert_int_equal(ramfs_mkdir(&fs, NULL, ".", 0755, NULL), -EEXIST);
	assert_int_equal(ramfs_mkdir(&fs, NULL, "..", 0755, NULL), -EEXIST);
	assert_int_equal(ramfs_mkdir(&fs, NULL, "f", 0755, NULL), -EEXIST);
	assert_int_equal(ramfs_mkdir(&fs, NULL, "f/", 0755, NULL), -EEXIST);
	assert_int_equal(ramfs_mkdir(&fs, NULL, "f/x", 0755, NULL), -ENOTDIR);
	assert_int_equal(ramfs_mkdir(&fs, NULL, "a/b", 0755, NULL), -ENOENT);
	assert_int_equal(ramfs_mkdir(&fs, NULL, "", 0755, NULL), -ENOENT);
	assert_string_equal(tree(), before);
	free((void *)before);

	assert_int_equal(ramfs_mkdir(&fs, NULL, "nd/", 07777, &nd), 0);
	assert_int_equal(attr_of(nd).mode, S_IFDIR | 01777); /* no set-id bits on mkdir */
	assert_int_equal(attr_of(nd).nlink, 2);
	assert_int_equal(attr_of(root).nlink, 3);
	assert_int_equal(attr_of(root).size, 80);
	assert_int_equal(ramfs_mkdir(&fs, NULL, "nd", 0755, NULL), -EEXIST);
	assert_int_equal(ramfs_mkdir(&fs, NULL, "nd/.", 0755, NULL), -EEXIST);
	assert_int_equal(ramfs_mkdir(&fs, nd, "sub", 0700, NULL), 0);
	assert_int_equal(attr_of(nd).nlink, 3);
	assert_int_equal(attr_of(root).nlink, 3);
	assert_string_equal(listing(root), ". .. f nd");
}

/* A socket's name: found by lookup with its object, not openable, removed by unlink; the
 * name outlives the object (the socket clears it when it closes). */
static void test_socket_node(void **state)
{
	int object = 7;
	struct ramfs_node *node, *found, *opened;

	(void)state;
	mkdir_ok("run");
	assert_int_equal(ramfs_mksock(&fs, NULL, "run/s.sock", 0755, &object, &node), 0);
	assert_int_equal(ramfs_mksock(&fs, NULL, "run/s.sock", 0755, &object, &node), -EEXIST);
	assert_int_equal(ramfs_mksock(&fs, NULL, "run", 0755, &object, &found), -EEXIST);
	assert_int_equal(ramfs_mksock(&fs, NULL, "missing/s.sock", 0755, &object, &found), -ENOENT);
	assert_int_equal(ramfs_mksock(&fs, NULL, "run/t.sock/", 0755, &object, &found), -ENOENT);
	assert_int_equal(ramfs_lookup(&fs, NULL, "/run/s.sock", &found), 0);
	assert_ptr_equal(found, node);
	assert_ptr_equal(ramfs_socket_object(found), &object);
	assert_int_equal(attr_of(node).mode, S_IFSOCK | 0755);
	assert_int_equal(ramfs_open(&fs, NULL, "run/s.sock", O_RDONLY, 0, &opened), -ENXIO);
	assert_int_equal(ramfs_open(&fs, NULL, "run/s.sock", O_WRONLY | O_CREAT, 0644, &opened),
	                 -ENXIO);
	assert_null(ramfs_socket_object(ramfs_root(&fs))); /* a directory holds no socket */
	ramfs_set_socket_object(node, NULL);
	assert_null(ramfs_socket_object(node));
	assert_int_equal(ramfs_lookup(&fs, NULL, "run/s.sock", &found), 0);
	assert_int_equal(ramfs_unlink(&fs, NULL, "run/s.sock"), 0);
	assert_int_equal(lookup_err(NULL, "run/s.sock"), -ENOENT);
}

/* A device node: found and opened as itself with its number, never truncated (O_TRUNC
 * leaves a device alone, truncate refuses it as Linux does), removed by unlink. */
static void test_device_node(void **state)
{
	struct ramfs_node *node, *opened;

	(void)state;
	struct ramfs_node *dev = mkdir_ok("dev");
	assert_int_equal(ramfs_mkdev(&fs, NULL, "dev/null", 0666, 0x103, &node), 0);
	assert_int_equal(ramfs_mkdev(&fs, NULL, "dev/null", 0666, 0x103, NULL), -EEXIST);
	struct ramfs_node *blk;
	struct ramfs_attr ba;
	assert_int_equal(ramfs_mkdev(&fs, NULL, "dev/vda", S_IFBLK | 0660, 0xfe00, &blk), 0);
	ramfs_getattr(blk, &ba);
	assert_int_equal(ba.mode, S_IFBLK | 0660);
	assert_int_equal(ba.rdev, 0xfe00);
	assert_int_equal(ramfs_mkdev(&fs, NULL, "dev/zero/", 0666, 0x105, NULL), -ENOENT);
	assert_int_equal(ramfs_mkdev(&fs, NULL, "nodir/zero", 0666, 0x105, NULL), -ENOENT);
	assert_int_equal(attr_of(node).mode, S_IFCHR | 0666);
	assert_int_equal(attr_of(node).rdev, 0x103);
	assert_int_equal(attr_of(ramfs_root(&fs)).rdev, 0);
	assert_int_equal(ramfs_open(&fs, NULL, "/dev/null", O_WRONLY | O_TRUNC, 0, &opened), 0);
	assert_ptr_equal(opened, node);
	assert_int_equal(ramfs_open(&fs, NULL, "/dev/null", O_RDONLY | O_DIRECTORY, 0, &opened),
	                 -ENOTDIR);
	assert_int_equal(
	    ramfs_open(&fs, NULL, "/dev/null", O_CREAT | O_EXCL | O_WRONLY, 0644, &opened),
	    -EEXIST);
	assert_int_equal(ramfs_truncate(node, 0), -EINVAL);
	assert_string_equal(listing(dev), ". .. null vda");
	assert_int_equal(ramfs_unlink(&fs, NULL, "dev/null"), 0);
	assert_int_equal(lookup_err(NULL, "dev/null"), -ENOENT);
}

/* Symbolic links: followed in the middle and at the end of a walk, relative to their
 * directory, not followed by ramfs_lookup_nofollow (unless a slash follows), 40 at most. */
static void test_symlinks(void **state)
{
	struct ramfs_node *node, *found, *dir;
	char buf[16];

	(void)state;
	dir = mkdir_ok("d");
	mkfile("d/f", "data");
	assert_int_equal(ramfs_symlink(&fs, NULL, "d/f", "l", &node), 0);
	assert_int_equal(ramfs_symlink(&fs, NULL, "f", "d/rel", NULL), 0);
	assert_int_equal(ramfs_symlink(&fs, NULL, "d", "ld", NULL), 0);
	assert_int_equal(ramfs_symlink(&fs, NULL, "d/f", "l", NULL), -EEXIST);
	assert_int_equal(ramfs_symlink(&fs, NULL, "", "e", NULL), -ENOENT);
	assert_int_equal(attr_of(node).mode, S_IFLNK | 0777);
	assert_int_equal(attr_of(node).size, 3);
	assert_int_equal(ramfs_readlink(node, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "d/f", 3);
	assert_int_equal(ramfs_readlink(node, buf, 2), 2);
	assert_int_equal(ramfs_readlink(dir, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(ramfs_lookup(&fs, NULL, "l", &found), 0);
	assert_true(S_ISREG(attr_of(found).mode));
	assert_int_equal(ramfs_lookup(&fs, NULL, "d/rel", &found), 0);
	assert_true(S_ISREG(attr_of(found).mode));
	assert_int_equal(ramfs_lookup(&fs, NULL, "ld/rel", &found), 0);
	assert_true(S_ISREG(attr_of(found).mode));
	assert_int_equal(ramfs_lookup_nofollow(&fs, NULL, "l", &found), 0);
	assert_ptr_equal(found, node);
	assert_int_equal(ramfs_lookup_nofollow(&fs, NULL, "ld/", &found), 0);
	assert_ptr_equal(found, dir);
	assert_int_equal(ramfs_lookup(&fs, NULL, "l/", &found), -ENOTDIR);
	assert_int_equal(ramfs_open(&fs, NULL, "l", O_RDONLY | O_NOFOLLOW, 0, &found), -ELOOP);
	assert_int_equal(ramfs_symlink(&fs, NULL, "b", "a", NULL), 0);
	assert_int_equal(ramfs_symlink(&fs, NULL, "a", "b", NULL), 0);
	assert_int_equal(ramfs_lookup(&fs, NULL, "a", &found), -ELOOP);
	assert_int_equal(ramfs_symlink(&fs, NULL, "nothere", "dangling", NULL), 0);
	assert_int_equal(ramfs_lookup(&fs, NULL, "dangling", &found), -ENOENT);
	assert_int_equal(ramfs_open(&fs, NULL, "dangling", O_WRONLY | O_CREAT, 0644, &found),
	                 -ENOENT);
	assert_int_equal(lookup_err(NULL, "nothere"), -ENOENT); /* nothing was made */
	assert_int_equal(ramfs_unlink(&fs, NULL, "l"), 0);
	assert_int_equal(lookup_err(NULL, "d/f"), 0);
}

static void test_unlink(void **state)
{
	struct ramfs_node *root = ramfs_root(&fs);
	const char *before;
	size_t nodes;

	(void)state;
	mkfile("f", "data");
	mkdir_ok("nd");
	before = strdup(tree());
	assert_int_equal(ramfs_unlink(&fs, NULL, "/"), -EISDIR);
	assert_int_equal(ramfs_unlink(&fs, NULL, "."), -EISDIR);
	assert_int_equal(ramfs_unlink(&fs, NULL, ".."), -EISDIR);
	assert_int_equal(ramfs_unlink(&fs, NULL, "f/"), -ENOTDIR);
	assert_int_equal(ramfs_unlink(&fs, NULL, "nd/"), -EISDIR);
	assert_int_equal(ramfs_unlink(&fs, NULL, "nd"), -EISDIR);
	assert_int_equal(ramfs_unlink(&fs, NULL, "missing/"), -ENOENT);
	assert_int_equal(ramfs_unlink(&fs, NULL, "missing"), -ENOENT);
	assert_int_equal(ramfs_unlink(&fs, NULL, ""), -ENOENT);
	assert_int_equal(ramfs_unlink(&fs, NULL, "f/x"), -ENOTDIR);
	assert_string_equal(tree(), before);
	free((void *)before);

	nodes = fs.node_count;
	clock_now = 5000;
	assert_int_equal(ramfs_unlink(&fs, NULL, "f"), 0);
	assert_int_equal(fs.node_count, nodes - 1); /* not referenced: freed at once */
	assert_int_equal(lookup_err(NULL, "f"), -ENOENT);
	assert_int_equal(ramfs_unlink(&fs, NULL, "f"), -ENOENT);
	assert_int_equal(attr_of(root).mtime_ns, 5000);
	assert_int_equal(attr_of(root).ctime_ns, 5000);
	assert_string_equal(listing(root), ". .. nd");
}

static void test_rmdir(void **state)
{
	struct ramfs_node *root = ramfs_root(&fs);
	const char *before;

	(void)state;
	mkfile("f", "");
	mkdir_ok("nd");
	mkdir_ok("full");
	mkfile("full/x", "");
	before = strdup(tree());
	assert_int_equal(ramfs_rmdir(&fs, NULL, "/"), -EBUSY);
	assert_int_equal(ramfs_rmdir(&fs, NULL, "."), -EINVAL);
	assert_int_equal(ramfs_rmdir(&fs, NULL, ".."), -ENOTEMPTY);
	assert_int_equal(ramfs_rmdir(&fs, NULL, "nd/."), -EINVAL);
	assert_int_equal(ramfs_rmdir(&fs, NULL, "nd/.."), -ENOTEMPTY);
	assert_int_equal(ramfs_rmdir(&fs, NULL, "f"), -ENOTDIR);
	assert_int_equal(ramfs_rmdir(&fs, NULL, "f/"), -ENOTDIR);
	assert_int_equal(ramfs_rmdir(&fs, NULL, "missing"), -ENOENT);
	assert_int_equal(ramfs_rmdir(&fs, NULL, "full"), -ENOTEMPTY);
	assert_int_equal(ramfs_rmdir(&fs, NULL, ""), -ENOENT);
	assert_string_equal(tree(), before);
	free((void *)before);

	assert_int_equal(attr_of(root).nlink, 4);
	assert_int_equal(ramfs_rmdir(&fs, NULL, "nd/"), 0);
	assert_int_equal(attr_of(root).nlink, 3);
	assert_int_equal(ramfs_unlink(&fs, NULL, "full/x"), 0);
	assert_int_equal(ramfs_rmdir(&fs, NULL, "/full//"), 0);
	assert_int_equal(attr_of(root).nlink, 2);
	assert_string_equal(listing(root), ". .. f");
}

static void test_rename_errors(void **state)
{
	const char *before;

	(void)state;
	mkfile("f", "file");
	mkdir_ok("nd");
	mkdir_ok("nd/sub");
	mkdir_ok("e");
	mkfile("e/x", "");
	before = strdup(tree());
	assert_int_equal(ramfs_rename(&fs, NULL, ".", NULL, "x"), -EBUSY);
	assert_int_equal(ramfs_rename(&fs, NULL, "x", NULL, "."), -EBUSY);
	assert_int_equal(ramfs_rename(&fs, NULL, "nd", NULL, ".."), -EBUSY);
	assert_int_equal(ramfs_rename(&fs, NULL, "/", NULL, "x"), -EBUSY);
	assert_int_equal(ramfs_rename(&fs, NULL, "nd", NULL, "/"), -EBUSY);
	assert_int_equal(ramfs_rename(&fs, NULL, "nd/sub", NULL, "nd/sub/."), -EBUSY);
	assert_int_equal(ramfs_rename(&fs, NULL, "nd/sub/..", NULL, "q"), -EBUSY);
	assert_int_equal(ramfs_rename(&fs, NULL, "f", NULL, "nd"), -EISDIR);
	assert_int_equal(ramfs_rename(&fs, NULL, "nd", NULL, "f"), -ENOTDIR);
	assert_int_equal(ramfs_rename(&fs, NULL, "nd", NULL, "f/"), -ENOTDIR);
	assert_int_equal(ramfs_rename(&fs, NULL, "f/", NULL, "g"), -ENOTDIR);
	assert_int_equal(ramfs_rename(&fs, NULL, "f", NULL, "g/"), -ENOTDIR);
	assert_int_equal(ramfs_rename(&fs, NULL, "f", NULL, "nd/sub/"), -ENOTDIR);
	assert_int_equal(ramfs_rename(&fs, NULL, "missing", NULL, "g"), -ENOENT);
	assert_int_equal(ramfs_rename(&fs, NULL, "missing", NULL, "f/"), -ENOENT);
	assert_int_equal(ramfs_rename(&fs, NULL, "f", NULL, "missing/x"), -ENOENT);
	assert_int_equal(ramfs_rename(&fs, NULL, "f", NULL, "f/x"), -ENOTDIR);
	assert_int_equal(ramfs_rename(&fs, NULL, "", NULL, "g"), -ENOENT);
	assert_int_equal(ramfs_rename(&fs, NULL, "f", NULL, ""), -ENOENT);
	/* A directory into its own subtree; a target that contains the source. */
	assert_int_equal(ramfs_rename(&fs, NULL, "nd", NULL, "nd/sub2"), -EINVAL);
	assert_int_equal(ramfs_rename(&fs, NULL, "nd", NULL, "nd/sub/x"), -EINVAL);
	assert_int_equal(ramfs_rename(&fs, NULL, "/nd", NULL, "nd/sub/"), -EINVAL);
	assert_int_equal(ramfs_rename(&fs, NULL, "nd/sub", NULL, "nd"), -ENOTEMPTY);
	assert_int_equal(ramfs_rename(&fs, NULL, "nd", NULL, "e"), -ENOTEMPTY);
	/* Onto itself: nothing happens. */
	assert_int_equal(ramfs_rename(&fs, NULL, "nd", NULL, "nd"), 0);
	assert_int_equal(ramfs_rename(&fs, NULL, "f", NULL, "./f"), 0);
	assert_int_equal(ramfs_rename(&fs, NULL, "nd/sub", NULL, "nd/sub/"), 0);
	assert_string_equal(tree(), before);
	free((void *)before);
}

static void test_rename_moves(void **state)
{
	struct ramfs_node *root = ramfs_root(&fs);
	struct ramfs_node *dir;
	struct ramfs_node *a;
	struct ramfs_node *c;
	struct ramfs_node *p1;
	struct ramfs_node *p2;
	struct ramfs_node *d;
	struct ramfs_node *e2;
	char buf[64];
	size_t nodes;

	(void)state;
	/* Within one directory a renamed entry keeps its readdir position. */
	dir = mkdir_ok("dir");
	a = mkfile("dir/a", "A");
	mkfile("dir/b", "B");
	c = mkfile("dir/c", "C");
	assert_int_equal(ramfs_rename(&fs, NULL, "dir/b", dir, "z"), 0);
	assert_string_equal(listing(dir), ". .. a z c");
	assert_string_equal(content(lookup(dir, "z")), "B");
	/* Replacing a file: the source takes the target's name and place; the old target
	 * lives on while referenced. */
	ramfs_node_ref(c);
	nodes = fs.node_count;
	clock_now = 3000;
	assert_int_equal(ramfs_rename(&fs, dir, "a", NULL, "/dir/c"), 0);
	assert_string_equal(listing(dir), ". .. z c");
	assert_ptr_equal(lookup(dir, "c"), a);
	assert_string_equal(content(a), "A");
	assert_string_equal(content(c), "C");
	assert_int_equal(attr_of(c).nlink, 0);
	assert_int_equal(attr_of(c).ctime_ns, 3000);
	assert_int_equal(attr_of(a).ctime_ns, 3000);
	assert_int_equal(attr_of(dir).mtime_ns, 3000);
	assert_int_equal(fs.node_count, nodes);
	ramfs_node_unref(c);
	assert_int_equal(fs.node_count, nodes - 1);
	assert_int_equal(ramfs_getpath(a, buf, sizeof(buf)), 6);
	assert_string_equal(buf, "/dir/c");

	/* A directory with content moves to another parent. */
	p1 = mkdir_ok("p1");
	d = mkdir_ok("p1/d");
	mkfile("p1/d/f", "deep");
	p2 = mkdir_ok("p2");
	mkfile("p2/first", "");
	assert_int_equal(attr_of(p1).nlink, 3);
	clock_now = 4000;
	assert_int_equal(ramfs_rename(&fs, p1, "d", p2, "d2/"), 0);
	assert_int_equal(attr_of(p1).nlink, 2);
	assert_int_equal(attr_of(p2).nlink, 3);
	assert_int_equal(attr_of(p1).mtime_ns, 4000);
	assert_int_equal(attr_of(p2).mtime_ns, 4000);
	assert_int_equal(attr_of(d).ctime_ns, 4000);
	assert_string_equal(listing(p1), ". ..");
	assert_string_equal(listing(p2), ". .. first d2");
	assert_string_equal(content(lookup(NULL, "p2/d2/f")), "deep");
	assert_ptr_equal(lookup(d, ".."), p2);
	assert_int_equal(ramfs_getpath(d, buf, sizeof(buf)), 6);
	assert_string_equal(buf, "/p2/d2");
	assert_int_equal(lookup_err(NULL, "p1/d"), -ENOENT);

	/* A directory over an empty directory (referenced, so it lives on, removed). */
	mkdir_ok("e1");
	e2 = mkdir_ok("e2");
	ramfs_node_ref(e2);
	assert_int_equal(attr_of(root).nlink, 2 + 5);
	assert_int_equal(ramfs_rename(&fs, NULL, "e1", NULL, "e2"), 0);
	assert_int_equal(attr_of(root).nlink, 2 + 4);
	assert_int_equal(attr_of(e2).nlink, 0);
	assert_int_equal(ramfs_readdir(e2, 0, &(struct ramfs_dirent){0}), -ENOENT);
	assert_ptr_equal(lookup(e2, ".."), root);
	assert_true(lookup(NULL, "e2") != e2);
	ramfs_node_unref(e2);
	/* A file into another directory, new name. */
	assert_int_equal(ramfs_rename(&fs, NULL, "dir/z", p1, "moved"), 0);
	assert_string_equal(content(lookup(NULL, "p1/moved")), "B");
	assert_string_equal(listing(dir), ". .. c");
	assert_string_equal(listing(root), ". .. dir p1 p2 e2");
}

static void test_read_write(void **state)
{
	struct ramfs_node *f;
	struct ramfs_node *d;
	char buf[16000];

	(void)state;
	f = mkfile("f", "hello");
	d = mkdir_ok("d");
	assert_int_equal(ramfs_read(f, buf, 3, 1), 3);
	assert_memory_equal(buf, "ell", 3);
	assert_int_equal(ramfs_read(f, buf, 100, 3), 2);
	assert_int_equal(ramfs_read(f, buf, 100, 5), 0);
	assert_int_equal(ramfs_read(f, buf, 100, 1000), 0);
	assert_int_equal(ramfs_read(f, buf, 0, 0), 0);
	assert_int_equal(ramfs_read(f, buf, 1, -1), -EINVAL);
	assert_int_equal(ramfs_write(f, "x", 1, -1), -EINVAL);
	assert_int_equal(ramfs_read(d, buf, 1, 0), -EISDIR);
	assert_int_equal(ramfs_write(d, "x", 1, 0), -EISDIR);
	assert_int_equal(ramfs_truncate(d, 0), -EISDIR);
	assert_int_equal(ramfs_write(f, "x", 1, INT64_MAX), -EFBIG);
	/* A zero-length write changes nothing, times included. */
	clock_now = 7000;
	assert_int_equal(ramfs_write(f, "x", 0, 100), 0);
	assert_int_equal(attr_of(f).size, 5);
	assert_int_equal(attr_of(f).mtime_ns, 1000);
	/* Overwrite in the middle. */
	assert_int_equal(ramfs_write(f, "ipp", 3, 1), 3);
	assert_string_equal(content(f), "hippo");
	assert_int_equal(attr_of(f).mtime_ns, 7000);
	/* A sparse write: the gap reads as zeros. */
	assert_int_equal(ramfs_write(f, "X", 1, 10000), 1);
	assert_int_equal(attr_of(f).size, 10001);
	assert_true(attr_of(f).blocks * 512 >= 10001);
	memset(buf, 0x55, sizeof(buf));
	assert_int_equal(ramfs_read(f, buf, sizeof(buf), 0), 10001);
	assert_memory_equal(buf, "hippo", 5);
	for (int i = 5; i < 10000; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(buf[10000], 'X');
}

/* Byte @i of the big file's pattern. */
static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 7 + (i >> 11) + (i >> 17));
}

static void test_big_file_odd_pieces(void **state)
{
	static const size_t pieces[] = {1, 3, 7, 13, 31, 97, 251, 509, 1021, 4093, 8191, 65521};
	const size_t total = 1 << 20;
	unsigned char *src = malloc(total);
	unsigned char *back = malloc(total + 100);
	struct ramfs_node *f;
	struct ramfs_node *g;
	size_t off = 0;
	size_t k = 0;
	long reallocs;

	(void)state;
	assert_non_null(src);
	assert_non_null(back);
	for (size_t i = 0; i < total; i++)
		src[i] = pattern(i);
	assert_int_equal(ramfs_create(&fs, NULL, "big", 0644, &f), 0);
	realloc_calls = 0;
	while (off < total) {
		size_t n = pieces[k++ % (sizeof(pieces) / sizeof(pieces[0]))];

		if (n > total - off)
			n = total - off;
		assert_int_equal(ramfs_write(f, src + off, n, (off_t)off), (ssize_t)n);
		off += n;
	}
	reallocs = realloc_calls;
	/* Storage grows geometrically: a few dozen reallocations, not one per write. */
	assert_true(reallocs <= 20);
	assert_int_equal(attr_of(f).size, total);
	assert_true(attr_of(f).blocks * 512 <= 2 * total);
	/* Read back in other odd pieces. */
	memset(back, 0, total + 100);
	off = 0;
	k = 5;
	while (off < total) {
		size_t n = pieces[k++ % (sizeof(pieces) / sizeof(pieces[0]))] + 2;
		ssize_t got = ramfs_read(f, back + off, n, (off_t)off);

		assert_int_equal(got, n < total - off ? n : total - off);
		off += (size_t)got;
	}
	assert_int_equal(ramfs_read(f, back, 10, (off_t)total), 0);
	assert_memory_equal(back, src, total);

	/* The same pieces written back to front: the first write makes it sparse. */
	assert_int_equal(ramfs_create(&fs, NULL, "big2", 0644, &g), 0);
	off = total;
	k = 0;
	while (off > 0) {
		size_t n = pieces[k++ % (sizeof(pieces) / sizeof(pieces[0]))];

		if (n > off)
			n = off;
		off -= n;
		assert_int_equal(ramfs_write(g, src + off, n, (off_t)off), (ssize_t)n);
	}
	memset(back, 0, total);
	assert_int_equal(ramfs_read(g, back, total + 100, 0), total);
	assert_memory_equal(back, src, total);
	free(src);
	free(back);
}

static void test_truncate(void **state)
{
	struct ramfs_node *f;
	char buf[16];

	(void)state;
	f = mkfile("f", "abcdef");
	clock_now = 2000;
	assert_int_equal(ramfs_truncate(f, 3), 0);
	assert_string_equal(content(f), "abc");
	assert_int_equal(attr_of(f).mtime_ns, 2000);
	assert_int_equal(attr_of(f).ctime_ns, 2000);
	/* Growing again shows zeros, not the old bytes. */
	assert_int_equal(ramfs_truncate(f, 8), 0);
	assert_int_equal(ramfs_read(f, buf, sizeof(buf), 0), 8);
	assert_memory_equal(buf, "abc\0\0\0\0\0", 8);
	/* So does a write past the end after a shrink. */
	assert_int_equal(ramfs_truncate(f, 2), 0);
	assert_int_equal(ramfs_write(f, "Z", 1, 5), 1);
	assert_int_equal(ramfs_read(f, buf, sizeof(buf), 0), 6);
	assert_memory_equal(buf, "ab\0\0\0Z", 6);
	assert_int_equal(ramfs_truncate(f, -1), -EINVAL);
	assert_int_equal(attr_of(f).size, 6);
	/* Same size: still a change of times (Linux's truncate). */
	clock_now = 2500;
	assert_int_equal(ramfs_truncate(f, 6), 0);
	assert_int_equal(attr_of(f).mtime_ns, 2500);
	assert_int_equal(ramfs_truncate(f, 0), 0);
	assert_int_equal(attr_of(f).size, 0);
	assert_int_equal(attr_of(f).blocks, 0);
	assert_int_equal(ramfs_read(f, buf, sizeof(buf), 0), 0);
	/* A big file cut down to a little gives most of its memory back. */
	assert_int_equal(ramfs_truncate(f, 1 << 20), 0);
	assert_true(attr_of(f).blocks >= 2048);
	assert_int_equal(ramfs_truncate(f, 10), 0);
	assert_true(attr_of(f).blocks < 8);
}

static void test_readdir_stability(void **state)
{
	struct ramfs_node *d;
	struct ramfs_node *sub;
	struct ramfs_dirent de;
	char name[8];
	char seen[512] = "";
	uint64_t cookie = 0;
	uint64_t f1_cookie = 0;

	(void)state;
	d = mkdir_ok("d");
	sub = mkdir_ok("d/sub");
	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "d/f%d", i);
		mkfile(name, "");
	}
	assert_int_equal(attr_of(d).size, 20 * 13);
	assert_int_equal(attr_of(d).nlink, 3);
	/* ".", "..", then in creation order; d_off chains them. */
	assert_int_equal(ramfs_readdir(d, 0, &de), 1);
	assert_string_equal(de.name, ".");
	assert_int_equal(de.ino, attr_of(d).ino);
	assert_int_equal(de.type, S_IFDIR);
	assert_int_equal(de.next, 1);
	assert_int_equal(ramfs_readdir(d, 1, &de), 1);
	assert_string_equal(de.name, "..");
	assert_int_equal(de.ino, 1);
	assert_int_equal(de.next, 2);
	assert_int_equal(ramfs_readdir(d, 2, &de), 1);
	assert_string_equal(de.name, "sub");
	assert_int_equal(de.ino, attr_of(sub).ino);
	assert_int_equal(de.type, S_IFDIR);
	assert_int_equal(ramfs_readdir(sub, 1, &de), 1);
	assert_int_equal(de.ino, attr_of(d).ino); /* sub's ".." */

	/* Read "." ".." sub f0 f1 f2, then change the directory. */
	for (int i = 0; i < 6; i++) {
		assert_int_equal(ramfs_readdir(d, cookie, &de), 1);
		if (strcmp(de.name, "f1") == 0)
			f1_cookie = cookie;
		cookie = de.next;
	}
	assert_string_equal(de.name, "f2");
	assert_int_equal(de.type, S_IFREG);
	assert_int_equal(ramfs_unlink(&fs, d, "f1"), 0); /* already read */
	assert_int_equal(ramfs_unlink(&fs, d, "f6"), 0); /* not yet read */
	mkfile("d/n0", "");
	assert_int_equal(ramfs_rename(&fs, d, "f8", d, "f8r"), 0);
	mkfile("d/n1", "");
	assert_int_equal(ramfs_rename(&fs, d, "f9", NULL, "/d/f0"), 0); /* f0 (read) replaced */
	while (ramfs_readdir(d, cookie, &de) == 1) {
		strcat(seen, " ");
		strcat(seen, de.name);
		cookie = de.next;
	}
	assert_string_equal(seen, " f3 f4 f5 f7 f8r n0 n1");
	assert_int_equal(ramfs_readdir(d, cookie, &de), 0);
	assert_int_equal(ramfs_readdir(d, cookie + 1000, &de), 0);
	assert_int_equal(ramfs_readdir(d, UINT64_MAX, &de), 0);
	/* A cookie whose entry went resumes at the next one (seekdir to an old position). */
	assert_int_equal(ramfs_readdir(d, f1_cookie, &de), 1);
	assert_string_equal(de.name, "f2");
	assert_string_equal(listing(d), ". .. sub f0 f2 f3 f4 f5 f7 f8r n0 n1");
	assert_int_equal(attr_of(d).size, 20 * 12);
	/* Not a directory. */
	assert_int_equal(ramfs_readdir(lookup(d, "f2"), 0, &de), -ENOTDIR);
}

static void test_times_and_attrs(void **state)
{
	struct ramfs_node *root = ramfs_root(&fs);
	struct ramfs_node *d;
	struct ramfs_node *f;
	struct ramfs_attr a;
	struct ramfs other;
	char buf[8];

	(void)state;
	clock_now = 100;
	d = mkdir_ok("d");
	a = attr_of(d);
	assert_int_equal(a.atime_ns, 100);
	assert_int_equal(a.mtime_ns, 100);
	assert_int_equal(a.ctime_ns, 100);
	assert_int_equal(attr_of(root).mtime_ns, 100);
	assert_int_equal(attr_of(root).ctime_ns, 100);

	clock_now = 200;
	assert_int_equal(ramfs_create(&fs, d, "f", 0644, &f), 0);
	assert_int_equal(attr_of(f).mtime_ns, 200);
	assert_int_equal(attr_of(d).mtime_ns, 200);
	assert_int_equal(attr_of(root).mtime_ns, 100);
	assert_true(attr_of(f).ino > attr_of(d).ino);

	clock_now = 300;
	assert_int_equal(ramfs_write(f, "abc", 3, 0), 3);
	a = attr_of(f);
	assert_int_equal(a.atime_ns, 200);
	assert_int_equal(a.mtime_ns, 300);
	assert_int_equal(a.ctime_ns, 300);
	assert_int_equal(attr_of(d).mtime_ns, 200); /* the directory did not change */

	clock_now = 400;
	assert_int_equal(ramfs_read(f, buf, sizeof(buf), 0), 3);
	a = attr_of(f);
	assert_int_equal(a.atime_ns, 400);
	assert_int_equal(a.mtime_ns, 300);

	clock_now = 500;
	ramfs_chmod(f, S_IFDIR | 0600);
	a = attr_of(f);
	assert_int_equal(a.mode, S_IFREG | 0600);
	assert_int_equal(a.ctime_ns, 500);
	assert_int_equal(a.mtime_ns, 300);
	ramfs_set_times(f, 11, 22);
	a = attr_of(f);
	assert_int_equal(a.atime_ns, 11);
	assert_int_equal(a.mtime_ns, 22);
	assert_int_equal(a.ctime_ns, 500);

	clock_now = 600;
	assert_int_equal(ramfs_readdir(d, 0, &(struct ramfs_dirent){0}), 1);
	assert_int_equal(attr_of(d).atime_ns, 600);
	assert_int_equal(ramfs_rename(&fs, d, "f", NULL, "g"), 0);
	assert_int_equal(attr_of(d).mtime_ns, 600);
	assert_int_equal(attr_of(root).mtime_ns, 600);
	assert_int_equal(attr_of(f).ctime_ns, 600);
	assert_int_equal(attr_of(f).mtime_ns, 22);

	clock_now = 700;
	assert_int_equal(ramfs_unlink(&fs, NULL, "g"), 0);
	assert_int_equal(attr_of(root).mtime_ns, 700);
	assert_int_equal(ramfs_rmdir(&fs, NULL, "d"), 0);
	assert_int_equal(attr_of(root).nlink, 2);

	/* Without a clock every time is 0. */
	assert_int_equal(ramfs_init(&other), 0);
	assert_int_equal(ramfs_mkdir(&other, NULL, "x", 0755, &d), 0);
	a = attr_of(d);
	assert_int_equal(a.atime_ns + a.mtime_ns + a.ctime_ns, 0);
	assert_int_equal(a.ino, 2);
	ramfs_destroy(&other);
}

static void test_unlink_while_open(void **state)
{
	struct ramfs_node *f;
	struct ramfs_node *f2;
	char buf[32];
	size_t nodes;

	(void)state;
	f = mkfile("f", "keep");
	ramfs_node_ref(f);
	nodes = fs.node_count;
	assert_int_equal(ramfs_unlink(&fs, NULL, "f"), 0);
	assert_int_equal(fs.node_count, nodes);
	assert_int_equal(lookup_err(NULL, "f"), -ENOENT);
	assert_int_equal(attr_of(f).nlink, 0);
	assert_int_equal(ramfs_getpath(f, buf, sizeof(buf)), -ENOENT);
	/* The open file still works. */
	assert_string_equal(content(f), "keep");
	assert_int_equal(ramfs_write(f, " going", 6, 4), 6);
	assert_string_equal(content(f), "keep going");
	assert_int_equal(ramfs_truncate(f, 4), 0);
	assert_string_equal(content(f), "keep");
	/* A new file of that name is another node. */
	f2 = mkfile("f", "new");
	assert_true(f2 != f);
	assert_true(attr_of(f2).ino != attr_of(f).ino);
	assert_string_equal(content(f), "keep");
	/* More references: freed at the last one. */
	ramfs_node_ref(f);
	ramfs_node_unref(f);
	assert_int_equal(fs.node_count, nodes + 1);
	ramfs_node_unref(f);
	assert_int_equal(fs.node_count, nodes);
	/* A node in the tree is not freed when its references go. */
	ramfs_node_ref(f2);
	ramfs_node_unref(f2);
	assert_string_equal(content(lookup(NULL, "f")), "new");
	assert_int_equal(fs.node_count, nodes);
}

static void test_removed_directory(void **state)
{
	struct ramfs_node *a;
	struct ramfs_node *b;
	struct ramfs_node *n = NULL;
	char buf[32];

	(void)state;
	a = mkdir_ok("a");
	b = mkdir_ok("a/b");
	mkfile("a/q", "");
	ramfs_node_ref(b); /* a working directory */
	assert_int_equal(ramfs_rmdir(&fs, NULL, "a/b"), 0);
	assert_int_equal(fs.node_count, 4);
	assert_int_equal(attr_of(b).nlink, 0);
	assert_int_equal(attr_of(a).nlink, 2);
	assert_ptr_equal(lookup(b, "."), b);
	assert_ptr_equal(lookup(b, "./"), b);
	assert_ptr_equal(lookup(b, ".."), a);
	assert_int_equal(lookup_err(b, "x"), -ENOENT);
	assert_int_equal(ramfs_create(&fs, b, "x", 0644, NULL), -ENOENT);
	assert_int_equal(ramfs_open(&fs, b, "x", O_CREAT | O_RDWR, 0644, &n), -ENOENT);
	assert_int_equal(ramfs_mkdir(&fs, b, "y", 0755, NULL), -ENOENT);
	assert_int_equal(ramfs_rename(&fs, NULL, "a/q", b, "q"), -ENOENT);
	assert_int_equal(ramfs_rename(&fs, b, "../q", b, "q"), -ENOENT);
	assert_int_equal(ramfs_readdir(b, 0, &(struct ramfs_dirent){0}), -ENOENT);
	assert_int_equal(ramfs_getpath(b, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(ramfs_rmdir(&fs, b, "."), -EINVAL);
	/* Its parent can go too; ".." still leads back up. */
	assert_int_equal(ramfs_unlink(&fs, NULL, "a/q"), 0);
	assert_int_equal(ramfs_rmdir(&fs, NULL, "a"), 0);
	assert_int_equal(fs.node_count, 3);
	assert_ptr_equal(lookup(b, ".."), a);
	assert_ptr_equal(lookup(b, "../.."), ramfs_root(&fs));
	assert_ptr_equal(lookup(b, "/"), ramfs_root(&fs));
	assert_int_equal(attr_of(ramfs_root(&fs)).nlink, 2);
	/* The last reference frees both. */
	ramfs_node_unref(b);
	assert_int_equal(fs.node_count, 1);
}

/* chroot: "/" and ".." of the top directory stop there; a base outside still reaches out. */
static void test_set_top(void **state)
{
	struct ramfs_node *jail, *f, *outside, *n;

	(void)state;
	jail = mkdir_ok("jail");
	mkdir_ok("jail/in");
	f = mkfile("jail/in/f", "x");
	outside = mkfile("out", "y");
	ramfs_set_top(&fs, jail);
	assert_ptr_equal(lookup(NULL, "/in/f"), f);
	assert_ptr_equal(lookup(NULL, "/../../in/f"), f);
	assert_ptr_equal(lookup(NULL, "/"), jail);
	assert_int_equal(ramfs_lookup(&fs, NULL, "/out", &n), -ENOENT);
	assert_int_equal(ramfs_lookup(&fs, NULL, "/jail", &n), -ENOENT);
	/* A base outside the top (a working directory kept across chroot). */
	assert_ptr_equal(lookup(ramfs_root(&fs), "out"), outside);
	assert_int_equal(ramfs_rmdir(&fs, NULL, "/"), -EBUSY);
	ramfs_set_top(&fs, ramfs_root(&fs));
	assert_ptr_equal(lookup(NULL, "/out"), outside);
	assert_null(fs.top);
}

static void test_getpath(void **state)
{
	struct ramfs_node *c;
	struct ramfs_node *f;
	char buf[32];

	(void)state;
	mkdir_ok("a");
	mkdir_ok("a/bb");
	c = mkdir_ok("a/bb/ccc");
	f = mkfile("a/bb/ccc/f", "");
	assert_int_equal(ramfs_getpath(c, buf, sizeof(buf)), 9);
	assert_string_equal(buf, "/a/bb/ccc");
	assert_int_equal(ramfs_getpath(c, buf, 10), 9);
	assert_string_equal(buf, "/a/bb/ccc");
	memset(buf, 'Q', sizeof(buf));
	assert_int_equal(ramfs_getpath(c, buf, 9), -ERANGE);
	assert_int_equal(buf[0], 'Q'); /* nothing written */
	assert_int_equal(ramfs_getpath(c, buf, 0), -ERANGE);
	assert_int_equal(ramfs_getpath(f, buf, sizeof(buf)), 11);
	assert_string_equal(buf, "/a/bb/ccc/f");
}

/* Run @op with every allocation failing in turn: each -ENOMEM must leave the tree as it
 * was; the loop ends when @op succeeds. Returns how many failures were seen. */
static int each_alloc_fails(int (*op)(void))
{
	char *before = strdup(tree());
	size_t nodes = fs.node_count;
	int failures = 0;

	for (long n = 0;; n++) {
		int err;

		if (!alloc_fails(n)) {
			free(before);
			return -1;
		}
		err = op();
		fail_countdown = -1;
		if (err != -ENOMEM) {
			assert_int_equal(err, 0);
			break;
		}
		failures++;
		assert_string_equal(tree(), before);
		assert_int_equal(fs.node_count, nodes);
	}
	free(before);
	return failures;
}

static int op_create(void)
{
	return ramfs_create(&fs, NULL, "d/newfile", 0644, NULL);
}

static int op_mkdir(void)
{
	return ramfs_mkdir(&fs, NULL, "d/newdir", 0755, NULL);
}

static int op_open_creat(void)
{
	struct ramfs_node *n;

	return ramfs_open(&fs, NULL, "e/opened", O_CREAT | O_RDWR, 0644, &n);
}

static int op_rename_other_dir(void)
{
	return ramfs_rename(&fs, NULL, "d/f", NULL, "e/moved");
}

static int op_rename_same_dir(void)
{
	return ramfs_rename(&fs, NULL, "e/moved", NULL, "e/renamed");
}

static int op_write(void)
{
	struct ramfs_node *f = lookup(NULL, "e/renamed");
	ssize_t n = ramfs_write(f, "0123456789", 10, 100);

	return n < 0 ? (int)n : 0;
}

static int op_truncate(void)
{
	return ramfs_truncate(lookup(NULL, "e/renamed"), 5000);
}

/* ramfs_init with each allocation failing in turn; how many failures it took. */
static int each_init_fails(struct ramfs *other)
{
	for (int n = 0;; n++) {
		int err;

		assert_true(alloc_fails(n));
		err = ramfs_init(other);
		fail_countdown = -1;
		if (err == 0) {
			ramfs_destroy(other);
			return n;
		}
		assert_int_equal(err, -ENOMEM);
		assert_int_equal(other->node_count, 0);
		assert_null(other->nodes);
	}
}

static void test_out_of_memory(void **state)
{
	struct ramfs other;
	int failures;

	(void)state;
	mkdir_ok("d");
	mkdir_ok("e");
	mkfile("d/f", "content");
	/* Fill e's entry array to its first capacity so that one more entry needs more. */
	for (int i = 0; i < 7; i++) {
		char name[16];

		snprintf(name, sizeof(name), "e/x%d", i);
		mkfile(name, "");
	}
	failures = each_alloc_fails(op_create);
	if (failures < 0)
		skip(); /* the malloc wrappers are not in use (valgrind without the option) */
	assert_true(failures >= 2);
	assert_true(each_alloc_fails(op_mkdir) >= 2);
	assert_true(each_alloc_fails(op_open_creat) >= 2);
	assert_true(each_alloc_fails(op_rename_other_dir) >= 2);
	assert_true(each_alloc_fails(op_rename_same_dir) >= 1);
	assert_true(each_alloc_fails(op_write) >= 1);
	assert_true(each_alloc_fails(op_truncate) >= 1);
	assert_string_equal(content(lookup(NULL, "e/renamed")), "content");
	assert_int_equal(attr_of(lookup(NULL, "e/renamed")).size, 5000);
	/* ramfs_init itself. */
	assert_true(each_init_fails(&other) == 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_root, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_path_walk, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_socket_node, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_device_node, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mkdir, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unlink, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rmdir, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rename_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rename_moves, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_write, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_big_file_odd_pieces, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_truncate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_readdir_stability, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_times_and_attrs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unlink_while_open, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_removed_directory, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_getpath, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_set_top, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
