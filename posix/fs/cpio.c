/* cpio.c - newc cpio archives: a validating iterator and unpacking into a ramfs. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "kernel/hexdigit.h"
#include "posix/fs/cpio.h"
#include "posix/fs/ramfs.h"

#define CPIO_FIELD_COUNT  13
#define CPIO_FIELD_DIGITS 8
#define CPIO_MAGIC_BYTES  6
#define CPIO_TRAILER      "TRAILER!!!"

/* Field indexes, in header order after the magic. */
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
};

static const char *const field_errors[CPIO_FIELD_COUNT] = {
    "non-hex digit in the inode field",     "non-hex digit in the mode field",
    "non-hex digit in the uid field",       "non-hex digit in the gid field",
    "non-hex digit in the nlink field",     "non-hex digit in the mtime field",
    "non-hex digit in the filesize field",  "non-hex digit in the devmajor field",
    "non-hex digit in the devminor field",  "non-hex digit in the rdevmajor field",
    "non-hex digit in the rdevminor field", "non-hex digit in the namesize field",
    "non-hex digit in the check field",
};

/* File types in the mode field: the traditional Unix values (POSIX's <cpio.h>), spelled
 * out so that they do not depend on the C library's S_IF* values. */
#define CPIO_TYPE_MASK 0170000u
#define CPIO_TYPE_DIR  0040000u
#define CPIO_TYPE_REG  0100000u
#define CPIO_PERMS     07777u

#define CPIO_PARENT_MODE 0755
#define NS_PER_S         1000000000ll

/* Offset of field @i from the start of a header. */
static size_t field_offset(int i)
{
	return CPIO_MAGIC_BYTES + (size_t)i * CPIO_FIELD_DIGITS;
}

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

/* Record an error at byte @offset and return it. */
static int fail(struct cpio_iter *it, size_t offset, const char *what)
{
	it->state = -EINVAL;
	it->err_offset = offset;
	it->err_what = what;
	return -EINVAL;
}

void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t len)
{
	it->buf = buf;
	it->len = len;
	it->pos = 0;
	it->state = 0;
	it->err_offset = 0;
	it->err_what = NULL;
}

/* Parse the thirteen fields of the header at @pos into @f. */
static int parse_fields(struct cpio_iter *it, size_t pos, uint32_t f[CPIO_FIELD_COUNT])
{
	for (int i = 0; i < CPIO_FIELD_COUNT; i++) {
		const unsigned char *p = it->buf + pos + field_offset(i);
		uint32_t v = 0;

		for (int j = 0; j < CPIO_FIELD_DIGITS; j++) {
			int d = hex_digit_value(p[j]);

			if (d < 0)
				return fail(it, pos + field_offset(i) + (size_t)j, field_errors[i]);
			v = v << 4 | (uint32_t)d;
		}
		f[i] = v;
	}
	return 0;
}

/* Check the name of the entry whose header is at @pos, @namesize bytes with its NUL. */
static int check_name(struct cpio_iter *it, size_t pos, uint32_t namesize)
{
	size_t name_off = pos + CPIO_HEADER_BYTES;
	const unsigned char *name = it->buf + name_off;
	const unsigned char *nul;

	if (namesize == 0)
		return fail(it, pos + field_offset(F_NAMESIZE),
		            "name size is 0 (no room for a NUL)");
	if (namesize > it->len - name_off)
		return fail(it, pos + field_offset(F_NAMESIZE), "name runs past the end");
	nul = memchr(name, '\0', namesize);
	if (!nul)
		return fail(it, name_off + namesize - 1, "name is not NUL-terminated");
	if ((size_t)(nul - name) != namesize - 1)
		return fail(it, name_off + (size_t)(nul - name), "name has a NUL before its end");
	return 0;
}

/* The sum of the data bytes, "070702"'s checksum. */
static uint32_t data_sum(const unsigned char *data, size_t size)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < size; i++)
		sum += data[i];
	return sum;
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *e)
{
	uint32_t f[CPIO_FIELD_COUNT];
	size_t pos = it->pos;
	size_t name_off;
	size_t data_off;
	const unsigned char *hdr;
	bool crc;
	int err;

	if (it->state < 0)
		return it->state;
	if (it->state > 0)
		return 0;
	if (pos >= it->len)
		return fail(it, it->len, "the archive ends without a TRAILER!!! entry");
	if (it->len - pos < CPIO_HEADER_BYTES)
		return fail(it, pos, "truncated header");
	hdr = it->buf + pos;
	if (memcmp(hdr, "070701", CPIO_MAGIC_BYTES) == 0)
		crc = false;
	else if (memcmp(hdr, "070702", CPIO_MAGIC_BYTES) == 0)
		crc = true;
	else
		return fail(it, pos, "bad magic (not a newc cpio header)");
	err = parse_fields(it, pos, f);
	if (err)
		return err;
	err = check_name(it, pos, f[F_NAMESIZE]);
	if (err)
		return err;
	name_off = pos + CPIO_HEADER_BYTES;
	if (f[F_NAMESIZE] == sizeof(CPIO_TRAILER) &&
	    memcmp(it->buf + name_off, CPIO_TRAILER, sizeof(CPIO_TRAILER)) == 0) {
		it->state = 1;
		return 0;
	}
	data_off = align4(name_off + f[F_NAMESIZE]);
	if (f[F_FILESIZE] > 0 && (data_off > it->len || f[F_FILESIZE] > it->len - data_off))
		return fail(it, pos + field_offset(F_FILESIZE), "data runs past the end");
	if (data_off > it->len)
		data_off = it->len;
	if (crc && data_sum(it->buf + data_off, f[F_FILESIZE]) != f[F_CHECK])
		return fail(it, pos + field_offset(F_CHECK), "checksum does not match the data");

	e->name = (const char *)it->buf + name_off;
	e->namelen = f[F_NAMESIZE] - 1;
	e->ino = f[F_INO];
	e->mode = f[F_MODE];
	e->uid = f[F_UID];
	e->gid = f[F_GID];
	e->nlink = f[F_NLINK];
	e->mtime = f[F_MTIME];
	e->size = f[F_FILESIZE];
	e->devmajor = f[F_DEVMAJOR];
	e->devminor = f[F_DEVMINOR];
	e->rdevmajor = f[F_RDEVMAJOR];
	e->rdevminor = f[F_RDEVMINOR];
	e->check = f[F_CHECK];
	e->data = it->buf + data_off;
	e->offset = pos;
	it->pos = align4(data_off + f[F_FILESIZE]);
	return 1;
}

static bool entry_is(const struct cpio_entry *e, uint32_t type)
{
	return (e->mode & CPIO_TYPE_MASK) == type;
}

/* The ramfs path of an archive name: relative to the root, "." for the root itself. */
static const char *entry_path(const struct cpio_entry *e)
{
	const char *p = e->name;

	while (*p == '/')
		p++;
	return *p ? p : ".";
}

/* Make every missing directory above @path (mode 0755); existing ones are fine. */
static int make_parents(struct ramfs *fs, const char *path)
{
	size_t len = strlen(path);
	char *copy = malloc(len + 1);
	int err = 0;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, path, len + 1);
	for (size_t i = 1; i < len && !err; i++) {
		if (copy[i] != '/' || copy[i - 1] == '/')
			continue;
		copy[i] = '\0';
		err = ramfs_mkdir(fs, NULL, copy, CPIO_PARENT_MODE, NULL);
		if (err == -EEXIST)
			err = 0;
		copy[i] = '/';
	}
	free(copy);
	return err;
}

/* newc stores the data of a hard-linked file once, with one of its links (GNU cpio: the
 * last). For a link entry without data, the data of the entry that has it. */
static void link_data(const void *buf, size_t len, const struct cpio_entry *e, const void **data,
                      uint32_t *size)
{
	struct cpio_iter it;
	struct cpio_entry o;

	*data = e->data;
	*size = e->size;
	if (e->nlink < 2 || e->size > 0)
		return;
	cpio_iter_init(&it, buf, len);
	while (cpio_next(&it, &o) > 0) {
		if (entry_is(&o, CPIO_TYPE_REG) && o.nlink > 1 && o.size > 0 && o.ino == e->ino &&
		    o.devmajor == e->devmajor && o.devminor == e->devminor) {
			*data = o.data;
			*size = o.size;
			return;
		}
	}
}

/* Fill regular file @node with @size bytes of @data: the size is set first (which is
 * all that can fail), so a failure leaves the file as it was. */
static int fill_file(struct ramfs_node *node, const void *data, uint32_t size)
{
	ssize_t n;
	int err = ramfs_truncate(node, size);

	if (err)
		return err;
	n = ramfs_write(node, data, size, 0);
	return n < 0 ? (int)n : 0;
}

/* Make the node of directory or regular-file entry @e at @path. */
static int unpack_one(struct ramfs *fs, const void *buf, size_t len, const struct cpio_entry *e,
                      const char *path)
{
	bool want_dir = entry_is(e, CPIO_TYPE_DIR);
	mode_t perms = e->mode & CPIO_PERMS;
	struct ramfs_node *node;
	const void *data;
	uint32_t size;
	bool created = false;
	int err;

	err = make_parents(fs, path);
	if (err)
		return err;
	err = ramfs_lookup(fs, NULL, path, &node);
	if (err == 0 && ramfs_is_dir(node) != want_dir) {
		err =
		    ramfs_is_dir(node) ? ramfs_rmdir(fs, NULL, path) : ramfs_unlink(fs, NULL, path);
		if (err)
			return err;
		err = -ENOENT;
	}
	if (err == -ENOENT) {
		err = want_dir ? ramfs_mkdir(fs, NULL, path, perms, &node)
		               : ramfs_create(fs, NULL, path, perms, &node);
		created = true;
	}
	if (err)
		return err;
	if (!created)
		ramfs_chmod(node, perms);
	if (want_dir)
		return 0;
	link_data(buf, len, e, &data, &size);
	err = fill_file(node, data, size);
	if (err) {
		if (created)
			ramfs_unlink(fs, NULL, path);
		return err;
	}
	ramfs_set_times(node, (int64_t)e->mtime * NS_PER_S, (int64_t)e->mtime * NS_PER_S);
	return 0;
}

int cpio_unpack_into_ramfs(const void *buf, size_t len, struct ramfs *fs,
                           struct cpio_unpack_report *rep)
{
	struct cpio_unpack_report local;
	struct cpio_entry e;
	struct cpio_iter it;
	int ret;

	if (!rep)
		rep = &local;
	memset(rep, 0, sizeof(*rep));

	/* The whole archive is checked before anything is made. */
	cpio_iter_init(&it, buf, len);
	while ((ret = cpio_next(&it, &e)) > 0)
		;
	if (ret < 0) {
		rep->err_offset = it.err_offset;
		rep->err_what = it.err_what;
		return ret;
	}

	cpio_iter_init(&it, buf, len);
	while (cpio_next(&it, &e) > 0) {
		if (!entry_is(&e, CPIO_TYPE_DIR) && !entry_is(&e, CPIO_TYPE_REG)) {
			rep->skipped++;
			continue;
		}
		ret = unpack_one(fs, buf, len, &e, entry_path(&e));
		if (ret) {
			rep->failed_name = e.name;
			rep->err_offset = e.offset;
			return ret;
		}
		if (entry_is(&e, CPIO_TYPE_DIR))
			rep->dirs++;
		else
			rep->files++;
	}

	/* Directory mtimes last: making their entries changed them. */
	cpio_iter_init(&it, buf, len);
	while (cpio_next(&it, &e) > 0) {
		struct ramfs_node *node;

		if (entry_is(&e, CPIO_TYPE_DIR) &&
		    ramfs_lookup(fs, NULL, entry_path(&e), &node) == 0 && ramfs_is_dir(node))
			ramfs_set_times(node, (int64_t)e.mtime * NS_PER_S,
			                (int64_t)e.mtime * NS_PER_S);
	}
	return 0;
}
