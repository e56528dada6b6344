# ports/redis: redis-server from Debian's source package, built unmodified by Redis's
# own Makefile with CC=vmos-cc (ports/redis/build.sh); `make run PORT=redis` forwards
# 127.0.0.1:6379 to it (redis-cli -h 127.0.0.1).
PORT_BUILD_SCRIPT := $(PORT_DIR)/build.sh
PORT_CMDLINE := -- /etc/redis/vmos.conf
PORT_MEM := 64M
PORT_FORWARD := 6379:6379
# PORT_DISK: its data directory may be a data disk (--dir /data with mount=/dev/vda:/data).
PORT_DISK := yes
