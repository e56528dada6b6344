/* blkid.c - the four libblkid calls e2fsprogs' journal code makes (debugfs/journal.c) to
 * find an external journal device by UUID. VMOS has no device scan: no cache, no device
 * found, so such a file system's journal fails to open (EXT2_ET_LOAD_EXT_JOURNAL) and its
 * mount says so; an internal journal (mke2fs's default) never gets here. */
#include <stddef.h>
#include <sys/types.h>

struct blkid_struct_cache;

int blkid_get_cache(struct blkid_struct_cache **cache, const char *filename);
void blkid_put_cache(struct blkid_struct_cache *cache);
char *blkid_get_devname(struct blkid_struct_cache *cache, const char *token, const char *value);
char *blkid_devno_to_devname(dev_t devno);

int blkid_get_cache(struct blkid_struct_cache **cache, const char *filename)
{
	(void)filename;
	*cache = NULL;
	return -1;
}

void blkid_put_cache(struct blkid_struct_cache *cache)
{
	(void)cache;
}

char *blkid_get_devname(struct blkid_struct_cache *cache, const char *token, const char *value)
{
	(void)cache, (void)token, (void)value;
	return NULL;
}

char *blkid_devno_to_devname(dev_t devno)
{
	(void)devno;
	return NULL;
}
