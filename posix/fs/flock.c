/* flock.c - flock(2)'s advisory locks on RAM-filesystem files. A lock belongs to the open
 * file description (the vfile: dup'ed descriptors share it, a second open() of the same
 * file does not) and goes when it is unlocked or the description's last descriptor
 * closes. LOCK_EX conflicts with any other description's lock on the file, LOCK_SH with
 * another's LOCK_EX; a conflicting request waits (LOCK_NB: EWOULDBLOCK). Changing a
 * lock's kind drops the old one first, as Linux does (a LOCK_NB upgrade that fails has
 * lost its shared lock). Descriptors of other objects (pipes, sockets, the console) lock
 * successfully and never conflict: nothing else can open them. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>

#include "kernel/sched.h"
#include "posix/fs/files.h"
#include "posix/posix.h"

#define LOCK_MAND 32 /* Linux's obsolete flag: flock answers 0 and does nothing */

struct lock {
	struct ramfs_node *node;
	struct vfile *owner;
	bool exclusive;
	struct lock *next;
};

static struct lock *locks;
static struct wait_queue lock_wq = WAIT_QUEUE_INIT;

static struct lock **find(struct vfile *owner)
{
	struct lock **link = &locks;

	while (*link && (*link)->owner != owner)
		link = &(*link)->next;
	return link;
}

static void drop(struct vfile *owner)
{
	struct lock **link = find(owner);

	if (*link) {
		struct lock *l = *link;
		*link = l->next;
		free(l);
		wait_queue_wake_all(&lock_wq);
	}
}

static bool conflicts(struct ramfs_node *node, struct vfile *owner, bool exclusive)
{
	for (struct lock *l = locks; l; l = l->next)
		if (l->node == node && l->owner != owner && (exclusive || l->exclusive))
			return true;
	return false;
}

void posix_flock_release(struct vfile *f)
{
	drop(f);
}

static int lock_file(struct vfile *f, struct ramfs_node *node, int op)
{
	bool exclusive = (op & ~LOCK_NB) == LOCK_EX;
	struct lock *held = *find(f);

	if ((op & ~LOCK_NB) == LOCK_UN) {
		drop(f);
		return 0;
	}
	if (held && held->exclusive == exclusive)
		return 0;
	drop(f);
	while (conflicts(node, f, exclusive)) {
		if (op & LOCK_NB)
			return -EWOULDBLOCK;
		wait_queue_wait(&lock_wq, 0);
	}
	struct lock *l = malloc(sizeof(*l));
	if (!l)
		return -ENOLCK;
	*l = (struct lock){.node = node, .owner = f, .exclusive = exclusive, .next = locks};
	locks = l;
	return 0;
}

/* flock - @op LOCK_SH, LOCK_EX or LOCK_UN, with LOCK_NB. Returns 0, or -1 with EINVAL
 * (another @op; checked before the descriptor, as Linux 5.15 and later), EBADF,
 * EWOULDBLOCK or ENOLCK (no memory for the lock). */
int flock(int fd, int op)
{
	struct vfile *f;
	int type = op & ~LOCK_NB;

	if (op & LOCK_MAND)
		return 0;
	if (type != LOCK_SH && type != LOCK_EX && type != LOCK_UN)
		return (int)posix_result(-EINVAL);
	int err = fd_get(&posix_fds, fd, &f);
	if (err)
		return (int)posix_result(err);
	struct ramfs_node *node = posix_file_node(f);
	if (node)
		err = lock_file(f, node, op);
	vfile_unref(f);
	return (int)posix_result(err);
}
