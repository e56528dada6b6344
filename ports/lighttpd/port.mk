# ports/lighttpd: lighttpd from Debian's source package, built unmodified by its own
# configure and make with vmos-cc, as its static build (every module linked in:
# ports/lighttpd/build.sh); Debian's configuration shape in /etc/lighttpd with the port's
# lighttpd.conf. `make run PORT=lighttpd` serves Debian's placeholder page on
# http://127.0.0.1:8080/ and logs each request on the console.
PORT_BUILD_SCRIPT := $(PORT_DIR)/build.sh
PORT_CMDLINE := -- -D -f /etc/lighttpd/lighttpd.conf
PORT_MEM := 64M
PORT_FORWARD := 8080:80
