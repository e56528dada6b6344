#!/usr/bin/env bash
# host-tests.sh - ports/httpd built natively (gcc -Wall -Wextra -Werror), in both of its
# variants (file bodies through read/write, and through Linux sendfile), each started on a
# free 127.0.0.1 port with a temporary document root and checked by http-tests.sh; then
# the connection cap and a clean stop on SIGTERM. Prints TAP lines. Every wait is bounded.
# shellcheck disable=SC2016 # bash -c '...' scripts expand their own variables
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
out=$BUILD/httpd-host
mkdir -p "$out"
WORK=$(mktemp -d)
server_pid=
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

mapfile -t COMMON_SRCS <ports/httpd/sources # the port's sources but the body variant
# shellcheck source=tests/httpd/tap.sh
. tests/httpd/tap.sh

# start_server BINARY ARGS... - start it on a free port (tries a few random ones); sets
# server_pid and port, or returns 1.
start_server() {
	local binary=$1
	shift
	for _ in 1 2 3 4 5 6 7 8; do
		port=$((20000 + RANDOM % 40000))
		"$binary" -a 127.0.0.1 -p "$port" "$@" >"$WORK/access.log" 2>"$WORK/server.err" &
		server_pid=$!
		for _ in $(seq 1 50); do
			if ! kill -0 "$server_pid" 2>/dev/null; then
				break
			fi
			if grep -q "serving" "$WORK/server.err" &&
				timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$port" 2>/dev/null; then
				return 0
			fi
			sleep 0.1
		done
		kill "$server_pid" 2>/dev/null
		wait "$server_pid" 2>/dev/null
		server_pid=
	done
	return 1
}

# stop_server - SIGTERM, then wait (bounded) for exit status 0.
stop_server() {
	kill -TERM "$server_pid" 2>/dev/null
	for _ in $(seq 1 50); do
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$server_pid" 2>/dev/null; then
		kill -KILL "$server_pid" 2>/dev/null
		wait "$server_pid" 2>/dev/null
		server_pid=
		return 1
	fi
	wait "$server_pid"
	local rc=$?
	server_pid=
	return $rc
}

if ! bash tests/httpd/http-tests.sh --make-docroot "$WORK/root/www" 2>"$WORK/docroot.err"; then
	tap FAIL "httpd: test document root" "$(cat "$WORK/docroot.err")"
	exit 1
fi

for variant in body_rw body_sendfile; do
	binary=$out/httpd-$variant
	srcs=("${COMMON_SRCS[@]/#/ports/httpd/}")
	if gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -o "$binary" "${srcs[@]}" \
		"ports/httpd/$variant.c" 2>"$out/$variant-build.log"; then
		tap OK "httpd ($variant): builds with gcc -Wall -Wextra -Werror"
	else
		tap FAIL "httpd ($variant): builds with gcc -Wall -Wextra -Werror" \
			"$(tail -n 20 "$out/$variant-build.log")"
		continue
	fi
	if ! start_server "$binary" -r "$WORK/root/www" -c 300 -t 3; then
		tap FAIL "httpd ($variant): starts on a free port" "$(cat "$WORK/server.err")"
		continue
	fi
	tap OK "httpd ($variant): starts on 127.0.0.1:$port"
	IDLE_TIMEOUT=3 TAP_START=$n timeout 300 bash tests/httpd/http-tests.sh 127.0.0.1 "$port" \
		>"$WORK/tap"
	cat "$WORK/tap"
	n=$((n + $(grep -Ec '^(not )?ok ' "$WORK/tap")))
	if stop_server; then
		tap OK "httpd ($variant): exits with status 0 on SIGTERM"
	else
		tap FAIL "httpd ($variant): exits with status 0 on SIGTERM" "$(tail -n 5 "$WORK/server.err")"
	fi
	# The access log has one line per request, in the Common Log Format.
	bad_lines=$(grep -Evc '^127\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9:]{8} \+0000\] "[^"]*" [0-9]{3} [0-9]+$' "$WORK/access.log")
	if [ -s "$WORK/access.log" ] && [ "$bad_lines" = 0 ]; then
		tap OK "httpd ($variant): access log lines ($(wc -l <"$WORK/access.log")) in Common Log Format"
	else
		tap FAIL "httpd ($variant): access log in Common Log Format" \
			"$(grep -Ev '^127\.0\.0\.1 - - \[' "$WORK/access.log" | head -n 5)"
	fi
	if grep -v '^httpd: serving ' "$WORK/server.err" | grep -q .; then
		tap FAIL "httpd ($variant): nothing on stderr" "$(head -n 5 "$WORK/server.err")"
	else
		tap OK "httpd ($variant): nothing on stderr but the start line"
	fi
done

# The connection cap: with -c 2 and two idle connections open, a third client waits in
# the backlog until one of them goes.
binary=$out/httpd-body_rw
if [ -x "$binary" ] && start_server "$binary" -r "$WORK/root/www" -c 2 -t 30 -q; then
	problems=()
	exec {c1}<>"/dev/tcp/127.0.0.1/$port"
	exec {c2}<>"/dev/tcp/127.0.0.1/$port"
	sleep 0.3
	code=$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/a.txt")
	[ "$code" = 000 ] || problems+=("third client answered ($code) while two were open")
	exec {c1}>&-
	code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/a.txt")
	[ "$code" = 200 ] || problems+=("third client not answered after one closed: $code")
	exec {c2}>&-
	stop_server || problems+=("no clean stop")
	if [ ${#problems[@]} = 0 ]; then
		tap OK "httpd: -c caps open connections; the next client waits for a free slot"
	else
		tap FAIL "httpd: -c caps open connections" "${problems[@]}"
	fi
else
	tap FAIL "httpd: connection cap test could not start the server"
fi
