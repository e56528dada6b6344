#!/usr/bin/env bash
# tap-tests.sh - the httpd test image (tests/ports/httpd-image, built by image-tests.sh)
# on a tap device instead of QEMU's user networking, checked by http-tests.sh. On tap, QEMU
# offers the card checksum and segmentation offload (VIRTIO_NET_F_CSUM, HOST_TSO4), which
# user networking does not: this is where net/vnet_tx.c's offload path runs (1 MiB bodies
# by sha256, pipelining, 200 connections, disconnects). The tap lives in a network
# namespace this script creates and deletes, with QEMU and the client inside it; nothing
# is added to the machine's own namespace. Needs root, /dev/net/tun and iproute2;
# otherwise one SKIP line says why. Prints TAP lines; QEMU is stopped by its pid.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
out=$BUILD/httpd-tap
elf=$BUILD/httpd-image.elf
mkdir -p "$out"

# shellcheck source=tests/httpd/tap.sh
. tests/httpd/tap.sh

# shellcheck source=tests/httpd/netns.sh
. tests/httpd/netns.sh

why=$(netns_why_not)
if [ -z "$why" ] && [ ! -f "$elf" ]; then
	why="no $elf (tests/httpd/image-tests.sh builds it)"
fi
if [ -n "$why" ]; then
	echo "ok 1 - httpd image over tap # SKIP $why"
	exit 0
fi

ns=vmos-test-$$
qemu_pid=
cleanup() {
	if [ -n "$qemu_pid" ]; then
		kill "$qemu_pid" 2>/dev/null
		wait "$qemu_pid" 2>/dev/null
	fi
	ip netns del "$ns" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! netns_create "$ns" "$out/ip.err"; then
	if grep -qi "operation not permitted" "$out/ip.err"; then
		echo "ok 1 - httpd image over tap # SKIP network namespaces refused: $(head -n1 "$out/ip.err")"
		exit 0
	fi
	tap FAIL "httpd image over tap: namespace $ns with tap0" "$(cat "$out/ip.err")"
	exit 1
fi

serial=$out/serial.log
rm -f "$serial"
ip netns exec "$ns" qemu-system-x86_64 -accel "${BOOT_TEST_ACCEL:-tcg}" -machine pc -cpu max \
	-m 256M -nodefaults -nographic -no-reboot -serial "file:$serial" -monitor none \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$elf" \
	-append "ip=10.0.2.15/24,10.0.2.2 -- -p 80 -r /srv/www -c 300 -t 10 -q" \
	-netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
	-device virtio-net-pci,netdev=n0,romfile= </dev/null >"$out/qemu.err" 2>&1 &
qemu_pid=$!
up=0
for _ in $(seq 1 600); do
	kill -0 "$qemu_pid" 2>/dev/null || break
	if grep -q "^net: en[0-9]* " "$serial" 2>/dev/null &&
		code=$(ip netns exec "$ns" curl -s --max-time 2 -o /dev/null -w '%{http_code}' \
			http://10.0.2.15/a.txt) && [ "$code" = 200 ]; then
		up=1
		break
	fi
	sleep 0.1
done
if [ $up = 1 ]; then
	tap OK "httpd image over tap (namespace $ns): boots and answers on 10.0.2.15"
else
	tap FAIL "httpd image over tap: boots and answers" "$(tail -n 20 "$serial" 2>/dev/null)" \
		"$(tail -n 5 "$out/qemu.err")"
	exit 1
fi

# A client port used again at once: the guest, which closed first, holds the old
# connection in TIME-WAIT; a new SYN from the same port must open a new connection
# (net/patches/0002-time-wait-accepts-newer-syn.patch) instead of being answered with an
# ACK that the client resets, over and over, until the TIME-WAIT ends two minutes later.
reuse=$(timeout 60 ip netns exec "$ns" python3 - <<'PY' 2>&1
import socket, time
def get(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("10.0.2.2", port))
    s.settimeout(10)
    start = time.monotonic()
    s.connect(("10.0.2.15", 80))
    took = time.monotonic() - start
    s.sendall(b"GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    s.close()
    return took, data.split(b" ")[1] if data else b"none"
try:
    for i in range(3):
        took, status = get(40123)
        print("connect %d: %.2f s, status %s" % (i + 1, took, status.decode()))
        time.sleep(0.3)
except OSError as e:
    print("error: %s" % e)
PY
)
if [ "$(echo "$reuse" | grep -c 'status 200')" = 3 ] &&
	! echo "$reuse" | awk '{ if ($3 + 0 > 3) bad = 1 } END { exit !bad }'; then
	tap OK "httpd image over tap: a client port reused at once connects (TIME-WAIT gives way)"
else
	tap FAIL "httpd image over tap: a client port reused at once connects" "$reuse"
fi

# The same checks as on user networking; no pacing needed (no slirp listen backlog here).
IDLE_TIMEOUT=10 TAP_START=$n timeout 600 ip netns exec "$ns" \
	bash tests/httpd/http-tests.sh 10.0.2.15 80 >"$out/http-tests.out" 2>&1
status=$?
cat "$out/http-tests.out"
n=$((n + $(grep -Ec '^(not )?ok ' "$out/http-tests.out")))
[ $status = 0 ] || tap FAIL "httpd image over tap: http-tests.sh ran to the end" "status $status"
if kill -0 "$qemu_pid" 2>/dev/null && ! grep -q "PANIC" "$serial"; then
	tap OK "httpd image over tap: still running after the checks, no panic"
else
	tap FAIL "httpd image over tap: still running after the checks" "$(tail -n 30 "$serial")"
fi
