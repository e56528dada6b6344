# bench/httpd-bench: ports/httpd, unchanged, with the benchmark's document root
# (bench/bench.py writes it to $(BUILD)/bench/www: index.html of 612 bytes, 64k.bin of
# 65536 bytes, plus ports/httpd/www) and the access log off (-q), as the native and the
# Linux guest runs have it. make BUILD=... PORT=bench/httpd-bench image
HTTPD_DIR := ports/httpd
include ports/httpd/port.mk
BENCH_DOCROOT ?= $(BUILD)/bench/www
PORT_FILES := $(BENCH_DOCROOT):/www
PORT_CMDLINE := -- -p 80 -r /www -c 512 -q
PORT_MEM := 64M
