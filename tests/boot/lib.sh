# lib.sh - helpers for boot tests: boot an image under QEMU with a timeout, keep the serial
# log, check what it says. Sourced by tests/boot/*.sh. Results are TAP lines on stdout
# ("ok N - name" / "not ok N - name"); a failure prints its reasons and the serial log.

BUILD=${BUILD:-build}
TEST_DIR=$BUILD/test
BOOT_TIMEOUT=${BOOT_TIMEOUT:-120}
mkdir -p "$TEST_DIR"

test_number=0
case_failures=()
LOG=
RC=

# qemu_accel_args - TCG here: the nested KVM on these machines cannot run ring-0 SSE code.
# BOOT_TEST_ACCEL=kvm runs the boot tests under KVM where it works.
qemu_accel_args() {
	echo "-accel ${BOOT_TEST_ACCEL:-tcg}"
}

# boot NAME PATH MEM CPU CMDLINE [EXTRA QEMU ARGS...]
# MACHINE (default pc) selects QEMU's machine type; BIOS_DISK=ahci puts the disk on an AHCI
# controller (SeaBIOS reads it ten times faster than IDE under TCG).
# PATH is pvh (boot the ELF with -kernel) or bios (a disk image made with that command
# line). Leaves the serial log in $LOG and QEMU's exit status in $RC (124: timed out).
boot() {
	local name=$1 path=$2 mem=$3 cpu=$4 cmdline=$5
	shift 5
	LOG=$TEST_DIR/$name.log
	local media=()
	if [ "$path" = pvh ]; then
		media=(-kernel "$ELF" -append "$cmdline")
	else
		local img=$TEST_DIR/$name.img
		if ! "$MKIMAGE" "$STAGE" "$ELF" "$img" --cmdline "$cmdline" >"$LOG" 2>&1; then
			RC=255
			return
		fi
		if [ "${BIOS_DISK:-ide}" = ahci ]; then
			media=(-drive "file=$img,format=raw,if=none,id=disk0" -device ahci,id=ahci0
				-device ide-hd,drive=disk0,bus=ahci0.0)
		else
			media=(-drive "file=$img,format=raw,if=ide")
		fi
	fi
	# shellcheck disable=SC2046
	timeout --kill-after=5 "$BOOT_TIMEOUT" qemu-system-x86_64 $(qemu_accel_args) \
		-machine "${MACHINE:-pc}" -cpu "$cpu" -m "$mem" -nodefaults -nographic -no-reboot \
		-serial stdio -monitor none "${media[@]}" "$@" </dev/null >"$LOG.raw" 2>&1
	RC=$?
	# The UART sends CR LF; firmware leaves escape sequences. Keep plain lines.
	tr -d '\r' <"$LOG.raw" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' >"$LOG"
	rm -f "$LOG.raw"
}

DEBUG_EXIT=(-device isa-debug-exit,iobase=0xf4,iosize=0x04)

# program_output LOG - what the program wrote to the console: the lines after SeaBIOS's
# "Booting from ROM" banner, without blank lines before the first (SeaBIOS sometimes
# ends its banner with one) and without the kernel's "kernel: exit N" line.
program_output() {
	sed -n '/^Booting from ROM/,$p' "$1" | sed '1d' | sed '/./,$!d' | grep -v '^kernel: exit '
}

fail() {
	case_failures+=("$*")
}

expect_rc() {
	local want=$1 what=$2
	if [ "$RC" = 124 ] || [ "$RC" = 137 ]; then
		fail "timed out after ${BOOT_TIMEOUT}s (expected $what)"
	elif [ "$RC" != "$want" ]; then
		fail "QEMU exit status $RC, expected $want ($what)"
	fi
}

# expect_line REGEX - some line of the log matches the extended regex.
expect_line() {
	grep -Eq -- "$1" "$LOG" || fail "no line matching: $1"
}

# expect_text_past_firmware REGEX - like expect_line, on the log with every "." and line
# break taken out first: SeaBIOS's serial console flushes the end of its own text
# ("Booting from Hard Disk...") late, and those bytes can land inside the first line the
# BIOS loader writes. REGEX must not need dots or line breaks itself.
expect_text_past_firmware() {
	tr -d '.\n' <"$LOG" | grep -Eq -- "$1" || fail "no text matching: $1 (dots and line breaks ignored)"
}

expect_no_line() {
	! grep -Eq -- "$1" "$LOG" || fail "unexpected line matching: $1"
}

# log_value REGEX - the first number after the text matched by REGEX.
log_value() {
	grep -Eo -- "$1 *[0-9]+" "$LOG" | head -n1 | grep -Eo '[0-9]+$'
}

# finish NAME - print the TAP line for the current case and reset.
finish() {
	test_number=$((test_number + 1))
	if [ ${#case_failures[@]} -eq 0 ]; then
		echo "ok $test_number - $1"
	else
		echo "not ok $test_number - $1"
		for f in "${case_failures[@]}"; do echo "#   $f"; done
		echo "#   serial log ($LOG):"
		sed 's/^/#   | /' "$LOG" | tail -n 60
	fi
	case_failures=()
}
