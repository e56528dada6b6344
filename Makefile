# VMOS top-level Makefile: one make, a fragment per folder (each lists its sources).
#
#   make image            build build/$(PORT).elf (PVH) and build/$(PORT).img (BIOS disk)
#   make run              boot the image under QEMU, serial console on this terminal
#   make debug            boot it halted with QEMU's gdb stub
#   make test             host unit tests + boot tests; ends with "N passed, N failed"
#   make bench            the side-by-side benchmark table (docs/performance.md)
#
# PORT selects the application (ports/<name>/); the default is httpd, a static-file web
# server (make run serves http://127.0.0.1:8080/). PORT=bootreport is the bare kernel's
# boot report and self-tests.

BUILD := build
KIT := $(abspath $(BUILD)/kit)
PORT ?= httpd
# PORT is a name under ports/ or a path to a port folder anywhere (it contains a '/').
PORT_DIR := $(if $(findstring /,$(PORT)),$(patsubst %/,%,$(PORT)),ports/$(PORT))
# The recipe comes first: the fragments below name their targets after it.
ifeq ($(wildcard $(PORT_DIR)/port.mk),)
$(error no port '$(PORT)': $(PORT_DIR)/port.mk does not exist)
endif
include $(PORT_DIR)/port.mk
# argv[0] and the output names: build/$(IMAGE_NAME).elf and .img
PORT_NAME ?= $(notdir $(PORT_DIR))
IMAGE_NAME ?= $(PORT_NAME)
PORT_MEM ?= 64M
# Data disks (mount=, posix/disk/ with libext2fs: about 270 KiB) are linked into a port
# that says PORT_DISK := yes, or with make PORT_DISK=yes; an image without them refuses
# mount= with that advice.
PORT_DISK ?= no
PORT_DISK_LINK = $(if $(filter yes,$(PORT_DISK)),$(DISK_LINK))
PORT_DISK_DEP = $(if $(filter yes,$(PORT_DISK)),$(KIT)/libvmos-disk.a)

.DEFAULT_GOAL := image
.PHONY: image run disk debug test bench soak unit-tests boot-tests setup clean format format-check
.DELETE_ON_ERROR:

# Missing tools are installed (apt-get) before anything is built.
SETUP_STAMP := $(BUILD)/.setup-done
$(SETUP_STAMP): tools/setup.sh
	@bash tools/setup.sh
	@mkdir -p $(@D) && touch $@
setup: $(SETUP_STAMP)
# The build-wide compiler flags, written below once all are known (object rules use it).
FLAGS_STAMP := $(BUILD)/.flags

# V=1 shows full commands.
Q := $(if $(V),,@)

HOST_CC := gcc
CC_INCLUDE := $(shell $(HOST_CC) -print-file-name=include)

KERNEL_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc -isystem $(CC_INCLUDE) \
	-I. -Ikernel/include -fPIE -fvisibility=hidden -mno-red-zone -fno-stack-protector \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-builtin-printf -ffunction-sections -fdata-sections -Wall -Wextra -Werror -MMD -MP
NASMFLAGS := -f elf64 -Werror

KERNEL_C_SRCS :=
KERNEL_ASM_SRCS :=
include boot/boot.mk
include kernel/kernel.mk
include mm/mm.mk
include virtio/virtio.mk
BIOS_STAGE := $(BUILD)/boot/start.bin
MKIMAGE := $(BUILD)/tools/mkimage
include boot/bios.mk
include posix/newlib/newlib.mk
include posix/ext2fs/ext2fs.mk
include posix/posix.mk
include posix/disk/disk.mk
include net/net.mk
include tests/unit/unit.mk
include tests/tests.mk

# Objects are rebuilt when the build-wide compiler flags change, not only when their sources
# do: an object left from before a flag change (-ffunction-sections, say) would otherwise
# stay in every image. FLAGS_STAMP is rewritten whenever they differ from what it holds.
FLAGS_TEXT := $(HOST_CC) $(KERNEL_CFLAGS) / $(APP_CC) $(POSIX_CFLAGS) / $(NET_CFLAGS) / $(NASMFLAGS)
$(shell mkdir -p $(BUILD) && { printf '%s\n' '$(FLAGS_TEXT)' | cmp -s - $(FLAGS_STAMP) || \
	printf '%s\n' '$(FLAGS_TEXT)' >$(FLAGS_STAMP); })

KERNEL_OBJS := $(KERNEL_C_SRCS:%.c=$(BUILD)/obj/%.o) $(KERNEL_ASM_SRCS:%.asm=$(BUILD)/obj/%.o)
# The payload (kernel/app.h): kernel-side sources of the port, built like the kernel, or
# an application (PORT_APP_SRCS) with the POSIX layer, newlib and libgcc.
PORT_OBJS := $(PORT_KERNEL_SRCS:%.c=$(BUILD)/obj/%.o)
ifneq ($(strip $(PORT_APP_SRCS)),)
# The network (lwIP and the socket calls) is an archive: a program that opens no socket
# links none of it.
PORT_OBJS += $(PORT_APP_SRCS:%.c=$(BUILD)/app/%.o) $(POSIX_OBJS) $(PORT_INFO_OBJ) $(PORT_INITRD_OBJ)
PORT_NET_LIB := $(KIT)/libvmos-net.a
PORT_LIBS = --start-group $(PORT_NET_LIB) $(PORT_DISK_LINK) $(NEWLIB_LIBC) $(NEWLIB_LIBM) $(LIBGCC) --end-group
endif
IMAGE_OBJS := $(KERNEL_OBJS) $(PORT_OBJS)

$(BUILD)/obj/%.o: %.c $(FLAGS_STAMP) | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(HOST_CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.asm $(FLAGS_STAMP) | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  NASM    $<")
	$(Q)nasm $(NASMFLAGS) -o $@ $<

# The image is a static PIE linked at 1 MiB; tools/check-image.sh refuses relocations
# other than R_X86_64_RELATIVE, which neither loader applies. Code is compiled one section
# per function (-ffunction-sections) and the link drops what nothing reaches.
# tools/link-image.sh OUT ARGS... links it with its own symbol table (three links) and
# runs check-image.sh on the result.
LINK_IMAGE = bash tools/link-image.sh
LINK_IMAGE_DEPS = tools/link-image.sh tools/mksymtab.sh tools/check-image.sh kernel/kernel.ld

# Libraries a port links (PORT_DEPS := libevent): each is a recipe, ports/NAME/library.sh
# SYSROOT, that builds the library from its Debian source with vmos-cc and installs its
# headers and archives under SYSROOT/include and SYSROOT/lib. The port's build runs with
# VMOS_SYSROOT naming it, where vmos-cc looks for headers and libraries, so the port's
# own configure finds the library as it would on Linux. SYSROOT/.installed-NAME holds the
# recipe's version file, so a port can tell which versions it was configured against.
SYSROOT := $(abspath $(BUILD)/sysroot)
define library_rule
$(SYSROOT)/.installed-$(1): $(shell find ports/$(1) -type f) $(KIT)/bin/vmos-cc tools/debian-source.sh ports/lib.sh
	@$$(if $$(Q),echo "  LIBRARY $(1) (ports/$(1)/library.sh)")
	$$(Q)mkdir -p $(SYSROOT) && VMOS_CC=$(KIT)/bin/vmos-cc bash ports/$(1)/library.sh $(SYSROOT)
	$$(Q)cat ports/$(1)/version >$$@
endef
$(foreach lib,$(PORT_DEPS),$(if $(wildcard ports/$(lib)/library.sh),,$(error PORT_DEPS: no ports/$(lib)/library.sh))$(eval $(call library_rule,$(lib))))
PORT_DEP_STAMPS := $(PORT_DEPS:%=$(SYSROOT)/.installed-%)

ifneq ($(PORT_BUILD_SCRIPT),)
# A port with its own build (an autotools project, say) runs it with the compiler wrapper;
# the wrapper links the image. Any file of the port's folder (a version, a patch, a
# configuration file) changes the image, and so do PORT_BUILD_DEPS (files elsewhere the
# build uses: another port's recipe it shares).
$(BUILD)/$(IMAGE_NAME).elf: $(PORT_BUILD_SCRIPT) $(shell find $(PORT_DIR) -type f) \
		$(PORT_BUILD_DEPS) $(PORT_DEP_STAMPS) $(KIT)/bin/vmos-cc $(PORT_DISK_DEP) \
		tools/debian-source.sh ports/lib.sh
	@$(if $(Q),echo "  BUILD   $@ ($(PORT_BUILD_SCRIPT))")
	$(Q)VMOS_CC=$(KIT)/bin/vmos-cc VMOS_CMDLINE='$(subst ','\'',$(PORT_CMDLINE))' \
		$(if $(filter yes,$(PORT_DISK)),VMOS_DISK=1) \
		$(if $(PORT_DEPS),VMOS_SYSROOT=$(SYSROOT)) bash $(PORT_BUILD_SCRIPT) $@
else
$(BUILD)/$(IMAGE_NAME).elf: $(IMAGE_OBJS) $(LINK_IMAGE_DEPS) \
		$(if $(PORT_LIBS),$(NEWLIB_LIBC) $(PORT_NET_LIB) $(PORT_DISK_DEP))
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LINK_IMAGE) $@ $(IMAGE_OBJS) $(PORT_LIBS)
endif

# The disk image carries the image without symbols: the loader would copy them for nothing.
$(BUILD)/$(IMAGE_NAME).stripped.elf: $(BUILD)/$(IMAGE_NAME).elf
	$(Q)strip -o $@ $<

$(BUILD)/$(IMAGE_NAME).img: $(BUILD)/$(IMAGE_NAME).stripped.elf $(BIOS_STAGE) $(MKIMAGE)
	@$(if $(Q),echo "  MKIMAGE $@")
	$(Q)$(call bios_image,$<,$@,$(PORT_CMDLINE))

image: $(BUILD)/$(IMAGE_NAME).elf $(BUILD)/$(IMAGE_NAME).img

# BOOT=bios boots the disk image instead of the ELF (PVH); ARGS adds a command line.
BOOT ?= pvh
# A port's PORT_FORWARD (HOSTPORT:GUESTPORT words) opens 127.0.0.1:HOSTPORT to the guest.
# DISK="FILE[:ro] ..." attaches raw disk images as vda, vdb... (make disk makes one).
run: image
	@bash tools/run.sh --boot $(BOOT) --elf $(BUILD)/$(IMAGE_NAME).elf --img $(BUILD)/$(IMAGE_NAME).img \
		--mem $(PORT_MEM) --cmdline "$(if $(ARGS),$(ARGS),$(PORT_CMDLINE))" \
		$(foreach f,$(PORT_FORWARD),--forward $(f)) $(foreach d,$(DISK),--disk $(d))

# make disk [PORT=name] [SIZE=64M] [DIR=folder]: a data disk, ext4 made by Debian's mke2fs,
# filled from DIR (default: the port's disk/ folder when it has one), in
# build/NAME-disk.img.
disk: $(SETUP_STAMP)
	@bash tools/mkdisk.sh $(BUILD)/$(IMAGE_NAME)-disk.img $(or $(SIZE),64M) \
		$(or $(DIR),$(wildcard $(PORT_DIR)/disk))

debug: image
	@bash tools/run.sh --debug --boot $(BOOT) --elf $(BUILD)/$(IMAGE_NAME).elf \
		--img $(BUILD)/$(IMAGE_NAME).img --mem $(PORT_MEM) \
		--cmdline "$(if $(ARGS),$(ARGS),$(PORT_CMDLINE))"

test: image unit-tests test-images
	@bash tests/run-all.sh

# VMOS against the same httpd in a Linux guest and as a native process (docs/performance.md).
bench: $(SETUP_STAMP)
	@python3 bench/bench.py --build $(BUILD)
	@python3 bench/servers.py --build $(BUILD)
	@python3 bench/disk.py --build $(BUILD)

# The bench image under a mixed load on both network backends at once (default 1 h;
# docs/performance.md, "make soak"): make soak SOAK_ARGS='--minutes 30'. Not part of make test.
soak: $(SETUP_STAMP)
	@python3 bench/soak.py --build $(BUILD) $(SOAK_ARGS)

# The kit: what tools/vmos-cc links images from, and the generated wrapper itself
# ($(BUILD)/kit/bin/vmos-cc), for building unmodified projects: CC=$(BUILD)/kit/bin/vmos-cc.
.PHONY: kit
kit: $(KIT)/bin/vmos-cc
$(KIT)/libvmos-kernel.a: $(KERNEL_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^
$(KIT)/libvmos-posix.a: $(POSIX_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^
$(KIT)/libvmos-net.a: $(NET_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^
$(KIT)/bin/vmos-cc: tools/vmos-cc.in posix/posix.mk $(KIT)/libvmos-kernel.a $(KIT)/libvmos-posix.a \
		$(KIT)/libvmos-net.a $(NEWLIB_LIBC) $(EXT2FS_PREFIX_NAME)
	@mkdir -p $(@D)
	$(Q)sed -e 's|@REPO@|$(CURDIR)|' -e 's|@KIT@|$(KIT)|' -e 's|@NEWLIB_INCLUDE@|$(NEWLIB_INCLUDE)|' \
		-e 's|@NEWLIB_LIBC@|$(NEWLIB_LIBC)|' -e 's|@NEWLIB_LIBM@|$(NEWLIB_LIBM)|' \
		-e 's|@LIBGCC@|$(LIBGCC)|' -e 's|@APP_OS_DEFINES@|$(APP_OS_DEFINES)|' \
		-e 's|@EXT2FS_LIBS@|$(EXT2FS_LIBS)|' -e 's|@EXT2FS_STAMP@|$(EXT2FS_STAMP)|' $< >$@
	$(Q)chmod +x $@

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

-include $(IMAGE_OBJS:.o=.d)
