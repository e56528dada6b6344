#!/usr/bin/env bash
# virtio-tests.sh - virtio-net end to end without an IP stack: selftest=virtio-net opens
# the NIC under QEMU user networking, sends an ARP request for the gateway 10.0.2.2 and
# blocks (deadline, no spinning) until the reply wakes it through the device's interrupt.
# Run with MSI-X and with INTx (vectors=0), with the modern-only device
# (disable-legacy=on), and on q35; a legacy-only device and a machine without a NIC must
# give a clear message and -ENODEV (19), not a hang. Then getifaddrs in an image with the
# card (static and DHCP addresses).
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh
ELF=${ELF:-$BUILD/bootreport.elf}
STAGE=${STAGE:-$BUILD/boot/start.bin}
MKIMAGE=${MKIMAGE:-$BUILD/tools/mkimage}

NETDEV=(-netdev "user,id=n0")

# check_arp IRQ_MODE - the self-test got slirp's reply, woken by an interrupt of that kind.
check_arp() {
	local mode=$1
	expect_rc 1 "exit status 0"
	expect_line "^selftest: virtio-net: mac 52:54:00:12:34:56$"
	expect_line "^selftest: virtio-net: virtio-pci 00:[0-9a-f]{2}\.0, link up, mtu 1500, interrupts $mode, "
	expect_line "^selftest: virtio-net: arp reply from 10.0.2.2 at 52:55:0a:00:02:02$"
	# Woken by the interrupt, not by the one-second deadline that resends.
	expect_line "^selftest: virtio-net: reply after [0-9]+ us, [1-9][0-9]* interrupts \($mode\), 0 waits timed out"
	expect_line "^selftest: virtio-net ok$"
	expect_line "^kernel: exit 0$"
}

boot "vnet-msix-pvh" pvh 64M qemu64 "selftest=virtio-net" "${DEBUG_EXIT[@]}" "${NETDEV[@]}" \
	-device virtio-net-pci,netdev=n0
check_arp msi-x
finish "pvh virtio-net: ARP to the slirp gateway, woken by MSI-X"

boot "vnet-intx-pvh" pvh 64M qemu64 "selftest=virtio-net" "${DEBUG_EXIT[@]}" "${NETDEV[@]}" \
	-device virtio-net-pci,netdev=n0,vectors=0
check_arp intx
finish "pvh virtio-net: ARP with MSI-X off (vectors=0), woken by INTx through the I/O APIC"

boot "vnet-modern-bios" bios 64M max "selftest=virtio-net" "${DEBUG_EXIT[@]}" "${NETDEV[@]}" \
	-device virtio-net-pci,netdev=n0,disable-legacy=on
check_arp msi-x
finish "bios virtio-net: modern-only device (disable-legacy=on), -cpu max"

MACHINE=q35 boot "vnet-q35-intx-pvh" pvh 64M qemu64 "selftest=virtio-net" "${DEBUG_EXIT[@]}" \
	"${NETDEV[@]}" -device virtio-net-pci,netdev=n0,vectors=0,disable-legacy=on
check_arp intx
finish "pvh virtio-net on q35 with INTx"

boot "vnet-legacy-pvh" pvh 64M qemu64 "selftest=virtio-net" "${DEBUG_EXIT[@]}" "${NETDEV[@]}" \
	-device virtio-net-pci,netdev=n0,disable-modern=on
expect_rc 225 "panic status 0x70"
expect_line "^virtio-pci 00:[0-9a-f]{2}\.0: the device \(id 1000\) offers only the legacy virtio interface"
expect_line "^selftest: virtio-net: vnet_open: -19 \(ENODEV"
expect_line "^PANIC: selftest virtio-net: failed with -19$"
finish "pvh virtio-net: a legacy-only device is refused with a message and -ENODEV"

boot "vnet-none-pvh" pvh 64M qemu64 "selftest=virtio-net" "${DEBUG_EXIT[@]}"
expect_rc 225 "panic status 0x70"
expect_line "^vnet: no usable virtio-net device on PCI bus 0$"
expect_line "^selftest: virtio-net: vnet_open: -19 \(ENODEV"
expect_line "^PANIC: selftest virtio-net: failed with -19$"
finish "pvh no virtio-net device: a message and -ENODEV, no hang"

# check_ifaddrs ADDR - the card is eth0 at index 2, after the loopback, with ADDR/24.
check_ifaddrs() {
	local addr=$1
	expect_rc 1 "exit status 0"
	expect_line "^if_nameindex: 1 lo$"
	expect_line "^if_nameindex: 2 eth0$"
	expect_line "^if_nametoindex\(eth0\): 2$"
	expect_line "^getifaddrs: lo 127\.0\.0\.1/255\.0\.0\.0 broadcast none flags UP LOOPBACK RUNNING LOWER_UP$"
	expect_line "^getifaddrs: eth0 ${addr//./\\.}/255\.255\.255\.0 broadcast 10\.0\.2\.255 flags UP BROADCAST RUNNING LOWER_UP$"
	expect_line "^kernel: exit 0$"
}

ELF=$BUILD/ifaddrs.elf boot "ifaddrs-static-pvh" pvh 64M qemu64 "ip=10.0.2.42/24,10.0.2.2" \
	"${DEBUG_EXIT[@]}" "${NETDEV[@]}" -device virtio-net-pci,netdev=n0
check_ifaddrs 10.0.2.42
finish "getifaddrs and if_nameindex list the card as eth0 with its static address"

# DHCP's lease comes after the stack starts: the program waits for it first.
ELF=$BUILD/ifaddrs.elf boot "ifaddrs-dhcp-pvh" pvh 64M qemu64 "-- wait" \
	"${DEBUG_EXIT[@]}" "${NETDEV[@]}" -device virtio-net-pci,netdev=n0
expect_line "^eth0 has an address: yes$"
check_ifaddrs 10.0.2.15
finish "getifaddrs lists the card with the address DHCP gave it"
