#!/usr/bin/env bash
# disk-crash-tests.sh - crash safety of ext4 on virtio-blk: tests/ports/disk's "crash"
# mode writes and fsyncs numbered files, replaces a file by rename and deletes some, and
# QEMU is killed (SIGKILL) at a random moment, KILLS times (default 20). After each kill,
# on a copy of the disk: e2fsck replays the journal (-E journal_only) and then e2fsck -fn
# finds the file system clean; debugfs dumps /c and every file the image said it had
# fsynced is there whole (tests/boot/disk-crash-check.py). The next boot mounts the
# killed disk itself, so VMOS's own journal replay at mount is what the following rounds
# run on. The first half of the kills is on mke2fs's journal (no checksums), the second
# on one with journal_64bit and journal_checksum_v3, as Linux leaves a metadata_csum
# file system's journal once it mounted it (here set with debugfs's "jo -c"). The image
# keeps files open after unlinking them: their inodes are on the disk's orphan list, which
# e2fsck's replay and VMOS's next mount empty. Last, VMOS mounts the killed disk once more
# and e2fsck -fn checks it as VMOS left it.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh
ELF=$BUILD/disk.elf
E2FSCK=$(command -v e2fsck || echo /usr/sbin/e2fsck)
DEBUGFS=$(command -v debugfs || echo /usr/sbin/debugfs)
DUMPE2FS=$(command -v dumpe2fs || echo /usr/sbin/dumpe2fs)
KILLS=${KILLS:-20}
dir=$TEST_DIR/disk-crash
disk=$dir/disk.ext4
[ -n "${KEEP:-}" ] || rm -rf "$dir"
mkdir -p "$dir"

logs=()
replays=0
for round in $(seq 1 "$KILLS"); do
	if [ "$round" = 1 ] || [ "$round" = $((KILLS / 2 + 1)) ]; then
		bash tools/mkdisk.sh "$disk" 64M >/dev/null
		logs=()
		if [ "$round" != 1 ]; then
			printf 'jo -c\njc\n' >"$dir/v3.cmds"
			"$DEBUGFS" -w -f "$dir/v3.cmds" "$disk" >/dev/null 2>&1
			"$DUMPE2FS" -h "$disk" 2>/dev/null | grep -q 'journal_checksum_v3' ||
				{ fail "debugfs did not give the journal checksums"; break; }
		fi
	fi
	LOG=$dir/boot-$round.log
	logs+=("$LOG")
	# QEMU itself in the background (its pid is what gets the SIGKILL); the loop below
	# bounds its life.
	# shellcheck disable=SC2046
	qemu-system-x86_64 $(qemu_accel_args) -machine pc \
		-cpu qemu64 -m 64M -nodefaults -nographic -no-reboot -serial "file:$LOG" -monitor none \
		"${DEBUG_EXIT[@]}" -drive "file=$disk,format=raw,if=none,id=d0" \
		-device virtio-blk-pci,drive=d0 -kernel "$ELF" \
		-append "mount=/dev/vda:/data -- crash" </dev/null >/dev/null 2>&1 &
	pid=$!
	# Wait for the writing to start (bounded), then kill at a random moment of it.
	for _ in $(seq 1 600); do
		grep -q '^crash: starting' "$LOG" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.2 + (r % 180) / 100 }')"
	alive=yes
	kill -0 "$pid" 2>/dev/null || alive=no
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ $alive = no ]; then
		fail "round $round: the image stopped before the kill: $(tail -n 3 "$LOG" | tr '\n' '|')"
		break
	fi
	grep -q '^crash: starting' "$LOG" || { fail "round $round: never started: $(tail -n 5 "$LOG" | tr '\n' '|')"; break; }
	# The host's view of the killed disk: journal replayed on a copy, then a full check.
	cp --sparse=always "$disk" "$dir/copy.ext4"
	# A kill in the middle of a commit leaves a transaction in the journal.
	start=$("$DUMPE2FS" -h "$dir/copy.ext4" 2>/dev/null | awk '/^Journal start:/ { print $3 }')
	[ "${start:-0}" != 0 ] && replays=$((replays + 1))
	"$E2FSCK" -y -E journal_only "$dir/copy.ext4" >"$dir/replay.log" 2>&1
	if ! out=$("$E2FSCK" -fn "$dir/copy.ext4" 2>&1); then
		fail "round $round: e2fsck -fn after the journal: $(grep -v "^Pass \|^e2fsck " <<<"$out" | head -n 25 | tr "\n" "|")"
		break
	fi
	rm -rf "$dir/dump"
	mkdir -p "$dir/dump"
	"$DEBUGFS" -R "rdump /c $dir/dump" "$dir/copy.ext4" >/dev/null 2>&1
	if ! out=$(python3 tests/boot/disk-crash-check.py "$dir/dump/c" "${logs[@]}"); then
		fail "round $round: $out"
		break
	fi
done
echo "# $KILLS kills, $replays of them in the middle of a commit (a transaction to replay); $(tail -n 1 <<<"${out:-}")"
finish "ext4 on virtio-blk killed $KILLS times mid-write (half with journal checksums v3): e2fsck -fn clean after the journal, every fsynced byte there"

# The last killed disk as VMOS leaves it after one more mount: its own journal replay and
# orphan processing, then a clean unmount; e2fsck -fn directly, no e2fsck replay first.
boot disk-crash-final pvh 64M qemu64 "mount=/dev/vda:/data -- mount" "${DEBUG_EXIT[@]}" \
	-drive "file=$disk,format=raw,if=none,id=d0" -device virtio-blk-pci,drive=d0
expect_rc 1 "exit status 0"
expect_line "^disk mounted$"
if ! out=$("$E2FSCK" -fn "$disk" 2>&1); then
	fail "e2fsck -fn after VMOS mounted the killed disk: $(tail -n 15 <<<"$out" | tr '\n' '|')"
fi
orphans=$(grep -ho 'mount: /dev/vda: [0-9]* orphaned inode' "$dir"/boot-*.log "$LOG" | awk '{ n += $3 } END { print n + 0 }')
echo "# $orphans orphaned inodes (files unlinked while open) freed by VMOS's mounts of killed disks"
[ "$orphans" -gt 0 ] || fail "no mount freed an orphaned inode: the files held open after unlinking were not on the disk's list"
finish "the killed disk mounted by VMOS: journal replayed, orphans (files unlinked while open) freed, e2fsck -fn clean"
[ -n "${KEEP:-}" ] || rm -rf "$dir"
