/* mount.c - the disks the command line mounts: each "mount=DEVICE:DIR[:ro]" option
 * (DEVICE /dev/vda or vda...; DIR absolute, made when missing) puts that disk's ext2/3/4
 * file system at DIR before the program starts, in command-line order; the RAM
 * filesystem stays at / and /tmp. A mount that fails stops the VM before main with the
 * reason: a server would otherwise write to the RAM filesystem what it meant to keep. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "posix/disk/ext2store.h"
#include "posix/fs/files.h"

#define MOUNT_KEY "mount="

/* DIR and every missing directory above it (mkdir -p), mode 0755. */
static int make_dirs(const char *dir, struct ramfs_node **out)
{
	char path[RAMFS_PATH_MAX];
	size_t len = strlen(dir);

	if (len >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, dir, len + 1);
	for (char *p = path + 1;; p++) {
		if (*p == '/' || *p == 0) {
			char c = *p;
			*p = 0;
			int err = ramfs_mkdir(&posix_rootfs, NULL, path, 0755, NULL);
			if (err && err != -EEXIST)
				return err;
			*p = c;
			if (!c)
				break;
		}
	}
	return ramfs_lookup(&posix_rootfs, NULL, path, out);
}

/* One "DEVICE:DIR[:ro|:rw]" value. Returns 0 or -errno with the reason in @why. */
static int mount_one(const char *value, char *why, size_t why_size)
{
	char spec[256], device[16];
	bool read_only = false;

	if (strlen(value) >= sizeof(spec)) {
		snprintf(why, why_size, "too long");
		return -ENAMETOOLONG;
	}
	strcpy(spec, value);
	char *dir = strchr(spec, ':');
	if (!dir) {
		snprintf(why, why_size, "mount= wants DEVICE:DIR[:ro], as mount=/dev/vda:/data");
		return -EINVAL;
	}
	*dir++ = 0;
	char *opt = strchr(dir, ':');
	if (opt) {
		*opt++ = 0;
		if (!strcmp(opt, "ro"))
			read_only = true;
		else if (strcmp(opt, "rw")) {
			snprintf(why, why_size, "unknown option '%s' (ro or rw)", opt);
			return -EINVAL;
		}
	}
	const char *name = strncmp(spec, "/dev/", 5) ? spec : spec + 5;
	if (strncmp(name, "vd", 2) || name[2] < 'a' || name[2] > 'z' || name[3]) {
		snprintf(why, why_size, "'%s' is not a disk (/dev/vda, /dev/vdb...)", spec);
		return -ENODEV;
	}
	snprintf(device, sizeof(device), "/dev/%.3s", name);
	if (dir[0] != '/' || !strcmp(dir, "/")) {
		snprintf(why, why_size, "the mount point must be an absolute path other than /");
		return -EINVAL;
	}
	struct ramfs_node *node;
	int err = make_dirs(dir, &node);
	if (err) {
		snprintf(why, why_size, "cannot make the mount point %s (%d)", dir, err);
		return err;
	}
	return ext2store_mount(&posix_rootfs, node, device, read_only, why, why_size);
}

int posix_disks_mount(const struct cmdline *cl)
{
	int options = cl->separator >= 0 ? cl->separator : cl->word_count;

	for (int i = 0; i < options; i++) {
		const char *word = cl->words[i];
		if (strncmp(word, MOUNT_KEY, strlen(MOUNT_KEY)))
			continue;
		char why[160] = "";
		int err = mount_one(word + strlen(MOUNT_KEY), why, sizeof(why));
		if (err) {
			kprintf("mount: %s: %s (%d)\n", word + strlen(MOUNT_KEY), why, err);
			return err;
		}
		kprintf("mount: %s\n", word + strlen(MOUNT_KEY));
	}
	return 0;
}

void posix_disks_sync(void)
{
	ext2store_sync_all();
}

void posix_disks_unmount(void)
{
	ext2store_unmount_all();
}
