#!/usr/bin/env bash
# blockdev-tests.sh - virtio-blk through /dev/vda (tests/ports/blockdev): on PCI with two
# queues and on virtio-mmio (microvm), a sparse 4 GiB + 1 MiB raw disk whose first 4 MiB
# the host fills with pattern 0; the program checks them, writes patterns 1-6 at odd
# offsets (past 4 GiB, the last sector, across the end) and fsyncs; then the host reads
# the disk file and finds each pattern where it was written and the rest untouched.
# Last, a read-only disk: EROFS for writing, reads fine.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh
ELF=$BUILD/blockdev.elf

# make_disk FILE - the sparse disk with pattern 0 in its first 4 MiB.
make_disk() {
	rm -f "$1"
	truncate -s $((4 * 1024 * 1024 * 1024 + 1024 * 1024)) "$1"
	python3 - "$1" <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.write(bytes((o * 7 + (o >> 9)) & 0xff for o in range(4 << 20)))
PY
}

# check_disk FILE - each pattern where the program wrote it, pattern 0 around them, zeros
# (the sparse file's holes) just outside pattern 4.
check_disk() {
	local out
	out=$(python3 tests/boot/blockdev-check.py "$1" 2>&1) || fail "the disk file: $out"
}

# check_rw QUEUES - what the program says on a read-write disk.
check_rw() {
	expect_rc 1 "exit status 0"
	expect_line "^vblk: vda: .*, 8390656 sectors \(4097 MiB\), block 512, read-write, write-back cache, $1 queues?, "
	expect_line "^/dev/vda: block device 254:0$"
	expect_line "^size 4296015872 bytes, lseek end 4296015872, sector size 512$"
	expect_line "^read back the host's 4 MiB: ok$"
	expect_line "^4 threads read their MiB at once: ok$"
	expect_line "^pwrite of 200 bytes 100 before the end: 100$"
	expect_line "^pwrite at the end: -1 No space left on device$"
	expect_line "^pread at the end: 0$"
	expect_line "^read back pattern 4: ok$"
	expect_line "^read at the offset: ok$"
	expect_line "^blockdev ok$"
	expect_line "^kernel: exit 0$"
}

disk=$TEST_DIR/blockdev-disk.raw

make_disk "$disk"
boot "blockdev-pci" pvh 64M qemu64 "" "${DEBUG_EXIT[@]}" \
	-drive "file=$disk,format=raw,if=none,id=d0,cache=writeback" \
	-device virtio-blk-pci,drive=d0,num-queues=2
check_rw 2
check_disk "$disk"
finish "virtio-blk on PCI, two queues: reads, writes at odd offsets and past 4 GiB, fsync; the host finds them"

make_disk "$disk"
MACHINE=microvm,acpi=off boot "blockdev-mmio" pvh 64M qemu64 "" "${DEBUG_EXIT[@]}" \
	-global virtio-mmio.force-legacy=false -drive "file=$disk,format=raw,if=none,id=d0" -device virtio-blk-device,drive=d0
check_rw 1
expect_line "^vblk: vda: virtio-mmio 0x[0-9a-f]+, .*ioapic$"
check_disk "$disk"
finish "virtio-blk on virtio-mmio (microvm): the same checks"

boot "blockdev-ro" pvh 64M qemu64 "-- ro" "${DEBUG_EXIT[@]}" \
	-drive "file=$disk,format=raw,if=none,id=d0,readonly=on" -device virtio-blk-pci,drive=d0
expect_rc 1 "exit status 0"
expect_line "^vblk: vda: .*, read-only, "
expect_line "^open O_RDWR: EROFS$"
expect_line "^BLKROGET: 1$"
expect_line "^read back the first MiB: ok$"
expect_line "^pwrite on O_RDONLY: EBADF$"
expect_line "^blockdev ok$"
finish "a read-only virtio-blk disk: EROFS for writing, reads fine"
rm -f "$disk"
