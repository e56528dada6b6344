# ports/httpd: a small HTTP/1.1 static-file server (GET, HEAD, keep-alive, pipelining,
# one poll() loop), a plain POSIX program that also builds on Linux
# (tests/httpd/host-tests.sh). It serves the port's www/ folder, put into the image at
# /www. The sources are listed once, in ./sources (the host tests and the bench read the
# same list), plus one body variant: body_rw.c here (pread into the connection's buffer);
# on Linux hosts body_sendfile.c can replace it. tests/ports/httpd-image builds the same
# sources with the test document root (HTTPD_DIR names this folder there).
HTTPD_DIR ?= $(PORT_DIR)
PORT_APP_SRCS := $(addprefix $(HTTPD_DIR)/,$(shell cat $(HTTPD_DIR)/sources) body_rw.c)
PORT_CMDLINE := -- -p 80 -r /www -c 512
PORT_MEM := 64M
# make run: http://127.0.0.1:8080/ reaches the server's port 80.
PORT_FORWARD := 8080:80
PORT_CFLAGS :=
PORT_FILES := $(PORT_DIR)/www:/www
