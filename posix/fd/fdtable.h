/* fdtable.h - open-file objects (struct vfile) and the file-descriptor table.
 *
 * A vfile is one open file description in POSIX's sense: an object behind a small ops
 * table, its open flags and its file offset. Descriptors are slots of a struct fd_table
 * that point to vfiles; dup'ed descriptors share one vfile (so one offset and one set of
 * flags), counted by a reference count. The generic read/write/seek helpers here apply
 * what POSIX puts above the object: the access mode, O_APPEND and the offset.
 *
 * Ops come in two kinds. A stream object (pipe, socket, console) has read/write and no
 * position: pread/pwrite/lseek on it give -ESPIPE. A positional object (regular file,
 * directory) has pread and/or pwrite and leaves read/write NULL: the helpers call them
 * at the file offset and move the offset. A NULL op means "not supported" and becomes the
 * errno Linux gives for it.
 *
 * Everything returns 0 / a count / an offset, or -errno. Not locked: callers serialise
 * (one cooperative scheduler on one vCPU). Pure logic: unit-tested on the host.
 */
#ifndef POSIX_FDTABLE_H
#define POSIX_FDTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Largest byte count one read or write call moves (Linux's MAX_RW_COUNT): longer
 * requests are shortened to it, as Linux does, and return a short count. */
#define FD_RW_MAX 0x7ffff000

/* Descriptor slots an fd_table_init() caller would usually ask for (RLIMIT_NOFILE). */
#define FD_DEFAULT_CAPACITY 1024

struct vfile;

/* What the object behind a vfile can do. Any entry may be NULL. Every call gets the vfile;
 * the object's state is in f->priv. Returns follow the module rule (count or -errno). */
struct vfile_ops {
	/* Stream I/O. NULL on positional objects. Both NULL (and no pread/pwrite) makes
	 * read()/write() fail with -EINVAL, as Linux does for objects that cannot do it. */
	ssize_t (*read)(struct vfile *f, void *buf, size_t len);
	ssize_t (*write)(struct vfile *f, const void *buf, size_t len);
	/* Positional I/O at byte @off (>= 0, and @off + @len fits in off_t). Having either
	 * one makes the object seekable. A directory returns -EISDIR from pread. */
	ssize_t (*pread)(struct vfile *f, void *buf, size_t len, off_t off);
	ssize_t (*pwrite)(struct vfile *f, const void *buf, size_t len, off_t off);
	/* The new offset for lseek(@off, @whence), or -errno; the table layer stores it.
	 * NULL: vfile_lseek_generic() on positional objects, -ESPIPE on stream objects. */
	off_t (*lseek)(struct vfile *f, off_t off, int whence);
	/* Fill what the object knows of @st, which the caller has zeroed (fstat). Its
	 * st_size is also the end of file for O_APPEND and SEEK_END. */
	int (*getattr)(struct vfile *f, struct stat *st);
	/* NULL: every request gives -ENOTTY. */
	int (*ioctl)(struct vfile *f, unsigned long request, void *arg);
	/* fsync (@data_only: fdatasync): what was written reaches stable storage before it
	 * returns 0. NULL: nothing to do (memory, pipes, sockets). */
	int (*sync)(struct vfile *f, bool data_only);
	/* The readiness poll(2) reports (POLLIN, POLLOUT, POLLERR, POLLHUP... of <poll.h>).
	 * NULL: always readable and writable, like a regular file. An object whose
	 * readiness changes calls posix_poll_notify() (posix/fd/pollwait.h) when it does. */
	unsigned (*poll)(struct vfile *f);
	/* Called once, when the last reference goes; its result is close()'s result. */
	int (*release)(struct vfile *f);
};

struct vfile {
	const struct vfile_ops *ops;
	void *priv;    /* the object's own state */
	int flags;     /* access mode (O_ACCMODE bits), O_APPEND, O_NONBLOCK... (F_GETFL) */
	off_t offset;  /* the file offset, shared by every descriptor of this vfile */
	unsigned refs; /* descriptors and callers holding it */
};

struct fd_slot {
	struct vfile *file; /* NULL: the descriptor is closed */
	bool cloexec;       /* FD_CLOEXEC */
};

struct fd_table {
	struct fd_slot *slots; /* capacity entries */
	int capacity;          /* descriptors 0..capacity-1 can exist: the hard limit */
	int limit;             /* new descriptors must be below it (RLIMIT_NOFILE soft) */
	int hint;              /* every descriptor below it is open */
};

/* vfile_new - a vfile over @ops and @priv with open flags @flags, offset 0 and one
 * reference (the caller's). The flags kept are those F_GETFL reports: O_CREAT, O_EXCL,
 * O_NOCTTY, O_TRUNC and O_CLOEXEC are dropped (close-on-exec belongs to descriptors).
 * Returns 0, -EINVAL for NULL @ops or an access mode other than O_RDONLY, O_WRONLY or
 * O_RDWR, or -ENOMEM. */
int vfile_new(const struct vfile_ops *ops, void *priv, int flags, struct vfile **out);

/* vfile_ref - take one more reference on @f. */
void vfile_ref(struct vfile *f);

/* vfile_unref - drop one reference. The last one runs ops->release (if any), frees @f and
 * returns release's result; otherwise returns 0. */
int vfile_unref(struct vfile *f);

/* vfile_lseek_generic - the offset lseek(@off, @whence) would give @f, without moving it:
 * SEEK_SET, SEEK_CUR from f->offset, SEEK_END from the size getattr reports. Returns it,
 * or -EINVAL for another @whence, a negative or overflowing result (Linux on 64-bit gives
 * -EINVAL, not -EOVERFLOW, when the sum wraps), or SEEK_END on an object without getattr.
 * For objects whose lseek op wants the usual arithmetic. */
off_t vfile_lseek_generic(struct vfile *f, off_t off, int whence);

/* fd_table_init - an empty table whose descriptors are 0..@capacity-1; the limit starts
 * at @capacity. Returns 0, -EINVAL when @capacity < 1, or -ENOMEM. */
int fd_table_init(struct fd_table *t, int capacity);

/* fd_table_destroy - close every open descriptor (running releases) and free the table. */
void fd_table_destroy(struct fd_table *t);

/* fd_table_grow - make descriptors up to @capacity-1 possible (a raised hard limit); the
 * soft limit stays. A smaller @capacity changes nothing. Returns 0 or -ENOMEM (the table
 * is as it was). */
int fd_table_grow(struct fd_table *t, int capacity);

/* fd_table_set_limit - set the soft limit (setrlimit(RLIMIT_NOFILE)) to @limit. As on
 * Linux, lowering it below open descriptors is allowed: they stay open and usable, only
 * new descriptors must be below the new limit. Returns 0, or -EINVAL when @limit is
 * negative or above the capacity (the hard limit). */
int fd_table_set_limit(struct fd_table *t, int limit);

/* fd_install - give @f the lowest closed descriptor >= @min_fd, with FD_CLOEXEC set when
 * @cloexec. The table takes its own reference: the caller still owns its own. Returns
 * the descriptor, -EINVAL for a negative @min_fd, or -EMFILE when no descriptor in
 * [@min_fd, limit) is free. */
int fd_install(struct fd_table *t, struct vfile *f, int min_fd, bool cloexec);

/* fd_get - the vfile behind @fd, with a new reference the caller drops with vfile_unref
 * (so that a close() during a blocking call cannot free it). Returns 0, or -EBADF when @fd
 * is negative, out of range or closed. */
int fd_get(struct fd_table *t, int fd, struct vfile **out);

/* fd_close - close @fd: its reference goes, and the release runs if it was the last one.
 * The descriptor is closed whatever the result (never retry close). Returns 0, the
 * release's error, or -EBADF. */
int fd_close(struct fd_table *t, int fd);

/* fd_dup - dup(@fd): the lowest free descriptor, sharing @fd's vfile, FD_CLOEXEC clear.
 * Returns it, -EBADF or -EMFILE. */
int fd_dup(struct fd_table *t, int fd);

/* fd_dupfd - fcntl(@fd, F_DUPFD or F_DUPFD_CLOEXEC, @min_fd). Returns the new descriptor,
 * -EBADF, -EINVAL when @min_fd is negative or not below the limit, or -EMFILE. */
int fd_dupfd(struct fd_table *t, int fd, int min_fd, bool cloexec);

/* fd_dup2 - dup2(@oldfd, @newfd): @newfd is closed first if open (errors ignored) and
 * then shares @oldfd's vfile, FD_CLOEXEC clear. When both are equal, returns @newfd if it
 * is open. Returns @newfd, or -EBADF for a closed @oldfd or an @newfd that is negative or
 * not below the limit. */
int fd_dup2(struct fd_table *t, int oldfd, int newfd);

/* fd_dup3 - dup3(@oldfd, @newfd, @flags): as fd_dup2, FD_CLOEXEC from O_CLOEXEC in
 * @flags. Returns @newfd, -EINVAL for other flags or equal descriptors, or -EBADF. */
int fd_dup3(struct fd_table *t, int oldfd, int newfd, int flags);

/* fd_getfd / fd_setfd - fcntl F_GETFD / F_SETFD: the descriptor flags (FD_CLOEXEC or 0).
 * fd_setfd takes FD_CLOEXEC from @fdflags and ignores other bits. Return the flags / 0,
 * or -EBADF. */
int fd_getfd(struct fd_table *t, int fd);
int fd_setfd(struct fd_table *t, int fd, int fdflags);

/* fd_getfl / fd_setfl - fcntl F_GETFL / F_SETFL on the shared vfile. fd_setfl changes
 * only O_APPEND and O_NONBLOCK (to what @flags says) and ignores the other bits, as Linux
 * does for the access mode and creation flags. Return the flags / 0, or -EBADF. */
int fd_getfl(struct fd_table *t, int fd);
int fd_setfl(struct fd_table *t, int fd, int flags);

/* fd_read - read(2). Stream objects: ops->read. Positional objects: pread at the file
 * offset, which moves by the count read. Returns the count (0: end of file), -EBADF for a
 * bad @fd or a file not open for reading, -EINVAL for an object that cannot be read or
 * @len above SSIZE_MAX or an offset + @len that overflows, or the object's error. @len is
 * cut to FD_RW_MAX. */
ssize_t fd_read(struct fd_table *t, int fd, void *buf, size_t len);

/* fd_write - write(2), as fd_read. With O_APPEND a positional object is written at its
 * end (getattr's st_size; -EINVAL without getattr, -EFBIG when end + @len overflows) and
 * the offset moves past what was written; stream objects ignore O_APPEND. */
ssize_t fd_write(struct fd_table *t, int fd, const void *buf, size_t len);

/* fd_pread - pread(2): read at @off, the file offset does not move. Returns the count,
 * -EINVAL for a negative @off (checked first, as Linux does), -EBADF, -ESPIPE on a stream
 * object, -EINVAL when @off + @len overflows, or the object's error. */
ssize_t fd_pread(struct fd_table *t, int fd, void *buf, size_t len, off_t off);

/* fd_pwrite - pwrite(2), as fd_pread. With O_APPEND the data goes to the end of the file
 * whatever @off is: Linux does this (POSIX says @off should be used). */
ssize_t fd_pwrite(struct fd_table *t, int fd, const void *buf, size_t len, off_t off);

/* fd_lseek - lseek(2): ops->lseek, else vfile_lseek_generic on positional objects, else
 * -ESPIPE. Stores and returns the new offset, or -EBADF / -EINVAL / the object's error. */
off_t fd_lseek(struct fd_table *t, int fd, off_t off, int whence);

/* fd_fstat - fstat(2): zeroes @st and lets getattr fill it (an object without getattr
 * leaves it zeroed). Returns 0, -EBADF or getattr's error. */
int fd_fstat(struct fd_table *t, int fd, struct stat *st);

/* fd_ioctl - ioctl(2) passed to the object: -ENOTTY without an ioctl op, -EBADF. Generic
 * requests (FIONBIO, FIOCLEX...) are for the caller to handle before. */
int fd_ioctl(struct fd_table *t, int fd, unsigned long request, void *arg);

#endif
