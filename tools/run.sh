#!/usr/bin/env bash
# run.sh - boot a VMOS image under QEMU with the serial console on this terminal.
#
#   run.sh --elf E --img I [--boot pvh|bios] [--mem 64M] [--cmdline TEXT] [--debug]
#          [--forward HOSTPORT:GUESTPORT ...] [--disk FILE[:ro] ...]
#
# The VM gets a virtio-net card on QEMU's user networking (the guest is 10.0.2.15, DHCP);
# each --forward makes 127.0.0.1:HOSTPORT on this machine reach the guest's GUESTPORT.
# Each --disk attaches a raw disk image as a virtio-blk disk (vda, vdb... in order;
# ":ro" read-only), with the host's page cache as its write-back cache.
#
# Uses KVM where it can really run the image and TCG otherwise, with a one-line notice.
# Whether KVM works is decided once by a probe boot (the kernel runs SSE code right away,
# which a broken nested KVM cannot emulate) and cached in build/kvm-probe. ACCEL=kvm or
# ACCEL=tcg overrides the choice. MACHINE=microvm boots QEMU's microvm instead of pc (PVH
# only: no PCI, the card on virtio-mmio; ACPI off so that QEMU names the card on the
# command line). Ctrl-A x quits QEMU. The kernel's exit status becomes this script's
# exit status.
set -u
boot=pvh mem=64M cmdline="" debug=0 elf="" img="" forwards=() disks=()
while [ $# -gt 0 ]; do
	case "$1" in
	--boot) boot=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--cmdline) cmdline=$2; shift 2 ;;
	--elf) elf=$2; shift 2 ;;
	--img) img=$2; shift 2 ;;
	--debug) debug=1; shift ;;
	--forward) forwards+=("$2"); shift 2 ;;
	--disk) disks+=("$2"); shift 2 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ -n "$elf" ] && [ -f "$elf" ] || { echo "run.sh: no image $elf (run make image)" >&2; exit 2; }

cache=$(dirname "$elf")/kvm-probe

# kvm_works - probe once per QEMU build and host kernel; prints nothing.
kvm_works() {
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
	local key
	key="$(uname -r) $(qemu-system-x86_64 --version | head -n1)"
	if [ -f "$cache" ] && [ "$(head -n1 "$cache")" = "$key" ]; then
		[ "$(sed -n 2p "$cache")" = yes ]
		return
	fi
	local out status answer=no
	out=$(timeout 10 qemu-system-x86_64 -accel kvm -cpu host,-arch-capabilities -machine pc \
		-m 64M -nodefaults -nographic -no-reboot -serial stdio -monitor none \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$elf" -append "exit=0" \
		</dev/null 2>&1)
	status=$?
	if [ $status = 1 ] && grep -q "kernel: exit 0" <<<"$out"; then
		answer=yes
	fi
	printf '%s\n%s\n' "$key" "$answer" >"$cache"
	[ $answer = yes ]
}

accel=${ACCEL:-}
if [ -z "$accel" ]; then
	if kvm_works; then
		accel=kvm
	else
		accel=tcg
		if [ -e /dev/kvm ]; then
			echo "run.sh: /dev/kvm cannot run this image (probe failed, see $cache); using TCG" >&2
		else
			echo "run.sh: no /dev/kvm; using TCG (software emulation)" >&2
		fi
	fi
fi
cpu=max
[ "$accel" = kvm ] && cpu=host,-arch-capabilities

machine=${MACHINE:-pc}
# romfile= : no iPXE boot ROM for the card, VMOS does not network-boot.
nic=(-device virtio-net-pci,netdev=net0,romfile=)
blk_device=virtio-blk-pci
case "$machine" in
pc) ;;
microvm)
	[ "$boot" = bios ] && { echo "run.sh: MACHINE=microvm boots by PVH only" >&2; exit 2; }
	# acpi=off: QEMU appends virtio_mmio.device=... to the command line only then;
	# force-legacy=false: the virtio 1.x register layout (version 2).
	machine=microvm,acpi=off
	nic=(-global virtio-mmio.force-legacy=false -device virtio-net-device,netdev=net0)
	blk_device=virtio-blk-device
	;;
*) echo "run.sh: MACHINE is pc or microvm, not '$machine'" >&2; exit 2 ;;
esac

media=(-kernel "$elf" -append "$cmdline")
if [ "$boot" = bios ]; then
	[ -f "$img" ] || { echo "run.sh: no disk image $img (run make image)" >&2; exit 2; }
	media=(-drive "file=$img,format=raw,if=ide")
	[ -n "$cmdline" ] && echo "run.sh: note: a disk image carries its own command line; ARGS applies to the PVH boot" >&2
fi

drives=()
for i in "${!disks[@]}"; do
	file=${disks[$i]} ro=""
	if [[ $file == *:ro ]]; then
		file=${file%:ro}
		ro=,readonly=on
	fi
	[ -f "$file" ] || { echo "run.sh: no disk image $file (make disk makes one)" >&2; exit 2; }
	drives+=(-drive "file=$file,format=raw,if=none,id=disk$i,cache=writeback$ro"
		-device "$blk_device,drive=disk$i")
done

extra=()
if [ $debug = 1 ]; then
	extra=(-s -S)
	cat >&2 <<MSG
run.sh: QEMU waits for gdb on localhost:1234. In another terminal:
  gdb $elf -ex 'target remote localhost:1234'
The image runs at its link address until the kernel moves itself into the linear range;
after that, load the symbols at the new address the boot report prints ("kernel image:"):
  add-symbol-file $elf -o <kernel image address - 0x100000>
MSG
fi

netdev=user,id=net0
for f in "${forwards[@]}"; do
	if ! [[ $f =~ ^[0-9]+:[0-9]+$ ]]; then
		echo "run.sh: --forward wants HOSTPORT:GUESTPORT, not '$f'" >&2
		exit 2
	fi
	netdev+=",hostfwd=tcp:127.0.0.1:${f%%:*}-:${f##*:}"
	echo "run.sh: http://127.0.0.1:${f%%:*}/ reaches the guest's port ${f##*:} (Ctrl-A x quits)" >&2
done

qemu-system-x86_64 -accel "$accel" -machine "$machine" -cpu "$cpu" -m "$mem" -nodefaults \
	-nographic -no-reboot -serial mon:stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-netdev "$netdev" "${nic[@]}" "${drives[@]}" "${media[@]}" "${extra[@]}"
status=$?
# isa-debug-exit turns kernel status s into 2s+1; anything else is QEMU's own.
if [ $((status % 2)) = 1 ]; then
	exit $(((status - 1) / 2))
fi
exit $status
