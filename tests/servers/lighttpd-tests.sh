#!/usr/bin/env bash
# lighttpd-tests.sh - the lighttpd port (ports/lighttpd) booted as its users run it
# (lighttpd -D with /etc/lighttpd/lighttpd.conf from the image) on QEMU user networking
# with a free 127.0.0.1 port forwarded to 80, checked with curl: Debian's placeholder
# page, mod_indexfile, mod_access's deny list, HEAD, 404, keep-alive, a 1 MiB file
# byte-checked, 200 concurrent connections (paced) and a bounded wrk; mod_accesslog's
# lines on the console. The test documents are linked into a second image of the same
# build under /var/www/html/t. QEMU is stopped by its pid.
set -u -o pipefail
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh
# shellcheck source=tests/servers/lib.sh
. tests/servers/lib.sh
# shellcheck source=tests/servers/http-checks.sh
. tests/servers/http-checks.sh
work=$(realpath -m "$BUILD/servers/lighttpd")
rm -rf "$work"
mkdir -p "$work/docs/data" "$work/docs/dir"
serial=$work/serial.log
LOG=$serial
trap stop_qemu EXIT

make_mib_file >"$work/docs/data/1mib.bin"
printf 'alpha\n' >"$work/docs/a.txt"
printf 'the index of dir\n' >"$work/docs/dir/index.html"
printf 'an editor backup\n' >"$work/docs/notes.txt~"
image=$BUILD/lighttpd-test.elf
if ! make --no-print-directory -s BUILD="$BUILD" PORT=lighttpd image >"$work/image-build.log" 2>&1 ||
	! VMOS_CC=$BUILD/kit/bin/vmos-cc LIGHTTPD_EXTRA_FILES="$work/docs:/var/www/html/t" \
		bash ports/lighttpd/build.sh "$image" >>"$work/image-build.log" 2>&1; then
	fail "the lighttpd image did not build: $(tail -n 20 "$work/image-build.log")"
fi
finish "lighttpd: the port builds from Debian's lighttpd source (static modules) with its configure and vmos-cc"

# shellcheck disable=SC2016
if ! boot_server "$image" 64M 80 "-- -D -f /etc/lighttpd/lighttpd.conf" \
	'curl -s -m 5 -o /dev/null "$(url /)"'; then
	fail "no answer within 60 s of booting: $(tail -n 20 "$serial" 2>/dev/null)"
	finish "lighttpd: boots and answers"
	exit 0
fi
grep -q "server started (lighttpd/1.4.69)" "$serial" || fail "no start-up line on the console"
finish "lighttpd: boots, logs its start on the console and answers"

curl -s -m 20 -D "$work/head" -o "$work/body" "$(url /)"
grep -q "^HTTP/1.1 200 OK" "$work/head" || fail "GET /: $(head -n 1 "$work/head")"
grep -q "^Server: lighttpd/1.4.69" "$work/head" || fail "GET /: no Server: lighttpd/1.4.69"
grep -q "<title>Welcome page</title>" "$work/body" || fail "GET /: not Debian's placeholder page"
length=$(tr -d '\r' <"$work/head" | sed -n 's/^Content-Length: //p')
[ "$length" = "$(wc -c <"$work/body")" ] || fail "GET /: Content-Length $length for $(wc -c <"$work/body") bytes"
finish "lighttpd: GET / serves Debian's placeholder page (index.lighttpd.html)"

body=$(curl -s -m 20 "$(url /t/dir/)")
[ "$body" = "the index of dir" ] || fail "GET /t/dir/: '$body'"
code=$(curl -s -m 20 -o /dev/null -w '%{http_code}' "$(url /t/dir)")
[ "$code" = 301 ] || fail "GET /t/dir without its slash: $code, expected a 301 redirect"
finish "lighttpd: mod_indexfile serves a folder's index.html (and redirects to the slash)"

code=$(curl -s -m 20 -o /dev/null -w '%{http_code}' "$(url '/t/notes.txt~')")
[ "$code" = 403 ] || fail "GET of a file ending in ~: $code, expected 403"
finish "lighttpd: mod_access refuses what url.access-deny lists (403)"

http_check_head lighttpd /
http_check_404 lighttpd "404 Not Found"
http_check_keepalive lighttpd /t/a.txt
http_check_mib lighttpd /t/data/1mib.bin "as a static file"
http_check_concurrent lighttpd /t/a.txt

# mod_accesslog writes to /dev/stderr, the console; lighttpd flushes it every 4 s.
for _ in $(seq 1 100); do
	grep -q '"GET /t/data/1mib.bin HTTP/1.1" 200 1048576' "$serial" && break
	sleep 0.1
done
grep -q '"GET /t/data/1mib.bin HTTP/1.1" 200 1048576' "$serial" ||
	fail "no access-log line for the 1 MiB GET on the console"
grep -q '"GET /no/such/file HTTP/1.1" 404' "$serial" || fail "no access-log line for the 404"
finish "lighttpd: mod_accesslog logs each request on the console"

http_check_wrk lighttpd /t/a.txt
stop_qemu

# A configuration file that is not there: lighttpd's own message with the system's text
# for the error (glibc's strerror_r form, which lighttpd picks by __GLIBC__), and exit.
timeout 90 qemu-system-x86_64 -accel "${BOOT_TEST_ACCEL:-tcg}" -machine pc -cpu max -m 64M \
	-nodefaults -nographic -no-reboot -serial "file:$work/missing.log" -monitor none \
	"${DEBUG_EXIT[@]}" -kernel "$image" -append "ip=none -- -D -f /etc/lighttpd/missing.conf" \
	</dev/null >/dev/null 2>&1
LOG=$work/missing.log
expect_line "opening configfile /etc/lighttpd/missing.conf failed: No such file or directory"
expect_line "^kernel: exit 255"
finish "lighttpd: a missing configuration file is reported with its error text, and lighttpd exits"
