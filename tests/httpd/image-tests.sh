#!/usr/bin/env bash
# image-tests.sh - ports/httpd as a VMOS image (tests/ports/httpd-image: the same sources
# with the test document root in its initrd), booted under QEMU with a virtio-net card
# on user networking that forwards a free 127.0.0.1 port to the guest's port 80, checked
# by http-tests.sh, the same checks the host build passes. Prints TAP lines. QEMU is
# stopped by its pid; every wait is bounded.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
out=$BUILD/httpd-image
root=$out/root
mkdir -p "$out"
qemu_pid=
# stop_qemu - end the QEMU this script started (by its pid), if any.
stop_qemu() {
	if [ -n "$qemu_pid" ]; then
		kill "$qemu_pid" 2>/dev/null
		wait "$qemu_pid" 2>/dev/null
	fi
	qemu_pid=
}
cleanup() {
	stop_qemu
}
trap cleanup EXIT

# shellcheck source=tests/httpd/tap.sh
. tests/httpd/tap.sh

# The document root is rebuilt only when missing: the generated files are deterministic.
if [ ! -f "$root/www/data/big.bin" ]; then
	rm -rf "$root"
	if ! bash tests/httpd/http-tests.sh --make-docroot "$root/www" 2>"$out/docroot.err"; then
		tap FAIL "httpd image: test document root" "$(cat "$out/docroot.err")"
		exit 1
	fi
fi
if make --no-print-directory -s BUILD="$BUILD" PORT=tests/ports/httpd-image \
	HTTPD_TEST_ROOT="$root" image >"$out/build.log" 2>&1; then
	tap OK "httpd image: builds (tests/ports/httpd-image)"
else
	tap FAIL "httpd image: builds" "$(tail -n 20 "$out/build.log")"
	exit 1
fi

# boot_httpd MACHINE_ARGS... - boot the image with a forwarded free port; sets qemu_pid,
# port and started_ms (QEMU's start), or returns 1. GUEST_ADDR: the guest address the
# port is forwarded to (slirp's DHCP address 10.0.2.15 by default); APPEND: a command line;
# NIC: the card's -device (virtio-net-pci by default); IMAGE: the ELF (the test image by
# default); MEM: -m (256M); GET_PATH: what is fetched to see it answer (a.txt).
boot_httpd() {
	local append=() guest=${GUEST_ADDR:-} nic=${NIC:-virtio-net-pci,netdev=n0,romfile=}
	local elf=${IMAGE:-$BUILD/httpd-image.elf} mem=${MEM:-256M} get=${GET_PATH:-a.txt}
	[ -n "${APPEND:-}" ] && append=(-append "$APPEND")
	local serial=$out/serial.log
	for _ in 1 2 3 4 5 6; do
		port=$((20000 + RANDOM % 40000))
		started_ms=$(date +%s%3N)
		qemu-system-x86_64 -accel "${BOOT_TEST_ACCEL:-tcg}" "$@" -cpu max -m "$mem" -nodefaults \
			-nographic -no-reboot -serial "file:$serial" -monitor none \
			-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$elf" \
			"${append[@]}" -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$port-$guest:80" \
			-device "$nic" </dev/null >"$out/qemu.err" 2>&1 &
		qemu_pid=$!
		for _ in $(seq 1 600); do
			kill -0 "$qemu_pid" 2>/dev/null || break
			if grep -q "^net: en[0-9]* " "$serial" 2>/dev/null &&
				code=$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' \
					"http://127.0.0.1:$port/$get") && [ "$code" = 200 ]; then
				first_200_ms=$(($(date +%s%3N) - started_ms))
				return 0
			fi
			sleep 0.1
		done
		# QEMU could not bind the port (taken), or the guest never answered.
		stop_qemu
		grep -q "Could not set up host forwarding" "$out/qemu.err" || return 1
	done
	return 1
}

if boot_httpd -machine pc; then
	tap OK "httpd image: boots (pc, virtio-net-pci) and answers on 127.0.0.1:$port" \
		"first 200 after ${first_200_ms} ms"
	echo "# first HTTP 200 ${first_200_ms} ms after QEMU started (TCG, polling every 100 ms)"
	IDLE_TIMEOUT=10 CONNECT_PACE=0.01 TAP_START=$n timeout 600 bash tests/httpd/http-tests.sh 127.0.0.1 "$port" \
		>"$out/tap"
	cat "$out/tap"
	n=$((n + $(grep -Ec '^(not )?ok ' "$out/tap")))
	if kill -0 "$qemu_pid" 2>/dev/null && ! grep -q "PANIC" "$out/serial.log"; then
		tap OK "httpd image: still running after the checks, no panic"
	else
		tap FAIL "httpd image: still running after the checks" "$(tail -n 30 "$out/serial.log")"
	fi
	stop_qemu
else
	tap FAIL "httpd image: boots and answers" "$(tail -n 30 "$out/serial.log" 2>/dev/null)" \
		"$(tail -n 5 "$out/qemu.err" 2>/dev/null)"
fi

# A static address from the command line instead of DHCP (10.0.2.16, which slirp's DHCP
# would never hand out).
if GUEST_ADDR=10.0.2.16 APPEND="ip=10.0.2.16/24,10.0.2.2 -- -p 80 -r /srv/www -q" \
	boot_httpd -machine pc; then
	if grep -q "^net: en[0-9]* 10.0.2.16/24 gateway 10.0.2.2" "$out/serial.log"; then
		tap OK "httpd image: static ip= address 10.0.2.16/24 answers"
	else
		tap FAIL "httpd image: static ip= address" "$(tail -n 10 "$out/serial.log")"
	fi
	stop_qemu
else
	tap FAIL "httpd image: static ip= address 10.0.2.16/24 answers" \
		"$(tail -n 30 "$out/serial.log" 2>/dev/null)"
fi

# QEMU's microvm: no PCI, the card on the virtio-mmio transport. With acpi=off QEMU
# appends "virtio_mmio.device=512@0xfeb00e00:12" to the command line (with ACPI it
# describes the devices in the DSDT instead), and force-legacy=false gives the card the
# version 2 (virtio 1.x) register layout. The appended word lands after the user's "--":
# the kernel sets it aside, so httpd (which refuses stray arguments) still starts.
MICROVM=(-machine microvm,acpi=off -global virtio-mmio.force-legacy=false)
microvm_checks() { # microvm_checks NAME - GETs, the 1 MiB file's digest, keep-alive
	local name=$1 body sum want reused
	body=$(curl -s --max-time 10 "http://127.0.0.1:$port/a.txt" | head -c 200)
	want=$(sha256sum <"$root/www/data/1mib.bin" | cut -d' ' -f1)
	sum=$(curl -s --max-time 30 "http://127.0.0.1:$port/data/1mib.bin" | sha256sum | cut -d' ' -f1)
	# Five requests on one connection: curl reuses it, and reports one connect.
	local url urls=()
	for url in a.txt b.txt c.txt data/1mib.bin a.txt; do
		urls+=(-o /dev/null "http://127.0.0.1:$port/$url")
	done
	reused=$(curl -s --max-time 30 -w '%{num_connects} %{http_code}\n' "${urls[@]}" |
		head -c 200 | tr '\n' ' ')
	if [ "$body" = alpha ] && [ "$sum" = "$want" ] &&
		[ "$reused" = "1 200 0 200 0 200 0 200 0 200 " ]; then
		tap OK "$name"
	else
		tap FAIL "$name" "a.txt: '$body'" "1mib.bin sha256 $sum, want $want" \
			"keep-alive (connects, status per request): $reused" \
			"$(tail -n 20 "$out/serial.log")"
	fi
	if grep -q "PANIC" "$out/serial.log"; then
		tap FAIL "$name: no panic" "$(tail -n 30 "$out/serial.log")"
	fi
	stop_qemu
}

if NIC=virtio-net-device,netdev=n0 boot_httpd "${MICROVM[@]}"; then
	echo "# microvm: first HTTP 200 ${first_200_ms} ms after QEMU started (TCG, polling every 100 ms)"
	microvm_checks "httpd image on microvm (virtio-mmio): GET, 1 MiB by sha256, keep-alive"
else
	tap FAIL "httpd image on microvm (virtio-mmio) boots and answers" \
		"$(tail -n 30 "$out/serial.log" 2>/dev/null)" "$(tail -n 5 "$out/qemu.err" 2>/dev/null)"
fi

# The user's own "--" and arguments, with the device word appended after them.
if NIC=virtio-net-device,netdev=n0 APPEND="ip=dhcp -- -p 80 -r /srv/www -t 10 -q" \
	boot_httpd "${MICROVM[@]}"; then
	microvm_checks "httpd image on microvm with -append '... -- ARGS': the device word stays out of argv"
else
	tap FAIL "httpd image on microvm with -append '... -- ARGS'" \
		"$(tail -n 30 "$out/serial.log" 2>/dev/null)" "$(tail -n 5 "$out/qemu.err" 2>/dev/null)"
fi

# The memory floor: the default image (ports/httpd, its own www/ in a small initrd; the
# test image above carries 34 MiB of test files) answers at -m 2M, as `make bench`'s
# bisection finds (bench/benchlib/memfloor.py; 2 MiB is its lower bound). Besides the first
# 200: the page's bytes, 16 parallel connections, and no panic.
FLOOR_MEM=2M
if make --no-print-directory -s BUILD="$BUILD" PORT=httpd image >"$out/build-httpd.log" 2>&1; then
	if IMAGE=$BUILD/httpd.elf MEM=$FLOOR_MEM GET_PATH=index.html boot_httpd -machine pc; then
		bytes=$(curl -s --max-time 10 "http://127.0.0.1:$port/index.html" | wc -c)
		codes=$(for _ in $(seq 1 16); do
			curl -s --max-time 20 -o /dev/null -w '%{http_code}\n' \
				"http://127.0.0.1:$port/index.html" &
		done | sort | uniq -c | tr -s ' \n' ' ')
		want_bytes=$(wc -c <ports/httpd/www/index.html)
		if [ "$bytes" = "$want_bytes" ] && [ "$codes" = " 16 200 " ] &&
			! grep -q "PANIC" "$out/serial.log"; then
			tap OK "httpd image answers at -m $FLOOR_MEM (the memory floor)" \
				"first 200 after ${first_200_ms} ms"
		else
			tap FAIL "httpd image at -m $FLOOR_MEM: the page, 16 parallel GETs, no panic" \
				"index.html: $bytes bytes, want $want_bytes" "status counts:$codes" \
				"$(tail -n 20 "$out/serial.log")"
		fi
		stop_qemu
	else
		tap FAIL "httpd image answers HTTP 200 at -m $FLOOR_MEM (the memory floor)" \
			"$(tail -n 30 "$out/serial.log" 2>/dev/null)" "$(tail -n 5 "$out/qemu.err" 2>/dev/null)"
	fi
else
	tap FAIL "httpd image: builds (ports/httpd)" "$(tail -n 20 "$out/build-httpd.log")"
fi
