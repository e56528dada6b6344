/* ext2store.c - an ext2/3/4 file system as a RAM-filesystem store (see ext2store.h): each
 * ramfs_store operation done with libext2fs as fuse2fs does it for FUSE, under one lock per
 * file system (libext2fs is not reentrant, and a thread blocked on the disk lets others
 * run). A file's libext2fs handle is opened on first use and kept with its node until the
 * node leaves the cache; an unlinked file still open keeps its inode and blocks until
 * then, as on Linux. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ext2fs/ext2_fs.h>
#include <ext2fs/ext2fs.h>

#include "kernel/clock.h"
#include "kernel/console.h"
#include "posix/disk/ext2io.h"
#include "posix/disk/ext2orphan.h"
#include "posix/disk/ext2store.h"
#include "posix/fs/ramfs_store.h"
#include "virtio/virtio_blk.h"

/* debugfs/journal.c (libext2fs-journal.a), as fuse2fs declares it: replay the journal,
 * reopening *fs. */
errcode_t ext2fs_run_ext3_journal(ext2_filsys *fs);

#define MAX_MOUNTS 8
#define NS         1000000000ll

struct ext2store {
	struct ramfs_store base; /* first: the ramfs_store pointer is this */
	ext2_filsys fs;
	pthread_mutex_t lock;
	struct ext2node *open_files; /* nodes with a file handle, for sync */
	struct ext2node *orphans;    /* unlinked and still referenced: freed at forget */
	char device[16];
};

/* What the store keeps per node (ramfs_store_priv). */
struct ext2node {
	ext2_ino_t ino;
	ext2_file_t file;           /* NULL until first read or write */
	bool unlinked;              /* its last name went: free the inode at forget */
	struct ext2node *next_open; /* ext2store.open_files */
	struct ext2node **prev_open;
	struct ext2node *next_orphan; /* ext2store.orphans, while unlinked */
	struct ext2node **prev_orphan;
};

static struct ext2store *mounts[MAX_MOUNTS];
static int mount_count;

static int sync_locked(struct ext2store *s);

/* The end of a change: commit when the held writes passed half a transaction, so that
 * every transaction ends between two operations. */
static void op_done(struct ext2store *s)
{
	if (ext2io_wants_commit(s->fs))
		sync_locked(s);
}

static struct ext2store *of(struct ramfs_store *st)
{
	return (struct ext2store *)st;
}

static ext2_ino_t ino_of(const struct ramfs_node *node)
{
	return (ext2_ino_t)ramfs_store_id(node);
}

static void lock(struct ext2store *s)
{
	pthread_mutex_lock(&s->lock);
}

static void unlock(struct ext2store *s)
{
	pthread_mutex_unlock(&s->lock);
}

static int64_t now_ns(void)
{
	return (int64_t)clock_realtime_ns();
}

/* --- inodes ------------------------------------------------------------------------- */

/* Whether the inode's extra space holds a field ending @end bytes into the inode. */
static bool has_extra(const struct ext2store *s, const struct ext2_inode_large *in, size_t end)
{
	return EXT2_INODE_SIZE(s->fs->super) > EXT2_GOOD_OLD_INODE_SIZE &&
	       EXT2_GOOD_OLD_INODE_SIZE + (size_t)in->i_extra_isize >= end;
}

#define HAS_EXTRA(s, in, field)                                                                    \
	has_extra(s, in, offsetof(struct ext2_inode_large, field) + sizeof((in)->field))

/* ext4's times: 32 seconds bits, and in the extra field two epoch bits and nanoseconds. */
static int64_t get_time(uint32_t sec, uint32_t extra, bool with_extra)
{
	int64_t s = (int32_t)sec;
	int64_t ns = 0;
	if (with_extra) {
		s += (int64_t)(extra & 3) << 32;
		ns = extra >> 2;
	}
	return s * NS + ns;
}

static void put_time(int64_t t, uint32_t *sec, uint32_t *extra, bool with_extra)
{
	int64_t s = t >= 0 ? t / NS : -((-t + NS - 1) / NS);
	uint32_t ns = (uint32_t)(t - s * NS);
	*sec = (uint32_t)s;
	if (with_extra)
		*extra = (uint32_t)(((s - (int32_t)(uint32_t)s) >> 32) & 3) | (ns << 2);
}

static void set_times(struct ext2store *s, struct ext2_inode_large *in, int64_t atime,
                      int64_t mtime, int64_t ctime)
{
	put_time(atime, &in->i_atime, &in->i_atime_extra, HAS_EXTRA(s, in, i_atime_extra));
	put_time(mtime, &in->i_mtime, &in->i_mtime_extra, HAS_EXTRA(s, in, i_mtime_extra));
	put_time(ctime, &in->i_ctime, &in->i_ctime_extra, HAS_EXTRA(s, in, i_ctime_extra));
}

static int read_inode(struct ext2store *s, ext2_ino_t ino, struct ext2_inode_large *in)
{
	memset(in, 0, sizeof(*in));
	return ext2io_errno(
	    ext2fs_read_inode_full(s->fs, ino, (struct ext2_inode *)in, sizeof(*in)));
}

static int write_inode(struct ext2store *s, ext2_ino_t ino, struct ext2_inode_large *in)
{
	return ext2io_errno(
	    ext2fs_write_inode_full(s->fs, ino, (struct ext2_inode *)in, sizeof(*in)));
}

/* write_inode, and the copy an open handle of @ino keeps made the same: the handle writes
 * its copy back at its next write, and an old one would undo the change (a link count, an
 * orphan chain). */
static int write_inode_handles(struct ext2store *s, ext2_ino_t ino, struct ext2_inode_large *in)
{
	int err = write_inode(s, ino, in);
	if (err)
		return err;
	for (struct ext2node *p = s->open_files; p; p = p->next_open)
		if (p->ino == ino)
			memcpy(ext2fs_file_get_inode(p->file), in, sizeof(struct ext2_inode));
	return 0;
}

static int put_orphan(void *ctx, ext2_ino_t ino, struct ext2_inode_large *in)
{
	return write_inode_handles(ctx, ino, in);
}

static uint32_t rdev_of(const struct ext2_inode_large *in)
{
	if (!S_ISCHR(in->i_mode) && !S_ISBLK(in->i_mode))
		return 0;
	uint32_t old = in->i_block[0], enc = in->i_block[1];
	if (old) /* Linux's old encoding: major and minor below 256 */
		return ((old >> 8) & 0xff) << 8 | (old & 0xff);
	uint32_t major = (enc & 0xfff00) >> 8, minor = (enc & 0xff) | ((enc >> 12) & 0xfff00);
	return major << 8 | (minor & 0xff);
}

static void to_attr(struct ext2store *s, ext2_ino_t ino, struct ext2_inode_large *in,
                    struct ramfs_store_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->id = ino;
	a->mode = in->i_mode;
	a->nlink = in->i_links_count;
	a->uid = inode_uid(*in);
	a->gid = inode_gid(*in);
	a->rdev = rdev_of(in);
	a->size = EXT2_I_SIZE(in);
	a->blocks = ext2fs_get_stat_i_blocks(s->fs, (struct ext2_inode *)in);
	a->atime_ns = get_time(in->i_atime, in->i_atime_extra, HAS_EXTRA(s, in, i_atime_extra));
	a->mtime_ns = get_time(in->i_mtime, in->i_mtime_extra, HAS_EXTRA(s, in, i_mtime_extra));
	a->ctime_ns = get_time(in->i_ctime, in->i_ctime_extra, HAS_EXTRA(s, in, i_ctime_extra));
}

static int file_type(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return EXT2_FT_REG_FILE;
	case S_IFDIR:
		return EXT2_FT_DIR;
	case S_IFCHR:
		return EXT2_FT_CHRDEV;
	case S_IFBLK:
		return EXT2_FT_BLKDEV;
	case S_IFIFO:
		return EXT2_FT_FIFO;
	case S_IFSOCK:
		return EXT2_FT_SOCK;
	case S_IFLNK:
		return EXT2_FT_SYMLINK;
	default:
		return EXT2_FT_UNKNOWN;
	}
}

/* A directory's modification and change times to @t (a change of its entries). */
static int touch_dir(struct ext2store *s, ext2_ino_t dir, int64_t t)
{
	struct ext2_inode_large in;
	int err = read_inode(s, dir, &in);
	if (err)
		return err;
	put_time(t, &in.i_mtime, &in.i_mtime_extra, HAS_EXTRA(s, &in, i_mtime_extra));
	put_time(t, &in.i_ctime, &in.i_ctime_extra, HAS_EXTRA(s, &in, i_ctime_extra));
	return write_inode(s, dir, &in);
}

/* Add @ino to its link count by @delta (a directory's for a subdirectory's ".."). */
static int add_links(struct ext2store *s, ext2_ino_t ino, int delta)
{
	struct ext2_inode_large in;
	int err = read_inode(s, ino, &in);
	if (err)
		return err;
	if (delta < 0 && in.i_links_count <= 1)
		return 0; /* a directory past 65000 subdirectories counts 1 (dir_nlink) */
	in.i_links_count = (uint16_t)(in.i_links_count + delta);
	return write_inode(s, ino, &in);
}

static struct ext2node *node_priv(struct ramfs_node *node)
{
	struct ext2node *p = ramfs_store_priv(node);
	if (!p) {
		p = calloc(1, sizeof(*p));
		if (p) {
			p->ino = ino_of(node);
			ramfs_set_store_priv(node, p);
		}
	}
	return p;
}

/* The node's libext2fs file handle, opened on first use. */
static int file_of(struct ext2store *s, struct ramfs_node *node, ext2_file_t *out)
{
	struct ext2node *p = node_priv(node);
	if (!p)
		return -ENOMEM;
	if (!p->file) {
		int flags = s->base.read_only ? 0 : EXT2_FILE_WRITE;
		int err = ext2io_errno(ext2fs_file_open(s->fs, ino_of(node), flags, &p->file));
		if (err)
			return err;
		p->next_open = s->open_files;
		if (p->next_open)
			p->next_open->prev_open = &p->next_open;
		p->prev_open = &s->open_files;
		s->open_files = p;
	}
	*out = p->file;
	return 0;
}

/* --- directory entries -------------------------------------------------------------- */

struct load_ctx {
	struct ext2store *s;
	struct ramfs_node *dir;
	int err;
};

/* A symbolic link's target into @buf (@size bytes), its length in @len. */
static int link_target(struct ext2store *s, ext2_ino_t ino, struct ext2_inode_large *in, char *buf,
                       size_t size, size_t *len)
{
	uint64_t n = EXT2_I_SIZE(in);
	if (n >= size)
		return -EIO;
	if (ext2fs_is_fast_symlink((struct ext2_inode *)in)) {
		memcpy(buf, in->i_block, n);
		*len = n;
		return 0;
	}
	if (in->i_flags & EXT4_INLINE_DATA_FL) {
		size_t got = size;
		int err = ext2io_errno(
		    ext2fs_inline_data_get(s->fs, ino, (struct ext2_inode *)in, buf, &got));
		*len = n;
		return err;
	}
	ext2_file_t f;
	unsigned got = 0;
	int err = ext2io_errno(ext2fs_file_open2(s->fs, ino, (struct ext2_inode *)in, 0, &f));
	if (err)
		return err;
	err = ext2io_errno(ext2fs_file_read(f, buf, (unsigned)n, &got));
	ext2fs_file_close(f);
	*len = got;
	return err;
}

static int load_entry(ext2_ino_t dir, int entry, struct ext2_dir_entry *dirent, int offset,
                      int blocksize, char *buf, void *priv)
{
	struct load_ctx *c = priv;
	int len = ext2fs_dirent_name_len(dirent);
	struct ext2_inode_large in;
	struct ramfs_store_attr a;
	char target[EXT2_MAX_BLOCK_SIZE < 4096 ? 4096 : 4096];
	size_t target_len = 0;

	(void)dir, (void)offset, (void)blocksize, (void)buf;
	if (entry == DIRENT_DOT_FILE || entry == DIRENT_DOT_DOT_FILE)
		return 0;
	c->err = read_inode(c->s, dirent->inode, &in);
	if (!c->err && LINUX_S_ISLNK(in.i_mode))
		c->err = link_target(c->s, dirent->inode, &in, target, sizeof(target), &target_len);
	if (!c->err) {
		to_attr(c->s, dirent->inode, &in, &a);
		c->err = ramfs_store_add(c->dir, dirent->name, (size_t)len, &a, target, target_len);
	}
	return c->err ? DIRENT_ABORT : 0;
}

static int op_load_dir(struct ramfs_store *st, struct ramfs_node *dir)
{
	struct ext2store *s = of(st);
	struct load_ctx c = {s, dir, 0};

	lock(s);
	int err = ext2io_errno(ext2fs_dir_iterate2(s->fs, ino_of(dir), 0, NULL, load_entry, &c));
	unlock(s);
	return c.err ? c.err : err;
}

/* ext2fs_link, growing the directory by a block when it is full (as fuse2fs does). */
static int link_name(struct ext2store *s, ext2_ino_t dir, const char *name, ext2_ino_t ino,
                     int type)
{
	errcode_t e = ext2fs_link(s->fs, dir, name, ino, type);
	if (e == EXT2_ET_DIR_NO_SPACE) {
		e = ext2fs_expand_dir(s->fs, dir);
		if (!e)
			e = ext2fs_link(s->fs, dir, name, ino, type);
	}
	return ext2io_errno(e);
}

/* A name of @len bytes, NUL-terminated, for libext2fs. */
static int cstring(const char *name, size_t len, char out[EXT2_NAME_LEN + 1])
{
	if (len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	memcpy(out, name, len);
	out[len] = 0;
	return 0;
}

static int create_locked(struct ext2store *s, ext2_ino_t parent, const char *name, size_t len,
                         mode_t mode, uint32_t rdev, const char *target, uint32_t uid, uint32_t gid,
                         int64_t t, struct ramfs_store_attr *out)
{
	char n[EXT2_NAME_LEN + 1];
	ext2_ino_t ino;
	struct ext2_inode_large in;
	errcode_t e;
	int err = cstring(name, len, n);

	if (err)
		return err;
	/* Two threads may create the same name: the second finds it here. */
	if (ext2fs_lookup(s->fs, parent, n, (int)len, NULL, &ino) == 0)
		return -EEXIST;
	if (S_ISDIR(mode) || S_ISLNK(mode)) {
		e = S_ISDIR(mode) ? ext2fs_mkdir(s->fs, parent, 0, n)
		                  : ext2fs_symlink(s->fs, parent, 0, n, target);
		if (e == EXT2_ET_DIR_NO_SPACE) {
			e = ext2fs_expand_dir(s->fs, parent);
			if (!e)
				e = S_ISDIR(mode) ? ext2fs_mkdir(s->fs, parent, 0, n)
				                  : ext2fs_symlink(s->fs, parent, 0, n, target);
		}
		if (!e)
			e = ext2fs_lookup(s->fs, parent, n, (int)len, NULL, &ino);
		if ((err = ext2io_errno(e)) || (err = read_inode(s, ino, &in)))
			return err;
		in.i_mode = (uint16_t)((in.i_mode & S_IFMT) | (mode & 07777));
	} else {
		err = ext2io_errno(ext2fs_new_inode(s->fs, parent, (int)mode, 0, &ino));
		if (!err)
			err = link_name(s, parent, n, ino, file_type(mode));
		if (err)
			return err;
		ext2fs_inode_alloc_stats2(s->fs, ino, +1, 0);
		memset(&in, 0, sizeof(in));
		in.i_mode = (uint16_t)mode;
		in.i_links_count = 1;
		in.i_extra_isize = (uint16_t)(sizeof(in) - EXT2_GOOD_OLD_INODE_SIZE);
		if (EXT2_INODE_SIZE(s->fs->super) < sizeof(in))
			in.i_extra_isize =
			    (uint16_t)(EXT2_INODE_SIZE(s->fs->super) > EXT2_GOOD_OLD_INODE_SIZE
			                   ? EXT2_INODE_SIZE(s->fs->super) -
			                         EXT2_GOOD_OLD_INODE_SIZE
			                   : 0);
		if (S_ISCHR(mode) || S_ISBLK(mode))
			in.i_block[0] = rdev & 0xffff;
		if (S_ISREG(mode) && ext2fs_has_feature_extents(s->fs->super)) {
			ext2_extent_handle_t h;
			err = ext2io_errno(
			    ext2fs_extent_open2(s->fs, ino, (struct ext2_inode *)&in, &h));
			if (err)
				return err;
			ext2fs_extent_free(h);
		}
	}
	in.i_uid = (uint16_t)uid;
	ext2fs_set_i_uid_high(in, uid >> 16);
	in.i_gid = (uint16_t)gid;
	ext2fs_set_i_gid_high(in, gid >> 16);
	set_times(s, &in, t, t, t);
	if (HAS_EXTRA(s, &in, i_crtime_extra))
		put_time(t, &in.i_crtime, &in.i_crtime_extra, true);
	err = write_inode(s, ino, &in);
	if (!err)
		err = touch_dir(s, parent, t);
	if (!err)
		to_attr(s, ino, &in, out);
	return err;
}

static int op_create(struct ramfs_store *st, struct ramfs_node *dir, const char *name, size_t len,
                     mode_t mode, uint32_t rdev, const char *target, uint32_t uid, uint32_t gid,
                     int64_t t, struct ramfs_store_attr *out)
{
	struct ext2store *s = of(st);

	lock(s);
	int err = create_locked(s, ino_of(dir), name, len, mode, rdev, target, uid, gid, t, out);
	op_done(s);
	unlock(s);
	return err;
}

/* Its last link went: its blocks are freed when the node goes, or at unmount. */
static void add_orphan(struct ext2store *s, struct ext2node *p)
{
	p->unlinked = true;
	p->next_orphan = s->orphans;
	if (p->next_orphan)
		p->next_orphan->prev_orphan = &p->next_orphan;
	p->prev_orphan = &s->orphans;
	s->orphans = p;
}

static void remove_orphan(struct ext2node *p)
{
	*p->prev_orphan = p->next_orphan;
	if (p->next_orphan)
		p->next_orphan->prev_orphan = p->prev_orphan;
	p->unlinked = false;
}

/* One link of @ino (an entry of @dir) went: its count, and a directory's ".." in @dir. */
static int drop_link(struct ext2store *s, ext2_ino_t dir, struct ramfs_node *node, int64_t t)
{
	struct ext2_inode_large in;
	int err = read_inode(s, ino_of(node), &in);
	if (err)
		return err;
	bool is_dir = LINUX_S_ISDIR(in.i_mode);
	if (is_dir)
		in.i_links_count = 0; /* its name and its own "." */
	else if (in.i_links_count)
		in.i_links_count--;
	put_time(t, &in.i_ctime, &in.i_ctime_extra, HAS_EXTRA(s, &in, i_ctime_extra));
	struct ext2node *p = NULL;
	if (in.i_links_count == 0) {
		/* Freed at forget (it may still be open); on the disk's orphan list until then,
		 * so that a crash before does not leave it lost. */
		if (!(p = node_priv(node)))
			return -ENOMEM;
		if (!p->unlinked)
			ext2orphan_add(s->fs, ino_of(node), &in);
	}
	err = write_inode_handles(s, ino_of(node), &in);
	if (!err && is_dir)
		err = add_links(s, dir, -1);
	if (!err && p && !p->unlinked)
		add_orphan(s, p);
	return err;
}

static int op_remove(struct ramfs_store *st, struct ramfs_node *dir, struct ramfs_node *node)
{
	struct ext2store *s = of(st);
	char n[EXT2_NAME_LEN + 1];
	size_t len;
	const char *name = ramfs_node_name(node, &len);
	int64_t t = now_ns();

	lock(s);
	int err = cstring(name, len, n);
	if (!err)
		err = ext2io_errno(ext2fs_unlink(s->fs, ino_of(dir), n, ino_of(node), 0));
	if (!err)
		err = drop_link(s, ino_of(dir), node, t);
	if (!err)
		err = touch_dir(s, ino_of(dir), t);
	op_done(s);
	unlock(s);
	return err;
}

struct retarget_ctx {
	const char *name;
	size_t len;
	ext2_ino_t ino;
	int type;
	bool done;
};

/* The entry named ctx->name now names ctx->ino: one directory block changes, so the
 * name is never missing, even after a crash in the middle. */
static int retarget_entry(ext2_ino_t dir, int entry, struct ext2_dir_entry *dirent, int offset,
                          int blocksize, char *buf, void *priv)
{
	struct retarget_ctx *c = priv;

	(void)dir, (void)entry, (void)offset, (void)blocksize, (void)buf;
	if ((size_t)ext2fs_dirent_name_len(dirent) != c->len ||
	    memcmp(dirent->name, c->name, c->len))
		return 0;
	dirent->inode = c->ino;
	ext2fs_dirent_set_file_type(dirent, c->type);
	c->done = true;
	return DIRENT_CHANGED | DIRENT_ABORT;
}

static int op_rename(struct ramfs_store *st, struct ramfs_node *olddir, struct ramfs_node *node,
                     struct ramfs_node *newdir, const char *name, size_t len,
                     struct ramfs_node *target)
{
	struct ext2store *s = of(st);
	char newname[EXT2_NAME_LEN + 1], oldname[EXT2_NAME_LEN + 1];
	size_t oldlen;
	const char *old = ramfs_node_name(node, &oldlen);
	struct ramfs_attr a;
	int64_t t = now_ns();

	ramfs_getattr(node, &a);
	int type = file_type(a.mode);
	lock(s);
	int err = cstring(name, len, newname);
	if (!err)
		err = cstring(old, oldlen, oldname);
	if (!err && target) {
		/* Replace the target's entry in place, then drop the target's link. */
		struct retarget_ctx c = {newname, len, ino_of(node), type, false};
		err = ext2io_errno(
		    ext2fs_dir_iterate2(s->fs, ino_of(newdir), 0, NULL, retarget_entry, &c));
		if (!err && !c.done)
			err = -EIO;
		if (!err)
			err = drop_link(s, ino_of(newdir), target, t);
	} else if (!err) {
		err = link_name(s, ino_of(newdir), newname, ino_of(node), type);
	}
	if (!err)
		err = ext2io_errno(ext2fs_unlink(s->fs, ino_of(olddir), oldname, ino_of(node), 0));
	if (!err && S_ISDIR(a.mode) && olddir != newdir) {
		/* The moved directory's ".." names its new parent; the link counts follow. */
		struct retarget_ctx c = {"..", 2, ino_of(newdir), EXT2_FT_DIR, false};
		err = ext2io_errno(
		    ext2fs_dir_iterate2(s->fs, ino_of(node), 0, NULL, retarget_entry, &c));
		if (!err)
			err = add_links(s, ino_of(olddir), -1);
		if (!err)
			err = add_links(s, ino_of(newdir), +1);
	}
	if (!err) {
		struct ext2_inode_large in;
		err = read_inode(s, ino_of(node), &in);
		if (!err) {
			put_time(t, &in.i_ctime, &in.i_ctime_extra,
			         HAS_EXTRA(s, &in, i_ctime_extra));
			err = write_inode(s, ino_of(node), &in);
		}
	}
	if (!err)
		err = touch_dir(s, ino_of(olddir), t);
	if (!err && newdir != olddir)
		err = touch_dir(s, ino_of(newdir), t);
	op_done(s);
	unlock(s);
	return err;
}

/* --- file data ---------------------------------------------------------------------- */

static ssize_t op_read(struct ramfs_store *st, struct ramfs_node *node, void *buf, size_t len,
                       off_t off)
{
	struct ext2store *s = of(st);
	ext2_file_t f;
	unsigned got = 0;

	if (len > 1u << 30)
		len = 1u << 30;
	lock(s);
	int err = file_of(s, node, &f);
	if (!err)
		err = ext2io_errno(ext2fs_file_llseek(f, (uint64_t)off, EXT2_SEEK_SET, NULL));
	if (!err)
		err = ext2io_errno(ext2fs_file_read(f, buf, (unsigned)len, &got));
	unlock(s);
	return got ? (ssize_t)got : err;
}

/* The handle's inode gets the write's times, and goes to disk. */
static int stamp_file(struct ext2store *s, struct ramfs_node *node, ext2_file_t f, int64_t t)
{
	struct ext2_inode *in = ext2fs_file_get_inode(f);
	uint32_t unused;

	put_time(t, &in->i_mtime, &unused, false);
	put_time(t, &in->i_ctime, &unused, false);
	return ext2io_errno(ext2fs_write_inode(s->fs, ino_of(node), in));
}

/* Blocks kept free for the extent tree and directories: libext2fs allocates a data block
 * before the extent that maps it, and a write that then finds no block for the extent
 * leaves the data block allocated to nothing (e2fsck's "block bitmap differences"). */
#define METADATA_RESERVE 32

/* How much of a write of @len bytes at @off, extending the file, fits the free blocks
 * less the reserve; an overwrite inside the file allocates nothing and always fits. */
static size_t room_for(struct ext2store *s, ext2_file_t f, off_t off, size_t len)
{
	__u64 size = 0;
	uint64_t bs = s->fs->blocksize;

	ext2fs_file_get_lsize(f, &size);
	if ((uint64_t)off + len <= size)
		return len;
	uint64_t free_blocks = ext2fs_free_blocks_count(s->fs->super);
	uint64_t usable = free_blocks > METADATA_RESERVE ? free_blocks - METADATA_RESERVE : 0;
	uint64_t start = (uint64_t)off > size ? (uint64_t)off : size;
	/* The rest of the file's last block is allocated already. */
	uint64_t tail = start == size && size % bs ? bs - size % bs : 0;
	uint64_t covered = tail + usable * bs;
	uint64_t room = start - (uint64_t)off + covered;
	return room < len ? (size_t)room : len;
}

/* One chunk of a write, at most what a transaction carries. */
static ssize_t write_chunk(struct ext2store *s, struct ramfs_node *node, ext2_file_t f,
                           const uint8_t *buf, size_t len, off_t off, uint64_t *size)
{
	unsigned written = 0;
	__u64 end = 0;

	len = room_for(s, f, off, len);
	if (!len)
		return -ENOSPC;
	int err = ext2io_errno(ext2fs_file_llseek(f, (uint64_t)off, EXT2_SEEK_SET, NULL));
	if (!err)
		err = ext2io_errno(ext2fs_file_write(f, buf, (unsigned)len, &written));
	if (written) {
		/* Data in the handle's buffer goes to its blocks now: an ENOSPC shows here. */
		int flushed = ext2io_errno(ext2fs_file_flush(f));
		int stamped = stamp_file(s, node, f, now_ns());
		err = flushed ? flushed : stamped;
		ext2fs_file_get_lsize(f, &end);
		*size = end;
		ramfs_store_set_size(node, end,
		                     ext2fs_get_stat_i_blocks(s->fs, ext2fs_file_get_inode(f)));
	}
	op_done(s);
	if (written && !err)
		return (ssize_t)written;
	return err ? err : -EIO;
}

static ssize_t op_write(struct ramfs_store *st, struct ramfs_node *node, const void *buf,
                        size_t len, off_t off, uint64_t *size)
{
	struct ext2store *s = of(st);
	ext2_file_t f;
	size_t done = 0;

	if (len > 1u << 30)
		len = 1u << 30;
	if ((uint64_t)off + len > (uint64_t)INT64_MAX)
		return -EFBIG;
	/* A write larger than a transaction is committed in pieces (each piece whole). */
	size_t chunk = ext2io_chunk_bytes(s->fs);
	lock(s);
	int err = file_of(s, node, &f);
	while (!err && done < len) {
		size_t n = len - done < chunk ? len - done : chunk;
		ssize_t w = write_chunk(s, node, f, (const uint8_t *)buf + done, n,
		                        off + (off_t)done, size);
		if (w < 0)
			err = (int)w;
		else
			done += (size_t)w;
		if (w >= 0 && (size_t)w < n)
			break; /* the disk is full */
	}
	unlock(s);
	return done ? (ssize_t)done : err;
}

static int op_truncate(struct ramfs_store *st, struct ramfs_node *node, off_t size)
{
	struct ext2store *s = of(st);
	ext2_file_t f;

	lock(s);
	int err = file_of(s, node, &f);
	if (!err)
		err = ext2io_errno(ext2fs_file_set_size2(f, (ext2_off64_t)size));
	if (!err)
		err = stamp_file(s, node, f, now_ns());
	if (!err)
		ramfs_store_set_size(node, (uint64_t)size,
		                     ext2fs_get_stat_i_blocks(s->fs, ext2fs_file_get_inode(f)));
	op_done(s);
	unlock(s);
	return err;
}

static int op_setattr(struct ramfs_store *st, struct ramfs_node *node)
{
	struct ext2store *s = of(st);
	struct ext2_inode_large in;
	struct ramfs_attr a;

	ramfs_getattr(node, &a);
	lock(s);
	int err = read_inode(s, ino_of(node), &in);
	if (!err) {
		in.i_mode = (uint16_t)a.mode;
		in.i_uid = (uint16_t)a.uid;
		ext2fs_set_i_uid_high(in, a.uid >> 16);
		in.i_gid = (uint16_t)a.gid;
		ext2fs_set_i_gid_high(in, a.gid >> 16);
		set_times(s, &in, a.atime_ns, a.mtime_ns, a.ctime_ns);
		err = write_inode_handles(s, ino_of(node), &in);
	}
	op_done(s);
	unlock(s);
	return err;
}

/* Everything of @s on stable storage: open files' buffers, then the superblock, group
 * descriptors and bitmaps, then the disk's cache. */
static int sync_locked(struct ext2store *s)
{
	int err = 0;
	for (struct ext2node *p = s->open_files; p; p = p->next_open) {
		int e = ext2io_errno(ext2fs_file_flush(p->file));
		if (!err)
			err = e;
	}
	if (!s->base.read_only) {
		/* ext2fs_flush writes the superblock and group descriptors, not the bitmaps.
		 * Without NO_SYNC it would flush the channel (a commit) before it writes the
		 * primary superblock: the superblock (free counts, the orphan list's head)
		 * would come in a transaction of its own, and a crash between the two leave
		 * an inode on the orphan list that the list does not reach. The one commit
		 * is the flush below. */
		int e = ext2io_errno(ext2fs_write_bitmaps(s->fs));
		if (!e)
			e = ext2io_errno(ext2fs_flush2(s->fs, EXT2_FLAG_FLUSH_NO_SYNC));
		if (!err)
			err = e;
	}
	int e = ext2io_errno(io_channel_flush(s->fs->io));
	return err ? err : e;
}

static int op_sync(struct ramfs_store *st, struct ramfs_node *node, bool data_only)
{
	struct ext2store *s = of(st);

	(void)node, (void)data_only;
	lock(s);
	int err = sync_locked(s);
	unlock(s);
	return err;
}

static int op_statfs(struct ramfs_store *st, struct ramfs_store_statfs *out)
{
	struct ext2store *s = of(st);
	struct ext2_super_block *sb = s->fs->super;

	lock(s);
	out->magic = EXT2_SUPER_MAGIC;
	out->block_size = s->fs->blocksize;
	out->blocks = ext2fs_blocks_count(sb);
	out->blocks_free = ext2fs_free_blocks_count(sb);
	uint64_t reserved = ext2fs_r_blocks_count(sb);
	out->blocks_avail = out->blocks_free > reserved ? out->blocks_free - reserved : 0;
	out->files = sb->s_inodes_count;
	out->files_free = sb->s_free_inodes_count;
	out->name_max = EXT2_NAME_LEN;
	unlock(s);
	return 0;
}

/* An unlinked inode's blocks and the inode itself go back to the free pools. */
static void free_inode(struct ext2store *s, ext2_ino_t ino)
{
	struct ext2_inode_large in;

	if (read_inode(s, ino, &in) || in.i_links_count)
		return;
	int err = ext2orphan_remove(s->fs, ino, &in, put_orphan, s);
	if (err)
		kprintf("ext2: %s: inode %u is not on the orphan list as it should be (%d): "
		        "e2fsck will find it\n",
		        s->device, ino, err);
	if (ext2fs_inode_has_valid_blocks2(s->fs, (struct ext2_inode *)&in))
		ext2fs_punch(s->fs, ino, (struct ext2_inode *)&in, NULL, 0, ~0ULL);
	in.i_dtime = (uint32_t)(now_ns() / NS);
	if (write_inode(s, ino, &in) == 0)
		ext2fs_inode_alloc_stats2(s->fs, ino, -1, LINUX_S_ISDIR(in.i_mode));
}

static void op_forget(struct ramfs_store *st, struct ramfs_node *node)
{
	struct ext2store *s = of(st);
	struct ext2node *p = ramfs_store_priv(node);

	if (!p)
		return;
	lock(s);
	if (p->file) {
		ext2fs_file_close(p->file);
		*p->prev_open = p->next_open;
		if (p->next_open)
			p->next_open->prev_open = p->prev_open;
	}
	if (p->unlinked && s->fs) {
		remove_orphan(p);
		free_inode(s, p->ino);
	}
	unlock(s);
	ramfs_set_store_priv(node, NULL);
	free(p);
}

static const struct ramfs_store_ops ext2store_ops = {
    .load_dir = op_load_dir,
    .create = op_create,
    .remove = op_remove,
    .rename = op_rename,
    .read = op_read,
    .write = op_write,
    .truncate = op_truncate,
    .setattr = op_setattr,
    .sync = op_sync,
    .statfs = op_statfs,
    .forget = op_forget,
};

/* --- mounting ----------------------------------------------------------------------- */

static int open_fs(const char *device, bool read_only, ext2_filsys *out, char *why, size_t why_size)
{
	int flags = EXT2_FLAG_64BITS | (read_only ? 0 : EXT2_FLAG_RW);
	errcode_t e = ext2fs_open2(device, NULL, flags, 0, 0, ext2io_manager, out);

	switch (e) {
	case 0:
		return 0;
	case EXT2_ET_BAD_MAGIC:
	case EXT2_ET_SB_CSUM_INVALID:
	case EXT2_ET_CORRUPT_SUPERBLOCK:
		snprintf(why, why_size, "no ext2/ext3/ext4 file system (or a damaged superblock)");
		return -EINVAL;
	case EXT2_ET_UNSUPP_FEATURE:
	case EXT2_ET_RO_UNSUPP_FEATURE:
		snprintf(why, why_size, "the file system has features libext2fs cannot %s",
		         read_only ? "read" : "write");
		return -EOPNOTSUPP;
	default: {
		int err = ext2io_errno(e);
		snprintf(why, why_size, "%s",
		         err == -EROFS    ? "the disk is read-only: mount it :ro"
		         : err == -ENODEV ? "no such disk"
		                          : "cannot read the file system");
		return err;
	}
	}
}

/* Every COMMIT_SECONDS, what the stores hold goes to their journals (ext4's commit=5):
 * a crash loses at most that much of what was not fsynced. */
#define COMMIT_SECONDS 5

static void *committer(void *arg)
{
	(void)arg;
	for (;;) {
		sleep(COMMIT_SECONDS);
		for (int i = 0; i < mount_count; i++) {
			struct ext2store *s = mounts[i];
			lock(s);
			if (s->fs && !s->base.read_only && ext2io_has_held(s->fs))
				sync_locked(s);
			unlock(s);
		}
	}
	return NULL;
}

static void start_committer(void)
{
	static bool started;
	pthread_t t;

	if (started)
		return;
	if (pthread_create(&t, NULL, committer, NULL) == 0) {
		pthread_detach(t);
		started = true;
	} else {
		kprintf("mount: no commit thread: changes reach the disk at fsync and sync only\n");
	}
}

int ext2store_mount(struct ramfs *rfs, struct ramfs_node *dir, const char *device, bool read_only,
                    char *why, size_t why_size)
{
	ext2_filsys fs;
	int err;

	if (mount_count == MAX_MOUNTS) {
		snprintf(why, why_size, "at most %d disks are mounted", MAX_MOUNTS);
		return -EBUSY;
	}
	err = open_fs(device, read_only, &fs, why, why_size);
	if (err)
		return err;
	if (ext2fs_has_feature_journal_needs_recovery(fs->super)) {
		if (read_only) {
			snprintf(why, why_size,
			         "its journal needs recovery, which a read-only mount "
			         "cannot do: mount it read-write once");
			ext2fs_close2(fs, 0);
			return -EROFS;
		}
		errcode_t e = ext2fs_run_ext3_journal(&fs);
		if (e) {
			snprintf(why, why_size, "replaying its journal failed");
			if (fs)
				ext2fs_close2(fs, 0);
			return ext2io_errno(e);
		}
	}
	if (!read_only && (err = ext2io_errno(ext2fs_read_bitmaps(fs)))) {
		snprintf(why, why_size, "cannot read its bitmaps");
		ext2fs_close2(fs, 0);
		return err;
	}
	if (!read_only) {
		char jwhy[120];
		err = ext2io_journal_start(fs, jwhy, sizeof(jwhy));
		if (err == -ENOENT) {
			kprintf("mount: %s: %s: writes are not crash-safe\n", device, jwhy);
		} else if (err) {
			snprintf(why, why_size, "%s: mount it :ro", jwhy);
			ext2fs_close2(fs, 0);
			return err;
		}
		/* Files unlinked while open when the disk was last used (a crash). */
		int freed = ext2orphan_release_all(fs, now_ns() / NS);
		if (freed < 0) {
			snprintf(why, why_size, "cannot free its orphaned inodes: run e2fsck");
			ext2fs_close2(fs, 0);
			return freed;
		}
		if (freed)
			kprintf("mount: %s: %d orphaned inode%s freed\n", device, freed,
			        freed == 1 ? "" : "s");
	}
	struct ext2store *s = calloc(1, sizeof(*s));
	if (!s) {
		ext2fs_close2(fs, 0);
		snprintf(why, why_size, "out of memory");
		return -ENOMEM;
	}
	s->base.ops = &ext2store_ops;
	s->base.read_only = read_only;
	s->base.dev = (254u << 8) | (uint32_t)((device[7] - 'a') * 16);
	s->fs = fs;
	pthread_mutex_init(&s->lock, NULL);
	snprintf(s->device, sizeof(s->device), "%s", device);

	struct ext2_inode_large in;
	struct ramfs_store_attr root;
	err = read_inode(s, EXT2_ROOT_INO, &in);
	if (!err) {
		to_attr(s, EXT2_ROOT_INO, &in, &root);
		err = ramfs_mount(rfs, dir, &s->base, &root);
		if (err)
			snprintf(why, why_size, "%s",
			         err == -ENOTEMPTY ? "the mount point is not empty"
			         : err == -EBUSY   ? "something is mounted there already"
			                           : "the mount point is not a directory");
	} else {
		snprintf(why, why_size, "cannot read its root directory");
	}
	if (err) {
		ext2fs_close2(fs, 0);
		free(s);
		return err;
	}
	mounts[mount_count++] = s;
	if (!read_only)
		start_committer();
	return 0;
}

void ext2store_unmount_all(void)
{
	for (int i = 0; i < mount_count; i++) {
		struct ext2store *s = mounts[i];
		lock(s);
		if (!s->fs) {
			unlock(s);
			continue;
		}
		for (struct ext2node *p = s->open_files; p; p = p->next_open) {
			ext2fs_file_close(p->file);
			p->file = NULL;
		}
		s->open_files = NULL;
		while (s->orphans) {
			struct ext2node *p = s->orphans;
			remove_orphan(p);
			free_inode(s, p->ino);
		}
		errcode_t e = 0;
		if (!s->base.read_only) {
			e = ext2fs_write_bitmaps(s->fs);
			/* Clean from here on: the superblock's last write says so. */
			ext2fs_clear_feature_journal_needs_recovery(s->fs->super);
			ext2fs_mark_super_dirty(s->fs);
		}
		if (!e && !s->base.read_only) {
			/* The superblock and descriptors, committed with the rest in one
			 * transaction (see sync_locked). */
			e = ext2fs_flush2(s->fs, EXT2_FLAG_FLUSH_NO_SYNC);
			if (!e)
				e = io_channel_flush(s->fs->io);
		}
		if (!e)
			e = ext2fs_close2(s->fs, EXT2_FLAG_FLUSH_NO_SYNC);
		if (e)
			kprintf("mount: %s: unmount failed (%d): the file system may need fsck\n",
			        s->device, ext2io_errno(e));
		s->fs = NULL;
		unlock(s);
		/* close flushed the channel; the disk's own cache comes last */
		struct vblk *disk;
		if (vblk_open(s->device[7] - 'a', &disk) == 0)
			vblk_flush(disk);
	}
}

void ext2store_sync_all(void)
{
	for (int i = 0; i < mount_count; i++) {
		lock(mounts[i]);
		if (mounts[i]->fs)
			sync_locked(mounts[i]);
		unlock(mounts[i]);
	}
}
