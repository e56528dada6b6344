#!/usr/bin/env bash
# memcached-tests.sh - the memcached port (ports/memcached, with libevent from
# ports/libevent) booted with its command line (Debian's settings, 4 threads) on QEMU user
# networking with a free 127.0.0.1 port forwarded to 11211, checked with Debian's
# libmemcached-tools (memcping, memccp and memccat over the binary protocol, memcstat,
# a bounded memcslap) and with the text protocol spoken directly (storage commands,
# counters, CAS, an expiry with a real wait). QEMU is stopped by its pid.
set -u -o pipefail
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh
# shellcheck source=tests/servers/lib.sh
. tests/servers/lib.sh
work=$(realpath -m "$BUILD/servers/memcached")
rm -rf "$work"
mkdir -p "$work"
serial=$work/serial.log
LOG=$serial
trap stop_qemu EXIT

image=$BUILD/memcached.elf
if ! make --no-print-directory -s BUILD="$BUILD" PORT=memcached image >"$work/image-build.log" 2>&1; then
	fail "make PORT=memcached image failed: $(tail -n 20 "$work/image-build.log")"
fi
finish "memcached: the port builds from Debian's memcached and libevent sources with their configure and vmos-cc"

servers() { printf '127.0.0.1:%s' "$port"; }
# shellcheck disable=SC2016
if ! boot_server "$image" 128M 11211 "-- -m 64 -p 11211 -u memcache -l 0.0.0.0 -t 4" \
	'memcping --servers="$(servers)" >/dev/null 2>&1'; then
	fail "no answer to memcping within 60 s of booting: $(tail -n 20 "$serial" 2>/dev/null)"
	finish "memcached: boots and answers memcping"
	exit 0
fi
finish "memcached: boots as user memcache and answers memcping"

# text REQUEST - send REQUEST (\r\n line ends) on one connection and print the answer
# with the \r removed; the connection is closed by the "quit" REQUEST ends with.
text() {
	local fd
	exec {fd}<>"/dev/tcp/127.0.0.1/$port" || return 1
	printf '%b' "$1" >&"$fd"
	timeout 10 cat <&"$fd" | tr -d '\r'
	exec {fd}>&-
}
got=$(text 'set k 5 0 5\r\nhello\r\nget k\r\nadd k 0 0 1\r\nx\r\nreplace k 0 0 3\r\nbye\r\nappend k 0 0 1\r\n!\r\nprepend k 0 0 1\r\n<\r\nget k\r\ndelete k\r\nget k\r\ndelete k\r\nquit\r\n')
want=$'STORED\nVALUE k 5 5\nhello\nEND\nNOT_STORED\nSTORED\nSTORED\nSTORED\nVALUE k 0 5\n<bye!\nEND\nDELETED\nEND\nNOT_FOUND'
[ "$got" = "$want" ] || fail "storage commands: got '$got', expected '$want'"
finish "memcached: text protocol set/get/add/replace/append/prepend/delete"

got=$(text 'set n 0 0 2\r\n10\r\nincr n 5\r\ndecr n 20\r\nincr nothing 1\r\nincr n x\r\nquit\r\n')
want=$'STORED\n15\n0\nNOT_FOUND\nCLIENT_ERROR invalid numeric delta argument'
[ "$got" = "$want" ] || fail "counters: got '$got', expected '$want'"
cas=$(text 'set c 0 0 1\r\na\r\ngets c\r\nquit\r\n' | awk '/^VALUE c/ {print $5}')
got=$(text "cas c 0 0 1 $((cas + 1))\r\nb\r\ncas c 0 0 1 $cas\r\nc\r\nget c\r\nquit\r\n")
want=$'EXISTS\nSTORED\nVALUE c 0 1\nc\nEND'
[ -n "$cas" ] && [ "$got" = "$want" ] || fail "gets/cas (cas $cas): got '$got', expected '$want'"
finish "memcached: text protocol incr/decr and gets/cas"

text 'set e 0 1 3\r\nold\r\nquit\r\n' >/dev/null
sleep 2.5
got=$(text 'get e\r\nquit\r\n')
[ "$got" = END ] || fail "a key with a 1 s expiry after 2.5 s: '$got'"
finish "memcached: a key with a 1 s expiry is gone after 2.5 s"

head -c 524288 /dev/urandom >"$work/blob"
(cd "$work" && memccp --binary --servers="$(servers)" blob) >"$work/memccp.out" 2>&1 ||
	fail "memccp --binary: $(cat "$work/memccp.out")"
memccat --binary --servers="$(servers)" --file="$work/blob.back" blob >"$work/memccat.err" 2>&1 ||
	fail "memccat --binary: $(cat "$work/memccat.err")"
cmp -s "$work/blob" "$work/blob.back" ||
	fail "512 KiB value: $(wc -c <"$work/blob.back") bytes back, not the file's"
finish "memcached: binary protocol: a 512 KiB value stored by memccp comes back from memccat byte for byte"

memcstat --servers="$(servers)" >"$work/stats" 2>&1 || fail "memcstat: $(cat "$work/stats")"
grep -q "version: 1.6.18" "$work/stats" || fail "memcstat: no version 1.6.18: $(head -n 5 "$work/stats")"
grep -q "threads: 4" "$work/stats" || fail "memcstat: not 4 threads: $(grep threads "$work/stats")"
grep -q "limit_maxbytes: 67108864" "$work/stats" || fail "memcstat: limit_maxbytes is not 64 MiB"
finish "memcached: memcstat reports version 1.6.18, 4 threads and 64 MiB"

for proto in "" --binary; do
	for t in set get; do
		if ! timeout 120 memcslap $proto --servers="$(servers)" --test=$t --concurrency=4 \
			--execute-number=500 >"$work/slap.out" 2>&1; then
			fail "memcslap $proto --test=$t: $(tail -n 5 "$work/slap.out")"
		fi
		grep -q "^Time total: *[0-9.]* seconds" "$work/slap.out" || fail "memcslap $proto --test=$t: $(cat "$work/slap.out")"
	done
done
got=$(text 'version\r\nquit\r\n')
[ "$got" = "VERSION 1.6.18" ] || fail "after memcslap: '$got'"
expect_no_line "PANIC"
finish "memcached: bounded memcslap runs (set and get, text and binary, 4 threads x 500) complete; still answering"
stop_qemu
