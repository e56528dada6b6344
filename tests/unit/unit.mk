# unit.mk - host unit tests (cmocka) for the pure-logic kernel modules.
# Included by the top-level Makefile, which defines BUILD. Each test is built with the
# host compiler from its test file plus exactly the module sources it tests (listed
# below); the headers those include are tracked through dependency files.

UNIT_CC ?= $(if $(HOST_CC),$(HOST_CC),gcc)
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -I. -MMD -MP
UNIT_LIBS := -lcmocka

UNIT_SRCS_test_layout := mm/layout.c
UNIT_SRCS_test_pmm := mm/pmm.c
UNIT_SRCS_test_cmdline := kernel/cmdline.c
UNIT_SRCS_test_reloc := mm/reloc.c
UNIT_SRCS_test_pagetable := mm/pagetable.c
UNIT_SRCS_test_format := kernel/format.c
UNIT_SRCS_test_fdtable := posix/fd/fdtable.c
UNIT_SRCS_test_ramfs := posix/fs/ramfs.c posix/fs/ramfs_walk.c posix/fs/ramfs_data.c
UNIT_SRCS_test_cpio := posix/fs/cpio.c posix/fs/ramfs.c posix/fs/ramfs_walk.c posix/fs/ramfs_data.c
UNIT_SRCS_test_ramfs_store := posix/fs/ramfs.c posix/fs/ramfs_walk.c posix/fs/ramfs_data.c
UNIT_SRCS_test_clock := kernel/clock.c
UNIT_SRCS_test_pvclock := kernel/pvclock.c
UNIT_SRCS_test_clockcal := kernel/clockcal.c
UNIT_SRCS_test_zeropage := boot/zeropage.c
UNIT_SRCS_test_httpd_parse := ports/httpd/http_parse.c ports/httpd/http_date.c
UNIT_SRCS_test_httpd_path := ports/httpd/http_path.c
UNIT_SRCS_test_httpd_mime := ports/httpd/http_mime.c
UNIT_SRCS_test_httpd_date := ports/httpd/http_date.c
UNIT_SRCS_test_httpd_response := ports/httpd/http_response.c
UNIT_SRCS_test_virtq := virtio/virtq.c

UNIT_TESTS := test_layout test_pmm test_cmdline test_reloc test_pagetable test_format test_clock \
	test_pvclock test_clockcal test_zeropage \
	test_fdtable test_ramfs test_ramfs_store test_cpio test_virtq
UNIT_TESTS += test_httpd_parse test_httpd_path test_httpd_mime test_httpd_date \
	test_httpd_response
# net/: the network configuration parser, the segmentation offload's frame logic.
UNIT_SRCS_test_netcfg := net/netcfg.c
UNIT_SRCS_test_gso := net/gso.c
UNIT_TESTS += test_netcfg test_gso
# virtio/: the virtio_mmio.device= parser, virtio-blk's requests.
UNIT_SRCS_test_mmio_param := virtio/mmio_param.c
UNIT_SRCS_test_vblk_req := virtio/vblk_req.c virtio/virtq.c
UNIT_TESTS += test_mmio_param test_vblk_req
# posix/disk/: the disks' page cache.
UNIT_SRCS_test_bcache := posix/disk/bcache.c
UNIT_TESTS += test_bcache
UNIT_TEST_BINS := $(UNIT_TESTS:%=$(BUILD)/unit/%)

.SECONDEXPANSION:
$(UNIT_TEST_BINS): $(BUILD)/unit/%: tests/unit/%.c $$(UNIT_SRCS_%) | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(UNIT_CC) $(UNIT_CFLAGS) -o $@ $< $(UNIT_SRCS_$*) $(UNIT_LIBS)

-include $(UNIT_TEST_BINS:=.d)

.PHONY: unit-tests
unit-tests: $(UNIT_TEST_BINS)
