#!/usr/bin/env bash
# redis-tests.sh - the Redis port (ports/redis) booted as its users run it, with its
# configuration from the image, on QEMU user networking with a free 127.0.0.1 port
# forwarded to 6379, checked with Debian's redis-cli: PING, strings, INCR, lists,
# hashes, EXPIRE/TTL with a real wait, INFO, a 1 MiB value, BGSAVE's refusal (no fork)
# in Redis's own words, and a short bounded redis-benchmark. QEMU is stopped by its pid.
set -u -o pipefail
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh
# shellcheck source=tests/servers/lib.sh
. tests/servers/lib.sh
work=$BUILD/servers/redis
mkdir -p "$work"
serial=$work/serial.log
trap stop_qemu EXIT

if ! make --no-print-directory -s BUILD="$BUILD" PORT=redis image >"$work/image-build.log" 2>&1; then
	fail "make PORT=redis image failed: $(tail -n 20 "$work/image-build.log")"
fi
finish "redis: the port builds from Debian's redis source with Redis's Makefile and vmos-cc"

cli() { timeout 20 redis-cli -h 127.0.0.1 -p "$port" "$@" 2>&1; }

# expect_reply WANT ARGS... - redis-cli ARGS prints WANT.
expect_reply() {
	local want=$1 got
	shift
	got=$(cli "$@")
	[ "$got" = "$want" ] || fail "redis-cli $*: got '$got', expected '$want'"
}

# shellcheck disable=SC2016
if ! boot_server "$BUILD/redis.elf" 64M 6379 "-- /etc/redis/vmos.conf" \
	'[ "$(timeout 5 redis-cli -h 127.0.0.1 -p "$port" PING 2>/dev/null)" = PONG ]'; then
	fail "no PONG within 60 s of booting: $(tail -n 20 "$serial" 2>/dev/null)"
	finish "redis: boots and answers PING"
	exit 0
fi
LOG=$serial
expect_line "Redis version=7\.0\.15"
expect_line "Server initialized"
expect_line "Ready to accept connections"
expect_no_line "PANIC"
finish "redis: boots with its configuration from the image, logs its start-up, answers PING"

expect_reply OK SET greeting "hello vmos"
expect_reply "hello vmos" GET greeting
expect_reply 11 APPEND greeting "!"
expect_reply 11 STRLEN greeting
expect_reply 1 INCR counter
expect_reply 42 INCRBY counter 41
expect_reply 3 RPUSH list a b c
expect_reply "$(printf 'a\nb\nc')" LRANGE list 0 -1
expect_reply c RPOP list
expect_reply 2 LLEN list
expect_reply 2 HSET hash field1 one field2 two
expect_reply two HGET hash field2
expect_reply "$(printf 'field1\none\nfield2\ntwo')" HGETALL hash
expect_reply 3 SADD set x y z
expect_reply 1 SISMEMBER set y
finish "redis: strings, counters, lists, hashes and sets"

expect_reply OK SET shortlived value EX 1
ttl=$(cli TTL shortlived)
[ "$ttl" = 1 ] || [ "$ttl" = 0 ] || fail "TTL right after SET EX 1: $ttl"
sleep 2.5
expect_reply "" GET shortlived
expect_reply -2 TTL shortlived
expect_reply 1 EXPIRE counter 100
ttl=$(cli TTL counter)
[ "${ttl:-0}" -ge 98 ] 2>/dev/null && [ "$ttl" -le 100 ] || fail "TTL after EXPIRE 100: $ttl"
finish "redis: a key with a 1 s expiry is gone after 2.5 s; TTL counts down"

head -c 1048576 /dev/urandom | base64 -w0 | head -c 1048576 >"$work/big.txt"
cli -x SET big <"$work/big.txt" >/dev/null
expect_reply 1048576 STRLEN big
cli --raw GET big | head -c 1048576 >"$work/big.back"
cmp -s "$work/big.txt" "$work/big.back" || fail "the 1 MiB value came back different"
finish "redis: a 1 MiB value goes in and comes back byte for byte"

info=$(cli INFO server)
grep -q "^redis_version:7.0.15" <<<"$info" || fail "INFO: no redis_version:7.0.15"
grep -q "^multiplexing_api:epoll" <<<"$info" || fail "INFO: not on epoll: $(grep multiplexing <<<"$info")"
grep -q "^process_id:1" <<<"$info" || fail "INFO: process_id is not 1"
finish "redis: INFO reports the version, epoll and process 1"

reply=$(cli BGSAVE)
[ "$reply" = "ERR" ] || [[ $reply == ERR* ]] || fail "BGSAVE answered '$reply'"
sleep 0.5
expect_line "Can't save in background: fork: Function not implemented"
expect_reply PONG PING
finish "redis: BGSAVE fails with Redis's own message (no fork) and the server goes on"

if ! timeout 120 redis-benchmark -h 127.0.0.1 -p "$port" -t set,get -n 2000 -c 10 -q \
	2>&1 | tr '\r' '\n' >"$work/benchmark.out"; then
	fail "redis-benchmark did not finish: $(tail -n 5 "$work/benchmark.out")"
fi
grep -Eq "^SET: [0-9.]+ requests per second" "$work/benchmark.out" || fail "no SET rate: $(tail -c 300 "$work/benchmark.out")"
grep -Eq "^GET: [0-9.]+ requests per second" "$work/benchmark.out" || fail "no GET rate: $(tail -c 300 "$work/benchmark.out")"
expect_reply PONG PING
expect_no_line "PANIC"
finish "redis: a bounded redis-benchmark (SET and GET, 2000 requests, 10 clients) completes"
stop_qemu
