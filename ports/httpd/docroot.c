/* docroot.c - mapping clean request paths to files under the document root. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "docroot.h"
#include "http_mime.h"

#define INDEX_NAME "index.html"

/* No component of @full after its first @root_len bytes is a symbolic link. Components
 * that do not exist end the walk: stat() reports them next. */
static int check_no_symlinks(char *full, size_t root_len)
{
	size_t len = strlen(full);
	for (size_t i = root_len + 1; i <= len; i++) {
		if (full[i] != '/' && full[i] != '\0')
			continue;
		if (full[i - 1] == '/')
			continue;
		char saved = full[i];
		full[i] = '\0';
		struct stat st;
		int rc = lstat(full, &st);
		full[i] = saved;
		if (rc < 0)
			return 0;
		if (S_ISLNK(st.st_mode))
			return -EACCES;
	}
	return 0;
}

static int stat_errno(void)
{
	return errno == ENOTDIR ? -ENOENT : -errno;
}

int docroot_open(const char *root, const char *path, bool follow_symlinks,
                 struct docroot_file *file)
{
	char full[DOCROOT_PATH_MAX];
	size_t root_len = strlen(root), path_len = strlen(path);
	if (root_len + path_len + sizeof(INDEX_NAME) > sizeof(full))
		return -ENAMETOOLONG;
	memcpy(full, root, root_len);
	memcpy(full + root_len, path, path_len + 1);
	bool wants_directory = path[path_len - 1] == '/';
	if (wants_directory)
		memcpy(full + root_len + path_len, INDEX_NAME, sizeof(INDEX_NAME));

	if (!follow_symlinks) {
		int rc = check_no_symlinks(full, root_len);
		if (rc < 0)
			return rc;
	}
	struct stat st;
	if (stat(full, &st) < 0) {
		if (errno != ENOENT || !wants_directory)
			return stat_errno();
		/* No index.html: say "not found" whether or not the directory exists. */
		return -ENOENT;
	}
	if (S_ISDIR(st.st_mode) && !wants_directory)
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -ENOENT;

	int fd = open(full, O_RDONLY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &file->st) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	if (!S_ISREG(file->st.st_mode)) {
		close(fd);
		return -ENOENT;
	}
	file->fd = fd;
	file->content_type = http_mime_type(full);
	return 0;
}
