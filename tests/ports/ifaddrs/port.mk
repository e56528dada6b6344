# tests/ports/ifaddrs: the interfaces an image with a network card sees (getifaddrs,
# if_nameindex, if_nametoindex); checked by tests/boot/virtio-tests.sh.
PORT_APP_SRCS := $(PORT_DIR)/ifaddrs.c
PORT_CMDLINE :=
