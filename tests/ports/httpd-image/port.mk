# tests/ports/httpd-image: ports/httpd with the document root tests/httpd/http-tests.sh
# expects (made by tests/httpd/image-tests.sh in HTTPD_TEST_ROOT, put at /srv: the
# server's root is /srv/www, /srv/outside.txt must stay unreachable).
HTTPD_DIR := ports/httpd
include ports/httpd/port.mk
HTTPD_TEST_ROOT ?= $(BUILD)/httpd-image/root
PORT_FILES := $(HTTPD_TEST_ROOT):/srv
# -t 10: the paced 200-connection check holds its first connections idle for seconds.
PORT_CMDLINE := -- -p 80 -r /srv/www -c 300 -t 10 -q
PORT_MEM := 256M
