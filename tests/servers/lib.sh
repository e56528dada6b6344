# tests/servers/lib.sh - booting a ported server for its client tests (sourced after
# tests/boot/lib.sh). The caller sets work (its folder) and serial (the console log).

qemu_pid=
SERVER_QEMU_ARGS=()
# stop_qemu - stop the VM this script booted, by its pid.
stop_qemu() {
	if [ -n "$qemu_pid" ]; then
		kill "$qemu_pid" 2>/dev/null
		wait "$qemu_pid" 2>/dev/null
	fi
	qemu_pid=
}

# boot_server ELF MEM GUESTPORT APPEND READY - boot ELF on QEMU user networking with a free
# 127.0.0.1 port forwarded to GUESTPORT and wait up to 60 s until the network is up and
# the command READY (which may use $port) succeeds. Sets qemu_pid and port; returns 1 when
# the server never got ready (the VM is stopped then). A forwarding port another
# program took meanwhile is tried again with another. SERVER_QEMU_ARGS (an array) adds
# QEMU options: a disk, say.
boot_server() {
	local elf=$1 mem=$2 guest_port=$3 append=$4 ready=$5
	for _ in 1 2 3 4 5 6; do
		port=$((20000 + RANDOM % 40000))
		qemu-system-x86_64 -accel "${BOOT_TEST_ACCEL:-tcg}" -machine pc -cpu max -m "$mem" \
			-nodefaults -nographic -no-reboot -serial "file:$serial" -monitor none \
			"${DEBUG_EXIT[@]}" -kernel "$elf" -append "$append" \
			-netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$port-:$guest_port" \
			-device virtio-net-pci,netdev=n0,romfile= "${SERVER_QEMU_ARGS[@]}" \
			</dev/null >"$work/qemu.err" 2>&1 &
		qemu_pid=$!
		for _ in $(seq 1 600); do
			kill -0 "$qemu_pid" 2>/dev/null || break
			if grep -q "^net: en[0-9]* " "$serial" 2>/dev/null && eval "$ready"; then
				return 0
			fi
			sleep 0.1
		done
		stop_qemu
		grep -q "Could not set up host forwarding" "$work/qemu.err" || return 1
	done
	return 1
}
