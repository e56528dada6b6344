#!/usr/bin/env bash
# differential.sh - every tests/posix/*.c program is built twice, natively for this Linux
# host and as a VMOS image (ports/posix-tests), and run in both; stdout and the exit status
# must be identical, and the console's syslog lines (VMOS only) those of NAME.console.
# Prints TAP lines; a difference prints the diff. POSIX_TESTS="name ..." runs only those.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
out=$BUILD/posix
mkdir -p "$out"
n=0
for src in tests/posix/*.c; do
	name=$(basename "$src" .c)
	if [ -n "${POSIX_TESTS:-}" ] && ! [[ " $POSIX_TESTS " == *" $name "* ]]; then
		continue
	fi
	n=$((n + 1))
	problems=()
	# Host: the program as any Linux program.
	# A program may ask for host-only flags in a "host-cflags: ..." comment line.
	read -r -a host_flags <<<"$(sed -n 's/^.*host-cflags: *//p' "$src" | head -n 1)"
	if gcc -std=gnu11 -O2 -Wall "${host_flags[@]}" -o "$out/$name.host" "$src" -lm \
		2>"$out/$name.host-build.log"; then
		# A fresh range of loopback ports for sockets.c: another run, or the last one's
		# connections in TIME-WAIT, may hold the previous one.
		SOCKETS_PORT_BASE=$((20000 + RANDOM % 30000)) \
			"$out/$name.host" >"$out/$name.host.out" 2>/dev/null
		host_rc=$?
	else
		problems+=("host build failed: $(tail -n 5 "$out/$name.host-build.log")")
	fi
	# VMOS: the same source as an image, booted under QEMU (TCG), serial output kept.
	if make --no-print-directory -s BUILD="$BUILD" PORT=posix-tests POSIX_TEST="$name" image \
		>"$out/$name.vmos-build.log" 2>&1; then
		timeout --kill-after=5 120 qemu-system-x86_64 -accel "${BOOT_TEST_ACCEL:-tcg}" \
			-machine pc -cpu max -m 64M -nodefaults -nographic -no-reboot -serial stdio \
			-monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
			-kernel "$BUILD/posix-$name.elf" </dev/null >"$out/$name.serial" 2>&1
		qemu_rc=$?
		# Program output: what follows the firmware's banner, without the kernel's last line.
		# SeaBIOS sometimes ends its "Booting from ROM..." line with an empty one (seen in
		# a CI run on a loaded machine), so blank lines before the first output go too.
		tr -d '\r' <"$out/$name.serial" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' |
			sed -n '/^Booting from ROM/,$p' | sed '1d' | sed '/./,$!d' | grep -v '^kernel: exit ' \
			>"$out/$name.vmos.console"
		# The system log's console lines ("syslog: ...") exist only in VMOS (Linux sends
		# them to a daemon): compared with tests/posix/NAME.console when there is one.
		grep -v '^syslog: ' "$out/$name.vmos.console" >"$out/$name.vmos.out"
		grep '^syslog: ' "$out/$name.vmos.console" >"$out/$name.vmos.syslog"
		if [ -f "tests/posix/$name.console" ]; then
			diff -u "tests/posix/$name.console" "$out/$name.vmos.syslog" \
				>"$out/$name.syslog.diff" ||
				problems+=("the console's syslog lines differ from tests/posix/$name.console: $(head -c 600 "$out/$name.syslog.diff")")
		elif [ -s "$out/$name.vmos.syslog" ]; then
			problems+=("syslog lines on the console, and no tests/posix/$name.console to compare them with")
		fi
		if [ $((qemu_rc % 2)) = 1 ]; then
			vmos_rc=$(((qemu_rc - 1) / 2))
		else
			vmos_rc="qemu-status-$qemu_rc"
			problems+=("the image did not exit through isa-debug-exit (QEMU status $qemu_rc)")
		fi
	else
		problems+=("image build failed: $(tail -n 5 "$out/$name.vmos-build.log")")
	fi
	if [ ${#problems[@]} -eq 0 ]; then
		if ! diff -u "$out/$name.host.out" "$out/$name.vmos.out" >"$out/$name.diff"; then
			problems+=("outputs differ (--- Linux, +++ VMOS):")
		fi
		[ "$host_rc" = "$vmos_rc" ] || problems+=("exit status: Linux $host_rc, VMOS $vmos_rc")
	fi
	if [ ${#problems[@]} -eq 0 ]; then
		echo "ok $n - posix differential: $name"
	else
		echo "not ok $n - posix differential: $name"
		for p in "${problems[@]}"; do echo "#   $p"; done
		[ -s "$out/$name.diff" ] && sed 's/^/#   /' "$out/$name.diff" | head -n 60
	fi
done
