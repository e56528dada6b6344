# posix/newlib: newlib (libc.a, libm.a and their headers) for the kernel image, built by
# build-newlib.sh from Debian's newlib-source package into a cache folder outside the tree
# whose name hashes the script, the patches and the compiler wrapper (see README.md).
# Include after SETUP_STAMP is defined.
#
#   NEWLIB_PREFIX    the install: include/ and lib/
#   NEWLIB_INCLUDE   the headers (use with -isystem, after -nostdinc)
#   NEWLIB_LIBC      lib/libc.a
#   NEWLIB_LIBM      lib/libm.a
#   NEWLIB_STAMP     written last by a complete build; compiles that include newlib's
#                    headers take it as an order-only prerequisite, links take the libraries
#   make newlib      builds it (nothing to do when the cache holds it)

NEWLIB_SCRIPT := posix/newlib/build-newlib.sh
NEWLIB_PREFIX := $(shell VMOS_HOST_CC=$(HOST_CC) bash $(NEWLIB_SCRIPT) --print-prefix)
ifeq ($(NEWLIB_PREFIX),)
$(error posix/newlib/build-newlib.sh --print-prefix failed)
endif
NEWLIB_INCLUDE := $(NEWLIB_PREFIX)/include
NEWLIB_LIBC := $(NEWLIB_PREFIX)/lib/libc.a
NEWLIB_LIBM := $(NEWLIB_PREFIX)/lib/libm.a
NEWLIB_STAMP := $(NEWLIB_PREFIX)/.complete

# The stamp needs no other prerequisite: any change to the inputs changes NEWLIB_PREFIX.
$(NEWLIB_STAMP): | $(SETUP_STAMP)
	@VMOS_HOST_CC=$(HOST_CC) bash $(NEWLIB_SCRIPT)

# The libraries come with the stamp; order-only, so that a finished build is never redone.
$(NEWLIB_LIBC) $(NEWLIB_LIBM): | $(NEWLIB_STAMP) ;

.PHONY: newlib
newlib: $(NEWLIB_STAMP)
