#!/usr/bin/env bash
# nginx-tests.sh - the nginx port (ports/nginx) booted as its users run it, with its
# configuration from the image, on QEMU user networking with a free 127.0.0.1 port
# forwarded to 80, checked with curl: Debian's start page, HEAD, 404, keep-alive, a
# 1 MiB file byte-checked (sendfile), 200 concurrent connections (paced: QEMU's user
# networking listens with a backlog of 1) and a bounded wrk. The test documents are
# linked into a second image of the same build under /var/www/html/t. QEMU is stopped
# by its pid.
set -u -o pipefail
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh
# shellcheck source=tests/servers/lib.sh
. tests/servers/lib.sh
# shellcheck source=tests/servers/http-checks.sh
. tests/servers/http-checks.sh
work=$(realpath -m "$BUILD/servers/nginx")
rm -rf "$work"
mkdir -p "$work/docs/data"
serial=$work/serial.log
LOG=$serial
trap stop_qemu EXIT

make_mib_file >"$work/docs/data/1mib.bin"
printf 'alpha\n' >"$work/docs/a.txt"
image=$BUILD/nginx-test.elf
if ! make --no-print-directory -s BUILD="$BUILD" PORT=nginx image >"$work/image-build.log" 2>&1 ||
	! VMOS_CC=$BUILD/kit/bin/vmos-cc NGINX_EXTRA_FILES="$work/docs:/var/www/html/t" \
		bash ports/nginx/build.sh "$image" >>"$work/image-build.log" 2>&1; then
	fail "the nginx image did not build: $(tail -n 20 "$work/image-build.log")"
fi
finish "nginx: the port builds from Debian's nginx source with its auto/configure and vmos-cc"

# shellcheck disable=SC2016
if ! boot_server "$image" 64M 80 "-- -c /etc/nginx/nginx.conf" \
	'curl -s -m 5 -o /dev/null "$(url /)"'; then
	fail "no answer within 60 s of booting: $(tail -n 20 "$serial" 2>/dev/null)"
	finish "nginx: boots and answers"
	exit 0
fi

curl -s -m 20 -D "$work/head" -o "$work/body" "$(url /)"
grep -q "^HTTP/1.1 200 OK" "$work/head" || fail "GET /: $(head -n 1 "$work/head")"
grep -q "^Server: nginx/1.22.1" "$work/head" || fail "GET /: no Server: nginx/1.22.1"
grep -q "<h1>Welcome to nginx!</h1>" "$work/body" || fail "GET /: not Debian's start page"
length=$(tr -d '\r' <"$work/head" | sed -n 's/^Content-Length: //p')
[ "$length" = "$(wc -c <"$work/body")" ] || fail "GET /: Content-Length $length for $(wc -c <"$work/body") bytes"
finish "nginx: GET / serves Debian's start page (index.nginx-debian.html)"

http_check_head nginx /
http_check_404 nginx "404 Not Found"
http_check_keepalive nginx /t/a.txt
http_check_mib nginx /t/data/1mib.bin "through sendfile"
http_check_concurrent nginx /t/a.txt
expect_no_line "\[(alert|crit|emerg)\]"
http_check_wrk nginx /
stop_qemu
