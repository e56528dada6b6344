# posix/ext2fs: e2fsprogs' libext2fs, libcom_err and the journal recovery code fuse2fs
# links, with their headers, for VMOS images, built by build-ext2fs.sh from Debian's
# e2fsprogs source package with the kit's vmos-cc into a cache folder outside the tree
# whose name hashes the script, the wrappers and posix/include (see README.md). Nothing
# links them yet. Include after newlib.mk (SETUP_STAMP, HOST_CC and KIT defined).
#
#   EXT2FS_PREFIX    the install: include/ and lib/
#   EXT2FS_INCLUDE   the headers (<ext2fs/ext2fs.h>, <et/com_err.h>; use with -isystem)
#   EXT2FS_LIBS      the archives, in link order: libext2fs-journal.a (journal replay:
#                    ext2fs_run_ext3_journal), libext2fs.a, libcom_err.a
#   EXT2FS_STAMP     written last by a complete build; compiles that include the headers
#                    take it as an order-only prerequisite, links take the archives
#   make ext2fs      builds it (nothing to do when the cache holds it; the kit is made
#                    first, since configure and the symbol check use it)

EXT2FS_SCRIPT := posix/ext2fs/build-ext2fs.sh
EXT2FS_PREFIX := $(shell VMOS_HOST_CC=$(HOST_CC) bash $(EXT2FS_SCRIPT) --print-prefix)
ifeq ($(EXT2FS_PREFIX),)
$(error posix/ext2fs/build-ext2fs.sh --print-prefix failed)
endif
EXT2FS_INCLUDE := $(EXT2FS_PREFIX)/include
EXT2FS_LIBS := $(EXT2FS_PREFIX)/lib/libext2fs-journal.a $(EXT2FS_PREFIX)/lib/libext2fs.a \
	$(EXT2FS_PREFIX)/lib/libcom_err.a
EXT2FS_STAMP := $(EXT2FS_PREFIX)/.complete
# The prefix's name, rewritten when it changes: what names the prefix (vmos-cc) depends on
# this, not on the build it names (which needs the kit).
EXT2FS_PREFIX_NAME := $(BUILD)/ext2fs-prefix
$(shell mkdir -p $(BUILD) && { echo '$(EXT2FS_PREFIX)' | cmp -s - $(EXT2FS_PREFIX_NAME) || \
	echo '$(EXT2FS_PREFIX)' >$(EXT2FS_PREFIX_NAME); })

# The stamp needs no other prerequisite: any change to the inputs changes EXT2FS_PREFIX.
# The kit is order-only: its libraries change with every POSIX-layer edit, which must not
# rebuild this (README.md, "Cache").
$(EXT2FS_STAMP): | $(SETUP_STAMP) $(KIT)/bin/vmos-cc
	@VMOS_HOST_CC=$(HOST_CC) VMOS_KIT=$(KIT) bash $(EXT2FS_SCRIPT)

# The archives come with the stamp; order-only, so that a finished build is never redone.
$(EXT2FS_LIBS): | $(EXT2FS_STAMP) ;

.PHONY: ext2fs
ext2fs: $(EXT2FS_STAMP)
