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
work=$(realpath -m "$BUILD/servers/nginx")
rm -rf "$work"
mkdir -p "$work/docs/data"
serial=$work/serial.log
LOG=$serial
trap stop_qemu EXIT

make_mib_file() { seq -f '%015g' 0 65535; } # 1 MiB, 16-byte numbered lines
make_mib_file >"$work/docs/data/1mib.bin"
printf 'alpha\n' >"$work/docs/a.txt"
image=$BUILD/nginx-test.elf
if ! make --no-print-directory -s BUILD="$BUILD" PORT=nginx image >"$work/image-build.log" 2>&1 ||
	! VMOS_CC=$BUILD/kit/bin/vmos-cc NGINX_EXTRA_FILES="$work/docs:/var/www/html/t" \
		bash ports/nginx/build.sh "$image" >>"$work/image-build.log" 2>&1; then
	fail "the nginx image did not build: $(tail -n 20 "$work/image-build.log")"
fi
finish "nginx: the port builds from Debian's nginx source with its auto/configure and vmos-cc"

url() { printf 'http://127.0.0.1:%s%s' "$port" "$1"; }
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

curl -s -m 20 -I -o "$work/head2" "$(url /)"
grep -q "^HTTP/1.1 200 OK" "$work/head2" || fail "HEAD /: $(head -n 1 "$work/head2")"
[ "$(tr -d '\r' <"$work/head2" | sed -n 's/^Content-Length: //p')" = "$length" ] ||
	fail "HEAD /: another Content-Length than GET's"
body=$(curl -s -m 20 -X HEAD --max-time 5 "$(url /)" 2>/dev/null | wc -c)
[ "$body" = 0 ] || fail "HEAD /: $body bytes of body"
finish "nginx: HEAD gives GET's headers and no body"

code=$(curl -s -m 20 -o "$work/404" -w '%{http_code}' "$(url /no/such/file)")
[ "$code" = 404 ] || fail "GET of a missing file: $code"
grep -q "404 Not Found" "$work/404" || fail "404 page: $(head -c 200 "$work/404")"
finish "nginx: 404 for a missing file, with nginx's page"

connects=$(curl -s -m 20 -o /dev/null -o /dev/null -w '%{num_connects} ' "$(url /t/a.txt)" "$(url /t/a.txt)")
[ "$connects" = "1 0 " ] || fail "two GETs on one curl: connects '$connects', expected '1 0 '"
finish "nginx: keep-alive: the second request reuses the connection"

curl -s -m 60 -o "$work/mib" "$(url /t/data/1mib.bin)"
[ "$(sha256sum <"$work/mib")" = "$(make_mib_file | sha256sum)" ] ||
	fail "1 MiB file: $(wc -c <"$work/mib") bytes, not the file's"
finish "nginx: a 1 MiB file comes through sendfile byte for byte (sha256)"

# 200 connections open at once (paced), then a request on each, then every answer.
# shellcheck source=tests/httpd/concurrent.sh
. tests/httpd/concurrent.sh
export -f concurrent_gets
export port
start=$SECONDS
# shellcheck disable=SC2016
out=$(timeout 90 bash -c 'concurrent_gets 127.0.0.1 "$port" 0.01 /t/a.txt' 2>&1)
[ "$out" = "0 bad" ] || fail "200 concurrent connections: $out"
finish "nginx: 200 concurrent connections all answered ($((SECONDS - start))s)"

# listen_overflows - the host's count of connections its listening sockets could not
# queue (TcpExt ListenOverflows). QEMU's user networking listens with a backlog of 1, so
# wrk's burst of connects overflows it; the host kernel then drops the handshake's last
# ACK, the client sends its request on a connection the host only completes when the
# SYN-ACK is sent again about a second later, and wrk may count that request as a
# timeout. A timeout without such an overflow is a stall of the guest, and fails.
listen_overflows() {
	awk '/^TcpExt:/ { if (!n) { for (i = 1; i <= NF; i++) if ($i == "ListenOverflows") col = i; n = 1 } else print $col }' /proc/net/netstat
}
overflows_before=$(listen_overflows)
if ! timeout 60 wrk -t 2 -c 20 -d 5s "$(url /)" >"$work/wrk.out" 2>&1; then
	fail "wrk did not finish: $(tail -n 5 "$work/wrk.out")"
fi
overflows=$(($(listen_overflows) - overflows_before))
grep -Eq "^Requests/sec: +[0-9.]+" "$work/wrk.out" || fail "no wrk rate: $(cat "$work/wrk.out")"
grep -q "Non-2xx" "$work/wrk.out" && fail "wrk saw error statuses: $(cat "$work/wrk.out")"
errors=$(sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' "$work/wrk.out")
read -r e_connect e_read e_write e_timeout <<<"${errors:-0 0 0 0}"
[ "$e_connect$e_read$e_write" = 000 ] || fail "wrk socket errors: $(grep 'Socket errors' "$work/wrk.out")"
[ "$e_timeout" = 0 ] || [ "$overflows" -gt 0 ] ||
	fail "wrk timeouts ($e_timeout) with no listen overflow on the host: the guest stalled"
code=$(curl -s -m 20 -o /dev/null -w '%{http_code}' "$(url /t/a.txt)")
[ "$code" = 200 ] || fail "GET after wrk: $code"
expect_no_line "\[(alert|crit|emerg)\]"
expect_no_line "PANIC"
finish "nginx: a bounded wrk run (5 s, 20 connections) without errors; still answering ($(awk '/^Requests\/sec/ {print $2}' "$work/wrk.out") req/s; timeouts $e_timeout, host listen overflows $overflows)"
stop_qemu
