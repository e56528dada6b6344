# posix/disk/: the disks' file systems (ext2/3/4 through libext2fs, mount= options), an
# archive of its own, $(KIT)/libvmos-disk.a, linked with libext2fs into every application
# image; the POSIX layer reaches it by weak references (posix/disk/disk.h). Its objects
# compile against libext2fs's headers, which are built with the kit: that is why they are
# not in POSIX_OBJS (the kit's own libraries must not need libext2fs).
DISK_SRCS := posix/disk/bcache.c posix/disk/ext2io.c posix/disk/ext2journal.c posix/disk/ext2orphan.c posix/disk/ext2store.c posix/disk/mount.c posix/disk/blkid.c
DISK_OBJS := $(DISK_SRCS:%.c=$(BUILD)/app/%.o)
DISK_CFLAGS := $(POSIX_CFLAGS) -isystem $(EXT2FS_INCLUDE)
# What links the layer into an image: the archive, pulled in by its mount entry point,
# then libext2fs (inside the image's --start-group).
DISK_LINK := -u posix_disks_mount -u posix_disks_sync $(KIT)/libvmos-disk.a $(EXT2FS_LIBS)

$(BUILD)/app/posix/disk/%.o: posix/disk/%.c $(FLAGS_STAMP) $(EXT2FS_STAMP) | $(NEWLIB_STAMP) $(SETUP_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(APP_CC) $(DISK_CFLAGS) -c $< -o $@

$(KIT)/libvmos-disk.a: $(DISK_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

-include $(DISK_OBJS:.o=.d)
