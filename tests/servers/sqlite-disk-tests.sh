#!/usr/bin/env bash
# sqlite-disk-tests.sh - the sqlite3 shell (ports/sqlite) with its database on an ext4
# data disk (mount=/dev/vda:/data): a first boot commits 1000 rows and powers off; a
# second starts one transaction of 3000000 rows and QEMU is killed in the middle of it
# (SIGKILL); e2fsck -fn is clean once the journal is replayed, and a third boot finds
# PRAGMA integrity_check ok and exactly the committed rows (SQLite's rollback journal on
# the disk undid the half transaction), or all of them when it committed first.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh
work=$BUILD/servers/sqlite-disk
mkdir -p "$work"
disk=$work/data.ext4
E2FSCK=$(command -v e2fsck || echo /usr/sbin/e2fsck)
ELF=$BUILD/sqlite.elf
DRIVE=(-drive "file=$disk,format=raw,if=none,id=d0" -device virtio-blk-pci,drive=d0)

if ! make --no-print-directory -s BUILD="$BUILD" PORT=sqlite image >"$work/image-build.log" 2>&1; then
	fail "make PORT=sqlite image failed: $(tail -n 20 "$work/image-build.log")"
	finish "sqlite on a disk: the image builds"
	exit 0
fi
bash tools/mkdisk.sh "$disk" 64M >/dev/null

boot "sqlite-disk-1" pvh 64M max \
	"mount=/dev/vda:/data -- /data/t.db 'CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)' \
'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) INSERT INTO t SELECT i, printf(\"row %d\", i) FROM n' \
'SELECT count(*) FROM t'" "${DEBUG_EXIT[@]}" "${DRIVE[@]}"
expect_rc 1 "exit status 0"
expect_line "^1000$"
out=$("$E2FSCK" -fn "$disk" 2>&1) || fail "e2fsck -fn: $(tail -n 8 <<<"$out" | tr '\n' '|')"
finish "sqlite on ext4: 1000 rows committed, the disk clean at power-off"

# The second boot: one long transaction, killed in its middle.
LOG=$TEST_DIR/sqlite-disk-2.log
# shellcheck disable=SC2046
qemu-system-x86_64 $(qemu_accel_args) -machine pc -cpu max -m 64M -nodefaults -nographic \
	-no-reboot -serial "file:$LOG" -monitor none "${DEBUG_EXIT[@]}" "${DRIVE[@]}" -kernel "$ELF" \
	-append "mount=/dev/vda:/data -- /data/t.db 'SELECT \"started\"' 'BEGIN' \
'WITH RECURSIVE n(i) AS (SELECT 1001 UNION ALL SELECT i + 1 FROM n WHERE i < 3001000) INSERT INTO t SELECT i, printf(\"row %d of a long transaction\", i) FROM n' \
'COMMIT' 'SELECT \"committed\"'" </dev/null >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 300); do
	grep -q '^started' "$LOG" 2>/dev/null && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
# Killed once SQLite's rollback journal has reached the disk (the store commits every
# 5 s): from then on the transaction is half on the disk. Bounded: 60 s.
DEBUGFS=$(command -v debugfs || echo /usr/sbin/debugfs)
for _ in $(seq 1 120); do
	"$DEBUGFS" -R "stat /t.db-journal" "$disk" 2>/dev/null | grep -q 'Size: [1-9]' && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.5
done
committed=no
grep -q '^committed' "$LOG" && committed=yes
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
grep -q '^started' "$LOG" || fail "the long transaction never started: $(tail -n 5 "$LOG" | tr '\n' '|')"
cp --sparse=always "$disk" "$work/copy.ext4"
"$E2FSCK" -y -E journal_only "$work/copy.ext4" >/dev/null 2>&1
out=$("$E2FSCK" -fn "$work/copy.ext4" 2>&1) || fail "e2fsck -fn after the kill: $(tail -n 8 <<<"$out" | tr '\n' '|')"
# Killed in the middle: SQLite's hot rollback journal is on the disk, with pages in it.
jsize=$("$DEBUGFS" -R "stat /t.db-journal" "$work/copy.ext4" 2>/dev/null | grep -o 'Size: [0-9]*' | head -n1)
if [ $committed = no ] && { [ -z "$jsize" ] || [ "$jsize" = "Size: 0" ]; }; then
	fail "no hot journal on the disk after the kill: the kill came before the transaction wrote"
fi
echo "# t.db-journal after the kill: ${jsize:-none}"
finish "sqlite on ext4: QEMU killed in the middle of a 3000000-row transaction; e2fsck clean after the journal"

boot "sqlite-disk-3" pvh 64M max \
	"mount=/dev/vda:/data -- /data/t.db 'PRAGMA integrity_check' 'SELECT count(*) FROM t' \
'SELECT v FROM t WHERE id = 1000'" "${DEBUG_EXIT[@]}" "${DRIVE[@]}"
expect_rc 1 "exit status 0"
expect_line "^ok$"
expect_line "^row 1000$"
if [ $committed = yes ]; then
	expect_line "^3001000$"
else
	expect_line "^1000$"
fi
echo "# the long transaction had ${committed/no/not} committed before the kill"
finish "sqlite on ext4: after the kill, integrity_check ok and exactly the committed rows"
rm -f "$disk" "$work/copy.ext4"
