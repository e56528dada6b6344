/* ramfs.h - a read-write in-memory filesystem: a tree of directories and regular files.
 *
 * Paths are resolved as Linux resolves them (absolute, or relative to a base directory
 * node the caller passes; ".", "..", repeated and trailing slashes) and every call fails
 * with the errno Linux gives for the same case on tmpfs. There are no symlinks, no hard
 * links (a node has one name at most) and no permission checks (one user, allowed to do
 * everything); mode bits are stored and reported.
 *
 * Nodes are owned by the tree. A node pointer returned by a call is borrowed: it stays
 * valid while the node is in the tree. To keep one across a change that may remove it (an
 * open file, a working directory), hold a reference with ramfs_node_ref(): an unlinked
 * node stays readable and writable until its last reference goes, as POSIX requires.
 * A removed directory that is still referenced is empty for good: ".", ".." and getattr
 * work in it, nothing else does (-ENOENT).
 *
 * All memory comes from malloc; a call that fails with -ENOMEM has changed nothing.
 * Returns 0 / a count, or -errno. Not locked: callers serialise. Pure logic: unit-tested
 * on the host.
 */
#ifndef POSIX_RAMFS_H
#define POSIX_RAMFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define RAMFS_NAME_MAX 255  /* bytes in one path component */
#define RAMFS_PATH_MAX 4096 /* bytes in a path, its NUL included */

struct ramfs_node;

/* Nanoseconds since the epoch, for the timestamps; @ctx is the caller's. */
typedef int64_t (*ramfs_clock_fn)(void *ctx);
/* The owner of a node made now (the process's effective ids); @ctx is the caller's. */
typedef void (*ramfs_owner_fn)(void *ctx, uint32_t *uid, uint32_t *gid);

struct ramfs {
	struct ramfs_node *root;
	struct ramfs_node *top;   /* chroot: where "/" starts and ".." stops; NULL: the root */
	struct ramfs_node *nodes; /* every node, in the tree or only referenced */
	size_t node_count;        /* how many */
	uint64_t next_ino;        /* inode number of the next node */
	ramfs_clock_fn clock;     /* NULL: every timestamp is 0 */
	void *clock_ctx;
	ramfs_owner_fn owner; /* NULL: every node is owned by 0:0 */
	void *owner_ctx;
};

/* What stat() reports of a node. */
struct ramfs_attr {
	uint64_t ino;
	mode_t mode;     /* S_IFDIR or S_IFREG | permission bits */
	uint32_t nlink;  /* files: 1 (0 once unlinked); directories: 2 + subdirectories */
	off_t size;      /* files: bytes; directories: 20 per entry, "." and ".." included
	                    (tmpfs's convention) */
	uint64_t blocks; /* 512-byte units of memory holding the data */
	int64_t atime_ns;
	int64_t mtime_ns;
	int64_t ctime_ns;
	uint32_t uid; /* owner: kept and reported, never checked against the process */
	uint32_t gid;
	uint32_t rdev; /* device nodes: the device number (Linux's encoding); else 0 */
	uint32_t dev;  /* the file system: 0 for the RAM one, a mounted disk's number */
};

/* One directory entry from ramfs_readdir(). */
struct ramfs_dirent {
	uint64_t ino;
	mode_t type;      /* S_IFDIR or S_IFREG */
	uint64_t next;    /* the cookie of the entry after this one (getdents' d_off) */
	const char *name; /* NUL-terminated; valid until the directory changes */
	size_t namelen;
};

/* ramfs_init - an empty filesystem: a root directory (mode 0755, inode 1) only.
 * Returns 0 or -ENOMEM. */
int ramfs_init(struct ramfs *fs);

/* ramfs_destroy - free every node, referenced or not: every node pointer becomes
 * invalid. */
void ramfs_destroy(struct ramfs *fs);

/* ramfs_set_clock - timestamps come from @clock(@ctx) from now on (NULL: 0). */
void ramfs_set_clock(struct ramfs *fs, ramfs_clock_fn clock, void *ctx);

/* ramfs_set_owner - where new nodes get their owner from (NULL: 0:0). */
void ramfs_set_owner(struct ramfs *fs, ramfs_owner_fn owner, void *ctx);

/* ramfs_root - the root directory (the real one, whatever ramfs_set_top chose). */
struct ramfs_node *ramfs_root(struct ramfs *fs);

/* ramfs_set_top - make directory @dir what "/" names from now on (chroot(2)): absolute
 * paths start there, and ".." of it is itself; relative paths from a base outside it
 * still reach what is outside, as on Linux. Holds a reference on @dir; the root (or NULL)
 * undoes it. */
void ramfs_set_top(struct ramfs *fs, struct ramfs_node *dir);

/* ramfs_is_dir - whether @node is a directory (otherwise it is a regular file). */
bool ramfs_is_dir(const struct ramfs_node *node);

/* Path rules of every call that takes (@base, @path): a relative @path starts at @base
 * (NULL: the root); "" is -ENOENT; more than RAMFS_PATH_MAX - 1 bytes or a component of
 * more than RAMFS_NAME_MAX bytes is -ENAMETOOLONG; a component that is missing is
 * -ENOENT and one used as a directory that is not one is -ENOTDIR (so is a relative path
 * from a @base that is a file); a trailing slash makes the last component a directory
 * (-ENOTDIR when it is a file). ".." of the root is the root. */

/* ramfs_lookup - the node @path names, in @out. Returns 0 or -errno as above. */
int ramfs_lookup(struct ramfs *fs, struct ramfs_node *base, const char *path,
                 struct ramfs_node **out);

/* ramfs_lookup_nofollow - ramfs_lookup without following a symbolic link in the last
 * component (lstat(2), readlink(2)); one before a trailing slash is followed. */
int ramfs_lookup_nofollow(struct ramfs *fs, struct ramfs_node *base, const char *path,
                          struct ramfs_node **out);

/* ramfs_symlink - a new symbolic link @path holding @target (not checked: it may dangle).
 * Every walk follows the links it meets, relative to the link's directory, at most 40
 * (-ELOOP beyond), except a last component looked up with ramfs_lookup_nofollow or opened
 * with O_NOFOLLOW (-ELOOP). Returns 0, -ENOENT for an empty target, -EEXIST when the name
 * exists, -ENAMETOOLONG, or the path errors. The node in @out (may be NULL). */
int ramfs_symlink(struct ramfs *fs, struct ramfs_node *base, const char *target, const char *path,
                  struct ramfs_node **out);

/* ramfs_readlink - up to @size bytes of link @node's target, not NUL-terminated: the count,
 * or -EINVAL when @node is not a symbolic link. */
ssize_t ramfs_readlink(const struct ramfs_node *node, char *buf, size_t size);

/* ramfs_open - what open(2) does to the namespace, with open(2)'s @flags: the access mode
 * and O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY (others are ignored). O_CREAT makes a regular
 * file with permission bits @mode & 07777 (the caller applies its umask) when the name is
 * free. O_TRUNC empties an existing regular file, even one opened O_RDONLY (as Linux does).
 * The node is in @out (borrowed: take a reference for the open file). Returns 0, or
 *   -EINVAL   O_CREAT with O_DIRECTORY (Linux since 6.4);
 *   -EEXIST   O_CREAT|O_EXCL and the name exists (a directory, ".", "/" included);
 *   -EISDIR   O_CREAT with a trailing slash or naming a directory; or a directory opened
 *             for writing or with O_TRUNC;
 *   -ENOTDIR  O_DIRECTORY on a file, or the path rules above;
 *   -ENOENT   no O_CREAT and the name is missing, or creating in a removed directory;
 *   -ENOMEM, -ENAMETOOLONG. */
int ramfs_open(struct ramfs *fs, struct ramfs_node *base, const char *path, int flags, mode_t mode,
               struct ramfs_node **out);

/* ramfs_create - a new, empty regular file (open with O_CREAT|O_EXCL|O_WRONLY): the node
 * in @out (may be NULL). Returns 0 or ramfs_open's errors (-EEXIST when the name
 * exists). */
int ramfs_create(struct ramfs *fs, struct ramfs_node *base, const char *path, mode_t mode,
                 struct ramfs_node **out);

/* ramfs_mkdir - a new directory with permission bits @mode & 01777; the node in @out (may
 * be NULL). A trailing slash is allowed. Returns 0, -EEXIST when the name exists (as
 * anything; "/", "." and ".." too), -ENOENT for a missing parent or a removed one,
 * -ENOTDIR, -ENAMETOOLONG or -ENOMEM. */
int ramfs_mkdir(struct ramfs *fs, struct ramfs_node *base, const char *path, mode_t mode,
                struct ramfs_node **out);

/* ramfs_mksock - a socket's name (bind(2) of an AF_UNIX socket): a new node of type
 * S_IFSOCK with permission bits @mode & 07777, holding @object for connect(2) to find
 * (ramfs_socket_object); the node in @out. open(2) of it is -ENXIO (ramfs_open). The name
 * outlives the socket, as on Linux: the socket clears @object when it closes. Returns 0,
 * -EEXIST when the name exists, or ramfs_mkdir's path errors. */
int ramfs_mksock(struct ramfs *fs, struct ramfs_node *base, const char *path, mode_t mode,
                 void *object, struct ramfs_node **out);

/* ramfs_mkdev - a device node @path: a block device when @mode's type bits say S_IFBLK,
 * else a character device (S_IFCHR); permission bits @mode & 07777, device number @rdev,
 * which ramfs_getattr reports; the node in @out (may be NULL). What a device does is the
 * caller's: ramfs_open finds the node and leaves it as it is (O_TRUNC does nothing to a
 * device, as on Linux), reads and writes of it through ramfs see an empty file. Returns
 * 0, -EEXIST when the name exists, or ramfs_mkdir's path errors. */
int ramfs_mkdev(struct ramfs *fs, struct ramfs_node *base, const char *path, mode_t mode,
                uint32_t rdev, struct ramfs_node **out);

/* ramfs_socket_object - the object bound to socket node @node, or NULL (not a socket, or
 * its socket has closed). */
void *ramfs_socket_object(const struct ramfs_node *node);

/* ramfs_set_socket_object - what a socket node holds (NULL when its socket closes). */
void ramfs_set_socket_object(struct ramfs_node *node, void *object);

/* ramfs_unlink - remove a regular file's name; the node lives on while referenced.
 * Returns 0, -EISDIR for a directory (and "/", ".", ".."), -ENOTDIR for "file/", -ENOENT
 * or the path errors. */
int ramfs_unlink(struct ramfs *fs, struct ramfs_node *base, const char *path);

/* ramfs_rmdir - remove an empty directory (it may be referenced, a working directory for
 * one: it lives on, empty and removed). Returns 0, -EBUSY for "/", -EINVAL when the last
 * component is ".", -ENOTEMPTY when it is ".." or the directory has entries, -ENOTDIR for
 * a file, -ENOENT or the path errors. */
int ramfs_rmdir(struct ramfs *fs, struct ramfs_node *base, const char *path);

/* ramfs_rename - rename(2) @oldpath (from @oldbase) to @newpath (from @newbase). An
 * existing target is replaced (it lives on while referenced) when the two are of the same
 * kind and a target directory is empty; renaming a node onto itself does nothing. Readdir
 * order: an entry renamed within its directory keeps its place, one that replaces a
 * target takes the target's place, any other goes to the end of its new directory.
 * Returns 0, or
 *   -EBUSY     the last component of either path is ".", ".." or "/";
 *   -ENOENT    @oldpath is missing, or a parent was removed;
 *   -ENOTDIR   a file source with a trailing slash on either path, or a directory over a
 *              file;
 *   -EISDIR    a file over a directory;
 *   -EINVAL    a directory into its own subtree;
 *   -ENOTEMPTY the target directory has entries (or contains the source);
 *   -ENOMEM, -ENAMETOOLONG and the path errors. */
int ramfs_rename(struct ramfs *fs, struct ramfs_node *oldbase, const char *oldpath,
                 struct ramfs_node *newbase, const char *newpath);

/* ramfs_read - copy up to @len bytes from byte @off of file @node into @buf; updates the
 * access time. Returns the count (0 at or past the end), -EISDIR or -EINVAL for a
 * negative @off. */
ssize_t ramfs_read(struct ramfs_node *node, void *buf, size_t len, off_t off);

/* ramfs_write - write @len bytes at byte @off of file @node, growing it (a gap between the
 * old end and @off reads as zeros); updates the modification and change times. Storage
 * grows geometrically, so a file written by appending costs amortised O(size). Returns
 * @len (cut to what fits below the largest off_t), -EISDIR, -EINVAL for a negative @off,
 * -EFBIG when @off is the largest off_t, or -ENOMEM (nothing written). */
ssize_t ramfs_write(struct ramfs_node *node, const void *buf, size_t len, off_t off);

/* ramfs_truncate - set the size of file @node to @size: zeros when it grows; updates the
 * modification and change times. Returns 0, -EISDIR, -EINVAL for a negative @size or a
 * node that is not a regular file (a device, a socket), or -ENOMEM. */
int ramfs_truncate(struct ramfs_node *node, off_t size);

/* ramfs_getattr - @node's attributes in @attr. Returns 0. */
int ramfs_getattr(const struct ramfs_node *node, struct ramfs_attr *attr);

/* ramfs_chmod - set @node's permission bits to @mode & 07777 and its change time. */
int ramfs_chmod(struct ramfs_node *node, mode_t mode);

/* ramfs_chown - set @node's owner (uid, gid; (uint32_t)-1 keeps that one) and its change
 * time. */
int ramfs_chown(struct ramfs_node *node, uint32_t uid, uint32_t gid);

/* ramfs_set_times - set @node's access and modification times (ns; utimensat) and its
 * change time to now. */
int ramfs_set_times(struct ramfs_node *node, int64_t atime_ns, int64_t mtime_ns);

/* (The three return 0; under a mount point, ramfs_store.h, the store's error: -EROFS,
 * -EIO, with nothing changed.) */

/* ramfs_readdir - the entry of directory @dir at position @cookie: 0 is ".", 1 is "..",
 * then the entries in the order they were made; @out->next is the cookie to ask for next.
 * Cookies stay valid while entries are added and removed: an entry is never returned
 * twice nor skipped unless it is added or removed meanwhile (POSIX's readdir rule), so a
 * cookie works as telldir/seekdir's position. Updates the access time. Returns 1 with an
 * entry, 0 past the last one, -ENOTDIR for a file, or -ENOENT for a removed directory. */
int ramfs_readdir(struct ramfs_node *dir, uint64_t cookie, struct ramfs_dirent *out);

/* ramfs_getpath - write the absolute path of @node ("/" for the root, no trailing slash
 * otherwise) and a NUL into @buf (getcwd). Returns the length without the NUL, -ERANGE
 * when @size bytes cannot hold it, or -ENOENT for a removed node. */
ssize_t ramfs_getpath(const struct ramfs_node *node, char *buf, size_t size);

/* ramfs_node_ref / ramfs_node_unref - hold / release @node. The last release of a node
 * that is no longer in the tree frees it. */
void ramfs_node_ref(struct ramfs_node *node);
void ramfs_node_unref(struct ramfs_node *node);

#endif
