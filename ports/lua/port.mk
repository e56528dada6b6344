# ports/lua: the Lua 5.4 interpreter from Debian's source package, built unmodified by
# upstream's `make linux` with CC=vmos-cc (ports/lua/build.sh); it runs a script from
# the image: `make run PORT=lua ARGS='-- /lua/stdlib.lua'`.
PORT_BUILD_SCRIPT := $(PORT_DIR)/build.sh
PORT_CMDLINE := -- /lua/stdlib.lua
PORT_MEM := 32M
