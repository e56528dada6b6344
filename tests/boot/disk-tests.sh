#!/usr/bin/env bash
# disk-tests.sh - an ext4 data disk (made by tools/mkdisk.sh from a folder) mounted at
# /data with mount=/dev/vda:/data (tests/ports/disk): a boot that writes a server's kind
# of tree and syncs, a second boot that finds it all, a boot that fills the disk to
# ENOSPC, a read-only mount; after each boot e2fsck -fn on the host finds the file system
# clean, and debugfs reads what the image wrote. Then the mount errors: a disk with no
# file system, a read-only disk mounted read-write, a bad mount= word.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh
ELF=$BUILD/disk.elf
E2FSCK=$(command -v e2fsck || echo /usr/sbin/e2fsck)
DEBUGFS=$(command -v debugfs || echo /usr/sbin/debugfs)
disk=$TEST_DIR/disk-test.ext4
seed=$TEST_DIR/disk-seed

# boot_disk NAME ARGS [DRIVE OPTIONS] - the test program on the disk.
boot_disk() {
	boot "$1" pvh 64M qemu64 "$2" "${DEBUG_EXIT[@]}" \
		-drive "file=$disk,format=raw,if=none,id=d0${3:-}" -device virtio-blk-pci,drive=d0
}

# expect_clean - e2fsck -fn on the host finds nothing to fix.
expect_clean() {
	local out
	out=$("$E2FSCK" -fn "$disk" 2>&1) || fail "e2fsck -fn: $(tail -n 12 <<<"$out" | tr '\n' '|')"
}

rm -rf "$seed"
mkdir -p "$seed/from-mkfs"
: >"$seed/from-mkfs/hello.txt"
bash tools/mkdisk.sh "$disk" 64M "$seed" >/dev/null

boot_disk disk-write "mount=/dev/vda:/data -- write"
expect_rc 1 "exit status 0"
expect_line "^mount: /dev/vda:/data$"
expect_line "^sparse: 5368709140 bytes in [0-9]+ blocks$"
expect_line "^statvfs: block 4096, 16384 blocks, [0-9]+ free, 16384 files, [0-9]+ free, name 255, flag 0$"
expect_line "^/data/srv: \. \.\. b big link small sparse trunc$"
expect_line "^/data/srv/b/a: \. \.\. moved-dir-file$"
expect_line "^disk write ok$"
expect_clean
# What the image wrote, read by e2fsprogs on the host.
link=$("$DEBUGFS" -R "stat /srv/link" "$disk" 2>/dev/null | grep -o 'Fast link dest: "[^"]*"')
[ "$link" = 'Fast link dest: "b/a/moved-dir-file"' ] || fail "debugfs: the link is '$link'"
size=$("$DEBUGFS" -R "cat /srv/small" "$disk" 2>/dev/null | wc -c)
[ "$size" = 4096 ] || fail "debugfs: /srv/small has $size bytes, not 4096"
finish "ext4 on virtio-blk: mkdir, files, rename over a file and of a directory, unlink while open, sparse past 4 GiB, truncate, symlink, chmod, utimes, statvfs; e2fsck clean"

boot_disk disk-read "mount=/dev/vda:/data -- read"
expect_rc 1 "exit status 0"
expect_line "^/data: \. \.\. from-mkfs lost\+found srv$"
expect_line "^disk read ok$"
expect_clean
finish "ext4 after a reboot: every file, size, mode, time and link as written, holes as zeros"

boot_disk disk-full "mount=/dev/vda:/data -- full"
expect_rc 1 "exit status 0"
expect_line "^filled: ENOSPC after [0-9]+ MiB$"
expect_line "^disk full ok$"
expect_clean
finish "ext4 filled to ENOSPC: a clean error, the other files intact, space back after unlink"

boot_disk disk-ro "mount=/dev/vda:/data:ro -- ro" ",readonly=on"
expect_rc 1 "exit status 0"
expect_line "^mount: /dev/vda:/data:ro$"
expect_line "^disk ro ok$"
expect_clean
finish "ext4 mounted read-only: EROFS for every change, reads fine"

boot_disk disk-rw-on-ro "mount=/dev/vda:/data -- ro" ",readonly=on"
expect_rc 3 "exit status 1"
expect_line "^mount: /dev/vda:/data: the disk is read-only: mount it :ro \(-30\)$"
expect_no_line "^disk ro ok$"
finish "mount=/dev/vda:/data on a read-only disk: the reason, and the program does not start"

head -c 1048576 /dev/zero >"$disk"
boot_disk disk-nofs "mount=vda:/data -- read"
expect_rc 3 "exit status 1"
expect_line "^mount: vda:/data: no ext2/ext3/ext4 file system \(or a damaged superblock\) \(-22\)$"
boot_disk disk-badword "mount=/dev/sda:/data -- read"
expect_line "^mount: /dev/sda:/data: '/dev/sda' is not a disk \(/dev/vda, /dev/vdb\.\.\.\) \(-19\)$"
boot_disk disk-noslot "mount=/dev/vdb:/data -- read"
expect_line "^mount: /dev/vdb:/data: no such disk \(-19\)$"
finish "mount errors: no file system, not a disk name, no such disk"

# The page cache: it takes free memory, follows changes, gives the memory back.
bash tools/mkdisk.sh "$disk" 64M >/dev/null
boot_disk disk-cache "mount=/dev/vda:/data -- cache"
expect_rc 1 "exit status 0"
expect_line "^cache: malloc took [0-9]+ MiB back$"
expect_line "^disk cache ok$"
expect_clean
finish "page cache: a file read twice is cached, a change is seen before and after the commit, malloc takes the memory back"

# Two disks, two mount points.
bash tools/mkdisk.sh "$disk" 64M >/dev/null
bash tools/mkdisk.sh "$disk.2" 32M >/dev/null
boot "disk-two" pvh 64M qemu64 "mount=/dev/vda:/data mount=/dev/vdb:/logs -- two" "${DEBUG_EXIT[@]}" \
	-drive "file=$disk,format=raw,if=none,id=d0" -device virtio-blk-pci,drive=d0 \
	-drive "file=$disk.2,format=raw,if=none,id=d1" -device virtio-blk-pci,drive=d1
expect_rc 1 "exit status 0"
expect_line "^mount: /dev/vdb:/logs$"
expect_line "^st_dev 254:0 and 254:16$"
expect_line "^disk two ok$"
for f in "$disk" "$disk.2"; do
	out=$("$E2FSCK" -fn "$f" 2>&1) || fail "e2fsck -fn $f: $(tail -n 8 <<<"$out" | tr '\n' '|')"
done
[ "$("$DEBUGFS" -R "cat /one" "$disk.2" 2>/dev/null | wc -c)" = 5000 ] || fail "debugfs: /one is not on the second disk"
finish "two disks at /data and /logs: two file systems (st_dev, fsid), EXDEV between them, both clean"
rm -f "$disk.2"

# An image built without the disk layer (tests/ports/blockdev: no PORT_DISK) says so.
ELF=$BUILD/blockdev.elf boot_disk disk-nolayer "mount=/dev/vda:/data -- ro"
expect_rc 3 "exit status 1"
expect_line "^mount: this image has no disk support: build it with PORT_DISK := yes"
finish "mount= in an image without the disk layer: the advice, and the program does not start"
rm -rf "$disk" "$seed"
