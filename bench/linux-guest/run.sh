#!/usr/bin/env bash
# run.sh OUTDIR HOSTPORT [MACHINE] - boot the Linux guest that build.sh put in OUTDIR
# under QEMU, in the background, with the settings VMOS's tools/run.sh uses: -cpu max
# under TCG (host under KVM), -nodefaults, -no-reboot, a virtio-net card without a boot
# ROM on user networking that forwards 127.0.0.1:HOSTPORT to the guest's port 80.
# Prints QEMU's pid on stdout (stop it with kill PID); the serial console goes to
# OUTDIR/run-HOSTPORT/serial.log, QEMU's own messages to qemu.err beside it, and the
# time QEMU was started (ms since the epoch, just before exec) to started-ms.
#
# MACHINE: pc (default; virtio-net-pci) or microvm (virtio-net-device on virtio-mmio).
# Environment:
#   ACCEL=tcg|kvm    default tcg
#   MEM=256M         guest memory
#   BOOT=bzimage|pvh bzimage (default): Debian's vmlinuz through the Linux boot protocol;
#                    pvh: the decompressed vmlinux entered at its PVH note, as VMOS boots
#   NET=static|dhcp  static (default): 10.0.2.15/24 via 10.0.2.2, as VMOS's ip=;
#                    dhcp: busybox udhcpc
#   APPEND=...       extra kernel command-line words
#   HTTPD_ARGS=...   httpd's options (default -p 80 -r /www -q)
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 OUTDIR HOSTPORT [pc|microvm]" >&2
	exit 2
fi
out=$1
port=$2
machine=${3:-pc}
accel=${ACCEL:-tcg}
mem=${MEM:-256M}
boot=${BOOT:-bzimage}
net=${NET:-static}
[[ $port =~ ^[0-9]+$ ]] || { echo "run.sh: HOSTPORT must be a number" >&2; exit 2; }

case "$boot" in
bzimage) kernel=$out/vmlinuz ;;
pvh) kernel=$out/vmlinux ;;
*) echo "run.sh: BOOT is bzimage or pvh" >&2; exit 2 ;;
esac
if [ ! -f "$kernel" ] || [ ! -f "$out/initramfs.img" ]; then
	echo "run.sh: no $kernel or $out/initramfs.img (run bench/linux-guest/build.sh $out)" >&2
	exit 2
fi

case "$accel" in
tcg) cpu=max ;;
kvm) cpu=host,-arch-capabilities ;;
*) echo "run.sh: ACCEL is tcg or kvm" >&2; exit 2 ;;
esac
qmachine=$machine
case "$machine" in
# romfile= : no iPXE boot ROM for the PCI card (as VMOS: no network boot).
pc) nic=virtio-net-pci,netdev=n0,romfile= ;;
# microvm: the legacy timers on, or Linux (under TCG) finds nothing to calibrate its TSC
# against and hangs before init; the card is virtio-mmio.
microvm) qmachine=microvm,pit=on,pic=on,rtc=on nic=virtio-net-device,netdev=n0 ;;
*) echo "run.sh: MACHINE is pc or microvm" >&2; exit 2 ;;
esac
case "$net" in
static) netword="" ;;
dhcp) netword=guestnet=dhcp ;;
*) echo "run.sh: NET is static or dhcp" >&2; exit 2 ;;
esac

# panic=-1: if httpd exits, init goes, the kernel panics and reboots at once, and
# -no-reboot turns that into QEMU's exit.
cmdline="console=ttyS0 quiet panic=-1 $netword ${APPEND:-} -- ${HTTPD_ARGS:--p 80 -r /www -q}"

dir=$out/run-$port
mkdir -p "$dir"
rm -f "$dir/serial.log" "$dir/qemu.err"
date +%s%3N >"$dir/started-ms"
qemu-system-x86_64 -accel "$accel" -machine "$qmachine" -cpu "$cpu" -m "$mem" -nodefaults \
	-nographic -no-reboot -serial "file:$dir/serial.log" -monitor none \
	-netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$port-:80" -device "$nic" \
	-kernel "$kernel" -initrd "$out/initramfs.img" -append "$cmdline" \
	</dev/null >"$dir/qemu.err" 2>&1 &
echo $!
