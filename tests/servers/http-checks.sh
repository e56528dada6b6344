# tests/servers/http-checks.sh - the checks every ported web server passes with curl and
# wrk (sourced by nginx-tests.sh and lighttpd-tests.sh after tests/boot/lib.sh and
# tests/servers/lib.sh, once boot_server has set port). Each ends with one TAP line
# "NAME: ...". work is the test's folder.

# url PATH - the address of PATH on the forwarded port.
url() { printf 'http://127.0.0.1:%s%s' "$port" "$1"; }

# make_mib_file - 1 MiB of 16-byte numbered lines: the documents' large file.
make_mib_file() { seq -f '%015g' 0 65535; }

# http_check_head NAME PATH - HEAD of PATH gives GET's status and Content-Length, and no
# body.
http_check_head() {
	local name=$1 path=$2 length body
	curl -s -m 20 -D "$work/get.head" -o "$work/get.body" "$(url "$path")"
	length=$(tr -d '\r' <"$work/get.head" | sed -n 's/^Content-Length: //p')
	curl -s -m 20 -I -o "$work/head.head" "$(url "$path")"
	grep -q "^HTTP/1.1 200 OK" "$work/head.head" || fail "HEAD $path: $(head -n 1 "$work/head.head")"
	[ -n "$length" ] && [ "$(tr -d '\r' <"$work/head.head" | sed -n 's/^Content-Length: //p')" = "$length" ] ||
		fail "HEAD $path: another Content-Length than GET's ($length)"
	body=$(curl -s -m 20 -X HEAD --max-time 5 "$(url "$path")" 2>/dev/null | wc -c)
	[ "$body" = 0 ] || fail "HEAD $path: $body bytes of body"
	finish "$name: HEAD gives GET's headers and no body"
}

# http_check_404 NAME TEXT - a missing file is 404, with a page that contains TEXT.
http_check_404() {
	local name=$1 text=$2 code
	code=$(curl -s -m 20 -o "$work/404" -w '%{http_code}' "$(url /no/such/file)")
	[ "$code" = 404 ] || fail "GET of a missing file: $code"
	grep -q "$text" "$work/404" || fail "404 page: $(head -c 200 "$work/404")"
	finish "$name: 404 for a missing file, with $name's page"
}

# http_check_keepalive NAME PATH - two GETs on one curl share one connection.
http_check_keepalive() {
	local name=$1 path=$2 connects
	connects=$(curl -s -m 20 -o /dev/null -o /dev/null -w '%{num_connects} ' "$(url "$path")" "$(url "$path")")
	[ "$connects" = "1 0 " ] || fail "two GETs on one curl: connects '$connects', expected '1 0 '"
	finish "$name: keep-alive: the second request reuses the connection"
}

# http_check_mib NAME PATH HOW - PATH (make_mib_file's content) comes byte for byte.
http_check_mib() {
	local name=$1 path=$2 how=$3
	curl -s -m 60 -o "$work/mib" "$(url "$path")"
	[ "$(sha256sum <"$work/mib")" = "$(make_mib_file | sha256sum)" ] ||
		fail "1 MiB file: $(wc -c <"$work/mib") bytes, not the file's"
	finish "$name: a 1 MiB file comes $how byte for byte (sha256)"
}

# http_check_concurrent NAME PATH - 200 connections open at once (paced: QEMU's user
# networking listens with a backlog of 1), then a request on each, then every answer.
http_check_concurrent() {
	local name=$1 path=$2 start out
	# shellcheck source=tests/httpd/concurrent.sh
	. tests/httpd/concurrent.sh
	export -f concurrent_gets
	export port
	start=$SECONDS
	# shellcheck disable=SC2016
	out=$(timeout 90 bash -c 'concurrent_gets 127.0.0.1 "$port" 0.01 "$0"' "$path" 2>&1)
	[ "$out" = "0 bad" ] || fail "200 concurrent connections: $out"
	finish "$name: 200 concurrent connections all answered ($((SECONDS - start))s)"
}

# listen_overflows - the host's count of connections its listening sockets could not
# queue (TcpExt ListenOverflows). QEMU's user networking listens with a backlog of 1, so
# wrk's burst of connects overflows it; the host kernel then drops the handshake's last
# ACK, the client sends its request on a connection the host only completes when the
# SYN-ACK is sent again about a second later, and wrk may count that request as a
# timeout. A timeout without such an overflow is a stall of the guest, and fails.
listen_overflows() {
	awk '/^TcpExt:/ { if (!n) { for (i = 1; i <= NF; i++) if ($i == "ListenOverflows") col = i; n = 1 } else print $col }' /proc/net/netstat
}

# http_check_wrk NAME PATH - a bounded wrk run (5 s, 20 connections) on PATH: a rate, no
# error status, no socket error, no timeout the host's listen overflows do not explain,
# and an answer afterwards.
http_check_wrk() {
	local name=$1 path=$2 overflows_before overflows errors e_connect e_read e_write e_timeout code
	overflows_before=$(listen_overflows)
	if ! timeout 60 wrk -t 2 -c 20 -d 5s "$(url "$path")" >"$work/wrk.out" 2>&1; then
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
	code=$(curl -s -m 20 -o /dev/null -w '%{http_code}' "$(url "$path")")
	[ "$code" = 200 ] || fail "GET after wrk: $code"
	expect_no_line "PANIC"
	finish "$name: a bounded wrk run (5 s, 20 connections) without errors; still answering ($(awk '/^Requests\/sec/ {print $2}' "$work/wrk.out") req/s; timeouts $e_timeout, host listen overflows $overflows)"
}
