/* test_ramfs_store.c - host unit tests for the RAM filesystem over a backing store
 * (posix/fs/ramfs_store.h): a fake store holding a small tree of objects in a table; the
 * tests check that a directory is loaded once and only when needed, that every change is
 * made in the store first, that a store error leaves the tree as it was, and the mount
 * rules (EROFS, EXDEV, EBUSY). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "posix/fs/ramfs.h"
#include "posix/fs/ramfs_store.h"

#define MAX_OBJECTS 32

/* The store's objects: id = index + 2 (2 is its root); parent 0 marks a free slot. */
static struct object {
	uint64_t parent;
	char name[32];
	mode_t mode;
	char data[256];
	size_t size;
	char target[64];
} objects[MAX_OBJECTS];

static struct {
	int loads, creates, removes, renames, setattrs, syncs, forgets;
	int fail_next; /* the next operation's error (0: none) */
} calls;

static struct ramfs fs;
static struct ramfs_store store;

static struct object *object_of(uint64_t id)
{
	return id >= 2 && id < MAX_OBJECTS + 2 ? &objects[id - 2] : NULL;
}

static int take_failure(void)
{
	int err = calls.fail_next;
	calls.fail_next = 0;
	return err;
}

static void attr_of_object(uint64_t id, struct ramfs_store_attr *a)
{
	struct object *o = object_of(id);
	memset(a, 0, sizeof(*a));
	a->id = id;
	a->mode = o->mode;
	a->nlink = S_ISDIR(o->mode) ? 2 : 1;
	a->size = S_ISLNK(o->mode) ? strlen(o->target) : o->size;
	a->mtime_ns = 1000;
}

static int fake_load_dir(struct ramfs_store *st, struct ramfs_node *dir)
{
	(void)st;
	calls.loads++;
	int err = take_failure();
	if (err)
		return err;
	for (uint64_t id = 3; id < MAX_OBJECTS + 2; id++) {
		struct object *o = object_of(id);
		if (o->parent != ramfs_store_id(dir))
			continue;
		struct ramfs_store_attr a;
		attr_of_object(id, &a);
		err = ramfs_store_add(dir, o->name, strlen(o->name), &a, o->target,
		                      strlen(o->target));
		if (err)
			return err;
	}
	return 0;
}

static uint64_t add_object(uint64_t parent, const char *name, mode_t mode, const char *target)
{
	for (uint64_t id = 3; id < MAX_OBJECTS + 2; id++) {
		struct object *o = object_of(id);
		if (o->parent)
			continue;
		memset(o, 0, sizeof(*o));
		o->parent = parent;
		snprintf(o->name, sizeof(o->name), "%s", name);
		o->mode = mode;
		if (target)
			snprintf(o->target, sizeof(o->target), "%s", target);
		return id;
	}
	return 0;
}

static int fake_create(struct ramfs_store *st, struct ramfs_node *dir, const char *name, size_t len,
                       mode_t mode, uint32_t rdev, const char *target, uint32_t uid, uint32_t gid,
                       int64_t t, struct ramfs_store_attr *out)
{
	(void)st, (void)rdev, (void)uid, (void)gid, (void)t;
	calls.creates++;
	int err = take_failure();
	if (err)
		return err;
	char n[32];
	snprintf(n, sizeof(n), "%.*s", (int)len, name);
	uint64_t id = add_object(ramfs_store_id(dir), n, mode, target);
	if (!id)
		return -ENOSPC;
	attr_of_object(id, out);
	return 0;
}

static int fake_remove(struct ramfs_store *st, struct ramfs_node *dir, struct ramfs_node *node)
{
	(void)st, (void)dir;
	calls.removes++;
	int err = take_failure();
	if (!err)
		object_of(ramfs_store_id(node))->parent = 0;
	return err;
}

static int fake_rename(struct ramfs_store *st, struct ramfs_node *olddir, struct ramfs_node *node,
                       struct ramfs_node *newdir, const char *name, size_t len,
                       struct ramfs_node *target)
{
	(void)st, (void)olddir;
	calls.renames++;
	int err = take_failure();
	if (err)
		return err;
	if (target)
		object_of(ramfs_store_id(target))->parent = 0;
	struct object *o = object_of(ramfs_store_id(node));
	o->parent = ramfs_store_id(newdir);
	snprintf(o->name, sizeof(o->name), "%.*s", (int)len, name);
	return 0;
}

static ssize_t fake_read(struct ramfs_store *st, struct ramfs_node *node, void *buf, size_t len,
                         off_t off)
{
	(void)st;
	struct object *o = object_of(ramfs_store_id(node));
	if ((size_t)off >= o->size)
		return 0;
	size_t n = o->size - (size_t)off < len ? o->size - (size_t)off : len;
	memcpy(buf, o->data + off, n);
	return (ssize_t)n;
}

static ssize_t fake_write(struct ramfs_store *st, struct ramfs_node *node, const void *buf,
                          size_t len, off_t off, uint64_t *size)
{
	(void)st;
	int err = take_failure();
	if (err)
		return err;
	struct object *o = object_of(ramfs_store_id(node));
	if ((size_t)off + len > sizeof(o->data))
		return -ENOSPC;
	memcpy(o->data + off, buf, len);
	if ((size_t)off + len > o->size)
		o->size = (size_t)off + len;
	*size = o->size;
	return (ssize_t)len;
}

static int fake_truncate(struct ramfs_store *st, struct ramfs_node *node, off_t size)
{
	(void)st;
	int err = take_failure();
	if (!err)
		object_of(ramfs_store_id(node))->size = (size_t)size;
	return err;
}

static int fake_setattr(struct ramfs_store *st, struct ramfs_node *node)
{
	(void)st;
	calls.setattrs++;
	int err = take_failure();
	if (!err) {
		struct ramfs_attr a;
		ramfs_getattr(node, &a);
		object_of(ramfs_store_id(node))->mode = a.mode;
	}
	return err;
}

static int fake_sync(struct ramfs_store *st, struct ramfs_node *node, bool data_only)
{
	(void)st, (void)node, (void)data_only;
	calls.syncs++;
	return take_failure();
}

static void fake_forget(struct ramfs_store *st, struct ramfs_node *node)
{
	(void)st, (void)node;
	calls.forgets++;
}

static const struct ramfs_store_ops fake_ops = {
    .load_dir = fake_load_dir,
    .create = fake_create,
    .remove = fake_remove,
    .rename = fake_rename,
    .read = fake_read,
    .write = fake_write,
    .truncate = fake_truncate,
    .setattr = fake_setattr,
    .sync = fake_sync,
    .forget = fake_forget,
};

/* A RAM tree with /tmp and /data, and the store mounted on /data holding
 * /data/etc/hosts ("127.0.0.1"), /data/link -> etc/hosts and /data/empty/. */
static int setup(void **state)
{
	(void)state;
	memset(objects, 0, sizeof(objects));
	memset(&calls, 0, sizeof(calls));
	objects[0].parent = 1; /* the root, id 2 */
	objects[0].mode = S_IFDIR | 0755;
	uint64_t etc = add_object(2, "etc", S_IFDIR | 0755, NULL);
	uint64_t hosts = add_object(etc, "hosts", S_IFREG | 0644, NULL);
	strcpy(object_of(hosts)->data, "127.0.0.1");
	object_of(hosts)->size = 9;
	add_object(2, "link", S_IFLNK | 0777, "etc/hosts");
	add_object(2, "empty", S_IFDIR | 0700, NULL);
	assert_int_equal(ramfs_init(&fs), 0);
	assert_int_equal(ramfs_mkdir(&fs, NULL, "/tmp", 01777, NULL), 0);
	struct ramfs_node *data;
	assert_int_equal(ramfs_mkdir(&fs, NULL, "/data", 0755, &data), 0);
	store = (struct ramfs_store){.ops = &fake_ops, .dev = 0x801};
	struct ramfs_store_attr root;
	attr_of_object(2, &root);
	assert_int_equal(ramfs_mount(&fs, data, &store, &root), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ramfs_destroy(&fs);
	return 0;
}

static void test_lazy_load(void **state)
{
	struct ramfs_node *node;
	struct ramfs_attr a;
	char buf[32];

	(void)state;
	assert_int_equal(calls.loads, 0); /* mounting reads nothing */
	assert_int_equal(ramfs_lookup(&fs, NULL, "/data", &node), 0);
	assert_int_equal(calls.loads, 0); /* nor does reaching the mount point */
	ramfs_getattr(node, &a);
	assert_int_equal(a.ino, 2);
	assert_int_equal(a.dev, 0x801);
	assert_int_equal(ramfs_lookup(&fs, NULL, "/data/etc/hosts", &node), 0);
	assert_int_equal(calls.loads, 2); /* /data and /data/etc, once each */
	assert_int_equal(ramfs_read(node, buf, sizeof(buf), 0), 9);
	assert_memory_equal(buf, "127.0.0.1", 9);
	assert_int_equal(ramfs_lookup(&fs, NULL, "/data/link", &node), 0); /* followed */
	ramfs_getattr(node, &a);
	assert_int_equal(a.size, 9);
	assert_int_equal(calls.loads, 2);
	assert_int_equal(ramfs_lookup(&fs, NULL, "/data/missing", &node), -ENOENT);
	/* A load that fails leaves nothing behind and is tried again. */
	calls.fail_next = -EIO;
	assert_int_equal(ramfs_lookup(&fs, NULL, "/data/empty/x", &node), -EIO);
	assert_int_equal(ramfs_lookup(&fs, NULL, "/data/empty/x", &node), -ENOENT);
	assert_int_equal(calls.loads, 4);
}

static void test_changes_go_to_the_store(void **state)
{
	struct ramfs_node *node, *dir;
	char buf[32];

	(void)state;
	assert_int_equal(ramfs_create(&fs, NULL, "/data/new", 0600, &node), 0);
	assert_int_equal(calls.creates, 1);
	assert_int_equal(ramfs_write(node, "abc", 3, 0), 3);
	assert_int_equal(object_of(ramfs_store_id(node))->size, 3);
	assert_int_equal(ramfs_mkdir(&fs, NULL, "/data/d", 0700, &dir), 0);
	assert_int_equal(ramfs_rename(&fs, NULL, "/data/new", NULL, "/data/d/moved"), 0);
	assert_int_equal(calls.renames, 1);
	struct object *o = object_of(ramfs_store_id(node));
	assert_string_equal(o->name, "moved");
	assert_int_equal(o->parent, ramfs_store_id(dir));
	/* Over an existing file: the store is told which one goes. */
	struct ramfs_node *victim;
	assert_int_equal(ramfs_create(&fs, NULL, "/data/d/victim", 0600, &victim), 0);
	uint64_t victim_id = ramfs_store_id(victim);
	assert_int_equal(ramfs_rename(&fs, NULL, "/data/d/moved", NULL, "/data/d/victim"), 0);
	assert_int_equal(object_of(victim_id)->parent, 0);
	assert_int_equal(ramfs_unlink(&fs, NULL, "/data/d/victim"), 0);
	assert_int_equal(calls.removes, 1);
	assert_int_equal(ramfs_rmdir(&fs, NULL, "/data/d"), 0);
	assert_int_equal(calls.removes, 2);
	assert_true(calls.forgets >= 2);
	/* The store's objects are what the tree shows after a reload (a reboot). */
	ramfs_destroy(&fs);
	setup(NULL);
	memset(&calls, 0, sizeof(calls));
	assert_int_equal(ramfs_lookup(&fs, NULL, "/data/d", &node), -ENOENT);
	assert_int_equal(ramfs_lookup(&fs, NULL, "/data/etc/hosts", &node), 0);
	assert_int_equal(ramfs_read(node, buf, sizeof(buf), 0), 9);
}

static void test_store_errors_change_nothing(void **state)
{
	struct ramfs_node *node;

	(void)state;
	calls.fail_next = -ENOSPC;
	assert_int_equal(ramfs_create(&fs, NULL, "/data/full", 0600, &node), -ENOSPC);
	assert_int_equal(ramfs_lookup(&fs, NULL, "/data/full", &node), -ENOENT);
	calls.fail_next = -EIO;
	assert_int_equal(ramfs_unlink(&fs, NULL, "/data/etc/hosts"), -EIO);
	assert_int_equal(ramfs_lookup(&fs, NULL, "/data/etc/hosts", &node), 0);
	calls.fail_next = -EIO;
	assert_int_equal(ramfs_rename(&fs, NULL, "/data/etc/hosts", NULL, "/data/h"), -EIO);
	assert_int_equal(ramfs_lookup(&fs, NULL, "/data/etc/hosts", &node), 0);
	assert_int_equal(ramfs_lookup(&fs, NULL, "/data/h", &node), -ENOENT);
	calls.fail_next = -EIO;
	assert_int_equal(ramfs_chmod(node, 0600), -EIO);
	struct ramfs_attr a;
	assert_int_equal(ramfs_lookup(&fs, NULL, "/data/etc/hosts", &node), 0);
	ramfs_getattr(node, &a);
	assert_int_equal(a.mode, S_IFREG | 0644);
	assert_int_equal(ramfs_chmod(node, 0600), 0);
	assert_int_equal(object_of(ramfs_store_id(node))->mode, S_IFREG | 0600);
	calls.fail_next = -ENOSPC;
	assert_int_equal(ramfs_write(node, "x", 1, 9), -ENOSPC);
	ramfs_getattr(node, &a);
	assert_int_equal(a.size, 9);
	calls.fail_next = -EIO;
	assert_int_equal(ramfs_sync(node, false), -EIO);
	assert_int_equal(calls.syncs, 1);
}

static void test_mount_rules(void **state)
{
	struct ramfs_node *node, *tmp;

	(void)state;
	/* Across file systems, the mount point itself. */
	assert_int_equal(ramfs_create(&fs, NULL, "/tmp/f", 0600, NULL), 0);
	assert_int_equal(ramfs_rename(&fs, NULL, "/tmp/f", NULL, "/data/f"), -EXDEV);
	assert_int_equal(ramfs_rename(&fs, NULL, "/data/etc/hosts", NULL, "/tmp/hosts"), -EXDEV);
	assert_int_equal(ramfs_rmdir(&fs, NULL, "/data"), -EBUSY);
	assert_int_equal(ramfs_rename(&fs, NULL, "/data", NULL, "/moved"), -EBUSY);
	assert_int_equal(ramfs_lookup(&fs, NULL, "/tmp", &tmp), 0);
	struct ramfs_store_attr root;
	attr_of_object(2, &root);
	assert_int_equal(ramfs_mount(&fs, tmp, &store, &root), -ENOTEMPTY);
	assert_int_equal(ramfs_lookup(&fs, NULL, "/data", &node), 0);
	assert_int_equal(ramfs_mount(&fs, node, &store, &root), -EBUSY);
	/* rmdir of a directory with entries the tree has not loaded yet. */
	assert_int_equal(ramfs_rmdir(&fs, NULL, "/data/etc"), -ENOTEMPTY);
	/* Read-only: every change is -EROFS, and the store is not asked. */
	store.read_only = true;
	memset(&calls, 0, sizeof(calls));
	assert_int_equal(ramfs_create(&fs, NULL, "/data/x", 0600, NULL), -EROFS);
	assert_int_equal(ramfs_mkdir(&fs, NULL, "/data/x", 0700, NULL), -EROFS);
	assert_int_equal(ramfs_unlink(&fs, NULL, "/data/link"), -EROFS);
	assert_int_equal(ramfs_rmdir(&fs, NULL, "/data/empty"), -EROFS);
	assert_int_equal(ramfs_rename(&fs, NULL, "/data/link", NULL, "/data/l2"), -EROFS);
	assert_int_equal(ramfs_open(&fs, NULL, "/data/etc/hosts", O_RDWR, 0, &node), -EROFS);
	assert_int_equal(ramfs_open(&fs, NULL, "/data/etc/hosts", O_RDONLY, 0, &node), 0);
	assert_int_equal(ramfs_truncate(node, 0), -EROFS);
	assert_int_equal(ramfs_chmod(node, 0), -EROFS);
	assert_int_equal(calls.creates + calls.removes + calls.renames + calls.setattrs, 0);
	store.read_only = false;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_lazy_load, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_changes_go_to_the_store, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_errors_change_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mount_rules, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
