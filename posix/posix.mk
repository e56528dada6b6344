# posix/: the POSIX layer over newlib, linked into images of application ports
# (a port.mk that sets PORT_APP_SRCS). Application and POSIX-layer code are compiled with
# newlib's headers and the image's code-generation flags (the newlib build's wrapper).

APP_CC := posix/newlib/wrappers/x86_64-elf-gcc
# -MD, not -MMD: posix/include is a system directory (-isystem), and an edit there must
# rebuild what includes it.
# Programs are compiled as for Linux (__linux__, __unix__): servers take their Linux code
# paths (epoll, accept4, sendfile...), which the POSIX layer provides. The newlib build's
# wrapper itself defines neither, as a real x86_64-elf compiler does not.
# They also see glibc's version macros (Debian bookworm's 2.36), which every glibc header
# defines through <features.h>: the C-library surface VMOS provides is the one Debian's
# glibc builds of the servers import (tests/posix/libc-names.txt), so their glibc code
# paths are the ones known to link; and portable code that picks a form by them (GNU
# strerror_r under _GNU_SOURCE only with __GLIBC__, as lighttpd's) gets the form VMOS has.
APP_OS_DEFINES := -D__linux__ -D__linux -D__unix__ -D__unix -D__GLIBC__=2 -D__GLIBC_MINOR__=36
APP_CFLAGS := -MD -MP -ffunction-sections -fdata-sections $(APP_OS_DEFINES) -isystem posix/include -isystem $(NEWLIB_INCLUDE)
# POSIX-layer sources also see the kernel's headers (by path from the repo root).
POSIX_CFLAGS := $(APP_CFLAGS) -std=gnu11 -Wall -Wextra -Werror -I.

# One folder per area; net/ and fd/poll.c, fd/epoll.c are listed in net/net.mk (they
# need lwIP).
POSIX_SRCS := posix/start.c posix/reent.c \
	posix/mem/heap.c posix/mem/mman.c \
	posix/proc/sys_process.c posix/proc/sys_misc.c posix/proc/environ.c \
	posix/proc/identity.c posix/proc/users.c posix/proc/auxv.c posix/proc/cputime.c \
	posix/proc/priority.c posix/proc/affinity.c posix/proc/prctl.c posix/proc/loadavg.c \
	posix/fd/fdtable.c posix/fd/pipe.c posix/fd/eventfd.c posix/fd/timerfd.c posix/fd/splice.c \
	posix/fs/files.c posix/fs/devices.c posix/fs/blockdev.c posix/fs/paths.c posix/fs/dirent.c posix/fs/ramfs.c posix/fs/ramfs_walk.c posix/fs/ramfs_data.c posix/fs/cpio.c posix/fs/termios.c \
	posix/fs/attrs.c posix/fs/fileio.c posix/fs/links.c posix/fs/statfs.c posix/fs/flock.c posix/fs/reclock.c posix/fs/xattr.c \
	posix/signal/signals.c posix/signal/sigset.c posix/signal/time.c posix/signal/timerq.c \
	posix/signal/itimer.c posix/signal/timers.c posix/signal/sigwait.c \
	posix/thread/pthread.c posix/thread/pthread_attr.c posix/thread/pthread_mutex.c \
	posix/thread/pthread_rwlock.c posix/thread/semaphore.c posix/thread/cancel.c \
	posix/libc/messages.c posix/libc/signames.c posix/libc/syslog.c posix/libc/getline.c \
	posix/libc/libgen.c posix/libc/timegm.c posix/libc/filelock.c posix/libc/fortify.c \
	posix/libc/mathl.c posix/libc/dlfcn.c posix/libc/execinfo.c posix/libc/libc_version.c \
	posix/libc/fnmatch.c posix/libc/glob.c posix/libc/unavailable.c posix/libc/setjmp.c \
	posix/libc/crypt.c
POSIX_OBJS := $(POSIX_SRCS:%.c=$(BUILD)/app/%.o)
LIBGCC := $(shell $(HOST_CC) -print-libgcc-file-name)

$(BUILD)/app/posix/%.o: posix/%.c $(FLAGS_STAMP) | $(NEWLIB_STAMP) $(SETUP_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(APP_CC) $(POSIX_CFLAGS) -c $< -o $@

# Application sources (a port's, wherever it lives): newlib's headers only, plus the
# port's own CFLAGS. The posix/ rule above is more specific and wins for the layer itself.
$(BUILD)/app/%.o: %.c $(FLAGS_STAMP) | $(NEWLIB_STAMP) $(SETUP_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(APP_CC) $(APP_CFLAGS) $(PORT_CFLAGS) -c $< -o $@

-include $(POSIX_OBJS:.o=.d)

# The port's name (argv[0]) and default command line, as C byte arrays (any quoting in
# PORT_CMDLINE survives). Rewritten when the port's recipe changes.
PORT_INFO_OBJ := $(BUILD)/$(IMAGE_NAME)/port_info.o
$(BUILD)/$(IMAGE_NAME)/port_info.c: $(PORT_DIR)/port.mk posix/posix.mk
	@mkdir -p $(@D)
	$(Q){ printf 'const char vmos_port_name[] = {'; \
	  printf '%s' '$(subst ','\'',$(PORT_NAME))' | od -An -tx1 -v | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g' | tr -d '\n'; \
	  printf '0};\nconst char vmos_port_cmdline[] = {'; \
	  printf '%s' '$(subst ','\'',$(PORT_CMDLINE))' | od -An -tx1 -v | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g' | tr -d '\n'; \
	  printf '0};\n'; } >$@
$(PORT_INFO_OBJ): $(BUILD)/$(IMAGE_NAME)/port_info.c
	$(Q)$(APP_CC) $(POSIX_CFLAGS) -c $< -o $@

# The port's files (PORT_FILES: SOURCE:DEST pairs; SOURCE a file or a folder, DEST an
# absolute path in the image) go into a cpio "newc" archive linked into the image; the
# POSIX layer unpacks it into the RAM filesystem before main(). A VMM's initrd (-initrd)
# is unpacked after it.
PORT_INITRD := $(BUILD)/$(IMAGE_NAME)/initrd.cpio
PORT_INITRD_OBJ := $(BUILD)/$(IMAGE_NAME)/initrd.o
PORT_FILE_SOURCES := $(foreach f,$(PORT_FILES),$(firstword $(subst :, ,$(f))))
# (names with spaces are escaped for make)
PORT_FILE_DEPS := $(if $(strip $(PORT_FILE_SOURCES)),$(shell find $(PORT_FILE_SOURCES) -type f 2>/dev/null | sed 's/ /\\ /g'))
# Every image has a user and group database: posix/etc's, unless the port ships its own.
POSIX_DEFAULT_FILES := posix/etc/passwd:/etc/passwd posix/etc/group:/etc/group
$(PORT_INITRD): $(PORT_DIR)/port.mk $(PORT_FILE_DEPS) posix/etc/passwd posix/etc/group \
		tools/mkinitrd.sh | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  INITRD  $@")
	$(Q)bash tools/mkinitrd.sh $@ $(PORT_FILES) --defaults $(POSIX_DEFAULT_FILES)
$(PORT_INITRD_OBJ): $(PORT_INITRD)
	$(Q)printf 'section .rodata.initrd progbits alloc noexec nowrite align=16\nglobal vmos_initrd_start\nglobal vmos_initrd_end\nvmos_initrd_start:\nincbin "%s"\nvmos_initrd_end:\n' \
		$(PORT_INITRD) >$(PORT_INITRD_OBJ:.o=.asm)
	$(Q)nasm -f elf64 -o $@ $(PORT_INITRD_OBJ:.o=.asm)
