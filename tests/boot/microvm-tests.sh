#!/usr/bin/env bash
# microvm-tests.sh - the virtio-mmio transport on QEMU's microvm (no PCI): the
# virtio-net self-test (ARP to the slirp gateway 10.0.2.2, woken by the card's interrupt
# line through the I/O APIC) with the device found from the virtio_mmio.device= word QEMU
# appends to the command line (acpi=off; after a user's "--" too), a legacy (version 1)
# device and a microvm without a card refused with a message and -ENODEV, and the TSC
# frequency measured with PIT channel 0 (the microvm has no port 0x61).
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh
ELF=${ELF:-$BUILD/bootreport.elf}

NETDEV=(-netdev "user,id=n0")
MODERN=(-global virtio-mmio.force-legacy=false)

# check_arp - the self-test got slirp's reply over the virtio-mmio card, woken by its line.
check_arp() {
	expect_rc 1 "exit status 0"
	expect_line "^selftest: virtio-net: mac 52:54:00:12:34:56$"
	expect_line "^selftest: virtio-net: virtio-mmio 0xfeb00e00, link up, mtu 1500, interrupts ioapic, "
	expect_line "^selftest: virtio-net: arp reply from 10.0.2.2 at 52:55:0a:00:02:02$"
	expect_line "^selftest: virtio-net: reply after [0-9]+ us, [1-9][0-9]* interrupts \(ioapic\), 0 waits timed out"
	expect_line "^selftest: virtio-net ok$"
	expect_line "^kernel: exit 0$"
}

MACHINE=microvm,acpi=off boot "vnet-mmio-microvm" pvh 64M qemu64 "selftest=virtio-net" \
	"${DEBUG_EXIT[@]}" "${MODERN[@]}" "${NETDEV[@]}" -device virtio-net-device,netdev=n0
check_arp
expect_line '^command line: "selftest=virtio-net virtio_mmio.device=512@0xfeb00e00:12" \(1 words\)$'
finish "microvm virtio-net over virtio-mmio: ARP to the slirp gateway, woken by the I/O APIC line"

# QEMU appends the device word after the user's "--": it is still found, and not an argument.
MACHINE=microvm,acpi=off boot "vnet-mmio-args-microvm" pvh 64M max "selftest=virtio-net -- a b" \
	"${DEBUG_EXIT[@]}" "${MODERN[@]}" "${NETDEV[@]}" -device virtio-net-device,netdev=n0
check_arp
expect_line '^command line: "selftest=virtio-net -- a b virtio_mmio.device=512@0xfeb00e00:12" \(4 words\)$'
finish "microvm virtio-net: the device word after a user's '--' is found and is no argument"

MACHINE=microvm,acpi=off boot "vnet-mmio-legacy-microvm" pvh 64M qemu64 "selftest=virtio-net" \
	"${DEBUG_EXIT[@]}" "${NETDEV[@]}" -device virtio-net-device,netdev=n0
expect_rc 225 "panic status 0x70"
expect_line "^virtio-mmio 0xfeb00e00: the device \(type 1\) has the legacy virtio-mmio interface \(version 1\)"
expect_line "^selftest: virtio-net: vnet_open: -19 \(ENODEV"
finish "microvm virtio-net: a legacy (version 1) device is refused with a message and -ENODEV"

MACHINE=microvm,acpi=off boot "vnet-mmio-none-microvm" pvh 64M qemu64 \
	"selftest=virtio-net virtio_mmio.device=512@0xfeb00000:5 virtio_mmio.device=oops bootstats" \
	"${DEBUG_EXIT[@]}"
expect_rc 225 "panic status 0x70"
expect_line "^virtio-mmio: virtio_mmio.device=oops ignored: bad size$"
expect_line "^vnet: no usable virtio-net device among the virtio-mmio devices$"
expect_line "^selftest: virtio-net: vnet_open: -19 \(ENODEV"
expect_line "^bootstats: tsc [1-9][0-9]* kHz \(PIT channel 0 calibration\)"
finish "microvm without a card: empty transport and a bad word reported, -ENODEV; TSC from PIT channel 0"

# With ACPI (microvm's default) QEMU appends no words: no PCI bus is found either, quickly.
MACHINE=microvm boot "vnet-acpi-microvm" pvh 64M qemu64 "selftest=virtio-net" "${DEBUG_EXIT[@]}"
expect_rc 225 "panic status 0x70"
expect_line "^vnet: no usable virtio-net device: no PCI bus, and no virtio_mmio.device= on the command line"
finish "microvm with ACPI and no device words: a message naming acpi=off, -ENODEV"
