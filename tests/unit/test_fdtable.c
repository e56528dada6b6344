/* test_fdtable.c - host unit tests for posix/fd/fdtable.c (vfiles and descriptor table). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cmocka.h>

#include "posix/fd/fdtable.h"

/* Allocation failures on demand (see fail_alloc.h). Under valgrind the wrappers are
 * bypassed unless it runs with --soname-synonyms=somalloc=nouserintercepts; alloc_fails()
 * then says so and the out-of-memory checks are left out. */
#include "tests/unit/fail_alloc.h"

/* A positional object: a byte array with a size, counting what is done to it. */
struct memobj {
	char data[256];
	off_t size;
	int releases;
	int release_result;
	size_t last_len; /* length the last pread/pwrite was asked for */
	off_t last_off;
	int pwrites;
};

static ssize_t mem_pread(struct vfile *f, void *buf, size_t len, off_t off)
{
	struct memobj *m = f->priv;

	m->last_len = len;
	m->last_off = off;
	if (off >= m->size)
		return 0;
	if ((off_t)len > m->size - off)
		len = (size_t)(m->size - off);
	memcpy(buf, m->data + off, len);
	return (ssize_t)len;
}

static ssize_t mem_pwrite(struct vfile *f, const void *buf, size_t len, off_t off)
{
	struct memobj *m = f->priv;

	m->last_len = len;
	m->last_off = off;
	m->pwrites++;
	if (off >= (off_t)sizeof(m->data))
		return -EFBIG;
	if (len > sizeof(m->data) - (size_t)off)
		len = sizeof(m->data) - (size_t)off;
	memcpy(m->data + off, buf, len);
	if (off + (off_t)len > m->size)
		m->size = off + (off_t)len;
	return (ssize_t)len;
}

static int mem_getattr(struct vfile *f, struct stat *st)
{
	struct memobj *m = f->priv;

	st->st_size = m->size;
	st->st_mode = S_IFREG | 0644;
	return 0;
}

static int mem_release(struct vfile *f)
{
	struct memobj *m = f->priv;

	m->releases++;
	return m->release_result;
}

static int mem_ioctl(struct vfile *f, unsigned long request, void *arg)
{
	(void)f;
	if (request == 42) {
		*(int *)arg = 4242;
		return 0;
	}
	return -ENOTTY;
}

static const struct vfile_ops mem_ops = {
    .pread = mem_pread,
    .pwrite = mem_pwrite,
    .getattr = mem_getattr,
    .ioctl = mem_ioctl,
    .release = mem_release,
};

/* The same without getattr: no size to append to or seek from. */
static const struct vfile_ops mem_noattr_ops = {
    .pread = mem_pread,
    .pwrite = mem_pwrite,
    .release = mem_release,
};

/* A stream object (pipe-like): bytes written come back out of read. */
struct pipeobj {
	char buf[64];
	size_t len;
	int releases;
};

static ssize_t pipe_read(struct vfile *f, void *buf, size_t len)
{
	struct pipeobj *p = f->priv;

	if (len > p->len)
		len = p->len;
	memcpy(buf, p->buf, len);
	memmove(p->buf, p->buf + len, p->len - len);
	p->len -= len;
	return (ssize_t)len;
}

static ssize_t pipe_write(struct vfile *f, const void *buf, size_t len)
{
	struct pipeobj *p = f->priv;

	if (len > sizeof(p->buf) - p->len)
		len = sizeof(p->buf) - p->len;
	memcpy(p->buf + p->len, buf, len);
	p->len += len;
	return (ssize_t)len;
}

static int pipe_release(struct vfile *f)
{
	struct pipeobj *p = f->priv;

	p->releases++;
	return 0;
}

static const struct vfile_ops pipe_ops = {
    .read = pipe_read,
    .write = pipe_write,
    .release = pipe_release,
};

/* An object with a custom lseek (like a directory) that refuses SEEK_END. */
static off_t dir_lseek(struct vfile *f, off_t off, int whence)
{
	if (whence == SEEK_END)
		return -EINVAL;
	return vfile_lseek_generic(f, off, whence);
}

static ssize_t dir_pread(struct vfile *f, void *buf, size_t len, off_t off)
{
	(void)f;
	(void)buf;
	(void)len;
	(void)off;
	return -EISDIR;
}

static const struct vfile_ops dir_ops = {
    .pread = dir_pread,
    .lseek = dir_lseek,
    .getattr = mem_getattr,
    .release = mem_release,
};

/* No operations at all. */
static const struct vfile_ops empty_ops = {0};

/* Objects live in these pools, zeroed before each test, so that the teardown's releases
 * never touch a test's finished stack frame. */
static struct memobj mem_pool[4];
static struct pipeobj pipe_pool[2];
static int mem_used;
static int pipe_used;

static struct memobj *mem_obj(void)
{
	assert_true(mem_used < 4);
	return &mem_pool[mem_used++];
}

static struct pipeobj *pipe_obj(void)
{
	assert_true(pipe_used < 2);
	return &pipe_pool[pipe_used++];
}

static struct fd_table table;

static int setup(void **state)
{
	(void)state;
	fail_countdown = -1;
	memset(mem_pool, 0, sizeof(mem_pool));
	memset(pipe_pool, 0, sizeof(pipe_pool));
	mem_used = 0;
	pipe_used = 0;
	return fd_table_init(&table, 16);
}

static int teardown(void **state)
{
	(void)state;
	fail_countdown = -1;
	fd_table_destroy(&table);
	return 0;
}

/* Open @m through @ops with @flags as a new descriptor; the table holds the only
 * reference. */
static int open_obj(const struct vfile_ops *ops, void *priv, int flags)
{
	struct vfile *f;
	int fd;

	assert_int_equal(vfile_new(ops, priv, flags, &f), 0);
	fd = fd_install(&table, f, 0, (flags & O_CLOEXEC) != 0);
	vfile_unref(f);
	return fd;
}

static void test_vfile_new(void **state)
{
	struct memobj *m = mem_obj();
	struct vfile *f = NULL;

	(void)state;
	m->release_result = -EIO;
	assert_int_equal(vfile_new(NULL, m, O_RDONLY, &f), -EINVAL);
	assert_int_equal(vfile_new(&mem_ops, m, O_ACCMODE, &f), -EINVAL);
	assert_null(f);
	if (alloc_fails(0)) {
		int err = vfile_new(&mem_ops, m, O_RDONLY, &f);

		fail_countdown = -1;
		assert_int_equal(err, -ENOMEM);
		assert_null(f);
	}
	assert_int_equal(vfile_new(&mem_ops, m,
	                           O_RDWR | O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY | O_CLOEXEC |
	                               O_APPEND | O_NONBLOCK,
	                           &f),
	                 0);
	assert_int_equal(f->flags, O_RDWR | O_APPEND | O_NONBLOCK);
	assert_int_equal(f->offset, 0);
	assert_int_equal(f->refs, 1);
	assert_ptr_equal(f->priv, m);
	vfile_ref(f);
	vfile_ref(f);
	assert_int_equal(vfile_unref(f), 0);
	assert_int_equal(vfile_unref(f), 0);
	assert_int_equal(m->releases, 0);
	/* The last reference runs the release and hands back its result. */
	assert_int_equal(vfile_unref(f), -EIO);
	assert_int_equal(m->releases, 1);
	/* No release op: freeing is all there is. */
	assert_int_equal(vfile_new(&empty_ops, NULL, O_WRONLY, &f), 0);
	assert_int_equal(vfile_unref(f), 0);
}

static void test_table_init(void **state)
{
	struct fd_table t;

	(void)state;
	assert_int_equal(fd_table_init(&t, 0), -EINVAL);
	assert_int_equal(fd_table_init(&t, -5), -EINVAL);
	if (alloc_fails(0)) {
		int err = fd_table_init(&t, 10);

		fail_countdown = -1;
		assert_int_equal(err, -ENOMEM);
	}
	assert_int_equal(fd_table_init(&t, FD_DEFAULT_CAPACITY), 0);
	assert_int_equal(t.capacity, FD_DEFAULT_CAPACITY);
	assert_int_equal(t.limit, FD_DEFAULT_CAPACITY);
	for (int fd = 0; fd < FD_DEFAULT_CAPACITY; fd++)
		assert_null(t.slots[fd].file);
	fd_table_destroy(&t);
}

static void test_install_lowest(void **state)
{
	struct memobj *m = mem_obj();
	struct vfile *f;

	(void)state;
	assert_int_equal(vfile_new(&mem_ops, m, O_RDWR, &f), 0);
	assert_int_equal(fd_install(&table, f, 0, false), 0);
	assert_int_equal(fd_install(&table, f, 0, false), 1);
	assert_int_equal(fd_install(&table, f, 0, true), 2);
	assert_int_equal(f->refs, 4);
	assert_int_equal(fd_install(&table, f, 7, false), 7);
	assert_int_equal(fd_install(&table, f, 5, false), 5);
	assert_int_equal(fd_install(&table, f, 0, false), 3);
	assert_int_equal(fd_install(&table, f, -1, false), -EINVAL);
	assert_int_equal(fd_close(&table, 1), 0);
	assert_int_equal(fd_close(&table, 5), 0);
	assert_int_equal(fd_install(&table, f, 0, false), 1);
	assert_int_equal(fd_install(&table, f, 2, false), 4);
	assert_int_equal(fd_install(&table, f, 2, false), 5);
	assert_int_equal(fd_install(&table, f, 2, false), 6);
	assert_int_equal(fd_install(&table, f, 2, false), 8);
	assert_int_equal(fd_getfd(&table, 2), FD_CLOEXEC);
	assert_int_equal(fd_getfd(&table, 3), 0);
	assert_int_equal(f->refs, 10);
	vfile_unref(f);
	assert_int_equal(m->releases, 0);
}

static void test_emfile(void **state)
{
	struct memobj *m = mem_obj();
	struct vfile *f;

	(void)state;
	assert_int_equal(vfile_new(&mem_ops, m, O_RDONLY, &f), 0);
	for (int i = 0; i < 16; i++)
		assert_int_equal(fd_install(&table, f, 0, false), i);
	assert_int_equal(fd_install(&table, f, 0, false), -EMFILE);
	assert_int_equal(fd_dup(&table, 3), -EMFILE);
	assert_int_equal(fd_dupfd(&table, 3, 10, false), -EMFILE);
	assert_int_equal(fd_install(&table, f, 16, false), -EMFILE);
	assert_int_equal(fd_install(&table, f, 1000, false), -EMFILE);
	assert_int_equal(f->refs, 17);
	/* One free slot: the next allocation takes it, and then the table is full again. */
	assert_int_equal(fd_close(&table, 9), 0);
	assert_int_equal(fd_install(&table, f, 10, false), -EMFILE);
	assert_int_equal(fd_dup(&table, 0), 9);
	assert_int_equal(fd_dup(&table, 0), -EMFILE);
	vfile_unref(f);
}

static void test_get_errors(void **state)
{
	struct memobj *m = mem_obj();
	struct vfile *f = NULL;
	int fd;

	(void)state;
	fd = open_obj(&mem_ops, m, O_RDONLY);
	assert_int_equal(fd, 0);
	assert_int_equal(fd_get(&table, -1, &f), -EBADF);
	assert_int_equal(fd_get(&table, 1, &f), -EBADF);
	assert_int_equal(fd_get(&table, 16, &f), -EBADF);
	assert_int_equal(fd_get(&table, 1 << 30, &f), -EBADF);
	assert_null(f);
	/* fd_get hands out a reference: a close meanwhile does not free the vfile. */
	assert_int_equal(fd_get(&table, fd, &f), 0);
	assert_ptr_equal(f->priv, m);
	assert_int_equal(f->refs, 2);
	assert_int_equal(fd_close(&table, fd), 0);
	assert_int_equal(m->releases, 0);
	assert_int_equal(f->refs, 1);
	assert_int_equal(vfile_unref(f), 0);
	assert_int_equal(m->releases, 1);
	/* Every call taking a descriptor says -EBADF for a closed one. */
	assert_int_equal(fd_close(&table, fd), -EBADF);
	assert_int_equal(fd_close(&table, -1), -EBADF);
	assert_int_equal(fd_dup(&table, fd), -EBADF);
	assert_int_equal(fd_getfd(&table, fd), -EBADF);
	assert_int_equal(fd_setfd(&table, fd, FD_CLOEXEC), -EBADF);
	assert_int_equal(fd_getfl(&table, fd), -EBADF);
	assert_int_equal(fd_setfl(&table, fd, 0), -EBADF);
	assert_int_equal(fd_read(&table, fd, m->data, 1), -EBADF);
	assert_int_equal(fd_write(&table, fd, "x", 1), -EBADF);
	assert_int_equal(fd_pread(&table, fd, m->data, 1, 0), -EBADF);
	assert_int_equal(fd_pwrite(&table, fd, "x", 1, 0), -EBADF);
	assert_int_equal(fd_lseek(&table, fd, 0, SEEK_SET), -EBADF);
	assert_int_equal(fd_ioctl(&table, fd, 42, NULL), -EBADF);
	{
		struct stat st;

		assert_int_equal(fd_fstat(&table, fd, &st), -EBADF);
	}
}

static void test_close_last_reference(void **state)
{
	struct memobj *m = mem_obj();
	int a;
	int b;
	int c;

	(void)state;
	m->release_result = -EIO;
	a = open_obj(&mem_ops, m, O_RDWR);
	b = fd_dup(&table, a);
	c = fd_dupfd(&table, a, 10, true);
	assert_int_equal(b, 1);
	assert_int_equal(c, 10);
	assert_int_equal(fd_close(&table, a), 0);
	assert_int_equal(fd_close(&table, c), 0);
	assert_int_equal(m->releases, 0);
	/* The last close runs the release and returns its error; the descriptor is gone
	 * anyway. */
	assert_int_equal(fd_close(&table, b), -EIO);
	assert_int_equal(m->releases, 1);
	assert_int_equal(fd_close(&table, b), -EBADF);
	assert_int_equal(m->releases, 1);
	assert_int_equal(fd_dup(&table, b), -EBADF);
}

static void test_dup_shares_offset(void **state)
{
	struct memobj *m = mem_obj();
	char buf[16] = {0};
	int a;
	int b;

	(void)state;
	a = open_obj(&mem_ops, m, O_RDWR | O_CLOEXEC);
	assert_int_equal(fd_getfd(&table, a), FD_CLOEXEC);
	b = fd_dup(&table, a);
	assert_int_equal(fd_getfd(&table, b), 0); /* FD_CLOEXEC is per descriptor */
	assert_int_equal(fd_write(&table, a, "hello", 5), 5);
	assert_int_equal(fd_write(&table, b, " world", 6), 6);
	assert_int_equal(m->size, 11);
	assert_memory_equal(m->data, "hello world", 11);
	assert_int_equal(fd_lseek(&table, a, 0, SEEK_CUR), 11);
	assert_int_equal(fd_lseek(&table, b, 6, SEEK_SET), 6);
	assert_int_equal(fd_read(&table, a, buf, 3), 3);
	assert_memory_equal(buf, "wor", 3);
	assert_int_equal(fd_read(&table, b, buf, 16), 2);
	assert_memory_equal(buf, "ld", 2);
	assert_int_equal(fd_read(&table, a, buf, 16), 0);
	/* Flags are shared too. */
	assert_int_equal(fd_setfl(&table, b, O_NONBLOCK), 0);
	assert_int_equal(fd_getfl(&table, a), O_RDWR | O_NONBLOCK);
	/* Two separate opens of one object have separate offsets. */
	{
		int c = open_obj(&mem_ops, m, O_RDONLY);

		assert_int_equal(fd_lseek(&table, c, 0, SEEK_CUR), 0);
		assert_int_equal(fd_read(&table, c, buf, 5), 5);
		assert_int_equal(fd_lseek(&table, a, 0, SEEK_CUR), 11);
	}
}

static void test_dup2(void **state)
{
	struct memobj *m1 = mem_obj();
	struct memobj *m2 = mem_obj();
	struct vfile *f;
	int a;
	int b;

	(void)state;
	m1->release_result = -EIO;
	a = open_obj(&mem_ops, m1, O_RDWR);
	b = open_obj(&mem_ops, m2, O_RDWR);
	assert_int_equal(fd_setfd(&table, b, FD_CLOEXEC), 0);
	/* Same descriptor: returned as is when open, -EBADF when not. */
	assert_int_equal(fd_dup2(&table, a, a), a);
	assert_int_equal(fd_dup2(&table, 5, 5), -EBADF);
	assert_int_equal(fd_dup2(&table, -1, -1), -EBADF);
	/* Bad targets. */
	assert_int_equal(fd_dup2(&table, a, -1), -EBADF);
	assert_int_equal(fd_dup2(&table, a, 16), -EBADF);
	/* A closed source leaves an open target alone. */
	assert_int_equal(fd_dup2(&table, 7, b), -EBADF);
	assert_int_equal(m2->releases, 0);
	assert_int_equal(fd_get(&table, b, &f), 0);
	assert_ptr_equal(f->priv, m2);
	vfile_unref(f);
	/* An open target is closed silently (its release error is not seen) and clears
	 * FD_CLOEXEC. */
	assert_int_equal(fd_dup2(&table, b, a), a);
	assert_int_equal(m1->releases, 1);
	assert_int_equal(fd_getfd(&table, a), 0);
	assert_int_equal(fd_get(&table, a, &f), 0);
	assert_ptr_equal(f->priv, m2);
	assert_int_equal(f->refs, 3);
	vfile_unref(f);
	/* A closed target in range, above the others. */
	assert_int_equal(fd_dup2(&table, a, 12), 12);
	assert_int_equal(fd_write(&table, 12, "abc", 3), 3);
	assert_int_equal(fd_lseek(&table, b, 0, SEEK_CUR), 3);
	/* Both descriptors already share the vfile: still fine, nothing released. */
	assert_int_equal(fd_dup2(&table, a, b), b);
	assert_int_equal(m2->releases, 0);
	assert_int_equal(fd_close(&table, a), 0);
	assert_int_equal(fd_close(&table, b), 0);
	assert_int_equal(m2->releases, 0);
	assert_int_equal(fd_close(&table, 12), 0);
	assert_int_equal(m2->releases, 1);
	/* The lowest free descriptor is found again after dup2 filled the gaps. */
	a = open_obj(&mem_ops, m2, O_RDWR);
	assert_int_equal(a, 0);
	assert_int_equal(fd_dup2(&table, a, 1), 1);
	assert_int_equal(fd_dup(&table, a), 2);
}

static void test_dup3(void **state)
{
	struct memobj *m = mem_obj();
	int a;

	(void)state;
	a = open_obj(&mem_ops, m, O_RDWR);
	assert_int_equal(fd_dup3(&table, a, a, 0), -EINVAL);
	assert_int_equal(fd_dup3(&table, 9, 9, 0), -EINVAL); /* before -EBADF, as Linux */
	assert_int_equal(fd_dup3(&table, a, 3, O_NONBLOCK), -EINVAL);
	assert_int_equal(fd_dup3(&table, a, 3, O_CLOEXEC | O_APPEND), -EINVAL);
	assert_int_equal(fd_dup3(&table, 9, 3, 0), -EBADF);
	assert_int_equal(fd_dup3(&table, a, -2, 0), -EBADF);
	assert_int_equal(fd_dup3(&table, a, 16, 0), -EBADF);
	assert_int_equal(fd_dup3(&table, a, 3, O_CLOEXEC), 3);
	assert_int_equal(fd_getfd(&table, 3), FD_CLOEXEC);
	assert_int_equal(fd_dup3(&table, a, 3, 0), 3);
	assert_int_equal(fd_getfd(&table, 3), 0);
	assert_int_equal(fd_dup3(&table, a, 4, 0), 4);
	assert_int_equal(fd_getfd(&table, 4), 0);
	assert_int_equal(m->releases, 0);
}

static void test_dupfd(void **state)
{
	struct memobj *m = mem_obj();
	int a;

	(void)state;
	a = open_obj(&mem_ops, m, O_RDWR);
	assert_int_equal(fd_dupfd(&table, 9, 0, false), -EBADF);
	assert_int_equal(fd_dupfd(&table, a, -1, false), -EINVAL);
	assert_int_equal(fd_dupfd(&table, a, 16, false), -EINVAL);
	assert_int_equal(fd_dupfd(&table, a, 0, false), 1);
	assert_int_equal(fd_dupfd(&table, a, 5, true), 5);
	assert_int_equal(fd_getfd(&table, 5), FD_CLOEXEC);
	assert_int_equal(fd_dupfd(&table, a, 5, false), 6);
	assert_int_equal(fd_getfd(&table, 6), 0);
	assert_int_equal(fd_dupfd(&table, a, 15, false), 15);
	assert_int_equal(fd_dupfd(&table, a, 15, false), -EMFILE);
}

static void test_fd_flags(void **state)
{
	struct memobj *m = mem_obj();
	int a;

	(void)state;
	a = open_obj(&mem_ops, m, O_WRONLY | O_APPEND | O_TRUNC);
	assert_int_equal(fd_getfd(&table, a), 0);
	assert_int_equal(fd_setfd(&table, a, FD_CLOEXEC | 4), 0);
	assert_int_equal(fd_getfd(&table, a), FD_CLOEXEC);
	assert_int_equal(fd_setfd(&table, a, 0), 0);
	assert_int_equal(fd_getfd(&table, a), 0);
	/* F_SETFL: O_APPEND and O_NONBLOCK follow the argument; the access mode and the
	 * creation flags are ignored. */
	assert_int_equal(fd_getfl(&table, a), O_WRONLY | O_APPEND);
	assert_int_equal(fd_setfl(&table, a, O_RDONLY | O_TRUNC | O_NONBLOCK), 0);
	assert_int_equal(fd_getfl(&table, a), O_WRONLY | O_NONBLOCK);
	assert_int_equal(fd_setfl(&table, a, O_RDWR | O_APPEND | O_CREAT), 0);
	assert_int_equal(fd_getfl(&table, a), O_WRONLY | O_APPEND);
	/* Still write-only. */
	assert_int_equal(fd_read(&table, a, m->data, 1), -EBADF);
}

static void test_access_mode(void **state)
{
	struct memobj *m = mem_obj();
	char buf[4];
	int r;
	int w;

	(void)state;
	m->size = 4;
	memcpy(m->data, "data", 4);
	r = open_obj(&mem_ops, m, O_RDONLY);
	w = open_obj(&mem_ops, m, O_WRONLY);
	assert_int_equal(fd_write(&table, r, "x", 1), -EBADF);
	assert_int_equal(fd_pwrite(&table, r, "x", 1, 0), -EBADF);
	assert_int_equal(fd_read(&table, w, buf, 1), -EBADF);
	assert_int_equal(fd_pread(&table, w, buf, 1, 0), -EBADF);
	assert_int_equal(m->pwrites, 0);
	assert_int_equal(fd_read(&table, r, buf, 4), 4);
	assert_int_equal(fd_write(&table, w, "DA", 2), 2);
	assert_memory_equal(m->data, "DAta", 4);
	/* Zero bytes still go through the checks. */
	assert_int_equal(fd_write(&table, r, "x", 0), -EBADF);
	assert_int_equal(fd_read(&table, w, buf, 0), -EBADF);
}

static void test_append(void **state)
{
	struct memobj *m = mem_obj();
	char buf[32] = {0};
	int a;
	int plain;

	(void)state;
	plain = open_obj(&mem_ops, m, O_RDWR);
	a = open_obj(&mem_ops, m, O_RDWR | O_APPEND);
	assert_int_equal(fd_write(&table, plain, "0123456789", 10), 10);
	/* Appends go to the end whatever the offset says, and leave it after the data. */
	assert_int_equal(fd_lseek(&table, a, 2, SEEK_SET), 2);
	assert_int_equal(fd_write(&table, a, "ab", 2), 2);
	assert_int_equal(m->last_off, 10);
	assert_int_equal(fd_lseek(&table, a, 0, SEEK_CUR), 12);
	/* Someone else makes the file longer: the next append follows. */
	assert_int_equal(fd_pwrite(&table, plain, "XYZ", 3, 20), 3);
	assert_int_equal(fd_write(&table, a, "cd", 2), 2);
	assert_int_equal(m->last_off, 23);
	assert_int_equal(fd_lseek(&table, a, 0, SEEK_CUR), 25);
	/* Reads use the offset as usual. */
	assert_int_equal(fd_lseek(&table, a, 10, SEEK_SET), 10);
	assert_int_equal(fd_read(&table, a, buf, 2), 2);
	assert_memory_equal(buf, "ab", 2);
	/* pwrite on an O_APPEND file appends too (Linux), and moves no offset. */
	assert_int_equal(fd_pwrite(&table, a, "ef", 2, 0), 2);
	assert_int_equal(m->last_off, 25);
	assert_int_equal(m->size, 27);
	assert_int_equal(fd_lseek(&table, a, 0, SEEK_CUR), 12);
	assert_memory_equal(m->data, "0123456789", 10);
	/* The flag can be turned off and on. */
	assert_int_equal(fd_setfl(&table, a, 0), 0);
	assert_int_equal(fd_write(&table, a, "--", 2), 2);
	assert_int_equal(m->last_off, 12);
	assert_int_equal(fd_setfl(&table, a, O_APPEND), 0);
	assert_int_equal(fd_write(&table, a, "gh", 2), 2);
	assert_int_equal(m->last_off, 27);
	/* A zero-length append leaves the offset alone. */
	assert_int_equal(fd_lseek(&table, a, 3, SEEK_SET), 3);
	assert_int_equal(fd_write(&table, a, "", 0), 0);
	assert_int_equal(fd_lseek(&table, a, 0, SEEK_CUR), 3);
	/* Without getattr there is no end to append to. */
	{
		struct memobj *n = mem_obj();
		int fd = open_obj(&mem_noattr_ops, n, O_WRONLY | O_APPEND);

		assert_int_equal(fd_write(&table, fd, "x", 1), -EINVAL);
		assert_int_equal(n->pwrites, 0);
	}
	/* Stream objects ignore O_APPEND. */
	{
		struct pipeobj *p = pipe_obj();
		int fd = open_obj(&pipe_ops, p, O_WRONLY | O_APPEND);

		assert_int_equal(fd_write(&table, fd, "pq", 2), 2);
		assert_int_equal(p->len, 2);
	}
}

static void test_positional_io(void **state)
{
	struct memobj *m = mem_obj();
	char buf[16] = {0};
	int fd;

	(void)state;
	fd = open_obj(&mem_ops, m, O_RDWR);
	/* pread/pwrite leave the offset alone. */
	assert_int_equal(fd_pwrite(&table, fd, "abcdef", 6, 4), 6);
	assert_int_equal(m->size, 10);
	assert_int_equal(fd_lseek(&table, fd, 0, SEEK_CUR), 0);
	assert_int_equal(fd_pread(&table, fd, buf, 3, 5), 3);
	assert_memory_equal(buf, "bcd", 3);
	assert_int_equal(fd_lseek(&table, fd, 0, SEEK_CUR), 0);
	assert_int_equal(fd_pread(&table, fd, buf, 16, 10), 0);
	/* read/write move it by what was done. */
	assert_int_equal(fd_lseek(&table, fd, 8, SEEK_SET), 8);
	assert_int_equal(fd_read(&table, fd, buf, 16), 2);
	assert_memory_equal(buf, "ef", 2);
	assert_int_equal(fd_lseek(&table, fd, 0, SEEK_CUR), 10);
	assert_int_equal(fd_read(&table, fd, buf, 16), 0);
	assert_int_equal(fd_lseek(&table, fd, 0, SEEK_CUR), 10);
	/* A negative offset is -EINVAL, checked before the descriptor (Linux's order). */
	assert_int_equal(fd_pread(&table, fd, buf, 1, -1), -EINVAL);
	assert_int_equal(fd_pwrite(&table, fd, buf, 1, -5), -EINVAL);
	assert_int_equal(fd_pread(&table, 9, buf, 1, -1), -EINVAL);
	assert_int_equal(fd_pwrite(&table, -1, buf, 1, -1), -EINVAL);
	/* An end past the largest off_t: -EINVAL; a zero-length one at the very end is
	 * fine. */
	assert_int_equal(fd_pwrite(&table, fd, buf, 1, INT64_MAX), -EINVAL);
	assert_int_equal(fd_pread(&table, fd, buf, 2, INT64_MAX - 1), -EINVAL);
	assert_int_equal(fd_pwrite(&table, fd, buf, 0, INT64_MAX), -EFBIG); /* the object's */
	assert_int_equal(fd_pread(&table, fd, buf, 0, INT64_MAX), 0);
	assert_int_equal(fd_pread(&table, fd, buf, 1, INT64_MAX - 1), 0);
	assert_int_equal(m->last_off, INT64_MAX - 1);
	/* Lengths: above SSIZE_MAX is -EINVAL; above FD_RW_MAX is cut to it. */
	assert_int_equal(fd_pread(&table, fd, buf, (size_t)SSIZE_MAX + 1, 0), -EINVAL);
	assert_int_equal(fd_read(&table, fd, buf, SIZE_MAX), -EINVAL);
	assert_int_equal(fd_write(&table, fd, buf, (size_t)SSIZE_MAX + 1), -EINVAL);
	assert_int_equal(fd_pread(&table, fd, buf, (size_t)FD_RW_MAX + 100, 200), 0);
	assert_int_equal(m->last_len, FD_RW_MAX);
	assert_int_equal(fd_pread(&table, fd, buf, SSIZE_MAX, 0), 10);
	assert_int_equal(m->last_len, FD_RW_MAX);
	assert_int_equal(fd_pread(&table, fd, buf, SSIZE_MAX, 1), -EINVAL); /* end overflows */
	/* The offset-based read/write check their end too. */
	assert_int_equal(fd_lseek(&table, fd, INT64_MAX, SEEK_SET), INT64_MAX);
	assert_int_equal(fd_write(&table, fd, "x", 1), -EINVAL);
	assert_int_equal(fd_read(&table, fd, buf, 1), -EINVAL);
	assert_int_equal(fd_read(&table, fd, buf, 0), 0);
}

static void test_stream_io(void **state)
{
	struct pipeobj *p = pipe_obj();
	char buf[8] = {0};
	int r;
	int w;

	(void)state;
	r = open_obj(&pipe_ops, p, O_RDONLY);
	w = open_obj(&pipe_ops, p, O_WRONLY);
	assert_int_equal(fd_write(&table, w, "stream", 6), 6);
	assert_int_equal(fd_read(&table, r, buf, 3), 3);
	assert_memory_equal(buf, "str", 3);
	assert_int_equal(fd_read(&table, r, buf, 8), 3);
	assert_memory_equal(buf, "eam", 3);
	assert_int_equal(fd_read(&table, w, buf, 1), -EBADF);
	assert_int_equal(fd_write(&table, r, "x", 1), -EBADF);
	/* No positions: -ESPIPE, even from the wrong end (Linux checks that first). */
	assert_int_equal(fd_lseek(&table, r, 0, SEEK_CUR), -ESPIPE);
	assert_int_equal(fd_lseek(&table, r, 0, SEEK_SET), -ESPIPE);
	assert_int_equal(fd_pread(&table, r, buf, 1, 0), -ESPIPE);
	assert_int_equal(fd_pwrite(&table, w, "x", 1, 0), -ESPIPE);
	assert_int_equal(fd_pwrite(&table, r, "x", 1, 0), -ESPIPE);
	assert_int_equal(fd_pread(&table, r, buf, 1, -1), -EINVAL);
	/* The huge-length checks apply to streams too. */
	assert_int_equal(fd_read(&table, r, buf, SIZE_MAX), -EINVAL);
	assert_int_equal(fd_close(&table, r), 0);
	assert_int_equal(p->releases, 1);
	assert_int_equal(fd_close(&table, w), 0);
	assert_int_equal(p->releases, 2);
}

static void test_lseek(void **state)
{
	struct memobj *m = mem_obj();
	int fd;

	(void)state;
	m->size = 100;
	fd = open_obj(&mem_ops, m, O_RDONLY);
	assert_int_equal(fd_lseek(&table, fd, 10, SEEK_SET), 10);
	assert_int_equal(fd_lseek(&table, fd, 5, SEEK_CUR), 15);
	assert_int_equal(fd_lseek(&table, fd, -15, SEEK_CUR), 0);
	assert_int_equal(fd_lseek(&table, fd, -1, SEEK_CUR), -EINVAL);
	assert_int_equal(fd_lseek(&table, fd, 0, SEEK_CUR), 0); /* an error moves nothing */
	assert_int_equal(fd_lseek(&table, fd, 0, SEEK_END), 100);
	assert_int_equal(fd_lseek(&table, fd, -100, SEEK_END), 0);
	assert_int_equal(fd_lseek(&table, fd, -101, SEEK_END), -EINVAL);
	assert_int_equal(fd_lseek(&table, fd, 50, SEEK_END), 150); /* past the end is fine */
	assert_int_equal(fd_lseek(&table, fd, -1, SEEK_SET), -EINVAL);
	assert_int_equal(fd_lseek(&table, fd, 0, 3), -EINVAL);
	assert_int_equal(fd_lseek(&table, fd, 0, -1), -EINVAL);
	assert_int_equal(fd_lseek(&table, fd, 0, SEEK_CUR), 150);
	/* Overflow past the largest off_t: Linux (64-bit) gives -EINVAL. */
	assert_int_equal(fd_lseek(&table, fd, INT64_MAX, SEEK_SET), INT64_MAX);
	assert_int_equal(fd_lseek(&table, fd, 1, SEEK_CUR), -EINVAL);
	assert_int_equal(fd_lseek(&table, fd, INT64_MAX, SEEK_CUR), -EINVAL);
	assert_int_equal(fd_lseek(&table, fd, INT64_MIN, SEEK_CUR), -EINVAL);
	assert_int_equal(fd_lseek(&table, fd, -INT64_MAX, SEEK_CUR), 0);
	assert_int_equal(fd_lseek(&table, fd, INT64_MAX - 100, SEEK_END), INT64_MAX);
	assert_int_equal(fd_lseek(&table, fd, INT64_MAX - 99, SEEK_END), -EINVAL);
	assert_int_equal(fd_lseek(&table, fd, INT64_MIN, SEEK_END), -EINVAL);
	assert_int_equal(fd_lseek(&table, fd, 0, SEEK_CUR), INT64_MAX);
	/* Without getattr: no SEEK_END. */
	{
		struct memobj *n = mem_obj();
		int g = open_obj(&mem_noattr_ops, n, O_RDONLY);

		assert_int_equal(fd_lseek(&table, g, 7, SEEK_SET), 7);
		assert_int_equal(fd_lseek(&table, g, 0, SEEK_END), -EINVAL);
		assert_int_equal(fd_lseek(&table, g, 0, SEEK_CUR), 7);
	}
	/* A custom lseek op decides; its result is stored. */
	{
		struct memobj *d = mem_obj();
		char c;
		int g;

		d->size = 60;
		g = open_obj(&dir_ops, d, O_RDONLY);
		assert_int_equal(fd_lseek(&table, g, 3, SEEK_SET), 3);
		assert_int_equal(fd_lseek(&table, g, 2, SEEK_CUR), 5);
		assert_int_equal(fd_lseek(&table, g, 0, SEEK_END), -EINVAL);
		assert_int_equal(fd_lseek(&table, g, 0, SEEK_CUR), 5);
		assert_int_equal(fd_read(&table, g, &c, 1), -EISDIR);
		assert_int_equal(fd_pread(&table, g, &c, 1, 0), -EISDIR);
		assert_int_equal(fd_write(&table, g, &c, 1), -EBADF);
	}
}

static void test_missing_ops(void **state)
{
	struct memobj *m = mem_obj();
	struct stat st;
	char c = 0;
	int value = 0;
	int fd;
	int e;

	(void)state;
	e = open_obj(&empty_ops, NULL, O_RDWR);
	assert_int_equal(fd_read(&table, e, &c, 1), -EINVAL);
	assert_int_equal(fd_write(&table, e, &c, 1), -EINVAL);
	assert_int_equal(fd_pread(&table, e, &c, 1, 0), -ESPIPE);
	assert_int_equal(fd_pwrite(&table, e, &c, 1, 0), -ESPIPE);
	assert_int_equal(fd_lseek(&table, e, 0, SEEK_SET), -ESPIPE);
	assert_int_equal(fd_ioctl(&table, e, 42, &value), -ENOTTY);
	memset(&st, 0xa5, sizeof(st));
	assert_int_equal(fd_fstat(&table, e, &st), 0);
	assert_int_equal(st.st_mode, 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(st.st_ino, 0);
	assert_int_equal(fd_close(&table, e), 0);

	/* A positional object that can only be written: read() is -EINVAL. */
	{
		static const struct vfile_ops wonly = {.pwrite = mem_pwrite};

		e = open_obj(&wonly, m, O_RDWR);
		assert_int_equal(fd_read(&table, e, &c, 1), -EINVAL);
		assert_int_equal(fd_pread(&table, e, &c, 1, 0), -EINVAL);
		assert_int_equal(fd_write(&table, e, "z", 1), 1);
	}

	fd = open_obj(&mem_ops, m, O_RDONLY);
	assert_int_equal(fd_ioctl(&table, fd, 42, &value), 0);
	assert_int_equal(value, 4242);
	assert_int_equal(fd_ioctl(&table, fd, 43, &value), -ENOTTY);
	memset(&st, 0xa5, sizeof(st));
	assert_int_equal(fd_fstat(&table, fd, &st), 0);
	assert_int_equal(st.st_size, 1);
	assert_int_equal(st.st_mode, S_IFREG | 0644);
	assert_int_equal(st.st_nlink, 0); /* zeroed before getattr */
}

static void test_limit(void **state)
{
	struct memobj *m = mem_obj();
	char c;
	int fd;

	(void)state;
	fd = open_obj(&mem_ops, m, O_RDWR);
	assert_int_equal(fd_dup2(&table, fd, 12), 12);
	assert_int_equal(fd_table_set_limit(&table, 17), -EINVAL);
	assert_int_equal(fd_table_set_limit(&table, -1), -EINVAL);
	/* Lowering below an open descriptor is allowed (Linux's setrlimit). */
	assert_int_equal(fd_table_set_limit(&table, 4), 0);
	assert_int_equal(table.limit, 4);
	/* The descriptor above the limit still works... */
	assert_int_equal(fd_write(&table, 12, "q", 1), 1);
	assert_int_equal(fd_pread(&table, 12, &c, 1, 0), 1);
	assert_int_equal(fd_getfd(&table, 12), 0);
	assert_int_equal(fd_dup2(&table, 12, 2), 2);
	/* ...but new ones must be below the limit. */
	assert_int_equal(fd_dup(&table, 12), 1);
	assert_int_equal(fd_dup(&table, 12), 3);
	assert_int_equal(fd_dup(&table, 12), -EMFILE);
	assert_int_equal(fd_dupfd(&table, 12, 4, false), -EINVAL);
	assert_int_equal(fd_dupfd(&table, 12, 3, false), -EMFILE);
	/* dup2 onto a descriptor at or above the limit is -EBADF even when it is open. */
	assert_int_equal(fd_dup2(&table, 0, 12), -EBADF);
	assert_int_equal(fd_dup2(&table, 0, 5), -EBADF);
	assert_int_equal(fd_dup3(&table, 0, 13, 0), -EBADF);
	assert_int_equal(fd_close(&table, 12), 0);
	/* Limit 0: nothing new at all. */
	assert_int_equal(fd_table_set_limit(&table, 0), 0);
	assert_int_equal(fd_close(&table, 3), 0);
	assert_int_equal(fd_dup(&table, 0), -EMFILE);
	assert_int_equal(fd_dupfd(&table, 0, 0, false), -EINVAL);
	/* Raised back up to the capacity. */
	assert_int_equal(fd_table_set_limit(&table, 16), 0);
	assert_int_equal(fd_dup(&table, 0), 3);
	assert_int_equal(fd_dupfd(&table, 0, 15, false), 15);
	/* A grown table keeps its descriptors and takes new ones up to the new capacity. */
	assert_int_equal(fd_table_grow(&table, 8), 0);
	assert_int_equal(table.capacity, 16);
	assert_int_equal(fd_table_grow(&table, 40), 0);
	assert_int_equal(table.capacity, 40);
	assert_int_equal(table.limit, 16);
	assert_int_equal(fd_write(&table, 15, "r", 1), 1);
	assert_int_equal(fd_dupfd(&table, 0, 20, false), -EINVAL);
	assert_int_equal(fd_table_set_limit(&table, 40), 0);
	assert_int_equal(fd_dupfd(&table, 0, 20, false), 20);
	assert_int_equal(fd_dup2(&table, 0, 39), 39);
	assert_int_equal(fd_dup2(&table, 0, 40), -EBADF);
	assert_int_equal(fd_close(&table, 20), 0);
	assert_int_equal(fd_close(&table, 39), 0);
	assert_int_equal(m->releases, 0);
}

static void test_destroy_releases(void **state)
{
	struct memobj *m = mem_obj();
	struct pipeobj *p = pipe_obj();
	struct fd_table t;
	struct vfile *f;

	(void)state;
	assert_int_equal(fd_table_init(&t, 8), 0);
	assert_int_equal(vfile_new(&mem_ops, m, O_RDWR, &f), 0);
	assert_int_equal(fd_install(&t, f, 0, false), 0);
	assert_int_equal(fd_install(&t, f, 6, false), 6);
	vfile_unref(f);
	assert_int_equal(vfile_new(&pipe_ops, p, O_RDWR, &f), 0);
	assert_int_equal(fd_install(&t, f, 0, false), 1);
	assert_int_equal(fd_dup2(&t, 1, 7), 7);
	vfile_unref(f);
	fd_table_destroy(&t);
	assert_int_equal(m->releases, 1);
	assert_int_equal(p->releases, 1);
	assert_null(t.slots);
}

/* A release that looks at the table: its descriptor must already be closed. */
static struct fd_table *reentry_table;
static int reentry_fd;
static int reentry_seen;

static int reentry_release(struct vfile *f)
{
	struct vfile *g;

	(void)f;
	reentry_seen = fd_get(reentry_table, reentry_fd, &g);
	if (reentry_seen == 0)
		vfile_unref(g);
	return 0;
}

static void test_release_sees_closed_slot(void **state)
{
	static const struct vfile_ops ops = {.read = pipe_read, .release = reentry_release};
	struct pipeobj *p = pipe_obj();

	(void)state;
	reentry_table = &table;
	reentry_fd = open_obj(&ops, p, O_RDONLY);
	reentry_seen = 1;
	assert_int_equal(fd_close(&table, reentry_fd), 0);
	assert_int_equal(reentry_seen, -EBADF);
	/* Same through dup2 replacing it. */
	reentry_fd = open_obj(&ops, p, O_RDONLY);
	assert_int_equal(open_obj(&pipe_ops, p, O_RDONLY), 1);
	reentry_seen = 1;
	assert_int_equal(fd_dup2(&table, 1, reentry_fd), reentry_fd);
	assert_int_equal(reentry_seen, 0); /* the slot already holds the new file */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_vfile_new, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_table_init, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_install_lowest, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_emfile, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_get_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_close_last_reference, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dup_shares_offset, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dup2, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dup3, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dupfd, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fd_flags, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_access_mode, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_append, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_positional_io, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stream_io, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_lseek, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_ops, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_limit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_destroy_releases, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_release_sees_closed_slot, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
