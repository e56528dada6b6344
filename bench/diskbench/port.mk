# bench/diskbench: the disk rows of make bench (bench/disk.py): sequential write and read
# MB/s and 4 KiB random-read IOPS on a file of the mounted data disk. The same source is
# built statically for the Linux guest. make PORT=bench/diskbench image
PORT_APP_SRCS := $(PORT_DIR)/diskbench.c
PORT_CMDLINE := mount=/dev/vda:/data -- /data 64 5
PORT_MEM := 128M
PORT_DISK := yes
