#!/usr/bin/env bash
# redis-disk-tests.sh - Redis keeping its data on an ext4 data disk (mount=/dev/vda:/data,
# --dir /data --appendonly yes --appendfsync everysec): 1000 keys, SHUTDOWN (the VM powers
# off, the disk unmounted), a second boot finds them in the append-only file; 500 more,
# two seconds for the every-second fsync, then QEMU is killed (SIGKILL): e2fsck -fn is
# clean once the journal is replayed, and a third boot finds all 1500.
set -u -o pipefail
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh
# shellcheck source=tests/servers/lib.sh
. tests/servers/lib.sh
work=$BUILD/servers/redis-disk
mkdir -p "$work"
serial=$work/serial.log
disk=$work/data.ext4
E2FSCK=$(command -v e2fsck || echo /usr/sbin/e2fsck)
trap stop_qemu EXIT

if ! make --no-print-directory -s BUILD="$BUILD" PORT=redis image >"$work/image-build.log" 2>&1; then
	fail "make PORT=redis image failed: $(tail -n 20 "$work/image-build.log")"
	finish "redis on a disk: the image builds"
	exit 0
fi
bash tools/mkdisk.sh "$disk" 64M >/dev/null
SERVER_QEMU_ARGS=(-drive "file=$disk,format=raw,if=none,id=d0" -device virtio-blk-pci,drive=d0)
cmdline="mount=/dev/vda:/data -- /etc/redis/vmos.conf --dir /data --appendonly yes --appendfsync everysec"

cli() { timeout 30 redis-cli -h 127.0.0.1 -p "$port" "$@" 2>&1; }

# boot_redis NAME - boot on the disk, answer PING.
boot_redis() {
	serial=$work/$1.log
	LOG=$serial
	# shellcheck disable=SC2016
	boot_server "$BUILD/redis.elf" 64M 6379 "$cmdline" \
		'[ "$(timeout 5 redis-cli -h 127.0.0.1 -p "$port" PING 2>/dev/null)" = PONG ]' ||
		{ fail "$1: no PONG within 60 s: $(tail -n 20 "$serial" 2>/dev/null | tr '\n' '|')"; return 1; }
}

# set_keys FROM TO - SET kN vN for N in FROM..TO, one pipe.
set_keys() {
	seq "$1" "$2" | awk '{ printf "SET k%d v%d\n", $1, $1 }' |
		timeout 60 redis-cli -h 127.0.0.1 -p "$port" >"$work/set.out" 2>&1
	[ "$(grep -c '^OK$' "$work/set.out")" = $(($2 - $1 + 1)) ] ||
		fail "SET k$1..k$2: $(sort "$work/set.out" | uniq -c | head -3 | tr '\n' '|')"
}

expect_keys() {
	local n
	n=$(cli DBSIZE)
	[ "$n" = "$1" ] || fail "DBSIZE is '$n', expected $1"
	[ "$(cli GET k1)" = v1 ] || fail "GET k1: $(cli GET k1)"
	[ "$(cli GET "k$1")" = "v$1" ] || fail "GET k$1: $(cli GET "k$1")"
}

if boot_redis boot1; then
	expect_line "^mount: /dev/vda:/data"
	set_keys 1 1000
	expect_keys 1000
	cli SHUTDOWN >/dev/null
	for _ in $(seq 1 100); do kill -0 "$qemu_pid" 2>/dev/null || break; sleep 0.1; done
	wait "$qemu_pid" 2>/dev/null
	RC=$?
	qemu_pid=
	expect_rc 1 "exit status 0 after SHUTDOWN"
	out=$("$E2FSCK" -fn "$disk" 2>&1) || fail "e2fsck -fn after SHUTDOWN: $(tail -n 8 <<<"$out" | tr '\n' '|')"
fi
finish "redis on ext4: 1000 keys with appendonly everysec, SHUTDOWN powers off with the disk clean"

if boot_redis boot2; then
	expect_keys 1000
	expect_line "DB loaded from append only file|Reading RDB|DB loaded from"
	set_keys 1001 1500
	expect_keys 1500
	sleep 2.5 # appendfsync everysec
	kill -KILL "$qemu_pid"
	wait "$qemu_pid" 2>/dev/null
	qemu_pid=
	cp --sparse=always "$disk" "$work/copy.ext4"
	"$E2FSCK" -y -E journal_only "$work/copy.ext4" >/dev/null 2>&1
	out=$("$E2FSCK" -fn "$work/copy.ext4" 2>&1) || fail "e2fsck -fn after the kill: $(tail -n 8 <<<"$out" | tr '\n' '|')"
fi
finish "redis on ext4: a reboot finds the 1000 keys; 500 more, then QEMU killed: e2fsck clean after the journal"

if boot_redis boot3; then
	expect_keys 1500
	cli SHUTDOWN >/dev/null
	for _ in $(seq 1 100); do kill -0 "$qemu_pid" 2>/dev/null || break; sleep 0.1; done
	stop_qemu
fi
finish "redis on ext4: after the kill a third boot finds all 1500 keys"
rm -f "$disk" "$work/copy.ext4"
