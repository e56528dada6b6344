# tests/httpd/concurrent.sh - sourced by the HTTP checks of ports/httpd and ports/nginx.
# concurrent_gets HOST PORT PACE [PATH] - open 200 connections at the same time (PACE seconds
# apart, 0 for none: QEMU's user networking listens with a backlog of 1), then send
# GET PATH (default /a.txt) on each, then read every answer, which must hold the line "alpha". Prints
# "N bad" (0 when every connection was answered). Bound it with timeout(1).
concurrent_gets() {
	local host=$1 port=$2 pace=$3 path=${4:-/a.txt} n=200 i fds=() bad=0 fd
	for ((i = 0; i < n; i++)); do
		exec {fd}<>"/dev/tcp/$host/$port" || { echo "connect $i failed"; return 1; }
		fds+=("$fd")
		[ "$pace" = 0 ] || sleep "$pace"
	done
	for ((i = 0; i < n; i++)); do
		printf 'GET %s HTTP/1.1\r\nHost: c%d\r\nConnection: close\r\n\r\n' "$path" "$i" >&"${fds[i]}" || bad=$((bad + 1))
	done
	for ((i = 0; i < n; i++)); do
		fd=${fds[i]}
		grep -aqx alpha <&"$fd" || bad=$((bad + 1))
		exec {fd}>&-
	done
	echo "$bad bad"
}
