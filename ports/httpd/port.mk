# ports/httpd: a small HTTP/1.1 static-file server (GET, HEAD, keep-alive, pipelining,
# one poll() loop), a plain POSIX program that also builds on Linux
# (tests/httpd/host-tests.sh). It serves the port's www/ folder, put into the image at
# /www. The image links once the POSIX layer has sockets; until then it is not one of
# the TEST_PORTS. File bodies go through read/write (body_rw.c); on Linux hosts
# body_sendfile.c can replace it.
PORT_APP_SRCS := $(addprefix $(PORT_DIR)/,main.c server.c conn.c respond.c docroot.c \
	http_parse.c http_path.c http_date.c http_mime.c http_response.c access_log.c body_rw.c)
PORT_CMDLINE := -- -p 80 -r /www -c 512
PORT_MEM := 64M
PORT_CFLAGS :=
PORT_FILES := $(PORT_DIR)/www:/www
