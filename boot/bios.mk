# boot/bios.mk - the BIOS disk boot path: boot/start.asm and the image tool.
#
# Included by the top-level Makefile, which defines BUILD (e.g. BUILD := build).
# Provides:
#   $(BUILD)/boot/start.bin   MBR + stage 2, from boot/start.asm (nasm -f bin)
#   $(BUILD)/tools/mkimage    host tool that writes the raw disk image
#   BIOS_IMAGE_DEPS           prerequisites every image rule needs
#   bios_image                $(call bios_image,KERNEL.elf,OUT.img,CMDLINE TEXT)
#                             expands to the mkimage command line (CMDLINE is shell-quoted
#                             here; it may contain blanks and quotes, but not a newline)
#
# Example for the top-level Makefile:
#   $(BUILD)/vmos.img: $(BUILD)/vmos.elf $(BIOS_IMAGE_DEPS)
#   	$(call bios_image,$<,$@,$(CMDLINE))
#
# BUILD must be set before the include (the rule targets use it immediately). NASM, HOSTCC
# and HOSTCFLAGS may be set before or after it. Including this file does not change the
# default goal.

bios_saved_default_goal := $(.DEFAULT_GOAL)

NASM ?= nasm
HOSTCC ?= gcc
HOSTCFLAGS ?= -O2 -Wall -Wextra -Werror

$(BUILD)/boot/start.bin: boot/start.asm boot/bios.mk
	@mkdir -p $(dir $@)
	$(NASM) -f bin -w+all -o $@ $<

$(BUILD)/tools/mkimage: tools/mkimage.c boot/bios.mk
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -o $@ $<

BIOS_IMAGE_DEPS := $(BUILD)/boot/start.bin $(BUILD)/tools/mkimage

.DEFAULT_GOAL := $(bios_saved_default_goal)

# bios_shell_quote - TEXT as one single-quoted shell word.
bios_shell_quote = '$(subst ','\'',$(1))'

bios_image = $(BUILD)/tools/mkimage $(BUILD)/boot/start.bin $(1) $(2) \
	--cmdline $(call bios_shell_quote,$(3))
