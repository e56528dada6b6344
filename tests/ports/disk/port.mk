# tests/ports/disk: files on an ext4 disk mounted at /data (mount=/dev/vda:/data): what a
# server does to its data directory, checked across a reboot, on a full disk and on a
# read-only mount; run by tests/boot/disk-tests.sh, which checks the disk on the host
# with e2fsck and debugfs afterwards.
PORT_APP_SRCS := $(PORT_DIR)/disk.c
PORT_CMDLINE :=
PORT_DISK := yes
