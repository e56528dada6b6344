/* docroot.h - from a clean request path (http_path_from_target) to an open file under
 * the document root: index.html for directories, nothing but regular files, and no
 * symbolic links unless the configuration trusts them. */
#ifndef HTTPD_DOCROOT_H
#define HTTPD_DOCROOT_H

#include <stdbool.h>
#include <sys/stat.h>

/* Longest file-system path the server builds (root + request path + "index.html"). */
#define DOCROOT_PATH_MAX 4096

struct docroot_file {
	int fd;                   /* open for reading; the caller closes it */
	struct stat st;           /* of the open file (size, modification time) */
	const char *content_type; /* by the opened file's name (static string) */
};

/* docroot_open - open the file @path names under @root (a directory, no trailing '/').
 * @path is a clean path: it starts with '/' and has no "." or ".." segments. A path
 * ending with '/' names a directory and gives its index.html. Unless @follow_symlinks,
 * every component below @root is checked with lstat() and a symbolic link refuses the
 * request. Returns 0 with *@file filled, or
 *   -ENOENT        nothing there, not a regular file, or a directory without index.html
 *   -EISDIR        a directory named without the trailing '/' (the caller redirects)
 *   -EACCES        not readable, or a symbolic link on the way (refused)
 *   -ENAMETOOLONG  the path does not fit in DOCROOT_PATH_MAX
 *   -errno         other failures of stat() or open() */
int docroot_open(const char *root, const char *path, bool follow_symlinks,
                 struct docroot_file *file);

#endif
