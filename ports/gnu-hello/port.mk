# ports/gnu-hello: GNU hello, built unmodified from Debian's source package (pinned in
# ports/gnu-hello/version) by its own ./configure && make with CC=vmos-cc.
PORT_BUILD_SCRIPT := $(PORT_DIR)/build.sh
PORT_CMDLINE := -- --greeting=Hello,VMOS
PORT_MEM := 32M
