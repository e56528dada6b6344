# ports/memcached: memcached from Debian's source package, built unmodified by its own
# configure and make with vmos-cc against libevent (PORT_DEPS: ports/libevent/library.sh
# installs it into the build's sysroot). The command line is what Debian's
# /etc/memcached.conf gives its start script (64 MiB of items, port 11211, user
# memcache), but listening on every address (clients come through the card) and in the
# foreground; threads as memcached's default (-t 4). `make run PORT=memcached` forwards
# 127.0.0.1:11211 to it.
PORT_BUILD_SCRIPT := $(PORT_DIR)/build.sh
PORT_DEPS := libevent
PORT_CMDLINE := -- -m 64 -p 11211 -u memcache -l 0.0.0.0 -t 4
PORT_MEM := 128M
PORT_FORWARD := 11211:11211
