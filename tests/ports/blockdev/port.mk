# tests/ports/blockdev: a disk through its block device node (/dev/vda): size and ioctls,
# reads of what the host wrote, writes at odd offsets and lengths from heap and stack,
# past 4 GiB, at the end, fsync, several threads at once, a read-only disk; checked by
# tests/boot/blockdev-tests.sh, which then reads the disk file on the host.
PORT_APP_SRCS := $(PORT_DIR)/blockdev.c
PORT_CMDLINE :=
