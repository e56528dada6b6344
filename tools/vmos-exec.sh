#!/usr/bin/env bash
# vmos-exec.sh IMAGE [ARG...] - run a VMOS image as if it were a host program: boot it in
# QEMU (TCG, no network), print what it wrote to the console on standard output and exit
# with its exit status. It is how a configure script's test programs run when vmos-cc
# links them with VMOS_CC_RUNNABLE=1 (nginx's auto/configure runs its probes; so does
# autoconf's AC_RUN_IFELSE): the answer is the target's own, not the build machine's.
#   VMOS_EXEC_TIMEOUT  seconds before the VM is stopped and 124 returned (default 60)
# Standard input is not passed on; ARGs are words on the kernel command line (no spaces).
set -u -o pipefail
image=$1
shift
for a in "$@"; do
	case "$a" in
	*[[:space:]]*)
		echo "vmos-exec: argument '$a' has a space; the command line cannot carry it" >&2
		exit 2
		;;
	esac
done
if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "vmos-exec: qemu-system-x86_64 is missing (Debian package qemu-system-x86)" >&2
	exit 127
fi
serial=$(mktemp)
trap 'rm -f "$serial"' EXIT
timeout "${VMOS_EXEC_TIMEOUT:-60}" qemu-system-x86_64 -accel tcg -machine pc -cpu max -m 64M \
	-nodefaults -nographic -no-reboot -monitor none -serial "file:$serial" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$image" -append "-- $*" \
	</dev/null >/dev/null 2>&1
rc=$?
# The program's output follows SeaBIOS's "Booting from ROM" banner line (and the blank
# line SeaBIOS sometimes adds); the kernel's "kernel: exit N" ends it, right after the
# program's last byte when that was no line break. The serial console sends CR LF.
status=$(perl -0777 -ne 's/\r//g; s/\A.*?^Booting from ROM[^\n]*\n\n?//ms or exit;
	if (s/kernel: exit (-?\d+)\n\z//) { print STDERR $1; } print;' "$serial" 2>&1 >"$serial.out")
cat "$serial.out"
rm -f "$serial.out"
if [ -n "$status" ]; then
	exit $((status & 255))
fi
[ "$rc" = 124 ] && echo "vmos-exec: $image did not finish in ${VMOS_EXEC_TIMEOUT:-60} s" >&2
[ "$rc" = 124 ] && exit 124
echo "vmos-exec: $image ended without an exit status (QEMU status $rc): $(tail -n 3 "$serial")" >&2
exit 125
