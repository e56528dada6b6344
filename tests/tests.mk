# tests/: what `make test` needs built before tests/run-all.sh runs: the unit test
# binaries (tests/unit/unit.mk), the default image, the BIOS tools for test images, and a
# kernel padded past 64 MiB that proves the BIOS loader takes images of that size.
.PHONY: test-images
test-images: $(BUILD)/$(IMAGE_NAME).elf $(BIOS_STAGE) $(MKIMAGE) test-ports \
		$(BUILD)/test/linuxboot-shim.bin
	$(Q)$(MAKE) --no-print-directory PORT=bootreport $(BUILD)/test/big.elf

# Ports the boot tests run (each a separate make: PORT selects the whole recipe).
TEST_PORTS := bootreport hello tests/ports/assert tests/ports/pthread-overflow tests/ports/process tests/ports/ifaddrs tests/ports/blockdev tests/ports/disk gnu-hello
.PHONY: test-ports
test-ports:
	$(Q)for p in $(TEST_PORTS); do $(MAKE) --no-print-directory PORT=$$p image || exit 1; done

# 64 MiB of read-only data (not zeros, so it cannot become .bss) linked into the kernel;
# big.elf is the bootreport port's image (test-images builds it with PORT=bootreport).
# It links without --gc-sections: nothing refers to the padding.
$(BUILD)/test/pad64m.o: | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(Q)head -c 67108864 /dev/zero | tr '\0' 'V' >$(BUILD)/test/pad64m.bin
	$(Q)printf 'section .rodata.pad progbits alloc noexec nowrite align=16\nincbin "%s"\n' \
		$(BUILD)/test/pad64m.bin >$(BUILD)/test/pad64m.asm
	$(Q)nasm -f elf64 -o $@ $(BUILD)/test/pad64m.asm
	$(Q)rm -f $(BUILD)/test/pad64m.bin $(BUILD)/test/pad64m.asm

$(BUILD)/test/big.elf: $(IMAGE_OBJS) $(BUILD)/test/pad64m.o $(LINK_IMAGE_DEPS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LINK_IMAGE) $@ --no-gc-sections $(IMAGE_OBJS) $(BUILD)/test/pad64m.o
	$(Q)strip $@

# A multiboot shim that enters an image the way Firecracker does (Linux 64-bit boot
# protocol, zero page in rsi): QEMU cannot, and Firecracker does not run here.
$(BUILD)/test/linuxboot-shim.bin: tests/boot/linuxboot-shim.asm | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  NASM    $<")
	$(Q)nasm -f bin -w+all -o $@ $<
