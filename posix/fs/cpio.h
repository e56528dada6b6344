/* cpio.h - a reader for "newc" cpio archives in memory, and unpacking one into a ramfs.
 *
 * The format (what `cpio -o -H newc` and the Linux initramfs use): each entry is a
 * 110-byte ASCII header, magic "070701" then thirteen 8-digit hexadecimal fields (inode,
 * mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor,
 * namesize, check); then the name, namesize bytes with its NUL, padded so the data starts
 * at a multiple of 4 bytes from the archive's start; then filesize bytes of data, padded
 * to 4 likewise. The entry named "TRAILER!!!" ends the archive. "070702" (the same with a
 * checksum of the data in "check") is read too and its checksum verified.
 *
 * Every field is validated; a problem is -EINVAL with its byte offset and a short reason
 * kept for the caller's message. Pure logic: unit-tested on the host.
 */
#ifndef POSIX_CPIO_H
#define POSIX_CPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "posix/fs/ramfs.h"

#define CPIO_HEADER_BYTES 110

/* One entry; pointers are into the archive buffer. */
struct cpio_entry {
	const char *name; /* NUL-terminated, as stored (e.g. "./etc/x" or "etc/x") */
	size_t namelen;   /* without the NUL */
	uint32_t ino;
	uint32_t mode; /* file type (S_IFMT bits, traditional Unix values) and permissions */
	uint32_t uid;
	uint32_t gid;
	uint32_t nlink;
	uint32_t mtime; /* seconds since the epoch */
	uint32_t size;  /* bytes of data */
	uint32_t devmajor;
	uint32_t devminor;
	uint32_t rdevmajor;
	uint32_t rdevminor;
	uint32_t check;
	const void *data; /* size bytes (a symlink's data is its target) */
	size_t offset;    /* where the entry's header starts in the buffer */
};

/* A walk over an archive. */
struct cpio_iter {
	const unsigned char *buf;
	size_t len;
	size_t pos;           /* the next header */
	int state;            /* 0: going on; 1: the trailer was read; < 0: the error */
	size_t err_offset;    /* after an error: the offset of the offending byte or field */
	const char *err_what; /* after an error: what is wrong, e.g. "bad magic" */
};

/* cpio_iter_init - start walking the archive in @buf (@len bytes), which begins at the
 * archive's first byte (alignment counts from there). */
void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t len);

/* cpio_next - read the next entry into @e. Returns 1 with an entry, 0 once the trailer
 * is reached (the trailer is not returned; bytes after it are ignored), or -EINVAL for a
 * bad magic, a field with a non-hex digit, a name size of 0 or a name whose last byte is
 * not its only NUL, a name or data running past the buffer, a checksum mismatch, or the
 * buffer ending without a trailer; it->err_offset and it->err_what then say where and
 * what. After the end or an error every call returns the same. */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e);

/* What cpio_unpack_into_ramfs() did. */
struct cpio_unpack_report {
	unsigned dirs;           /* directory entries applied */
	unsigned files;          /* regular files written */
	unsigned skipped;        /* entries of other types (symlinks, devices, fifos...) */
	const char *failed_name; /* the entry that failed (in the archive), or NULL */
	size_t err_offset;       /* the offending offset (malformed archive), or the failed
	                            entry's header */
	const char *err_what;    /* malformed archive: what is wrong; otherwise NULL */
};

/* cpio_unpack_into_ramfs - create the archive's directories and regular files in @fs.
 * Names are taken relative to the root whatever their form ("./a", "a" and "/a" are all
 * /a; "." is the root itself). Missing parent directories are made (mode 0755). Like the
 * Linux initramfs: an existing entry of another type is removed first (a non-empty
 * directory cannot be, and fails with -ENOTEMPTY), an existing directory takes the
 * archive's permissions, an existing file is overwritten; permission bits and mtime come
 * from the archive (directories' mtimes are set last, once their content is made); uid
 * and gid are ignored. Hard links (regular files with nlink > 1 sharing an inode, whose
 * data newc stores with the last of them) become independent copies of that data. Other
 * entry types are skipped and counted. The archive is validated whole before anything is
 * made, so a malformed one changes nothing. @rep (may be NULL) tells what happened.
 * Returns 0, -EINVAL for a malformed archive, or the ramfs error of the entry that
 * failed (entries before it stay made). */
int cpio_unpack_into_ramfs(const void *buf, size_t len, struct ramfs *fs,
                           struct cpio_unpack_report *rep);

#endif
