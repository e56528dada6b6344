/* fdtable.c - vfiles, the descriptor table and the generic read/write/seek rules. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "posix/fd/fdtable.h"

_Static_assert(sizeof(off_t) == 8, "off_t is 64-bit on every VMOS target");
_Static_assert(sizeof(ssize_t) == sizeof(size_t), "ssize_t is size_t's signed twin");

#define FD_OFF_MAX   ((off_t)INT64_MAX)
#define FD_SSIZE_MAX ((size_t)SIZE_MAX / 2)

/* Open flags that only matter while opening: F_GETFL never shows them. */
#define FD_OPEN_ONLY_FLAGS (O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)

/* Flags F_SETFL may change. */
#define FD_SETFL_FLAGS (O_APPEND | O_NONBLOCK)

int vfile_new(const struct vfile_ops *ops, void *priv, int flags, struct vfile **out)
{
	struct vfile *f;
	int acc = flags & O_ACCMODE;

	if (!ops || (acc != O_RDONLY && acc != O_WRONLY && acc != O_RDWR))
		return -EINVAL;
	f = malloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->ops = ops;
	f->priv = priv;
	f->flags = flags & ~FD_OPEN_ONLY_FLAGS;
	f->offset = 0;
	f->refs = 1;
	*out = f;
	return 0;
}

void vfile_ref(struct vfile *f)
{
	f->refs++;
}

int vfile_unref(struct vfile *f)
{
	int err = 0;

	if (--f->refs > 0)
		return 0;
	if (f->ops->release)
		err = f->ops->release(f);
	free(f);
	return err;
}

static bool is_positional(const struct vfile *f)
{
	return f->ops->pread || f->ops->pwrite;
}

static bool can_read(const struct vfile *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static bool can_write(const struct vfile *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY;
}

/* The size getattr reports, or -EINVAL when the object has no getattr. */
static off_t file_size(struct vfile *f)
{
	struct stat st;
	int err;

	if (!f->ops->getattr)
		return -EINVAL;
	memset(&st, 0, sizeof(st));
	err = f->ops->getattr(f, &st);
	if (err < 0)
		return err;
	return st.st_size;
}

off_t vfile_lseek_generic(struct vfile *f, off_t off, int whence)
{
	off_t base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->offset;
		break;
	case SEEK_END:
		base = file_size(f);
		if (base < 0)
			return base;
		break;
	default:
		return -EINVAL;
	}
	/* base >= 0 here; a sum past the largest off_t is where Linux wraps to a negative
	 * offset and says -EINVAL. */
	if (off > 0 && base > FD_OFF_MAX - off)
		return -EINVAL;
	if (base + off < 0)
		return -EINVAL;
	return base + off;
}

int fd_table_init(struct fd_table *t, int capacity)
{
	if (capacity < 1)
		return -EINVAL;
	t->slots = calloc((size_t)capacity, sizeof(*t->slots));
	if (!t->slots)
		return -ENOMEM;
	t->capacity = capacity;
	t->limit = capacity;
	t->hint = 0;
	return 0;
}

void fd_table_destroy(struct fd_table *t)
{
	for (int fd = 0; fd < t->capacity; fd++) {
		if (t->slots[fd].file)
			fd_close(t, fd);
	}
	free(t->slots);
	t->slots = NULL;
	t->capacity = 0;
	t->limit = 0;
	t->hint = 0;
}

int fd_table_grow(struct fd_table *t, int capacity)
{
	if (capacity <= t->capacity)
		return 0;
	struct fd_slot *slots = realloc(t->slots, (size_t)capacity * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	memset(slots + t->capacity, 0, (size_t)(capacity - t->capacity) * sizeof(*slots));
	t->slots = slots;
	t->capacity = capacity;
	return 0;
}

int fd_table_set_limit(struct fd_table *t, int limit)
{
	if (limit < 0 || limit > t->capacity)
		return -EINVAL;
	t->limit = limit;
	return 0;
}

/* The open vfile of @fd, or NULL. */
static struct vfile *lookup(const struct fd_table *t, int fd)
{
	if (fd < 0 || fd >= t->capacity)
		return NULL;
	return t->slots[fd].file;
}

/* Put @f (whose reference the caller hands over) in closed slot @fd. */
static void fill_slot(struct fd_table *t, int fd, struct vfile *f, bool cloexec)
{
	t->slots[fd].file = f;
	t->slots[fd].cloexec = cloexec;
	if (fd == t->hint)
		t->hint++;
}

/* Empty slot @fd and return the vfile it held (the caller drops its reference). */
static struct vfile *clear_slot(struct fd_table *t, int fd)
{
	struct vfile *f = t->slots[fd].file;

	t->slots[fd].file = NULL;
	t->slots[fd].cloexec = false;
	if (fd < t->hint)
		t->hint = fd;
	return f;
}

int fd_install(struct fd_table *t, struct vfile *f, int min_fd, bool cloexec)
{
	int fd;

	if (min_fd < 0)
		return -EINVAL;
	fd = min_fd > t->hint ? min_fd : t->hint;
	for (; fd < t->limit; fd++) {
		if (!t->slots[fd].file) {
			vfile_ref(f);
			fill_slot(t, fd, f, cloexec);
			return fd;
		}
	}
	return -EMFILE;
}

int fd_get(struct fd_table *t, int fd, struct vfile **out)
{
	struct vfile *f = lookup(t, fd);

	if (!f)
		return -EBADF;
	vfile_ref(f);
	*out = f;
	return 0;
}

int fd_close(struct fd_table *t, int fd)
{
	if (!lookup(t, fd))
		return -EBADF;
	/* The slot is empty before the release runs, which may call back into the table. */
	return vfile_unref(clear_slot(t, fd));
}

int fd_dup(struct fd_table *t, int fd)
{
	struct vfile *f = lookup(t, fd);

	if (!f)
		return -EBADF;
	return fd_install(t, f, 0, false);
}

int fd_dupfd(struct fd_table *t, int fd, int min_fd, bool cloexec)
{
	struct vfile *f = lookup(t, fd);

	if (!f)
		return -EBADF;
	if (min_fd < 0 || min_fd >= t->limit)
		return -EINVAL;
	return fd_install(t, f, min_fd, cloexec);
}

/* dup2/dup3 once the arguments are checked: @newfd in [0, limit), differs from @oldfd. */
static int dup_onto(struct fd_table *t, int oldfd, int newfd, bool cloexec)
{
	struct vfile *f = lookup(t, oldfd);
	struct vfile *old = NULL;

	if (!f)
		return -EBADF;
	vfile_ref(f);
	if (t->slots[newfd].file)
		old = clear_slot(t, newfd);
	fill_slot(t, newfd, f, cloexec);
	if (old)
		vfile_unref(old); /* dup2 closes silently: the release's error is dropped */
	return newfd;
}

int fd_dup2(struct fd_table *t, int oldfd, int newfd)
{
	if (oldfd == newfd)
		return lookup(t, oldfd) ? newfd : -EBADF;
	if (newfd < 0 || newfd >= t->limit)
		return -EBADF;
	return dup_onto(t, oldfd, newfd, false);
}

int fd_dup3(struct fd_table *t, int oldfd, int newfd, int flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (newfd < 0 || newfd >= t->limit)
		return -EBADF;
	return dup_onto(t, oldfd, newfd, (flags & O_CLOEXEC) != 0);
}

int fd_getfd(struct fd_table *t, int fd)
{
	if (!lookup(t, fd))
		return -EBADF;
	return t->slots[fd].cloexec ? FD_CLOEXEC : 0;
}

int fd_setfd(struct fd_table *t, int fd, int fdflags)
{
	if (!lookup(t, fd))
		return -EBADF;
	t->slots[fd].cloexec = (fdflags & FD_CLOEXEC) != 0;
	return 0;
}

int fd_getfl(struct fd_table *t, int fd)
{
	struct vfile *f = lookup(t, fd);

	if (!f)
		return -EBADF;
	return f->flags;
}

int fd_setfl(struct fd_table *t, int fd, int flags)
{
	struct vfile *f = lookup(t, fd);

	if (!f)
		return -EBADF;
	f->flags = (f->flags & ~FD_SETFL_FLAGS) | (flags & FD_SETFL_FLAGS);
	return 0;
}

/* Linux's rw_verify_area: a count above SSIZE_MAX, or a position whose end overflows, is
 * -EINVAL (a negative position was refused before). Then the count is cut to FD_RW_MAX. */
static int check_area(off_t pos, size_t *len)
{
	if (*len > FD_SSIZE_MAX)
		return -EINVAL;
	if (pos >= 0 && (uint64_t)pos + *len > (uint64_t)FD_OFF_MAX)
		return -EINVAL;
	if (*len > FD_RW_MAX)
		*len = FD_RW_MAX;
	return 0;
}

/* read() on a vfile the caller holds. */
static ssize_t vfile_read(struct vfile *f, void *buf, size_t len)
{
	ssize_t n;
	int err;

	if (!can_read(f))
		return -EBADF;
	if (f->ops->read) {
		err = check_area(-1, &len);
		return err ? err : f->ops->read(f, buf, len);
	}
	if (!f->ops->pread)
		return -EINVAL;
	err = check_area(f->offset, &len);
	if (err)
		return err;
	n = f->ops->pread(f, buf, len, f->offset);
	if (n > 0)
		f->offset += n;
	return n;
}

/* The position an O_APPEND write of @len bytes goes to: the end of the file. */
static off_t append_pos(struct vfile *f, size_t len)
{
	off_t end = file_size(f);

	if (end < 0)
		return end;
	if ((uint64_t)end + len > (uint64_t)FD_OFF_MAX)
		return -EFBIG;
	return end;
}

/* write() on a vfile the caller holds. */
static ssize_t vfile_write(struct vfile *f, const void *buf, size_t len)
{
	off_t pos;
	ssize_t n;
	int err;

	if (!can_write(f))
		return -EBADF;
	if (f->ops->write) {
		err = check_area(-1, &len);
		return err ? err : f->ops->write(f, buf, len);
	}
	if (!f->ops->pwrite)
		return -EINVAL;
	err = check_area(f->offset, &len);
	if (err)
		return err;
	pos = f->offset;
	if (f->flags & O_APPEND) {
		pos = append_pos(f, len);
		if (pos < 0)
			return pos;
	}
	n = f->ops->pwrite(f, buf, len, pos);
	if (n > 0)
		f->offset = pos + n;
	return n;
}

ssize_t fd_read(struct fd_table *t, int fd, void *buf, size_t len)
{
	struct vfile *f;
	ssize_t n;
	int err = fd_get(t, fd, &f);

	if (err)
		return err;
	n = vfile_read(f, buf, len);
	vfile_unref(f);
	return n;
}

ssize_t fd_write(struct fd_table *t, int fd, const void *buf, size_t len)
{
	struct vfile *f;
	ssize_t n;
	int err = fd_get(t, fd, &f);

	if (err)
		return err;
	n = vfile_write(f, buf, len);
	vfile_unref(f);
	return n;
}

/* pread() on a vfile the caller holds; @off >= 0. The checks come in Linux's order. */
static ssize_t vfile_pread(struct vfile *f, void *buf, size_t len, off_t off)
{
	int err;

	if (!is_positional(f))
		return -ESPIPE;
	if (!can_read(f))
		return -EBADF;
	if (!f->ops->pread)
		return -EINVAL;
	err = check_area(off, &len);
	return err ? err : f->ops->pread(f, buf, len, off);
}

/* pwrite() on a vfile the caller holds; @off >= 0. */
static ssize_t vfile_pwrite(struct vfile *f, const void *buf, size_t len, off_t off)
{
	int err;

	if (!is_positional(f))
		return -ESPIPE;
	if (!can_write(f))
		return -EBADF;
	if (!f->ops->pwrite)
		return -EINVAL;
	err = check_area(off, &len);
	if (err)
		return err;
	if (f->flags & O_APPEND) {
		off = append_pos(f, len);
		if (off < 0)
			return off;
	}
	return f->ops->pwrite(f, buf, len, off);
}

ssize_t fd_pread(struct fd_table *t, int fd, void *buf, size_t len, off_t off)
{
	struct vfile *f;
	ssize_t n;
	int err;

	if (off < 0)
		return -EINVAL;
	err = fd_get(t, fd, &f);
	if (err)
		return err;
	n = vfile_pread(f, buf, len, off);
	vfile_unref(f);
	return n;
}

ssize_t fd_pwrite(struct fd_table *t, int fd, const void *buf, size_t len, off_t off)
{
	struct vfile *f;
	ssize_t n;
	int err;

	if (off < 0)
		return -EINVAL;
	err = fd_get(t, fd, &f);
	if (err)
		return err;
	n = vfile_pwrite(f, buf, len, off);
	vfile_unref(f);
	return n;
}

off_t fd_lseek(struct fd_table *t, int fd, off_t off, int whence)
{
	struct vfile *f;
	off_t pos;
	int err = fd_get(t, fd, &f);

	if (err)
		return err;
	if (f->ops->lseek)
		pos = f->ops->lseek(f, off, whence);
	else if (is_positional(f))
		pos = vfile_lseek_generic(f, off, whence);
	else
		pos = -ESPIPE;
	if (pos >= 0)
		f->offset = pos;
	vfile_unref(f);
	return pos;
}

int fd_fstat(struct fd_table *t, int fd, struct stat *st)
{
	struct vfile *f;
	int err = fd_get(t, fd, &f);

	if (err)
		return err;
	memset(st, 0, sizeof(*st));
	if (f->ops->getattr)
		err = f->ops->getattr(f, st);
	vfile_unref(f);
	return err;
}

int fd_ioctl(struct fd_table *t, int fd, unsigned long request, void *arg)
{
	struct vfile *f;
	int err = fd_get(t, fd, &f);

	if (err)
		return err;
	err = f->ops->ioctl ? f->ops->ioctl(f, request, arg) : -ENOTTY;
	vfile_unref(f);
	return err;
}
