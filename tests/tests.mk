# tests/: what `make test` needs built before tests/run-all.sh runs: the unit test
# binaries (tests/unit/unit.mk), the default image and the BIOS tools for test images.
.PHONY: test-images
test-images: $(BUILD)/$(PORT).elf $(BIOS_STAGE) $(MKIMAGE)
