/* dirent.c - directory streams over directory descriptors (posix/fs/files.c); the stream
 * position is the RAM filesystem's readdir cookie, stable across changes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "posix/fs/files.h"
#include "posix/posix.h"

struct vmos_dir {
	int fd;
	struct dirent entry;
};

DIR *fdopendir(int fd)
{
	struct vfile *f;
	int err = fd_get(&posix_fds, fd, &f);

	if (err) {
		errno = -err;
		return NULL;
	}
	struct ramfs_node *node = posix_file_node(f);
	vfile_unref(f);
	if (!node || !ramfs_is_dir(node)) {
		errno = ENOTDIR;
		return NULL;
	}
	DIR *dir = calloc(1, sizeof(*dir));
	if (!dir) {
		errno = ENOMEM;
		return NULL;
	}
	dir->fd = fd;
	return dir;
}

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	DIR *dir = fdopendir(fd);
	if (!dir) {
		int saved = errno;
		close(fd);
		errno = saved;
	}
	return dir;
}

struct dirent *readdir(DIR *dir)
{
	struct vfile *f;
	struct ramfs_dirent de;
	int err = fd_get(&posix_fds, dir->fd, &f);

	if (err) {
		errno = -err;
		return NULL;
	}
	int r = ramfs_readdir(posix_file_node(f), (uint64_t)f->offset, &de);
	if (r == 1) {
		size_t n = de.namelen < sizeof(dir->entry.d_name) - 1
		               ? de.namelen
		               : sizeof(dir->entry.d_name) - 1;
		memcpy(dir->entry.d_name, de.name, n);
		dir->entry.d_name[n] = '\0';
		dir->entry.d_ino = (ino_t)de.ino;
		dir->entry.d_off = (off_t)de.next;
		dir->entry.d_reclen = sizeof(dir->entry);
		dir->entry.d_type = S_ISDIR(de.type)    ? DT_DIR
		                    : S_ISLNK(de.type)  ? DT_LNK
		                    : S_ISSOCK(de.type) ? DT_SOCK
		                    : S_ISCHR(de.type)  ? DT_CHR
		                                        : DT_REG;
		f->offset = (off_t)de.next;
	} else if (r < 0) {
		errno = -r;
	}
	vfile_unref(f);
	return r == 1 ? &dir->entry : NULL;
}

int readdir_r(DIR *dir, struct dirent *entry, struct dirent **result)
{
	int saved = errno;

	errno = 0;
	struct dirent *d = readdir(dir);
	int err = errno;
	errno = saved;
	if (!d) {
		*result = NULL;
		return err;
	}
	*entry = *d;
	*result = entry;
	return 0;
}

int closedir(DIR *dir)
{
	int r = close(dir->fd);

	free(dir);
	return r;
}

void rewinddir(DIR *dir)
{
	lseek(dir->fd, 0, SEEK_SET);
}

long telldir(DIR *dir)
{
	return (long)lseek(dir->fd, 0, SEEK_CUR);
}

void seekdir(DIR *dir, long position)
{
	lseek(dir->fd, position, SEEK_SET);
}

int dirfd(DIR *dir)
{
	return dir->fd;
}

int alphasort(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int scandir(const char *path, struct dirent ***list, int (*select)(const struct dirent *),
            int (*compare)(const struct dirent **, const struct dirent **))
{
	DIR *dir = opendir(path);
	struct dirent **items = NULL, *d;
	int count = 0, cap = 0;

	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		if (select && !select(d))
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			struct dirent **grown = realloc(items, (size_t)cap * sizeof(*items));
			if (!grown)
				goto out_nomem;
			items = grown;
		}
		items[count] = malloc(sizeof(*d));
		if (!items[count])
			goto out_nomem;
		*items[count++] = *d;
	}
	closedir(dir);
	if (compare)
		qsort(items, (size_t)count, sizeof(*items),
		      (int (*)(const void *, const void *))compare);
	*list = items;
	return count;
out_nomem:
	while (count--)
		free(items[count]);
	free(items);
	closedir(dir);
	errno = ENOMEM;
	return -1;
}
