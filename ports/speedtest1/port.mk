# ports/speedtest1: SQLite's own benchmark program (test/speedtest1.c) from the same
# Debian source and options as ports/sqlite, built by SQLite's make with CC=vmos-cc.
# `make run PORT=speedtest1` runs it on a database in the RAM filesystem; make bench
# times it against the Linux guest.
PORT_BUILD_SCRIPT := $(PORT_DIR)/build.sh
PORT_CMDLINE := -- --size 25 /tmp/speedtest1.db
PORT_MEM := 128M
PORT_BUILD_DEPS := $(shell find ports/sqlite -type f)
# PORT_DISK: make bench also times it on a data disk (bench/disk.py).
PORT_DISK := yes
