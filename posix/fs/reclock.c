/* reclock.c - POSIX record locks through fcntl on RAM-filesystem files: F_SETLK,
 * F_SETLKW and F_GETLK (the process's locks) and F_OFD_SETLK, F_OFD_SETLKW and
 * F_OFD_GETLK (locks of an open file description), by Linux's rules (fs/locks.c).
 *
 * A VM runs one process, so the process's locks never conflict with each other, as on
 * Linux a process's own locks do not: a request replaces the process's locks on its range
 * (splitting, and merging with neighbours of the same type). They conflict with other
 * descriptions' OFD locks, and OFD locks conflict with every other owner's. The
 * process's locks on a file go when any of its descriptors of the file is closed; a
 * description's OFD locks go with the description. F_SETLKW waits for a conflicting lock
 * to go (a cancellation point). Locks on other objects (pipes, sockets, the console)
 * are granted after the same checks and never conflict: nothing else can open them. */
#define _GNU_SOURCE /* F_OFD_ */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/sched.h"
#include "posix/fs/files.h"
#include "posix/posix.h"
#include "posix/thread/pthread_internal.h"

#define RANGE_END_MAX INT64_MAX /* a lock "to the end of the file" */

struct rlock {
	struct ramfs_node *node;
	struct vfile *ofd;  /* the description of an OFD lock; NULL: the process's */
	int64_t start, end; /* bytes start..end, end included */
	short type;         /* F_RDLCK or F_WRLCK */
	struct rlock *next;
};

static struct rlock *locks;
static struct wait_queue unlocked_wq = WAIT_QUEUE_INIT;

static bool overlap(const struct rlock *l, int64_t start, int64_t end)
{
	return l->start <= end && start <= l->end;
}

/* The lock of another owner on @node that conflicts with @type over start..end and
 * starts first (Linux keeps an owner's locks in order of their start), or NULL. */
static struct rlock *conflict(struct ramfs_node *node, struct vfile *ofd, short type, int64_t start,
                              int64_t end)
{
	struct rlock *first = NULL;

	for (struct rlock *l = locks; l; l = l->next)
		if (l->node == node && l->ofd != ofd && overlap(l, start, end) &&
		    (type == F_WRLCK || l->type == F_WRLCK) && (!first || l->start < first->start))
			first = l;
	return first;
}

static struct rlock *new_lock(struct ramfs_node *node, struct vfile *ofd, short type, int64_t start,
                              int64_t end)
{
	struct rlock *l = malloc(sizeof(*l));

	if (l) {
		*l = (struct rlock){
		    .node = node, .ofd = ofd, .type = type, .start = start, .end = end};
		l->next = locks;
		locks = l;
	}
	return l;
}

/* Take start..end out of the owner's locks on @node, splitting one that covers it.
 * Returns 0, or -ENOLCK when a split needed memory that was not there (nothing changed). */
static int cut(struct ramfs_node *node, struct vfile *ofd, int64_t start, int64_t end)
{
	for (struct rlock *l = locks; l; l = l->next)
		if (l->node == node && l->ofd == ofd && l->start < start && l->end > end &&
		    !new_lock(node, ofd, l->type, end + 1, l->end))
			return -ENOLCK;
	for (struct rlock **link = &locks; *link;) {
		struct rlock *l = *link;
		if (l->node != node || l->ofd != ofd || !overlap(l, start, end)) {
			link = &l->next;
		} else if (l->start < start) {
			l->end = start - 1; /* the part after the range is its own lock now */
			link = &l->next;
		} else if (l->end > end) {
			l->start = end + 1;
			link = &l->next;
		} else {
			*link = l->next;
			free(l);
		}
	}
	return 0;
}

/* Put a lock of @type on start..end for the owner, merged with the owner's locks of the
 * same type that touch it. */
static int place(struct ramfs_node *node, struct vfile *ofd, short type, int64_t start, int64_t end)
{
	int err = cut(node, ofd, start, end);

	if (err || type == F_UNLCK)
		return err;
	for (struct rlock **link = &locks; *link;) {
		struct rlock *l = *link;
		bool touches = l->node == node && l->ofd == ofd && l->type == type &&
		               (l->end == RANGE_END_MAX || l->end + 1 >= start) &&
		               (end == RANGE_END_MAX || end + 1 >= l->start);
		if (touches) {
			start = l->start < start ? l->start : start;
			end = l->end > end ? l->end : end;
			*link = l->next;
			free(l);
		} else {
			link = &l->next;
		}
	}
	return new_lock(node, ofd, type, start, end) ? 0 : -ENOLCK;
}

/* The byte range of @fl on @f as start..end. Returns 0, -EINVAL (a bad l_whence, a start
 * before the file's beginning) or -EOVERFLOW (past the largest offset). */
static int range_of(struct vfile *f, const struct flock *fl, int64_t *start, int64_t *end)
{
	int64_t base;

	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->offset;
		break;
	case SEEK_END: {
		struct stat st = {0};
		int err = f->ops->getattr ? f->ops->getattr(f, &st) : 0;
		if (err)
			return err;
		base = st.st_size;
		break;
	}
	default:
		return -EINVAL;
	}
	int64_t s, len = fl->l_len;
	if (__builtin_add_overflow(base, (int64_t)fl->l_start, &s))
		return -EOVERFLOW;
	if (len > 0) {
		if (__builtin_add_overflow(s, len - 1, end))
			return -EOVERFLOW;
	} else if (len < 0) {
		*end = s - 1;
		if (__builtin_add_overflow(s, len, &s))
			return -EINVAL;
	} else {
		*end = RANGE_END_MAX;
	}
	if (s < 0)
		return -EINVAL;
	*start = s;
	return 0;
}

static int getlk(struct ramfs_node *node, struct vfile *ofd, struct flock *fl, int64_t start,
                 int64_t end)
{
	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK)
		return -EINVAL;
	struct rlock *l = conflict(node, ofd, fl->l_type, start, end);
	if (!l) {
		fl->l_type = F_UNLCK;
		return 0;
	}
	fl->l_type = l->type;
	fl->l_whence = SEEK_SET;
	fl->l_start = l->start;
	fl->l_len = l->end == RANGE_END_MAX ? 0 : l->end - l->start + 1;
	fl->l_pid = l->ofd ? -1 : (short)getpid();
	return 0;
}

/* A set request's type against @f's access mode: 0, -EBADF or -EINVAL. */
static int check_request(const struct vfile *f, const struct flock *fl)
{
	int mode = f->flags & O_ACCMODE;

	if (fl->l_type == F_RDLCK && mode == O_WRONLY)
		return -EBADF;
	if (fl->l_type == F_WRLCK && mode == O_RDONLY)
		return -EBADF;
	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK && fl->l_type != F_UNLCK)
		return -EINVAL;
	return 0;
}

static int setlk(struct ramfs_node *node, struct vfile *f, struct vfile *ofd,
                 const struct flock *fl, int64_t start, int64_t end, bool wait)
{
	int err = check_request(f, fl);

	if (err)
		return err;
	while (fl->l_type != F_UNLCK && conflict(node, ofd, fl->l_type, start, end)) {
		if (!wait)
			return -EAGAIN;
		if (posix_cancel_wait(&unlocked_wq, NULL) == -ECANCELED)
			return -ECANCELED;
	}
	err = place(node, ofd, fl->l_type, start, end);
	wait_queue_wake_all(&unlocked_wq); /* a lock cut or lowered may free a waiter */
	return err;
}

int posix_record_lock(int fd, int cmd, struct flock *fl)
{
	bool ofd_cmd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	struct vfile *f;
	int64_t start, end;

	if (!fl)
		return -EFAULT;
	int err = fd_get(&posix_fds, fd, &f);
	if (err)
		return err;
	struct ramfs_node *node = posix_file_node(f);
	if (ofd_cmd && fl->l_pid != 0)
		err = -EINVAL; /* Linux: an OFD request names no process */
	else
		err = range_of(f, fl, &start, &end);
	if (!err) {
		struct vfile *ofd = ofd_cmd ? f : NULL;
		bool wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
		if (cmd == F_GETLK || cmd == F_OFD_GETLK)
			err = getlk(node, ofd, fl, start, end);
		else if (node)
			err = setlk(node, f, ofd, fl, start, end, wait);
		else
			err = check_request(f, fl); /* granted: see the top of the file */
	}
	vfile_unref(f);
	return err;
}

static void drop_where(struct ramfs_node *node, struct vfile *ofd)
{
	bool dropped = false;

	for (struct rlock **link = &locks; *link;) {
		struct rlock *l = *link;
		if ((node && l->node == node && !l->ofd) || (ofd && l->ofd == ofd)) {
			*link = l->next;
			free(l);
			dropped = true;
		} else {
			link = &l->next;
		}
	}
	if (dropped)
		wait_queue_wake_all(&unlocked_wq);
}

void posix_record_locks_closing(int fd)
{
	struct vfile *f;

	if (!locks || fd_get(&posix_fds, fd, &f))
		return;
	struct ramfs_node *node = posix_file_node(f);
	if (node)
		drop_where(node, NULL);
	vfile_unref(f);
}

void posix_record_locks_release(struct vfile *f)
{
	if (locks)
		drop_where(NULL, f);
}
