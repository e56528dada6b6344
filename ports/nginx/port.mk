# ports/nginx: nginx from Debian's source package, built unmodified by its own
# auto/configure and make with vmos-cc (ports/nginx/build.sh); one process
# (master_process off), its configuration in /etc/nginx. `make run PORT=nginx` serves
# Debian's default page on http://127.0.0.1:8080/.
PORT_BUILD_SCRIPT := $(PORT_DIR)/build.sh
PORT_CMDLINE := -- -c /etc/nginx/nginx.conf
PORT_MEM := 64M
PORT_FORWARD := 8080:80
