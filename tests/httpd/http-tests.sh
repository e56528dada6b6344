#!/usr/bin/env bash
# http-tests.sh - black-box tests of an HTTP/1.1 static-file server (ports/httpd) over TCP,
# with curl and bash's /dev/tcp. Prints TAP lines ("ok N - name" / "not ok N - name").
#
#   http-tests.sh --make-docroot DIR   fill DIR with the document root the tests expect
#                                      (a copy of ports/httpd/www plus generated files;
#                                      DIR/.. gets outside.txt, a file the server must
#                                      never show)
#   http-tests.sh HOST PORT            run the tests against a server on HOST:PORT that
#                                      serves such a document root with default limits
#
# HOST:PORT can be the host build (tests/httpd/host-tests.sh) or a VMOS image behind
# QEMU's hostfwd. Environment: IDLE_TIMEOUT=N also checks that an idle connection is
# closed after about N seconds (the server's -t); TAP_START=N numbers from N+1;
# CONNECT_PACE=SECONDS spaces out the 200 connects of the concurrency check (QEMU's user
# networking listens with a backlog of 1: a burst of connects overflows the host's accept
# queue and the clients' SYN retries back off for many seconds, whatever the guest).
# Needs bash, curl and coreutils. Every wait is bounded by timeout(1).
# The bash -c '...' scripts below expand their variables themselves:
# shellcheck disable=SC2016
set -u
cd "$(dirname "$0")/../.." || exit 1
WWW=ports/httpd/www

# The generated files: deterministic, so the checker can rebuild what it expects.
make_mib_file() { seq -f '%015g' 0 65535; }     # 1 MiB, 16-byte numbered lines
make_big_file() { seq -f '%015g' 0 2097151; }   # 32 MiB

make_docroot() {
	local dir=$1
	mkdir -p "$dir" || return 1
	cp -R "$WWW"/. "$dir"/
	mkdir -p "$dir/data" "$dir/sub" "$dir/noindex" "$dir/types"
	make_mib_file >"$dir/data/1mib.bin"
	make_big_file >"$dir/data/big.bin"
	printf 'alpha\n' >"$dir/a.txt"
	printf 'bravo\n' >"$dir/b.txt"
	printf 'charlie\n' >"$dir/c.txt"
	printf 'sub index\n' >"$dir/sub/index.html"
	printf 'not an index\n' >"$dir/noindex/file.txt"
	printf 'with a space\n' >"$dir/space name.txt"
	local ext
	for ext in json js svg wasm pdf ico gif jpg txt css html png xyz; do
		printf 'type test\n' >"$dir/types/t.$ext"
	done
	printf 'type test\n' >"$dir/types/noextension"
	printf 'SECRET outside the document root\n' >"$dir/../outside.txt"
	ln -sf /etc/passwd "$dir/link-out"
	ln -sf ../outside.txt "$dir/link-up"
}

if [ "${1:-}" = --make-docroot ]; then
	[ $# = 2 ] || { echo "usage: $0 --make-docroot DIR" >&2; exit 2; }
	make_docroot "$2"
	exit $?
fi
if [ $# != 2 ]; then
	echo "usage: $0 HOST PORT | $0 --make-docroot DIR" >&2
	exit 2
fi
HOST=$1
PORT=$2
BASE="http://$HOST:$PORT"
CONNECT_PACE=${CONNECT_PACE:-0}
export HOST PORT CONNECT_PACE
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CURL=(curl -s --max-time 20)

test_number=${TAP_START:-0}
problems=()
fail() { problems+=("$*"); }
finish() {
	test_number=$((test_number + 1))
	if [ ${#problems[@]} -eq 0 ]; then
		echo "ok $test_number - $1"
	else
		echo "not ok $test_number - $1"
		local p
		for p in "${problems[@]}"; do echo "#   $p"; done
	fi
	problems=()
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# raw IN OUT [SECONDS] - send file IN's bytes on a new connection and keep what comes
# back until the server closes (or SECONDS pass) in OUT. The requests in IN should end
# with a "Connection: close" one, or an error that makes the server close.
raw() {
	timeout "${3:-10}" bash -c 'exec 3<>"/dev/tcp/$HOST/$PORT" || exit 1
		cat "$0" >&3; cat <&3' "$1" >"$2" 2>/dev/null
}

# status_of FILE - the status code of the first response in FILE.
status_of() {
	head -n1 "$1" | tr -d '\r' | cut -d' ' -f2
}

# header_of FILE NAME - the value of header NAME in the first response head in FILE.
header_of() {
	tr -d '\r' <"$1" | sed '/^$/q' | grep -i "^$2:" | head -n1 | sed 's/^[^:]*: *//'
}

# request_to STATUS_WANTED NAME PRINTF-FORMAT... - a raw request (its bytes given as printf
# arguments), checked for its status code.
request_status() {
	local want=$1 name=$2
	shift 2
	# shellcheck disable=SC2059
	printf "$@" >"$WORK/req"
	raw "$WORK/req" "$WORK/resp" 10
	expect_eq "$name: status" "$(status_of "$WORK/resp")" "$want"
}

crlf=$'\r\n'

# --- basics ----------------------------------------------------------------------------

code=$("${CURL[@]}" -o "$WORK/index" -D "$WORK/head" -w '%{http_code}' "$BASE/")
expect_eq "GET / status" "$code" 200
cmp -s "$WORK/index" "$WWW/index.html" || fail "GET / body differs from $WWW/index.html"
expect_eq "Content-Length" "$(header_of "$WORK/head" Content-Length)" "$(wc -c <"$WWW/index.html")"
expect_eq "Content-Type" "$(header_of "$WORK/head" Content-Type)" "text/html; charset=utf-8"
finish "GET / serves index.html with its length and type"

date_re='^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$'
header_of "$WORK/head" Date | grep -Eq "$date_re" || fail "Date is not an IMF-fixdate: $(header_of "$WORK/head" Date)"
header_of "$WORK/head" Last-Modified | grep -Eq "$date_re" ||
	fail "Last-Modified is not an IMF-fixdate: $(header_of "$WORK/head" Last-Modified)"
finish "Date and Last-Modified are IMF-fixdates"

for f in style.css logo.png a.txt; do
	code=$("${CURL[@]}" -o "$WORK/small" -w '%{http_code}' "$BASE/$f")
	expect_eq "GET /$f" "$code" 200
	want_file=$WWW/$f
	[ -e "$want_file" ] || want_file=/dev/null
	if [ "$f" = a.txt ]; then
		expect_eq "GET /a.txt body" "$(cat "$WORK/small")" alpha
	else
		cmp -s "$WORK/small" "$want_file" || fail "GET /$f body differs"
	fi
done
finish "GET of small files returns their exact bytes"

"${CURL[@]}" -I -o /dev/null -D "$WORK/head" "$BASE/style.css"
expect_eq "HEAD status" "$(status_of "$WORK/head")" 200
expect_eq "HEAD Content-Length" "$(header_of "$WORK/head" Content-Length)" "$(wc -c <"$WWW/style.css")"
printf 'HEAD /style.css HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' >"$WORK/req"
raw "$WORK/req" "$WORK/resp"
expect_eq "HEAD status line" "$(status_of "$WORK/resp")" 200
expect_eq "HEAD response: bytes after the head" "$(sed -n '/^\r$/,$p' "$WORK/resp" | tail -n +2 | wc -c)" 0
finish "HEAD gives the headers of GET and no body"

make_mib_file >"$WORK/mib.want"
code=$("${CURL[@]}" -o "$WORK/mib" -D "$WORK/head" -w '%{http_code}' "$BASE/data/1mib.bin")
expect_eq "GET 1 MiB status" "$code" 200
expect_eq "1 MiB Content-Length" "$(header_of "$WORK/head" Content-Length)" 1048576
expect_eq "1 MiB checksum" "$(sha256sum <"$WORK/mib" | cut -d' ' -f1)" \
	"$(sha256sum <"$WORK/mib.want" | cut -d' ' -f1)"
expect_eq "1 MiB type" "$(header_of "$WORK/head" Content-Type)" application/octet-stream
"${CURL[@]}" -I -o /dev/null -D "$WORK/head" "$BASE/data/1mib.bin"
expect_eq "HEAD 1 MiB Content-Length" "$(header_of "$WORK/head" Content-Length)" 1048576
finish "GET and HEAD of a 1 MiB file (sha256 checked)"

for pair in json:application/json "js:text/javascript; charset=utf-8" svg:image/svg+xml \
	wasm:application/wasm pdf:application/pdf ico:image/x-icon gif:image/gif jpg:image/jpeg \
	"txt:text/plain; charset=utf-8" "css:text/css; charset=utf-8" png:image/png \
	"html:text/html; charset=utf-8" xyz:application/octet-stream; do
	ext=${pair%%:*}
	want=${pair#*:}
	got=$("${CURL[@]}" -o /dev/null -w '%{content_type}' "$BASE/types/t.$ext")
	[ "$got" = "$want" ] || fail "t.$ext: Content-Type '$got', expected '$want'"
done
got=$("${CURL[@]}" -o /dev/null -w '%{content_type}' "$BASE/types/noextension")
expect_eq "no extension" "$got" application/octet-stream
finish "Content-Type by extension"

expect_eq "directory index" "$("${CURL[@]}" "$BASE/sub/")" "sub index"
code=$("${CURL[@]}" -o /dev/null -D "$WORK/head" -w '%{http_code}' "$BASE/sub")
expect_eq "directory without a slash" "$code" 301
expect_eq "redirect Location" "$(header_of "$WORK/head" Location)" /sub/
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$BASE/noindex/")
expect_eq "directory without index.html" "$code" 404
expect_eq "file in that directory" "$("${CURL[@]}" "$BASE/noindex/file.txt")" "not an index"
finish "directories: index.html, 301 to add the slash, no listing without an index"

expect_eq "percent-decoded path" "$("${CURL[@]}" "$BASE/space%20name.txt")" "with a space"
expect_eq "encoded letters" "$("${CURL[@]}" "$BASE/%61.txt")" alpha
expect_eq "query ignored" "$("${CURL[@]}" "$BASE/a.txt?x=1&y=../../")" alpha
expect_eq "dot segments inside the root" "$("${CURL[@]}" --path-as-is "$BASE/sub/../b.txt")" bravo
finish "percent-decoding and dot segments of paths"

lm=$("${CURL[@]}" -o /dev/null -D - "$BASE/a.txt" | tr -d '\r' | grep -i '^Last-Modified:' | sed 's/^[^:]*: *//')
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H "If-Modified-Since: $lm" "$BASE/a.txt")
expect_eq "If-Modified-Since = Last-Modified" "$code" 304
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT" "$BASE/a.txt")
expect_eq "If-Modified-Since in the past" "$code" 200
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H "If-Modified-Since: yesterday" "$BASE/a.txt")
expect_eq "invalid If-Modified-Since ignored" "$code" 200
finish "If-Modified-Since gives 304 Not Modified"

# --- connections ---------------------------------------------------------------------

out=$("${CURL[@]}" -o /dev/null -o /dev/null -o /dev/null -w '%{http_code} %{num_connects}\n' \
	"$BASE/a.txt" "$BASE/b.txt" "$BASE/data/1mib.bin")
expect_eq "three requests on one connection" "$(echo "$out" | tr "\n" " ")" "200 1 200 0 200 0 "
finish "keep-alive: HTTP/1.1 reuses the connection"

out=$("${CURL[@]}" --http1.0 -H 'Connection: keep-alive' -o /dev/null -o /dev/null \
	-w '%{http_code} %{num_connects}\n' "$BASE/a.txt" "$BASE/b.txt")
expect_eq "HTTP/1.0 with Connection: keep-alive" "$(echo "$out" | tr "\n" " ")" "200 1 200 0 "
printf 'GET /a.txt HTTP/1.0\r\n\r\n' >"$WORK/req"
raw "$WORK/req" "$WORK/resp" 5
rc=$?
expect_eq "HTTP/1.0 without keep-alive closes (timeout status)" "$rc" 0
expect_eq "HTTP/1.0 status" "$(status_of "$WORK/resp")" 200
finish "keep-alive: HTTP/1.0 only when asked"

printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\nHEAD /b.txt HTTP/1.1\r\nHost: t\r\n\r\nGET /nothing-here HTTP/1.1\r\nHost: t\r\n\r\nGET /c.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' >"$WORK/req"
raw "$WORK/req" "$WORK/resp"
expect_eq "pipelined status lines" "$(tr -d '\r' <"$WORK/resp" | grep '^HTTP/' | cut -d' ' -f2 | tr '\n' ' ')" "200 200 404 200 "
expect_eq "pipelined bodies in order" "$(grep -a -E '^(alpha|bravo|charlie)$' "$WORK/resp" | tr '\n' ' ')" "alpha charlie "
finish "pipelining: four requests in one write are answered in order"

req="GET /b.txt HTTP/1.1${crlf}Host: trickle${crlf}Connection: close${crlf}${crlf}"
timeout 20 bash -c 'exec 3<>"/dev/tcp/$HOST/$PORT" || exit 1
	req=$0
	for ((i = 0; i < ${#req}; i++)); do printf "%s" "${req:i:1}" >&3; sleep 0.02; done
	cat <&3' "$req" >"$WORK/resp" 2>/dev/null
expect_eq "trickled request status" "$(status_of "$WORK/resp")" 200
grep -aqx bravo "$WORK/resp" || fail "trickled request: body missing"
finish "a request sent one byte at a time"

# 200 connections open at the same time; then a request on each; then every answer.
# shellcheck source=tests/httpd/concurrent.sh
. tests/httpd/concurrent.sh
export -f concurrent_gets
start=$SECONDS
out=$(timeout 60 bash -c 'concurrent_gets "$HOST" "$PORT" "$CONNECT_PACE"' 2>&1)
expect_eq "200 concurrent connections" "$out" "0 bad"
finish "200 concurrent connections all answered ($((SECONDS - start))s)"

for i in 1 2 3; do
	timeout 10 bash -c 'exec 3<>"/dev/tcp/$HOST/$PORT" || exit 1
		printf "GET /data/big.bin HTTP/1.1\r\nHost: t\r\n\r\n" >&3
		head -c 100000 <&3 >/dev/null
		exec 3>&-' 2>/dev/null || fail "disconnect run $i: could not read the start"
done
code=$("${CURL[@]}" -o "$WORK/mib" -w '%{http_code}' "$BASE/data/1mib.bin")
expect_eq "server still serves after the disconnects" "$code" 200
cmp -s "$WORK/mib" "$WORK/mib.want" || fail "1 MiB body wrong after the disconnects"
finish "clients that disconnect in the middle of a 32 MiB response do not disturb the server"

# --- errors --------------------------------------------------------------------------

request_status 400 "garbage request line" 'HELLO\r\n\r\n'
request_status 400 "two spaces in the request line" 'GET  / HTTP/1.1\r\nHost: t\r\n\r\n'
request_status 400 "bad version string" 'GET / HTXP/1.1\r\nHost: t\r\n\r\n'
request_status 400 "header without a colon" 'GET / HTTP/1.1\r\nHost: t\r\nNo colon here\r\n\r\n'
request_status 400 "space before the colon" 'GET / HTTP/1.1\r\nHost : t\r\n\r\n'
request_status 400 "folded header line" 'GET / HTTP/1.1\r\nHost: t\r\nX-A: 1\r\n  folded\r\n\r\n'
request_status 400 "HTTP/1.1 without Host" 'GET / HTTP/1.1\r\nAccept: */*\r\n\r\n'
request_status 400 "two Host headers" 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'
request_status 400 "bad Content-Length" 'GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1x\r\n\r\n'
request_status 400 "bad percent escape" 'GET /%%zz HTTP/1.1\r\nHost: t\r\n\r\n'
finish "400 for malformed requests"

request_status 405 "POST" 'POST /a.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello'
expect_eq "405 Allow" "$(header_of "$WORK/resp" Allow)" "GET, HEAD"
request_status 405 "DELETE" 'DELETE /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n'
# The body of a refused request is skipped: the next request on the connection works.
printf 'PUT /x HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello worldGET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' >"$WORK/req"
raw "$WORK/req" "$WORK/resp"
expect_eq "body skipped, statuses" "$(tr -d '\r' <"$WORK/resp" | grep '^HTTP/' | cut -d' ' -f2 | tr '\n' ' ')" "405 200 "
finish "405 with Allow for other methods; their bodies are skipped"

request_status 404 "missing file" 'GET /no/such/file HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n'
finish "404 for missing files"

request_status 413 "huge Content-Length" 'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000000\r\n\r\n'
head -c 200000 /dev/zero >"$WORK/body"
{ printf 'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 200000\r\n\r\n'; cat "$WORK/body"; } >"$WORK/req"
raw "$WORK/req" "$WORK/resp"
expect_eq "200 kB body sent" "$(status_of "$WORK/resp")" 413
finish "413 for a request body too large"

long=$(head -c 6000 /dev/zero | tr '\0' 'a')
request_status 414 "6000-byte target" "GET /$long HTTP/1.1\r\nHost: t\r\n\r\n"
finish "414 for a too long request target"

{
	printf 'GET / HTTP/1.1\r\nHost: t\r\n'
	for i in $(seq 1 400); do printf 'X-Filler-%03d: %s\r\n' "$i" "0123456789012345678901234567890123456789"; done
	printf '\r\n'
} >"$WORK/req"
raw "$WORK/req" "$WORK/resp"
expect_eq "20 kB of headers" "$(status_of "$WORK/resp")" 431
finish "431 for too large request headers"

request_status 505 "HTTP/2.0" 'GET / HTTP/2.0\r\nHost: t\r\n\r\n'
request_status 501 "Transfer-Encoding" 'POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
finish "505 for other HTTP versions, 501 for transfer codings"

# --- the document root is a boundary ---------------------------------------------------

for path in "/../outside.txt" "/%2e%2e/outside.txt" "/%2E%2E%2Foutside.txt" "/..%2foutside.txt" \
	"/sub/../../outside.txt" "/sub/%2e%2e/%2e%2e/outside.txt" "/./../outside.txt" \
	"/link-up" "/link-out" "/../../../../../../etc/passwd"; do
	code=$("${CURL[@]}" --path-as-is -o "$WORK/trav" -w '%{http_code}' "$BASE$path")
	if [ "$code" = 200 ] || grep -aq -e SECRET -e 'root:' "$WORK/trav"; then
		fail "$path: status $code, $(head -c 80 "$WORK/trav")"
	fi
done
printf 'GET http://t/../outside.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' >"$WORK/req"
raw "$WORK/req" "$WORK/resp"
if [ "$(status_of "$WORK/resp")" = 200 ] || grep -aq SECRET "$WORK/resp"; then
	fail "absolute-form target escaped: $(head -n1 "$WORK/resp")"
fi
finish "path traversal (.., encoded .., symbolic links out of the root) is refused"

if [ -n "${IDLE_TIMEOUT:-}" ]; then
	limit=$((IDLE_TIMEOUT + 5))
	start=$SECONDS
	timeout "$limit" bash -c 'exec 3<>"/dev/tcp/$HOST/$PORT" || exit 1
		printf "GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n" >&3; cat <&3 >/dev/null'
	rc=$?
	took=$((SECONDS - start))
	expect_eq "idle keep-alive connection closed by the server (timeout status)" "$rc" 0
	[ "$took" -ge $((IDLE_TIMEOUT - 1)) ] || fail "closed after ${took}s, before the idle timeout"
	start=$SECONDS
	timeout "$limit" bash -c 'exec 3<>"/dev/tcp/$HOST/$PORT" || exit 1
		printf "GET /a.txt HTTP/1.1\r\n" >&3; cat <&3 >/dev/null'
	expect_eq "half a request head closed by the server (timeout status)" "$?" 0
	finish "idle connections are closed after ${IDLE_TIMEOUT}s (took ${took}s)"
fi

code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$BASE/")
expect_eq "after everything" "$code" 200
finish "the server still answers after all of the above"
